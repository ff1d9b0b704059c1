//! The Rust side of each script type: [`FromValue`] for parameters, [`IntoValue`] for
//! results. The `#[native]` macro checks a function's types through these traits, so a
//! type alias is judged by what it is, and a newtype is one impl away.
//!
//! | script type | parameter | result |
//! |---|---|---|
//! | `int` | `i64` | `i64` |
//! | `float` | `f64` (an `int` argument is taken as its float) | `f64` |
//! | `bool` | `bool` | `bool` |
//! | `string`, as text | `&str`, `String` (UTF-8 checked) | `String`, `&'static str` |
//! | `string`, as bytes | `&[u8]`, `Vec<u8>` (not checked) | `Vec<u8>` |
//! | `string`, shared | [`ScriptString`] | [`ScriptString`] |
//! | `list<T>` | `Vec<T>`, or [`ListRef<T>`] (borrowed: no allocation) | `Vec<T>` |
//! | `map<T>` | `HashMap<String, T>`, `BTreeMap<String, T>` (keys UTF-8 checked) | the same |
//! | `T?` | `Option<T>` (`nil` or left out: `None`) | `Option<T>` (`None`: `nil`) |
//! | `void` | | `()` |

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;

use goost_spec::check::Step;

use crate::arg::ListItems;
use crate::record::{fitting, present_fields, same_record};
use crate::{
    ArgRef, DEFAULT_CONVERSION_LIMIT, EnumType, Error, FieldType, RecordType, ScriptList,
    ScriptMap, ScriptRecord, ScriptString, ScriptType, Value,
};

