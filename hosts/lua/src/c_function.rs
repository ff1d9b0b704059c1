//! Each native as a Lua C function: its arguments read straight off Lua's stack with the C
//! API and lent to the glue, its int, float, bool or nil result pushed back directly. A
//! call with such arguments and results allocates nothing and goes through none of mlua's
//! per-call machinery, so it costs what a hand-written binding costs, or less.
//!
//! Everything that can raise a Lua error happens in protected mode (`lua_pcall`), in a
//! function the C function calls last, lending it the outcome: a string, list, map or
//! record result is pushed with Lua's C API by [`result::push_result`], which owns
//! nothing; an error, a collection a GC cycle asked for, or a result that one cannot push
//! exactly goes to one mlua function, the *finisher*. Whether either ran or Lua could not
//! even make the call (out of memory, Lua's stack or C-call limit reached), the C
//! function gets control back owning whatever was not taken, drops it, and only then
//! raises the error again: a Lua error unwinds (`longjmp`) only through frames that own
//! nothing, and no outcome leaks.
//!
//! Limits: an error that Lua raised as out of memory before the finisher ran reaches the
//! caller as a runtime error with Lua's message (`not enough memory`), since the C API
//! raises every error it is handed as a runtime one. A script with Lua's `debug` library
//! can replace a C function's upvalues; mlua loads that library only in
//! `Lua::unsafe_new`, which it documents as able to break Rust's guarantees, and this
//! bridge inherits that caveat.

use std::ffi::{c_int, c_void};
use std::ops::ControlFlow;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use mlua::{Function, LightUserData, Lua, ffi};
use smallvec::SmallVec;

use goost_bind::bridge::{
    Container, Conversion, Refusal, Unconverted, argument_type, container, records_of,
};
use goost_bind::{
    ArgRef, BoundNative, CollectorId, Context, Error, FnSpec, Mismatch, RecordFields, RecordType,
    ScriptList, ScriptMap, ScriptRecord, ScriptType, Value, with_copy_allowance,
};

use crate::bridge::{CollectionRequest, to_lua};
use crate::flavour;
use crate::result;
use crate::stack::{CallStack, Slot, Table, Typed};

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

/// A native call's outcome.
type Outcome = Result<Value, Error>;

/// What a C function lends its finisher: the outcome, whose native it is, and whether a
/// GC cycle asked this state for a collection.
struct Pending {
    outcome: Option<Outcome>,
    spec: &'static FnSpec,
    collect: bool,
}

/// How many arguments are lent from a buffer on the stack; a call with more allocates one.
const STACK_ARGS: usize = 8;

