//! One call's conversion of engine tables, arrays and maps into script lists and maps,
//! shared by the Lua and Rhai bridges: converted only as far as the parameter's type asks,
//! bounded in bytes, and sharing what the engine shares.
//!
//! - **By type.** A table or array reaches a list only where the parameter is a
//!   `list<T>` (or `list<T>?`), and a table or object map reaches a map only where it is
//!   a `map<T>` or a record; anywhere else it is a type error at once. Inside a list or map, a nested
//!   table is converted only where the element type is itself a list or a map.
//! - **Bounded.** Every byte the converted values take (a list's slots, a string's
//!   bytes, each with a small header) is charged against the context's conversion limit
//!   ([`Context::conversion_limit`](crate::Context::conversion_limit)); past it the call
//!   is an error naming the argument, and nothing more is allocated. Every element
//!   visited is a slot charged, so the work is bounded by the same figure.
//! - **Shared.** A string the engine holds once is copied once however many times the
//!   argument refers to it, and a table reached along several paths is converted once
//!   and shared (script lists are immutable), so a value built of references costs what
//!   the engine itself holds, not the number of paths through it.

use std::collections::HashMap;

use smallvec::SmallVec;

use super::{Unconverted, with_article};
use crate::{
    ArgRef, Error, FieldType, FnSpec, Mismatch, Native, RecordFields, RecordType, ScriptList,
    ScriptMap, ScriptRecord, ScriptString, ScriptType, Value,
};

/// Bytes charged for each string or list besides its payload: its allocation's header.
const HEADER: usize = 16;

/// Why a table or array argument was refused.
pub enum Refusal {
    /// A value of the wrong script type (the glue's own wording).
    Type(Mismatch),
    /// A value no script type holds.
    Unconverted(Unconverted),
    /// Converting it would take more than the context's conversion limit.
    TooLarge,
}

impl Refusal {
    /// The same refusal, found at element `position` (from 1) of an enclosing list of
    /// `element`s.
    pub fn in_element(self, position: usize, element: ScriptType) -> Refusal {
        match self {
            Refusal::Type(mismatch) => Refusal::Type(mismatch.in_element(position - 1, element)),
            Refusal::Unconverted(unconverted) => {
                Refusal::Unconverted(unconverted.in_element(position))
            }
            Refusal::TooLarge => Refusal::TooLarge,
        }
    }

    /// The same refusal, found in the field `field` of an enclosing record.
    pub fn in_field(self, field: &'static FieldType) -> Refusal {
        match self {
            Refusal::Type(mismatch) => Refusal::Type(mismatch.in_field(field)),
            other => other,
        }
    }

    /// The same refusal, found in the value of entry `key` of an enclosing map of
    /// `value`s.
    pub fn in_entry(self, key: &[u8], value: ScriptType) -> Refusal {
        match self {
            Refusal::Type(mismatch) => Refusal::Type(mismatch.in_entry(key, value)),
            other => other,
        }
    }

    /// The error of argument `position` (from 1, as the caller passes it: see [`Place`])
    /// of `native`, which `conversion` refused; `container` is the engine's word for a
    /// table or array.
    pub fn into_error(
        self,
        native: &Native,
        position: usize,
        container: &'static str,
        conversion: &Conversion,
    ) -> Error {
        let spec = native.spec();
        match (self, Place::of(spec, position - 1)) {
            (Refusal::Unconverted(unconverted), _) => {
                Error::msg(unconverted.argument_message(native, position, container))
            }
            (Refusal::Type(mismatch), Place::Parameter(index)) => {
                Error::argument_type(spec, index, mismatch)
            }
            (Refusal::TooLarge, Place::Parameter(index)) => {
                Error::argument_too_large(spec, index, conversion.limit)
            }
            // A bridge converts no table or array where the object goes (its type is a
            // class); were it to, the object would be refused as the container it is.
            (Refusal::Type(mismatch), Place::Receiver) => Error::receiver(spec, mismatch),
            (Refusal::TooLarge, Place::Receiver) => {
                Error::receiver(spec, Mismatch::Type(container))
            }
        }
    }
}

impl From<Unconverted> for Refusal {
    fn from(unconverted: Unconverted) -> Refusal {
        Refusal::Unconverted(unconverted)
    }
}

/// What an engine's table, array or map may become where a parameter of type `ty` is: a
/// list, a map or a record (see [`Container`]).
pub fn container(ty: ScriptType) -> Option<Container> {
    match ty.when_passed() {
        ScriptType::List(element) => Some(Container::List(*element)),
        ScriptType::Map(value) => Some(Container::Map(*value)),
        ScriptType::Record(record) => Some(Container::Record(record)),
        _ => None,
    }
}

