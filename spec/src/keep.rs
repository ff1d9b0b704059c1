//! The process-wide store of nested script types: each `list<T>` or `T?` a spec names is
//! allocated once and shared, so a `ScriptType` stays `Copy` with `&'static` parts.

use std::collections::HashSet;

use crate::ScriptType;

/// A `'static` copy of `ty`: the types without parts are constants; each nested type is
/// allocated once per process and reused after, found by its hash (specs name few
/// distinct types).
pub(crate) fn keep(ty: ScriptType) -> &'static ScriptType {
    static KEPT: std::sync::Mutex<Option<HashSet<&'static ScriptType>>> =
        std::sync::Mutex::new(None);
    match ty {
        ScriptType::Int => &ScriptType::Int,
        ScriptType::Float => &ScriptType::Float,
        ScriptType::String => &ScriptType::String,
        ScriptType::Bool => &ScriptType::Bool,
        ScriptType::Void => &ScriptType::Void,
        nested => {
            let mut kept = KEPT
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
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
