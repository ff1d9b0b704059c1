//! `Context`: everything one script (or tenant) owns: its buffers, pools and memory limit.

use crate::budget::Budget;
use crate::buffer::Buffer;
use crate::gc::{CollectorId, Collectors};
use crate::handle::{HandleKind, SlotTable, StaleHandle};
use crate::pool::Pool;
use crate::{Error, ErrorKind};

/// What a handle names.
///
/// The pool is boxed: it is larger than a buffer, and every slot is as large as the
/// largest variant (a slot for a buffer stays near 40 bytes).
pub(crate) enum Object {
    Buffer(Buffer),
    Pool(Box<Pool>),
}

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

/// The state of one script: its objects and its memory budget. Make one per script or
/// tenant; natives receive it as `&Context`.
///
/// Handles are numbers of this context alone: a context resolves a handle only to its
/// own objects, so no integer lets one script reach another's buffers.
///
/// `Context` is `Send + Sync`. Natives may run on one context from several threads at
/// once: a handle finds its slot without a lock, and each slot has its own lock, held
/// for the whole operation, so one `write` to a buffer is never interleaved with another
/// and operations on different objects never wait for each other.
pub struct Context {
    objects: SlotTable<Object>,
    budget: Budget,
    collectors: Collectors,
}

impl Default for Context {
    fn default() -> Self {
        Context::new()
    }
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("live_objects", &self.objects.len())
            .field("budget", &self.budget)
            .finish()
    }
}

/// Builds a [`Context`] with settings: `Context::builder().memory_limit(1 << 20).build()`.
#[derive(Debug, Default, Clone)]
pub struct ContextBuilder {
    memory_limit: Option<usize>,
}

impl ContextBuilder {
    /// Caps the bytes the context's buffers (by capacity) and pools may hold.
    pub fn memory_limit(mut self, bytes: usize) -> Self {
        self.memory_limit = Some(bytes);
        self
    }

    /// The context.
    pub fn build(self) -> Context {
        Context {
            objects: SlotTable::default(),
            budget: Budget::new(self.memory_limit),
            collectors: Collectors::new(),
        }
    }
}

#[cold]
#[inline(never)]
fn stale_error(handle: i64, kind: HandleKind, why: StaleHandle) -> Error {
    match why {
        StaleHandle::NotAHandle => ErrorKind::NotAHandle { handle, kind },
        StaleHandle::NeverIssued => ErrorKind::UnknownHandle { handle, kind },
        StaleHandle::Freed => ErrorKind::FreedHandle { handle },
    }
    .into()
}

#[cold]
#[inline(never)]
fn wrong_kind(handle: i64, expected: HandleKind, actual: HandleKind) -> Error {
    ErrorKind::WrongKind {
        handle,
        expected,
        actual,
    }
    .into()
}

impl Context {
    /// A context with no memory limit.
    pub fn new() -> Context {
        ContextBuilder::default().build()
    }

    /// A builder for a context with settings.
    pub fn builder() -> ContextBuilder {
        ContextBuilder::default()
    }

    /// The memory limit in bytes, if any.
    pub fn memory_limit(&self) -> Option<usize> {
        self.budget.limit()
    }

    /// Bytes held by this context's buffers (their capacity) and pools (each string's
    /// length plus [`pool::ENTRY_OVERHEAD`](crate::pool::ENTRY_OVERHEAD)): what the limit
    /// is checked against.
    pub fn memory_in_use(&self) -> usize {
        self.budget.used()
    }

    /// Number of live buffers and pools.
    pub fn live_objects(&self) -> usize {
        self.objects.len()
    }

    /// Registers `collector` to run in every GC cycle started on this context (by
    /// `memory.gc.run()`, `freeOSMemory` or the pacer), e.g. the script engine's own GC.
    pub fn register_collector(&self, collector: impl Fn() + Send + Sync + 'static) -> CollectorId {
        self.collectors.register(collector)
    }

    /// Removes a collector of this context; `false` if it was not registered here.
    pub fn unregister_collector(&self, id: CollectorId) -> bool {
        self.collectors.unregister(id)
    }

    pub(crate) fn collectors(&self) -> &Collectors {
        &self.collectors
    }

    pub(crate) fn budget(&self) -> &Budget {
        &self.budget
    }

    pub(crate) fn insert(&self, object: Object) -> Result<i64, Error> {
        self.objects.insert(object).map_err(|_| {
            ErrorKind::HandlesExhausted {
                live: self.objects.len(),
            }
            .into()
        })
    }

    /// Runs `f` on the `T` (a [`Buffer`] or a [`Pool`]) behind `handle`, holding its
    /// slot's lock. A stale handle or one of the other kind is an error naming it.
    ///
    /// Tries without waiting first ([`Context::try_with`]), inline; a slot another thread
    /// holds or a bad handle goes to [`Context::with_waiting`], out of line. (`f` is
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

    /// [`Context::with`] the full way: waits for the slot's lock, and names what is wrong
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

    /// [`Context::with`] when that needs no waiting and raises no error (see
    /// [`SlotTable::try_with`]); `None`, with `f` not run, otherwise. A native with a
    /// fast path of its own (one that does only part of the work) calls it, and on `None`
    /// goes the full way through [`Context::with_waiting`].
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
    fn context_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Context>();
    }
}
