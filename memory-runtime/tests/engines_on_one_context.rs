//! Several engines on one context, on several threads (docs/history/reliability.md, round 3, items 3
//! to 5): a GC cycle never waits for an engine that another thread is running, and
//! dropping an engine removes what its install added.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use goost_bind::Context;
use goost_lua::{self as lua, mlua};
use goost_rhai as rhai;
use memory_runtime::gc;

/// How long a test waits for threads that a deadlock would stop before it calls it one.
/// Not a speed check: a run that works finishes in a small fraction of it.
const DEADLOCK: Duration = Duration::from_secs(120);

/// Runs `f` on a thread of its own and returns its result, or fails the test when it does
/// not finish within [`DEADLOCK`].
fn finishes<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, wait) = mpsc::channel();
    thread::spawn(move || done.send(f()).ok());
    wait.recv_timeout(DEADLOCK)
        .unwrap_or_else(|_| panic!("{what} did not finish: a deadlock"))
}

fn lua_on(ctx: &Context) -> mlua::Lua {
    let vm = mlua::Lua::new();
    lua::install(&vm, ctx.clone()).unwrap();
    vm
}

#[test]
fn two_lua_states_on_one_context_run_gc_cycles_at_once_without_deadlock() {
    let ctx = Context::new();
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let ctx = ctx.clone();
            thread::spawn(move || {
                let vm = lua_on(&ctx);
                vm.load(
                    r#"local m = require("memory")
                       for i = 1, 2000 do m.gc.run() end
                       return m.alloc.numGC()"#,
                )
                .eval::<i64>()
            })
        })
        .collect();
    let results = finishes("two Lua states each running 2000 GC cycles", move || {
        runs.into_iter()
            .map(|run| run.join().unwrap())
            .collect::<Vec<_>>()
    });
    for result in results {
        assert!(result.unwrap() >= 2000);
    }
}

#[test]
fn a_gc_cycle_returns_while_another_thread_runs_a_lua_state_on_the_same_context() {
    let ctx = Context::new();
    let vm = lua_on(&ctx);
    let stop = Arc::new(AtomicBool::new(false));
    let running = Arc::new(AtomicBool::new(false));
    let (stop_seen, running_set) = (Arc::clone(&stop), Arc::clone(&running));
    let stopped = vm
        .create_function(move |_, ()| {
            running_set.store(true, Ordering::SeqCst);
            Ok(stop_seen.load(Ordering::SeqCst))
        })
        .unwrap();
    vm.globals().set("stopped", stopped).unwrap();
    let busy = thread::spawn(move || {
        // Holds the state's lock until told to stop; calls no native of the bridge.
        vm.load("while not stopped() do end").exec().unwrap();
        vm
    });
    while !running.load(Ordering::SeqCst) {
        thread::yield_now();
    }
    // A native call (as any host makes it) and a Rust host on the same context, while the Lua loop runs.
    let (script_ctx, host_ctx) = (ctx.clone(), ctx.clone());
    let printed = finishes("memory.gc.run() beside a busy Lua state", move || {
        let mut out = Vec::new();
        call_gc_run_through_the_registry(&script_ctx, &mut out);
        out
    });
    assert_eq!(String::from_utf8(printed).unwrap(), "ok\n");
    let panics = finishes("gc::run_cycle beside a busy Lua state", move || {
        gc::run_cycle(Some(&host_ctx))
    });
    assert!(panics.is_empty());
    assert!(
        !stop.load(Ordering::SeqCst),
        "the Lua loop was still running"
    );
    stop.store(true, Ordering::SeqCst);
    let vm = busy.join().unwrap();
    drop(vm);
}

/// `memory.gc.run()` through the goost host's registry: the bound native, as any host
/// calls it.
fn call_gc_run_through_the_registry(ctx: &Context, out: &mut Vec<u8>) {
    let native = goost_bind::Registry::global()
        .get("memory.gc.run")
        .expect("memory.gc.run is registered");
    native.bind(ctx).call(&[]).unwrap();
    out.extend_from_slice(b"ok\n");
}