/// Where an argument of a call goes, by its position as the caller passes it: for a
/// method, the first is the object it is called on, and its parameters follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The object a method is called on.
    Receiver,
    /// The spec's parameter at this index (from 0).
    Parameter(usize),
}

impl Place {
    /// Where argument `position` (from 0, as passed) of a call of `spec` goes.
    pub fn of(spec: &FnSpec, position: usize) -> Place {
        match (spec.receiver, position) {
            (Some(_), 0) => Place::Receiver,
            (Some(_), position) => Place::Parameter(position - 1),
            (None, position) => Place::Parameter(position),
        }
    }
}

/// The script type of argument `position` (from 0) of a call of `spec`, as a caller
/// passes it (`None` past the last parameter; see [`Place`]).
pub fn argument_type(spec: &FnSpec, position: usize) -> Option<ScriptType> {
    match Place::of(spec, position) {
        Place::Receiver => spec.receiver.map(ScriptType::Class),
        Place::Parameter(index) => spec.params.get(index).map(|p| p.ty.when_passed()),
    }
}

/// The record of a parameter of type `ty` that is a list of records (`list<geo.Point>`,
/// or an optional one): a bridge lends such a list's elements as the records' fields
/// ([`Conversion::record_list`]). `None` for any other type (a `list<geo.Point?>`
/// among them: an element may be `nil`).
pub fn records_of(ty: ScriptType) -> Option<&'static RecordType> {
    match ty.when_passed() {
        ScriptType::List(ScriptType::Record(record)) => Some(record),
        _ => None,
    }
}

/// What a table, array or object map becomes, by the type of where it goes.
#[derive(Clone, Copy)]
pub enum Container {
    /// A `list<T>`: the element type.
    List(ScriptType),
    /// A `map<T>`: the value type.
    Map(ScriptType),
    /// A record.
    Record(&'static RecordType),
}

/// One call's conversions: what they have charged, and what they have made, by the
/// engine's identity of the value (its address while the call holds it). Making one and
/// dropping it cost next to nothing: a call with no table or array boxes nothing and
/// keeps nothing.
pub struct Conversion {
    limit: usize,
    used: usize,
    /// What the call's conversions made, by the engine's identity of the value: made with
    /// the first string, list or map converted (which allocate anyway).
    made: Option<Box<Made>>,
    /// Record arguments, and lists of records, kept for the call, lent to the glue as
    /// they are.
    kept: SmallVec<[Kept; 1]>,
}

/// The strings, lists and maps one call's conversions made, to share each when the same
/// engine value is reached again.
#[derive(Default)]
struct Made {
    strings: HashMap<usize, ScriptString>,
    lists: HashMap<(usize, ScriptType, usize), ScriptList>,
    maps: HashMap<(usize, ScriptType, usize), ScriptMap>,
}

/// An argument a call's conversion keeps, to lend it to the glue as it is.
enum Kept {
    /// A record's fields.
    Fields(RecordFields),
    /// A list of records, their fields.
    Records(Vec<RecordFields>),
}

impl Kept {
    /// The argument, lent.
    fn lend(&self) -> ArgRef<'_> {
        match self {
            Kept::Fields(fields) => ArgRef::Fields(fields),
            Kept::Records(records) => ArgRef::Records(records),
        }
    }
}

impl Conversion {
    /// A conversion that may take `limit` bytes in all.
    #[inline(always)]
    pub fn new(limit: usize) -> Conversion {
        Conversion {
            limit,
            used: 0,
            made: None,
            kept: SmallVec::new(),
        }
    }

    /// What the call's conversions made, made with the first thing kept in it.
    fn made(&mut self) -> &mut Made {
        self.made.get_or_insert_with(Box::default)
    }

    /// The bytes this call's conversions left of the limit: what the native may still copy
    /// out of a list ([`copy_allowance`](crate::copy_allowance)).
    pub fn remaining(&self) -> usize {
        self.limit - self.used
    }

    /// Whether any table or array was converted.
    pub fn converted_any(&self) -> bool {
        self.used > 0
    }

    /// Charges `bytes`, or refuses when they would pass the limit (charging nothing).
    fn charge(&mut self, bytes: usize) -> Result<(), Refusal> {
        match self.used.checked_add(bytes) {
            Some(total) if total <= self.limit => {
                self.used = total;
                Ok(())
            }
            _ => Err(Refusal::TooLarge),
        }
    }

