//! Each native as a Lua C function: its arguments read straight off Lua's stack with the C
//! API and lent to the glue, its int, float, bool or nil result pushed back directly. A
//! call with such arguments and results allocates nothing and goes through none of mlua's
//! per-call machinery, so it costs what a hand-written binding costs, or less.
//!
//! Everything that can raise a Lua error (an allocation for a string or table result, an
//! error) happens inside one mlua function, the *finisher*, which the C function calls
//! last, in protected mode (`lua_pcall`), lending it the outcome. Whether the finisher
//! ran or Lua could not even make the call (out of memory, Lua's stack or C-call limit
//! reached), the C function gets control back owning whatever the finisher did not take,
//! drops it, and only then raises the error again: a Lua error unwinds (`longjmp`) only
//! through frames that own nothing, and no outcome leaks.
//!
//! Limits: an error that Lua raised as out of memory before the finisher ran reaches the
//! caller as a runtime error with Lua's message (`not enough memory`), since the C API
//! raises every error it is handed as a runtime one. A script with Lua's `debug` library
//! can replace a C function's upvalues; mlua loads that library only in
//! `Lua::unsafe_new`, which it documents as able to break Rust's guarantees, and this
//! bridge inherits that caveat.

use std::ffi::{CStr, c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use mlua::{Function, LightUserData, Lua, ffi};

use goost_bind::bridge::{Conversion, Refusal, Unconverted, list_element};
use goost_bind::{
    ArgRef, BoundNative, CollectorId, Context, Error, Mismatch, ScriptList, ScriptType, Value,
    with_copy_allowance,
};

use crate::bridge::{CollectionRequest, to_lua};

/// What the bridge keeps in a Lua state (as its app data), for as long as the state
/// lives: the natives its C functions point at, and the collectors its installs added to
/// their contexts, which are removed when the state is dropped.
#[derive(Default)]
struct LuaInstalls {
    /// Each C function points at one; they must not move when the `Vec` grows.
    #[expect(
        clippy::vec_box,
        reason = "each C function points at its native, which must not move when the Vec grows"
    )]
    natives: Vec<Box<LuaNative>>,
    /// Each install's context and the collector it registered there.
    collectors: Vec<(Context, CollectorId)>,
}

impl Drop for LuaInstalls {
    fn drop(&mut self) {
        for (ctx, id) in self.collectors.drain(..) {
            ctx.unregister_collector(id);
        }
    }
}

/// A native as one of a state's C functions reaches it: bound to its context, with its
/// install's collection request.
struct LuaNative {
    bound: BoundNative,
    collection: Arc<CollectionRequest>,
    /// The context's conversion limit, for table arguments.
    conversion_limit: usize,
}

/// A native call's outcome on its way to the finisher.
type Outcome = Result<Value, Error>;

/// How many arguments are lent from a buffer on the stack; a call with more allocates one.
const STACK_ARGS: usize = 8;

/// The finisher of `lua`'s C functions: pushes a string or list result, or raises an error
/// as an mlua external error holding the native's [`Error`] (a host finds it with
/// `downcast_ref::<goost_bind::Error>()`).
pub(super) fn finisher(lua: &Lua) -> mlua::Result<Function> {
    lua.create_function(|lua, pending: LightUserData| {
        // SAFETY: the finisher is an upvalue of this bridge's C functions only (scripts
        // cannot read upvalues without the debug library), and `call_native` passes it a
        // pointer to its own pending outcome, which lives until this call returns and
        // which nothing else touches meanwhile.
        let pending = unsafe { &mut *pending.0.cast::<Option<Outcome>>() };
        let outcome = pending.take().ok_or_else(|| {
            mlua::Error::runtime("goost-memory: internal error: a native's outcome was taken twice")
        })?;
        to_lua(lua, outcome.map_err(mlua::Error::external)?)
    })
}

