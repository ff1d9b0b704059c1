//! `ScriptRecord`: a value of a spec record (`geo.Point`), its fields' values in the
//! record's order, behind a one-word shared pointer.
//!
//! To a script a record is a map with those keys: it prints, compares, indexes and
//! counts as the map of its present fields would. Keeping the type instead of the keys
//! is what makes it cheap: making one is one allocation (no key strings, no sort), and a
//! field is read by its position, which the glue knows at compile time.

use std::fmt;

use smallvec::SmallVec;
use triomphe::ThinArc;

use crate::{FieldType, RecordType, ScriptString, Value};

/// A value of the spec record [`ScriptRecord::ty`]: one value per field, in the record's
/// field order, [`Value::Void`] for an optional field left out. Cloning shares it.
///
/// It counts as one level of nesting, as a map does ([`Value::MAX_NESTING`]). Its depth
/// and the bytes it holds are found from its fields' own (a look at each field, not a
/// walk), so the allocation holds only the type and the values.
#[derive(Clone)]
pub struct ScriptRecord(ThinArc<&'static RecordType, Value>);

/// Why a record cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// It would nest lists, maps and records more than [`Value::MAX_NESTING`] deep.
    #[error("lists and maps nest at most {} deep", Value::MAX_NESTING)]
    TooDeep,
    /// The values given are not one per field of the record.
    #[error("the record {record} has {fields} fields, not {values}")]
    FieldCount {
        /// The record's name.
        record: &'static str,
        /// How many fields it has.
        fields: usize,
        /// How many values were given.
        values: usize,
    },
}

impl ScriptRecord {
    /// A record of type `ty` holding `values`, one per field in the record's order
    /// (`Value::Void` for an optional field left out); an error if there are not as many
    /// values as fields or the record would nest too deep. One allocation. The values'
    /// types are the caller's to check (the glue and the bridges convert each by its
    /// field's type).
    pub fn new(
        ty: &'static RecordType,
        values: impl ExactSizeIterator<Item = Value>,
    ) -> Result<ScriptRecord, RecordError> {
        if values.len() != ty.fields.len() {
            return Err(RecordError::FieldCount {
                record: ty.name,
                fields: ty.fields.len(),
                values: values.len(),
            });
        }
        let record = ScriptRecord(ThinArc::from_header_and_iter(ty, values));
        if record.depth() > Value::MAX_NESTING {
            return Err(RecordError::TooDeep);
        }
        Ok(record)
    }

    /// The record's type.
    #[inline]
    pub fn ty(&self) -> &'static RecordType {
        self.0.header.header
    }

    /// Whether this is a value of `ty` (the same record, by name: each spec names a
    /// record once).
    #[inline]
    pub fn is(&self, ty: &RecordType) -> bool {
        same_record(self.ty(), ty)
    }

    /// The fields' values in the record's order (`Value::Void` for one left out).
    #[inline]
    pub fn values(&self) -> &[Value] {
        &self.0.slice
    }

    /// The value of the field `name`, if the record has it and it is present.
    pub fn get(&self, name: &[u8]) -> Option<&Value> {
        self.fields()
            .find(|(field, _)| field.as_bytes() == name)
            .map(|(_, value)| value)
    }

    /// The present fields, name and value, in the record's order.
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        present_fields(self.ty(), self.values()).map(|(field, value)| (field.name, value))
    }

    /// The present fields as a script map's entries would be: by key, in byte order.
    pub fn entries(&self) -> Vec<(&'static str, &Value)> {
        let mut entries: Vec<_> = self.fields().collect();
        entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        entries
    }

    /// How many fields are present: the length of the map it stands for.
    pub fn len(&self) -> usize {
        self.fields().count()
    }

    /// Whether no field is present.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How deep this record nests: 1 for a record holding no list, map or record.
    pub fn depth(&self) -> usize {
        1 + self.values().iter().map(Value::depth).max().unwrap_or(0)
    }

    /// Bytes the record holds on the heap: its slots and everything in its values (see
    /// [`Value::held_bytes`]).
    pub fn held_bytes(&self) -> usize {
        self.values()
            .iter()
            .map(Value::held_bytes)
            .fold(std::mem::size_of_val(self.values()), usize::saturating_add)
    }

    /// Whether the record holds the same entries as the map `entries` (what `==` means
    /// between a record and a map).
    pub fn same_entries(&self, entries: &[(ScriptString, Value)]) -> bool {
        let mine = self.entries();
        mine.len() == entries.len()
            && mine
                .iter()
                .zip(entries)
                .all(|((name, value), (key, other))| {
                    name.as_bytes() == key.as_bytes() && *value == other
                })
    }
}

