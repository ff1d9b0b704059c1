//! The memory natives bound by hand, as an mlua user would write them without the
//! generator: the baseline the Lua bridge is measured against, shared by
//! `hosts/lua/benches/bridge.rs` (wall clock) and
//! `instructions/benches/bridge_instructions.rs` (instruction counts). It registers a
//! module called `memory`, so the same script runs on the bridge and on it.

use std::sync::Arc;

use goost_bind::Context;
use goost_lua::mlua::{self, Lua};
use memory_runtime::MemoryState;
use memory_runtime::buffer::{self, BufferId};
use memory_runtime::pool::{self, PoolId};

/// The memory state of `ctx`, as a hand-written binding keeps it.
fn memory_of(ctx: &Context) -> Arc<MemoryState> {
    ctx.state_shared::<MemoryState>()
        .expect("every context holds one")
}

/// `require('memory')` in Lua, with `buffer.*` and `pool.*` bound by hand, as an mlua user
/// would write them (typed arguments, strings borrowed from Lua); `require('@memory')` on
/// Luau.
pub fn lua_by_hand(vm: &Lua, ctx: &Context) -> mlua::Result<()> {
    let fail = mlua::Error::external;
    let hand = vm.create_table()?;
    let buffer = vm.create_table()?;
    let pool_table = vm.create_table()?;
    let (c, mem) = (ctx.clone(), memory_of(ctx));
    buffer.set(
        "new",
        vm.create_function(move |_, ()| Ok(buffer::new(&c, &mem).map_err(fail)?.0))?,
    )?;
    let (c, mem) = (ctx.clone(), memory_of(ctx));
    buffer.set(
        "write",
        vm.create_function(move |_, (id, s): (i64, mlua::String)| {
            buffer::write(&c, &mem, BufferId(id), &s.as_bytes()).map_err(fail)
        })?,
    )?;
    let mem = memory_of(ctx);
    buffer.set(
        "len",
        vm.create_function(move |_, id: i64| buffer::len(&mem, BufferId(id)).map_err(fail))?,
    )?;
    let mem = memory_of(ctx);
    buffer.set(
        "free",
        vm.create_function(move |_, id: i64| buffer::free(&mem, BufferId(id)).map_err(fail))?,
    )?;
    let mem = memory_of(ctx);
    pool_table.set(
        "new",
        vm.create_function(move |_, ()| Ok(pool::new(&mem).map_err(fail)?.0))?,
    )?;
    let (c, mem) = (ctx.clone(), memory_of(ctx));
    pool_table.set(
        "intern",
        vm.create_function(move |lua, (id, s): (i64, mlua::String)| {
            let pooled = pool::intern(&c, &mem, PoolId(id), &s.as_bytes()).map_err(fail)?;
            lua.create_string(pooled.as_bytes())
        })?,
    )?;
    let mem = memory_of(ctx);
    pool_table.set(
        "free",
        vm.create_function(move |_, id: i64| pool::free(&mem, PoolId(id)).map_err(fail))?,
    )?;
    hand.set("buffer", buffer)?;
    hand.set("pool", pool_table)?;
    // Luau's `require` takes `@` aliases for registered modules (mlua refuses other names).
    let name = if goost_lua::flavour::IS_LUAU {
        "@memory"
    } else {
        "memory"
    };
    vm.register_module(name, hand)
}
