//! `MemoryState`: what the memory module keeps for one context: its buffers, pools and
//! memory limit. It is the module's state in the binding layer's sense: the context holds
//! one (a default one unless the host gives its own), and the natives take it as
//! `&MemoryState`, filled by their glue.

use goost_bind::{Context, ContextBuilder, Error};

use crate::budget::Budget;
use crate::buffer::Buffer;
use crate::error::MemoryError;
use crate::gc::Pacer;
use crate::handle::{HandleKind, InsertRefused, SlotTable, StaleHandle};
use crate::pool::Pool;

/// What a handle names.
///
/// The pool is boxed: it is larger than a buffer, and every slot is as large as the
/// largest variant, so an object stays within four words (asserted below).
pub(crate) enum Object {
    Buffer(Buffer),
    Pool(Box<Pool>),
}

const _: () = assert!(size_of::<Object>() <= 4 * size_of::<usize>());

impl Object {
    fn kind(&self) -> HandleKind {
        match self {
            Object::Buffer(_) => HandleKind::Buffer,
            Object::Pool(_) => HandleKind::Pool,
        }
    }

    /// Bytes charged to the context for this object.
    fn held(&self) -> usize {
        match self {
            Object::Buffer(buffer) => buffer.held(),
            Object::Pool(pool) => pool.held(),
        }
    }
}

/// What a handle of one kind names inside an [`Object`]: a [`Buffer`] or a [`Pool`].
pub(crate) trait ObjectKind {
    /// The handle kind, for errors.
    const KIND: HandleKind;
    /// `object` as this kind, or `None` if it is of the other kind.
    fn of(object: &mut Object) -> Option<&mut Self>;
}

impl ObjectKind for Buffer {
    const KIND: HandleKind = HandleKind::Buffer;
    #[inline]
    fn of(object: &mut Object) -> Option<&mut Buffer> {
        match object {
            Object::Buffer(buffer) => Some(buffer),
            Object::Pool(_) => None,
        }
    }
}

impl ObjectKind for Pool {
    const KIND: HandleKind = HandleKind::Pool;
    #[inline]
    fn of(object: &mut Object) -> Option<&mut Pool> {
        match object {
            Object::Pool(pool) => Some(pool),
            Object::Buffer(_) => None,
        }
    }
}

/// The memory module's state in one context: its objects and its memory budget.
///
/// Handles are numbers of this state alone: a context resolves a handle only to its
/// own objects, so no integer lets one script reach another's buffers.
///
/// Natives may run on one context from several threads at once: a handle finds its slot
/// without a lock, and each slot has its own lock, held for the whole operation, so one
/// `write` to a buffer is never interleaved with another and operations on different
/// objects never wait for each other.
pub struct MemoryState {
    objects: SlotTable<Object>,
    budget: Budget,
    pacer: Pacer,
    process_wide: bool,
}

goost_bind::default_state!(MemoryState);

impl Default for MemoryState {
    fn default() -> Self {
        MemoryState::with_limit(None)
    }
}

impl std::fmt::Debug for MemoryState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryState")
            .field("live_objects", &self.objects.len())
            .field("budget", &self.budget)
            .field("pacer", &self.pacer)
            .field("process_wide", &self.process_wide)
            .finish()
    }
}

/// The memory module's figures of a [`Context`], and its state.
pub trait MemoryContext {
    /// The memory module's state in this context: every context made while this crate is
    /// linked holds one (a default one unless the host gave its own).
    fn memory(&self) -> Option<&MemoryState>;

    /// The memory limit in bytes, if any.
    fn memory_limit(&self) -> Option<usize> {
        self.memory().and_then(MemoryState::memory_limit)
    }

    /// Bytes held by the context's buffers and pools (see [`MemoryState::memory_in_use`]).
    fn memory_in_use(&self) -> usize {
        self.memory().map_or(0, MemoryState::memory_in_use)
    }

    /// Number of live buffers and pools.
    fn live_objects(&self) -> usize {
        self.memory().map_or(0, MemoryState::live_objects)
    }
}

