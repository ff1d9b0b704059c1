//! GC hooks with Go's meaning, and the three `memory.gc` natives.
//!
//! A Rust host has no garbage collector, so a *cycle* here is: the runtime's own
//! reclamation (the calling context gives back its handle table's spare capacity),
//! then the collectors of that context ([`Context::register_collector`](goost_bind::Context::register_collector): a script
//! engine's own GC) and of the process ([`register_collector`]: a cache's eviction,
//! ...), then `numGC += 1`, and the context's pacer sets its next goal from the bytes the
//! context holds after the cycle.
//!
//! # Per context, per process
//!
//! A context is a tenant: its GC percentage and pacing are its own ([`Pacer`], in its
//! [`MemoryState`]), so no script in one context can change another's GC or make it
//! slower. `memory.gc.setPercent` changes the calling context's percentage only.
//! What acts on the whole process is the process collectors and `freeOSMemory`'s trim of
//! the allocator; a host refuses both to a context with
//! [`MemoryState::without_process_wide`]: its cycles then skip the process collectors,
//! and `freeOSMemory` is an error that changes nothing. The figures `numGC`
//! ([`cycles`]) and [`held`] count every context of the process, as Go's do.
//!
//! # The pacer (GOGC)
//!
//! A context's percentage has `debug.SetGCPercent`'s meaning: default
//! [`default_percent`] (100 unless a host changed it for new contexts with
//! [`set_percent`]); a negative value turns the automatic trigger off. The heap it
//! watches is what this module controls in that context: the bytes its buffers, pools and
//! handle table hold ([`MemoryState::memory_in_use`]). A cycle starts by itself when
//! that passes `held_after_last_cycle * (1 + pct/100)`, and never below [`MIN_GOAL`]
//! (Go's 4 MiB floor). The check sits on the allocating paths (`buffer.new`, a `write`
//! that grows a buffer, an `intern` that adds) and is two atomic loads and a compare
//! when no cycle is due.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};

use goost_bind::{CollectorId, CollectorPanic, Collectors, Context, native};

use crate::alloc;
use crate::error::MemoryError;
use crate::state::{MemoryContext, MemoryState};

/// The smallest heap goal: no automatic cycle starts below 4 MiB held.
pub const MIN_GOAL: u64 = 4 << 20;

/// The default GC percentage (`GOGC=100`).
pub const DEFAULT_PERCENT: i64 = 100;

static CYCLES: AtomicU64 = AtomicU64::new(0);
/// The percentage a new context starts with.
static NEW_CONTEXT_PERCENT: AtomicI64 = AtomicI64::new(DEFAULT_PERCENT);
/// Bytes held by all contexts' buffers and pools.
static HELD: AtomicUsize = AtomicUsize::new(0);
/// Collectors of the whole process.
static PROCESS_COLLECTORS: Collectors = Collectors::new();

/// One context's GC pacing: its percentage, the bytes at which its next automatic cycle
/// starts, and whether one is running.
#[derive(Debug)]
pub struct Pacer {
    percent: AtomicI64,
    goal: AtomicU64,
    /// Set while this context's pacer cycle runs, so threads over the goal start one, not many.
    pacing: AtomicBool,
}

impl Default for Pacer {
    /// A pacer at the process's default percentage ([`set_percent`]), its goal at the floor.
    fn default() -> Self {
        let percent = default_percent();
        Pacer {
            percent: AtomicI64::new(percent),
            goal: AtomicU64::new(goal_for(0, percent)),
            pacing: AtomicBool::new(false),
        }
    }
}

impl Pacer {
    /// The context's GC percentage.
    pub fn percent(&self) -> i64 {
        self.percent.load(Ordering::Relaxed)
    }

    /// The bytes held at which the context's next automatic cycle starts (`u64::MAX`: never).
    pub fn goal(&self) -> u64 {
        self.goal.load(Ordering::Relaxed)
    }

    /// Sets the percentage and returns the previous one (`debug.SetGCPercent`); the goal
    /// follows from `held_now`, the bytes the context holds.
    pub(crate) fn set_percent(&self, percent: i64, held_now: usize) -> i64 {
        let previous = self.percent.swap(percent, Ordering::Relaxed);
        self.goal
            .store(goal_for(held_now as u64, percent), Ordering::Relaxed);
        previous
    }

    /// Sets the next goal after a cycle that left `held_now` bytes held.
    pub(crate) fn cycle_ended(&self, held_now: usize) {
        self.goal
            .store(goal_for(held_now as u64, self.percent()), Ordering::Relaxed);
    }
}

/// Registers `collector` to run in every cycle of the process (after the runtime's own
/// reclamation), on the thread that runs the cycle, except in contexts whose host refused
/// them process-wide operations. It must not start a cycle itself, and must not wait on
/// a script engine (one may be running a script that starts this cycle). A collector
/// that belongs to one script's engine goes on its context instead:
/// [`Context::register_collector`](goost_bind::Context::register_collector).
pub fn register_collector(collector: impl Fn() + Send + Sync + 'static) -> CollectorId {
    PROCESS_COLLECTORS.register(collector)
}

/// Removes a process-wide collector; `false` if it was not registered.
pub fn unregister_collector(id: CollectorId) -> bool {
    PROCESS_COLLECTORS.unregister(id)
}

/// Completed cycles, in every context of the process (`numGC`).
pub fn cycles() -> u64 {
    CYCLES.load(Ordering::Relaxed)
}

