//! `Error`: every failure a native or its glue reports, naming the function and the value.

use std::any::{Any, TypeId};
use std::fmt;
use std::sync::Arc;

use crate::{FnSpec, Inside, Mismatch, ScriptType};

/// What went wrong, without saying where. [`Error`] adds the function.
///
/// The binding layer's own failures (arguments, state, panics) are variants here; a
/// module's own failures travel as [`ErrorKind::Module`], its error value kept whole so
/// a host can match on it with [`Error::downcast_ref`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The call had the wrong number of arguments.
    #[error("{}", goost_spec::check::arity_message(*.min, *.expected, *.got))]
    Arity {
        /// Arguments the signature requires (the rest are optional).
        min: usize,
        /// Arguments the signature takes.
        expected: usize,
        /// Arguments the call passed.
        got: usize,
    },
    /// An argument had the wrong script type. `position` counts from 1.
    #[error("{}", argument_type_message(*.position, .name, *.expected, .got))]
    ArgumentType {
        /// 1-based position of the argument.
        position: usize,
        /// The parameter's name in the spec.
        name: &'static str,
        /// The script type the parameter takes.
        expected: ScriptType,
        /// What the call passed instead.
        got: Mismatch,
    },
    /// A method was called on something that is not an object of its class (in Lua,
    /// `p.push(..)` where `p:push(..)` was meant).
    #[error("is a method of {class} objects, called on {got}")]
    Receiver {
        /// The method's class.
        class: &'static str,
        /// What it was called on.
        got: Mismatch,
    },
    /// An object of another context reached a native: it is the object a method was
    /// called on (`argument` is `None`), or it is or is in argument `argument`
    /// (`(position from 1, name)`). An object belongs to the context whose native made it.
    #[error("{}", foreign_object_message(*.argument, .class))]
    ForeignObject {
        /// The argument holding it; `None` for the object of a method call.
        argument: Option<(usize, &'static str)>,
        /// The object's class.
        class: &'static str,
    },
    /// An argument (a table or array) would take more than the context's conversion limit
    /// to convert. `position` counts from 1.
    #[error(
        "argument {position} ({name}) would take more than {limit} bytes to convert (the context's conversion limit)"
    )]
    ArgumentTooLarge {
        /// 1-based position of the argument.
        position: usize,
        /// The parameter's name in the spec.
        name: &'static str,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The native takes a module state that the host did not give this context.
    #[error(
        "this context has no `{type_name}`; the host provides it with `Context::builder().state(..)` or `Context::insert_state`"
    )]
    MissingState {
        /// The Rust type of the state, as `std::any::type_name` spells it.
        type_name: &'static str,
    },
    /// The native panicked; the panic did not leave the call.
    #[error("panicked: {message}")]
    Panicked {
        /// The panic's message (`Box<dyn Any>` payloads that are not text say so).
        message: String,
    },
    /// A module's own error, kept whole (see [`Error::downcast_ref`]).
    #[error("{0}")]
    Module(ModuleError),
    /// A failure described by a native's own text.
    #[error("{0}")]
    Other(String),
}

/// A module's own error value inside an [`Error`]: any `std::error::Error`, shared so that
/// an `Error` stays cheap to clone. Two are equal when they are of the same type and
/// read the same.
#[derive(Clone)]
pub struct ModuleError {
    type_id: TypeId,
    error: Arc<dyn std::error::Error + Send + Sync + 'static>,
}

impl ModuleError {
    /// The error value, if it is an `E`.
    pub fn downcast_ref<E: std::error::Error + 'static>(&self) -> Option<&E> {
        self.error.downcast_ref::<E>()
    }
}

impl PartialEq for ModuleError {
    fn eq(&self, other: &ModuleError) -> bool {
        self.type_id == other.type_id
            && (Arc::ptr_eq(&self.error, &other.error)
                || self.error.to_string() == other.error.to_string())
    }
}

impl Eq for ModuleError {}

impl fmt::Debug for ModuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.error, f)
    }
}

impl fmt::Display for ModuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

