//! `MemoryError`: the memory module's own failures (handles, the memory limit, the
//! allocator). A native's error carries it whole inside a [`goost_bind::Error`], so a
//! host matches on it with `error.downcast_ref::<MemoryError>()`.

use crate::handle::HandleKind;

/// What went wrong in a memory native; the binding layer's [`Error`](goost_bind::Error)
/// adds the function's name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MemoryError {
    /// Zero or negative: never a handle.
    #[error("handle {handle} is not a {kind} handle: handles are positive integers")]
    NotAHandle {
        /// The value passed.
        handle: i64,
        /// The kind the native takes.
        kind: HandleKind,
    },
    /// A positive integer this context never issued.
    #[error("handle {handle} is not a {kind} handle: this context never issued it")]
    UnknownHandle {
        /// The value passed.
        handle: i64,
        /// The kind the native takes.
        kind: HandleKind,
    },
    /// A handle whose object was freed (its slot may hold a newer object by now).
    #[error("handle {handle} was freed")]
    FreedHandle {
        /// The value passed.
        handle: i64,
    },
    /// A live handle of the other kind.
    #[error("handle {handle} is a {actual} handle, not a {expected} handle")]
    WrongKind {
        /// The value passed.
        handle: i64,
        /// The kind the native takes.
        expected: HandleKind,
        /// The kind of the object it names.
        actual: HandleKind,
    },
    /// The context's memory limit would be passed.
    #[error(
        "{requested} more bytes would pass the memory limit ({in_use} of {limit} bytes in use)"
    )]
    MemoryLimit {
        /// Bytes the operation needed.
        requested: usize,
        /// Bytes charged when it asked.
        in_use: usize,
        /// The context's limit.
        limit: usize,
    },
    /// The allocator refused.
    #[error("the allocator could not provide {requested} bytes")]
    OutOfMemory {
        /// Bytes asked of the allocator.
        requested: usize,
    },
    /// A GC cycle ran, but a collector panicked in it (the other collectors ran, and the
    /// cycle was counted).
    #[error(
        "collector {collector} panicked: {message} (the cycle completed{})",
        if *others == 0 { String::new() } else { format!("; {others} more collectors panicked") }
    )]
    CollectorPanicked {
        /// The collector's number (`CollectorId::number`).
        collector: u64,
        /// Its panic's message.
        message: String,
        /// How many other collectors panicked in the same cycle.
        others: usize,
    },
    /// The handle's object was in use by a thread when this process was forked, and that
    /// thread does not exist in this process: the object can never be reached here.
    #[error(
        "handle {handle}'s object was in use by another thread when this process was forked, and that thread is not in this process: the object cannot be reached here"
    )]
    HeldAcrossFork {
        /// The value passed.
        handle: i64,
    },
    /// The context's handle table was being grown by a thread when this process was
    /// forked, and that thread does not exist in this process: no object can be added.
    #[error(
        "the context's handle table was being grown by another thread when this process was forked, and that thread is not in this process: no object can be added here"
    )]
    TableHeldAcrossFork,
    /// The host refused this context the operations that act on the whole process.
    #[error(
        "this context may not {operation}: its host refused it the operations that act on the whole process (MemoryState::without_process_wide)"
    )]
    ProcessWideRefused {
        /// What the native would have done.
        operation: &'static str,
    },
    /// Every handle slot of the context is in use or retired.
    #[error("the context has no handle left to issue ({live} live)")]
    HandlesExhausted {
        /// Objects live in the context.
        live: usize,
    },
}

impl From<MemoryError> for goost_bind::Error {
    #[cold]
    fn from(error: MemoryError) -> goost_bind::Error {
        goost_bind::Error::module(error)
    }
}
