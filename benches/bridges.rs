//! Issue 17: the Lua and Rhai bridges against a hand-written binding of the very same
//! native, in one run. Each row makes 1,000,000 calls from a script loop; what to read is
//! the ratio of the bridge's time to the hand-written binding's.
//!
//! Each binding lives in an engine of its own under the module name `memory`, so both run
//! the very same script text (a module's name and its place among the others change what
//! an engine pays to find it).
//! `cargo bench --features lua,rhai --bench bridges`.

use criterion::{Criterion, criterion_group, criterion_main};
use goost_memory::Context;
use goost_memory::hosts::{lua, rhai as rhai_bridge};
use mlua::Lua;
use rhai::Engine;

#[path = "support/hand_bindings.rs"]
mod hand_bindings;
use hand_bindings::{lua_by_hand, rhai_by_hand};

/// The three rows, as Lua loops over `m` (the module table `require('memory')` gives: the
/// bridge's or the hand-written one).
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

/// The same rows in Rhai.
const RHAI_ROWS: [(&str, &str); 3] = [
    (
        "write 6 B",
        "let b = memory::buffer::new();
         for i in 0..1000000 { memory::buffer::write(b, \"hello \"); }
         memory::buffer::free(b);",
    ),
    (
        "len",
        "let b = memory::buffer::new();
         let n = 0;
         for i in 0..1000000 { n += memory::buffer::len(b); }
         memory::buffer::free(b);",
    ),
    (
        "intern hit",
        "let p = memory::pool::new();
         memory::pool::intern(p, \"hello\");
         for i in 0..1000000 { memory::pool::intern(p, \"hello\"); }
         memory::pool::free(p);",
    ),
];

fn bridges(c: &mut Criterion) {
    let ctx = Context::new();
    let bridge_vm = Lua::new();
    lua::install(&bridge_vm, ctx.clone()).expect("installs");
    let hand_vm = Lua::new();
    lua_by_hand(&hand_vm, &ctx).expect("binds by hand");
    let mut group = c.benchmark_group("Lua, 1,000,000 calls");
    group.sample_size(10);
    for (row, body) in LUA_ROWS {
        let script = format!("local m = require('memory')\n{body}");
        let bridge = bridge_vm.load(&script).into_function().expect("compiles");
        let by_hand = hand_vm.load(&script).into_function().expect("compiles");
        group.bench_function(format!("{row}: bridge"), |b| {
            b.iter(|| bridge.call::<()>(()).expect("runs"))
        });
        group.bench_function(format!("{row}: by hand"), |b| {
            b.iter(|| by_hand.call::<()>(()).expect("runs"))
        });
    }
    group.finish();

    let mut bridge_engine = Engine::new();
    rhai_bridge::install(&mut bridge_engine, ctx.clone()).expect("installs");
    let mut hand_engine = Engine::new();
    rhai_by_hand(&mut hand_engine, &ctx);
    let mut group = c.benchmark_group("Rhai, 1,000,000 calls");
    group.sample_size(10);
    for (row, body) in RHAI_ROWS {
        let bridge = bridge_engine.compile(body).expect("compiles");
        let by_hand = hand_engine.compile(body).expect("compiles");
        group.bench_function(format!("{row}: bridge"), |b| {
            b.iter(|| bridge_engine.run_ast(&bridge).expect("runs"))
        });
        group.bench_function(format!("{row}: by hand"), |b| {
            b.iter(|| hand_engine.run_ast(&by_hand).expect("runs"))
        });
    }
    group.finish();
}

criterion_group!(benches, bridges);
criterion_main!(benches);
