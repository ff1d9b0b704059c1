//! Issue 17: the Lua and Rhai bridges against a hand-written binding of the very same
//! native, in one run. Each row makes 1,000,000 calls from a script loop; what to read is
//! the ratio of the bridge's time to the hand-written binding's.
//! `cargo bench --features lua,rhai --bench bridges`.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use goost_memory::buffer::{self, BufferId};
use goost_memory::hosts::{lua, rhai as rhai_bridge};
use goost_memory::pool::{self, PoolId};
use goost_memory::{Context, MemoryState};
use mlua::Lua;
use rhai::{Dynamic, Engine, EvalAltResult, ImmutableString, Module};

/// The three rows, as Lua loops over `m` (the module table: the bridge's or the
/// hand-written one).
const LUA_ROWS: [(&str, &str); 3] = [
    (
        "write 6 B",
        "local b = m.buffer.new()
         for i = 1, 1000000 do m.buffer.write(b, 'hello ') end
         m.buffer.free(b)",
    ),
    (
        "len",
        "local b = m.buffer.new()
         local n = 0
         for i = 1, 1000000 do n = n + m.buffer.len(b) end
         m.buffer.free(b)",
    ),
    (
        "intern hit",
        "local p = m.pool.new()
         m.pool.intern(p, 'hello')
         for i = 1, 1000000 do m.pool.intern(p, 'hello') end
         m.pool.free(p)",
    ),
];

/// The same rows in Rhai, over the module path `m`.
const RHAI_ROWS: [(&str, &str); 3] = [
    (
        "write 6 B",
        "let b = M::buffer::new();
         for i in 0..1000000 { M::buffer::write(b, \"hello \"); }
         M::buffer::free(b);",
    ),
    (
        "len",
        "let b = M::buffer::new();
         let n = 0;
         for i in 0..1000000 { n += M::buffer::len(b); }
         M::buffer::free(b);",
    ),
    (
        "intern hit",
        "let p = M::pool::new();
         M::pool::intern(p, \"hello\");
         for i in 0..1000000 { M::pool::intern(p, \"hello\"); }
         M::pool::free(p);",
    ),
];

/// The memory state of `ctx`, as a hand-written binding keeps it.
fn memory_of(ctx: &Context) -> Arc<MemoryState> {
    ctx.state_shared::<MemoryState>()
        .expect("every context holds one")
}

/// `hand.buffer.*` and `hand.pool.*` in Lua: the natives bound by hand, as an mlua user
/// would write them (typed arguments, strings borrowed from Lua).
fn lua_by_hand(vm: &Lua, ctx: &Context) -> mlua::Result<()> {
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
    vm.globals().set("hand", hand)
}

/// The module `hand` in Rhai: the natives bound by hand with `set_native_fn`.
fn rhai_by_hand(engine: &mut Engine, ctx: &Context) {
    fn fail(error: goost_memory::Error) -> Box<EvalAltResult> {
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
    engine.register_static_module("hand", hand.into());
}

fn bridges(c: &mut Criterion) {
    let ctx = Context::new();
    let vm = Lua::new();
    lua::install(&vm, ctx.clone()).expect("installs");
    lua_by_hand(&vm, &ctx).expect("binds by hand");
    let mut group = c.benchmark_group("Lua, 1,000,000 calls");
    group.sample_size(10);
    for (row, body) in LUA_ROWS {
        let bridge = vm
            .load(format!("local m = require('memory')\n{body}"))
            .into_function()
            .expect("compiles");
        let by_hand = vm
            .load(format!("local m = hand\n{body}"))
            .into_function()
            .expect("compiles");
        group.bench_function(format!("{row}: bridge"), |b| {
            b.iter(|| bridge.call::<()>(()).expect("runs"))
        });
        group.bench_function(format!("{row}: by hand"), |b| {
            b.iter(|| by_hand.call::<()>(()).expect("runs"))
        });
    }
    group.finish();

    let mut engine = Engine::new();
    rhai_bridge::install(&mut engine, ctx.clone());
    rhai_by_hand(&mut engine, &ctx);
    let mut group = c.benchmark_group("Rhai, 1,000,000 calls");
    group.sample_size(10);
    for (row, body) in RHAI_ROWS {
        let bridge = engine
            .compile(body.replace("M::", "memory::"))
            .expect("compiles");
        let by_hand = engine
            .compile(body.replace("M::", "hand::"))
            .expect("compiles");
        group.bench_function(format!("{row}: bridge"), |b| {
            b.iter(|| engine.run_ast(&bridge).expect("runs"))
        });
        group.bench_function(format!("{row}: by hand"), |b| {
            b.iter(|| engine.run_ast(&by_hand).expect("runs"))
        });
    }
    group.finish();
}

criterion_group!(benches, bridges);
criterion_main!(benches);