impl MemoryContext for Context {
    #[inline]
    fn memory(&self) -> Option<&MemoryState> {
        self.state::<MemoryState>()
    }
}

/// A memory limit on a context being built: `Context::builder().memory_limit(1 << 20)`.
pub trait MemoryLimit {
    /// Caps the bytes the context's buffers (by capacity) and pools may hold, and the
    /// bytes a script's own values may take in its host and one call may take to convert
    /// an engine's tables or arrays ([`ContextBuilder::value_limit`]).
    fn memory_limit(self, bytes: usize) -> Self;
}

impl MemoryLimit for ContextBuilder {
    fn memory_limit(self, bytes: usize) -> ContextBuilder {
        self.state(MemoryState::with_limit(Some(bytes)))
            .value_limit(bytes)
    }
}

/// Drops a freed pool (its strings and table).
#[inline(never)]
fn drop_pool(pool: Box<Pool>) {
    drop(pool);
}

#[cold]
#[inline(never)]
fn stale_error(handle: i64, kind: HandleKind, why: StaleHandle) -> Error {
    match why {
        StaleHandle::NotAHandle => MemoryError::NotAHandle { handle, kind },
        StaleHandle::NeverIssued => MemoryError::UnknownHandle { handle, kind },
        StaleHandle::Freed => MemoryError::FreedHandle { handle },
        StaleHandle::HeldAcrossFork => MemoryError::HeldAcrossFork { handle },
    }
    .into()
}

#[cold]
#[inline(never)]
fn wrong_kind(handle: i64, expected: HandleKind, actual: HandleKind) -> Error {
    MemoryError::WrongKind {
        handle,
        expected,
        actual,
    }
    .into()
}

impl MemoryState {
    /// An empty state whose buffers and pools may hold `limit` bytes (`None`: no limit).
    /// Its GC percentage starts at the process's default ([`gc::set_percent`](crate::gc::set_percent)), and it
    /// may run process-wide operations.
    pub fn with_limit(limit: Option<usize>) -> MemoryState {
        MemoryState {
            objects: SlotTable::default(),
            budget: Budget::new(limit),
            pacer: Pacer::default(),
            process_wide: true,
        }
    }

    /// This state, refused the operations that act on the whole process: its GC cycles
    /// skip the process collectors ([`gc::register_collector`](crate::gc::register_collector)), and
    /// `memory.gc.freeOSMemory` (which trims the process's allocator) is an error that
    /// changes nothing. For a host whose tenants must not affect one another.
    pub fn without_process_wide(mut self) -> MemoryState {
        self.process_wide = false;
        self
    }

    /// Whether this context may run process-wide operations.
    pub fn allows_process_wide(&self) -> bool {
        self.process_wide
    }

    /// This context's GC percentage (`debug.SetGCPercent`'s meaning).
    pub fn gc_percent(&self) -> i64 {
        self.pacer.percent()
    }

    /// Sets this context's GC percentage and returns the previous one; other contexts
    /// keep theirs. A negative value turns this context's automatic cycles off.
    pub fn set_gc_percent(&self, percent: i64) -> i64 {
        self.pacer.set_percent(percent, self.memory_in_use())
    }

    /// The bytes held at which this context's next automatic GC cycle starts
    /// (`u64::MAX`: never).
    pub fn gc_goal(&self) -> u64 {
        self.pacer.goal()
    }

    pub(crate) fn pacer(&self) -> &Pacer {
        &self.pacer
    }

    /// The memory limit in bytes, if any.
    pub fn memory_limit(&self) -> Option<usize> {
        self.budget.limit()
    }

    /// Bytes held by this context's buffers, pools and handle table, as the heap really
    /// holds them ([`footprint`](crate::footprint) says what each part costs): what the
    /// limit is checked against.
    pub fn memory_in_use(&self) -> usize {
        self.budget.used()
    }

    /// Number of live buffers and pools.
    pub fn live_objects(&self) -> usize {
        self.objects.len()
    }

