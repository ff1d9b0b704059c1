//! Issue 17 in instructions: the Lua and Rhai bridges beside a hand-written binding of the
//! same natives (`hosts/lua/benches/hand_binding.rs`, `hosts/rhai/benches/hand_binding.rs`), counted by callgrind through
//! `gungraun`, where the wall-clock ratios of the `bridge` benches of goost-lua and goost-rhai wobble by a third on a
//! shared machine. Each benchmark runs a script loop of `CALLS` calls on an engine its
//! setup built; the `empty loop` rows count the same loop with no call, so
//! `(row - empty loop) / CALLS` is what one call costs. Both bindings register a module
//! called `memory`, and every row of an engine runs the same script text.
//!
//! Not part of `.ci/run` (it builds Lua and Rhai in release, which the gate's time budget
//! does not cover); run it by hand:
//!
//! ```sh
//! cargo install --version 0.18.2 gungraun-runner   # once; must match the library version
//! cargo bench -p goost-instructions --features bridges --bench bridge_instructions
//! ```

#[path = "../../hosts/lua/benches/hand_binding.rs"]
mod lua_hand_binding;
#[path = "../../hosts/rhai/benches/hand_binding.rs"]
mod rhai_hand_binding;

use std::hint::black_box;

use goost_bind::Context;
use goost_lua::{self as lua, mlua};
use goost_rhai::{self as rhai_bridge, rhai};
use gungraun::{library_benchmark, library_benchmark_group, main};
use memory_runtime::MemoryState;

/// Calls per measured loop.
const CALLS: usize = 100;

/// Which binding an engine has.
#[derive(Clone, Copy)]
enum Binding {
    /// The generated bridge (`install`).
    Bridge,
    /// The hand-written binding.
    ByHand,
}

/// A buffer and a pool handle, made on `ctx` before any script runs (a pool with
/// `"hello"` in it, so every intern in the loop is a hit).
fn handles(ctx: &Context) -> (i64, i64) {
    let mem = ctx
        .state_shared::<MemoryState>()
        .expect("every context holds one");
    let buffer = memory_runtime::buffer::new(ctx, &mem).expect("a buffer").0;
    let pool = memory_runtime::pool::new(&mem).expect("a pool");
    memory_runtime::pool::intern(ctx, &mem, pool, b"hello").expect("interns");
    (buffer, pool.0)
}

/// A Lua state with `binding`, and the loop to measure: `call` made `CALLS` times.
struct LuaLoop {
    _vm: mlua::Lua,
    run: mlua::Function,
}

fn lua_loop(binding: Binding, call: &str) -> Box<LuaLoop> {
    let ctx = Context::new();
    let vm = mlua::Lua::new();
    match binding {
        Binding::Bridge => lua::install(&vm, ctx.clone()).expect("installs"),
        Binding::ByHand => lua_hand_binding::lua_by_hand(&vm, &ctx).expect("binds by hand"),
    }
    let (b, p) = handles(&ctx);
    let run = vm
        .load(format!(
            "local m = require('memory')
             local b, p = {b}, {p}
             return function() for i = 1, {CALLS} do {call} end end"
        ))
        .eval()
        .expect("compiles");
    Box::new(LuaLoop { _vm: vm, run })
}

/// A Rhai engine with `binding`, and the loop to measure: `call` made `CALLS` times.
struct RhaiLoop {
    engine: rhai::Engine,
    run: rhai::AST,
}

fn rhai_loop(binding: Binding, call: &str) -> Box<RhaiLoop> {
    let ctx = Context::new();
    let mut engine = rhai::Engine::new();
    match binding {
        Binding::Bridge => rhai_bridge::install(&mut engine, ctx.clone()).expect("installs"),
        Binding::ByHand => rhai_hand_binding::rhai_by_hand(&mut engine, &ctx),
    }
    let (b, p) = handles(&ctx);
    let run = engine
        .compile(format!(
            "let b = {b}; let p = {p}; for i in 0..{CALLS} {{ {call}; }}"
        ))
        .expect("compiles");
    Box::new(RhaiLoop { engine, run })
}

#[library_benchmark]
#[bench::empty_loop(lua_loop(Binding::Bridge, "local _ = b"))]
#[bench::len_bridge(lua_loop(Binding::Bridge, "m.buffer.len(b)"))]
#[bench::len_by_hand(lua_loop(Binding::ByHand, "m.buffer.len(b)"))]
#[bench::write_bridge(lua_loop(Binding::Bridge, "m.buffer.write(b, 'hello ')"))]
#[bench::write_by_hand(lua_loop(Binding::ByHand, "m.buffer.write(b, 'hello ')"))]
#[bench::intern_bridge(lua_loop(Binding::Bridge, "m.pool.intern(p, 'hello')"))]
#[bench::intern_by_hand(lua_loop(Binding::ByHand, "m.pool.intern(p, 'hello')"))]
fn lua_calls(f: Box<LuaLoop>) -> Box<LuaLoop> {
    f.run.call::<()>(()).expect("runs");
    black_box(f)
}

#[library_benchmark]
#[bench::empty_loop(rhai_loop(Binding::Bridge, "b"))]
#[bench::len_bridge(rhai_loop(Binding::Bridge, "memory::buffer::len(b)"))]
#[bench::len_by_hand(rhai_loop(Binding::ByHand, "memory::buffer::len(b)"))]
#[bench::write_bridge(rhai_loop(Binding::Bridge, "memory::buffer::write(b, \"hello \")"))]
#[bench::write_by_hand(rhai_loop(Binding::ByHand, "memory::buffer::write(b, \"hello \")"))]
#[bench::intern_bridge(rhai_loop(Binding::Bridge, "memory::pool::intern(p, \"hello\")"))]
#[bench::intern_by_hand(rhai_loop(Binding::ByHand, "memory::pool::intern(p, \"hello\")"))]
fn rhai_calls(f: Box<RhaiLoop>) -> Box<RhaiLoop> {
    f.engine.run_ast(&f.run).expect("runs");
    black_box(f)
}

library_benchmark_group!(
    name = lua_group;
    benchmarks = lua_calls
);
library_benchmark_group!(
    name = rhai_group;
    benchmarks = rhai_calls
);

main!(library_benchmark_groups = lua_group, rhai_group);