/// Why an argument did not convert: the glue puts it in the error it reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// The value is of another type (its [`Value::type_name`]).
    Type(&'static str),
    /// A string taken as text whose bytes are not UTF-8 (valid up to this byte).
    NotText {
        /// How many bytes from the start are valid UTF-8.
        valid_up_to: usize,
    },
    /// A list whose strings a parameter would copy (`Vec<String>`, `Vec<Vec<u8>>`) holds
    /// more bytes than the call may copy ([`copy_allowance`]): refused before anything is
    /// copied.
    TooLargeToCopy {
        /// The bytes the copy would take.
        bytes: usize,
        /// The bytes the call could copy.
        allowance: usize,
    },
    /// A string that is none of the values of this enum.
    NotInEnum(&'static EnumType),
    /// A mistake inside a record, or inside a list or map of records: where, and what
    /// (boxed: only an error pays for it, and the mismatch stays small).
    Inside(Box<Inside>),
    /// A record without this required field.
    MissingField(&'static str),
    /// A record with a key none of its fields has; the nearest field's name, if one is
    /// close.
    UnknownField {
        /// The field nearest to the unknown key.
        nearest: Option<&'static str>,
    },
    /// A value of a map did not convert (its value's type name), or, with `None`, a key
    /// that is not UTF-8 text.
    Entry {
        /// The value's type name, or `None` for a key that is not text.
        got: Option<&'static str>,
    },
    /// Element `index` (from 0) of a list did not convert, for this reason.
    Element {
        /// The element's index.
        index: usize,
        /// Its value's type name, or `None` when it is a string that is not UTF-8.
        got: Option<&'static str>,
    },
}

impl Mismatch {
    /// The mismatch of `arg` against a type that does not take it: its type's name, found
    /// by a table lookup (no branch and no call), so a conversion's success path stays a
    /// compare and a load.
    #[inline(always)]
    pub fn of(arg: ArgRef<'_>) -> Mismatch {
        Mismatch::Type(arg.type_name())
    }

    /// A record argument with the key `key`, which is no field of `record`: the mismatch
    /// naming the nearest field.
    pub fn unknown_field(key: &[u8], record: &'static RecordType) -> Mismatch {
        let key = String::from_utf8_lossy(key);
        let nearest = goost_spec::nearest(&key, record.fields.iter().map(|f| f.name), 1)
            .first()
            .copied();
        Mismatch::UnknownField { nearest }
    }

    /// This mismatch, found at element `index` (from 0) of a list of `element`s: a path,
    /// when the mistake is in a record; otherwise the list described by its element.
    pub fn in_element(self, index: usize, element: ScriptType) -> Mismatch {
        match self {
            Mismatch::Inside(inside) => inside.under(Step::Element(index + 1)),
            Mismatch::MissingField(_) | Mismatch::UnknownField { .. } => {
                Inside::at(Step::Element(index + 1), element, self)
            }
            Mismatch::Type(got) => Mismatch::Element {
                index,
                got: Some(got),
            },
            Mismatch::NotText { .. } => Mismatch::Element { index, got: None },
            // Nested lists name the outermost element.
            Mismatch::Element { got, .. } | Mismatch::Entry { got } => {
                Mismatch::Element { index, got }
            }
            too_large @ Mismatch::TooLargeToCopy { .. } => too_large,
            Mismatch::NotInEnum(_) => Mismatch::Element {
                index,
                got: Some("a string that is no value of its enum"),
            },
        }
    }

    /// This mismatch, found in field `field` of a record: a path to it.
    pub fn in_field(self, field: &'static FieldType) -> Mismatch {
        match self {
            Mismatch::Inside(inside) => inside.under(Step::Field(field.name)),
            too_large @ Mismatch::TooLargeToCopy { .. } => too_large,
            other => Inside::at(Step::Field(field.name), field.ty, other),
        }
    }

    /// This mismatch, found in the value of a map's entry `key`, a `value`: a path, when
    /// the mistake is in a record; otherwise the map described by its value.
    pub fn in_entry(self, key: &[u8], value: ScriptType) -> Mismatch {
        let step = || Step::Entry(String::from_utf8_lossy(key).into_owned());
        match self {
            Mismatch::Inside(inside) => inside.under(step()),
            Mismatch::MissingField(_) | Mismatch::UnknownField { .. } => {
                Inside::at(step(), value, self)
            }
            Mismatch::Type(got) => Mismatch::Entry { got: Some(got) },
            Mismatch::NotText { .. } => Mismatch::Entry { got: None },
            Mismatch::Element { got, .. } | Mismatch::Entry { got } => Mismatch::Entry { got },
            too_large @ Mismatch::TooLargeToCopy { .. } => too_large,
            Mismatch::NotInEnum(_) => Mismatch::Entry {
                got: Some("a string that is no value of its enum"),
            },
        }
    }
}

/// A mistake inside a record argument (or a list or map of records): the path to it,
/// outermost first, the type expected there, and what is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inside {
    /// Fields, elements and entries, outermost first.
    pub path: Vec<Step>,
    /// The type expected where the path ends.
    pub expected: ScriptType,
    /// What is there instead.
    pub got: Mismatch,
}

impl Inside {
    /// `got`, found at `step` where `expected` goes.
    fn at(step: Step, expected: ScriptType, got: Mismatch) -> Mismatch {
        Mismatch::Inside(Box::new(Inside {
            path: vec![step],
            expected,
            got,
        }))
    }

    /// This, one step further in.
    fn under(mut self: Box<Self>, step: Step) -> Mismatch {
        self.path.insert(0, step);
        Mismatch::Inside(self)
    }
}

impl fmt::Display for Mismatch {
    /// What the argument was: `int`, `a string that is not UTF-8 text (...)`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::Type(got) => f.write_str(got),
            Mismatch::NotText { valid_up_to } => write!(
                f,
                "a string that is not UTF-8 text (invalid at byte {valid_up_to})"
            ),
            Mismatch::Element {
                index,
                got: Some(got),
            } => write!(f, "a list whose element {} is {got}", index + 1),
            Mismatch::TooLargeToCopy { bytes, allowance } => write!(
                f,
                "a list whose strings would take {bytes} bytes to copy, past the {allowance} bytes this call may copy (take it as `ListRef<&str>` or `Vec<ScriptString>`, which share the strings)"
            ),
            Mismatch::Element { index, got: None } => write!(
                f,
                "a list whose element {} is a string that is not UTF-8 text",
                index + 1
            ),
            Mismatch::NotInEnum(choice) => f.write_str(&goost_spec::check::not_in_enum(choice)),
            Mismatch::Inside(inside) => write!(
                f,
                "a value whose {} is {}",
                goost_spec::check::path_words(&inside.path),
                inside.got
            ),
            Mismatch::MissingField(field) => f.write_str(&goost_spec::check::missing_field(field)),
            Mismatch::UnknownField { nearest } => {
                f.write_str(&goost_spec::check::unknown_field(*nearest))
            }
            Mismatch::Entry { got: Some(got) } => write!(f, "a map with a value that is {got}"),
            Mismatch::Entry { got: None } => {
                f.write_str("a map with a key or value that is not UTF-8 text")
            }
        }
    }
}

