//! Scale: bytes of overhead per object and time per operation with 1,000,000 live buffers
//! and 10,000,000 interned strings, against the same operations at 1,000 objects; and
//! bytes held per interned 16-byte string beside `lasso::Rodeo`. Ignored by default
//! (minutes, gigabytes); run it with output:
//! `cargo test --release --test scale -- --ignored --nocapture --test-threads 1`.

use std::time::Instant;

use goost_memory::alloc::{self, Tracking};
use goost_memory::{Context, Value};

#[global_allocator]
static GLOBAL: Tracking<std::alloc::System> = Tracking::new(std::alloc::System);

mod support;
use support::ok;

/// A distinct 16-byte string for each `i`.
fn key16(i: usize) -> String {
    format!("{i:016x}")
}

/// Nanoseconds per `new` and per `free` with `count` live buffers.
fn buffers_at(count: usize) -> (f64, f64, f64) {
    let ctx = Context::new();
    let before = alloc::heap_alloc();
    let start = Instant::now();
    let handles: Vec<Value> = (0..count)
        .map(|_| ok(&ctx, "memory.buffer.new", &[]))
        .collect();
    let per_new = start.elapsed().as_nanos() as f64 / count as f64;
    // Minus our own Vec<Value> slot per handle.
    let bytes =
        (alloc::heap_alloc() - before) as f64 / count as f64 - std::mem::size_of::<Value>() as f64;
    let start = Instant::now();
    for h in handles {
        ok(&ctx, "memory.buffer.free", &[h]);
    }
    let per_free = start.elapsed().as_nanos() as f64 / count as f64;
    (per_new, per_free, bytes)
}

/// Nanoseconds per intern miss and per hit, and bytes held per string beyond its 16.
fn pool_at(count: usize) -> (f64, f64, f64) {
    let ctx = Context::new();
    let pool = ok(&ctx, "memory.pool.new", &[]);
    let keys: Vec<Value> = (0..count).map(|i| Value::str(key16(i))).collect();
    let before = alloc::heap_alloc();
    let start = Instant::now();
    for k in &keys {
        ok(&ctx, "memory.pool.intern", &[pool.clone(), k.clone()]);
    }
    let per_miss = start.elapsed().as_nanos() as f64 / count as f64;
    let bytes = (alloc::heap_alloc() - before) as f64 / count as f64 - 16.0;
    let start = Instant::now();
    for k in &keys {
        ok(&ctx, "memory.pool.intern", &[pool.clone(), k.clone()]);
    }
    let per_hit = start.elapsed().as_nanos() as f64 / count as f64;
    (per_miss, per_hit, bytes)
}

#[test]
#[ignore = "minutes and gigabytes: run with --release --ignored --nocapture"]
fn overhead_and_time_per_object_at_scale() {
    let (new_small, free_small, bytes_small) = buffers_at(1_000);
    let (new_big, free_big, bytes_big) = buffers_at(1_000_000);
    println!(
        "buffers      1,000 live: new {new_small:.1} ns, free {free_small:.1} ns, {bytes_small:.1} bytes each"
    );
    println!(
        "buffers  1,000,000 live: new {new_big:.1} ns, free {free_big:.1} ns, {bytes_big:.1} bytes each"
    );
    let (miss_small, hit_small, per_small) = pool_at(1_000);
    let (miss_big, hit_big, per_big) = pool_at(10_000_000);
    println!(
        "pool          1,000 strings: miss {miss_small:.1} ns, hit {hit_small:.1} ns, {per_small:.1} bytes beyond the 16"
    );
    println!(
        "pool     10,000,000 strings: miss {miss_big:.1} ns, hit {hit_big:.1} ns, {per_big:.1} bytes beyond the 16"
    );

    let mut rodeo = lasso::Rodeo::default();
    let keys: Vec<String> = (0..1_000_000).map(key16).collect();
    let before = alloc::heap_alloc();
    for k in &keys {
        rodeo.get_or_intern(k.as_str());
    }
    let lasso_bytes = (alloc::heap_alloc() - before) as f64 / keys.len() as f64 - 16.0;
    let (_, _, ours) = pool_at(1_000_000);
    println!(
        "1,000,000 strings of 16 bytes: pool {ours:.1} bytes each beyond the 16, lasso::Rodeo {lasso_bytes:.1}"
    );
    // O(1) per operation: at scale only cache misses may add, not the count itself.
    assert!(
        new_big < 10.0 * new_small.max(20.0),
        "new: {new_small:.1} ns -> {new_big:.1} ns"
    );
    assert!(
        free_big < 10.0 * free_small.max(20.0),
        "free: {free_small:.1} ns -> {free_big:.1} ns"
    );
    assert!(
        hit_big < 10.0 * hit_small.max(20.0),
        "hit: {hit_small:.1} ns -> {hit_big:.1} ns"
    );
}