/// Whether `a` and `b` are the same record (by name: each spec names a record once).
pub(crate) fn same_record(a: &RecordType, b: &RecordType) -> bool {
    std::ptr::eq(a, b) || a.name == b.name
}

/// The fields of a record of type `ty` holding `values` (one per field, in order) that
/// are present (not `nil`), each with its value.
pub(crate) fn present_fields<'a>(
    ty: &'static RecordType,
    values: &'a [Value],
) -> impl Iterator<Item = (&'static FieldType, &'a Value)> {
    ty.fields
        .iter()
        .zip(values)
        .filter(|(_, value)| !matches!(value, Value::Void))
}

/// Whether `values` can be the fields of a record of type `ty`: one per field, none
/// nested so deep that the record would pass [`Value::MAX_NESTING`].
#[inline]
pub(crate) fn fitting(ty: &'static RecordType, values: &[Value]) -> Result<(), RecordError> {
    if values.len() != ty.fields.len() {
        return Err(RecordError::FieldCount {
            record: ty.name,
            fields: ty.fields.len(),
            values: values.len(),
        });
    }
    if values
        .iter()
        .any(|value| value.depth() >= Value::MAX_NESTING)
    {
        return Err(RecordError::TooDeep);
    }
    Ok(())
}

/// A record's fields as an engine's bridge converts them from a table or map, whose keys
/// come in any order: each value is set at its field's position. A bridge lends them to a
/// native's glue as they are ([`ArgRef::Fields`](crate::ArgRef::Fields): no allocation),
/// or makes a [`ScriptRecord`] of them ([`RecordFields::finish`]: one allocation). Up to
/// four fields are kept inline; a record with more allocates its fields once.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordFields {
    ty: &'static RecordType,
    /// One per field, in the record's order; each nested less than
    /// [`Value::MAX_NESTING`] deep, so the record is within it.
    slots: SmallVec<[Value; INLINE_FIELDS]>,
}

/// How many fields [`RecordFields`] keeps inline.
const INLINE_FIELDS: usize = 4;

impl RecordFields {
    /// A record of type `ty` with every field left out.
    #[inline]
    pub fn new(ty: &'static RecordType) -> RecordFields {
        let count = ty.fields.len();
        // A record of up to four fields fills its inline buffer directly: collecting the
        // slots costs several times as much.
        let slots = if count <= INLINE_FIELDS {
            SmallVec::from_buf_and_len([const { Value::Void }; INLINE_FIELDS], count)
        } else {
            ty.fields.iter().map(|_| Value::Void).collect()
        };
        RecordFields { ty, slots }
    }

