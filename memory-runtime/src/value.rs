//! `Value`: what crosses between a script host and a native.

use std::fmt;
use std::sync::Arc;

use crate::native::ScriptType;

/// A script value. Strings are `Arc<str>`: passing one to a native borrows it, and a
/// native returning an `Arc<str>` (such as a pooled string) hands out a shared pointer,
/// not a copy.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// The result of a `void` native; scripts print it as `nil`.
    Void,
    /// An `int`: a signed 64-bit integer.
    Int(i64),
    /// A `bool`.
    Bool(bool),
    /// A `string`: UTF-8 text.
    Str(Arc<str>),
}

impl Value {
    /// The script type of this value.
    pub fn script_type(&self) -> ScriptType {
        match self {
            Value::Void => ScriptType::Void,
            Value::Int(_) => ScriptType::Int,
            Value::Bool(_) => ScriptType::Bool,
            Value::Str(_) => ScriptType::String,
        }
    }

    /// A string value from anything that turns into `Arc<str>`.
    pub fn str(text: impl Into<Arc<str>>) -> Value {
        Value::Str(text.into())
    }
}

impl fmt::Display for Value {
    /// How `print` shows the value: strings without quotes, `void` as `nil`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Void => f.write_str("nil"),
            Value::Int(n) => write!(f, "{n}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Str(s) => f.write_str(s),
        }
    }
}
