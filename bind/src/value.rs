//! `Value`: what crosses between a script host and a native.

use std::fmt;

use triomphe::ThinArc;

use crate::{ScriptMap, ScriptObject, ScriptRecord, ScriptString};

/// A script value, two words in size. Strings are [`ScriptString`]s and lists
/// [`ScriptList`]s: one-word pointers to shared, reference-counted storage (the length
/// lives in the allocation). Passing one to a native borrows it, and a native returning
/// one (such as a pooled string) hands out a shared pointer, not a copy.
///
/// A native's `Result<Value, Error>` is two words as well (the error is one pointer);
/// both sizes are asserted at compile time.
#[derive(Clone, Debug)]
pub enum Value {
    /// No value: the result of a `void` native, and an optional value left out. Scripts
    /// print it as `nil`.
    Void,
    /// An `int`: a signed 64-bit integer.
    Int(i64),
    /// A `float`: a 64-bit float.
    Float(f64),
    /// A `bool`.
    Bool(bool),
    /// A `string`: bytes, usually UTF-8 text.
    Str(ScriptString),
    /// A `list`.
    List(ScriptList),
    /// A `map`: string keys to values.
    Map(ScriptMap),
    /// A value of a spec record: to a script, the map of its present fields.
    Record(ScriptRecord),
    /// An object of a spec class, held by reference.
    Object(ScriptObject),
}

impl PartialEq for Value {
    /// Equal values of one type; a record equals a map holding the same entries.
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Void, Value::Void) => true,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            (Value::Record(a), Value::Record(b)) => a == b,
            (Value::Object(a), Value::Object(b)) => a == b,
            (Value::Record(record), Value::Map(map)) | (Value::Map(map), Value::Record(record)) => {
                record.same_entries(map)
            }
            _ => false,
        }
    }
}

const _: () = assert!(size_of::<Value>() == 2 * size_of::<usize>());
const _: () = assert!(size_of::<Result<Value, crate::Error>>() == 2 * size_of::<usize>());

impl Value {
    /// How deep the hosts convert nested lists (and Lua tables, Rhai arrays) before they
    /// refuse: a table that holds itself is an error, never a stack overflow.
    pub const MAX_NESTING: usize = 64;

    /// Bytes this value holds on the heap, as a host bounds what a script keeps: a
    /// string's bytes; a list's slots and everything in them (a string shared by two lists
    /// counts in each). Known without a walk: each list recorded it when it was made.
    pub fn held_bytes(&self) -> usize {
        match self {
            Value::Str(s) => s.len(),
            Value::List(list) => list.0.header.header.held_bytes,
            Value::Map(map) => map.held_bytes(),
            Value::Record(record) => record.held_bytes(),
            _ => 0,
        }
    }

    /// How deep the value nests lists and maps: 0 for a value that is neither.
    #[inline]
    pub fn depth(&self) -> usize {
        match self {
            Value::List(list) => list.depth(),
            Value::Map(map) => map.depth(),
            Value::Record(record) => record.depth(),
            _ => 0,
        }
    }

    /// The name of this value's type, as errors show it: `nil`, `int`, `float`, `bool`,
    /// `string`, `list` or `map`.
    pub fn type_name(&self) -> &'static str {
        self.lend().type_name()
    }

    /// A string value from text or bytes (`&str`, `String`, `&[u8]`, `Vec<u8>`; copied
    /// into a new allocation), or a [`ScriptString`] (moved in).
    pub fn str(text: impl Into<ScriptString>) -> Value {
        Value::Str(text.into())
    }

    /// A list value holding `items`; an error if that would nest lists more than
    /// [`Value::MAX_NESTING`] deep.
    pub fn list(items: impl Into<Vec<Value>>) -> Result<Value, TooDeep> {
        ScriptList::new(items.into()).map(Value::List)
    }

    /// Writes the value as `print` shows it: strings as their exact bytes (not checked
    /// for UTF-8), everything else as [`Display`](fmt::Display) does.
    pub fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        match self {
            Value::Str(s) => out.write_all(s.as_bytes()),
            Value::List(items) => {
                out.write_all(b"[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.write_all(b" ")?;
                    }
                    item.write_to(out)?;
                }
                out.write_all(b"]")
            }
            Value::Map(entries) => write_map_to(
                out,
                entries.iter().map(|(key, value)| (key.as_bytes(), value)),
            ),
            Value::Record(record) => write_map_to(
                out,
                record
                    .entries()
                    .into_iter()
                    .map(|(key, value)| (key.as_bytes(), value)),
            ),
            other => write!(out, "{other}"),
        }
    }
}

