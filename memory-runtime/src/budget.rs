//! The memory budget of one context: bytes held by its buffers and pools, against an
//! optional limit. Charging is one atomic compare-and-swap loop, so the limit holds
//! exactly even when several threads allocate at once. Every charge and release also
//! moves the process-wide figure the GC pacer watches ([`crate::gc::held`]).

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::ErrorKind;

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
    pub fn try_charge(&self, bytes: usize) -> Result<(), ErrorKind> {
        self.used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                used.checked_add(bytes).filter(|&total| total <= self.limit)
            })
            .map(|_| crate::gc::add_held(bytes))
            .map_err(|in_use| ErrorKind::MemoryLimit {
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
            Err(ErrorKind::MemoryLimit {
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