thread_local! {
    /// The bytes a native call on this thread may copy out of a list's strings.
    static COPY_ALLOWANCE: Cell<usize> = const { Cell::new(DEFAULT_CONVERSION_LIMIT) };
}

/// The most bytes a list argument's conversion may copy out of its strings (a
/// `Vec<String>` or `Vec<Vec<u8>>` parameter) in the call running on this thread: a list
/// that refers to one large string many times would otherwise be copied once per
/// reference. Every host sets it from the context's conversion limit (the goost host for
/// a run, a bridge for a call with a table or array, less what that call's conversion
/// took); [`DEFAULT_CONVERSION_LIMIT`] for a call made outside a host. Parameters that
/// share (`ListRef<&str>`, `Vec<ScriptString>`, `&[u8]`) copy nothing and are not bounded
/// here.
pub fn copy_allowance() -> usize {
    COPY_ALLOWANCE.with(Cell::get)
}

/// Runs `f` with [`copy_allowance`] at `bytes` on this thread, then puts the previous
/// allowance back (on a panic too).
pub fn with_copy_allowance<R>(bytes: usize, f: impl FnOnce() -> R) -> R {
    /// Puts the previous allowance back when dropped.
    struct Restore(usize);
    impl Drop for Restore {
        fn drop(&mut self) {
            COPY_ALLOWANCE.with(|allowance| allowance.set(self.0));
        }
    }
    let _restore = Restore(COPY_ALLOWANCE.with(|allowance| allowance.replace(bytes)));
    f()
}

/// A Rust type a script argument converts into. `TYPE` is the script type it accepts.
///
/// `from_value` runs in the glue inside the part of the call where a panic is contained: a
/// conversion that panics (a bug) is an error naming the native, as the native's own
/// panic is, in every host.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a goost script argument type",
    label = "no script type converts into `{Self}`",
    note = "script arguments are `i64` (int), `f64` (float), `bool`, `&str`, `String`, `&[u8]`, `Vec<u8>` or `ScriptString` (string), `Vec<T>` (list<T>), `HashMap<String, T>` or `BTreeMap<String, T>` (map<T>), `Option<T>` (T?), `ObjectRef<'_, T>` (a class bound with `#[spec_class]`), or a type of yours that implements `FromValue` (exported by `goost_memory`, and by `goost_bind` for a crate bound against it alone)"
)]
pub trait FromValue<'a>: Sized {
    /// The script type this Rust type accepts.
    const TYPE: ScriptType;
    /// The converted value, or why `value` does not convert (the glue reports it).
    fn from_value(value: ArgRef<'a>) -> Result<Self, Mismatch>;

    /// Whether converting copies string bytes (`String`, `Vec<u8>`, and lists or
    /// optionals of them): a list of such elements is bounded by [`copy_allowance`].
    #[doc(hidden)]
    const COPIES_BYTES: bool = false;

    /// The string bytes converting `value` would copy (0 unless `COPIES_BYTES`).
    #[doc(hidden)]
    fn copied_bytes(_value: ArgRef<'_>) -> usize {
        0
    }
}

/// A Rust type a native may return. `TYPE` is the script type it becomes.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a goost script result type",
    label = "`{Self}` does not convert to a script value",
    note = "script results are `i64` (int), `f64` (float), `bool`, `String`, `&'static str`, `Vec<u8>` or `ScriptString` (string), `Vec<T>` (list<T>), `HashMap<String, T>` or `BTreeMap<String, T>` (map<T>), `Option<T>` (T?), `()` (void), `Result<T, E>` of those (`E` is `Error`, made with `Error::msg(text)` or `Error::module(your_error)`, a `String`, or a type with `impl From<E> for Error`), or a type of yours that implements `IntoValue` (exported by `goost_memory`, and by `goost_bind`)"
)]
pub trait IntoValue {
    /// The script type this Rust type becomes.
    const TYPE: ScriptType;
    /// The script value (an `Err` passes a native's failure through).
    fn into_value(self) -> Result<Value, Error>;

