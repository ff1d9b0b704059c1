//! The buffer and pool natives, called through the registry's glue as a host calls
//! them, with exact results and error texts.

// Handle values are `Value::Int`s: `&[buf.clone()]` reads as the call's argument list.
#![allow(clippy::cloned_ref_to_slice_refs)]

use goost_memory::footprint::{
    POOL_BYTES, heap_block, pool_entry_bytes, pool_table_bytes, slot_table_bytes,
};
use goost_memory::{
    Context, MEMORY_SPEC, MemoryContext, MemoryLimit, Registry, ScriptString, Value,
};

mod support;
use support::{call, ok};

fn err(ctx: &Context, name: &str, args: &[Value]) -> String {
    match call(ctx, name, args) {
        Ok(value) => panic!("{name} succeeded with {value:?}"),
        Err(error) => error.to_string(),
    }
}

const INT: fn(i64) -> Value = Value::Int;

#[test]
fn the_memory_spec_is_complete() {
    assert_eq!(MEMORY_SPEC.functions.len(), 18);
    Registry::global().check_against_spec(&MEMORY_SPEC).unwrap();
}

#[test]
fn the_seed_examples_buffer_and_pool_lines() {
    let ctx = Context::new();
    let buf = ok(&ctx, "memory.buffer.new", &[]);
    assert_eq!(buf, INT(1));
    assert_eq!(
        ok(
            &ctx,
            "memory.buffer.write",
            &[buf.clone(), Value::str("hello ")]
        ),
        Value::Bool(true)
    );
    assert_eq!(
        ok(
            &ctx,
            "memory.buffer.write",
            &[buf.clone(), Value::str("world")]
        ),
        Value::Bool(true)
    );
    assert_eq!(
        ok(&ctx, "memory.buffer.read", &[buf.clone()]).to_string(),
        "hello world"
    );
    assert_eq!(
        ok(&ctx, "memory.buffer.len", &[buf.clone()]).to_string(),
        "11"
    );
    assert_eq!(ok(&ctx, "memory.buffer.free", &[buf]), Value::Void);

    let pool = ok(&ctx, "memory.pool.new", &[]);
    let a = ok(
        &ctx,
        "memory.pool.intern",
        &[pool.clone(), Value::str("tag")],
    );
    let b = ok(
        &ctx,
        "memory.pool.intern",
        &[pool.clone(), Value::str("tag")],
    );
    assert_eq!(a, b);
    assert_eq!(
        ok(&ctx, "memory.pool.size", &[pool.clone()]).to_string(),
        "1"
    );
    assert_eq!(
        ok(&ctx, "memory.pool.has", &[pool.clone(), Value::str("tag")]),
        Value::Bool(true)
    );
    assert_eq!(
        ok(&ctx, "memory.pool.has", &[pool.clone(), Value::str("tags")]),
        Value::Bool(false)
    );
    assert_eq!(ok(&ctx, "memory.pool.free", &[pool]), Value::Void);
}

#[test]
fn reset_empties_and_keeps_the_capacity() {
    let ctx = Context::new();
    let buf = ok(&ctx, "memory.buffer.new", &[]);
    ok(
        &ctx,
        "memory.buffer.write",
        &[buf.clone(), Value::str("abc")],
    );
    let held = ctx.memory_in_use();
    // The handle table's first block, and the buffer's first 64 bytes.
    assert_eq!(held, slot_table_bytes(1) + heap_block(64));
    assert_eq!(ok(&ctx, "memory.buffer.reset", &[buf.clone()]), Value::Void);
    assert_eq!(ok(&ctx, "memory.buffer.len", &[buf.clone()]), INT(0));
    assert_eq!(
        ok(&ctx, "memory.buffer.read", &[buf.clone()]),
        Value::str("")
    );
    assert_eq!(ctx.memory_in_use(), held);
    ok(&ctx, "memory.buffer.free", &[buf]);
    // The handle table stays (its freed slot is reused); the buffer's bytes are back.
    assert_eq!(ctx.memory_in_use(), slot_table_bytes(1));
}

