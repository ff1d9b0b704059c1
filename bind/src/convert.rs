//! The Rust side of each script type: [`FromValue`] for parameters, [`IntoValue`] for
//! results. The `#[native]` macro checks a function's types through these traits, so a
//! type alias is judged by what it is, and a newtype is one impl away.

use arcstr::ArcStr;

use crate::{Error, ScriptType, Value};

/// A Rust type a script argument converts into. `TYPE` is the script type it accepts.
///
/// `from_value` runs in the glue before the native's function, outside the part of the call
/// where a panic is contained: it must not panic (the conversions of this crate do not).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a goost script argument type",
    label = "no script type converts into `{Self}`",
    note = "script arguments are `i64` (int), `&str`, `String` or `ArcStr` (string), `bool`, or a type that implements `goost_bind::FromValue`"
)]
pub trait FromValue<'a>: Sized {
    /// The script type this Rust type accepts.
    const TYPE: ScriptType;
    /// The converted value, or `None` if `value` is of another type (the glue reports it).
    fn from_value(value: &'a Value) -> Option<Self>;
}

/// A Rust type a native may return. `TYPE` is the script type it becomes.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a goost script result type",
    label = "`{Self}` does not convert to a script value",
    note = "script results are `i64` (int), `String`, `ArcStr` or `&'static str` (string), `bool`, `()` (void), `Result<T, E>` of those (with `E: Into<goost_bind::Error>`), or a type that implements `goost_bind::IntoValue`"
)]
pub trait IntoValue {
    /// The script type this Rust type becomes.
    const TYPE: ScriptType;
    /// The script value (an `Err` passes a native's failure through).
    fn into_value(self) -> Result<Value, Error>;
}

impl FromValue<'_> for i64 {
    const TYPE: ScriptType = ScriptType::Int;
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }
}

impl FromValue<'_> for bool {
    const TYPE: ScriptType = ScriptType::Bool;
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl<'a> FromValue<'a> for &'a str {
    const TYPE: ScriptType = ScriptType::String;
    fn from_value(value: &'a Value) -> Option<Self> {
        match value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl FromValue<'_> for ArcStr {
    const TYPE: ScriptType = ScriptType::String;
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Str(s) => Some(ArcStr::clone(s)),
            _ => None,
        }
    }
}

impl FromValue<'_> for String {
    const TYPE: ScriptType = ScriptType::String;
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Str(s) => Some(s.to_string()),
            _ => None,
        }
    }
}

impl IntoValue for i64 {
    const TYPE: ScriptType = ScriptType::Int;
    fn into_value(self) -> Result<Value, Error> {
        Ok(Value::Int(self))
    }
}

impl IntoValue for bool {
    const TYPE: ScriptType = ScriptType::Bool;
    fn into_value(self) -> Result<Value, Error> {
        Ok(Value::Bool(self))
    }
}

impl IntoValue for () {
    const TYPE: ScriptType = ScriptType::Void;
    fn into_value(self) -> Result<Value, Error> {
        Ok(Value::Void)
    }
}

impl IntoValue for String {
    const TYPE: ScriptType = ScriptType::String;
    fn into_value(self) -> Result<Value, Error> {
        Ok(Value::Str(self.into()))
    }
}

impl IntoValue for ArcStr {
    const TYPE: ScriptType = ScriptType::String;
    fn into_value(self) -> Result<Value, Error> {
        Ok(Value::Str(self))
    }
}

impl IntoValue for &'static str {
    const TYPE: ScriptType = ScriptType::String;
    fn into_value(self) -> Result<Value, Error> {
        Ok(Value::Str(self.into()))
    }
}

/// A native that can fail: its error is any type that converts into [`Error`] (the
/// binding layer's own, or a module's error type with a `From` impl, see
/// [`Error::module`]).
impl<T: IntoValue, E: Into<Error>> IntoValue for Result<T, E> {
    const TYPE: ScriptType = T::TYPE;
    fn into_value(self) -> Result<Value, Error> {
        self.map_err(Into::into).and_then(T::into_value)
    }
}
