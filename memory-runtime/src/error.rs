//! `Error`: every failure a native or its glue reports, naming the function and the value.

use std::fmt;

use crate::handle::HandleKind;
use crate::{FnSpec, ScriptType, Value};

/// What went wrong, without saying where. [`Error`] adds the function.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The call had the wrong number of arguments.
    #[error("expects {expected} argument{}, got {got}", if *.expected == 1 { "" } else { "s" })]
    Arity { expected: usize, got: usize },
    /// An argument had the wrong script type. `position` counts from 1.
    #[error("argument {position} ({name}) expects {expected}, got {got}")]
    ArgumentType {
        position: usize,
        name: &'static str,
        expected: ScriptType,
        got: ScriptType,
    },
    /// Zero or negative: never a handle.
    #[error("handle {handle} is not a {kind} handle: handles are positive integers")]
    NotAHandle { handle: i64, kind: HandleKind },
    /// A positive integer this context never issued.
    #[error("handle {handle} is not a {kind} handle: this context never issued it")]
    UnknownHandle { handle: i64, kind: HandleKind },
    /// A handle whose object was freed (its slot may hold a newer object by now).
    #[error("handle {handle} was freed")]
    FreedHandle { handle: i64 },
    /// A live handle of the other kind.
    #[error("handle {handle} is a {actual} handle, not a {expected} handle")]
    WrongKind {
        handle: i64,
        expected: HandleKind,
        actual: HandleKind,
    },
    /// The context's memory limit would be passed.
    #[error(
        "{requested} more bytes would pass the memory limit ({in_use} of {limit} bytes in use)"
    )]
    MemoryLimit {
        requested: usize,
        in_use: usize,
        limit: usize,
    },
    /// The allocator refused.
    #[error("the allocator could not provide {requested} bytes")]
    OutOfMemory { requested: usize },
    /// Every handle slot of the context is in use or retired.
    #[error("the context has no handle left to issue ({live} live)")]
    HandlesExhausted { live: usize },
    /// A failure described by a host's own native.
    #[error("{0}")]
    Other(String),
}

/// A native's failure: the [`ErrorKind`] and the function it happened in.
///
/// Shown as `FUNCTION: what`; argument errors show the whole signature, as in
/// `memory.buffer.write(id: int, data: string) -> bool: argument 2 (data) expects string, got int`.
///
/// One pointer wide (the details are boxed), so a native's `Result<Value, Error>` stays
/// small on the success path; the box is only allocated when something fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(Box<Details>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Details {
    origin: Option<&'static str>,
    kind: ErrorKind,
}

impl std::error::Error for Error {}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.origin {
            Some(origin) => write!(f, "{origin}: {}", self.0.kind),
            None => write!(f, "{}", self.0.kind),
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(Details { origin: None, kind }))
    }
}

impl Error {
    /// An error with a host's own text; the glue adds the function's name.
    pub fn msg(text: impl Into<String>) -> Error {
        ErrorKind::Other(text.into()).into()
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The function name or signature the error is reported under, once known.
    pub fn origin(&self) -> Option<&'static str> {
        self.0.origin
    }

    /// Attributes the error to `spec`'s function, unless it already names one.
    #[cold]
    pub fn in_native(mut self, spec: &'static FnSpec) -> Error {
        self.0.origin.get_or_insert(spec.name);
        self
    }

    /// Wrong argument count for `spec` (reported under its signature).
    #[cold]
    pub fn arity(spec: &'static FnSpec, got: usize) -> Error {
        Error(Box::new(Details {
            origin: Some(spec.signature),
            kind: ErrorKind::Arity {
                expected: spec.params.len(),
                got,
            },
        }))
    }

    /// Argument `index` (from 0) of `spec` has the wrong type (reported under its signature).
    #[cold]
    pub fn argument_type(spec: &'static FnSpec, index: usize, got: &Value) -> Error {
        let param = &spec.params[index];
        Error(Box::new(Details {
            origin: Some(spec.signature),
            kind: ErrorKind::ArgumentType {
                position: index + 1,
                name: param.name,
                expected: param.ty,
                got: got.script_type(),
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_is_one_pointer_so_results_stay_small() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
        assert!(std::mem::size_of::<Result<Value, Error>>() <= 24);
    }
}