    /// A record's fields handed to `take` (the record's type and one value per field, in
    /// its order, [`Value::Void`] for one left out; `take` may move them out), with no
    /// [`ScriptRecord`] made, and `Ok(None)`; any other value as
    /// [`into_value`](IntoValue::into_value) makes it. What a bridge converts a record
    /// result with straight into the engine's own table or map. `#[spec_record]` types
    /// give their fields, a `Vec` of them each one's in turn; every other type keeps this
    /// default.
    #[doc(hidden)]
    #[inline(always)]
    fn into_fields(self, take: &mut TakeFields<'_>) -> Result<Option<Value>, Error>
    where
        Self: Sized,
    {
        let _ = take;
        self.into_value().map(Some)
    }
}

/// What takes a record result's fields, or each record's of a list of records
/// ([`BoundNative::call_lent_fields`]): the record's type, and one value per field in its
/// order ([`Value::Void`] for one left out), which it may move out.
///
/// [`BoundNative::call_lent_fields`]: crate::BoundNative::call_lent_fields
pub type TakeFields<'t> = dyn FnMut(&'static RecordType, &mut [Value]) + 't;

impl FromValue<'_> for i64 {
    const TYPE: ScriptType = ScriptType::Int;
    #[inline]
    fn from_value(value: ArgRef<'_>) -> Result<Self, Mismatch> {
        match value {
            ArgRef::Int(n) => Ok(n),
            other => Err(Mismatch::of(other)),
        }
    }
}

impl FromValue<'_> for f64 {
    const TYPE: ScriptType = ScriptType::Float;
    /// A float, or an int taken as the nearest float (as Lua and Rhai pass whole numbers).
    #[inline]
    fn from_value(value: ArgRef<'_>) -> Result<Self, Mismatch> {
        match value {
            ArgRef::Float(x) => Ok(x),
            ArgRef::Int(n) => Ok(n as f64),
            other => Err(Mismatch::of(other)),
        }
    }
}

impl FromValue<'_> for bool {
    const TYPE: ScriptType = ScriptType::Bool;
    #[inline]
    fn from_value(value: ArgRef<'_>) -> Result<Self, Mismatch> {
        match value {
            ArgRef::Bool(b) => Ok(b),
            other => Err(Mismatch::of(other)),
        }
    }
}

impl<'a> FromValue<'a> for &'a [u8] {
    const TYPE: ScriptType = ScriptType::String;
    #[inline]
    fn from_value(value: ArgRef<'a>) -> Result<Self, Mismatch> {
        value.bytes().ok_or_else(|| Mismatch::of(value))
    }
}

impl<'a> FromValue<'a> for &'a str {
    const TYPE: ScriptType = ScriptType::String;
    #[inline]
    fn from_value(value: ArgRef<'a>) -> Result<Self, Mismatch> {
        text(<&[u8]>::from_value(value)?)
    }
}

/// `bytes` as UTF-8 text, or where they stop being it.
#[inline]
fn text(bytes: &[u8]) -> Result<&str, Mismatch> {
    std::str::from_utf8(bytes).map_err(|e| Mismatch::NotText {
        valid_up_to: e.valid_up_to(),
    })
}

impl FromValue<'_> for String {
    const TYPE: ScriptType = ScriptType::String;
    const COPIES_BYTES: bool = true;
    fn copied_bytes(value: ArgRef<'_>) -> usize {
        value.bytes().map_or(0, <[u8]>::len)
    }
    fn from_value(value: ArgRef<'_>) -> Result<Self, Mismatch> {
        <&str>::from_value(value).map(str::to_string)
    }
}

impl FromValue<'_> for Vec<u8> {
    const TYPE: ScriptType = ScriptType::String;
    const COPIES_BYTES: bool = true;
    fn copied_bytes(value: ArgRef<'_>) -> usize {
        value.bytes().map_or(0, <[u8]>::len)
    }
    fn from_value(value: ArgRef<'_>) -> Result<Self, Mismatch> {
        <&[u8]>::from_value(value).map(<[u8]>::to_vec)
    }
}

