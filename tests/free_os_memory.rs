//! `memory.gc.freeOSMemory` hands freed heap back to the OS: resident memory drops.
//! Alone in its binary, so no other test moves the process's resident size.

use goost_memory::{Context, MemoryContext, Registry, Value, alloc, footprint};

#[test]
fn free_os_memory_drops_resident_memory_after_many_small_buffers_are_freed() {
    const BUFFERS: usize = 200_000;
    const BYTES: usize = 1_000;
    let ctx = Context::new();
    let call = |name: &str, args: &[Value]| {
        Registry::global()
            .get(name)
            .unwrap()
            .call(&ctx, args)
            .unwrap()
    };
    let chunk = Value::str("z".repeat(BYTES));
    let handles: Vec<Value> = (0..BUFFERS)
        .map(|_| {
            let buf = call("memory.buffer.new", &[]);
            call("memory.buffer.write", &[buf.clone(), chunk.clone()]);
            buf
        })
        .collect();
    let held = ctx.memory_in_use() as u64;
    // Each buffer's block, and the handle table.
    let expected = BUFFERS * footprint::heap_block(BYTES) + footprint::slot_table_bytes(BUFFERS);
    assert_eq!(held, expected as u64);
    let full = alloc::resident().unwrap();
    // Keep the last buffer, so the freed memory is not at the top of the heap, where
    // glibc would give it back by itself: only malloc_trim returns it then.
    let (last, freed) = handles.split_last().unwrap();
    for buf in freed {
        call("memory.buffer.free", std::slice::from_ref(buf));
    }
    call("memory.gc.freeOSMemory", &[]);
    let trimmed = alloc::resident().unwrap();
    assert!(
        full.saturating_sub(trimmed) >= held / 2,
        "resident memory fell from {full} to {trimmed} bytes; the buffers held {held}"
    );
    call("memory.buffer.free", std::slice::from_ref(last));
}
