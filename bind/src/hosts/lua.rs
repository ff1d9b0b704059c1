//! Every registered module in Lua 5.4 (mlua, Lua vendored), feature `lua`: a script
//! writes `local memory = require("memory")` (or the name of any other module bound
//! with `#[native]`).
//!
//! ```
//! # use std::sync::atomic::{AtomicI64, Ordering};
//! use goost_bind::{Context, hosts::lua, native};
//!
//! #[derive(Default)]
//! struct Counter(AtomicI64);
//!
//! #[native("counter.ops.add", spec = "tests/counter.spec")]
//! fn add(counter: &Counter, n: i64) -> i64 {
//!     counter.0.fetch_add(n, Ordering::Relaxed) + n
//! }
//!
//! fn main() -> mlua::Result<()> {
//!     let vm = mlua::Lua::new();
//!     let ctx = Context::builder().state(Counter::default()).build();
//!     lua::install(&vm, ctx)?; // or lua::install_modules(&vm, ctx, &["counter"])
//!     let total: i64 = vm
//!         .load(r#"local counter = require("counter")
//!                  counter.ops.add(2)
//!                  return counter.ops.add(3)"#)
//!         .eval()?;
//!     assert_eq!(total, 5);
//!     Ok(())
//! }
//! ```
//!
//! Lua integers are `int`s (a float with an integral value is accepted as one), Lua
//! strings must be UTF-8, booleans are `bool`s, `nil` is `void`. A native's error
//! becomes a Lua error with the native's own text. Every GC cycle on the context
//! (`memory.gc.run()`, `freeOSMemory`, the pacer) also runs a full Lua collection.

use mlua::{BorrowedBytes, FromLuaMulti, Function, Lua, MultiValue, Table, Variadic};

/// The Lua engine this bridge is built on, re-exported so a host needs no dependency of
/// its own (and never two versions).
pub use mlua;

use super::Unconverted;
use crate::{ArgRef, BoundNative, Context, Module, Native, Registry, ScriptArg, Value};

/// Makes `require(name)` return each registered module, with its natives running on
/// `ctx`, and registers Lua's own collector on `ctx`. The Lua state holds the context;
/// the context holds the Lua state only weakly.
pub fn install(lua: &Lua, ctx: Context) -> mlua::Result<()> {
    install_from(lua, ctx, Registry::global().modules().collect())
}

/// [`install`] for the modules called `names` only; a name no native registers is an
/// error, and then nothing is installed.
pub fn install_modules(lua: &Lua, ctx: Context, names: &[&str]) -> mlua::Result<()> {
    let modules = Registry::global()
        .chosen_modules(names)
        .map_err(mlua::Error::external)?;
    install_from(lua, ctx, modules)
}

fn install_from(lua: &Lua, ctx: Context, modules: Vec<&Module>) -> mlua::Result<()> {
    let weak = lua.weak();
    ctx.register_collector(move || {
        if let Some(lua) = weak.try_upgrade() {
            // A failing collection (an erroring __gc) must not stop the cycle.
            let _ = lua.gc_collect();
        }
    });
    let tables = modules
        .into_iter()
        .map(|module| Ok((module.path.as_str(), module_table(lua, module, &ctx)?)))
        .collect::<mlua::Result<Vec<_>>>()?;
    for (name, table) in tables {
        lua.register_module(name, table)?;
    }
    Ok(())
}

/// A table for `module`: a sub-table per sub-module, a function per native.
fn module_table(lua: &Lua, module: &Module, ctx: &Context) -> mlua::Result<Table> {
    let table = lua.create_table()?;
    for (name, sub) in &module.submodules {
        table.set(*name, module_table(lua, sub, ctx)?)?;
    }
    for (name, native) in &module.functions {
        table.set(*name, lua_function(lua, native.bind(ctx))?)?;
    }
    Ok(table)
}

/// The most parameters a native may have for its Lua function to read the arguments
/// straight off Lua's stack (mlua converts tuples of at most 16 values: these and the
/// count of extra arguments). A native with more gets them collected into a `Vec` first.
pub const MOST_STACK_PARAMS: usize = 15;