impl FromValue<'_> for ScriptString {
    const TYPE: ScriptType = ScriptType::String;
    /// A shared string takes another reference; lent bytes are copied.
    fn from_value(value: ArgRef<'_>) -> Result<Self, Mismatch> {
        match value {
            ArgRef::Str(s) => Ok(ScriptString::clone(s)),
            ArgRef::Bytes(bytes) => Ok(ScriptString::from(bytes)),
            other => Err(Mismatch::of(other)),
        }
    }
}

impl<'a, T: FromValue<'a>> FromValue<'a> for Vec<T> {
    const TYPE: ScriptType = ScriptType::List(&T::TYPE);
    const COPIES_BYTES: bool = T::COPIES_BYTES;
    fn copied_bytes(value: ArgRef<'_>) -> usize {
        match value.list_items() {
            Some(items) if T::COPIES_BYTES => items.iter().fold(0usize, |total, item| {
                total.saturating_add(T::copied_bytes(item))
            }),
            _ => 0,
        }
    }
    /// The list's elements, converted; a list whose strings would be copied (see
    /// [`copy_allowance`]) is measured first and refused whole past the allowance.
    fn from_value(value: ArgRef<'a>) -> Result<Self, Mismatch> {
        if T::COPIES_BYTES {
            let bytes = Self::copied_bytes(value);
            let allowance = copy_allowance();
            if bytes > allowance {
                return Err(Mismatch::TooLargeToCopy { bytes, allowance });
            }
        }
        match value.list_items() {
            Some(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| T::from_value(item).map_err(|m| m.in_element(index, T::TYPE)))
                .collect(),
            None => Err(Mismatch::of(value)),
        }
    }
}

/// The entries of a map argument converted into `M`'s (keys as text), or why not; a map
/// whose keys and strings would be copied past [`copy_allowance`] is refused whole first.
fn map_from_value<'a, T: FromValue<'a>, M: FromIterator<(String, T)>>(
    value: ArgRef<'a>,
) -> Result<M, Mismatch> {
    let ArgRef::Map(entries) = value else {
        return Err(Mismatch::of(value));
    };
    let bytes = map_copied_bytes::<T>(value);
    let allowance = copy_allowance();
    if bytes > allowance {
        return Err(Mismatch::TooLargeToCopy { bytes, allowance });
    }
    let entries: &'a ScriptMap = entries;
    entries
        .iter()
        .map(|(key, item)| {
            let key =
                std::str::from_utf8(key.as_bytes()).map_err(|_| Mismatch::Entry { got: None })?;
            let item =
                T::from_value(item.lend()).map_err(|m| m.in_entry(key.as_bytes(), T::TYPE))?;
            Ok((key.to_string(), item))
        })
        .collect()
}

/// The bytes converting a map argument copies: every key, and what its values copy.
fn map_copied_bytes<'a, T: FromValue<'a>>(value: ArgRef<'_>) -> usize {
    match value {
        ArgRef::Map(entries) => entries.iter().fold(0usize, |total, (key, item)| {
            total
                .saturating_add(key.len())
                .saturating_add(T::copied_bytes(item.lend()))
        }),
        _ => 0,
    }
}

impl<'a, T: FromValue<'a>, S: BuildHasher + Default> FromValue<'a> for HashMap<String, T, S> {
    const TYPE: ScriptType = ScriptType::Map(&T::TYPE);
    const COPIES_BYTES: bool = true;
    fn copied_bytes(value: ArgRef<'_>) -> usize {
        map_copied_bytes::<T>(value)
    }
    fn from_value(value: ArgRef<'a>) -> Result<Self, Mismatch> {
        map_from_value(value)
    }
}

impl<'a, T: FromValue<'a>> FromValue<'a> for BTreeMap<String, T> {
    const TYPE: ScriptType = ScriptType::Map(&T::TYPE);
    const COPIES_BYTES: bool = true;
    fn copied_bytes(value: ArgRef<'_>) -> usize {
        map_copied_bytes::<T>(value)
    }
    fn from_value(value: ArgRef<'a>) -> Result<Self, Mismatch> {
        map_from_value(value)
    }
}

/// A `list<T>` argument borrowed from the caller's list, for a native that only reads it:
/// no `Vec` is allocated. Every element is checked when the call is made (a wrong one is
/// the usual argument error, before the native runs); iterating converts each again,
/// which for ints, floats, bools and byte slices is a load.
#[derive(Clone, Copy, Debug)]
pub struct ListRef<'a, T> {
    items: ListItems<'a>,
    element: std::marker::PhantomData<fn() -> T>,
}

