//! The memory limit charges what the heap really holds (issue 14, item 3): real heap
//! growth, read from glibc's own figures, stays within 10% of what a context is charged,
//! for empty objects and for pooled strings; a `new` past the limit creates nothing.
//!
//! One test per binary would be cleanest; here the tests run on one thread, in order,
//! each measuring only its own span (`cargo test` runs a file's tests on several
//! threads, so they take a lock).
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::sync::Mutex;

use goost_bind::{Context, Registry, Value};
use memory_runtime::alloc::malloc_info;
use memory_runtime::{MemoryContext, MemoryError, MemoryLimit};

/// Held by each test while it measures, so no other test allocates meanwhile.
static MEASURING: Mutex<()> = Mutex::new(());

fn call(ctx: &Context, name: &str, args: &[Value]) -> Result<Value, goost_bind::Error> {
    Registry::global()
        .get(name)
        .unwrap_or_else(|| panic!("{name} is not registered"))
        .call(ctx, args)
}

fn heap_in_use() -> i64 {
    malloc_info().in_use as i64
}

/// How far `real` is from `charged`, as a fraction of `charged`.
fn drift(real: i64, charged: usize) -> f64 {
    (real - charged as i64).abs() as f64 / charged as f64
}

#[test]
fn empty_buffers_and_pools_are_charged_what_the_heap_holds_for_them() {
    let _one_at_a_time = MEASURING.lock();
    let ctx = Context::new();
    let before = heap_in_use();
    let pairs = 300_000;
    for _ in 0..pairs {
        call(&ctx, "memory.buffer.new", &[]).unwrap();
        call(&ctx, "memory.pool.new", &[]).unwrap();
    }
    let real = heap_in_use() - before;
    let charged = ctx.memory_in_use();
    assert_eq!(ctx.live_objects(), 2 * pairs);
    assert!(
        drift(real, charged) < 0.10,
        "real growth {real} bytes, charged {charged}"
    );
}

#[test]
fn pooled_strings_are_charged_what_the_heap_holds_for_them() {
    let _one_at_a_time = MEASURING.lock();
    let ctx = Context::new();
    let pool = call(&ctx, "memory.pool.new", &[]).unwrap();
    let words: Vec<String> = (0..1_000_000).map(|i| format!("w{i}")).collect();
    let before = heap_in_use();
    let charged_before = ctx.memory_in_use();
    for word in &words {
        call(
            &ctx,
            "memory.pool.intern",
            &[pool.clone(), Value::str(word.as_str())],
        )
        .unwrap();
    }
    let real = heap_in_use() - before;
    let charged = ctx.memory_in_use() - charged_before;
    assert!(
        drift(real, charged) < 0.10,
        "real growth {real} bytes, charged {charged}"
    );
    // Freeing the pool gives back all it was charged; only the handle table stays.
    call(&ctx, "memory.pool.free", &[pool]).unwrap();
    assert_eq!(
        ctx.memory_in_use(),
        memory_runtime::footprint::slot_table_bytes(1)
    );
}

#[test]
fn a_new_past_the_limit_is_an_error_naming_the_limit_and_creates_nothing() {
    let _one_at_a_time = MEASURING.lock();
    let ctx = Context::builder().memory_limit(0).build();
    let err = call(&ctx, "memory.buffer.new", &[]).unwrap_err();
    let table = memory_runtime::footprint::slot_table_bytes(1);
    assert_eq!(
        err.to_string(),
        format!(
            "memory.buffer.new: {table} more bytes would pass the memory limit (0 of 0 bytes in use)"
        )
    );
    assert_eq!(
        err.downcast_ref::<MemoryError>(),
        Some(&MemoryError::MemoryLimit {
            requested: table,
            in_use: 0,
            limit: 0
        })
    );
    assert_eq!((ctx.live_objects(), ctx.memory_in_use()), (0, 0));
    assert!(call(&ctx, "memory.pool.new", &[]).is_err());
    assert_eq!((ctx.live_objects(), ctx.memory_in_use()), (0, 0));
}

#[test]
fn objects_made_until_the_limit_refuses_hold_no_more_heap_than_the_limit() {
    let _one_at_a_time = MEASURING.lock();
    let limit = 4 << 20;
    let ctx = Context::builder().memory_limit(limit).build();
    let before = heap_in_use();
    let mut made = 0;
    let refusal = loop {
        let name = if made % 2 == 0 {
            "memory.buffer.new"
        } else {
            "memory.pool.new"
        };
        match call(&ctx, name, &[]) {
            Ok(_) => made += 1,
            Err(err) => break err,
        }
    };
    let real = heap_in_use() - before;
    assert!(
        matches!(
            refusal.downcast_ref::<MemoryError>(),
            Some(MemoryError::MemoryLimit { limit: 4194304, .. })
        ),
        "{refusal}"
    );
    assert_eq!(ctx.live_objects(), made);
    assert!(ctx.memory_in_use() <= limit);
    assert!(
        real <= (limit + limit / 10) as i64,
        "{made} objects made; the heap grew by {real} bytes under a limit of {limit}"
    );
}
