//! `ScriptString`: a script's string, as in Go and Lua: shared, immutable bytes. Usually
//! UTF-8 text, but any bytes are kept exactly.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use triomphe::{HeaderWithLength, ThinArc};

/// A script string: immutable bytes behind a one-word shared pointer (the length lives
/// in the allocation, beside the count), so a [`Value`](crate::Value) stays two words.
/// Cloning shares it; nothing is copied.
///
/// A native takes one as bytes (`&[u8]`, `Vec<u8>`) unchecked, or as text (`&str`,
/// `String`), when the glue checks that the bytes are UTF-8 and names the argument if
/// they are not.
#[derive(Clone)]
pub struct ScriptString(ThinArc<(), u8>);

impl ScriptString {
    /// A string holding a copy of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> ScriptString {
        ScriptString(ThinArc::from_header_and_slice((), bytes))
    }

    /// `left` followed by `right`, copied once into the new string.
    pub fn concat(left: &[u8], right: &[u8]) -> ScriptString {
        ScriptString(ThinArc::from_header_and_iter((), Concat::new(left, right)))
    }

    /// The bytes.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0.slice
    }

    /// The bytes as text, if they are UTF-8.
    pub fn to_str(&self) -> Result<&str, std::str::Utf8Error> {
        std::str::from_utf8(self.as_bytes())
    }

    /// Whether two strings share one allocation.
    pub fn ptr_eq(a: &ScriptString, b: &ScriptString) -> bool {
        a.0.ptr() == b.0.ptr()
    }

    /// How many `ScriptString`s share this one's allocation.
    pub fn strong_count(this: &ScriptString) -> usize {
        ThinArc::strong_count(&this.0)
    }

    /// Bytes the shared allocation takes beyond the string's own: its count and length.
    pub const HEADER_BYTES: usize = std::mem::size_of::<HeaderWithLength<()>>()
        + std::mem::size_of::<std::sync::atomic::AtomicUsize>();
}

/// Two slices, one after the other, as an iterator that knows its length (what
/// `ThinArc::from_header_and_iter` asks for).
struct Concat<'a> {
    bytes: std::iter::Chain<std::slice::Iter<'a, u8>, std::slice::Iter<'a, u8>>,
    remaining: usize,
}

impl<'a> Concat<'a> {
    fn new(left: &'a [u8], right: &'a [u8]) -> Self {
        Concat {
            bytes: left.iter().chain(right),
            remaining: left.len() + right.len(),
        }
    }
}

impl Iterator for Concat<'_> {
    type Item = u8;
    #[inline]
    fn next(&mut self) -> Option<u8> {
        let byte = self.bytes.next().copied();
        self.remaining = self.remaining.saturating_sub(1);
        byte
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for Concat<'_> {}

impl Deref for ScriptString {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl AsRef<[u8]> for ScriptString {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Borrow<[u8]> for ScriptString {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl From<&[u8]> for ScriptString {
    fn from(bytes: &[u8]) -> Self {
        ScriptString::from_bytes(bytes)
    }
}

impl<const N: usize> From<&[u8; N]> for ScriptString {
    fn from(bytes: &[u8; N]) -> Self {
        ScriptString::from_bytes(bytes)
    }
}

impl From<Vec<u8>> for ScriptString {
    fn from(bytes: Vec<u8>) -> Self {
        ScriptString::from_bytes(&bytes)
    }
}

impl From<&str> for ScriptString {
    fn from(text: &str) -> Self {
        ScriptString::from_bytes(text.as_bytes())
    }
}

impl From<String> for ScriptString {
    fn from(text: String) -> Self {
        ScriptString::from_bytes(text.as_bytes())
    }
}

impl From<&String> for ScriptString {
    fn from(text: &String) -> Self {
        ScriptString::from_bytes(text.as_bytes())
    }
}

impl PartialEq for ScriptString {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for ScriptString {}

impl PartialOrd for ScriptString {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ScriptString {
    /// Byte order, as Go and Lua compare strings.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl Hash for ScriptString {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl PartialEq<str> for ScriptString {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for ScriptString {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<[u8]> for ScriptString {
    fn eq(&self, other: &[u8]) -> bool {
        self.as_bytes() == other
    }
}

impl fmt::Display for ScriptString {
    /// The text, with each byte that is not part of valid UTF-8 shown as U+FFFD (the
    /// bytes themselves are unchanged; write [`ScriptString::as_bytes`] for them).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.as_bytes().utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{FFFD}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for ScriptString {
    /// Quoted text, with bytes that are not UTF-8 as `\xNN` escapes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for chunk in self.as_bytes().utf8_chunks() {
            for c in chunk.valid().chars() {
                write!(f, "{}", c.escape_debug())?;
            }
            for byte in chunk.invalid() {
                write!(f, "\\x{byte:02x}")?;
            }
        }
        f.write_str("\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_string_is_one_word_and_keeps_any_bytes() {
        assert_eq!(
            std::mem::size_of::<ScriptString>(),
            std::mem::size_of::<usize>()
        );
        let bytes = ScriptString::from(b"\0\xff\x01");
        assert_eq!(bytes.as_bytes(), [0, 255, 1]);
        assert_eq!(bytes.len(), 3);
        assert!(bytes.to_str().is_err());
        assert_eq!(format!("{bytes:?}"), r#""\0\xff\u{1}""#);
        assert_eq!(bytes.to_string(), "\0\u{FFFD}\u{1}");
        assert_eq!(ScriptString::from("héllo").to_str(), Ok("héllo"));
    }

    #[test]
    fn concat_copies_both_sides_and_clones_share() {
        let joined = ScriptString::concat(b"ab", b"\xffc");
        assert_eq!(joined.as_bytes(), b"ab\xffc");
        assert_eq!(ScriptString::concat(b"", b"").len(), 0);
        let shared = joined.clone();
        assert!(ScriptString::ptr_eq(&joined, &shared));
        assert_eq!(ScriptString::strong_count(&joined), 2);
        let (a, b) = (ScriptString::from("a"), ScriptString::from("b"));
        assert!(a < b);
    }
}