impl<'a, T: FromValue<'a>> ListRef<'a, T> {
    /// The number of elements.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The elements, converted.
    pub fn iter(&self) -> impl Iterator<Item = T> + 'a {
        // Every element converted when the call was made, and values do not change.
        self.items
            .iter()
            .filter_map(|item| T::from_value(item).ok())
    }
}

impl<'a, T: FromValue<'a>> FromValue<'a> for ListRef<'a, T> {
    const TYPE: ScriptType = ScriptType::List(&T::TYPE);
    fn from_value(value: ArgRef<'a>) -> Result<Self, Mismatch> {
        let Some(items) = value.list_items() else {
            return Err(Mismatch::of(value));
        };
        for (index, item) in items.iter().enumerate() {
            T::from_value(item).map_err(|m| m.in_element(index, T::TYPE))?;
        }
        Ok(ListRef {
            items,
            element: std::marker::PhantomData,
        })
    }
}

impl<'a, T: FromValue<'a>> FromValue<'a> for Option<T> {
    const TYPE: ScriptType = ScriptType::Optional(&T::TYPE);
    const COPIES_BYTES: bool = T::COPIES_BYTES;
    fn copied_bytes(value: ArgRef<'_>) -> usize {
        T::copied_bytes(value)
    }
    fn from_value(value: ArgRef<'a>) -> Result<Self, Mismatch> {
        match value {
            ArgRef::Void => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

impl IntoValue for i64 {
    const TYPE: ScriptType = ScriptType::Int;
    fn into_value(self) -> Result<Value, Error> {
        Ok(Value::Int(self))
    }
}

impl IntoValue for f64 {
    const TYPE: ScriptType = ScriptType::Float;
    fn into_value(self) -> Result<Value, Error> {
        Ok(Value::Float(self))
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
        Ok(Value::str(self))
    }
}

impl IntoValue for &'static str {
    const TYPE: ScriptType = ScriptType::String;
    fn into_value(self) -> Result<Value, Error> {
        Ok(Value::str(self))
    }
}

impl IntoValue for Vec<u8> {
    const TYPE: ScriptType = ScriptType::String;
    fn into_value(self) -> Result<Value, Error> {
        Ok(Value::str(self))
    }
}

impl IntoValue for ScriptString {
    const TYPE: ScriptType = ScriptType::String;
    fn into_value(self) -> Result<Value, Error> {
        Ok(Value::Str(self))
    }
}

impl<T: IntoValue> IntoValue for Vec<T> {
    const TYPE: ScriptType = ScriptType::List(&T::TYPE);
    fn into_value(self) -> Result<Value, Error> {
        let items = self
            .into_iter()
            .map(T::into_value)
            .collect::<Result<Vec<Value>, Error>>()?;
        ScriptList::new(items)
            .map(Value::List)
            .map_err(|too_deep| Error::msg(too_deep.to_string()))
    }

    /// A list of records hands `take` each record's fields, in order (none for an empty
    /// list), refused as [`into_value`](IntoValue::into_value) refuses it: a list that
    /// would nest too deep. Any other list is a value.
    fn into_fields(self, take: &mut TakeFields<'_>) -> Result<Option<Value>, Error> {
        if !matches!(T::TYPE, ScriptType::Record(_)) {
            return self.into_value().map(Some);
        }
        // The list is one level more: a record inside it may nest one level less.
        let mut too_deep = false;
        let mut element = |ty: &'static RecordType, values: &mut [Value]| {
            if values
                .iter()
                .any(|value| value.depth() + 2 > Value::MAX_NESTING)
            {
                too_deep = true;
            } else if !too_deep {
                take(ty, values);
            }
        };
        for item in self {
            match item.into_fields(&mut element)? {
                None => {}
                // A record type whose own `IntoValue` makes the record.
                Some(Value::Record(record)) => {
                    element(record.ty(), &mut record.values().to_vec());
                }
                Some(other) => {
                    return Err(Error::msg(format!(
                        "internal error: a value of the record type {} converted to a {}",
                        T::TYPE,
                        other.type_name()
                    )));
                }
            }
        }
        if too_deep {
            return Err(Error::msg(crate::TooDeep.to_string()));
        }
        Ok(None)
    }
}