/// Writes a map's `entries` (in key order) as `print` shows a map: `map[a:1 b:2]`.
fn write_map_to<'v>(
    out: &mut impl std::io::Write,
    entries: impl Iterator<Item = (&'v [u8], &'v Value)>,
) -> std::io::Result<()> {
    out.write_all(b"map[")?;
    for (i, (key, value)) in entries.enumerate() {
        if i > 0 {
            out.write_all(b" ")?;
        }
        out.write_all(key)?;
        out.write_all(b":")?;
        value.write_to(out)?;
    }
    out.write_all(b"]")
}

/// A script list: values behind a one-word shared pointer. Cloning shares it.
///
/// Lists nest at most [`Value::MAX_NESTING`] deep (each list keeps its depth), so
/// printing, converting and dropping a list, which recurse, stay within the stack. Each
/// list also keeps the bytes it holds ([`Value::held_bytes`]), so a host can bound what a
/// script keeps without walking it.
#[derive(Clone)]
pub struct ScriptList(ThinArc<ListHeader, Value>);

/// What a list records about itself when it is made.
#[derive(Clone, Copy, Debug)]
struct ListHeader {
    depth: u8,
    held_bytes: usize,
}

/// A list would nest lists more than [`Value::MAX_NESTING`] deep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("lists nest at most {} deep", Value::MAX_NESTING)]
pub struct TooDeep;

impl ScriptList {
    /// A list of `items`, unless it would nest more than [`Value::MAX_NESTING`] deep.
    pub fn new(items: Vec<Value>) -> Result<ScriptList, TooDeep> {
        ScriptList::try_new(items).map_err(|_| TooDeep)
    }

    /// [`ScriptList::new`], giving the items back when the list would nest too deep.
    pub fn try_new(items: Vec<Value>) -> Result<ScriptList, Vec<Value>> {
        let inner = items.iter().map(Value::depth).max().unwrap_or(0);
        if inner >= Value::MAX_NESTING {
            return Err(items);
        }
        let slots = items.len().saturating_mul(std::mem::size_of::<Value>());
        let held_bytes = items
            .iter()
            .map(Value::held_bytes)
            .fold(slots, usize::saturating_add);
        let header = ListHeader {
            // MAX_NESTING is below 256, so the depth fits the byte.
            depth: (inner + 1) as u8,
            held_bytes,
        };
        Ok(ScriptList(ThinArc::from_header_and_iter(
            header,
            items.into_iter(),
        )))
    }

    /// How deep this list nests: 1 for a list holding no list.
    pub fn depth(&self) -> usize {
        usize::from(self.0.header.header.depth)
    }

    /// Whether two lists share one allocation.
    pub fn ptr_eq(a: &ScriptList, b: &ScriptList) -> bool {
        a.0.ptr() == b.0.ptr()
    }
}

impl std::ops::Deref for ScriptList {
    type Target = [Value];
    fn deref(&self) -> &[Value] {
        &self.0.slice
    }
}

impl PartialEq for ScriptList {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl fmt::Debug for ScriptList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl fmt::Display for Value {
    /// How `print` shows the value: strings without quotes (bytes that are not UTF-8 as
    /// U+FFFD here; [`Value::write_to`] writes them exactly), `void` as `nil`, floats as
    /// Go prints them (`1.5`, `2000`, `1e+21`), lists as `[a b c]`, maps as `map[a:1 b:2]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Void => f.write_str("nil"),
            Value::Int(n) => write!(f, "{n}"),
            Value::Float(x) => f.write_str(&format_float(*x)),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Str(s) => write!(f, "{s}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            // As Go prints a map: `map[a:1 b:2]`, keys in order.
            Value::Map(entries) => display_map(f, entries.iter().map(|(k, v)| (&**k, v))),
            // An object shows its class: `geo.Path`.
            Value::Object(object) => f.write_str(object.class().name),
            Value::Record(record) => display_map(
                f,
                record
                    .entries()
                    .into_iter()
                    .map(|(key, value)| (key.as_bytes(), value)),
            ),
        }
    }
}

