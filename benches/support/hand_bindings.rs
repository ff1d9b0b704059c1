//! The memory natives bound by hand, as an mlua or Rhai user would write them without
//! the generator: the baseline the bridges are measured against, shared by
//! `benches/bridges.rs` (wall clock) and `instructions/benches/bridge_instructions.rs`
//! (instruction counts). Each registers a module called `memory`, so the same script
//! runs on the bridge and on these.

use std::sync::Arc;

use goost_bind::Context;
use goost_lua::mlua::{self, Lua};
use goost_rhai::rhai::{Dynamic, Engine, EvalAltResult, ImmutableString, Module, Token};
use memory_runtime::MemoryState;
use memory_runtime::buffer::{self, BufferId};
use memory_runtime::pool::{self, PoolId};

/// The memory state of `ctx`, as a hand-written binding keeps it.
fn memory_of(ctx: &Context) -> Arc<MemoryState> {
    ctx.state_shared::<MemoryState>()
        .expect("every context holds one")
}

/// `require('memory')` in Lua, with `buffer.*` and `pool.*` bound by hand, as an mlua user
/// would write them (typed arguments, strings borrowed from Lua).
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
    vm.register_module("memory", hand)
}

/// The module `memory` in Rhai: the natives bound by hand with `set_native_fn` (and Rhai's
/// reserved word `new` read as a name, as the bridge's `install` does).
pub fn rhai_by_hand(engine: &mut Engine, ctx: &Context) {
    fn fail(error: goost_bind::Error) -> Box<EvalAltResult> {
        error.to_string().into()
    }
    let mut buffer_module = Module::new();
    let (c, mem) = (ctx.clone(), memory_of(ctx));
    buffer_module.set_native_fn("new", move || Ok(buffer::new(&c, &mem).map_err(fail)?.0));
    let (c, mem) = (ctx.clone(), memory_of(ctx));
    buffer_module.set_native_fn("write", move |id: i64, s: ImmutableString| {
        buffer::write(&c, &mem, BufferId(id), s.as_bytes()).map_err(fail)
    });
    let mem = memory_of(ctx);
    buffer_module.set_native_fn("len", move |id: i64| {
        buffer::len(&mem, BufferId(id)).map_err(fail)
    });
    let mem = memory_of(ctx);
    buffer_module.set_native_fn("free", move |id: i64| {
        buffer::free(&mem, BufferId(id)).map_err(fail)
    });
    let mut pool_module = Module::new();
    let mem = memory_of(ctx);
    pool_module.set_native_fn("new", move || Ok(pool::new(&mem).map_err(fail)?.0));
    let (c, mem) = (ctx.clone(), memory_of(ctx));
    pool_module.set_native_fn("intern", move |id: i64, s: ImmutableString| {
        let pooled = pool::intern(&c, &mem, PoolId(id), s.as_bytes()).map_err(fail)?;
        // As the bridge hands back text: a Rhai string when the bytes are UTF-8.
        Ok(match pooled.to_str() {
            Ok(text) => Dynamic::from(ImmutableString::from(text)),
            Err(_) => Dynamic::from_blob(pooled.as_bytes().to_vec()),
        })
    });
    let mem = memory_of(ctx);
    pool_module.set_native_fn("free", move |id: i64| {
        pool::free(&mem, PoolId(id)).map_err(fail)
    });
    let mut hand = Module::new();
    hand.set_sub_module("buffer", buffer_module);
    hand.set_sub_module("pool", pool_module);
    engine.register_static_module("memory", hand.into());
    #[allow(deprecated)] // Rhai marks this API volatile, not deprecated.
    // Rhai reserves `new`: read it as a name, as the bridge does.
    engine.on_parse_token(|token, _, _| match token {
        Token::Reserved(word) if word.as_str() == "new" => Token::Identifier(word),
        other => other,
    });
}
