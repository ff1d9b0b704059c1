//! Allocator figures: the tracking allocator, glibc's own figures, and the four
//! `memory.alloc` natives.
//!
//! | figure | meaning (unit: bytes unless said) | source |
//! |---|---|---|
//! | `alloc`, `heapAlloc` | live heap bytes: allocated and not yet freed | [`Tracking`] if installed (exact, summed over its shards); else jemalloc `stats.allocated` (feature `jemalloc`, when jemalloc is the allocator); else glibc `mallinfo2` `uordblks + hblkhd` |
//! | `totalAlloc` | bytes ever allocated (allocations, plus the growth of reallocations) | [`Tracking`] only; without it, equals `alloc` (the most that can be known) |
//! | `heapSys` | heap bytes obtained from the OS | jemalloc `stats.mapped` (feature `jemalloc`, when jemalloc is the allocator); else glibc `mallinfo2` `arena + hblkhd` (0 where glibc is not the allocator) |
//! | `sys` | all memory the process obtained from the OS for data | `/proc/self/status` `VmData`, and at least `heapSys` |
//! | `numGC` | completed GC cycles (count) | [`crate::gc`] |
//! | `goroutines` | live threads of the process (count) | `/proc/self/status` `Threads` |
//!
//! `stats()` adds `heapAlloc`, `heapSys`, `mallocs`, `frees`, `contextBytes` (what the
//! calling context holds) and `source` (`"tracking"`, `"jemalloc"` or `"mallinfo2"`: where
//! `alloc` comes from).
//!
//! With the `jemalloc` feature, install jemalloc under the tracking allocator:
//!
//! ```ignore
//! #[global_allocator]
//! static GLOBAL: memory_runtime::alloc::Tracking<memory_runtime::alloc::Jemalloc> =
//!     memory_runtime::alloc::Tracking::new(memory_runtime::alloc::Jemalloc);
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crossbeam_utils::CachePadded;

use goost_bind::native;

use crate::gc;
use crate::state::MemoryState;

/// Shards owned by one live thread each; a thread that finds none free shares one more
/// shard. A thread gives its shard back when it exits, keeping the counts in it.
const OWNED_SHARDS: usize = 64;
/// Index of the shard threads share when every owned shard is taken.
const SHARED_SHARD: usize = OWNED_SHARDS;

