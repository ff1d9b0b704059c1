//! Heap allocations per call through the Lua and Rhai bridges, beside a hand-written
//! binding of the same native in the same engine (issue 17: the bridges should allocate
//! nothing a hand-written binding does not). Counted by the tracking allocator, so the
//! figures are exact where wall-clock ratios are noise. The tests take turns (`COUNTING`),
//! so no other test of this binary allocates while one counts.
#![cfg(all(feature = "lua", feature = "rhai"))]

use std::sync::{Arc, Mutex};

use goost_memory::alloc::{Tracking, TrackingSystem, counts};
use goost_memory::buffer::{self, BufferId};
use goost_memory::hosts::lua::{self, mlua};
use goost_memory::hosts::rhai::{self as rhai_bridge, rhai};
use goost_memory::{Context, MemoryState};

#[global_allocator]
static GLOBAL: TrackingSystem = Tracking::system();

const CALLS: u64 = 10_000;

/// Held by each test while it counts: the allocator's figures are the whole process's.
static COUNTING: Mutex<()> = Mutex::new(());

fn memory_of(ctx: &Context) -> Arc<MemoryState> {
    ctx.state_shared::<MemoryState>()
        .expect("every context holds one")
}

/// Allocations per call of `run` (which makes `CALLS` calls), less the same loop's
/// allocations with no call in it (`baseline`), to the nearest whole allocation.
fn per_call(run: impl Fn(), baseline: impl Fn()) -> u64 {
    let measure = |f: &dyn Fn()| {
        f(); // warm up: caches, interned names, pooled values
        let before = counts().allocs;
        f();
        counts().allocs - before
    };
    let with_calls = measure(&run);
    let without = measure(&baseline);
    ((with_calls as f64 - without as f64) / CALLS as f64).round() as u64
}

#[test]
fn allocations_per_call_through_each_bridge_beside_a_hand_written_binding() {
    let _turn = COUNTING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let ctx = Context::new();

    // Rhai.
    let mut engine = rhai::Engine::new();
    rhai_bridge::install(&mut engine, ctx.clone()).unwrap();
    let mut hand = rhai::Module::new();
    let mem = memory_of(&ctx);
    hand.set_native_fn("len", move |id: i64| {
        buffer::len(&mem, BufferId(id)).map_err(|e| e.to_string().into())
    });
    let (c, mem) = (ctx.clone(), memory_of(&ctx));
    hand.set_native_fn("write", move |id: i64, s: rhai::ImmutableString| {
        buffer::write(&c, &mem, BufferId(id), s.as_bytes())
            .map_err(|e| -> Box<rhai::EvalAltResult> { e.to_string().into() })
    });
    engine.register_static_module("hand", hand.into());
    let b: i64 = engine.eval("memory::buffer::new()").unwrap();
    let engine = &engine;
    let rhai_loop = |body: &str| {
        let script = format!("let b = {b}; for i in 0..{CALLS} {{ {body} }}");
        let ast = engine.compile(&script).unwrap();
        move || engine.run_ast(&ast).unwrap()
    };
    let rhai_len = per_call(rhai_loop("memory::buffer::len(b);"), rhai_loop("b;"));
    let rhai_len_hand = per_call(rhai_loop("hand::len(b);"), rhai_loop("b;"));
    let rhai_write = per_call(
        rhai_loop("memory::buffer::write(b, \"hello \");"),
        rhai_loop("b;"),
    );
    let rhai_write_hand = per_call(rhai_loop("hand::write(b, \"hello \");"), rhai_loop("b;"));

    // Lua.
    let vm = mlua::Lua::new();
    lua::install(&vm, ctx.clone()).unwrap();
    let hand = vm.create_table().unwrap();
    let mem = memory_of(&ctx);
    hand.set(
        "len",
        vm.create_function(move |_, id: i64| {
            buffer::len(&mem, BufferId(id)).map_err(mlua::Error::external)
        })
        .unwrap(),
    )
    .unwrap();
    let (c, mem) = (ctx.clone(), memory_of(&ctx));
    hand.set(
        "write",
        vm.create_function(move |_, (id, s): (i64, mlua::String)| {
            buffer::write(&c, &mem, BufferId(id), &s.as_bytes()).map_err(mlua::Error::external)
        })
        .unwrap(),
    )
    .unwrap();
    vm.globals().set("hand", hand).unwrap();
    vm.load("m = require('memory')").exec().unwrap();
    let vm = &vm;
    let lua_loop = |body: &str| {
        let chunk = vm
            .load(format!("local b = {b}; for i = 1, {CALLS} do {body} end"))
            .into_function()
            .unwrap();
        move || chunk.call::<()>(()).unwrap()
    };
    let lua_len = per_call(lua_loop("m.buffer.len(b)"), lua_loop("local _ = b"));
    let lua_len_hand = per_call(lua_loop("hand.len(b)"), lua_loop("local _ = b"));
    let lua_write = per_call(
        lua_loop("m.buffer.write(b, 'hello ')"),
        lua_loop("local _ = b"),
    );
    let lua_write_hand = per_call(lua_loop("hand.write(b, 'hello ')"), lua_loop("local _ = b"));

    // Neither bridge allocates: int arguments and an int or bool result cost nothing, and
    // a string argument is borrowed from the engine. (By hand in Lua, mlua's own `String`
    // argument costs one allocation; the Lua bridge reads the string off Lua's stack.)
    assert_eq!((rhai_len, rhai_len_hand), (0, 0), "Rhai len");
    assert_eq!((rhai_write, rhai_write_hand), (0, 0), "Rhai write");
    assert_eq!((lua_len, lua_len_hand), (0, 0), "Lua len");
    assert_eq!((lua_write, lua_write_hand), (0, 1), "Lua write");
}

