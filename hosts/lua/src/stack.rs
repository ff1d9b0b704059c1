//! The Lua stack of one running C function call, read through types that carry its
//! rules, so that the conversion code above it holds no `unsafe` of its own:
//!
//! - [`CallStack`] is the stack as the call found it. It exists only inside
//!   [`CallStack::with`], so nothing taken from it outlives the call.
//! - A [`Slot`] is one value on the stack. Its lifetime is the time the value stays there:
//!   the call for an argument; for a value the bridge pushes (a table's element or
//!   entry), the closure it is handed to. A string's bytes borrowed from a slot carry that
//!   lifetime, so they cannot be used once the value is popped.
//! - What the bridge pushes, it pushes under a guard that restores the top of the stack
//!   when dropped, however its scope is left, as mlua's `StackGuard` does; the guards
//!   nest with the closures, so each restores the top it found.
//!
//! Nothing here raises a Lua error: the reads are raw (no metamethod runs), the stack
//! grows only by `lua_checkstack` (which reports failure rather than raising), and no
//! value pushed here is a to-be-closed variable, so restoring the top runs no code.

use std::ffi::{CStr, c_int};
use std::marker::PhantomData;
use std::ops::ControlFlow;

use mlua::ffi;

use goost_bind::bridge::Unconverted;
use goost_bind::{ArgRef, ScriptObject};

use crate::flavour;
use crate::object::{self, Userdata};

/// The stack of a running C function call, whose arguments are at slots `1..=count`.
#[derive(Clone, Copy)]
pub(crate) struct CallStack<'call> {
    state: *mut ffi::lua_State,
    count: c_int,
    /// Ties everything taken from the stack to the call.
    call: PhantomData<&'call ()>,
}

impl CallStack<'_> {
    /// Runs `f` on the stack of the C function call that Lua is making on `state`. `f`
    /// is given the stack for a lifetime of its own, so no argument's bytes escape it.
    ///
    /// # Safety
    /// `state` is the state Lua called the running C function with, and `with` is called
    /// from that function's own frame, before it pushes anything.
    #[inline(always)]
    pub(crate) unsafe fn with<R>(
        state: *mut ffi::lua_State,
        f: impl for<'call> FnOnce(CallStack<'call>) -> R,
    ) -> R {
        // SAFETY: `state` is live (this function's contract), and at a C function's start
        // the top of its stack is its argument count.
        let count = unsafe { ffi::lua_gettop(state) };
        f(CallStack {
            state,
            count,
            call: PhantomData,
        })
    }
}

impl<'call> CallStack<'call> {
    /// How many arguments the call has.
    #[inline(always)]
    pub(crate) fn arg_count(self) -> usize {
        usize::try_from(self.count).unwrap_or(0)
    }

    /// The call's arguments, first to last.
    #[inline(always)]
    pub(crate) fn args(self) -> impl Iterator<Item = Slot<'call>> {
        (1..self.count + 1).map(move |index| Slot {
            state: self.state,
            index,
            alive: PhantomData,
        })
    }

    /// Calls `f` with `table[position]` (a raw read: no metamethod runs), which stays on
    /// the stack only while `f` runs. An error if Lua cannot grow its stack for it.
    pub(crate) fn with_raw_get<R>(
        self,
        table: Table<'_>,
        position: usize,
        f: impl for<'v> FnOnce(Slot<'v>) -> R,
    ) -> Result<R, Unconverted> {
        let guard = TopGuard::with_room(self.state, 1)?;
        let key = ffi::lua_Integer::try_from(position).unwrap_or(ffi::lua_Integer::MAX);
        // SAFETY: `table` is a table on the live stack and the guard made room for one
        // value; a raw read runs no metamethod, so it raises nothing.
        unsafe { ffi::lua_rawgeti(self.state, table.0.index, key) };
        Ok(f(guard.slot(1)))
    }

    /// Calls `f` with each key and value of `table`, in Lua's order (`lua_next`), until
    /// it breaks; each pair stays on the stack only while `f` runs on it. The table must
    /// not change during the walk (nothing in the bridge changes a table). An error if Lua
    /// cannot grow its stack for the walk.
    pub(crate) fn for_each_entry<B>(
        self,
        table: Table<'_>,
        mut f: impl for<'v> FnMut(Slot<'v>, Slot<'v>) -> ControlFlow<B>,
    ) -> Result<ControlFlow<B>, Unconverted> {
        let guard = TopGuard::with_room(self.state, 2)?;
        // SAFETY: the guard made room for two values; pushing a nil raises nothing.
        unsafe { ffi::lua_pushnil(self.state) };
        // SAFETY: `table` is a table that nothing changes during the walk, so `lua_next`
        // raises nothing; each step pops the key on top and pushes the next key and value.
        while unsafe { ffi::lua_next(self.state, table.0.index) } != 0 {
            let flow = f(guard.slot(1), guard.slot(2));
            if flow.is_break() {
                return Ok(flow);
            }
            // SAFETY: the step pushed a key and a value; this pops the value and leaves
            // the key on top for the next step.
            unsafe { ffi::lua_settop(self.state, guard.top + 1) };
        }
        Ok(ControlFlow::Continue(()))
    }
}