/// One shard of the counters. Live bytes are `allocated - freed`, summed over all
/// shards (a block may be freed by another thread than the one that allocated it).
struct Shard {
    allocated: AtomicU64,
    freed: AtomicU64,
    allocs: AtomicU64,
    frees: AtomicU64,
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY_SHARD: CachePadded<Shard> = CachePadded::new(Shard {
    allocated: AtomicU64::new(0),
    freed: AtomicU64::new(0),
    allocs: AtomicU64::new(0),
    frees: AtomicU64::new(0),
});

/// The counters of every [`Tracking`] allocator in the process (there is one global
/// allocator, so one set). Static, so a thread's counts outlive the thread.
static SHARD_TABLE: [CachePadded<Shard>; OWNED_SHARDS + 1] = [EMPTY_SHARD; OWNED_SHARDS + 1];
/// Bit `i` set: owned shard `i` belongs to a live thread.
static TAKEN: AtomicU64 = AtomicU64::new(0);
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Gives the thread's shard back when the thread exits.
struct ShardLease;

impl Drop for ShardLease {
    fn drop(&mut self) {
        let index = MY_SHARD.with(|cell| cell.replace(SHARED_SHARD));
        // From here on this thread (its last thread-local destructors) counts in the
        // shared shard, so the next owner of `index` is its only writer.
        if index < OWNED_SHARDS {
            TAKEN.fetch_and(!(1u64 << index), Ordering::Release);
        }
    }
}

thread_local! {
    // Const-initialised and without a destructor: reading it never allocates, and it
    // stays readable while the thread's other thread-locals are being destroyed.
    static MY_SHARD: Cell<usize> = const { Cell::new(usize::MAX) };
    // Registered (which may allocate, re-entering the allocator: MY_SHARD is set by
    // then) on the thread's first allocation; its destructor returns the shard.
    static LEASE: ShardLease = const { ShardLease };
}

/// This thread's shard, claimed on its first allocation.
#[inline(always)]
fn my_shard() -> usize {
    let index = MY_SHARD.with(Cell::get);
    if index != usize::MAX {
        return index;
    }
    claim_shard()
}

#[cold]
fn claim_shard() -> usize {
    let mut taken = TAKEN.load(Ordering::Relaxed);
    let index = loop {
        if taken == u64::MAX {
            break SHARED_SHARD;
        }
        let bit = (!taken).trailing_zeros() as usize;
        match TAKEN.compare_exchange_weak(
            taken,
            taken | (1 << bit),
            Ordering::Acquire,
            Ordering::Relaxed,
        ) {
            Ok(_) => break bit,
            Err(now) => taken = now,
        }
    };
    MY_SHARD.with(|cell| cell.set(index));
    INSTALLED.store(true, Ordering::Relaxed);
    if index < OWNED_SHARDS {
        // Fails only while the thread is being torn down: the shard then stays taken.
        let _ = LEASE.try_with(|_| ());
    }
    index
}

/// Adds `n` to a counter that only this thread writes: a plain load and store (no
/// locked instruction). Readers on other threads always see a whole value.
#[inline(always)]
fn add_owned(counter: &AtomicU64, n: u64) {
    counter.store(
        counter.load(Ordering::Relaxed).wrapping_add(n),
        Ordering::Relaxed,
    );
}

/// Adds `bytes` to one byte counter (`allocated` or `freed`) and 1 to one count
/// (`allocs` or `frees`, when `count` is true) of this thread's shard.
#[inline(always)]
fn record(bytes: u64, pick: impl Fn(&Shard) -> (&AtomicU64, &AtomicU64), count: bool) {
    let index = my_shard();
    let shard = &SHARD_TABLE[index.min(SHARED_SHARD)];
    let (byte_counter, event_counter) = pick(shard);
    if index < SHARED_SHARD {
        add_owned(byte_counter, bytes);
        if count {
            add_owned(event_counter, 1);
        }
    } else {
        byte_counter.fetch_add(bytes, Ordering::Relaxed);
        if count {
            event_counter.fetch_add(1, Ordering::Relaxed);
        }
    }
}

#[inline(always)]
fn record_alloc(size: usize) {
    record(size as u64, |s| (&s.allocated, &s.allocs), true);
}

#[inline(always)]
fn record_free(size: usize) {
    record(size as u64, |s| (&s.freed, &s.frees), true);
}

#[inline(always)]
fn record_realloc(old: usize, new: usize) {
    if new >= old {
        record((new - old) as u64, |s| (&s.allocated, &s.allocs), false);
    } else {
        record((old - new) as u64, |s| (&s.freed, &s.frees), false);
    }
}

/// A `GlobalAlloc` wrapper that counts live bytes, bytes ever allocated, and
/// allocation and free counts, in cache-padded per-thread shards folded when read. The
/// up to 64 live threads each own a shard and count with plain loads and stores (no
/// locked instruction, no shared cache line); further threads share one shard and use
/// `fetch_add`. A thread's shard returns to the pool when it exits, with its counts
/// (shards are static, so no count is lost). It never allocates itself, beyond what
/// registering a thread's exit hook may ask of the inner allocator once per thread.
///
/// ```no_run
/// #[global_allocator]
/// static GLOBAL: memory_runtime::alloc::Tracking<std::alloc::System> =
///     memory_runtime::alloc::Tracking::new(std::alloc::System);
/// ```
///
/// A `realloc` is counted as one resize, neither an allocation nor a free: live bytes
/// change by the size difference, and a growth adds to the bytes ever allocated.
pub struct Tracking<A> {
    inner: A,
}

/// The tracking allocator over the system allocator.
pub type TrackingSystem = Tracking<System>;

impl<A> Tracking<A> {
    /// Wraps `inner`.
    pub const fn new(inner: A) -> Self {
        Tracking { inner }
    }
}

impl TrackingSystem {
    /// The tracking allocator over [`System`].
    pub const fn system() -> Self {
        Tracking::new(System)
    }
}

// SAFETY: every method forwards to `inner` with the caller's arguments unchanged and
// returns its result; the counting touches only atomics and a const thread-local, and
// never allocates, so `inner`'s guarantees are `Tracking`'s.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Tracking<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        let ptr = unsafe { self.inner.alloc(layout) };
        if !ptr.is_null() {
            record_alloc(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc_zeroed` is passed on unchanged.
        let ptr = unsafe { self.inner.alloc_zeroed(layout) };
        if !ptr.is_null() {
            record_alloc(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc` is passed on unchanged.
        unsafe { self.inner.dealloc(ptr, layout) };
        record_free(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on unchanged.
        let new = unsafe { self.inner.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            record_realloc(layout.size(), new_size);
        }
        new
    }
}

/// The tracking allocator's counters, folded over all shards.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Live bytes.
    pub live: u64,
    /// Bytes ever allocated (allocations plus realloc growth).
    pub total: u64,
    /// Allocations made.
    pub allocs: u64,
    /// Frees made.
    pub frees: u64,
}

/// Whether a [`Tracking`] allocator is installed (it has served an allocation).
pub fn tracking_installed() -> bool {
    INSTALLED.load(Ordering::Relaxed)
}

/// The tracking allocator's counters (all zero if it is not installed). Reading walks
/// the fixed shard table only, never the heap, and stops no thread; a figure read
/// while other threads allocate is a sum of per-shard figures each exact at its read.
pub fn counts() -> Counts {
    let mut counts = Counts::default();
    let mut freed: u64 = 0;
    for shard in &SHARD_TABLE {
        counts.total += shard.allocated.load(Ordering::Relaxed);
        freed += shard.freed.load(Ordering::Relaxed);
        counts.allocs += shard.allocs.load(Ordering::Relaxed);
        counts.frees += shard.frees.load(Ordering::Relaxed);
    }
    counts.live = counts.total.saturating_sub(freed);
    counts
}

/// glibc's own heap figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MallocInfo {
    /// Bytes in use: `uordblks + hblkhd`.
    pub in_use: u64,
    /// Bytes obtained from the OS: `arena + hblkhd`.
    pub from_os: u64,
}