impl<T: IntoValue> IntoValue for Option<T> {
    const TYPE: ScriptType = ScriptType::Optional(&T::TYPE);
    fn into_value(self) -> Result<Value, Error> {
        match self {
            Some(value) => value.into_value(),
            None => Ok(Value::Void),
        }
    }

    #[inline(always)]
    fn into_fields(self, take: &mut TakeFields<'_>) -> Result<Option<Value>, Error> {
        match self {
            Some(value) => value.into_fields(take),
            None => Ok(Some(Value::Void)),
        }
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

    #[inline(always)]
    fn into_fields(self, take: &mut TakeFields<'_>) -> Result<Option<Value>, Error> {
        self.map_err(Into::into)
            .and_then(|value| value.into_fields(take))
    }
}

/// A map result from its entries: an error if it would nest too deep (keys are unique).
fn map_into_value<T: IntoValue>(
    entries: impl Iterator<Item = (String, T)>,
) -> Result<Value, Error> {
    let entries = entries
        .map(|(key, item)| Ok((ScriptString::from(key), item.into_value()?)))
        .collect::<Result<Vec<_>, Error>>()?;
    ScriptMap::new(entries)
        .map(Value::Map)
        .map_err(|error| Error::msg(error.to_string()))
}

impl<T: IntoValue, S> IntoValue for HashMap<String, T, S> {
    const TYPE: ScriptType = ScriptType::Map(&T::TYPE);
    fn into_value(self) -> Result<Value, Error> {
        map_into_value(self.into_iter())
    }
}

impl<T: IntoValue> IntoValue for BTreeMap<String, T> {
    const TYPE: ScriptType = ScriptType::Map(&T::TYPE);
    fn into_value(self) -> Result<Value, Error> {
        map_into_value(self.into_iter())
    }
}

/// Where a record argument's fields are read from: a value of the record itself (each
/// field at its position) or a map with the record's keys (a goost map literal, a value
/// of another record). What `#[spec_record]` generates uses; not part of the API.
#[doc(hidden)]
pub enum RecordSource<'a> {
    /// A value of the very record: its fields by position.
    Slots(&'a [Value]),
    /// A script map: its fields by key.
    Map(&'a ScriptMap),
    /// A value of another record (its type and values): its fields by name.
    Other(&'static RecordType, &'a [Value]),
}

/// The fields of `value`, an argument for the record `record`: a value of the record, or
/// a map whose keys are all fields of it (the first key that is not is the mismatch,
/// naming the nearest field). What `#[spec_record]` generates calls; not part of the API.
#[doc(hidden)]
#[inline]
pub fn record_source<'a>(
    value: ArgRef<'a>,
    record: &'static RecordType,
) -> Result<RecordSource<'a>, Mismatch> {
    let (given, values) = match value {
        ArgRef::Fields(lent) => (lent.ty(), lent.values()),
        ArgRef::Record(given) => (given.ty(), given.values()),
        ArgRef::Map(map) => {
            return match unknown_field(map.iter().map(|(key, _)| key.as_bytes()), record) {
                Some(unknown) => Err(unknown),
                None => Ok(RecordSource::Map(map)),
            };
        }
        other => return Err(Mismatch::of(other)),
    };
    if same_record(given, record) {
        return Ok(RecordSource::Slots(values));
    }
    let present = present_fields(given, values).map(|(field, _)| field.name.as_bytes());
    match unknown_field(present, record) {
        Some(unknown) => Err(unknown),
        None => Ok(RecordSource::Other(given, values)),
    }
}

/// The first of `keys` that is no field of `record`, as the mismatch naming the nearest
/// field; `None` when every key is a field.
fn unknown_field<'k>(
    mut keys: impl Iterator<Item = &'k [u8]>,
    record: &'static RecordType,
) -> Option<Mismatch> {
    let key = keys.find(|key| !record.fields.iter().any(|f| f.name.as_bytes() == *key))?;
    Some(Mismatch::unknown_field(key, record))
}

