//! Module state: typed values a host gives each [`Context`](crate::Context), which
//! natives take as `&T` parameters that the glue fills.
//!
//! A module whose state can start empty registers a default with [`default_state!`](crate::default_state)
//! (the memory module does, for its buffers and pools): every context made afterwards
//! holds one unless the host gave its own. A state with no default (a database handle,
//! say) must be provided by the host; a native that takes it on a context without one
//! fails with [`ErrorKind::MissingState`](crate::ErrorKind), naming the native and the type.

use std::any::{Any, TypeId};
use std::sync::Arc;

/// A state value, type-erased. Shared, so that a native bound to a context
/// ([`Native::bind`](crate::Native::bind)) holds its states without a lookup per call.
pub(crate) type AnyState = Arc<dyn Any + Send + Sync>;

/// A module's default state, registered with [`default_state!`](crate::default_state) and made for each new
/// context that the host did not give one of its own.
pub struct DefaultState {
    type_id: fn() -> TypeId,
    make: fn() -> AnyState,
}

impl DefaultState {
    /// The registration for `T`, made with `T::default()`. Use [`default_state!`](crate::default_state).
    #[doc(hidden)]
    pub const fn of<T: Default + Any + Send + Sync>() -> DefaultState {
        DefaultState {
            type_id: TypeId::of::<T>,
            make: make_default::<T>,
        }
    }

    pub(crate) fn type_id(&self) -> TypeId {
        (self.type_id)()
    }

    pub(crate) fn make(&self) -> AnyState {
        (self.make)()
    }
}

fn make_default<T: Default + Any + Send + Sync>() -> AnyState {
    Arc::new(T::default())
}

inventory::collect!(DefaultState);

/// Registers `T::default()` as the state every new context holds unless its host gives
/// another `T`: `goost_bind::default_state!(GeoState);` next to the module's natives.
#[macro_export]
macro_rules! default_state {
    ($state:ty) => {
        $crate::__private::inventory::submit! {
            $crate::DefaultState::of::<$state>()
        }
    };
}

/// The states of one context: at most one value per type, found by type.
///
/// Lookup walks the entries (a context holds one per module, a handful) and stops at the
/// first of the asked type: one type check per entry passed (a call through the entry's
/// vtable), with no lock, since the set is fixed once the context is shared (changing it
/// needs `&mut Context`). Hosts pay it once per native and context, not per call, by
/// binding ([`Native::bind`](crate::Native::bind)).
#[derive(Default)]
pub(crate) struct States(Vec<(TypeId, AnyState)>);

impl States {
    /// The `T`, if the context holds one.
    #[inline]
    pub(crate) fn get<T: Any>(&self) -> Option<&T> {
        self.0
            .iter()
            .find_map(|(_, state)| state.downcast_ref::<T>())
    }

    /// The `T`, shared, if the context holds one.
    pub(crate) fn get_shared<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        let state = self.0.iter().find(|(_, state)| state.is::<T>())?;
        Arc::clone(&state.1).downcast::<T>().ok()
    }

    /// Adds `state` (of type `type_id`), giving back the one it replaced.
    pub(crate) fn insert(&mut self, type_id: TypeId, state: AnyState) -> Option<AnyState> {
        match self.0.iter_mut().find(|(id, _)| *id == type_id) {
            Some((_, slot)) => Some(std::mem::replace(slot, state)),
            None => {
                self.0.push((type_id, state));
                None
            }
        }
    }

    /// Whether a state of type `type_id` is held.
    pub(crate) fn contains(&self, type_id: TypeId) -> bool {
        self.0.iter().any(|(id, _)| *id == type_id)
    }

    /// How many states are held.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}