/// The Lua function of `bound`: a C closure over a pointer to it (kept alive by `lua`) and
/// over `finisher`.
pub(super) fn lua_function(
    lua: &Lua,
    bound: BoundNative,
    collection: Arc<CollectionRequest>,
    conversion_limit: usize,
    finisher: &Function,
) -> mlua::Result<Function> {
    let native = Box::new(LuaNative {
        bound,
        collection,
        conversion_limit,
    });
    let pointer: *const LuaNative = &*native;
    with_installs(lua, |installs| installs.natives.push(native))?;
    // SAFETY: `exec_raw` runs the closure in protected mode with the finisher as its one
    // argument on the stack; the closure leaves exactly the new C closure there.
    unsafe {
        lua.exec_raw::<Function>(finisher, |state| {
            ffi::lua_pushlightuserdata(state, pointer.cast_mut().cast::<c_void>());
            ffi::lua_rotate(state, 1, 1);
            ffi::lua_pushcclosure(state, call_native, 2);
        })
    }
}

/// Keeps the collector `id` that an install registered on `ctx` until `lua` is dropped,
/// then removes it. On an error the collector is removed at once.
pub(super) fn keep_registration(lua: &Lua, ctx: Context, id: CollectorId) -> mlua::Result<()> {
    let kept = ctx.clone();
    with_installs(lua, move |installs| installs.collectors.push((kept, id))).inspect_err(|_| {
        ctx.unregister_collector(id);
    })
}

/// Runs `f` on the bridge's app data in `lua`, made on first use.
fn with_installs(lua: &Lua, f: impl FnOnce(&mut LuaInstalls)) -> mlua::Result<()> {
    if let Some(mut installs) = lua.app_data_mut::<LuaInstalls>() {
        f(&mut installs);
        return Ok(());
    }
    let mut installs = LuaInstalls::default();
    f(&mut installs);
    // A host holding a borrow of some other app data makes mlua's `set_app_data` panic;
    // `try_set_app_data` reports it instead.
    lua.try_set_app_data(installs).map(drop).map_err(|_| {
        mlua::Error::runtime(
            "cannot install into this Lua state while its app data is borrowed \
             (a `Lua::app_data_ref` or `app_data_mut` guard is alive)",
        )
    })
}

/// The C function of every native. Upvalue 1 is the `LuaNative`, upvalue 2 the finisher.
unsafe extern "C-unwind" fn call_native(state: *mut ffi::lua_State) -> c_int {
    // SAFETY: upvalue 1 is the pointer `lua_function` set, to a `LuaNative` that the Lua
    // state's `LuaInstalls` keeps alive as long as the state, so as long as this closure.
    let native =
        unsafe { &*ffi::lua_touserdata(state, ffi::lua_upvalueindex(1)).cast::<LuaNative>() };
    let bound = &native.bound;
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `state` is the state Lua called this C function with.
        unsafe { call_with_stack_arguments(state, native) }
    }))
    .unwrap_or_else(|payload| Err(Error::panicked(bound.native().spec(), payload.as_ref())));
    if native.collection.take() {
        // SAFETY: this is the state's own thread, inside one of its C functions: a safe
        // point for a full collection. In Lua 5.4 `lua_gc` raises no error (an error in a
        // finalizer becomes a warning), so nothing unwinds through the outcome held here.
        unsafe { ffi::lua_gc(state, ffi::LUA_GCCOLLECT, 0) };
    }
    // SAFETY (each block): pushing a nil, boolean or number cannot raise an error, and a C
    // function has room for at least `LUA_MINSTACK` (20) values.
    match outcome {
        Ok(Value::Int(n)) => unsafe { ffi::lua_pushinteger(state, n) },
        Ok(Value::Float(x)) => unsafe { ffi::lua_pushnumber(state, x) },
        Ok(Value::Bool(b)) => unsafe { ffi::lua_pushboolean(state, c_int::from(b)) },
        Ok(Value::Void) => unsafe { ffi::lua_pushnil(state) },
        other => {
            let mut pending = Some(other);
            // SAFETY: the finisher runs in protected mode, so no error unwinds through this
            // frame here; `pending` outlives the call.
            let status = unsafe {
                ffi::lua_pushvalue(state, ffi::lua_upvalueindex(2));
                ffi::lua_pushlightuserdata(state, (&raw mut pending).cast::<c_void>());
                ffi::lua_pcall(state, 1, 1, 0)
            };
            if status != ffi::LUA_OK {
                // What the finisher did not take (all of it, if Lua could not call it).
                drop(pending);
                // SAFETY: nothing in this frame needs dropping any more (the outcome was
                // dropped just above), so the error may unwind through it; it is on top.
                unsafe { ffi::lua_error(state) }
            }
        }
    }
    1
}