/// The GC percentage that contexts made from now on start with.
pub fn default_percent() -> i64 {
    NEW_CONTEXT_PERCENT.load(Ordering::Relaxed)
}

/// Bytes held by all contexts' buffers and pools.
pub fn held() -> u64 {
    HELD.load(Ordering::Relaxed) as u64
}

/// The goal a context made now starts with (`u64::MAX`: never); each context's own goal
/// is [`Pacer::goal`].
pub fn goal() -> u64 {
    goal_for(0, default_percent())
}

pub(crate) fn add_held(bytes: usize) {
    HELD.fetch_add(bytes, Ordering::Relaxed);
}

pub(crate) fn sub_held(bytes: usize) {
    HELD.fetch_sub(bytes, Ordering::Relaxed);
}

fn goal_for(held_now: u64, percent: i64) -> u64 {
    if percent < 0 {
        return u64::MAX;
    }
    let growth = u128::from(held_now) * percent as u128 / 100;
    let goal = u128::from(held_now) + growth;
    u64::try_from(goal).unwrap_or(u64::MAX).max(MIN_GOAL)
}

/// Sets the GC percentage that contexts made from now on start with (the process's
/// `GOGC`), and returns the previous one. A context's own percentage is changed by
/// `memory.gc.setPercent` in it, or [`MemoryState::set_gc_percent`].
pub fn set_percent(percent: i64) -> i64 {
    NEW_CONTEXT_PERCENT.swap(percent, Ordering::Relaxed)
}

/// Runs one cycle: `ctx`'s own reclamation and collectors (if given), every
/// process-wide collector (unless `ctx`'s host refused it those), then counts it and sets
/// `ctx`'s next goal. Cycles may overlap (each is counted); no lock is held while
/// collectors run.
///
/// A collector that panics does not stop the cycle: the others run, the cycle is counted
/// and the next goal set. The collectors that panicked are returned; `memory.gc.run()` and
/// `freeOSMemory` report the first as their error, the pacer (on an allocating path that
/// must not fail for it) drops the report.
pub fn run_cycle(ctx: Option<&Context>) -> Vec<CollectorPanic> {
    let mut panics = Vec::new();
    let memory = ctx.and_then(MemoryContext::memory);
    if let Some(mem) = memory {
        mem.shrink();
    }
    if let Some(ctx) = ctx {
        panics.extend(ctx.run_collectors());
    }
    if memory.is_none_or(MemoryState::allows_process_wide) {
        panics.extend(PROCESS_COLLECTORS.run_all());
    }
    CYCLES.fetch_add(1, Ordering::Relaxed);
    if let Some(mem) = memory {
        mem.pacer().cycle_ended(mem.memory_in_use());
    }
    panics
}

/// [`run_cycle`] for a native: the first collector that panicked as its error.
fn run_cycle_reporting(ctx: &Context) -> Result<(), MemoryError> {
    let panics = run_cycle(Some(ctx));
    match panics.first() {
        None => Ok(()),
        Some(first) => Err(MemoryError::CollectorPanicked {
            collector: first.id.number(),
            message: first.message.clone(),
            others: panics.len() - 1,
        }),
    }
}

/// Clears a pacer's flag when its cycle ends, however it ends.
struct PacingGuard<'p>(&'p Pacer);

impl Drop for PacingGuard<'_> {
    fn drop(&mut self) {
        self.0.pacing.store(false, Ordering::Release);
    }
}

/// The pacer's check, on the allocating paths: starts a cycle when the bytes `mem`
/// holds passed its goal. Call it with no lock of `mem` held.
#[inline]
pub(crate) fn pace(ctx: &Context, mem: &MemoryState) {
    if mem.memory_in_use() as u64 > mem.pacer().goal() {
        pace_slow(ctx, mem);
    }
}

#[cold]
fn pace_slow(ctx: &Context, mem: &MemoryState) {
    // One pacer cycle at a time per context; a thread that finds one running goes on.
    let pacer = mem.pacer();
    if pacer.pacing.swap(true, Ordering::Acquire) {
        return;
    }
    let _guard = PacingGuard(pacer);
    if mem.memory_in_use() as u64 > pacer.goal() {
        // Collectors' panics are contained by the cycle; an allocation does not fail for them.
        let _ = run_cycle(Some(ctx));
    }
}

#[native("memory.gc.run")]
pub fn run(ctx: &Context) -> Result<(), MemoryError> {
    run_cycle_reporting(ctx)
}

#[native("memory.gc.setPercent")]
pub fn set_percent_native(mem: &MemoryState, pct: i64) -> i64 {
    mem.set_gc_percent(pct)
}

#[native("memory.gc.freeOSMemory")]
pub fn free_os_memory(ctx: &Context, mem: &MemoryState) -> Result<(), MemoryError> {
    if !mem.allows_process_wide() {
        return Err(MemoryError::ProcessWideRefused {
            operation: "hand memory back to the OS (it trims the allocator of the whole process)",
        });
    }
    let cycle = run_cycle_reporting(ctx);
    alloc::release_to_os();
    cycle
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_goal_grows_by_the_percentage_above_a_floor() {
        assert_eq!(goal_for(0, 100), MIN_GOAL);
        assert_eq!(goal_for(10 << 20, 100), 20 << 20);
        assert_eq!(goal_for(10 << 20, 50), 15 << 20);
        assert_eq!(goal_for(10 << 20, -1), u64::MAX);
        assert_eq!(goal_for(u64::MAX, 100), u64::MAX);
    }
}