/// A native's failure: the [`ErrorKind`] and the function it happened in.
///
/// Shown as `FUNCTION: what`; argument errors show the whole signature, as in
/// `memory.buffer.write(id: int, data: string) -> bool: argument 2 (data) expects string, got int`,
/// and a panic reads `geo.point.dist2 panicked: attempt to multiply with overflow`.
///
/// One pointer wide (the details are behind a shared pointer), so a native's
/// `Result<Value, Error>` stays small on the success path; the details are only allocated
/// when something fails. Shared rather than boxed so that dropping a result is a count
/// decrement inline, with the freeing out of line: hosts drop a result after every call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(Arc<Details>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Details {
    origin: Option<&'static str>,
    kind: ErrorKind,
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.kind {
            ErrorKind::Module(module) => Some(&*module.error),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0.origin, &self.0.kind) {
            (Some(origin), ErrorKind::Panicked { message }) => {
                write!(f, "{origin} panicked: {message}")
            }
            (Some(origin), kind) => write!(f, "{origin}: {kind}"),
            (None, kind) => write!(f, "{kind}"),
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error(Arc::new(Details { origin: None, kind }))
    }
}

/// A native may fail with a plain message: `Err(format!("width {w} is negative"))` in a
/// native returning `Result<T, String>` (or `?` on one) is [`Error::msg`] of it.
impl From<String> for Error {
    fn from(text: String) -> Self {
        Error::msg(text)
    }
}

/// The text of [`ErrorKind::ArgumentType`]: the checker's wording
/// (`argument 2 (data) expects string, got int`), or, for a record's field, the field's
/// (`argument 1 (a) field x expects float, got string`).
fn argument_type_message(
    position: usize,
    name: &str,
    expected: ScriptType,
    got: &Mismatch,
) -> String {
    if let Mismatch::Inside(inside) = got {
        let Inside {
            path,
            expected,
            got,
        } = &**inside;
        return goost_spec::check::path_message(position, name, path, *expected, got);
    }
    goost_spec::check::argument_message(position, name, expected, got)
}

/// The words of [`ErrorKind::ForeignObject`].
fn foreign_object_message(argument: Option<(usize, &str)>, class: &str) -> String {
    match argument {
        None => format!("is called on a {class} object of another context"),
        Some((position, name)) => {
            format!("argument {position} ({name}) holds a {class} object of another context")
        }
    }
}

/// As `From<String>`: `Err("no such name")`.
impl From<&str> for Error {
    fn from(text: &str) -> Self {
        Error::msg(text)
    }
}

impl Error {
    /// An error with a native's own text; the glue adds the function's name.
    pub fn msg(text: impl Into<String>) -> Error {
        ErrorKind::Other(text.into()).into()
    }

