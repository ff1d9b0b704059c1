//! Tenants: each context has its own GC percentage and pacing, and a host can refuse a
//! context the operations that act on the whole process (docs/history/reliability.md, round 3, item 6).
//! One binary of its own: process collectors and `numGC` are process-wide.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use goost_memory::{Context, MemoryContext, MemoryState, Value, gc};

mod support;
use support::{call, ok};

/// A context that counts its own GC cycles (through a collector of its own).
fn counted() -> (Context, Arc<AtomicUsize>) {
    let ctx = Context::new();
    let cycles = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&cycles);
    ctx.register_collector(move || {
        seen.fetch_add(1, Ordering::SeqCst);
    });
    (ctx, cycles)
}

fn set_percent(ctx: &Context, pct: i64) -> i64 {
    match ok(ctx, "memory.gc.setPercent", &[Value::Int(pct)]) {
        Value::Int(previous) => previous,
        other => panic!("setPercent returned {other:?}"),
    }
}

/// Writes `chunks` chunks of 64 KiB into a new buffer of `ctx`, then frees it.
fn allocate(ctx: &Context, chunks: usize) {
    let buf = ok(ctx, "memory.buffer.new", &[]);
    let chunk = Value::str("z".repeat(64 << 10));
    for _ in 0..chunks {
        ok(ctx, "memory.buffer.write", &[buf.clone(), chunk.clone()]);
    }
    ok(ctx, "memory.buffer.free", &[buf]);
}

#[test]
fn one_contexts_set_percent_changes_neither_the_percentage_nor_the_pacing_of_another() {
    let (noisy, _) = counted();
    let (quiet, quiet_cycles) = counted();
    let quiet_goal = quiet.memory().unwrap().gc_goal();

    assert_eq!(set_percent(&noisy, 0), 100);
    assert_eq!(set_percent(&noisy, 0), 0);
    assert_eq!(noisy.memory().unwrap().gc_percent(), 0);
    assert_eq!(quiet.memory().unwrap().gc_percent(), 100);
    assert_eq!(quiet.memory().unwrap().gc_goal(), quiet_goal);

    // 200 small allocations in the quiet context start no cycle there.
    for _ in 0..200 {
        let buf = ok(&quiet, "memory.buffer.new", &[]);
        ok(
            &quiet,
            "memory.buffer.write",
            &[buf.clone(), Value::str("x")],
        );
        ok(&quiet, "memory.buffer.free", &[buf]);
    }
    assert_eq!(quiet_cycles.load(Ordering::SeqCst), 0);

    // The noisy context's -1 turns off its own automatic cycles only.
    assert_eq!(set_percent(&noisy, -1), 0);
    allocate(&quiet, 128); // 8 MiB, past the 4 MiB floor
    assert!(
        quiet_cycles.load(Ordering::SeqCst) > 0,
        "the quiet context's pacer still starts cycles"
    );
}

#[test]
fn set_percent_minus_one_stops_the_contexts_own_automatic_cycles() {
    let (ctx, cycles) = counted();
    assert_eq!(set_percent(&ctx, -1), 100);
    assert_eq!(ctx.memory().unwrap().gc_goal(), u64::MAX);
    allocate(&ctx, 256);
    assert_eq!(cycles.load(Ordering::SeqCst), 0);
    assert_eq!(set_percent(&ctx, 100), -1);
    allocate(&ctx, 256);
    assert!(cycles.load(Ordering::SeqCst) > 0);
}

#[test]
fn a_context_refused_process_wide_operations_skips_process_collectors_and_refuses_free_os_memory() {
    // Process collectors run on the thread of the cycle; the other tests of this binary
    // run cycles on their own threads at the same time, so only this thread's are counted.
    let process_runs = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&process_runs);
    let this_test = std::thread::current().id();
    let id = gc::register_collector(move || {
        if std::thread::current().id() == this_test {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    let tenant = Context::builder()
        .state(MemoryState::with_limit(Some(1 << 20)).without_process_wide())
        .build();
    let own_runs = Arc::new(AtomicUsize::new(0));
    let own = Arc::clone(&own_runs);
    tenant.register_collector(move || {
        own.fetch_add(1, Ordering::SeqCst);
    });
    let before = process_runs.load(Ordering::SeqCst);
    let cycles = gc::cycles();
    assert_eq!(ok(&tenant, "memory.gc.run", &[]), Value::Void);
    assert_eq!(own_runs.load(Ordering::SeqCst), 1);
    assert!(gc::cycles() > cycles);
    assert_eq!(process_runs.load(Ordering::SeqCst), before);

    let error = call(&tenant, "memory.gc.freeOSMemory", &[]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "memory.gc.freeOSMemory: this context may not hand memory back to the OS (it trims \
         the allocator of the whole process): its host refused it the operations that act \
         on the whole process (MemoryState::without_process_wide)"
    );
    assert_eq!(own_runs.load(Ordering::SeqCst), 1, "nothing ran");

    // A context its host did not restrict runs them.
    let open = Context::new();
    ok(&open, "memory.gc.run", &[]);
    assert!(process_runs.load(Ordering::SeqCst) > before);
    assert!(gc::unregister_collector(id));
}