    /// The record's type.
    #[inline]
    pub fn ty(&self) -> &'static RecordType {
        self.ty
    }

    /// The fields' values in the record's order (`Value::Void` for one left out).
    #[inline]
    pub fn values(&self) -> &[Value] {
        &self.slots
    }

    /// The position and the field of the record called `name`, if it has one.
    #[inline]
    pub fn field(&self, name: &[u8]) -> Option<(usize, &'static FieldType)> {
        self.ty
            .fields
            .iter()
            .enumerate()
            .find(|(_, field)| field.name.as_bytes() == name)
    }

    /// Sets the field at `position` (from [`RecordFields::field`]) to `value`; an error,
    /// setting nothing, if `value` nests so deep that the record would pass
    /// [`Value::MAX_NESTING`], or if the record has no such field.
    #[inline]
    pub fn set(&mut self, position: usize, value: Value) -> Result<(), RecordError> {
        if value.depth() >= Value::MAX_NESTING {
            return Err(RecordError::TooDeep);
        }
        let Some(slot) = self.slots.get_mut(position) else {
            return Err(RecordError::FieldCount {
                record: self.ty.name,
                fields: self.ty.fields.len(),
                values: position + 1,
            });
        };
        *slot = value;
        Ok(())
    }

    /// A value of the record holding these fields (one allocation).
    pub fn finish(self) -> ScriptRecord {
        ScriptRecord(ThinArc::from_header_and_iter(
            self.ty,
            self.slots.into_iter(),
        ))
    }

    /// A value of the record holding copies of these fields (shared, for strings and
    /// lists).
    pub fn to_record(&self) -> ScriptRecord {
        ScriptRecord(ThinArc::from_header_and_iter(
            self.ty,
            self.slots.iter().cloned(),
        ))
    }
}

impl PartialEq for ScriptRecord {
    /// Records are equal when they are of one type and their fields are equal.
    fn eq(&self, other: &Self) -> bool {
        self.is(other.ty()) && self.values() == other.values()
    }
}

impl fmt::Debug for ScriptRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut record = f.debug_struct(self.ty().name);
        for (name, value) in self.fields() {
            record.field(name, value);
        }
        record.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ScriptType;

    static POINT: RecordType = RecordType {
        name: "geo.Point",
        fields: &[
            FieldType {
                name: "y",
                ty: ScriptType::Float,
            },
            FieldType {
                name: "x",
                ty: ScriptType::Float,
            },
            FieldType {
                name: "label",
                ty: ScriptType::Optional(&ScriptType::String),
            },
        ],
    };

    fn point(values: Vec<Value>) -> Result<ScriptRecord, RecordError> {
        ScriptRecord::new(&POINT, values.into_iter())
    }

    #[test]
    fn fields_are_read_by_name_and_an_absent_one_is_none() {
        let p = point(vec![Value::Float(2.0), Value::Float(1.0), Value::Void]).unwrap();
        assert_eq!(p.get(b"x"), Some(&Value::Float(1.0)));
        assert_eq!(p.get(b"y"), Some(&Value::Float(2.0)));
        assert_eq!(p.get(b"label"), None);
        assert_eq!(p.get(b"z"), None);
        assert_eq!(p.len(), 2);
        assert_eq!(p.depth(), 1);
    }

    #[test]
    fn entries_come_in_key_order_as_a_map_s_would() {
        let p = point(vec![Value::Float(2.0), Value::Float(1.0), Value::str("a")]).unwrap();
        let keys: Vec<&str> = p.entries().iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["label", "x", "y"]);
    }

    #[test]
    fn a_value_per_field_or_an_error_naming_the_counts() {
        assert_eq!(
            point(vec![Value::Float(2.0)]).unwrap_err().to_string(),
            "the record geo.Point has 3 fields, not 1"
        );
    }

    #[test]
    fn a_record_counts_as_a_level_of_nesting() {
        let mut deep = Value::Int(0);
        for _ in 0..Value::MAX_NESTING - 1 {
            deep = Value::list(vec![deep]).unwrap();
        }
        let at_limit = point(vec![Value::Float(0.0), Value::Float(0.0), deep.clone()]).unwrap();
        assert_eq!(at_limit.depth(), Value::MAX_NESTING);
        let deeper = Value::list(vec![deep]).unwrap();
        assert_eq!(
            point(vec![Value::Float(0.0), Value::Float(0.0), deeper]).unwrap_err(),
            RecordError::TooDeep
        );
    }
}