    pub(crate) fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Stores `object` and returns its handle, charging what it holds and, when the
    /// handle table must grow for it, the table's new block, as one charge. Past the
    /// limit, or with every handle in use, nothing is stored or charged.
    #[inline]
    pub(crate) fn insert(&self, object: Object) -> Result<i64, Error> {
        let held = object.held();
        self.objects
            .insert(object, |growth| match held + growth {
                0 => Ok(()),
                bytes => self.budget.try_charge(bytes),
            })
            .map_err(|refused| match refused {
                InsertRefused::Unpaid(limit) => limit.into(),
                InsertRefused::HeldAcrossFork => MemoryError::TableHeldAcrossFork.into(),
                InsertRefused::Full => MemoryError::HandlesExhausted {
                    live: self.objects.len(),
                }
                .into(),
            })
    }

    /// Runs `f` on the `T` (a [`Buffer`] or a [`Pool`]) behind `handle`, holding its
    /// slot's lock. A stale handle or one of the other kind is an error naming it.
    ///
    /// Tries without waiting first ([`MemoryState::try_with`]), inline; a slot another thread
    /// holds or a bad handle goes to [`MemoryState::with_waiting`], out of line. (`f` is
    /// `Copy`, as a closure over references is, so the second way can run it.)
    #[inline]
    pub(crate) fn with<T: ObjectKind, R>(
        &self,
        handle: i64,
        f: impl FnOnce(&mut T) -> R + Copy,
    ) -> Result<R, Error> {
        match self.try_with(handle, f) {
            Some(result) => Ok(result),
            None => self.with_waiting(handle, f),
        }
    }

    /// [`MemoryState::with`] the full way: waits for the slot's lock, and names what is wrong
    /// with the handle. Natives whose own fast path just failed call it directly.
    #[inline(never)]
    pub(crate) fn with_waiting<T: ObjectKind, R>(
        &self,
        handle: i64,
        f: impl FnOnce(&mut T) -> R,
    ) -> Result<R, Error> {
        self.objects
            .with(handle, |object| {
                let actual = object.kind();
                T::of(object)
                    .map(f)
                    .ok_or_else(|| wrong_kind(handle, T::KIND, actual))
            })
            .map_err(|why| stale_error(handle, T::KIND, why))?
    }

    /// [`MemoryState::with`] when that needs no waiting and raises no error (see
    /// [`SlotTable::try_with`]); `None`, with `f` not run, otherwise. A native with a
    /// fast path of its own (one that does only part of the work) calls it, and on `None`
    /// goes the full way through [`MemoryState::with_waiting`].
    #[inline]
    pub(crate) fn try_with<T: ObjectKind, R>(
        &self,
        handle: i64,
        f: impl FnOnce(&mut T) -> R,
    ) -> Option<R> {
        self.objects
            .try_with(handle, |object| T::of(object).map(f))
            .flatten()
    }

    /// Frees the object behind `handle` if it is of `kind`, giving its bytes back to the
    /// budget; anything else is an error and changes nothing. The object is dropped after
    /// its slot's lock is released.
    pub(crate) fn free(&self, handle: i64, kind: HandleKind) -> Result<(), Error> {
        let object = self
            .objects
            .remove_if(handle, |object| match object.kind() {
                actual if actual == kind => Ok(()),
                actual => Err(wrong_kind(handle, kind, actual)),
            })
            .map_err(|why| stale_error(handle, kind, why))??;
        let held = object.held();
        if held > 0 {
            self.budget.release(held);
        }
        // A buffer's drop is one check and maybe a free, kept inline; a pool's walks its
        // table, out of line.
        match object {
            Object::Buffer(buffer) => drop(buffer),
            Object::Pool(pool) => drop_pool(pool),
        }
        Ok(())
    }

    /// Gives back spare memory of the handle table (part of a GC cycle).
    pub(crate) fn shrink(&self) {
        self.objects.shrink();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_state_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<MemoryState>();
    }

    #[test]
    fn every_new_context_holds_a_memory_state_and_a_limit_replaces_it() {
        assert_eq!(Context::new().memory_limit(), None);
        assert_eq!(Context::new().live_objects(), 0);
        let limited = Context::builder().memory_limit(4096).build();
        assert_eq!(limited.memory_limit(), Some(4096));
    }
}
