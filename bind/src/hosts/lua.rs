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

use mlua::{Lua, MultiValue, Table};

/// The Lua engine this bridge is built on, re-exported so a host needs no dependency of
/// its own (and never two versions).
pub use mlua;

use super::Unconverted;
use crate::{Context, Module, Native, Registry, Value};

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
        let native: &'static Native = native;
        let bound = native.bind(ctx);
        let function = lua.create_function(move |lua, args: MultiValue| {
            let values = args
                .iter()
                .enumerate()
                .map(|(index, arg)| from_lua(native, index, arg))
                .collect::<mlua::Result<Vec<Value>>>()?;
            // The native's error travels whole, as an external error: a host finds it
            // with `downcast_ref::<goost_bind::Error>()` (and a module's own error inside).
            let result = bound.call(&values).map_err(mlua::Error::external)?;
            to_lua(lua, result)
        })?;
        table.set(*name, function)?;
    }
    Ok(table)
}

fn from_lua(native: &Native, index: usize, value: &mlua::Value) -> mlua::Result<Value> {
    convert_from_lua(value, 0).map_err(|unconverted| {
        mlua::Error::external(crate::Error::msg(format!(
            "{}: argument {} {}",
            native.spec().signature,
            index + 1,
            unconverted.describe("table")
        )))
    })
}

/// A Lua value as a script value: a number is an int when it is a whole number in range,
/// else a float; a string is its bytes, as they are; a sequence table is a list. `Err`
/// says what the value is instead (the caller names the argument).
fn convert_from_lua(value: &mlua::Value, depth: usize) -> Result<Value, Unconverted> {
    Ok(match value {
        mlua::Value::Nil => Value::Void,
        mlua::Value::Boolean(b) => Value::Bool(*b),
        mlua::Value::Integer(n) => Value::Int(*n),
        mlua::Value::Number(f)
            if f.fract() == 0.0 && *f >= -(2f64.powi(63)) && *f < 2f64.powi(63) =>
        {
            Value::Int(*f as i64)
        }
        mlua::Value::Number(f) => Value::Float(*f),
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
        other => {
            return Err(Unconverted::new(format!(
                "is a Lua {}, which has no script type",
                other.type_name()
            )));
        }
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