#[test]
fn a_collection_asked_for_by_another_thread_runs_when_the_state_next_calls_a_native() {
    let ctx = Context::new();
    let vm = lua_on(&ctx);
    vm.load(
        r#"collectgarbage("stop")
           memory = require("memory")
           buf = memory.buffer.new()
           garbage = {}
           for i = 1, 20000 do garbage[i] = {i} end
           garbage = nil"#,
    )
    .exec()
    .unwrap();
    let before = vm.used_memory();
    let host_ctx = ctx.clone();
    finishes("a GC cycle from another thread", move || {
        gc::run_cycle(Some(&host_ctx))
    });
    assert_eq!(
        vm.used_memory(),
        before,
        "the state collected on the host's thread"
    );
    vm.load("memory.buffer.len(buf)").exec().unwrap();
    let after = vm.used_memory();
    assert!(
        after < before / 2,
        "the state collected at its next native call: {before} -> {after} bytes"
    );
}

#[test]
fn memory_gc_run_in_a_lua_script_collects_that_state_before_it_returns() {
    let vm = lua_on(&Context::new());
    let (before, after): (i64, i64) = vm
        .load(
            r#"collectgarbage("stop")
               local memory = require("memory")
               local garbage = {}
               for i = 1, 20000 do garbage[i] = {i} end
               garbage = nil
               local before = collectgarbage("count")
               memory.gc.run()
               return math.floor(before), math.floor(collectgarbage("count"))"#,
        )
        .eval()
        .unwrap();
    assert!(after < before / 2, "{before} KiB -> {after} KiB");
}

#[test]
fn dropped_engines_leave_no_collector_on_their_context() {
    let ctx = Context::new();
    for _ in 0..1000 {
        let vm = lua_on(&ctx);
        vm.load(r#"require("memory").gc.run()"#).exec().unwrap();
    }
    let kept = lua_on(&ctx);
    assert_eq!(ctx.collector_count(), 1);
    drop(kept);
    assert_eq!(ctx.collector_count(), 0);
    for _ in 0..100 {
        let mut engine = rhai::rhai::Engine::new();
        rhai::install(&mut engine, ctx.clone()).unwrap();
    }
    assert_eq!(ctx.collector_count(), 0);
}

#[test]
fn lua_rhai_and_the_host_share_a_context_on_several_threads() {
    let ctx = Context::new();
    let lua_ctx = ctx.clone();
    let rhai_ctx = ctx.clone();
    let host_ctx = ctx.clone();
    let lua_run = thread::spawn(move || {
        let vm = lua_on(&lua_ctx);
        vm.load(
            r#"local m = require("memory")
               for i = 1, 500 do
                   local b = m.buffer.new()
                   m.buffer.write(b, string.rep("l", 1000))
                   m.gc.run()
                   m.buffer.free(b)
               end"#,
        )
        .exec()
    });
    let rhai_run = thread::spawn(move || {
        let mut engine = rhai::rhai::Engine::new();
        rhai::install(&mut engine, rhai_ctx).unwrap();
        engine
            .run(
                r#"for i in 0..500 {
                       let b = memory::buffer::new();
                       memory::buffer::write(b, "rrrrrrrrrr");
                       memory::gc::run();
                       memory::buffer::free(b);
                   }"#,
            )
            .map_err(|e| e.to_string())
    });
    let host_run = thread::spawn(move || {
        for _ in 0..500 {
            gc::run_cycle(Some(&host_ctx));
        }
    });
    finishes("Lua, Rhai and a host on one context", move || {
        lua_run.join().unwrap().unwrap();
        rhai_run.join().unwrap().unwrap();
        host_run.join().unwrap();
    });
    assert_eq!(ctx.collector_count(), 0);
}