/// Every function taking a buffer handle, with its extra arguments.
fn buffer_calls() -> Vec<(&'static str, Vec<Value>)> {
    vec![
        ("memory.buffer.write", vec![Value::str("x")]),
        ("memory.buffer.read", vec![]),
        ("memory.buffer.reset", vec![]),
        ("memory.buffer.len", vec![]),
        ("memory.buffer.free", vec![]),
    ]
}

fn pool_calls() -> Vec<(&'static str, Vec<Value>)> {
    vec![
        ("memory.pool.intern", vec![Value::str("x")]),
        ("memory.pool.has", vec![Value::str("x")]),
        ("memory.pool.size", vec![]),
        ("memory.pool.free", vec![]),
    ]
}

fn with_handle(handle: i64, rest: &[Value]) -> Vec<Value> {
    let mut args = vec![INT(handle)];
    args.extend_from_slice(rest);
    args
}

/// A context with buffer 1 = "keep", pool 2 = {"kept"}, and a freed buffer at handle 3.
fn populated() -> Context {
    let ctx = Context::new();
    assert_eq!(ok(&ctx, "memory.buffer.new", &[]), INT(1));
    ok(&ctx, "memory.buffer.write", &[INT(1), Value::str("keep")]);
    assert_eq!(ok(&ctx, "memory.pool.new", &[]), INT(2));
    ok(&ctx, "memory.pool.intern", &[INT(2), Value::str("kept")]);
    assert_eq!(ok(&ctx, "memory.buffer.new", &[]), INT(3));
    ok(&ctx, "memory.buffer.free", &[INT(3)]);
    ctx
}

fn assert_unchanged(ctx: &Context) {
    assert_eq!(ok(ctx, "memory.buffer.read", &[INT(1)]), Value::str("keep"));
    assert_eq!(ok(ctx, "memory.pool.size", &[INT(2)]), INT(1));
    assert_eq!(ctx.live_objects(), 2);
    assert_eq!(
        ctx.memory_in_use(),
        slot_table_bytes(3)
            + heap_block(64)
            + POOL_BYTES
            + pool_table_bytes(1)
            + pool_entry_bytes(4)
    );
}

#[test]
fn bad_buffer_handles_are_clear_errors_and_change_nothing() {
    let ctx = populated();
    for (name, rest) in buffer_calls() {
        let cases = [
            (3, format!("{name}: handle 3 was freed")),
            (
                42,
                format!("{name}: handle 42 is not a buffer handle: this context never issued it"),
            ),
            (
                0,
                format!("{name}: handle 0 is not a buffer handle: handles are positive integers"),
            ),
            (
                -7,
                format!("{name}: handle -7 is not a buffer handle: handles are positive integers"),
            ),
            (
                2,
                format!("{name}: handle 2 is a pool handle, not a buffer handle"),
            ),
        ];
        for (handle, expected) in cases {
            assert_eq!(err(&ctx, name, &with_handle(handle, &rest)), expected);
            assert_unchanged(&ctx);
        }
    }
}

#[test]
fn bad_pool_handles_are_clear_errors_and_change_nothing() {
    let ctx = populated();
    ok(&ctx, "memory.pool.new", &[]);
    ok(&ctx, "memory.pool.free", &[INT(3 | (1 << 32))]);
    let freed = 3 | (1 << 32);
    for (name, rest) in pool_calls() {
        let cases = [
            (freed, format!("{name}: handle {freed} was freed")),
            (
                42,
                format!("{name}: handle 42 is not a pool handle: this context never issued it"),
            ),
            (
                0,
                format!("{name}: handle 0 is not a pool handle: handles are positive integers"),
            ),
            (
                i64::MIN,
                format!(
                    "{name}: handle {} is not a pool handle: handles are positive integers",
                    i64::MIN
                ),
            ),
            (
                1,
                format!("{name}: handle 1 is a buffer handle, not a pool handle"),
            ),
        ];
        for (handle, expected) in cases {
            assert_eq!(err(&ctx, name, &with_handle(handle, &rest)), expected);
            assert_unchanged(&ctx);
        }
    }
}

