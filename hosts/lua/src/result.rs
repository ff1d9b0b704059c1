//! A native's string, list, map or record result pushed with Lua's own C API, in a C
//! function the C function of the native calls in protected mode (`lua_pcall`), lending
//! it the outcome. Making a string or a table can raise a Lua error (out of memory);
//! nothing in this file owns anything, so such an error unwinds (`longjmp`) through
//! frames with nothing to drop, back to the native's C function, which owns the outcome.
//!
//! A result this cannot push exactly (an int that this Lua's numbers cannot hold, a list
//! too long for Lua's C API) is left to mlua's finisher, which raises the error that
//! names it; so is a call that asked for a collection and every error outcome.

use std::ffi::{c_int, c_void};

use mlua::ffi;

use goost_bind::Value;

use crate::{flavour, object};

/// What the native's C function lends [`push_result`]: the result, and whether it was
/// pushed.
pub(crate) struct Lent<'v> {
    pub(crate) value: &'v Value,
    pub(crate) pushed: bool,
}

/// The C function that pushes a lent result: its one argument is a light userdata
/// pointing at a [`Lent`]. It returns the result, with `pushed` set; or nothing, with
/// `pushed` still false, when the result is one for mlua's finisher.
///
/// # Safety
/// Only the native's C function calls it (it is one of that closure's upvalues, which
/// scripts cannot read without the debug library), with a pointer to a `Lent` that
/// outlives the call and that nothing else touches meanwhile.
pub(crate) unsafe extern "C-unwind" fn push_result(state: *mut ffi::lua_State) -> c_int {
    // SAFETY: as the function's contract says; `lua_touserdata` reads argument 1.
    let lent = unsafe { &mut *ffi::lua_touserdata(state, 1).cast::<Lent<'_>>() };
    // SAFETY: `state` is this C function's running state.
    if unsafe { push_value(state, lent.value) } {
        lent.pushed = true;
        1
    } else {
        0
    }
}

/// Pushes `value` and says so; `false` (with whatever it pushed left for the caller to
/// discard) for a value it cannot push exactly. May raise a Lua error (out of memory),
/// which unwinds through it: it owns nothing.
///
/// # Safety
/// `state` is a running C function's state, in protected mode.
unsafe fn push_value(state: *mut ffi::lua_State, value: &Value) -> bool {
    // A table and a key at each level of nesting, and the value itself.
    // SAFETY: `state` is running; `lua_checkstack` raises nothing.
    if unsafe { ffi::lua_checkstack(state, 3) } == 0 {
        return false;
    }
    // SAFETY: `state` is running in protected mode, with room for three more values, as
    // just checked; each nested value checks again; `lua_rawseti` and `lua_rawset` find
    // the table below what they set.
    unsafe {
        match value {
            Value::Void => ffi::lua_pushnil(state),
            Value::Int(n) if flavour::HAS_INTEGERS => ffi::lua_pushinteger(state, *n),
            Value::Int(n) => match flavour::double_of_int(*n) {
                Some(x) => ffi::lua_pushnumber(state, x),
                None => return false,
            },
            Value::Float(x) => ffi::lua_pushnumber(state, *x),
            Value::Bool(b) => ffi::lua_pushboolean(state, c_int::from(*b)),
            Value::Str(s) => push_bytes(state, s.as_bytes()),
            Value::List(items) => {
                ffi::lua_createtable(state, size_hint(items.len()), 0);
                for (index, item) in items.iter().enumerate() {
                    let Ok(position) = c_int::try_from(index + 1) else {
                        return false;
                    };
                    if !push_value(state, item) {
                        return false;
                    }
                    ffi::lua_rawseti(state, -2, position.into());
                }
            }
            Value::Map(entries) => {
                ffi::lua_createtable(state, 0, size_hint(entries.len()));
                for (key, item) in entries.iter() {
                    if !push_entry(state, key.as_bytes(), item) {
                        return false;
                    }
                }
            }
            // An object whose class has no metatable here is left to the finisher, which
            // names it.
            Value::Object(object) => {
                if !object::push_object(state, object) {
                    return false;
                }
            }
            Value::Record(record) => {
                ffi::lua_createtable(state, 0, size_hint(record.values().len()));
                for (name, item) in record.fields() {
                    if !push_entry(state, name.as_bytes(), item) {
                        return false;
                    }
                }
            }
        }
    }
    true
}

/// Sets `key` to `item` in the table on top of the stack; `false` as [`push_value`].
///
/// # Safety
/// As [`push_value`], with a table on top and room for two more values.
unsafe fn push_entry(state: *mut ffi::lua_State, key: &[u8], item: &Value) -> bool {
    // SAFETY: as the function's contract says.
    unsafe { push_bytes(state, key) };
    // SAFETY: as the function's contract says.
    if !unsafe { push_value(state, item) } {
        return false;
    }
    // SAFETY: the table is below the key and the value.
    unsafe { ffi::lua_rawset(state, -3) };
    true
}

/// Pushes a Lua string of `bytes` (copied).
///
/// # Safety
/// As [`push_value`], with room for one more value.
unsafe fn push_bytes(state: *mut ffi::lua_State, bytes: &[u8]) {
    // SAFETY: `bytes` is valid for its length; Lua copies it.
    unsafe { ffi::lua_pushlstring(state, bytes.as_ptr().cast(), bytes.len()) };
}

/// A table's size hint for `len` slots (only a hint: a length past `c_int` is 0).
fn size_hint(len: usize) -> c_int {
    c_int::try_from(len).unwrap_or(0)
}

/// The light userdata that lends `lent` to [`push_result`].
pub(crate) fn lend(lent: &mut Lent<'_>) -> *mut c_void {
    std::ptr::from_mut(lent).cast()
}
