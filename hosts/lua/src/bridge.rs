//! The bridge: `require` of each module, its natives as Lua C functions.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use mlua::{Function, Lua, Table};

use goost_bind::{Context, FnSpec, Module, Registry, Value};

use crate::{c_function, flavour, object};

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
    let collection = Arc::new(CollectionRequest::default());
    let paths: Vec<&str> = modules.iter().map(|m| m.path.as_str()).collect();
    let finisher = c_function::finisher(lua)?;
    for (class, methods) in Registry::global().classes_of(&paths) {
        let methods = methods
            .into_iter()
            .map(|native| {
                let function = c_function::lua_function(
                    lua,
                    native.bind(&ctx),
                    Arc::clone(&collection),
                    ctx.conversion_limit(),
                    &finisher,
                )?;
                Ok((native.spec().short_name(), function))
            })
            .collect::<mlua::Result<Vec<_>>>()?;
        object::install_class(lua, class, methods)?;
    }
    let tables = modules
        .into_iter()
        .map(|module| {
            Ok((
                module.path.as_str(),
                module_table(lua, module, &ctx, &collection, &finisher)?,
            ))
        })
        .collect::<mlua::Result<Vec<_>>>()?;
    for (name, table) in tables {
        register(lua, name, table)?;
    }
    // The context's collector only asks: the state collects at its next safe point (see
    // `CollectionRequest`), so a cycle on any thread never waits for this state's lock.
    let request = Arc::clone(&collection);
    let id = ctx.register_collector(move || request.ask());
    c_function::keep_registration(lua, ctx, id)
}

/// Makes `require(name)` return `table`. Luau's `require` takes a path or an `@` alias, so
/// there the module is registered as `@name` (Luau's way) and, in the table of registered
/// modules that mlua's `require` looks in first (Luau's `_REGISTEREDMODULES`), under its
/// bare name too, so the same `require("memory")` works in every Lua.
fn register(lua: &Lua, name: &str, table: Table) -> mlua::Result<()> {
    if flavour::IS_LUAU {
        lua.register_module(&format!("@{name}"), &table)?;
        let registered: Table = lua.named_registry_value("_REGISTEREDMODULES")?;
        // mlua's `require` looks a name up lowercased, as it registers one.
        return registered.raw_set(name.to_ascii_lowercase(), table);
    }
    lua.register_module(name, table)
}

/// A GC cycle's request that one Lua state collect its garbage. Set by the context's
/// collector from any thread, without waiting; taken by the state itself when one of the
/// bridge's natives returns in it (its next safe point: the state's own thread, inside
/// one of its C functions), which then runs a full Lua collection. So `memory.gc.run()`
/// called from a Lua script collects that state before the call returns, and a state
/// busy on another thread collects when it next calls a native, never blocking the cycle.
/// A state that calls no native again collects when Lua's own GC runs.
#[derive(Debug, Default)]
pub(crate) struct CollectionRequest(AtomicBool);

impl CollectionRequest {
    /// Asks for a collection.
    fn ask(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether a collection was asked for since the last call, clearing the request.
    #[inline(always)]
    pub(crate) fn take(&self) -> bool {
        self.0.load(Ordering::Relaxed) && self.0.swap(false, Ordering::Relaxed)
    }
}

/// A table for `module`: a sub-table per sub-module, a function per native (see
/// [`c_function`] for how a call runs), each calling `finisher` last.
fn module_table(
    lua: &Lua,
    module: &Module,
    ctx: &Context,
    collection: &Arc<CollectionRequest>,
    finisher: &Function,
) -> mlua::Result<Table> {
    let table = lua.create_table()?;
    for (name, sub) in &module.submodules {
        table.set(*name, module_table(lua, sub, ctx, collection, finisher)?)?;
    }
    for (name, native) in &module.functions {
        let function = c_function::lua_function(
            lua,
            native.bind(ctx),
            Arc::clone(collection),
            ctx.conversion_limit(),
            finisher,
        )?;
        table.set(*name, function)?;
    }
    Ok(table)
}

/// `spec`'s result as a Lua value: a string is a Lua string of the same bytes, a list a
/// sequence table, an int a number (an error if this Lua's numbers cannot hold it: see
/// [`flavour`](crate::flavour)).
pub(crate) fn to_lua(lua: &Lua, value: Value, spec: &'static FnSpec) -> mlua::Result<mlua::Value> {
    Ok(match value {
        Value::Void => mlua::Value::Nil,
        Value::Int(n) if flavour::HAS_INTEGERS => mlua::Value::Integer(n),
        Value::Int(n) => match flavour::double_of_int(n) {
            Some(x) => mlua::Value::Number(x),
            None => return Err(mlua::Error::external(flavour::inexact_result(spec, n))),
        },
        Value::Float(x) => mlua::Value::Number(x),
        Value::Bool(b) => mlua::Value::Boolean(b),
        Value::Str(s) => mlua::Value::String(lua.create_string(s.as_bytes())?),
        Value::List(items) => {
            let table = lua.create_table_with_capacity(items.len(), 0)?;
            for (i, item) in items.iter().enumerate() {
                table.raw_set(i + 1, to_lua(lua, item.clone(), spec)?)?;
            }
            mlua::Value::Table(table)
        }
        // A table with string keys (Lua strings of the keys' bytes).
        Value::Map(entries) => {
            let table = lua.create_table_with_capacity(0, entries.len())?;
            for (key, item) in entries.iter() {
                let key = lua.create_string(key.as_bytes())?;
                table.raw_set(key, to_lua(lua, item.clone(), spec)?)?;
            }
            mlua::Value::Table(table)
        }
        // An object reaches here only when its class has no metatable in this state.
        Value::Object(object) => {
            return Err(mlua::Error::external(format!(
                "{}: a {} object cannot cross into this Lua state: no module installed in it names the class",
                spec.name,
                object.class().name
            )));
        }
        // A table of the present fields.
        Value::Record(record) => {
            let table = lua.create_table_with_capacity(0, record.values().len())?;
            for (name, item) in record.fields() {
                table.raw_set(name, to_lua(lua, item.clone(), spec)?)?;
            }
            mlua::Value::Table(table)
        }
    })
}