/// Lends the arguments on `state`'s stack to the native and calls it. Up to
/// [`STACK_ARGS`] arguments without a table among them are lent from a buffer on the
/// stack in one pass; anything else takes [`call_with_tables`].
///
/// # Safety
/// `state` is the state of a running C function call.
#[inline(always)]
unsafe fn call_with_stack_arguments(state: *mut ffi::lua_State, native: &LuaNative) -> Outcome {
    let bound = &native.bound;
    // SAFETY: `state` is live; the stack's top is the argument count.
    let count = usize::try_from(unsafe { ffi::lua_gettop(state) }).unwrap_or(0);
    if count > STACK_ARGS {
        // SAFETY: as for this function.
        return unsafe { call_with_tables(state, native, count) };
    }
    let mut lent = [ArgRef::Void; STACK_ARGS];
    for (position, arg) in lent[..count].iter_mut().enumerate() {
        // SAFETY: `position + 1` is an argument's slot, which stays on the stack for the call.
        *arg = match unsafe { lend(state, slot(position + 1)) } {
            Ok(Some(arg)) => arg,
            // SAFETY: as for this function.
            Ok(None) => return unsafe { call_with_tables(state, native, count) },
            Err(unconverted) => return Err(argument_error(bound, position + 1, &unconverted)),
        };
    }
    bound.call_lent(&lent[..count])
}

/// [`call_with_stack_arguments`] for a call with a table argument, or with more than
/// [`STACK_ARGS`] arguments: each table is converted as far as its parameter's type asks
/// (see [`Conversion`]), then every argument is lent. A table
/// past the native's last parameter is not looked at: the glue refuses the count.
///
/// # Safety
/// `state` is the state of a running C function call with `count` arguments.
#[cold]
#[inline(never)]
unsafe fn call_with_tables(
    state: *mut ffi::lua_State,
    native: &LuaNative,
    count: usize,
) -> Outcome {
    let bound = &native.bound;
    let params = bound.native().spec().params;
    let mut conversion = Conversion::new(native.conversion_limit);
    let mut lists = Vec::new();
    for index in 1..=count {
        // SAFETY: `index` is an argument's slot.
        if unsafe { ffi::lua_type(state, slot(index)) } != ffi::LUA_TTABLE {
            continue;
        }
        let Some(param) = params.get(index - 1) else {
            continue;
        };
        let refused = |refusal: Refusal, conversion: &Conversion| {
            refusal.into_error(bound.native(), index, "table", conversion)
        };
        let Some(element) = list_element(param.ty) else {
            return Err(refused(Refusal::Type(Mismatch::Type("table")), &conversion));
        };
        // SAFETY: as above.
        match unsafe { table_to_list(state, slot(index), element, 0, &mut conversion) } {
            Ok(list) => lists.push(Value::List(list)),
            Err(refusal) => return Err(refused(refusal, &conversion)),
        }
    }
    let mut tables = lists.iter();
    let mut lent = Vec::with_capacity(count);
    for index in 1..=count {
        // SAFETY: `index` is an argument's slot, which stays on the stack for the call.
        lent.push(match unsafe { lend(state, slot(index)) } {
            Ok(Some(arg)) => arg,
            Ok(None) if index <= params.len() => tables.next().map_or(ArgRef::Void, Value::lend),
            Ok(None) => ArgRef::Void,
            Err(unconverted) => return Err(argument_error(bound, index, &unconverted)),
        });
    }
    // What the conversion left of the limit is what the native may still copy.
    with_copy_allowance(conversion.remaining(), || bound.call_lent(&lent))
}

/// The stack index of argument `index` (from 1); an index past `c_int` cannot be a slot.
fn slot(index: usize) -> c_int {
    c_int::try_from(index).unwrap_or(c_int::MAX)
}

