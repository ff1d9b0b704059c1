//! The tracking allocator's overhead, beside plain `System` and a wrapper that counts in
//! global atomics (what the `stats_alloc` crate does), on an allocation-heavy workload
//! with 1 and 2 threads; and the cost of reading the figures.
//! `cargo bench -p memory-runtime --bench alloc`.
//!
//! Two workloads: 64 raw allocations and frees through `GlobalAlloc` directly, and a
//! std workload (strings, vectors, a hash map) through this binary's global allocator,
//! which forwards to the allocator under test chosen by a switch (one binary has only
//! one global allocator; the switch costs every contender the same load and branch).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

use criterion::{Criterion, criterion_group, criterion_main};
use goost_bind::{Context, Registry};
use memory_runtime::alloc::{self, Tracking};

/// Counts in four global atomics: every thread hits the same cache lines.
struct GlobalAtomics<A> {
    inner: A,
    live: AtomicU64,
    total: AtomicU64,
    allocs: AtomicU64,
    frees: AtomicU64,
}

// SAFETY: forwards every call to `inner` unchanged; the counting touches only atomics.
unsafe impl<A: GlobalAlloc> GlobalAlloc for GlobalAtomics<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on unchanged.
        let ptr = unsafe { self.inner.alloc(layout) };
        self.live.fetch_add(layout.size() as u64, Ordering::Relaxed);
        self.total
            .fetch_add(layout.size() as u64, Ordering::Relaxed);
        self.allocs.fetch_add(1, Ordering::Relaxed);
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { self.inner.dealloc(ptr, layout) };
        self.live.fetch_sub(layout.size() as u64, Ordering::Relaxed);
        self.frees.fetch_add(1, Ordering::Relaxed);
    }
}

static TRACKING: Tracking<System> = Tracking::new(System);

/// Which allocator the global allocator forwards to: 0 System, 1 Tracking, 2 atomics.
static MODE: AtomicU8 = AtomicU8::new(0);

struct Switch;

// SAFETY: forwards to one of three allocators that all hand out System's memory, so a
// block allocated under one mode may be freed under another.
unsafe impl GlobalAlloc for Switch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe {
            match MODE.load(Ordering::Relaxed) {
                0 => System.alloc(layout),
                1 => TRACKING.alloc(layout),
                _ => ATOMICS.alloc(layout),
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe {
            match MODE.load(Ordering::Relaxed) {
                0 => System.dealloc(ptr, layout),
                1 => TRACKING.dealloc(ptr, layout),
                _ => ATOMICS.dealloc(ptr, layout),
            }
        }
    }
}

#[global_allocator]
static GLOBAL: Switch = Switch;

/// Typical allocation-heavy std code: format strings, grow vectors, fill a map.
fn std_workload() -> usize {
    let mut map: std::collections::HashMap<String, Vec<u8>> = std::collections::HashMap::new();
    for i in 0..200 {
        let key = format!("key-{i}");
        let mut value = Vec::new();
        for j in 0..(i % 16) {
            value.push(j as u8);
        }
        map.insert(key, value);
    }
    let joined: Vec<String> = map.keys().map(|k| k.to_uppercase()).collect();
    black_box(joined.len() + map.len())
}
static ATOMICS: GlobalAtomics<System> = GlobalAtomics {
    inner: System,
    live: AtomicU64::new(0),
    total: AtomicU64::new(0),
    allocs: AtomicU64::new(0),
    frees: AtomicU64::new(0),
};

/// 64 allocations of 16..1040 bytes, then their frees in reverse.
fn workload(allocator: &dyn GlobalAlloc) {
    let mut ptrs = [(std::ptr::null_mut::<u8>(), Layout::new::<u8>()); 64];
    for (i, slot) in ptrs.iter_mut().enumerate() {
        let layout = Layout::from_size_align(16 + (i * 16) % 1024, 8).unwrap();
        // SAFETY: the layout has a non-zero size.
        *slot = (unsafe { allocator.alloc(layout) }, layout);
    }
    for (ptr, layout) in ptrs.iter().rev() {
        // SAFETY: each pointer came from this allocator with this layout.
        unsafe { allocator.dealloc(black_box(*ptr), *layout) };
    }
}

fn on_threads(threads: usize, allocator: &'static (dyn GlobalAlloc + Sync), rounds: u64) {
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(move || {
                for _ in 0..rounds {
                    workload(allocator);
                }
            });
        }
    });
}

fn overhead(c: &mut Criterion) {
    let contenders: [(&str, &'static (dyn GlobalAlloc + Sync)); 3] = [
        ("System", &System),
        ("Tracking", &TRACKING),
        ("global atomics", &ATOMICS),
    ];
    for threads in [1, 2] {
        let mut group = c.benchmark_group(format!(
            "alloc-heavy, {threads} thread(s), 1000 rounds of 64 alloc+free"
        ));
        for (name, allocator) in contenders {
            group.bench_function(name, |b| b.iter(|| on_threads(threads, allocator, 1000)));
        }
        group.finish();
    }
}

fn std_code(c: &mut Criterion) {
    for threads in [1usize, 2] {
        let mut group = c.benchmark_group(format!("std workload, {threads} thread(s), 20 rounds"));
        for (mode, name) in [(0u8, "System"), (1, "Tracking"), (2, "global atomics")] {
            group.bench_function(name, |b| {
                MODE.store(mode, Ordering::Relaxed);
                b.iter(|| {
                    std::thread::scope(|scope| {
                        for _ in 0..threads {
                            scope.spawn(|| {
                                for _ in 0..20 {
                                    std_workload();
                                }
                            });
                        }
                    })
                });
                MODE.store(0, Ordering::Relaxed);
            });
        }
        group.finish();
    }
}

fn figures(c: &mut Criterion) {
    // Make the tracking allocator's figures the live ones for the reads below, with a
    // second thread live, as a host with goroutines would have.
    workload(&TRACKING);
    let (stop, parked) = std::sync::mpsc::channel::<()>();
    let other = std::thread::spawn(move || {
        workload(&TRACKING);
        let _ = parked.recv();
    });
    let ctx = Context::new();
    let heap_alloc = Registry::global().get("memory.alloc.heapAlloc").unwrap();
    let num_gc = Registry::global().get("memory.alloc.numGC").unwrap();
    let stats = Registry::global().get("memory.alloc.stats").unwrap();
    let counter = AtomicU64::new(0);
    let mut group = c.benchmark_group("reading figures");
    group.bench_function("AtomicU64::fetch_add", |b| {
        b.iter(|| counter.fetch_add(1, Ordering::Relaxed))
    });
    group.bench_function("alloc::counts (shard fold)", |b| {
        b.iter(|| black_box(alloc::counts()))
    });
    group.bench_function("heapAlloc()", |b| {
        b.iter(|| black_box(heap_alloc.call(&ctx, &[]).unwrap()))
    });
    group.bench_function("numGC()", |b| {
        b.iter(|| black_box(num_gc.call(&ctx, &[]).unwrap()))
    });
    group.bench_function("stats()", |b| {
        b.iter(|| black_box(stats.call(&ctx, &[]).unwrap()))
    });
    group.finish();
    drop(stop);
    other.join().unwrap();
}

criterion_group!(benches, overhead, std_code, figures);
criterion_main!(benches);