    /// A module's own error value, kept whole: a host gets it back with
    /// [`Error::downcast_ref`]. A module makes its error type convert with
    /// `impl From<MyError> for Error { fn from(e: MyError) -> Error { Error::module(e) } }`,
    /// so that `?` works in its natives.
    pub fn module<E: std::error::Error + Send + Sync + 'static>(error: E) -> Error {
        ErrorKind::Module(ModuleError {
            type_id: TypeId::of::<E>(),
            error: Arc::new(error),
        })
        .into()
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The module's own error value, if this error carries an `E` (see [`Error::module`]).
    pub fn downcast_ref<E: std::error::Error + 'static>(&self) -> Option<&E> {
        match &self.0.kind {
            ErrorKind::Module(module) => module.downcast_ref(),
            _ => None,
        }
    }

    /// The function name or signature the error is reported under, once known.
    pub fn origin(&self) -> Option<&'static str> {
        self.0.origin
    }

    /// Attributes the error to `spec`'s function, unless it already names one.
    #[cold]
    pub fn in_native(mut self, spec: &'static FnSpec) -> Error {
        if self.0.origin.is_none() {
            Arc::make_mut(&mut self.0).origin = Some(spec.name);
        }
        self
    }

    /// An error of a call of `spec`'s native, reported under its signature (the call's
    /// arguments were wrong, so the caller is shown what it takes).
    fn under_signature(spec: &'static FnSpec, kind: ErrorKind) -> Error {
        Error(Arc::new(Details {
            origin: Some(spec.signature),
            kind,
        }))
    }

    /// Wrong argument count for `spec` (reported under its signature).
    #[cold]
    pub fn arity(spec: &'static FnSpec, got: usize) -> Error {
        Error::under_signature(
            spec,
            ErrorKind::Arity {
                min: spec.required_params(),
                expected: spec.params.len(),
                got,
            },
        )
    }

    /// The method `spec` was called on something that is not an object of its class
    /// (reported under its signature).
    #[cold]
    pub fn receiver(spec: &'static FnSpec, got: Mismatch) -> Error {
        let class = spec.receiver.map_or("no", |class| class.name);
        Error::under_signature(spec, ErrorKind::Receiver { class, got })
    }

    /// An object of class `class` and of another context is argument `index` (from 0) of
    /// `spec`, or in it, or, with `None`, is the object a method was called on (reported
    /// under its signature).
    #[cold]
    pub fn foreign_object(
        spec: &'static FnSpec,
        index: Option<usize>,
        class: &'static str,
    ) -> Error {
        let argument = index.map(|index| (index + 1, spec.params[index].name));
        Error::under_signature(spec, ErrorKind::ForeignObject { argument, class })
    }

    /// Argument `index` (from 0) of `spec` has the wrong type (reported under its signature).
    #[cold]
    pub fn argument_type(spec: &'static FnSpec, index: usize, got: Mismatch) -> Error {
        let param = &spec.params[index];
        Error::under_signature(
            spec,
            ErrorKind::ArgumentType {
                position: index + 1,
                name: param.name,
                expected: param.ty,
                got,
            },
        )
    }

    /// Argument `index` (from 0) of `spec` would take more than `limit` bytes to convert
    /// (reported under its signature).
    #[cold]
    pub fn argument_too_large(spec: &'static FnSpec, index: usize, limit: usize) -> Error {
        let param = &spec.params[index];
        Error::under_signature(
            spec,
            ErrorKind::ArgumentTooLarge {
                position: index + 1,
                name: param.name,
                limit,
            },
        )
    }

    /// `spec`'s native takes a state of type `type_name` that the context lacks.
    #[cold]
    pub fn missing_state(spec: &'static FnSpec, type_name: &'static str) -> Error {
        Error(Arc::new(Details {
            origin: Some(spec.name),
            kind: ErrorKind::MissingState { type_name },
        }))
    }

    /// `spec`'s native panicked with `payload` (what `catch_unwind` caught).
    #[cold]
    #[inline(never)]
    pub fn panicked(spec: &'static FnSpec, payload: &(dyn Any + Send)) -> Error {
        let message = panic_message(payload);
        Error(Arc::new(Details {
            origin: Some(spec.name),
            kind: ErrorKind::Panicked { message },
        }))
    }
}

/// The text of a panic's payload (what `panic!` formatted), or a note that it has none.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic whose payload is not text".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SPEC: FnSpec = FnSpec {
        name: "geo.point.dist2",
        signature: "geo.point.dist2(x: int, y: int) -> int",
        params: &[],
        ret: ScriptType::Int,
        description: "Squared distance",
        receiver: None,
    };

    #[derive(Debug, PartialEq, thiserror::Error)]
    #[error("point {0} is off the map")]
    struct OffTheMap(i64);

    #[test]
    fn an_error_is_one_pointer_so_results_stay_small() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
        assert!(std::mem::size_of::<Result<crate::Value, Error>>() <= 24);
    }

    #[test]
    fn a_panic_reads_as_the_function_that_panicked() {
        let boxed: Box<dyn Any + Send> = Box::new("attempt to multiply with overflow");
        assert_eq!(
            Error::panicked(&SPEC, boxed.as_ref()).to_string(),
            "geo.point.dist2 panicked: attempt to multiply with overflow"
        );
        let formatted: Box<dyn Any + Send> = Box::new(format!("index {} out of range", 9));
        assert_eq!(
            Error::panicked(&SPEC, formatted.as_ref()).to_string(),
            "geo.point.dist2 panicked: index 9 out of range"
        );
    }

    #[test]
    fn a_module_error_keeps_its_value_and_its_text() {
        let error = Error::module(OffTheMap(7)).in_native(&SPEC);
        assert_eq!(error.to_string(), "geo.point.dist2: point 7 is off the map");
        assert_eq!(error.downcast_ref::<OffTheMap>(), Some(&OffTheMap(7)));
        assert_eq!(error, Error::module(OffTheMap(7)).in_native(&SPEC));
        assert_ne!(error, Error::module(OffTheMap(8)).in_native(&SPEC));
        assert_eq!(Error::msg("x").downcast_ref::<OffTheMap>(), None);
    }

    #[test]
    fn a_missing_state_names_the_function_and_the_type() {
        assert_eq!(
            Error::missing_state(&SPEC, "geo::GeoState").to_string(),
            "geo.point.dist2: this context has no `geo::GeoState`; the host provides it with \
             `Context::builder().state(..)` or `Context::insert_state`"
        );
    }
}