    /// Charges `count` slots of a `T` and a container's header, or refuses when they would
    /// pass the limit (a count whose bytes overflow included), charging nothing.
    fn charge_slots<T>(&mut self, count: usize) -> Result<(), Refusal> {
        let slots = count
            .checked_mul(std::mem::size_of::<T>())
            .ok_or(Refusal::TooLarge)?;
        self.charge(slots.saturating_add(HEADER))
    }

    /// The engine's string `key` with these `bytes`, copied (and charged) the first time
    /// only.
    pub fn string(&mut self, key: usize, bytes: &[u8]) -> Result<ScriptString, Refusal> {
        if let Some(shared) = self.made.as_ref().and_then(|made| made.strings.get(&key)) {
            return Ok(shared.clone());
        }
        self.charge(bytes.len().saturating_add(HEADER))?;
        let string = ScriptString::from(bytes);
        self.made().strings.insert(key, string.clone());
        Ok(string)
    }

    /// The engine's table or array `key` (a `container`: "table", "array") as a script
    /// list of `element` values at nesting `depth`, made once per call and shared after:
    /// past [`Value::MAX_NESTING`] it is refused; otherwise `len` gives its length (or why
    /// it is not a list), the slots are charged before anything is allocated, and
    /// `item(self, position)` converts element `position` (from 1).
    pub fn list(
        &mut self,
        key: usize,
        element: ScriptType,
        depth: usize,
        container: &str,
        len: impl FnOnce() -> Result<usize, Refusal>,
        mut item: impl FnMut(&mut Conversion, usize) -> Result<Value, Refusal>,
    ) -> Result<ScriptList, Refusal> {
        refuse_past_nesting(depth, container)?;
        let made = (key, element, depth);
        if let Some(list) = self.made.as_ref().and_then(|m| m.lists.get(&made)) {
            return Ok(list.clone());
        }
        let len = len()?;
        self.charge_slots::<Value>(len)?;
        let mut items = Vec::with_capacity(len);
        for position in 1..=len {
            let converted = item(self, position);
            items.push(converted.map_err(|refusal| refusal.in_element(position, element))?);
        }
        let list = ScriptList::new(items).map_err(|too_deep| {
            Refusal::from(Unconverted::new(format!(
                "is {} whose lists {too_deep}",
                with_article(container)
            )))
        })?;
        self.made().lists.insert(made, list.clone());
        Ok(list)
    }

    /// The engine's table or map `key` (a `container`) as a script `map<T>` of `value`s
    /// at nesting `depth`, made once per call and shared after: past
    /// [`Value::MAX_NESTING`] it is refused; otherwise `entries(self)` converts its
    /// entries, charging each with [`Conversion::entry`] before it is kept.
    pub fn map(
        &mut self,
        key: usize,
        value: ScriptType,
        depth: usize,
        container: &str,
        entries: impl FnOnce(&mut Conversion) -> Result<Vec<(ScriptString, Value)>, Refusal>,
    ) -> Result<ScriptMap, Refusal> {
        refuse_past_nesting(depth, container)?;
        let made = (key, value, depth);
        if let Some(map) = self.made.as_ref().and_then(|m| m.maps.get(&made)) {
            return Ok(map.clone());
        }
        self.charge(HEADER)?;
        let map = ScriptMap::new(entries(self)?).map_err(|error| {
            Refusal::from(Unconverted::new(format!(
                "is {} whose entries cannot make a map: {error}",
                with_article(container)
            )))
        })?;
        self.made().maps.insert(made, map.clone());
        Ok(map)
    }

    /// The engine's table or map (a `container`) as a value of `record` at nesting
    /// `depth` ([`Conversion::record_fields`]), made into a record: one allocation. A
    /// record is not shared: it is made (and charged) wherever it is reached.
    pub fn record(
        &mut self,
        record: &'static RecordType,
        depth: usize,
        container: &str,
        fill: impl FnOnce(&mut Conversion, &mut RecordFields) -> Result<(), Refusal>,
    ) -> Result<ScriptRecord, Refusal> {
        Ok(self.record_fields(record, depth, container, fill)?.finish())
    }

