//! Collectors: callbacks that reclaim memory held outside the module (a script engine's
//! own garbage collector, a cache's eviction), which a module's GC cycle runs (the
//! memory module's `memory.gc.run()` does). A context holds the collectors of its engine
//! ([`Context::register_collector`](crate::Context::register_collector)).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::RwLock;

static NEXT_COLLECTOR: AtomicU64 = AtomicU64::new(1);
type Collector = Arc<dyn Fn() + Send + Sync>;

/// Identifies a registered collector, to remove it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CollectorId(u64);

impl CollectorId {
    /// The collector's number, unique in the process (for messages).
    pub fn number(self) -> u64 {
        self.0
    }
}

/// A collector that panicked while a cycle ran it. The others still ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectorPanic {
    /// The collector that panicked.
    pub id: CollectorId,
    /// Its panic's message.
    pub message: String,
}

/// A list of collectors: one context's (its engine's GC), or a module's process-wide list.
#[derive(Default)]
pub struct Collectors(RwLock<Vec<(u64, Collector)>>);

impl std::fmt::Debug for Collectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Collectors({})", self.0.read().len())
    }
}

impl Collectors {
    /// An empty list.
    pub const fn new() -> Collectors {
        Collectors(RwLock::new(Vec::new()))
    }

    /// Adds `collector`.
    pub fn register(&self, collector: impl Fn() + Send + Sync + 'static) -> CollectorId {
        let id = NEXT_COLLECTOR.fetch_add(1, Ordering::Relaxed);
        self.0.write().push((id, Arc::new(collector)));
        CollectorId(id)
    }

    /// How many collectors the list holds.
    pub fn len(&self) -> usize {
        self.0.read().len()
    }

    /// Whether the list holds none.
    pub fn is_empty(&self) -> bool {
        self.0.read().is_empty()
    }

    /// Removes a collector; `false` if it was not in this list.
    pub fn unregister(&self, id: CollectorId) -> bool {
        let mut list = self.0.write();
        let before = list.len();
        list.retain(|(each, _)| *each != id.0);
        list.len() != before
    }

    /// Runs every collector, and says which panicked. The list is copied first and no
    /// lock is held while they run, so a collector may register others, and may wait for
    /// an engine that is itself inside a native (which may be starting a cycle) without
    /// deadlock. A collector that panics does not stop the others.
    pub fn run_all(&self) -> Vec<CollectorPanic> {
        let snapshot: Vec<(u64, Collector)> = self
            .0
            .read()
            .iter()
            .map(|(id, c)| (*id, Arc::clone(c)))
            .collect();
        let mut panics = Vec::new();
        for (id, collector) in snapshot {
            if let Err(payload) = catch_unwind(AssertUnwindSafe(|| collector())) {
                panics.push(CollectorPanic {
                    id: CollectorId(id),
                    message: crate::error::panic_message(payload.as_ref()),
                });
            }
        }
        panics
    }
}
