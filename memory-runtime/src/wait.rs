//! Waiting for a lock that another thread holds: spin briefly, then sleep in growing
//! pauses, so a waiter behind a long operation (a read of a large buffer copies it under
//! its slot's lock) does not burn a core; and give up, rather than wait forever, on a
//! lock whose holder is gone.
//!
//! A holder can be gone only after `fork`: the child has just the thread that forked, so
//! a lock another thread held at that moment is never released in the child. A waiter
//! that finds the lock still held while its process has a single thread (itself, which
//! does not hold it) knows this, and reports [`Orphaned`]. Where the thread count cannot
//! be read (no `/proc`), or other threads were started in the child, it keeps waiting,
//! asleep.
//!
//! The uncontended path is one `try_lock`, inline; everything here is out of line.

use std::hint::spin_loop;
use std::time::Duration;

use crate::handle::{Lock, LockGuard};

/// Failed `try_lock`s spent spinning before the first pause: about the time a short
/// operation (a small write, a hash-table probe) holds a slot.
const SPINS: u32 = 200;
/// The first pause, and the longest: pauses double up to it, so a waiter wakes within
/// this long of the lock being freed.
const FIRST_PAUSE: Duration = Duration::from_micros(20);
const LONGEST_PAUSE: Duration = Duration::from_millis(1);
/// Pauses between looks at the thread count.
const PAUSES_PER_LOOK: u32 = 16;

/// The lock's holder is a thread that no longer exists in this process (it was forked
/// while that thread held the lock): the lock can never be taken here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Orphaned;

/// Takes `lock`, waiting for it (see the module docs) if another thread holds it.
#[inline]
pub(crate) fn lock<T>(lock: &Lock<T>) -> Result<LockGuard<'_, T>, Orphaned> {
    match lock.try_lock() {
        Some(guard) => Ok(guard),
        None => wait_for(lock),
    }
}

/// The waiting part of [`lock`], out of line so the uncontended path carries no call.
#[cold]
#[inline(never)]
fn wait_for<T>(lock: &Lock<T>) -> Result<LockGuard<'_, T>, Orphaned> {
    for _ in 0..SPINS {
        if let Some(guard) = lock.try_lock() {
            return Ok(guard);
        }
        spin_loop();
    }
    let mut pause = FIRST_PAUSE;
    let mut pauses = 0u32;
    loop {
        if let Some(guard) = lock.try_lock() {
            return Ok(guard);
        }
        if pauses % PAUSES_PER_LOOK == 0 && alone_in_the_process() {
            // Nobody else can release it. One more look, in case the holder was this
            // process's last other thread, finishing as we counted.
            return lock.try_lock().ok_or(Orphaned);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(LONGEST_PAUSE);
        pauses = pauses.wrapping_add(1);
    }
}

/// Whether this thread is the only one in the process (`false` when unknown).
fn alone_in_the_process() -> bool {
    crate::alloc::known_threads() == Some(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CPU time this thread has used.
    fn thread_cpu_time() -> Duration {
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes only into the timespec it is given, which is valid
        // for writes; CLOCK_THREAD_CPUTIME_ID is a valid clock on Linux.
        let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
        assert_eq!(status, 0);
        Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
    }

    #[test]
    fn a_waiter_sleeps_while_the_lock_is_held_and_gets_it_once_released() {
        let held = Lock::new(5);
        let guard = held.lock();
        std::thread::scope(|scope| {
            let waiter = scope.spawn(|| {
                let before = thread_cpu_time();
                let got = lock(&held).map(|value| *value);
                (got, thread_cpu_time() - before)
            });
            std::thread::sleep(Duration::from_millis(300));
            drop(guard);
            let (got, cpu) = waiter.join().unwrap();
            assert_eq!(got, Ok(5));
            // A waiter that spun or yielded all along would use most of the wait.
            assert!(
                cpu < Duration::from_millis(60),
                "the waiter used {cpu:?} of CPU in 300 ms of waiting"
            );
        });
    }
}