/// One value on the stack, there for `'s`.
#[derive(Clone, Copy)]
pub(crate) struct Slot<'s> {
    state: *mut ffi::lua_State,
    /// An absolute index: it names the same value however the top moves.
    index: c_int,
    alive: PhantomData<&'s ()>,
}

/// A slot's value by its Lua type, as the bridge tells them apart: a string or a table
/// comes as a view with the reads only that type allows.
#[derive(Clone, Copy)]
pub(crate) enum Typed<'s> {
    Nil,
    Boolean(bool),
    /// A number, read with [`Slot::integer`] or [`Slot::number`].
    Number(Slot<'s>),
    String(LuaString<'s>),
    Table(Table<'s>),
    /// One of the bridge's objects (a userdata with a class's metatable).
    Object(&'s ScriptObject),
    /// One of the bridge's objects that Lua collected and a finalizer kept (its class's
    /// name): its Rust value is dropped.
    Dropped(&'static str),
    /// Any other type, by its Lua tag.
    Other(c_int),
}

impl<'s> Slot<'s> {
    /// Lua's type tag of the value in the slot.
    #[inline(always)]
    fn tag(self) -> c_int {
        // SAFETY: `index` is a valid index of the live stack while `'s` lasts.
        unsafe { ffi::lua_type(self.state, self.index) }
    }

    /// The value in the slot by its type.
    #[inline(always)]
    pub(crate) fn typed(self) -> Typed<'s> {
        match self.tag() {
            ffi::LUA_TNIL | ffi::LUA_TNONE => Typed::Nil,
            ffi::LUA_TBOOLEAN => Typed::Boolean(self.boolean()),
            ffi::LUA_TNUMBER => Typed::Number(self),
            ffi::LUA_TSTRING => Typed::String(LuaString(self)),
            ffi::LUA_TTABLE => Typed::Table(Table(self)),
            // SAFETY: `index` is a valid index of the live stack while `'s` lasts.
            ffi::LUA_TUSERDATA => match unsafe { object::userdata_at(self.state, self.index) } {
                Userdata::Object(object) => Typed::Object(object),
                Userdata::Dropped(class) => Typed::Dropped(class),
                Userdata::Foreign => Typed::Other(ffi::LUA_TUSERDATA),
            },
            other => Typed::Other(other),
        }
    }

    /// The value lent as an argument, its string's bytes borrowed for as long as it stays
    /// on the stack: `Ok(None)` for a table, which is converted apart.
    #[inline(always)]
    pub(crate) fn lend(self) -> Result<Option<ArgRef<'s>>, Unconverted> {
        Ok(Some(match self.typed() {
            Typed::Nil => ArgRef::Void,
            Typed::Boolean(b) => ArgRef::Bool(b),
            Typed::Number(number) => match number.integer() {
                Some(n) => ArgRef::Int(n),
                None => ArgRef::Float(number.number()),
            },
            Typed::String(string) => ArgRef::Bytes(string.bytes()),
            Typed::Table(_) => return Ok(None),
            Typed::Object(object) => ArgRef::Object(object),
            Typed::Dropped(class) => {
                return Err(Unconverted::new(format!(
                    "is a {class} object that Lua has collected, so dropped (a finalizer kept it past its __gc)"
                )));
            }
            Typed::Other(tag) => {
                return Err(Unconverted::new(format!(
                    "is a Lua {}, which has no script type",
                    self.type_name(tag)
                )));
            }
        }))
    }

    /// The truth of the value, as Lua reads it.
    #[inline(always)]
    fn boolean(self) -> bool {
        // SAFETY: `index` is valid while `'s` lasts; `lua_toboolean` reads any value.
        unsafe { ffi::lua_toboolean(self.state, self.index) != 0 }
    }

    /// A number as an `int`, by the rule of [`flavour`]: on a Lua with integers, if it is
    /// one or is a float with an integral value in range (Lua converts exactly those); on
    /// one without, if it is integral within ±(2^53 − 1). `None` for any other value.
    #[inline(always)]
    pub(crate) fn integer(self) -> Option<i64> {
        if !flavour::HAS_INTEGERS {
            return flavour::int_of_double(self.number());
        }
        let mut is_int = 0;
        // SAFETY: `index` is valid while `'s` lasts; `lua_tointegerx` converts no value
        // in place and raises nothing.
        let n = unsafe { ffi::lua_tointegerx(self.state, self.index, &mut is_int) };
        (is_int != 0).then_some(n)
    }

    /// A number as a float (0 for a value that is not a number).
    #[inline(always)]
    pub(crate) fn number(self) -> f64 {
        // SAFETY: as for `integer`.
        unsafe { ffi::lua_tonumberx(self.state, self.index, std::ptr::null_mut()) }
    }

    /// Whether the value is a number with an integer subtype (on a Lua without one: a
    /// number that [`Slot::integer`] takes).
    pub(crate) fn is_integer(self) -> bool {
        if !flavour::HAS_INTEGERS {
            return self.integer().is_some();
        }
        // SAFETY: `index` is valid while `'s` lasts.
        unsafe { ffi::lua_isinteger(self.state, self.index) != 0 }
    }

    /// The value as a table, if it is one.
    pub(crate) fn as_table(self) -> Option<Table<'s>> {
        match self.typed() {
            Typed::Table(table) => Some(table),
            _ => None,
        }
    }

    /// Lua's name of type tag `tag`: `function`, `userdata`, ...
    fn type_name(self, tag: c_int) -> String {
        // SAFETY: `lua_typename` returns a static, NUL-terminated name for every tag.
        unsafe { CStr::from_ptr(ffi::lua_typename(self.state, tag)) }
            .to_string_lossy()
            .into_owned()
    }

    /// The value as an error shows a table key: a quoted string, a number, or its type.
    pub(crate) fn key_text(self) -> String {
        match self.typed() {
            Typed::String(string) => format!("{:?}", String::from_utf8_lossy(string.bytes())),
            Typed::Number(number) if number.is_integer() => {
                number.integer().unwrap_or_default().to_string()
            }
            Typed::Number(number) => number.number().to_string(),
            _ => format!("of type {}", self.type_name(self.tag())),
        }
    }
}

/// A slot that holds a string.
#[derive(Clone, Copy)]
pub(crate) struct LuaString<'s>(Slot<'s>);

