//! Figures and `freeOSMemory` with jemalloc as the allocator (feature `jemalloc`):
//! `cargo test -p memory-runtime --features jemalloc --test jemalloc`.
#![cfg(feature = "jemalloc")]

use goost_bind::{Context, Registry, Value};
use memory_runtime::alloc::{self, Jemalloc};

#[global_allocator]
static GLOBAL: Jemalloc = Jemalloc;

fn call(ctx: &Context, name: &str, args: &[Value]) -> Value {
    Registry::global()
        .get(name)
        .unwrap()
        .call(ctx, args)
        .unwrap()
}

fn int(ctx: &Context, name: &str) -> i64 {
    match call(ctx, name, &[]) {
        Value::Int(n) => n,
        other => panic!("{name} gave {other:?}"),
    }
}

// One test, so nothing else moves the figures meanwhile.
#[test]
fn jemalloc_figures_follow_buffers_and_purge_returns_memory() {
    assert_eq!(alloc::source(), "jemalloc");
    let ctx = Context::new();
    let Value::Str(stats) = call(&ctx, "memory.alloc.stats", &[]) else {
        panic!("stats returns a string")
    };
    let stats = stats.to_str().expect("stats are JSON text");
    assert!(stats.contains("\"source\":\"jemalloc\""), "{stats}");

    const BUFFERS: usize = 100_000;
    const BYTES: usize = 1_000;
    let chunk = Value::str("j".repeat(BYTES));
    let before = int(&ctx, "memory.alloc.heapAlloc");
    let handles: Vec<Value> = (0..BUFFERS)
        .map(|_| {
            let buf = call(&ctx, "memory.buffer.new", &[]);
            call(&ctx, "memory.buffer.write", &[buf.clone(), chunk.clone()]);
            buf
        })
        .collect();
    let grown = int(&ctx, "memory.alloc.heapAlloc");
    let held = (BUFFERS * BYTES) as i64;
    assert!(
        grown - before >= held,
        "heapAlloc rose by {} for {held} bytes",
        grown - before
    );
    assert!(int(&ctx, "memory.alloc.heapSys") >= grown);

    let full = alloc::resident().unwrap();
    let (last, freed) = handles.split_last().unwrap();
    for buf in freed {
        call(&ctx, "memory.buffer.free", std::slice::from_ref(buf));
    }
    assert!(int(&ctx, "memory.alloc.heapAlloc") < grown - held / 2);
    call(&ctx, "memory.gc.freeOSMemory", &[]);
    let trimmed = alloc::resident().unwrap();
    assert!(
        full.saturating_sub(trimmed) >= held as u64 / 2,
        "resident memory fell from {full} to {trimmed} bytes; the buffers held {held}"
    );
    call(&ctx, "memory.buffer.free", std::slice::from_ref(last));
}