/// A map's `entries` (in key order) as [`Display`](fmt::Display) shows a map.
fn display_map<'v>(
    f: &mut fmt::Formatter<'_>,
    entries: impl Iterator<Item = (&'v [u8], &'v Value)>,
) -> fmt::Result {
    f.write_str("map[")?;
    for (i, (key, value)) in entries.enumerate() {
        if i > 0 {
            f.write_str(" ")?;
        }
        write!(f, "{}:{value}", String::from_utf8_lossy(key))?;
    }
    f.write_str("]")
}

/// A float as Go's `fmt.Println` shows it (`%v`): the fewest digits that read back as
/// the same float, in exponent form when the decimal exponent is below -4 or at least 6
/// (`1e+06`, `1.5e-07`), plainly otherwise (`2000`, `0.25`); `+Inf`, `-Inf`, `NaN`.
pub fn format_float(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0");
    }
    // Rust's `{:e}` gives the shortest digits that read back the same: `d.ddde±x`.
    let scientific = format!("{:e}", x.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-4..6).contains(&exponent) {
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{mantissa}e{exp_sign}{:02}", exponent.abs());
    }
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if exponent < 0 {
        let zeros = "0".repeat((-exponent - 1) as usize);
        return format!("{sign}0.{zeros}{digits}");
    }
    let whole = (exponent + 1) as usize;
    if digits.len() <= whole {
        format!("{sign}{digits}{}", "0".repeat(whole - digits.len()))
    } else {
        let (int_part, frac) = digits.split_at(whole);
        format!("{sign}{int_part}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_and_a_native_result_are_two_words() {
        let word = std::mem::size_of::<usize>();
        assert_eq!(std::mem::size_of::<ScriptString>(), word);
        assert_eq!(std::mem::size_of::<ScriptList>(), word);
        assert_eq!(std::mem::size_of::<Value>(), 2 * word);
        assert_eq!(std::mem::size_of::<Result<Value, crate::Error>>(), 2 * word);
    }

    #[test]
    fn floats_print_as_go_prints_them() {
        let cases = [
            (1.5, "1.5"),
            (2e3, "2000"),
            (123456.0, "123456"),
            (1e6, "1e+06"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-0.25, "-0.25"),
            (1e21, "1e+21"),
            (1.0 / 3.0, "0.3333333333333333"),
            (0.0, "0"),
            (-0.0, "-0"),
            (f64::INFINITY, "+Inf"),
            (f64::NEG_INFINITY, "-Inf"),
            (f64::NAN, "NaN"),
        ];
        for (x, shown) in cases {
            assert_eq!(format_float(x), shown, "{x:?}");
        }
    }

    #[test]
    fn lists_print_as_go_prints_slices() {
        let list = Value::list([Value::Int(1), Value::str("a"), Value::Float(2.5)]).unwrap();
        assert_eq!(list.to_string(), "[1 a 2.5]");
        let mut out = Vec::new();
        Value::list([Value::str(b"\xff".as_slice())])
            .unwrap()
            .write_to(&mut out)
            .unwrap();
        assert_eq!(out, b"[\xff]");
    }

    #[test]
    fn lists_nest_at_most_max_nesting_deep() {
        let mut list = Value::list([]).unwrap();
        for _ in 1..Value::MAX_NESTING {
            list = Value::list([list]).unwrap();
        }
        let Value::List(deepest) = &list else {
            unreachable!()
        };
        assert_eq!(deepest.depth(), Value::MAX_NESTING);
        assert_eq!(Value::list([list]), Err(TooDeep));
    }

    #[test]
    fn a_list_knows_the_bytes_it_holds() {
        let word = std::mem::size_of::<Value>();
        let inner = Value::list([Value::str("abc"), Value::Int(1)]).unwrap();
        assert_eq!(inner.held_bytes(), 2 * word + 3);
        let outer = Value::list([inner.clone(), inner, Value::str("de")]).unwrap();
        assert_eq!(outer.held_bytes(), 3 * word + 2 * (2 * word + 3) + 2);
        assert_eq!(Value::Int(5).held_bytes(), 0);
    }
}