/// The error of argument `index` (from 1) that does not convert.
fn argument_error(bound: &BoundNative, index: usize, unconverted: &Unconverted) -> Error {
    Error::msg(unconverted.argument_message(bound.native(), index, "table"))
}

/// The value at `index` lent as an argument: `Ok(None)` for a table (converted before).
/// A string is borrowed: Lua keeps its bytes while it is on the stack.
///
/// # Safety
/// `index` is a valid, absolute index of `state`'s stack, and its value stays there for
/// as long as the returned bytes are used.
#[inline(always)]
unsafe fn lend<'a>(
    state: *mut ffi::lua_State,
    index: c_int,
) -> Result<Option<ArgRef<'a>>, Unconverted> {
    // SAFETY (each block): `index` is valid; each read matches the type just checked.
    Ok(Some(match unsafe { ffi::lua_type(state, index) } {
        ffi::LUA_TNIL | ffi::LUA_TNONE => ArgRef::Void,
        ffi::LUA_TBOOLEAN => ArgRef::Bool(unsafe { ffi::lua_toboolean(state, index) } != 0),
        ffi::LUA_TNUMBER => {
            // An integer, or a float with an integral value in range (Lua converts exactly
            // those): an int. Any other float stays a float.
            let mut is_int = 0;
            let n = unsafe { ffi::lua_tointegerx(state, index, &mut is_int) };
            if is_int != 0 {
                ArgRef::Int(n)
            } else {
                ArgRef::Float(unsafe { ffi::lua_tonumberx(state, index, std::ptr::null_mut()) })
            }
        }
        ffi::LUA_TSTRING => ArgRef::Bytes(unsafe { string_bytes(state, index) }),
        ffi::LUA_TTABLE => return Ok(None),
        other => {
            return Err(Unconverted::new(format!(
                "is a Lua {}, which has no script type",
                unsafe { type_name(state, other) }
            )));
        }
    }))
}

/// The bytes of the string at `index`.
///
/// # Safety
/// The value at `index` is a string (so `lua_tolstring` does not convert it in place),
/// and it stays on the stack for as long as the bytes are used.
unsafe fn string_bytes<'a>(state: *mut ffi::lua_State, index: c_int) -> &'a [u8] {
    let mut len = 0usize;
    // SAFETY: a string's `lua_tolstring` is its own buffer of `len` bytes, which Lua
    // does not move or free while the string is on the stack.
    unsafe {
        let bytes = ffi::lua_tolstring(state, index, &mut len);
        std::slice::from_raw_parts(bytes.cast::<u8>(), len)
    }
}

/// Lua's name of type tag `tag`: `function`, `userdata`, ...
///
/// # Safety
/// `tag` is a Lua type tag.
unsafe fn type_name(state: *mut ffi::lua_State, tag: c_int) -> String {
    // SAFETY: `lua_typename` returns a static, NUL-terminated name for every tag.
    unsafe { CStr::from_ptr(ffi::lua_typename(state, tag)) }
        .to_string_lossy()
        .into_owned()
}

/// The sequence table at `index` as a script list of `element` values (raw reads:
/// metatables are not consulted), charged to `conversion`: a string is copied once per
/// call however often it appears, a table reached twice is converted once, and a nested
/// table is converted only where `element` is a list.
///
/// # Safety
/// `index` is an absolute index of a table on `state`'s stack. Nothing here raises a Lua
/// error: raw reads and `lua_next` over a table nothing modifies do not.
unsafe fn table_to_list(
    state: *mut ffi::lua_State,
    index: c_int,
    element: ScriptType,
    depth: usize,
    conversion: &mut Conversion,
) -> Result<ScriptList, Refusal> {
    // SAFETY: `index` is a table; its address identifies it while the call holds it.
    let key = unsafe { ffi::lua_topointer(state, index) } as usize;
    // SAFETY (each block): `index` is the table; the stack has the room just checked, and
    // every value pushed is popped before the next step.
    let len = || {
        if unsafe { ffi::lua_checkstack(state, 3) } == 0 {
            return Err(Unconverted::new("is a table too deep for Lua's stack".to_string()).into());
        }
        Ok(unsafe { sequence_len(state, index) }?)
    };
    conversion.list(key, element, depth, "table", len, |conversion, position| {
        let key = ffi::lua_Integer::try_from(position).unwrap_or(ffi::lua_Integer::MAX);
        unsafe { ffi::lua_rawgeti(state, index, key) };
        let top = unsafe { ffi::lua_gettop(state) };
        let item = unsafe { element_value(state, top, element, depth, conversion) };
        unsafe { ffi::lua_pop(state, 1) };
        item
    })
}

