//! A process forked while another thread holds a buffer's slot (issue 14, item 13): in
//! the child, that thread does not exist, so the slot is never released. A call on the
//! buffer there must end in a clear error, not spin forever; everything else in the
//! context keeps working.
//!
//! Alone in its binary: it forks.
#![cfg(target_os = "linux")]

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use goost_bind::{Context, Registry, Value};
use memory_runtime::MemoryError;

fn call(ctx: &Context, name: &str, args: &[Value]) -> Result<Value, goost_bind::Error> {
    Registry::global()
        .get(name)
        .unwrap_or_else(|| panic!("{name} is not registered"))
        .call(ctx, args)
}

/// What a child reports through its exit status.
const ORPHAN_REPORTED: i32 = 0;
const SLOT_WAS_FREE: i32 = 2;
const WRONG_RESULT: i32 = 3;

/// Runs in the forked child: the buffer's slot may be held by the reader thread, which
/// the child does not have.
fn in_the_child(ctx: &Context, buffer: &Value) -> i32 {
    let expected = format!(
        "memory.buffer.len: handle {}'s object was in use by another thread when this process was forked, and that thread is not in this process: the object cannot be reached here",
        match buffer {
            Value::Int(h) => *h,
            _ => return WRONG_RESULT,
        }
    );
    let status = match call(ctx, "memory.buffer.len", std::slice::from_ref(buffer)) {
        Err(err)
            if err.to_string() == expected
                && matches!(
                    err.downcast_ref::<MemoryError>(),
                    Some(MemoryError::HeldAcrossFork { .. })
                ) =>
        {
            ORPHAN_REPORTED
        }
        Ok(Value::Int(_)) => SLOT_WAS_FREE,
        _ => WRONG_RESULT,
    };
    // The rest of the context still works.
    let fresh = call(ctx, "memory.buffer.new", &[]);
    let works = fresh.and_then(|b| call(ctx, "memory.buffer.write", &[b, Value::str("ok")]));
    if !matches!(works, Ok(Value::Bool(true))) {
        return WRONG_RESULT;
    }
    status
}

/// Waits for `child` at most `limit`; its exit status, or `None` if it had to be killed.
fn wait_for(child: libc::pid_t, limit: Duration) -> Option<i32> {
    let started = Instant::now();
    loop {
        let mut status = 0;
        // SAFETY: waitpid writes only the status it is given; `child` is our child.
        let done = unsafe { libc::waitpid(child, &mut status, libc::WNOHANG) };
        if done == child {
            return libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
        }
        if started.elapsed() > limit {
            // SAFETY: kill and waitpid on our own child, which has not been reaped.
            unsafe {
                libc::kill(child, libc::SIGKILL);
                libc::waitpid(child, &mut status, 0);
            }
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_slot_held_by_a_thread_lost_in_a_fork_is_an_error_in_the_child() {
    let ctx = Context::new();
    let buffer = call(&ctx, "memory.buffer.new", &[]).unwrap();
    let chunk = Value::str("x".repeat(1 << 20));
    for _ in 0..64 {
        call(
            &ctx,
            "memory.buffer.write",
            &[buffer.clone(), chunk.clone()],
        )
        .unwrap();
    }
    let stop = AtomicBool::new(false);
    let mut reports = Vec::new();
    std::thread::scope(|scope| {
        // Reads copy the 64 MiB buffer under its slot's lock, back to back: the lock is
        // held nearly all the time.
        scope.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                drop(call(
                    &ctx,
                    "memory.buffer.read",
                    std::slice::from_ref(&buffer),
                ));
            }
        });
        std::thread::sleep(Duration::from_millis(50));
        for _ in 0..10 {
            // SAFETY: the child runs only `in_the_child` and `_exit`s; glibc keeps its
            // allocator usable in a forked child.
            let child = unsafe { libc::fork() };
            if child == 0 {
                let status = in_the_child(&ctx, &buffer);
                // SAFETY: ends the child at once, running no test-harness code.
                unsafe { libc::_exit(status) };
            }
            assert!(child > 0, "fork failed");
            let report = wait_for(child, Duration::from_secs(20));
            reports.push(report);
            if report == Some(ORPHAN_REPORTED) {
                break;
            }
        }
        stop.store(true, Ordering::Relaxed);
    });
    assert!(
        reports
            .iter()
            .all(|r| matches!(*r, Some(ORPHAN_REPORTED | SLOT_WAS_FREE))),
        "children ended with {reports:?} (None: still waiting after 20 s, killed)"
    );
    assert_eq!(reports.last(), Some(&Some(ORPHAN_REPORTED)), "{reports:?}");
}