    /// The fields of the engine's table or map (a `container`) as a value of `record` at
    /// nesting `depth`, not yet made into one (an argument lends them as they are, as
    /// [`ArgRef::Fields`](crate::ArgRef::Fields)): past [`Value::MAX_NESTING`] it is
    /// refused; otherwise the record's slots are charged, then `fill(self, fields)` sets
    /// each field it finds with [`Conversion::set_field`] (by the field's type; a key that
    /// is no field is the refusal [`Mismatch::unknown_field`]).
    pub fn record_fields(
        &mut self,
        record: &'static RecordType,
        depth: usize,
        container: &str,
        fill: impl FnOnce(&mut Conversion, &mut RecordFields) -> Result<(), Refusal>,
    ) -> Result<RecordFields, Refusal> {
        refuse_past_nesting(depth, container)?;
        self.charge_slots::<Value>(record.fields.len())?;
        let mut fields = RecordFields::new(record);
        fill(self, &mut fields)?;
        Ok(fields)
    }

    /// Keeps `fields` (a record argument, from [`Conversion::record_fields`]) for the rest
    /// of the call, so that the glue borrows them as they are; the number returned finds
    /// them ([`Conversion::kept_arg`]).
    pub fn keep_fields(&mut self, fields: RecordFields) -> usize {
        self.kept.push(Kept::Fields(fields));
        self.kept.len() - 1
    }

    /// The record argument or list of records kept as `kept` ([`Conversion::keep_fields`],
    /// [`Conversion::record_list`]), lent to the glue as it is (`nil` for a number this
    /// conversion did not give).
    pub fn kept_arg(&self, kept: usize) -> ArgRef<'_> {
        self.kept.get(kept).map_or(ArgRef::Void, Kept::lend)
    }

    /// The engine's table or array (a `container`) of `len` elements as a list of values
    /// of `record` at nesting `depth`, kept for the rest of the call as the records'
    /// fields, not made into records or a list (the glue borrows them as they are,
    /// [`ArgRef::Records`](crate::ArgRef::Records)): past [`Value::MAX_NESTING`] it is
    /// refused; otherwise the list's slots are charged before anything is allocated, and
    /// `element(self, position, fields)` fills element `position` (from 1) as
    /// [`Conversion::record_fields`] fills one record. The number returned finds the list
    /// ([`Conversion::kept_arg`]).
    pub fn record_list(
        &mut self,
        record: &'static RecordType,
        depth: usize,
        container: &str,
        len: usize,
        mut element: impl FnMut(&mut Conversion, usize, &mut RecordFields) -> Result<(), Refusal>,
    ) -> Result<usize, Refusal> {
        refuse_past_nesting(depth, container)?;
        self.charge_slots::<RecordFields>(len)?;
        let mut list = Vec::with_capacity(len);
        for position in 1..=len {
            let fields = self.record_fields(record, depth + 1, container, |conversion, fields| {
                element(conversion, position, fields)
            });
            list.push(
                fields
                    .map_err(|refusal| refusal.in_element(position, ScriptType::Record(record)))?,
            );
        }
        self.kept.push(Kept::Records(list));
        Ok(self.kept.len() - 1)
    }

    /// Converts the value under the key `key` of a table or map being converted into
    /// `fields` (a `container`): `convert(self, ty)` converts it by its
    /// field's type `ty`. A key that is no field of the record is refused, naming the
    /// nearest field.
    pub fn set_field(
        &mut self,
        fields: &mut RecordFields,
        key: &[u8],
        container: &str,
        convert: impl FnOnce(&mut Conversion, ScriptType) -> Result<Value, Refusal>,
    ) -> Result<(), Refusal> {
        let (position, field) = fields
            .field(key)
            .ok_or_else(|| Refusal::Type(Mismatch::unknown_field(key, fields.ty())))?;
        let value = convert(self, field.ty).map_err(|refusal| refusal.in_field(field))?;
        fields.set(position, value).map_err(|error| {
            Refusal::from(Unconverted::new(format!(
                "is {} whose entries cannot make a record: {error}",
                with_article(container)
            )))
        })
    }

    /// Charges one entry of a map being converted (its slot), or refuses past the limit.
    pub fn entry(&mut self) -> Result<(), Refusal> {
        self.charge(std::mem::size_of::<(ScriptString, Value)>())
    }
}

/// Refuses a `container` (the engine's word) at nesting `depth` past
/// [`Value::MAX_NESTING`]: converting it could not make a script value.
#[inline]
fn refuse_past_nesting(depth: usize, container: &str) -> Result<(), Refusal> {
    if depth < Value::MAX_NESTING {
        return Ok(());
    }
    Err(nested_too_deep(container))
}

/// The refusal of a `container` nested past [`Value::MAX_NESTING`].
#[cold]
#[inline(never)]
fn nested_too_deep(container: &str) -> Refusal {
    Unconverted::new(format!(
        "is {} nested more than {} deep",
        with_article(container),
        Value::MAX_NESTING
    ))
    .into()
}
