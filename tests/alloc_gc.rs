//! The alloc and gc natives with the tracking allocator installed, as the goost-memory
//! binary installs it. Tests here share process-wide figures (numGC, the GC percentage),
//! so they run one at a time under a lock.

use std::sync::Mutex;

use goost_memory::alloc::Tracking;
use goost_memory::{Context, Value, gc};

mod support;
use support::call;

#[global_allocator]
static GLOBAL: Tracking<std::alloc::System> = Tracking::new(std::alloc::System);

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn int(ctx: &Context, name: &str, args: &[Value]) -> i64 {
    match call(ctx, name, args) {
        Ok(Value::Int(n)) => n,
        other => panic!("{name} gave {other:?}"),
    }
}

#[test]
fn stats_is_json_with_the_five_keys_first_in_order() {
    let _serial = serial();
    let ctx = Context::new();
    let Ok(Value::Str(json)) = call(&ctx, "memory.alloc.stats", &[]) else {
        panic!("stats returns a string")
    };
    let parsed: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&json).unwrap();
    let keys: Vec<&str> = parsed.keys().map(String::as_str).collect();
    assert_eq!(
        &keys[..5],
        ["alloc", "totalAlloc", "sys", "numGC", "goroutines"]
    );
    assert_eq!(parsed["source"], "tracking");
    let alloc = parsed["alloc"].as_u64().unwrap();
    let total = parsed["totalAlloc"].as_u64().unwrap();
    let sys = parsed["sys"].as_u64().unwrap();
    assert!(
        alloc > 0 && alloc <= total,
        "alloc {alloc} totalAlloc {total}"
    );
    assert!(sys >= parsed["heapSys"].as_u64().unwrap());
    assert!(parsed["goroutines"].as_u64().unwrap() >= 1);
}

#[test]
fn heap_alloc_rises_with_a_buffer_and_falls_after_free() {
    let _serial = serial();
    const N: usize = 8 << 20;
    let ctx = Context::new();
    let chunk = Value::str("x".repeat(N));
    let before = int(&ctx, "memory.alloc.heapAlloc", &[]);
    let buf = call(&ctx, "memory.buffer.new", &[]).unwrap();
    call(&ctx, "memory.buffer.write", &[buf.clone(), chunk.clone()]).unwrap();
    let grown = int(&ctx, "memory.alloc.heapAlloc", &[]);
    assert!(
        grown - before >= N as i64,
        "heapAlloc rose by {} only",
        grown - before
    );
    call(&ctx, "memory.buffer.free", &[buf]).unwrap();
    let after = int(&ctx, "memory.alloc.heapAlloc", &[]);
    // Back to where it was, give or take what the test harness's other threads did
    // meanwhile (a few bytes; far under 1% of N).
    assert!(
        (after - before).abs() < (N / 100) as i64,
        "heapAlloc went from {before} to {grown} to {after}"
    );
    assert!(int(&ctx, "memory.alloc.heapSys", &[]) > 0);
}

#[test]
fn a_thread_that_exits_keeps_its_counts() {
    let _serial = serial();
    let before = goost_memory::alloc::counts();
    let kept = std::thread::spawn(|| vec![7u8; 1 << 20]).join().unwrap();
    let after = goost_memory::alloc::counts();
    assert!(after.total - before.total >= 1 << 20);
    assert!(after.live >= 1 << 20);
    drop(kept);
}

#[test]
fn each_gc_run_counts_one_cycle_and_runs_the_collectors() {
    let _serial = serial();
    let ctx = Context::new();
    let runs = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = std::sync::Arc::clone(&runs);
    let id = gc::register_collector(move || {
        seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    });
    let before = int(&ctx, "memory.alloc.numGC", &[]);
    assert_eq!(call(&ctx, "memory.gc.run", &[]), Ok(Value::Void));
    assert_eq!(int(&ctx, "memory.alloc.numGC", &[]), before + 1);
    assert_eq!(call(&ctx, "memory.gc.run", &[]), Ok(Value::Void));
    assert_eq!(int(&ctx, "memory.alloc.numGC", &[]), before + 2);
    assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert!(gc::unregister_collector(id));
    assert!(!gc::unregister_collector(id));
}

#[test]
fn set_percent_returns_the_previous_value_and_drives_the_pacer() {
    let _serial = serial();
    let ctx = Context::new();
    assert_eq!(int(&ctx, "memory.gc.setPercent", &[Value::Int(100)]), 100);
    let buf = call(&ctx, "memory.buffer.new", &[]).unwrap();
    let chunk = Value::str("y".repeat(64 << 10));
    // With 100, writing well past the 4 MiB floor starts cycles by itself.
    let before = gc::cycles();
    for _ in 0..256 {
        call(&ctx, "memory.buffer.write", &[buf.clone(), chunk.clone()]).unwrap();
    }
    assert!(
        gc::cycles() > before,
        "no automatic cycle after 16 MiB written"
    );
    call(&ctx, "memory.buffer.free", &[buf]).unwrap();

    // With -1, never.
    assert_eq!(int(&ctx, "memory.gc.setPercent", &[Value::Int(-1)]), 100);
    let buf = call(&ctx, "memory.buffer.new", &[]).unwrap();
    let before = gc::cycles();
    for _ in 0..512 {
        call(&ctx, "memory.buffer.write", &[buf.clone(), chunk.clone()]).unwrap();
    }
    assert_eq!(gc::cycles(), before);
    call(&ctx, "memory.buffer.free", &[buf]).unwrap();
    assert_eq!(int(&ctx, "memory.gc.setPercent", &[Value::Int(100)]), -1);
}
