//! A collector that panics does not stop the cycle, the other collectors or the pacer
//! (docs/history/reliability.md, round 2, item 6). One test in its own binary: collectors and the
//! pacer are process-wide.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use goost_memory::{Context, Value, gc};

mod support;
use support::{call, ok};

#[test]
fn a_panicking_collector_is_reported_and_collection_goes_on() {
    gc::set_percent(100);
    let ran = Arc::new(AtomicU64::new(0));
    let bad = gc::register_collector(|| panic!("cache eviction failed"));
    let counter = Arc::clone(&ran);
    let good = gc::register_collector(move || {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let ctx = Context::new();

    // `memory.gc.run()` completes the cycle and names the collector that panicked.
    let cycles = gc::cycles();
    let error = call(&ctx, "memory.gc.run", &[]).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "memory.gc.run: collector {} panicked: cache eviction failed (the cycle completed)",
            bad.number()
        )
    );
    assert_eq!(gc::cycles(), cycles + 1);
    assert_eq!(ran.load(Ordering::Relaxed), 1);

    // The pacer still starts cycles, again and again, with the panicking collector there.
    let buf = ok(&ctx, "memory.buffer.new", &[]);
    for round in 1..=2u64 {
        let before = gc::cycles();
        let goal = gc::goal();
        let mut grown = 0;
        while gc::cycles() == before {
            ok(
                &ctx,
                "memory.buffer.write",
                &[buf.clone(), Value::str("x".repeat(1 << 20))],
            );
            grown += 1 << 20;
            assert!(
                grown <= goal as usize + (64 << 20),
                "no automatic cycle in round {round}"
            );
        }
        assert_eq!(ran.load(Ordering::Relaxed), 1 + round);
    }
    assert!(gc::unregister_collector(bad));
    assert!(gc::unregister_collector(good));
    assert_eq!(call(&ctx, "memory.gc.run", &[]), Ok(Value::Void));
}
