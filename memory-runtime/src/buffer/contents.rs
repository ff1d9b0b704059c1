//! A buffer's contents and how they grow, charged to the context's budget.

use goost_bind::{Error, ScriptString};

use crate::budget::Budget;
use crate::error::MemoryError;
use crate::footprint;

/// The smallest capacity a buffer grows to, so tiny appends do not reallocate each time.
const MIN_CAPACITY: usize = 64;

/// What [`Buffer::write`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// Appended within the capacity the buffer had.
    Appended,
    /// Appended after growing the capacity (more bytes charged to the budget).
    Grew,
    /// Not appended: growing would pass the memory limit. Nothing changed.
    Refused,
}

/// A buffer's contents: bytes, as Go's buffers hold them (any bytes a script writes are
/// kept exactly).
#[derive(Debug, Default)]
pub struct Buffer {
    data: Vec<u8>,
}

impl Buffer {
    /// Appends `data`, growing the capacity (doubling, or exactly what is needed when
    /// doubling would pass the limit). [`Written::Refused`] when even the exact growth
    /// would pass the context's limit: nothing changes then.
    #[inline]
    pub fn write(&mut self, data: &[u8], budget: &Budget) -> Result<Written, Error> {
        if self.append_within_capacity(data) {
            Ok(Written::Appended)
        } else {
            self.grow_and_write(data, budget)
        }
    }

    /// Appends `data` if it fits the capacity the buffer holds already (nothing to charge);
    /// `false`, changing nothing, if it does not.
    #[inline]
    pub fn append_within_capacity(&mut self, data: &[u8]) -> bool {
        if data.len() > self.data.capacity() - self.data.len() {
            return false;
        }
        self.data.extend_from_slice(data);
        true
    }

    /// [`Buffer::write`] when `data` does not fit the capacity: charge, grow, append.
    #[cold]
    fn grow_and_write(&mut self, data: &[u8], budget: &Budget) -> Result<Written, Error> {
        let len = self.data.len();
        let capacity = self.data.capacity();
        let Some(needed) = len.checked_add(data.len()) else {
            return Ok(Written::Refused);
        };
        let doubled = capacity.saturating_mul(2).max(needed).max(MIN_CAPACITY);
        let held = footprint::heap_block(capacity);
        let target = if budget
            .try_charge(footprint::heap_block(doubled) - held)
            .is_ok()
        {
            doubled
        } else if budget
            .try_charge(footprint::heap_block(needed) - held)
            .is_ok()
        {
            needed
        } else {
            return Ok(Written::Refused);
        };
        if self.data.try_reserve_exact(target - len).is_err() {
            budget.release(footprint::heap_block(target) - held);
            return Err(MemoryError::OutOfMemory { requested: target }.into());
        }
        let actual = self.data.capacity();
        if actual > target {
            budget.force_charge(footprint::heap_block(actual) - footprint::heap_block(target));
        }
        self.data.extend_from_slice(data);
        Ok(Written::Grew)
    }

    /// The contents, as a new shared string (one copy, made while the buffer's slot is
    /// held, and not charged to the context: it belongs to the script from here). A
    /// bridge makes the engine's own string from it and drops it: reading a buffer of `n`
    /// bytes takes at most `2n` bytes beyond the buffer at once (Lua, Rhai; the goost host
    /// keeps the one copy and counts it among the script's strings).
    pub fn read(&self) -> ScriptString {
        ScriptString::from_bytes(&self.data)
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the buffer is empty.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Empties the buffer; the capacity stays allocated (and charged).
    pub fn reset(&mut self) {
        self.data.clear();
    }

    /// Bytes charged to the context for this buffer: the heap block of its capacity
    /// ([`footprint::heap_block`]).
    pub fn held(&self) -> usize {
        footprint::heap_block(self.data.capacity())
    }
}