/// The finisher of `lua`'s C functions: runs a collection a GC cycle asked for (through
/// mlua, which runs it in protected mode on every Lua, since in Lua 5.1 to 5.3 an error in a
/// finalizer propagates), then pushes a result, or raises an error as an mlua external
/// error holding the native's [`Error`] (a host finds it with
/// `downcast_ref::<goost_bind::Error>()`).
pub(super) fn finisher(lua: &Lua) -> mlua::Result<Function> {
    lua.create_function(|lua, pending: LightUserData| {
        // SAFETY: the finisher is an upvalue of this bridge's C functions only (scripts
        // cannot read upvalues without the debug library), and `call_native` passes it a
        // pointer to its own `Pending`, which lives until this call returns and which
        // nothing else touches meanwhile.
        let pending = unsafe { &mut *pending.0.cast::<Pending>() };
        if pending.collect {
            lua.gc_collect()?;
        }
        let outcome = pending.outcome.take().ok_or_else(|| {
            mlua::Error::runtime("goost-memory: internal error: a native's outcome was taken twice")
        })?;
        let value = outcome.map_err(mlua::Error::external)?;
        to_lua(lua, value, pending.spec)
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
            ffi::lua_pushcfunction(state, result::push_result);
            ffi::lua_pushcclosure(state, call_native, 3);
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

/// The C function of every native. Upvalue 1 is the `LuaNative`, upvalue 2 the finisher,
/// upvalue 3 [`result::push_result`].
unsafe extern "C-unwind" fn call_native(state: *mut ffi::lua_State) -> c_int {
    // SAFETY: upvalue 1 is the pointer `lua_function` set, to a `LuaNative` that the Lua
    // state's `LuaInstalls` keeps alive as long as the state, so as long as this closure.
    let native =
        unsafe { &*ffi::lua_touserdata(state, ffi::lua_upvalueindex(1)).cast::<LuaNative>() };
    let bound = &native.bound;
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `state` is the state Lua called this C function with, and nothing has
        // been pushed yet.
        unsafe { CallStack::with(state, |stack| call_with_stack_arguments(stack, native)) }
    }))
    .unwrap_or_else(|payload| Err(Error::panicked(bound.native().spec(), payload.as_ref())));
    let collect = native.collection.take();
    // SAFETY: `state` is the running call's; nothing raises in `push_scalar`.
    if !collect && unsafe { push_scalar(state, &outcome) } {
        return 1;
    }
    if let (false, Ok(value)) = (collect, &outcome) {
        let mut lent = result::Lent {
            value,
            pushed: false,
        };
        // SAFETY: `push_result` runs in protected mode and owns nothing, so an error in it
        // unwinds only into this `lua_pcall`; `lent` outlives the call.
        let status = unsafe {
            ffi::lua_pushvalue(state, ffi::lua_upvalueindex(3));
            ffi::lua_pushlightuserdata(state, result::lend(&mut lent));
            ffi::lua_pcall(state, 1, 1, 0)
        };
        let pushed = lent.pushed;
        if status != ffi::LUA_OK {
            drop(outcome);
            // SAFETY: nothing in this frame needs dropping any more (the outcome was
            // dropped just above), so the error may unwind through it; it is on top.
            unsafe { ffi::lua_error(state) }
        }
        if pushed {
            return 1;
        }
        // SAFETY: the `nil` that `push_result` returned for a result it left to the
        // finisher is on top.
        unsafe { ffi::lua_pop(state, 1) };
    }
    let mut pending = Pending {
        outcome: Some(outcome),
        spec: bound.native().spec(),
        collect,
    };
    // SAFETY: the finisher runs in protected mode, so no error unwinds through this frame
    // here; `pending` outlives the call.
    let status = unsafe {
        ffi::lua_pushvalue(state, ffi::lua_upvalueindex(2));
        ffi::lua_pushlightuserdata(state, (&raw mut pending).cast::<c_void>());
        ffi::lua_pcall(state, 1, 1, 0)
    };
    if status != ffi::LUA_OK {
        // What the finisher did not take (all of it, if Lua could not call it).
        drop(pending);
        // SAFETY: nothing in this frame needs dropping any more (the outcome was dropped
        // just above), so the error may unwind through it; it is on top.
        unsafe { ffi::lua_error(state) }
    }
    1
}

/// Pushes an int, float, bool or void result and says so; `false` for anything else (a
/// string, a list, an error, an int this Lua's numbers cannot hold), which the finisher
/// takes.
///
/// # Safety
/// `state` is the state of the running C function call.
#[inline(always)]
unsafe fn push_scalar(state: *mut ffi::lua_State, outcome: &Outcome) -> bool {
    // A C function has room for at least `LUA_MINSTACK` (20) values, and pushing a nil,
    // boolean or number cannot raise an error.
    match *outcome {
        // SAFETY: as just said.
        Ok(Value::Int(n)) if flavour::HAS_INTEGERS => unsafe { ffi::lua_pushinteger(state, n) },
        Ok(Value::Int(n)) => match flavour::double_of_int(n) {
            // SAFETY: as just said.
            Some(x) => unsafe { ffi::lua_pushnumber(state, x) },
            None => return false,
        },
        // SAFETY: as just said.
        Ok(Value::Float(x)) => unsafe { ffi::lua_pushnumber(state, x) },
        // SAFETY: as just said.
        Ok(Value::Bool(b)) => unsafe { ffi::lua_pushboolean(state, c_int::from(b)) },
        // SAFETY: as just said.
        Ok(Value::Void) => unsafe { ffi::lua_pushnil(state) },
        _ => return false,
    }
    true
}

