//! `memory.buffer`: growable byte buffers, and the six natives over them.

use goost_bind::{Context, Error, ScriptString, native};

use crate::budget::Budget;
use crate::error::MemoryError;
use crate::footprint;
use crate::gc;
use crate::handle::HandleKind;
use crate::state::{MemoryState, Object};

/// A buffer handle as a script passes it (an `int`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BufferId(pub i64);
crate::handle_newtype!(BufferId);

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

/// Allocates an empty buffer (no bytes until the first write).
#[native("memory.buffer.new")]
pub fn new(ctx: &Context, mem: &MemoryState) -> Result<BufferId, Error> {
    let id = mem.insert(Object::Buffer(Buffer::default()))?;
    gc::pace(ctx, mem);
    Ok(BufferId(id))
}

#[native("memory.buffer.write")]
#[inline]
pub fn write(ctx: &Context, mem: &MemoryState, id: BufferId, data: &[u8]) -> Result<bool, Error> {
    // The common case makes no call but the copy's: a live buffer whose slot no other
    // thread holds, with room in its capacity. Anything else goes the full way.
    let appended = mem.try_with(id.0, |buffer: &mut Buffer| {
        buffer.append_within_capacity(data)
    });
    if appended == Some(true) {
        return Ok(true);
    }
    write_in_full(ctx, mem, id, data)
}

/// `write` when the fast path did not append (nothing changed there): waits for the slot,
/// grows the buffer within the limit, or names what is wrong with the handle.
#[cold]
#[inline(never)]
fn write_in_full(
    ctx: &Context,
    mem: &MemoryState,
    id: BufferId,
    data: &[u8],
) -> Result<bool, Error> {
    match mem.with_waiting(id.0, |buffer: &mut Buffer| buffer.write(data, mem.budget()))?? {
        Written::Appended => Ok(true),
        Written::Grew => {
            // Only a write that grew the buffer can have moved the pacer's figure.
            gc::pace(ctx, mem);
            Ok(true)
        }
        Written::Refused => Ok(false),
    }
}

#[native("memory.buffer.read")]
pub fn read(mem: &MemoryState, id: BufferId) -> Result<ScriptString, Error> {
    mem.with(id.0, |buffer: &mut Buffer| buffer.read())
}

#[native("memory.buffer.reset")]
pub fn reset(mem: &MemoryState, id: BufferId) -> Result<(), Error> {
    mem.with(id.0, Buffer::reset)
}

#[native("memory.buffer.len")]
#[inline]
pub fn len(mem: &MemoryState, id: BufferId) -> Result<i64, Error> {
    // A buffer's length is bounded by isize::MAX, so it always fits an i64.
    mem.with(id.0, |buffer: &mut Buffer| buffer.len() as i64)
}

#[native("memory.buffer.free")]
pub fn free(mem: &MemoryState, id: BufferId) -> Result<(), Error> {
    mem.free(id.0, HandleKind::Buffer)
}