/// Field `position` of the record `record`, read from `source` and converted; absent, it
/// is what `nil` converts to (`None` for an optional field), or
/// [`Mismatch::MissingField`]. What `#[spec_record]` generates calls; not part of the API.
#[doc(hidden)]
#[inline(always)]
pub fn record_field<'a, T: FromValue<'a>>(
    source: &RecordSource<'a>,
    record: &'static RecordType,
    position: usize,
) -> Result<T, Mismatch> {
    let field = &record.fields[position];
    let value = match *source {
        RecordSource::Slots(values) => values.get(position).filter(|v| !matches!(v, Value::Void)),
        RecordSource::Map(map) => map.get(field.name.as_bytes()),
        RecordSource::Other(given, values) => present_fields(given, values)
            .find(|(other, _)| other.name == field.name)
            .map(|(_, value)| value),
    };
    match value {
        Some(value) => T::from_value(value.lend()).map_err(|m| m.in_field(field)),
        None => T::from_value(ArgRef::Void).map_err(|_| Mismatch::MissingField(field.name)),
    }
}

/// A record result from its fields' values, in the record's order (`nil` for an optional
/// field left out). What `#[spec_record]` generates calls; not part of the API.
#[doc(hidden)]
#[inline]
pub fn record_value<const N: usize>(
    record: &'static RecordType,
    values: [Value; N],
) -> Result<Value, Error> {
    ScriptRecord::new(record, values.into_iter())
        .map(Value::Record)
        .map_err(|error| Error::msg(error.to_string()))
}

/// A record result's fields handed to `take` ([`IntoValue::into_fields`]), refused as
/// [`record_value`] refuses them: a record that would nest too deep. What
/// `#[spec_record]` generates calls; not part of the API.
#[doc(hidden)]
#[inline]
pub fn record_fields_into<const N: usize>(
    record: &'static RecordType,
    mut values: [Value; N],
    take: &mut TakeFields<'_>,
) -> Result<Option<Value>, Error> {
    fitting(record, &values).map_err(|error| Error::msg(error.to_string()))?;
    take(record, &mut values);
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_checked_and_bytes_are_not() {
        let bytes = Value::str(b"a\xffb".as_slice());
        assert_eq!(<&[u8]>::from_value(bytes.lend()), Ok(b"a\xffb".as_slice()));
        assert_eq!(
            <&str>::from_value(bytes.lend()),
            Err(Mismatch::NotText { valid_up_to: 1 })
        );
        assert_eq!(<&str>::from_value(Value::str("ok").lend()), Ok("ok"));
        assert_eq!(<&str>::from_value(ArgRef::Bytes(b"lent")), Ok("lent"));
        assert_eq!(
            <&str>::from_value(ArgRef::Bytes(b"\xfe")),
            Err(Mismatch::NotText { valid_up_to: 0 })
        );
        assert_eq!(
            ScriptString::from_value(ArgRef::Bytes(b"copied")),
            Ok(ScriptString::from("copied"))
        );
        assert_eq!(
            <&str>::from_value(Value::Int(1).lend()),
            Err(Mismatch::Type("int"))
        );
    }

    #[test]
    fn lists_optionals_and_floats_convert_both_ways() {
        let list = Value::list([Value::Int(1), Value::Int(2)]).unwrap();
        assert_eq!(Vec::<i64>::from_value(list.lend()), Ok(vec![1, 2]));
        let mixed = Value::list([Value::Int(1), Value::str("x")]).unwrap();
        let mismatch = Vec::<i64>::from_value(mixed.lend()).unwrap_err();
        assert_eq!(mismatch.to_string(), "a list whose element 2 is string");
        let borrowed = ListRef::<i64>::from_value(list.lend()).unwrap();
        assert_eq!((borrowed.len(), borrowed.iter().sum::<i64>()), (2, 3));
        assert_eq!(
            ListRef::<i64>::from_value(mixed.lend()).unwrap_err(),
            Mismatch::Element {
                index: 1,
                got: Some("string")
            }
        );
        assert_eq!(Option::<i64>::from_value(Value::Void.lend()), Ok(None));
        assert_eq!(Option::<i64>::from_value(Value::Int(3).lend()), Ok(Some(3)));
        assert_eq!(f64::from_value(Value::Int(3).lend()), Ok(3.0));
        assert_eq!(
            vec![Some("a"), None].into_value().unwrap(),
            Value::list([Value::str("a"), Value::Void]).unwrap()
        );
        assert_eq!(
            <Vec<Option<String>> as IntoValue>::TYPE.to_string(),
            "list<string?>"
        );
    }
}