/// Lends the call's arguments to the native and calls it. Up to [`STACK_ARGS`]
/// arguments without a table among them are lent from a buffer on the stack in one pass;
/// anything else takes [`call_with_tables`].
#[inline(always)]
fn call_with_stack_arguments(stack: CallStack<'_>, native: &LuaNative) -> Outcome {
    let bound = &native.bound;
    let count = stack.arg_count();
    if count > STACK_ARGS {
        return call_with_tables(stack, native);
    }
    let mut lent = [ArgRef::Void; STACK_ARGS];
    for (position, (arg, slot)) in lent.iter_mut().zip(stack.args()).enumerate() {
        *arg = match slot.lend() {
            Ok(Some(arg)) => arg,
            Ok(None) => return call_with_tables(stack, native),
            Err(unconverted) => return Err(argument_error(bound, position + 1, &unconverted)),
        };
    }
    bound.call_lent(&lent[..count])
}

/// [`call_with_stack_arguments`] for a call with a table argument, or with more than
/// [`STACK_ARGS`] arguments: each table is converted as far as its parameter's type asks
/// (see [`Conversion`]), then every argument is lent. A table past the native's last
/// parameter is not looked at: the glue refuses the count.
#[cold]
#[inline(never)]
fn call_with_tables(stack: CallStack<'_>, native: &LuaNative) -> Outcome {
    let bound = &native.bound;
    let spec = bound.native().spec();
    let mut conversion = Conversion::new(native.conversion_limit);
    let mut converted = SmallVec::<[Converted; STACK_ARGS]>::new();
    for (position, slot) in stack.args().enumerate() {
        let (Some(table), Some(ty)) = (slot.as_table(), argument_type(spec, position)) else {
            continue;
        };
        let made = match (container(ty), records_of(ty)) {
            // A record argument's fields are lent from here, not made into a record.
            (Some(Container::Record(record)), _) => conversion
                .record_fields(record, 0, "table", fill_record(stack, table, 0))
                .map(|fields| Converted::Fields(conversion.keep_fields(fields))),
            // So are the records of a list of records: no record or list is made.
            (_, Some(record)) => {
                table_to_records(stack, table, record, &mut conversion).map(Converted::Records)
            }
            _ => table_value(stack, table, ty, 0, &mut conversion).map(Converted::Value),
        };
        match made {
            Ok(made) => converted.push(made),
            Err(refusal) => {
                return Err(refusal.into_error(bound.native(), position + 1, "table", &conversion));
            }
        }
    }
    let mut tables = converted.iter();
    let mut lent = SmallVec::<[ArgRef<'_>; STACK_ARGS]>::with_capacity(stack.arg_count());
    for (position, slot) in stack.args().enumerate() {
        lent.push(match slot.lend() {
            Ok(Some(arg)) => arg,
            Ok(None) if argument_type(spec, position).is_some() => match tables.next() {
                Some(Converted::Value(value)) => value.lend(),
                Some(Converted::Fields(kept)) => conversion.kept_arg(*kept),
                Some(Converted::Records(kept)) => conversion.kept_arg(*kept),
                None => ArgRef::Void,
            },
            Ok(None) => ArgRef::Void,
            Err(unconverted) => return Err(argument_error(bound, position + 1, &unconverted)),
        });
    }
    // What the conversion left of the limit is what the native may still copy.
    with_copy_allowance(conversion.remaining(), || bound.call_lent(&lent))
}

/// A table argument, converted by its parameter's type.
enum Converted {
    /// A list or a map.
    Value(Value),
    /// A record's fields, kept by the call's conversion and lent as they are.
    Fields(usize),
    /// A list of records' fields, kept by the call's conversion and lent as they are.
    Records(usize),
}

/// The error of argument `index` (from 1) that does not convert.
fn argument_error(bound: &BoundNative, index: usize, unconverted: &Unconverted) -> Error {
    Error::msg(unconverted.argument_message(bound.native(), index, "table"))
}

/// `table` (at nesting `depth`) as a value of type `ty`: a list where `ty` is a list, a
/// map where it is a map, a record where it is a record; anything else is a type error.
fn table_value(
    stack: CallStack<'_>,
    table: Table<'_>,
    ty: ScriptType,
    depth: usize,
    conversion: &mut Conversion,
) -> Result<Value, Refusal> {
    match container(ty) {
        Some(Container::List(element)) => {
            table_to_list(stack, table, element, depth, conversion).map(Value::List)
        }
        Some(Container::Map(value)) => {
            table_to_map(stack, table, value, depth, conversion).map(Value::Map)
        }
        Some(Container::Record(record)) => {
            table_to_record(stack, table, record, depth, conversion).map(Value::Record)
        }
        None => Err(Refusal::Type(Mismatch::Type("table"))),
    }
}

/// The sequence `table` as a script list of `element` values (raw reads: metatables are
/// not consulted), charged to `conversion`: a string is copied once per call however
/// often it appears, a table reached twice is converted once, and a nested table is
/// converted only where `element` is a list.
fn table_to_list(
    stack: CallStack<'_>,
    table: Table<'_>,
    element: ScriptType,
    depth: usize,
    conversion: &mut Conversion,
) -> Result<ScriptList, Refusal> {
    let len = || Ok(sequence_len(stack, table)?);
    conversion.list(
        table.address(),
        element,
        depth,
        "table",
        len,
        |conversion, position| {
            stack.with_raw_get(table, position, |item| {
                element_value(stack, item, element, depth, conversion)
            })?
        },
    )
}

/// The sequence `table` as a list of values of `record`, kept by `conversion` as the
/// records' fields (see [`Conversion::record_list`]); the number that finds it. An
/// element that is no table is refused with its type, as a list element of the wrong type
/// is.
fn table_to_records(
    stack: CallStack<'_>,
    table: Table<'_>,
    record: &'static goost_bind::RecordType,
    conversion: &mut Conversion,
) -> Result<usize, Refusal> {
    let len = sequence_len(stack, table)?;
    conversion.record_list(record, 0, "table", len, |conversion, position, fields| {
        stack.with_raw_get(table, position, |item| match item.as_table() {
            Some(element) => fill_record(stack, element, 1)(conversion, fields),
            None => {
                let value = element_value(stack, item, ScriptType::Record(record), 0, conversion)?;
                Err(Refusal::Type(Mismatch::of(value.lend())))
            }
        })?
    })
}

/// Calls `each` with the bytes of every key of `table` (a table converted to a map or a
/// record, so every key must be a string) and its value, in Lua's order (raw reads), until
/// `each` refuses one: that refusal, the refusal of a key that is not a string, or what
/// the walk itself could not do.
#[inline(always)]
fn for_each_string_entry(
    stack: CallStack<'_>,
    table: Table<'_>,
    mut each: impl for<'v> FnMut(&'v [u8], Slot<'v>) -> Result<(), Refusal>,
) -> Result<(), Refusal> {
    // The refusal waits here, so the walk's own value has nothing to drop.
    let mut refused = None;
    // A break leaves its refusal in `refused`.
    let _ = stack.for_each_entry(table, |key, item| {
        match string_key(&key).and_then(|bytes| each(bytes, item)) {
            Ok(()) => ControlFlow::Continue(()),
            Err(refusal) => {
                refused = Some(refusal);
                ControlFlow::Break(())
            }
        }
    })?;
    refused.map_or(Ok(()), Err)
}

/// The string key `key` of a table converted to a map or a record, or the refusal of a
/// table with a key that is not a string.
fn string_key<'t>(key: &Slot<'t>) -> Result<&'t [u8], Refusal> {
    match key.typed() {
        Typed::String(name) => Ok(name.bytes()),
        _ => Err(Refusal::from(Unconverted::new(format!(
            "is a Lua table with the key {}, which is not a string, so not a map",
            key.key_text()
        )))),
    }
}

