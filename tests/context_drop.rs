//! Dropping a context releases everything it held from the process-wide GC figures
//! (docs/history/reliability.md, round 2, item 4). One test in its own binary: the figures are
//! process-wide, so no other test may move them meanwhile.

use goost_memory::{Context, MemoryContext, Value, gc};

mod support;
use support::ok;

/// A context holding about `bytes` bytes in one buffer.
fn holding(bytes: usize) -> Context {
    let ctx = Context::new();
    let buf = ok(&ctx, "memory.buffer.new", &[]);
    ok(
        &ctx,
        "memory.buffer.write",
        &[buf, Value::str("x".repeat(bytes))],
    );
    ctx
}

#[test]
fn dropped_contexts_leave_nothing_in_the_gc_figures() {
    gc::set_percent(-1); // no automatic cycle while the figures are read
    let before = gc::held();
    let contexts: Vec<Context> = (0..3).map(|_| holding(3 << 20)).collect();
    let held: u64 = contexts.iter().map(|c| c.memory_in_use() as u64).sum();
    assert!(held >= 9 << 20, "{held}");
    assert_eq!(gc::held(), before + held);
    drop(contexts);
    assert_eq!(gc::held(), before);

    // A clone keeps the context alive; the last one releases it.
    let ctx = holding(1 << 20);
    let clone = ctx.clone();
    drop(ctx);
    assert_eq!(gc::held(), before + clone.memory_in_use() as u64);
    drop(clone);
    assert_eq!(gc::held(), before);

    // A fresh context holding a little starts no cycle (the goal is back at its floor).
    gc::set_percent(100);
    let cycles = gc::cycles();
    let small = holding(64);
    assert_eq!(gc::cycles(), cycles);
    assert!(gc::goal() >= gc::MIN_GOAL);
    drop(small);
}
