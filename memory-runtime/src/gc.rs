//! GC hooks with Go's meaning, and the three `memory.gc` natives.
//!
//! A Rust host has no garbage collector, so a *cycle* here is: the runtime's own
//! reclamation (the calling context gives back its handle table's spare capacity),
//! then the collectors of that context ([`Context::register_collector`](goost_bind::Context::register_collector): a script
//! engine's own GC) and of the process ([`register_collector`]: a cache's eviction,
//! ...), then `numGC += 1`, and the pacer's next goal is set from the bytes held after
//! the cycle.
//!
//! # The pacer (GOGC)
//!
//! [`set_percent`] has `debug.SetGCPercent`'s meaning: default 100; a negative value
//! turns the automatic trigger off. The heap it watches is what this module controls:
//! the bytes held by every context's buffers and pools (see
//! [`MemoryContext::memory_in_use`]). A cycle starts by itself when that passes
//! `held_after_last_cycle * (1 + pct/100)`, and never below [`MIN_GOAL`] (Go's 4 MiB
//! floor). The check sits on the allocating paths (`buffer.new`, a `write` that grows
//! a buffer, an `intern` that adds) and is two atomic loads and a compare when no cycle
//! is due.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};

use goost_bind::{CollectorId, CollectorPanic, Collectors, Context, native};

use crate::alloc;
use crate::error::MemoryError;
use crate::state::MemoryContext;

/// The smallest heap goal: no automatic cycle starts below 4 MiB held.
pub const MIN_GOAL: u64 = 4 << 20;

/// The default GC percentage (`GOGC=100`).
pub const DEFAULT_PERCENT: i64 = 100;

static CYCLES: AtomicU64 = AtomicU64::new(0);
static PERCENT: AtomicI64 = AtomicI64::new(DEFAULT_PERCENT);
static GOAL: AtomicU64 = AtomicU64::new(MIN_GOAL);
/// Bytes held by all contexts' buffers and pools.
static HELD: AtomicUsize = AtomicUsize::new(0);
/// Set while the pacer's own cycle runs, so threads over the goal start one, not many.
static PACING: AtomicBool = AtomicBool::new(false);
/// Collectors of the whole process.
static PROCESS_COLLECTORS: Collectors = Collectors::new();

/// Registers `collector` to run in every cycle of the process (after the runtime's own
/// reclamation), on the thread that runs the cycle. It must not start a cycle itself.
/// A collector that belongs to one script's engine goes on its context instead:
/// [`Context::register_collector`](goost_bind::Context::register_collector).
pub fn register_collector(collector: impl Fn() + Send + Sync + 'static) -> CollectorId {
    PROCESS_COLLECTORS.register(collector)
}

/// Removes a process-wide collector; `false` if it was not registered.
pub fn unregister_collector(id: CollectorId) -> bool {
    PROCESS_COLLECTORS.unregister(id)
}

/// Completed cycles.
pub fn cycles() -> u64 {
    CYCLES.load(Ordering::Relaxed)
}

/// The current GC percentage.
pub fn percent() -> i64 {
    PERCENT.load(Ordering::Relaxed)
}

/// Bytes held by all contexts' buffers and pools (the pacer's heap).
pub fn held() -> u64 {
    HELD.load(Ordering::Relaxed) as u64
}

/// The held bytes at which the next automatic cycle starts (`u64::MAX`: never).
pub fn goal() -> u64 {
    GOAL.load(Ordering::Relaxed)
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

/// Sets the GC percentage and returns the previous one (`debug.SetGCPercent`).
pub fn set_percent(percent: i64) -> i64 {
    let previous = PERCENT.swap(percent, Ordering::Relaxed);
    GOAL.store(goal_for(held(), percent), Ordering::Relaxed);
    previous
}

/// Runs one cycle: `ctx`'s own reclamation and collectors (if given), every
/// process-wide collector, then counts it and sets the next goal. Cycles may overlap
/// (each is counted); no lock is held while collectors run.
///
/// A collector that panics does not stop the cycle: the others run, the cycle is counted
/// and the next goal set. The collectors that panicked are returned; `memory.gc.run()` and
/// `freeOSMemory` report the first as their error, the pacer (on an allocating path that
/// must not fail for it) drops the report.
pub fn run_cycle(ctx: Option<&Context>) -> Vec<CollectorPanic> {
    let mut panics = Vec::new();
    if let Some(ctx) = ctx {
        if let Some(mem) = ctx.memory() {
            mem.shrink();
        }
        panics.extend(ctx.run_collectors());
    }
    panics.extend(PROCESS_COLLECTORS.run_all());
    CYCLES.fetch_add(1, Ordering::Relaxed);
    GOAL.store(goal_for(held(), percent()), Ordering::Relaxed);
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

/// Clears the pacer's flag when its cycle ends, however it ends.
struct PacingGuard;

impl Drop for PacingGuard {
    fn drop(&mut self) {
        PACING.store(false, Ordering::Release);
    }
}

/// The pacer's check, on the allocating paths: starts a cycle when the held bytes
/// passed the goal. Call it with no lock of `ctx` held.
#[inline]
pub(crate) fn pace(ctx: &Context) {
    if held() > goal() {
        pace_slow(ctx);
    }
}

#[cold]
fn pace_slow(ctx: &Context) {
    // One pacer cycle at a time; a thread that finds one running goes on.
    if PACING.swap(true, Ordering::Acquire) {
        return;
    }
    let _guard = PacingGuard;
    if held() > goal() {
        // Collectors' panics are contained by the cycle; an allocation does not fail for them.
        let _ = run_cycle(Some(ctx));
    }
}

#[native("memory.gc.run")]
pub fn run(ctx: &Context) -> Result<(), MemoryError> {
    run_cycle_reporting(ctx)
}

#[native("memory.gc.setPercent")]
pub fn set_percent_native(pct: i64) -> i64 {
    set_percent(pct)
}

#[native("memory.gc.freeOSMemory")]
pub fn free_os_memory(ctx: &Context) -> Result<(), MemoryError> {
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