/// glibc `mallinfo2` (all zero where glibc is not the C allocator).
pub fn malloc_info() -> MallocInfo {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallinfo2 takes no arguments and returns a struct by value; glibc
        // has had it since 2.33 and it only reads the allocator's own statistics.
        let info = unsafe { libc::mallinfo2() };
        MallocInfo {
            in_use: (info.uordblks + info.hblkhd) as u64,
            from_os: (info.arena + info.hblkhd) as u64,
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        MallocInfo::default()
    }
}

/// jemalloc's figures, read when jemalloc is the process's allocator.
#[cfg(feature = "jemalloc")]
mod jemalloc {
    use tikv_jemalloc_ctl::{epoch, stats};

    /// `(allocated, mapped)` after refreshing jemalloc's cached statistics, or `None`
    /// when jemalloc is linked but not the process's allocator.
    pub fn figures() -> Option<(u64, u64)> {
        if !is_the_allocator() {
            return None;
        }
        read()
    }

    fn read() -> Option<(u64, u64)> {
        epoch::advance().ok()?;
        let allocated = stats::allocated::read().ok()? as u64;
        let mapped = stats::mapped::read().ok()? as u64;
        Some((allocated, mapped))
    }

    /// Whether Rust's allocations go to jemalloc: a 1 MiB probe shows in
    /// `stats.allocated` only then. Decided once.
    fn is_the_allocator() -> bool {
        static ANSWER: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *ANSWER.get_or_init(|| {
            const PROBE: usize = 1 << 20;
            let Some((before, _)) = read() else {
                return false;
            };
            let probe = std::hint::black_box(vec![1u8; PROBE]);
            let after = read().map_or(0, |(allocated, _)| allocated);
            drop(probe);
            // Half the probe: other threads may free meanwhile.
            after >= before + PROBE as u64 / 2
        })
    }

