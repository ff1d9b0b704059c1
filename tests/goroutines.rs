//! `goroutines` in `memory.alloc.stats()` is the process's live thread count. Alone in
//! its binary, so no other test starts or ends threads meanwhile.

use goost_memory::{Context, Registry, Value};

fn goroutines() -> u64 {
    let ctx = Context::new();
    let Ok(Value::Str(json)) = Registry::global()
        .get("memory.alloc.stats")
        .unwrap()
        .call(&ctx, &[])
    else {
        panic!("stats returns a string")
    };
    let parsed: serde_json::Value = serde_json::from_slice(&json).unwrap();
    parsed["goroutines"].as_u64().unwrap()
}

#[test]
fn goroutines_counts_live_threads() {
    let before = goroutines();
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    let stop_rx = std::sync::Arc::new(std::sync::Mutex::new(stop_rx));
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<()>();
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let ready_tx = ready_tx.clone();
            let stop_rx = std::sync::Arc::clone(&stop_rx);
            std::thread::spawn(move || {
                ready_tx.send(()).unwrap();
                let _ = stop_rx.lock().unwrap().recv();
            })
        })
        .collect();
    for _ in 0..3 {
        ready_rx.recv().unwrap();
    }
    assert_eq!(goroutines(), before + 3);
    drop(stop_tx);
    for worker in workers {
        worker.join().unwrap();
    }
    // A joined thread can stay listed for a moment while the kernel reaps it (seen once
    // in CI: one more than before, right after the joins), so the count is read again
    // until it settles, for at most five seconds.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while goroutines() != before && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(goroutines(), before);
}
