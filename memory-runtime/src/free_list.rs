//! The free slot indices of a [`SlotTable`](crate::handle::SlotTable): a few per thread,
//! the rest shared.
//!
//! `buffer.new` + `buffer.free` is the one pair of operations that touches shared state
//! beyond the object's own slot. With one shared list, each `new` and each `free` paid a
//! lock on it (one locked instruction each, on a cache line every thread writes). Here a
//! thread keeps up to [`LOCAL_CAPACITY`] freed indices of its own and reuses them first, so
//! a thread that frees and allocates in turn never touches the shared list; when its cache
//! is full it moves half of it to the shared list in one lock, and when its cache is empty
//! it takes from the shared list.
//!
//! A thread's cache is a fixed array of atomics that only that thread writes (plain loads
//! and stores, no read-modify-write), so other threads can read its length for
//! [`FreeList::len`] without a lock. Indices cached by a thread that exits stay with its
//! thread id and are reused by the next thread given that id (`thread_local` recycles ids).

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use thread_local::ThreadLocal;

use crate::handle::Lock;
use crate::wait;

/// Freed indices a thread keeps for itself before it hands half of them to the shared list.
pub const LOCAL_CAPACITY: usize = 32;

/// One thread's cache. Only its owner thread writes it.
struct LocalCache {
    len: AtomicUsize,
    indices: [AtomicU32; LOCAL_CAPACITY],
}

impl Default for LocalCache {
    fn default() -> Self {
        LocalCache {
            len: AtomicUsize::new(0),
            indices: std::array::from_fn(|_| AtomicU32::new(0)),
        }
    }
}

/// Free slot indices: per-thread caches in front of a shared, locked list.
#[derive(Default)]
pub struct FreeList {
    local: ThreadLocal<LocalCache>,
    shared: Lock<Vec<u32>>,
}

impl FreeList {
    /// This thread's cache, or `None` while the thread's thread-locals are being torn down
    /// (a native called from a host's own thread-local destructor): `thread_local` cannot
    /// find the thread then, and panics; the shared list serves the call instead.
    #[inline]
    fn cache(&self) -> Option<&LocalCache> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.local.get_or_default())).ok()
    }

    /// A freed index to reuse, this thread's own first.
    #[inline]
    pub fn pop(&self) -> Option<u32> {
        let Some(cache) = self.cache() else {
            return self.pop_shared();
        };
        // Only this thread writes `cache`, so what it reads here stays true until it
        // writes again.
        let len = cache.len.load(Ordering::Relaxed);
        if len == 0 {
            return self.pop_shared();
        }
        let index = cache.indices[len - 1].load(Ordering::Relaxed);
        cache.len.store(len - 1, Ordering::Relaxed);
        Some(index)
    }

    /// Makes `index` reusable; `false` (the index is not kept) only when the shared list's
    /// lock was held by a thread lost in a fork.
    #[inline]
    pub fn push(&self, index: u32) -> bool {
        let Some(cache) = self.cache() else {
            return match wait::lock(&self.shared) {
                Ok(mut shared) => {
                    shared.push(index);
                    true
                }
                Err(_) => false,
            };
        };
        let mut len = cache.len.load(Ordering::Relaxed);
        if len == LOCAL_CAPACITY {
            let keep = LOCAL_CAPACITY / 2;
            let Ok(mut shared) = wait::lock(&self.shared) else {
                return false;
            };
            shared.extend(
                cache.indices[keep..]
                    .iter()
                    .map(|index| index.load(Ordering::Relaxed)),
            );
            len = keep;
        }
        cache.indices[len].store(index, Ordering::Relaxed);
        cache.len.store(len + 1, Ordering::Relaxed);
        true
    }

    /// An index from the shared list (none if its lock was lost in a fork).
    fn pop_shared(&self) -> Option<u32> {
        wait::lock(&self.shared).ok()?.pop()
    }

    /// How many indices are free, in the shared list and every thread's cache (a snapshot
    /// while other threads allocate or free; the shared list counts 0 if its lock was lost
    /// in a fork).
    pub fn len(&self) -> usize {
        let cached: usize = self
            .local
            .iter()
            .map(|cache| cache.len.load(Ordering::Relaxed))
            .sum();
        cached + wait::lock(&self.shared).map_or(0, |shared| shared.len())
    }

    /// Gives back the shared list's spare capacity.
    pub fn shrink(&self) {
        if let Ok(mut shared) = wait::lock(&self.shared) {
            shared.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_reuses_its_own_latest_index_first() {
        let free = FreeList::default();
        assert_eq!(free.pop(), None);
        free.push(3);
        free.push(7);
        assert_eq!(free.len(), 2);
        assert_eq!(free.pop(), Some(7));
        assert_eq!(free.pop(), Some(3));
        assert_eq!(free.pop(), None);
        assert_eq!(free.len(), 0);
    }

    #[test]
    fn a_full_cache_spills_half_to_the_shared_list_and_loses_nothing() {
        let free = FreeList::default();
        let count = 3 * LOCAL_CAPACITY as u32 + 5;
        for index in 0..count {
            free.push(index);
        }
        assert_eq!(free.len(), count as usize);
        let mut popped: Vec<u32> = std::iter::from_fn(|| free.pop()).collect();
        popped.sort_unstable();
        assert_eq!(popped, (0..count).collect::<Vec<_>>());
    }

    #[test]
    fn another_thread_gets_spilled_indices_and_counts_see_every_cache() {
        let free = FreeList::default();
        for index in 0..LOCAL_CAPACITY as u32 + 1 {
            free.push(index);
        }
        // This thread keeps half plus the last one; the other half went to the shared list.
        let spilled = LOCAL_CAPACITY / 2;
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let taken: Vec<u32> = std::iter::from_fn(|| free.pop()).collect();
                assert_eq!(taken.len(), spilled);
                // Indices the other thread freed into its own cache stay there.
                free.push(1_000);
            });
        });
        assert_eq!(free.len(), LOCAL_CAPACITY - spilled + 1 + 1);
    }
}
