//! `ArgRef`: a script argument as the glue reads it, borrowed for the length of a call.
//!
//! The goost interpreter holds its arguments as [`Value`]s; a Lua or Rhai bridge holds
//! the engine's own values. Both lend them to the glue as `ArgRef`s, so a string argument
//! reaches a `&[u8]` or `&str` parameter straight from where the engine keeps it: no copy,
//! no allocation.

use goost_spec::ValueKind;

use crate::{RecordFields, ScriptList, ScriptMap, ScriptObject, ScriptRecord, ScriptString, Value};

/// A script argument lent to a native's glue for the length of one call: what
/// [`FromValue`](crate::FromValue) converts from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ArgRef<'a> {
    /// `nil`: an optional argument left out, or passed as `nil`.
    Void,
    /// An `int`.
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A `bool`.
    Bool(bool),
    /// A `string` already shared: a [`ScriptString`] parameter takes another reference
    /// to it instead of a copy.
    Str(&'a ScriptString),
    /// A `list`.
    List(&'a ScriptList),
    /// A `map`.
    Map(&'a ScriptMap),
    /// A value of a spec record (to a script, a map).
    Record(&'a ScriptRecord),
    /// An object of a spec class.
    Object(&'a ScriptObject),
    /// A record's fields that an engine's bridge lends from where it converted them,
    /// without making a [`ScriptRecord`] (to a script, a map).
    Fields(&'a RecordFields),
    /// A `string` whose bytes an engine lends (a Lua string, a Rhai string or blob). A
    /// [`ScriptString`] parameter copies them; `&[u8]` and `&str` parameters borrow them.
    Bytes(&'a [u8]),
    /// A list of records that an engine's bridge lends as it converted them, each its
    /// fields, without making records or a [`ScriptList`] (to a script, a list).
    Records(&'a [RecordFields]),
}

/// The elements of a list argument, however it is lent: values, or records' fields.
#[derive(Clone, Copy, Debug)]
pub enum ListItems<'a> {
    /// A [`ScriptList`]'s values.
    Values(&'a [Value]),
    /// Records' fields ([`ArgRef::Records`]).
    Records(&'a [RecordFields]),
}

impl<'a> ListItems<'a> {
    /// How many elements.
    #[inline]
    pub fn len(self) -> usize {
        match self {
            ListItems::Values(values) => values.len(),
            ListItems::Records(records) => records.len(),
        }
    }

    /// Whether there are none.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Element `index` (from 0), lent.
    #[inline]
    pub fn get(self, index: usize) -> Option<ArgRef<'a>> {
        match self {
            ListItems::Values(values) => values.get(index).map(Value::lend),
            ListItems::Records(records) => records.get(index).map(ArgRef::Fields),
        }
    }

    /// The elements, lent, in order.
    pub fn iter(self) -> impl Iterator<Item = ArgRef<'a>> {
        (0..self.len()).filter_map(move |index| self.get(index))
    }
}

impl<'a> ArgRef<'a> {
    /// The name of the argument's type, as errors show it: the same words as
    /// [`Value::type_name`]. A table lookup by the variant's position.
    #[inline(always)]
    pub fn type_name(self) -> &'static str {
        const NAMES: [&str; 12] = [
            ValueKind::Nil.name(),
            ValueKind::Int.name(),
            ValueKind::Float.name(),
            ValueKind::Bool.name(),
            ValueKind::String.name(),
            ValueKind::List.name(),
            ValueKind::Map.name(),
            ValueKind::Map.name(),
            "object",
            ValueKind::Map.name(),
            ValueKind::String.name(),
            ValueKind::List.name(),
        ];
        let position = match self {
            ArgRef::Void => 0,
            ArgRef::Int(_) => 1,
            ArgRef::Float(_) => 2,
            ArgRef::Bool(_) => 3,
            ArgRef::Str(_) => 4,
            ArgRef::List(_) => 5,
            ArgRef::Map(_) => 6,
            ArgRef::Record(_) => 7,
            ArgRef::Object(_) => 8,
            ArgRef::Fields(_) => 9,
            ArgRef::Bytes(_) => 10,
            ArgRef::Records(_) => 11,
        };
        NAMES[position]
    }

    /// The bytes of a string argument, lent or shared alike; `None` for any other type.
    #[inline(always)]
    pub fn bytes(self) -> Option<&'a [u8]> {
        match self {
            ArgRef::Bytes(bytes) => Some(bytes),
            ArgRef::Str(s) => Some(s.as_bytes()),
            _ => None,
        }
    }

    /// The argument as an owned value: lent bytes are copied into a new string.
    pub fn to_value(self) -> Value {
        match self {
            ArgRef::Void => Value::Void,
            ArgRef::Int(n) => Value::Int(n),
            ArgRef::Float(x) => Value::Float(x),
            ArgRef::Bool(b) => Value::Bool(b),
            ArgRef::Bytes(bytes) => Value::str(bytes),
            ArgRef::Str(s) => Value::Str(s.clone()),
            ArgRef::List(items) => Value::List(items.clone()),
            ArgRef::Map(entries) => Value::Map(entries.clone()),
            ArgRef::Record(record) => Value::Record(record.clone()),
            ArgRef::Object(object) => Value::Object(object.clone()),
            ArgRef::Fields(fields) => Value::Record(fields.to_record()),
            ArgRef::Records(records) => {
                let items = records
                    .iter()
                    .map(|fields| Value::Record(fields.to_record()));
                // A bridge lends records only as deep as a list may nest, so this list is
                // never too deep; were it, the argument would read as `nil`.
                ScriptList::new(items.collect()).map_or(Value::Void, Value::List)
            }
        }
    }

    /// The elements of a list argument (a list's values, or lent records' fields); `None`
    /// for any other argument.
    #[inline]
    pub fn list_items(self) -> Option<ListItems<'a>> {
        match self {
            ArgRef::List(items) => Some(ListItems::Values(items)),
            ArgRef::Records(records) => Some(ListItems::Records(records)),
            _ => None,
        }
    }
}

impl Value {
    /// This value lent as a native's argument, for the length of a call.
    #[inline(always)]
    pub fn lend(&self) -> ArgRef<'_> {
        ArgRef::from(self)
    }
}

impl<'a> From<&'a Value> for ArgRef<'a> {
    #[inline(always)]
    fn from(value: &'a Value) -> ArgRef<'a> {
        match value {
            Value::Void => ArgRef::Void,
            Value::Int(n) => ArgRef::Int(*n),
            Value::Float(x) => ArgRef::Float(*x),
            Value::Bool(b) => ArgRef::Bool(*b),
            Value::Str(s) => ArgRef::Str(s),
            Value::List(items) => ArgRef::List(items),
            Value::Map(entries) => ArgRef::Map(entries),
            Value::Record(record) => ArgRef::Record(record),
            Value::Object(object) => ArgRef::Object(object),
        }
    }
}

/// What a native's glue reads its arguments from: a slice of [`Value`]s (the goost
/// interpreter, [`Native::call`](crate::Native::call)) or of [`ArgRef`]s (the Lua and
/// Rhai bridges). Each `#[native]` glue is compiled once for each, from one body.
/// Generated code's, not part of the API.
pub trait ScriptArg {
    /// This argument, lent for the length of the call.
    fn lend(&self) -> ArgRef<'_>;
}

impl ScriptArg for Value {
    #[inline(always)]
    fn lend(&self) -> ArgRef<'_> {
        ArgRef::from(self)
    }
}

impl ScriptArg for ArgRef<'_> {
    #[inline(always)]
    fn lend(&self) -> ArgRef<'_> {
        *self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_lends_itself_and_comes_back_equal() {
        let values = [
            Value::Void,
            Value::Int(-3),
            Value::Float(0.5),
            Value::Bool(true),
            Value::str("text"),
            Value::list([Value::Int(1)]).unwrap(),
        ];
        for value in values {
            assert_eq!(value.lend().to_value(), value);
            assert_eq!(value.lend().type_name(), value.type_name());
        }
    }

    #[test]
    fn lent_bytes_and_a_shared_string_read_as_the_same_string() {
        let shared = ScriptString::from("hi");
        assert_eq!(ArgRef::Bytes(b"hi").bytes(), Some(b"hi".as_slice()));
        assert_eq!(ArgRef::Str(&shared).bytes(), Some(b"hi".as_slice()));
        assert_eq!(ArgRef::Int(1).bytes(), None);
        assert_eq!(ArgRef::Bytes(b"hi").to_value(), Value::str("hi"));
        assert_eq!(ArgRef::Bytes(b"hi").type_name(), "string");
    }
}