    /// Purges every arena's unused dirty pages back to the OS.
    pub fn purge() {
        // `arena.<MALLCTL_ARENAS_ALL>.purge`: MALLCTL_ARENAS_ALL is 4096.
        let name = b"arena.4096.purge\0";
        // SAFETY: `name` is a NUL-terminated control name; purge neither reads nor
        // writes a value, so every other argument is null/zero, as jemalloc requires.
        unsafe {
            tikv_jemalloc_sys::mallctl(
                name.as_ptr().cast(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                0,
            );
        }
    }
}

/// jemalloc, for `#[global_allocator]` (feature `jemalloc`).
#[cfg(feature = "jemalloc")]
pub use tikv_jemallocator::Jemalloc;

#[cfg(feature = "jemalloc")]
fn jemalloc_figures() -> Option<(u64, u64)> {
    jemalloc::figures()
}

#[cfg(not(feature = "jemalloc"))]
fn jemalloc_figures() -> Option<(u64, u64)> {
    None
}

/// Hands free heap memory back to the OS: jemalloc purges every arena when it is the
/// allocator (feature `jemalloc`); otherwise glibc `malloc_trim(0)`; nothing elsewhere.
pub fn release_to_os() {
    #[cfg(feature = "jemalloc")]
    if jemalloc_figures().is_some() {
        jemalloc::purge();
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the heap to the OS; 0 asks to keep
    // no padding. It is thread-safe (it takes each arena's lock).
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Which source the live-heap figure comes from: `tracking`, `jemalloc` or `mallinfo2`.
pub fn source() -> &'static str {
    source_of(tracking_counts(), jemalloc_figures)
}

/// Live heap bytes (see the module table for the source).
pub fn heap_alloc() -> u64 {
    live_of(tracking_counts(), jemalloc_figures)
}

/// Bytes ever allocated; without the tracking allocator, the live bytes.
pub fn total_alloc() -> u64 {
    let tracking = tracking_counts();
    total_of(tracking, live_of(tracking, jemalloc_figures))
}

/// Heap bytes obtained from the OS.
pub fn heap_sys() -> u64 {
    heap_sys_of(jemalloc_figures())
}

/// All memory obtained from the OS for data: `VmData`, and at least `heapSys`.
pub fn sys() -> u64 {
    let [data] = proc_status(["VmData:"]);
    data.unwrap_or(0).max(heap_sys())
}

/// Live threads of the process (`/proc/self/status` `Threads`; 1 where unreadable).
pub fn threads() -> u64 {
    known_threads().unwrap_or(1)
}

/// Live threads of the process, if `/proc/self/status` says.
pub(crate) fn known_threads() -> Option<u64> {
    let [threads] = proc_status(["Threads:"]);
    threads
}

/// Resident memory of the process in bytes (`VmRSS`), for tests and tools.
pub fn resident() -> Option<u64> {
    let [rss] = proc_status(["VmRSS:"]);
    rss
}

/// Every figure `stats()` reports, each source read once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// Where `alloc` comes from: `tracking`, `jemalloc` or `mallinfo2`.
    pub source: &'static str,
    /// Live heap bytes.
    pub alloc: u64,
    /// Bytes ever allocated (at least `alloc`).
    pub total_alloc: u64,
    /// Heap bytes obtained from the OS.
    pub heap_sys: u64,
    /// All memory obtained from the OS for data (at least `heap_sys`).
    pub sys: u64,
    /// Live threads of the process.
    pub threads: u64,
    /// Allocations and frees counted by the tracking allocator (0 without it).
    pub mallocs: u64,
    /// See `mallocs`.
    pub frees: u64,
}

/// Reads every figure once: the shards, jemalloc (or glibc), and `/proc/self/status`.
pub fn snapshot() -> Snapshot {
    let tracking = tracking_counts();
    let jemalloc = jemalloc_figures();
    let alloc = live_of(tracking, || jemalloc);
    let heap_sys = heap_sys_of(jemalloc);
    let [data, threads] = proc_status(["VmData:", "Threads:"]);
    let counts = tracking.unwrap_or_default();
    Snapshot {
        source: source_of(tracking, || jemalloc),
        alloc,
        total_alloc: total_of(tracking, alloc),
        heap_sys,
        sys: data.unwrap_or(0).max(heap_sys),
        threads: threads.unwrap_or(1),
        mallocs: counts.allocs,
        frees: counts.frees,
    }
}

/// The tracking allocator's counters, if it is installed.
fn tracking_counts() -> Option<Counts> {
    tracking_installed().then(counts)
}

fn source_of(
    tracking: Option<Counts>,
    jemalloc: impl FnOnce() -> Option<(u64, u64)>,
) -> &'static str {
    if tracking.is_some() {
        "tracking"
    } else if jemalloc().is_some() {
        "jemalloc"
    } else {
        "mallinfo2"
    }
}

/// Live bytes: tracking, else jemalloc (asked only when needed), else glibc.
fn live_of(tracking: Option<Counts>, jemalloc: impl FnOnce() -> Option<(u64, u64)>) -> u64 {
    match tracking {
        Some(counts) => counts.live,
        None => jemalloc().map_or_else(|| malloc_info().in_use, |(allocated, _)| allocated),
    }
}

fn total_of(tracking: Option<Counts>, live: u64) -> u64 {
    tracking.map_or(live, |counts| counts.total).max(live)
}

fn heap_sys_of(jemalloc: Option<(u64, u64)>) -> u64 {
    jemalloc.map_or_else(|| malloc_info().from_os, |(_, mapped)| mapped)
}

/// Fields of `/proc/self/status` (one read): `kB` values in bytes, counts as they are.
fn proc_status<const N: usize>(names: [&str; N]) -> [Option<u64>; N] {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    names.map(|name| {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let mut words = line[name.len()..].split_whitespace();
        let number: u64 = words.next()?.parse().ok()?;
        Some(match words.next() {
            Some("kB") => number * 1024,
            _ => number,
        })
    })
}

fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[native("memory.alloc.stats")]
pub fn stats(mem: &MemoryState) -> String {
    let figures = snapshot();
    let json = serde_json::json!({
        "alloc": figures.alloc,
        "totalAlloc": figures.total_alloc,
        "sys": figures.sys,
        "numGC": gc::cycles(),
        "goroutines": figures.threads,
        "heapAlloc": figures.alloc,
        "heapSys": figures.heap_sys,
        "mallocs": figures.mallocs,
        "frees": figures.frees,
        "contextBytes": mem.memory_in_use(),
        "source": figures.source,
    });
    json.to_string()
}

#[native("memory.alloc.heapAlloc")]
pub fn heap_alloc_native() -> i64 {
    clamp(heap_alloc())
}

#[native("memory.alloc.heapSys")]
pub fn heap_sys_native() -> i64 {
    clamp(heap_sys())
}

#[native("memory.alloc.numGC")]
pub fn num_gc() -> i64 {
    clamp(gc::cycles())
}