#[test]
fn double_free_is_an_error_and_the_reused_slot_is_not_revived() {
    let ctx = Context::new();
    let first = ok(&ctx, "memory.buffer.new", &[]);
    ok(&ctx, "memory.buffer.free", &[first.clone()]);
    assert_eq!(
        err(&ctx, "memory.buffer.free", &[first.clone()]),
        "memory.buffer.free: handle 1 was freed"
    );
    let second = ok(&ctx, "memory.buffer.new", &[]);
    assert_eq!(second, INT(1 + (1 << 32)));
    assert_eq!(
        err(&ctx, "memory.buffer.write", &[first, Value::str("x")]),
        "memory.buffer.write: handle 1 was freed"
    );
    assert_eq!(ok(&ctx, "memory.buffer.len", &[second]), INT(0));
}

#[test]
fn a_write_past_the_limit_returns_false_and_changes_nothing() {
    // Room for the handle table's first block and a buffer of up to 24 bytes (a 32-byte
    // heap block); 25 bytes take a 48-byte block.
    let table = slot_table_bytes(1);
    let limit = table + heap_block(24);
    let ctx = Context::builder().memory_limit(limit).build();
    let buf = ok(&ctx, "memory.buffer.new", &[]);
    assert_eq!(ctx.memory_in_use(), table);
    // Doubling to 64 bytes would pass the limit: the buffer grows to exactly 11.
    assert_eq!(
        ok(
            &ctx,
            "memory.buffer.write",
            &[buf.clone(), Value::str("hello world")]
        ),
        Value::Bool(true)
    );
    assert_eq!(ctx.memory_in_use(), table + heap_block(11));
    assert_eq!(
        ok(
            &ctx,
            "memory.buffer.write",
            &[buf.clone(), Value::str("1234567890123456")]
        ),
        Value::Bool(false)
    );
    assert_eq!(
        ok(&ctx, "memory.buffer.read", &[buf.clone()]),
        Value::str("hello world")
    );
    assert_eq!(ok(&ctx, "memory.buffer.len", &[buf.clone()]), INT(11));
    assert_eq!(ctx.memory_in_use(), table + heap_block(11));
    // Exactly up to the limit fits.
    assert_eq!(
        ok(
            &ctx,
            "memory.buffer.write",
            &[buf.clone(), Value::str("1234567890123")]
        ),
        Value::Bool(true)
    );
    assert_eq!(ctx.memory_in_use(), limit);
    // After a reset the capacity is there again.
    ok(&ctx, "memory.buffer.reset", &[buf.clone()]);
    assert_eq!(
        ok(
            &ctx,
            "memory.buffer.write",
            &[buf.clone(), Value::str("0123456789abcdef01234567")]
        ),
        Value::Bool(true)
    );
    assert_eq!(ok(&ctx, "memory.buffer.len", &[buf]), INT(24));
}

#[test]
fn intern_past_the_limit_is_an_error_and_changes_nothing() {
    // Room for the handle table, the pool, its first table and one 8-byte string.
    let limit = slot_table_bytes(1) + POOL_BYTES + pool_table_bytes(1) + pool_entry_bytes(8);
    let ctx = Context::builder().memory_limit(limit).build();
    let pool = ok(&ctx, "memory.pool.new", &[]);
    ok(
        &ctx,
        "memory.pool.intern",
        &[pool.clone(), Value::str("eight888")],
    );
    assert_eq!(ctx.memory_in_use(), limit);
    assert_eq!(
        err(&ctx, "memory.pool.intern", &[pool.clone(), Value::str("x")]),
        format!(
            "memory.pool.intern: {} more bytes would pass the memory limit ({limit} of {limit} bytes in use)",
            pool_entry_bytes(1)
        )
    );
    assert_eq!(ok(&ctx, "memory.pool.size", &[pool.clone()]), INT(1));
    // A hit costs nothing.
    assert_eq!(
        ok(&ctx, "memory.pool.intern", &[pool, Value::str("eight888")]),
        Value::str("eight888")
    );
}

