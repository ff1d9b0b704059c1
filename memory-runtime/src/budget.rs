//! The memory budget of one context: bytes held by its buffers and pools, against an
//! optional limit. Charging is one atomic compare-and-swap loop, so the limit holds
//! exactly even when several threads allocate at once. Every charge and release also
//! moves the process-wide figure the GC pacer watches ([`crate::gc::held`]).

#[cfg(goost_loom)]
use loom::sync::atomic::{AtomicUsize, Ordering};
#[cfg(not(goost_loom))]
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::MemoryError;

/// Bytes in use and the limit (`usize::MAX` when there is none).
#[derive(Debug)]
pub struct Budget {
    used: AtomicUsize,
    limit: usize,
}

impl Budget {
    /// A budget with `limit` bytes (`None`: unlimited).
    pub fn new(limit: Option<usize>) -> Budget {
        Budget {
            used: AtomicUsize::new(0),
            limit: limit.unwrap_or(usize::MAX),
        }
    }

    /// The limit in bytes, if any.
    pub fn limit(&self) -> Option<usize> {
        (self.limit != usize::MAX).then_some(self.limit)
    }

    /// Bytes currently charged.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }

    /// Charges `bytes` if that keeps the total at or under the limit; otherwise charges
    /// nothing and says why.
    pub fn try_charge(&self, bytes: usize) -> Result<(), MemoryError> {
        self.used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                used.checked_add(bytes).filter(|&total| total <= self.limit)
            })
            .map(|_| crate::gc::add_held(bytes))
            .map_err(|in_use| MemoryError::MemoryLimit {
                requested: bytes,
                in_use,
                limit: self.limit,
            })
    }

    /// Charges `bytes` whatever the limit (for allocator rounding beyond a charged request).
    pub fn force_charge(&self, bytes: usize) {
        self.used.fetch_add(bytes, Ordering::Relaxed);
        crate::gc::add_held(bytes);
    }

    /// Gives back `bytes` charged earlier.
    pub fn release(&self, bytes: usize) {
        self.used.fetch_sub(bytes, Ordering::Relaxed);
        crate::gc::sub_held(bytes);
    }
}

/// A context's budget ends with its context: the bytes it still holds leave the
/// process-wide figure the pacer watches, so a host that makes a context per request does
/// not ratchet the GC goal up (the objects themselves are freed with the slot table).
impl Drop for Budget {
    fn drop(&mut self) {
        let held = self.used();
        if held > 0 {
            crate::gc::sub_held(held);
        }
    }
}

/// Model checks with loom: every interleaving of concurrent charges keeps the limit.
/// `RUSTFLAGS="--cfg goost_loom" cargo test -p memory-runtime --lib --release budget::loom_models`
#[cfg(all(test, goost_loom))]
mod loom_models {
    use super::*;
    use loom::sync::Arc;

    #[test]
    fn two_charges_that_cannot_both_fit_never_both_succeed() {
        loom::model(|| {
            let budget = Arc::new(Budget::new(Some(10)));
            budget.try_charge(4).unwrap();
            let other = Arc::clone(&budget);
            let thread = loom::thread::spawn(move || other.try_charge(6).is_ok());
            let here = budget.try_charge(6).is_ok();
            let there = thread.join().unwrap();
            assert!(
                here ^ there,
                "exactly one of two 6-byte charges fits in 6 free bytes"
            );
            assert_eq!(budget.used(), 10);
        });
    }

    #[test]
    fn a_release_racing_a_charge_never_lets_the_total_pass_the_limit() {
        loom::model(|| {
            let budget = Arc::new(Budget::new(Some(10)));
            budget.try_charge(5).unwrap();
            let other = Arc::clone(&budget);
            let thread = loom::thread::spawn(move || {
                other.release(5);
                other.try_charge(3).is_ok()
            });
            let big = budget.try_charge(8).is_ok();
            let small = thread.join().unwrap();
            let expected = if big { 8 } else { 0 } + if small { 3 } else { 0 };
            assert_eq!(budget.used(), expected);
            assert!(budget.used() <= 10);
            // After the release at least one of the two fits; both never do (8 + 3 > 10).
            assert!(big ^ small);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_up_to_the_limit_exactly() {
        let budget = Budget::new(Some(10));
        assert_eq!(budget.try_charge(6), Ok(()));
        assert_eq!(budget.try_charge(4), Ok(()));
        assert_eq!(
            budget.try_charge(1),
            Err(MemoryError::MemoryLimit {
                requested: 1,
                in_use: 10,
                limit: 10
            })
        );
        budget.release(4);
        assert_eq!(budget.used(), 6);
        assert_eq!(budget.limit(), Some(10));
        assert_eq!(Budget::new(None).limit(), None);
    }
}