/// The Lua function of one bound native: one generic bridge, whose arguments mlua reads
/// off the stack as a tuple of the native's parameter count, plus a count of any extra
/// arguments. A call with int, float, bool or string arguments allocates nothing (a
/// string is borrowed from Lua), as with a hand-written typed binding.
///
/// Lua passes a missing argument as `nil`, and mlua's tuples cannot tell the two apart:
/// a trailing `nil` counts as left out, as in Lua's own libraries' optional arguments, so
/// `write(b, nil)` is refused as `expects 2 arguments, got 1`.
fn lua_function(lua: &Lua, bound: BoundNative) -> mlua::Result<Function> {
    // One `mlua::Value` per argument name.
    macro_rules! lua_value {
        ($arg:ident) => {
            mlua::Value
        };
    }
    macro_rules! counts {
        ($($n:literal => ($($arg:ident),*)),* $(,)?) => {
            match bound.native().spec().params.len() {
                $($n => lua.create_function(
                    move |lua, ($($arg,)* extra,): ($(lua_value!($arg),)* ExtraArguments,)| {
                        call(lua, &bound, [$($arg),*], extra.0)
                    },
                ),)*
                _ => lua.create_function(move |lua, args: Variadic<mlua::Value>| {
                    call_collected(lua, &bound, &args)
                }),
            }
        };
    }
    counts! {
        0 => (),
        1 => (a),
        2 => (a, b),
        3 => (a, b, c),
        4 => (a, b, c, d),
        5 => (a, b, c, d, e),
        6 => (a, b, c, d, e, f),
        7 => (a, b, c, d, e, f, g),
        8 => (a, b, c, d, e, f, g, h),
        9 => (a, b, c, d, e, f, g, h, i),
        10 => (a, b, c, d, e, f, g, h, i, j),
        11 => (a, b, c, d, e, f, g, h, i, j, k),
        12 => (a, b, c, d, e, f, g, h, i, j, k, l),
        13 => (a, b, c, d, e, f, g, h, i, j, k, l, m),
        14 => (a, b, c, d, e, f, g, h, i, j, k, l, m, n),
        15 => (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o),
    }
}
/// One call with the native's `N` parameters read off the stack and `extra` more
/// arguments: each held (a string borrowed), lent to the glue, the result converted back.
fn call<const N: usize>(
    lua: &Lua,
    bound: &BoundNative,
    args: [mlua::Value; N],
    extra: usize,
) -> mlua::Result<mlua::Value> {
    if extra > 0 {
        let refused = crate::Error::arity(bound.native().spec(), N + extra);
        return Err(mlua::Error::external(refused));
    }
    let given = given_count(&args);
    let mut held: [Held<'_>; N] = std::array::from_fn(|_| Held::Scalar(ArgRef::Void));
    for (index, (arg, slot)) in args[..given].iter().zip(held.iter_mut()).enumerate() {
        *slot = hold(bound.native(), index, arg)?;
    }
    let lent: [ArgRef<'_>; N] = std::array::from_fn(|index| held[index].lend());
    finish(lua, bound.call_lent(&lent[..given]))
}

/// One call of a native with more than [`MOST_STACK_PARAMS`] parameters, its arguments
/// collected by mlua.
fn call_collected(
    lua: &Lua,
    bound: &BoundNative,
    args: &[mlua::Value],
) -> mlua::Result<mlua::Value> {
    let args = &args[..given_count(args)];
    let held = args
        .iter()
        .enumerate()
        .map(|(index, arg)| hold(bound.native(), index, arg))
        .collect::<mlua::Result<Vec<Held<'_>>>>()?;
    let lent: Vec<ArgRef<'_>> = held.iter().map(Held::lend).collect();
    finish(lua, bound.call_lent(&lent))
}

/// How many arguments a call passed: up to the last one that is not `nil`.
fn given_count(args: &[mlua::Value]) -> usize {
    args.iter().rposition(|arg| !arg.is_nil()).map_or(0, |last| last + 1)
}

/// The native's result as Lua's. Its error travels whole, as an external error: a host
/// finds it with `downcast_ref::<goost_bind::Error>()` (and a module's own error inside).
fn finish(lua: &Lua, result: Result<Value, crate::Error>) -> mlua::Result<mlua::Value> {
    to_lua(lua, result.map_err(mlua::Error::external)?)
}

/// How many arguments a call passed beyond the native's parameters (mlua collects them
/// only when there are some).
struct ExtraArguments(usize);

impl FromLuaMulti for ExtraArguments {
    fn from_lua_multi(values: MultiValue, _: &Lua) -> mlua::Result<Self> {
        Ok(ExtraArguments(values.len()))
    }
}

/// A Lua argument, held for the length of a call so that the glue can borrow it.
enum Held<'v> {
    /// `nil`, an integer, a number or a boolean.
    Scalar(ArgRef<'static>),
    /// A string's bytes, borrowed from Lua.
    Text(BorrowedBytes<'v>),
    /// A sequence table, converted into a script list.
    List(Value),
}

impl Held<'_> {
    fn lend(&self) -> ArgRef<'_> {
        match self {
            Held::Scalar(arg) => *arg,
            Held::Text(bytes) => ArgRef::Bytes(bytes),
            Held::List(list) => list.lend(),
        }
    }
}

/// Argument `index` of a call of `native`, held; an error names the argument and what it is.
fn hold<'v>(native: &Native, index: usize, arg: &'v mlua::Value) -> mlua::Result<Held<'v>> {
    let held = match arg {
        mlua::Value::String(s) => Ok(Held::Text(s.as_bytes())),
        mlua::Value::Table(_) => convert_from_lua(arg, 0).map(Held::List),
        other => scalar(other).map(Held::Scalar),
    };
    held.map_err(|unconverted| {
        mlua::Error::external(crate::Error::msg(format!(
            "{}: argument {} {}",
            native.spec().signature,
            index + 1,
            unconverted.describe("table")
        )))
    })
}