/// A native's string result is handed to the Lua bridge's finisher; when Lua cannot even
/// call the finisher (here: the call would pass Lua's limit of 200 nested C calls), the
/// C function still drops the result before raising the error. A script that does this
/// in a loop, catching the error each time, leaves nothing behind.
#[test]
fn a_result_lua_cannot_take_is_dropped_not_leaked() {
    let _turn = COUNTING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    const ROUNDS: usize = 50;
    const BYTES: usize = 64 * 1024;
    let vm = mlua::Lua::new();
    lua::install(&vm, Context::new()).unwrap();
    // `f` nests through `pcall` until Lua refuses one more C call. At that depth, reading
    // the buffer runs the native but not its finisher (one more C call); the error reaches
    // the `pcall` one level up, where the read succeeds.
    let script = format!(
        r#"local m = require("memory")
        local b = m.buffer.new()
        m.buffer.write(b, string.rep("x", {BYTES}))
        local attempts, completed, refusal = 0, 0, nil
        local function f()
          local ok, err = pcall(f)
          if not ok then
            refusal = err
            attempts = attempts + 1
            local s = m.buffer.read(b)
            completed = completed + 1
          end
        end
        for i = 1, {ROUNDS} do assert(pcall(f)) end
        m.buffer.free(b)
        return attempts - completed, tostring(refusal)"#
    );
    let chunk = vm.load(script).into_function().unwrap();
    let _ = chunk.call::<(i64, String)>(()).unwrap(); // warm up: Lua's stack and strings grown
    vm.gc_collect().unwrap();
    let before = counts().live;
    let (refused, refusal) = chunk.call::<(i64, String)>(()).unwrap();
    vm.gc_collect().unwrap();
    let grown = counts().live.saturating_sub(before);
    assert_eq!(refused, ROUNDS as i64, "reads refused at the deepest level");
    assert!(
        refusal.contains("C stack overflow"),
        "the refused read's error: {refusal}"
    );
    assert!(
        grown < BYTES as u64,
        "{grown} bytes still live after {ROUNDS} refused reads of {BYTES} bytes"
    );
}

/// docs/history/reliability.md, round 3, item 8: `memory.buffer.read` makes one copy of the buffer for
/// the script (the native's string) and the engine one more (its own string), the first
/// freed when the call returns: in Lua the bytes a read allocates are at most twice the
/// buffer. Rhai's string type copies text made from Rust once more inside (a hand-written
/// binding pays the same), so there three copies are made, the bridge's own freed before
/// Rhai's second: at most two are live at once. Counted as every byte allocated during the
/// read.
#[test]
fn a_read_allocates_two_copies_of_the_buffer_in_lua_and_three_in_rhai() {
    let _turn = COUNTING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    const SIZE: u64 = 4 << 20;
    let slack = 64 << 10;
    let allocated_by = |f: &dyn Fn()| {
        let before = counts().total;
        f();
        counts().total - before
    };

    let vm = mlua::Lua::new();
    lua::install(&vm, Context::new()).unwrap();
    vm.load(format!(
        r#"memory = require("memory"); b = memory.buffer.new()
           memory.buffer.write(b, string.rep("x", {SIZE}))"#
    ))
    .exec()
    .unwrap();
    let read = vm
        .load("local s = memory.buffer.read(b); return #s")
        .into_function()
        .unwrap();
    let lua_bytes = allocated_by(&|| assert_eq!(read.call::<u64>(()).unwrap(), SIZE));
    assert!(
        (SIZE..=2 * SIZE + slack).contains(&lua_bytes),
        "Lua read allocated {lua_bytes} bytes for a buffer of {SIZE}"
    );

    let mut engine = rhai::Engine::new();
    rhai_bridge::install(&mut engine, Context::new()).unwrap();
    let b: i64 = engine.eval("memory::buffer::new()").unwrap();
    let text = rhai::ImmutableString::from("x".repeat(SIZE as usize));
    let mut scope = rhai::Scope::new();
    scope.push("b", b).push("text", text);
    engine
        .run_with_scope(&mut scope, "memory::buffer::write(b, text);")
        .unwrap();
    let ast = engine
        .compile(format!("memory::buffer::read({b}).len()"))
        .unwrap();
    let rhai_bytes = allocated_by(&|| {
        assert_eq!(engine.eval_ast::<i64>(&ast).unwrap(), SIZE as i64);
    });
    assert!(
        (SIZE..=3 * SIZE + slack).contains(&rhai_bytes),
        "Rhai read allocated {rhai_bytes} bytes for a buffer of {SIZE}"
    );
}