impl<'s> LuaString<'s> {
    /// The string's bytes, which Lua keeps in place while the string stays on the stack.
    #[inline(always)]
    pub(crate) fn bytes(self) -> &'s [u8] {
        let mut len = 0usize;
        // SAFETY: the slot holds a string, so `lua_tolstring` converts nothing in place
        // and returns the string's own buffer of `len` bytes, which Lua neither moves nor
        // frees while the string is on the stack, that is while `'s` lasts.
        unsafe {
            let bytes = ffi::lua_tolstring(self.0.state, self.0.index, &mut len);
            std::slice::from_raw_parts(bytes.cast::<u8>(), len)
        }
    }
}

/// A slot that holds a table.
#[derive(Clone, Copy)]
pub(crate) struct Table<'s>(Slot<'s>);

impl Table<'_> {
    /// The table's identity while it stays on the stack: its address.
    pub(crate) fn address(self) -> usize {
        // SAFETY: the slot is valid while the table stays on the stack.
        unsafe { ffi::lua_topointer(self.0.state, self.0.index) as usize }
    }

    /// The table's raw length (`#t` without metamethods).
    pub(crate) fn raw_len(self) -> usize {
        // SAFETY: the slot is a table, valid while it stays on the stack; a raw length
        // runs no metamethod.
        unsafe { ffi::lua_rawlen(self.0.state, self.0.index) }
    }
}

/// Restores the top of the stack it found when dropped, however its scope is left (a
/// `?`, an early return, a panic), as mlua's `StackGuard` does. Each guard lives inside
/// one call of [`CallStack::with_raw_get`] or [`CallStack::for_each_entry`], so guards
/// are dropped in the reverse order of their making.
struct TopGuard {
    state: *mut ffi::lua_State,
    top: c_int,
}

impl TopGuard {
    /// A guard over `state`'s stack with room for `room` more values; an error if Lua
    /// cannot grow its stack that far.
    fn with_room(state: *mut ffi::lua_State, room: c_int) -> Result<TopGuard, Unconverted> {
        // SAFETY: `state` is the live state of the running call (a `CallStack` holds only
        // that); `lua_checkstack` reports failure, never raises.
        if unsafe { ffi::lua_checkstack(state, room) } == 0 {
            return Err(Unconverted::new(
                "is a table too deep for Lua's stack".to_string(),
            ));
        }
        // SAFETY: as above.
        let top = unsafe { ffi::lua_gettop(state) };
        Ok(TopGuard { state, top })
    }

    /// The slot `above` places over the top the guard found (from 1).
    fn slot<'v>(&self, above: c_int) -> Slot<'v> {
        Slot {
            state: self.state,
            index: self.top + above,
            alive: PhantomData,
        }
    }
}

impl Drop for TopGuard {
    fn drop(&mut self) {
        // SAFETY: the state is live while the call runs; the values above `top` were
        // pushed under this guard (the guards made since were dropped first, having
        // restored their own tops), none of them to-be-closed, so dropping them runs no
        // code and raises nothing.
        unsafe { ffi::lua_settop(self.state, self.top) };
    }
}