/// The table `table` as a script `map<T>` of `value`s (raw reads: metatables are not
/// consulted), charged to `conversion` as [`table_to_list`] is. Every key must be a
/// string; an empty table is an empty map.
fn table_to_map(
    stack: CallStack<'_>,
    table: Table<'_>,
    value: ScriptType,
    depth: usize,
    conversion: &mut Conversion,
) -> Result<ScriptMap, Refusal> {
    conversion.map(table.address(), value, depth, "table", |conversion| {
        let mut entries = Vec::new();
        for_each_string_entry(stack, table, |bytes, item| {
            conversion.entry()?;
            let key = conversion.string(bytes.as_ptr() as usize, bytes)?;
            let item = element_value(stack, item, value, depth, conversion)
                .map_err(|refusal| refusal.in_entry(bytes, value))?;
            entries.push((key, item));
            Ok(())
        })?;
        Ok(entries)
    })
}

/// The table `table` as a value of `record` ([`fill_record`]).
fn table_to_record(
    stack: CallStack<'_>,
    table: Table<'_>,
    record: &'static RecordType,
    depth: usize,
    conversion: &mut Conversion,
) -> Result<ScriptRecord, Refusal> {
    conversion.record(record, depth, "table", fill_record(stack, table, depth))
}

/// What fills a record of type `record` from the table `table` (raw reads), each field
/// converted by its type: a key that is no field of the record is refused, naming the
/// nearest; a field left out is left for the glue to name (or to read as `nil` where it
/// is optional).
fn fill_record<'t>(
    stack: CallStack<'t>,
    table: Table<'t>,
    depth: usize,
) -> impl FnOnce(&mut Conversion, &mut RecordFields) -> Result<(), Refusal> + 't {
    move |conversion, fields| {
        for_each_string_entry(stack, table, |bytes, item| {
            conversion.set_field(fields, bytes, "table", |conversion, ty| {
                element_value(stack, item, ty, depth, conversion)
            })
        })
    }
}

