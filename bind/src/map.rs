//! `ScriptMap`: a script `map<T>` (and, later, a record): string keys to values, behind a
//! one-word shared pointer.

use std::fmt;

use triomphe::ThinArc;

use crate::{ScriptString, Value};

/// A script map: entries sorted by their keys' bytes, each key once, behind a one-word
/// shared pointer. Cloning shares it. A lookup is a binary search.
///
/// A map counts as one level of nesting, as a list does ([`Value::MAX_NESTING`]), and
/// records the bytes it holds, so a host bounds what a script keeps without a walk.
#[derive(Clone)]
pub struct ScriptMap(ThinArc<MapHeader, (ScriptString, Value)>);

/// What a map records about itself when it is made.
#[derive(Clone, Copy, Debug)]
struct MapHeader {
    depth: u8,
    held_bytes: usize,
}

/// Why a map cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    /// It would nest lists and maps more than [`Value::MAX_NESTING`] deep.
    #[error("lists and maps nest at most {} deep", Value::MAX_NESTING)]
    TooDeep,
    /// Two entries have this key (shown as text, with U+FFFD for bytes that are not UTF-8).
    #[error("the key {0:?} appears twice")]
    DuplicateKey(String),
}

impl ScriptMap {
    /// A map of `entries`, in any order; an error if a key appears twice or the map would
    /// nest too deep.
    pub fn new(mut entries: Vec<(ScriptString, Value)>) -> Result<ScriptMap, MapError> {
        entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        if let Some(pair) = entries.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            return Err(MapError::DuplicateKey(
                String::from_utf8_lossy(pair[0].0.as_bytes()).into_owned(),
            ));
        }
        let inner = entries
            .iter()
            .map(|(_, value)| value.depth())
            .max()
            .unwrap_or(0);
        if inner >= Value::MAX_NESTING {
            return Err(MapError::TooDeep);
        }
        let slots = entries
            .len()
            .saturating_mul(std::mem::size_of::<(ScriptString, Value)>());
        let held_bytes = entries
            .iter()
            .map(|(key, value)| key.len().saturating_add(value.held_bytes()))
            .fold(slots, usize::saturating_add);
        let header = MapHeader {
            // MAX_NESTING is below 256, so the depth fits the byte.
            depth: (inner + 1) as u8,
            held_bytes,
        };
        Ok(ScriptMap(ThinArc::from_header_and_iter(
            header,
            entries.into_iter(),
        )))
    }

    /// The value under `key`, if any.
    pub fn get(&self, key: &[u8]) -> Option<&Value> {
        self.0
            .slice
            .binary_search_by(|(k, _)| k.as_bytes().cmp(key))
            .ok()
            .map(|at| &self.0.slice[at].1)
    }

    /// How deep this map nests: 1 for a map holding no list or map.
    pub fn depth(&self) -> usize {
        usize::from(self.0.header.header.depth)
    }

    /// Bytes the map holds on the heap: its entries, their keys and everything in their
    /// values (see [`Value::held_bytes`]).
    pub fn held_bytes(&self) -> usize {
        self.0.header.header.held_bytes
    }

    /// Whether two maps share one allocation.
    pub fn ptr_eq(a: &ScriptMap, b: &ScriptMap) -> bool {
        a.0.ptr() == b.0.ptr()
    }
}

impl std::ops::Deref for ScriptMap {
    type Target = [(ScriptString, Value)];
    /// The entries, in key order.
    fn deref(&self) -> &[(ScriptString, Value)] {
        &self.0.slice
    }
}

impl PartialEq for ScriptMap {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl fmt::Debug for ScriptMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.iter().map(|(key, value)| (key, value)))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, Value)]) -> Result<ScriptMap, MapError> {
        ScriptMap::new(
            entries
                .iter()
                .map(|(key, value)| (ScriptString::from(*key), value.clone()))
                .collect(),
        )
    }

    #[test]
    fn entries_are_kept_in_key_order_and_found_by_key() {
        let m = map(&[
            ("b", Value::Int(2)),
            ("a", Value::Int(1)),
            ("", Value::Void),
        ])
        .unwrap();
        let keys: Vec<&[u8]> = m.iter().map(|(k, _)| k.as_bytes()).collect();
        assert_eq!(keys, [b"".as_slice(), b"a", b"b"]);
        assert_eq!(m.get(b"a"), Some(&Value::Int(1)));
        assert_eq!(m.get(b"b"), Some(&Value::Int(2)));
        assert_eq!(m.get(b"c"), None);
        assert_eq!(m.depth(), 1);
    }

    #[test]
    fn a_key_twice_is_an_error_naming_it() {
        assert_eq!(
            map(&[("x", Value::Int(1)), ("x", Value::Int(2))]),
            Err(MapError::DuplicateKey("x".into()))
        );
    }

    #[test]
    fn maps_and_lists_nest_at_most_max_nesting_deep_together() {
        let mut value = Value::list([]).unwrap();
        for level in 1..Value::MAX_NESTING {
            value = if level % 2 == 0 {
                Value::list([value]).unwrap()
            } else {
                Value::Map(map(&[("in", value)]).unwrap())
            };
        }
        assert_eq!(value.depth(), Value::MAX_NESTING);
        assert_eq!(map(&[("in", value.clone())]), Err(MapError::TooDeep));
        assert!(Value::list([value]).is_err());
    }

    #[test]
    fn a_map_knows_the_bytes_it_holds() {
        let entry = std::mem::size_of::<(ScriptString, Value)>();
        let m = map(&[("ab", Value::str("xyz")), ("c", Value::Int(1))]).unwrap();
        assert_eq!(m.held_bytes(), 2 * entry + 2 + 3 + 1);
        assert_eq!(Value::Map(m).held_bytes(), 2 * entry + 6);
    }
}