/// The value at `index` (an element of a table converted at `depth`) as an `element`.
///
/// # Safety
/// `index` is a valid, absolute index of `state`'s stack, with room for 3 more values.
unsafe fn element_value(
    state: *mut ffi::lua_State,
    index: c_int,
    element: ScriptType,
    depth: usize,
    conversion: &mut Conversion,
) -> Result<Value, Refusal> {
    // SAFETY (each block): `index` is valid; each read matches the type just checked.
    match unsafe { ffi::lua_type(state, index) } {
        ffi::LUA_TTABLE => match list_element(element) {
            Some(inner) => unsafe { table_to_list(state, index, inner, depth + 1, conversion) }
                .map(Value::List),
            None => Err(Refusal::Type(Mismatch::Type("table"))),
        },
        ffi::LUA_TSTRING => {
            let bytes = unsafe { string_bytes(state, index) };
            conversion
                .string(bytes.as_ptr() as usize, bytes)
                .map(Value::Str)
        }
        _ => match unsafe { lend(state, index) } {
            Ok(Some(arg)) => Ok(arg.to_value()),
            Ok(None) => Err(Refusal::Type(Mismatch::Type("table"))),
            Err(unconverted) => Err(unconverted.into()),
        },
    }
}

/// The length of the sequence table at `index`, or why it is not one.
///
/// # Safety
/// `index` is an absolute index of a table on `state`'s stack, with room for 3 more values.
unsafe fn sequence_len(state: *mut ffi::lua_State, index: c_int) -> Result<usize, Unconverted> {
    // SAFETY (each block): `index` is the table; `lua_next` pushes a key and a value,
    // both popped before the next step (the key on the last, when `lua_next` pops it).
    let len = unsafe { ffi::lua_rawlen(state, index) };
    let mut entries = 0usize;
    unsafe { ffi::lua_pushnil(state) };
    while unsafe { ffi::lua_next(state, index) } != 0 {
        let in_sequence = unsafe { ffi::lua_isinteger(state, -2) } != 0 && {
            let key = unsafe { ffi::lua_tointegerx(state, -2, std::ptr::null_mut()) };
            usize::try_from(key).is_ok_and(|key| key >= 1 && key <= len)
        };
        if !in_sequence {
            let key = unsafe { key_text(state, -2) };
            unsafe { ffi::lua_pop(state, 2) };
            return Err(Unconverted::new(format!(
                "is a Lua table that is not a sequence (it has the key {key}), so not a list"
            )));
        }
        entries += 1;
        unsafe { ffi::lua_pop(state, 1) };
    }
    if entries != len {
        return Err(Unconverted::new(
            "is a Lua table with holes, so not a list".to_string(),
        ));
    }
    Ok(len)
}

/// A table key as an error shows it.
///
/// # Safety
/// `index` is a valid index of `state`'s stack.
unsafe fn key_text(state: *mut ffi::lua_State, index: c_int) -> String {
    // SAFETY (each block): each read matches the type just checked.
    match unsafe { ffi::lua_type(state, index) } {
        ffi::LUA_TSTRING => format!(
            "{:?}",
            String::from_utf8_lossy(unsafe { string_bytes(state, index) })
        ),
        ffi::LUA_TNUMBER if unsafe { ffi::lua_isinteger(state, index) } != 0 => {
            unsafe { ffi::lua_tointegerx(state, index, std::ptr::null_mut()) }.to_string()
        }
        ffi::LUA_TNUMBER => {
            unsafe { ffi::lua_tonumberx(state, index, std::ptr::null_mut()) }.to_string()
        }
        other => format!("of type {}", unsafe { type_name(state, other) }),
    }
}
