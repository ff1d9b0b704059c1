//! `Context`: what one script (or tenant) owns: the state of each module it uses, and
//! its engine's collectors.

use std::any::{Any, TypeId};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::collector::{CollectorId, CollectorPanic, Collectors};
use crate::state::{DefaultState, States};

/// The state of one script: a typed value per module (see [`state`](crate::state)) and
/// the collectors of its engine. Make one per script or tenant; natives receive it as
/// `&Context`, or receive one of its states as `&T`.
///
/// A `Context` is a handle: cloning it is cheap (a reference count) and the clones are
/// the same context; what it holds is released when the last clone is dropped. Natives
/// bound to it ([`Native::bind`](crate::Native::bind)) and engines it is installed in
/// hold clones.
///
/// `Context` is `Send + Sync`: natives may run on one context from several threads at
/// once (goost has goroutines), so a state a native changes guards itself (the memory
/// module's stores lock per object). The set of states is fixed while the context is
/// shared: adding one takes `&mut Context` while no clone exists.
#[derive(Clone)]
pub struct Context(Arc<Inner>);

struct Inner {
    /// Tells this context from every other of the process (never reused).
    id: u64,
    states: States,
    collectors: Collectors,
    conversion_limit: usize,
    value_limit: Option<usize>,
}

/// The bytes one call may take to convert an engine's tables or arrays into script lists
/// when the host sets no limit ([`ContextBuilder::conversion_limit`]): 64 MiB.
pub const DEFAULT_CONVERSION_LIMIT: usize = 64 << 20;

impl Default for Context {
    fn default() -> Self {
        Context::new()
    }
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("states", &self.0.states.len())
            .field("collectors", &self.0.collectors)
            .finish()
    }
}

/// Builds a [`Context`] with states the host provides:
/// `Context::builder().state(GeoState::new(map)).build()`.
#[derive(Default)]
pub struct ContextBuilder {
    states: States,
    conversion_limit: Option<usize>,
    value_limit: Option<usize>,
}

impl std::fmt::Debug for ContextBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContextBuilder")
            .field("states", &self.states.len())
            .finish()
    }
}

impl ContextBuilder {
    /// Gives the context `state` (replacing one of the same type given before, and the
    /// module's registered default).
    pub fn state<T: Any + Send + Sync>(mut self, state: T) -> Self {
        self.states.insert(TypeId::of::<T>(), Arc::new(state));
        self
    }

    /// Bounds the bytes one native call on this context may take to convert an engine's
    /// tables or arrays (Lua, Rhai) into script lists: past it, the call is an error naming
    /// the argument, and nothing more is allocated. [`DEFAULT_CONVERSION_LIMIT`] when not
    /// set, unless a [value limit](Self::value_limit) is.
    pub fn conversion_limit(mut self, bytes: usize) -> Self {
        self.conversion_limit = Some(bytes);
        self
    }

    /// Bounds the bytes a script's own values may take in its host: in the goost host, the
    /// longest string `+` builds and the strings and lists held in variables together.
    /// It is also the [conversion limit](Self::conversion_limit) unless that is set apart.
    /// No bound when not set; a module's memory limit sets it (the memory module's
    /// `memory_limit`).
    pub fn value_limit(mut self, bytes: usize) -> Self {
        self.value_limit = Some(bytes);
        self
    }

    /// The context, holding the states given here and, for every other registered
    /// [`default_state!`](crate::default_state), a fresh default.
    pub fn build(self) -> Context {
        let mut states = self.states;
        for default in inventory::iter::<DefaultState> {
            let type_id = default.type_id();
            if !states.contains(type_id) {
                states.insert(type_id, default.make());
            }
        }
        /// The last context id given out.
        static LAST_ID: AtomicU64 = AtomicU64::new(0);
        Context(Arc::new(Inner {
            id: LAST_ID.fetch_add(1, Ordering::Relaxed) + 1,
            states,
            collectors: Collectors::new(),
            conversion_limit: self
                .conversion_limit
                .or(self.value_limit)
                .unwrap_or(DEFAULT_CONVERSION_LIMIT),
            value_limit: self.value_limit,
        }))
    }
}

impl Context {
    /// A context holding every registered module's default state.
    pub fn new() -> Context {
        ContextBuilder::default().build()
    }

    /// A builder, for a context with states the host provides.
    pub fn builder() -> ContextBuilder {
        ContextBuilder::default()
    }