/// `nil`, a boolean or a number as a script value: a number is an int when it is a whole
/// number in range, else a float.
fn scalar(value: &mlua::Value) -> Result<ArgRef<'static>, Unconverted> {
    Ok(match value {
        mlua::Value::Nil => ArgRef::Void,
        mlua::Value::Boolean(b) => ArgRef::Bool(*b),
        mlua::Value::Integer(n) => ArgRef::Int(*n),
        mlua::Value::Number(f)
            if f.fract() == 0.0 && *f >= -(2f64.powi(63)) && *f < 2f64.powi(63) =>
        {
            ArgRef::Int(*f as i64)
        }
        mlua::Value::Number(f) => ArgRef::Float(*f),
        other => {
            return Err(Unconverted::new(format!(
                "is a Lua {}, which has no script type",
                other.type_name()
            )));
        }
    })
}

/// A Lua value as a script value: a scalar as [`scalar`] reads it; a string is its
/// bytes, as they are; a sequence table is a list. `Err` says what the value is instead
/// (the caller names the argument).
fn convert_from_lua(value: &mlua::Value, depth: usize) -> Result<Value, Unconverted> {
    Ok(match value {
        mlua::Value::String(s) => Value::str(&*s.as_bytes()),
        mlua::Value::Table(table) => {
            if depth >= Value::MAX_NESTING {
                return Err(Unconverted::new(format!(
                    "is a table nested more than {} deep",
                    Value::MAX_NESTING
                )));
            }
            let len = table.raw_len();
            let mut entries = 0usize;
            for pair in table.pairs::<mlua::Value, mlua::Value>() {
                let (key, _) = pair.map_err(|e| Unconverted::new(e.to_string()))?;
                let in_sequence =
                    matches!(key, mlua::Value::Integer(k) if k >= 1 && (k as usize) <= len);
                if !in_sequence {
                    return Err(Unconverted::new(format!(
                        "is a Lua table that is not a sequence (it has the key {}), so not a list",
                        lua_key_text(&key)
                    )));
                }
                entries += 1;
            }
            if entries != len {
                return Err(Unconverted::new(
                    "is a Lua table with holes, so not a list".to_string(),
                ));
            }
            let mut items = Vec::with_capacity(len);
            for position in 1..=len {
                let item: mlua::Value = table
                    .raw_get(position)
                    .map_err(|e| Unconverted::new(e.to_string()))?;
                items.push(convert_from_lua(&item, depth + 1).map_err(|e| e.in_element(position))?);
            }
            Value::list(items).map_err(|too_deep| {
                Unconverted::new(format!("is a table whose lists {too_deep}"))
            })?
        }
        other => scalar(other)?.to_value(),
    })
}

/// A table key as an error shows it.
fn lua_key_text(key: &mlua::Value) -> String {
    match key {
        mlua::Value::String(s) => format!("{:?}", s.to_string_lossy()),
        mlua::Value::Integer(n) => n.to_string(),
        mlua::Value::Number(f) => f.to_string(),
        other => format!("of type {}", other.type_name()),
    }
}

fn to_lua(lua: &Lua, value: Value) -> mlua::Result<mlua::Value> {
    Ok(match value {
        Value::Void => mlua::Value::Nil,
        Value::Int(n) => mlua::Value::Integer(n),
        Value::Float(x) => mlua::Value::Number(x),
        Value::Bool(b) => mlua::Value::Boolean(b),
        Value::Str(s) => mlua::Value::String(lua.create_string(s.as_bytes())?),
        Value::List(items) => {
            let table = lua.create_table_with_capacity(items.len(), 0)?;
            for (i, item) in items.iter().enumerate() {
                table.raw_set(i + 1, to_lua(lua, item.clone())?)?;
            }
            mlua::Value::Table(table)
        }
    })
}