/// `item` (an element of a table converted at `depth`) as an `element`.
fn element_value(
    stack: CallStack<'_>,
    item: Slot<'_>,
    element: ScriptType,
    depth: usize,
    conversion: &mut Conversion,
) -> Result<Value, Refusal> {
    match item.typed() {
        Typed::Table(table) => return table_value(stack, table, element, depth + 1, conversion),
        // Where a float goes (a record's float field, a list's floats), a number is read
        // as one, without asking first whether it is an integer.
        Typed::Number(number) if matches!(element.when_passed(), ScriptType::Float) => {
            return Ok(Value::Float(number.number()));
        }
        _ => {}
    }
    match item.lend()? {
        Some(ArgRef::Bytes(bytes)) => conversion
            .string(bytes.as_ptr() as usize, bytes)
            .map(Value::Str),
        Some(arg) => Ok(arg.to_value()),
        None => Err(Refusal::Type(Mismatch::Type("table"))),
    }
}

/// The length of the sequence `table`, or why it is not one.
fn sequence_len(stack: CallStack<'_>, table: Table<'_>) -> Result<usize, Unconverted> {
    let len = table.raw_len();
    let mut entries = 0usize;
    let walk = stack.for_each_entry(table, |key, _value| {
        let in_sequence = key.is_integer()
            && key
                .integer()
                .and_then(|key| usize::try_from(key).ok())
                .is_some_and(|key| key >= 1 && key <= len);
        if !in_sequence {
            return ControlFlow::Break(key.key_text());
        }
        entries += 1;
        ControlFlow::Continue(())
    })?;
    if let ControlFlow::Break(key) = walk {
        return Err(Unconverted::new(format!(
            "is a Lua table that is not a sequence (it has the key {key}), so not a list"
        )));
    }
    if entries != len {
        return Err(Unconverted::new(
            "is a Lua table with holes, so not a list".to_string(),
        ));
    }
    Ok(len)
}