    /// A number telling this context from every other context of the process, never
    /// reused (from 1): the objects it makes belong to it ([`ScriptObject::context`]).
    ///
    /// [`ScriptObject::context`]: crate::ScriptObject::context
    pub fn id(&self) -> u64 {
        self.0.id
    }

    /// The context's `T`, if it holds one.
    #[inline]
    pub fn state<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.0.states.get::<T>()
    }

    /// The context's `T`, shared, if it holds one (what a bound native keeps).
    pub fn state_shared<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        self.0.states.get_shared::<T>()
    }

    /// Gives the context `state`, returning the `T` it held before, shared (natives bound
    /// before keep using the old one: bind again after changing states). `Err(state)`,
    /// changing nothing, while the context has clones (the set of states is fixed once it
    /// is shared).
    pub fn insert_state<T: Any + Send + Sync>(&mut self, state: T) -> Result<Option<Arc<T>>, T> {
        let Some(inner) = Arc::get_mut(&mut self.0) else {
            return Err(state);
        };
        // Entries are keyed by their own type, so the old value is a `T`.
        let previous = inner.states.insert(TypeId::of::<T>(), Arc::new(state));
        Ok(previous.and_then(|previous| previous.downcast::<T>().ok()))
    }

    /// The bytes one native call may take to convert an engine's tables or arrays
    /// ([`ContextBuilder::conversion_limit`]).
    pub fn conversion_limit(&self) -> usize {
        self.0.conversion_limit
    }

    /// The bytes a script's own values may take in its host, if bounded
    /// ([`ContextBuilder::value_limit`]).
    pub fn value_limit(&self) -> Option<usize> {
        self.0.value_limit
    }

    /// Whether `self` and `other` are the same context (clones of one another).
    pub fn same_as(&self, other: &Context) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Registers `collector` to run in every GC cycle a module starts on this context
    /// (the memory module's `memory.gc.run()`, `freeOSMemory` and its pacer), e.g. the
    /// script engine's own GC.
    pub fn register_collector(&self, collector: impl Fn() + Send + Sync + 'static) -> CollectorId {
        self.0.collectors.register(collector)
    }

    /// Removes a collector of this context; `false` if it was not registered here.
    pub fn unregister_collector(&self, id: CollectorId) -> bool {
        self.0.collectors.unregister(id)
    }

    /// How many collectors this context holds (each engine installed on it adds one, and
    /// dropping the engine removes it).
    pub fn collector_count(&self) -> usize {
        self.0.collectors.len()
    }

    /// Runs this context's collectors (a module's GC cycle calls it), and says which
    /// panicked; a panic does not stop the others. No lock is held while they run.
    pub fn run_collectors(&self) -> Vec<CollectorPanic> {
        self.0.collectors.run_all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Scale(i64);

    #[test]
    fn context_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Context>();
    }

    #[test]
    fn a_state_is_found_by_its_type_and_replaced_whole() {
        let mut ctx = Context::builder().state(Scale(2)).state("label").build();
        assert_eq!(ctx.state::<Scale>(), Some(&Scale(2)));
        assert_eq!(ctx.state::<&str>(), Some(&"label"));
        assert_eq!(ctx.state::<u8>(), None);
        assert_eq!(
            ctx.insert_state(Scale(3)).unwrap().as_deref(),
            Some(&Scale(2))
        );
        assert_eq!(ctx.state::<Scale>(), Some(&Scale(3)));
        assert_eq!(ctx.insert_state(7u8).unwrap(), None);
        assert_eq!(ctx.state::<u8>(), Some(&7));
    }

    #[test]
    fn a_shared_context_keeps_its_states_fixed() {
        let mut ctx = Context::builder().state(Scale(2)).build();
        let clone = ctx.clone();
        assert!(clone.same_as(&ctx));
        assert_eq!(ctx.insert_state(Scale(9)), Err(Scale(9)));
        drop(clone);
        assert!(ctx.insert_state(Scale(9)).is_ok());
    }

    #[test]
    fn a_value_limit_is_the_conversion_limit_unless_one_is_set_apart() {
        assert_eq!(Context::new().value_limit(), None);
        assert_eq!(Context::new().conversion_limit(), DEFAULT_CONVERSION_LIMIT);
        let limited = Context::builder().value_limit(4096).build();
        assert_eq!(limited.value_limit(), Some(4096));
        assert_eq!(limited.conversion_limit(), 4096);
        let apart = Context::builder()
            .value_limit(4096)
            .conversion_limit(1 << 20)
            .build();
        assert_eq!(apart.value_limit(), Some(4096));
        assert_eq!(apart.conversion_limit(), 1 << 20);
    }
}
