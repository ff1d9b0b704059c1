//! `memory.buffer`: the six natives over growable byte buffers (the buffer itself is
//! [`Buffer`], in `contents.rs`).

mod contents;

pub use contents::{Buffer, Written};

use goost_bind::{Context, Error, ScriptString, native};

use crate::gc;
use crate::handle::HandleKind;
use crate::state::{MemoryState, Object};

/// A buffer handle as a script passes it (an `int`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BufferId(pub i64);
crate::handle_newtype!(BufferId);

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
