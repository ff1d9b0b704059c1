//! The process-wide store of nested script types: each `list<T>`, `T?`, `map<T>`, record
//! and enum a spec names is allocated once and shared, so a `ScriptType` stays `Copy` with
//! `&'static` parts.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

use crate::ScriptType;
use crate::model::{ClassType, EnumType, FieldType, RecordType};

/// A `'static` copy of `ty`: the types without parts are constants; each nested type is
/// allocated once per process and reused after, found by its hash (specs name few
/// distinct types).
pub(crate) fn keep(ty: ScriptType) -> &'static ScriptType {
    static KEPT: Mutex<Option<HashSet<&'static ScriptType>>> = Mutex::new(None);
    match ty {
        ScriptType::Int => &ScriptType::Int,
        ScriptType::Float => &ScriptType::Float,
        ScriptType::String => &ScriptType::String,
        ScriptType::Bool => &ScriptType::Bool,
        ScriptType::Void => &ScriptType::Void,
        nested => {
            let mut kept = KEPT.lock().unwrap_or_else(PoisonError::into_inner);
            let kept = kept.get_or_insert_with(HashSet::new);
            if let Some(found) = kept.get(&nested) {
                return found;
            }
            let leaked: &'static ScriptType = Box::leak(Box::new(nested));
            kept.insert(leaked);
            leaked
        }
    }
}

/// A record's contents, as the store finds a record it kept before.
type RecordKey = (String, Vec<(String, ScriptType)>);

/// The `'static` record type named `name` with `fields` (name and type, in order),
/// allocated once per process for each distinct record.
pub(crate) fn keep_record<'a>(
    name: &str,
    fields: impl Iterator<Item = (&'a str, ScriptType)>,
) -> &'static RecordType {
    static KEPT: Mutex<Option<HashMap<RecordKey, &'static RecordType>>> = Mutex::new(None);
    let key: RecordKey = (
        name.to_string(),
        fields.map(|(field, ty)| (field.to_string(), ty)).collect(),
    );
    let mut kept = KEPT.lock().unwrap_or_else(PoisonError::into_inner);
    let kept = kept.get_or_insert_with(HashMap::new);
    if let Some(found) = kept.get(&key) {
        return found;
    }
    let fields: Vec<FieldType> = key
        .1
        .iter()
        .map(|(field, ty)| FieldType {
            name: leak_str(field),
            ty: *ty,
        })
        .collect();
    let record: &'static RecordType = Box::leak(Box::new(RecordType {
        name: leak_str(&key.0),
        fields: Box::leak(fields.into_boxed_slice()),
    }));
    kept.insert(key, record);
    record
}

/// An enum's contents, as the store finds an enum it kept before.
type EnumKey = (String, Vec<String>);

/// The `'static` enum type named `name` with `values`, allocated once per process for
/// each distinct enum.
pub(crate) fn keep_enum<'a>(
    name: &str,
    values: impl Iterator<Item = &'a str>,
) -> &'static EnumType {
    static KEPT: Mutex<Option<HashMap<EnumKey, &'static EnumType>>> = Mutex::new(None);
    let key = (
        name.to_string(),
        values.map(str::to_string).collect::<Vec<_>>(),
    );
    let mut kept = KEPT.lock().unwrap_or_else(PoisonError::into_inner);
    let kept = kept.get_or_insert_with(HashMap::new);
    if let Some(found) = kept.get(&key) {
        return found;
    }
    let values: Vec<&'static str> = key.1.iter().map(|value| leak_str(value)).collect();
    let choice: &'static EnumType = Box::leak(Box::new(EnumType {
        name: leak_str(&key.0),
        values: Box::leak(values.into_boxed_slice()),
    }));
    kept.insert(key, choice);
    choice
}

/// The `'static` class type named `name`, allocated once per process for each name.
pub(crate) fn keep_class(name: &str) -> &'static ClassType {
    static KEPT: Mutex<Option<HashMap<String, &'static ClassType>>> = Mutex::new(None);
    let mut kept = KEPT.lock().unwrap_or_else(PoisonError::into_inner);
    let kept = kept.get_or_insert_with(HashMap::new);
    if let Some(found) = kept.get(name) {
        return found;
    }
    let class: &'static ClassType = Box::leak(Box::new(ClassType {
        name: leak_str(name),
    }));
    kept.insert(name.to_string(), class);
    class
}

/// A `'static` copy of `text`, for a kept type's names.
fn leak_str(text: &str) -> &'static str {
    Box::leak(text.to_string().into_boxed_str())
}
