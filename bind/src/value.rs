//! `Value`: what crosses between a script host and a native.

use std::fmt;

use arcstr::ArcStr;

use crate::ScriptType;

/// A script value, two words in size. Strings are [`ArcStr`]: a one-word pointer to a
/// reference-counted UTF-8 string (its length lives beside the count in the same
/// allocation). Passing one to a native borrows it, and a native returning an `ArcStr`
/// (such as a pooled string) hands out a shared pointer, not a copy.
///
/// A native's `Result<Value, Error>` is two words as well (the error is boxed), so every
/// argument slice and every result moves a third less memory than with a fat string
/// pointer (see BENCHMARKS.md).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// The result of a `void` native; scripts print it as `nil`.
    Void,
    /// An `int`: a signed 64-bit integer.
    Int(i64),
    /// A `bool`.
    Bool(bool),
    /// A `string`: UTF-8 text.
    Str(ArcStr),
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

    /// A string value from anything that turns into an [`ArcStr`] (`&str` and `String`
    /// copy their bytes into a new allocation; an `ArcStr` is moved in).
    pub fn str(text: impl Into<ArcStr>) -> Value {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_and_a_native_result_are_two_words() {
        let word = std::mem::size_of::<usize>();
        assert_eq!(std::mem::size_of::<ArcStr>(), word);
        assert_eq!(std::mem::size_of::<Value>(), 2 * word);
        assert_eq!(std::mem::size_of::<Result<Value, crate::Error>>(), 2 * word);
    }
}