#[test]
fn interned_strings_share_one_allocation_and_outlive_their_pool() {
    let ctx = Context::new();
    let pool = ok(&ctx, "memory.pool.new", &[]);
    let Value::Str(a) = ok(
        &ctx,
        "memory.pool.intern",
        &[pool.clone(), Value::str("tag")],
    ) else {
        panic!("intern returns a string")
    };
    let Value::Str(b) = ok(
        &ctx,
        "memory.pool.intern",
        &[pool.clone(), Value::str(String::from("tag"))],
    ) else {
        panic!("intern returns a string")
    };
    assert!(ScriptString::ptr_eq(&a, &b));
    ok(&ctx, "memory.pool.free", &[pool]);
    assert_eq!(a, "tag");
    assert_eq!(ScriptString::strong_count(&a), 2);
}

#[test]
fn two_contexts_cannot_see_each_others_handles() {
    let one = Context::new();
    let two = Context::new();
    let buf = ok(&one, "memory.buffer.new", &[]);
    ok(
        &one,
        "memory.buffer.write",
        &[buf.clone(), Value::str("secret")],
    );
    assert_eq!(
        err(&two, "memory.buffer.read", &[buf.clone()]),
        "memory.buffer.read: handle 1 is not a buffer handle: this context never issued it"
    );
    assert_eq!(
        err(&two, "memory.buffer.free", &[buf.clone()]),
        "memory.buffer.free: handle 1 is not a buffer handle: this context never issued it"
    );
    let theirs = ok(&two, "memory.buffer.new", &[]);
    assert_eq!(ok(&two, "memory.buffer.read", &[theirs]), Value::str(""));
    assert_eq!(ok(&one, "memory.buffer.read", &[buf]), Value::str("secret"));
}

#[test]
fn eight_threads_writing_shared_buffers_lose_and_split_nothing() {
    const THREADS: usize = 8;
    const WRITES: usize = 2_000;
    let ctx = Context::new();
    let shared: Vec<Value> = (0..2).map(|_| ok(&ctx, "memory.buffer.new", &[])).collect();
    std::thread::scope(|scope| {
        for t in 0..THREADS {
            let ctx = &ctx;
            let shared = &shared;
            scope.spawn(move || {
                // Each write is a whole record: `<thread letter>` repeated 7 times + `;`.
                let letter = char::from(b'a' + t as u8);
                let record: String = std::iter::repeat_n(letter, 7).chain([';']).collect();
                for i in 0..WRITES {
                    let buf = shared[i % 2].clone();
                    assert_eq!(
                        ok(
                            ctx,
                            "memory.buffer.write",
                            &[buf, Value::str(record.as_str())]
                        ),
                        Value::Bool(true)
                    );
                }
            });
        }
    });
    let mut per_thread = [0usize; THREADS];
    for buf in shared {
        let text = ok(&ctx, "memory.buffer.read", &[buf]).to_string();
        assert_eq!(text.len() % 8, 0);
        for record in text.split_terminator(';') {
            let letter = record.as_bytes()[0];
            assert!(
                record.bytes().all(|b| b == letter),
                "a write was split: {record:?}"
            );
            assert_eq!(record.len(), 7);
            per_thread[usize::from(letter - b'a')] += 1;
        }
    }
    assert_eq!(per_thread, [WRITES; THREADS]);
}
