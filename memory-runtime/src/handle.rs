//! Handles and the generational store behind them.
//!
//! # Encoding
//!
//! A handle is a positive `i64`: bits 0..32 hold the slot index plus one (so the first
//! handle issued is `1` and no handle is `0`), bits 32..63 hold the slot's generation
//! (31 bits; bit 63 stays clear, so handles are always positive). Freeing an object bumps
//! its slot's generation, so an old handle to a reused slot carries an older generation and
//! is reported as freed, never resolved to the new object.
//!
//! # Generation wrap
//!
//! A slot whose generation reaches 2³¹ − 1 is retired when that object is freed: it is
//! never reused, so no handle is ever revived. The cost is one slot (about 24 bytes) per
//! 2³¹ frees of the same slot.
//!
//! # Why not `slotmap`
//!
//! `slotmap`'s keys work the same way, but a stale key and a key never issued look alike
//! through its API, and our errors tell them apart ("was freed" vs "never issued"); and
//! a slotmap needs one lock around the whole map, where [`SlotTable`] finds a slot
//! without a lock (on `boxcar`'s append-only vector) and locks only that slot.
//!
//! # Why a spin lock per slot
//!
//! Every native takes one slot lock, so its cost is on every call. A
//! [`spin::mutex::SpinMutex`] takes one atomic compare-and-swap to lock and a plain
//! release store to unlock; a parking mutex takes a second locked instruction to unlock,
//! because it must find out whether a waiter is parked. Most critical sections are short (one hash-table probe, a small
//! write), but a read of a large buffer copies it under the lock: a waiter spins briefly,
//! then sleeps in pauses that grow to a millisecond (the `wait` module), so it does not
//! burn a core, and it wakes within a millisecond of the release. After `fork`, a slot
//! held by a thread the child does not have is reported ([`StaleHandle::HeldAcrossFork`]),
//! never waited for forever.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::free_list::FreeList;
use crate::wait;

/// The lock around each slot and the shared free list (see the module docs). Taken with
/// `try_lock`, and waited for through the `wait` module, never with its own spinning
/// `lock`.
pub(crate) type Lock<T> = spin::mutex::SpinMutex<T, spin::relax::Spin>;
pub(crate) type LockGuard<'a, T> = spin::mutex::SpinMutexGuard<'a, T>;

/// Which kind of object a handle names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HandleKind {
    /// A `memory.buffer` handle.
    Buffer,
    /// A `memory.pool` handle.
    Pool,
}

impl fmt::Display for HandleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HandleKind::Buffer => "buffer",
            HandleKind::Pool => "pool",
        })
    }
}

/// Why a handle did not resolve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaleHandle {
    /// Zero or negative.
    NotAHandle,
    /// Positive, but this store never issued it.
    NeverIssued,
    /// Issued, then freed.
    Freed,
    /// Its object was in use by a thread when this process was forked from another, and
    /// that thread does not exist here: the object can never be reached in this process.
    HeldAcrossFork,
}

/// The largest generation a slot reaches; the slot is retired when that object is freed.
pub const MAX_GENERATION: u32 = (1 << 31) - 1;

/// The generation of a retired slot: above every encodable generation, so each of the
/// slot's old handles reads as freed.
const RETIRED: u32 = u32::MAX;

struct Slot<T> {
    generation: u32,
    value: Option<T>,
}

/// A generational table of `T` addressed by `i64` handles, safe to share between
/// threads.
///
/// Slots live in a [`boxcar::Vec`]: finding a slot is a few plain loads, lock-free, and
/// slots never move. Each slot has its own lock, taken for the whole of an operation on
/// its object, so two operations on one object never interleave, and operations on
/// different objects never wait for each other. Freed slot indices are reused with the next
/// generation, a thread's own recently freed ones first (the `free_list` module).
pub struct SlotTable<T> {
    slots: boxcar::Vec<Lock<Slot<T>>>,
    /// Held while a new slot is added, so each addition knows its slot's index (and
    /// what the table allocates for it) before anything is stored.
    growing: Lock<()>,
    free: FreeList,
    /// Slots retired at the last generation (rare): live = slots - free - retired.
    retired: AtomicUsize,
}

impl<T> Default for SlotTable<T> {
    fn default() -> Self {
        SlotTable {
            slots: boxcar::Vec::new(),
            growing: Lock::new(()),
            free: FreeList::default(),
            retired: AtomicUsize::new(0),
        }
    }
}

/// Bytes one slot of a table of `T` takes: the slot and the flag `boxcar` keeps beside it.
pub(crate) const fn slot_bytes<T>() -> usize {
    std::mem::size_of::<(Lock<Slot<T>>, std::sync::atomic::AtomicBool)>()
}

/// Why [`SlotTable::insert`] stored nothing.
#[derive(Debug, PartialEq, Eq)]
pub enum InsertRefused<E> {
    /// Every slot index (2³² − 1 of them) is live or retired.
    Full,
    /// The payment for the object (and the table's growth) was refused with this.
    Unpaid(E),
    /// The table was being grown by a thread when this process was forked from another,
    /// and that thread does not exist here: no slot can be added in this process.
    HeldAcrossFork,
}

fn encode(index: u32, generation: u32) -> i64 {
    (i64::from(generation) << 32) | (i64::from(index) + 1)
}

/// `(index, generation)` of a positive handle, or `None` if its low half is zero.
fn decode(handle: i64) -> Option<(u32, u32)> {
    let low = (handle & 0xFFFF_FFFF) as u32;
    let generation = (handle >> 32) as u32;
    low.checked_sub(1).map(|index| (index, generation))
}

/// Whether a slot at `slot_generation` holding something (`occupied`) is what a handle
/// of `generation` names.
fn judge(generation: u32, slot_generation: u32, occupied: bool) -> Result<(), StaleHandle> {
    if generation < slot_generation {
        // Freed at least once since: the slot moved past this generation (a retired
        // slot sits at RETIRED, past every generation).
        return Err(StaleHandle::Freed);
    }
    if generation > slot_generation || !occupied {
        // A later generation, or this one while vacant: not issued yet.
        return Err(StaleHandle::NeverIssued);
    }
    Ok(())
}

impl<T> SlotTable<T> {
    /// Number of live objects (derived, so `new` and `free` keep no shared counter).
    pub fn len(&self) -> usize {
        let free = self.free.len();
        self.slots
            .count()
            .saturating_sub(free)
            .saturating_sub(self.retired.load(Ordering::Relaxed))
    }

    /// Whether the table holds no live object.
    #[cfg_attr(
        not(feature = "internals"),
        expect(dead_code, reason = "the pair of `len`, for the `internals` API")
    )]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stores `value` and returns its new handle. `pay` is called first, once, with the
    /// bytes the table allocates for it (see [`footprint`](crate::footprint)): 0 when a
    /// freed slot is reused or the new slot fits a block the table has. If `pay` refuses,
    /// or every slot index (2³² − 1 of them) is live or retired, nothing is stored.
    #[inline]
    pub fn insert<E>(
        &self,
        value: T,
        pay: impl FnOnce(usize) -> Result<(), E>,
    ) -> Result<i64, InsertRefused<E>> {
        if let Some(index) = self.free.pop() {
            if let Some(slot) = self.slots.get(index as usize) {
                let Ok(mut slot) = wait::lock(slot) else {
                    // Held across a fork: this slot is lost to the process.
                    self.retired.fetch_add(1, Ordering::Relaxed);
                    return self.insert_new_slot(value, pay);
                };
                if let Err(refused) = pay(0) {
                    drop(slot);
                    self.release_index(index);
                    return Err(InsertRefused::Unpaid(refused));
                }
                slot.value = Some(value);
                return Ok(encode(index, slot.generation));
            }
        }
        self.insert_new_slot(value, pay)
    }

    /// [`SlotTable::insert`] when no freed slot is at hand: one addition at a time, so
    /// the new slot's index is known before it is stored.
    #[cold]
    fn insert_new_slot<E>(
        &self,
        value: T,
        pay: impl FnOnce(usize) -> Result<(), E>,
    ) -> Result<i64, InsertRefused<E>> {
        let _growing = wait::lock(&self.growing).map_err(|_| InsertRefused::HeldAcrossFork)?;
        let index = self.slots.count();
        if index >= u32::MAX as usize - 1 {
            return Err(InsertRefused::Full);
        }
        let growth = crate::footprint::slot_table_growth(index, slot_bytes::<T>());
        pay(growth).map_err(InsertRefused::Unpaid)?;
        let pushed = self.slots.push(Lock::new(Slot {
            generation: 0,
            value: Some(value),
        }));
        debug_assert_eq!(pushed, index, "slots are added one at a time");
        Ok(encode(index as u32, 0))
    }

    /// The slot `handle` points at (not locked, not yet judged), its index, and the
    /// handle's generation.
    #[inline]
    fn find(&self, handle: i64) -> Result<(&Lock<Slot<T>>, u32, u32), StaleHandle> {
        if handle <= 0 {
            return Err(StaleHandle::NotAHandle);
        }
        let (index, generation) = decode(handle).ok_or(StaleHandle::NeverIssued)?;
        let slot = self
            .slots
            .get(index as usize)
            .ok_or(StaleHandle::NeverIssued)?;
        Ok((slot, index, generation))
    }

    /// The locked slot `handle` names, while it holds that handle's object.
    #[inline]
    fn lock_live(&self, handle: i64) -> Result<(LockGuard<'_, Slot<T>>, u32), StaleHandle> {
        let (slot, index, generation) = self.find(handle)?;
        let slot = wait::lock(slot).map_err(|_| StaleHandle::HeldAcrossFork)?;
        judge(generation, slot.generation, slot.value.is_some())?;
        Ok((slot, index))
    }

    /// Runs `f` on the object behind `handle`, holding its slot's lock.
    #[inline]
    pub fn with<R>(&self, handle: i64, f: impl FnOnce(&mut T) -> R) -> Result<R, StaleHandle> {
        let (mut slot, _) = self.lock_live(handle)?;
        slot.value.as_mut().map(f).ok_or(StaleHandle::NeverIssued)
    }

    /// Runs `f` on the object behind `handle` if that needs no waiting: the handle is live
    /// and no other thread holds its slot at this moment. `None`, with `f` not run,
    /// otherwise. The fast path of a native: on `None` it goes the full way through
    /// [`SlotTable::with`], which waits for the lock and says what is wrong with the
    /// handle. Split this way, the fast path makes no call of its own, so the compiler
    /// keeps it in scratch registers (no saves and restores around it).
    #[inline]
    pub fn try_with<R>(&self, handle: i64, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        let (slot, _, generation) = self.find(handle).ok()?;
        let mut slot = slot.try_lock()?;
        judge(generation, slot.generation, slot.value.is_some()).ok()?;
        slot.value.as_mut().map(f)
    }

    /// Removes and returns the object behind `handle` if `keep` does not object to it
    /// (`keep` sees it first and may refuse with its own error, changing nothing).
    #[inline]
    pub fn remove_if<E>(
        &self,
        handle: i64,
        keep: impl FnOnce(&T) -> Result<(), E>,
    ) -> Result<Result<T, E>, StaleHandle> {
        let (mut slot, index) = self.lock_live(handle)?;
        if let Some(Err(refused)) = slot.value.as_ref().map(keep) {
            return Ok(Err(refused));
        }
        let Some(value) = slot.value.take() else {
            return Err(StaleHandle::NeverIssued);
        };
        let reusable = slot.generation < MAX_GENERATION;
        slot.generation = if reusable {
            slot.generation + 1
        } else {
            RETIRED
        };
        drop(slot);
        if reusable {
            self.release_index(index);
        } else {
            self.retired.fetch_add(1, Ordering::Relaxed);
        }
        Ok(Ok(value))
    }

    /// Puts a vacant slot's index on the free list (or retires it, should the list's
    /// lock have been lost in a fork).
    fn release_index(&self, index: u32) {
        if !self.free.push(index) {
            self.retired.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Gives back the free list's spare capacity (a GC cycle calls this). Slots are never
    /// dropped: their generations keep old handles stale.
    pub fn shrink(&self) {
        self.free.shrink();
    }

    #[cfg(test)]
    fn set_generation(&self, handle: i64, generation: u32) -> i64 {
        let (index, _) = decode(handle).unwrap();
        self.slots[index as usize].lock().generation = generation;
        encode(index, generation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<T: Copy>(table: &SlotTable<T>, handle: i64) -> Result<T, StaleHandle> {
        table.with(handle, |v| *v)
    }

    fn put<T>(table: &SlotTable<T>, value: T) -> Result<i64, InsertRefused<()>> {
        table.insert(value, |_| Ok(()))
    }

    fn remove<T>(table: &SlotTable<T>, handle: i64) -> Result<T, StaleHandle> {
        table
            .remove_if(handle, |_| Ok::<(), ()>(()))
            .map(|r| r.ok().unwrap())
    }

    #[test]
    fn first_handle_is_one_and_handles_count_up() {
        let table = SlotTable::default();
        assert_eq!(put(&table, 'a'), Ok(1));
        assert_eq!(put(&table, 'b'), Ok(2));
        assert_eq!(get(&table, 1), Ok('a'));
        assert_eq!(get(&table, 2), Ok('b'));
        assert_eq!(table.len(), 2);
    }

    #[test]
    fn a_refused_payment_stores_nothing_and_a_reused_slot_costs_nothing() {
        let table = SlotTable::default();
        let first_block = crate::footprint::heap_block(32 * slot_bytes::<u8>());
        assert_eq!(
            table.insert(1u8, Err),
            Err(InsertRefused::Unpaid(first_block))
        );
        assert_eq!(table.len(), 0);
        let mut paid = Vec::new();
        let h = table
            .insert(2u8, |bytes| {
                paid.push(bytes);
                Ok::<(), ()>(())
            })
            .unwrap();
        assert_eq!((h, paid.as_slice()), (1, [first_block].as_slice()));
        let free_of_charge = |bytes: usize| if bytes == 0 { Ok(()) } else { Err(bytes) };
        // Slots 1..28 fit the first block.
        for expected in 2..=28 {
            assert_eq!(table.insert(0, free_of_charge), Ok(expected));
        }
        assert_eq!(
            table.insert(0, free_of_charge),
            Err(InsertRefused::Unpaid(crate::footprint::heap_block(
                64 * slot_bytes::<u8>()
            )))
        );
        remove(&table, h).unwrap();
        // The freed slot is reused at no cost; a refusal leaves it free for the next.
        assert_eq!(table.insert(3, |_| Err(0)), Err(InsertRefused::Unpaid(0)));
        assert_eq!(table.insert(3, free_of_charge), Ok((1 << 32) | 1));
    }

    #[test]
    fn a_reused_slot_does_not_revive_the_old_handle() {
        let table = SlotTable::default();
        let old = put(&table, "old").unwrap();
        assert_eq!(remove(&table, old), Ok("old"));
        let new = put(&table, "new").unwrap();
        assert_eq!(new, (1 << 32) | 1);
        assert_eq!(get(&table, old), Err(StaleHandle::Freed));
        assert_eq!(remove(&table, old), Err(StaleHandle::Freed));
        assert_eq!(get(&table, new), Ok("new"));
    }

    #[test]
    fn tells_zero_negative_never_issued_and_freed_apart() {
        let table = SlotTable::default();
        let h = put(&table, ()).unwrap();
        assert_eq!(get(&table, 0), Err(StaleHandle::NotAHandle));
        assert_eq!(get(&table, -1), Err(StaleHandle::NotAHandle));
        assert_eq!(get(&table, i64::MIN), Err(StaleHandle::NotAHandle));
        assert_eq!(get(&table, 42), Err(StaleHandle::NeverIssued));
        assert_eq!(get(&table, 1 << 32), Err(StaleHandle::NeverIssued));
        assert_eq!(get(&table, (5 << 32) | 1), Err(StaleHandle::NeverIssued));
        assert_eq!(get(&table, i64::MAX), Err(StaleHandle::NeverIssued));
        remove(&table, h).unwrap();
        assert_eq!(get(&table, h), Err(StaleHandle::Freed));
        // The vacant slot's next generation was never issued.
        assert_eq!(get(&table, (1 << 32) | 1), Err(StaleHandle::NeverIssued));
    }

    #[test]
    fn try_with_runs_on_a_live_handle_and_gives_up_on_every_stale_one() {
        let table = SlotTable::default();
        let h = put(&table, 7).unwrap();
        assert_eq!(table.try_with(h, |v| *v * 6), Some(42));
        let stale = [0, -1, i64::MIN, 42, 1 << 32, (5 << 32) | 1, i64::MAX];
        for handle in stale {
            assert_eq!(
                table.try_with(handle, |_| panic!("ran on {handle}")),
                None::<()>
            );
        }
        remove(&table, h).unwrap();
        assert_eq!(
            table.try_with(h, |_| panic!("ran on a freed handle")),
            None::<()>
        );
        // The vacant slot's next generation was never issued.
        let next = (1 << 32) | 1;
        assert_eq!(
            table.try_with(next, |_| panic!("ran on a vacant slot")),
            None::<()>
        );
    }

    #[test]
    fn try_with_gives_up_without_waiting_while_another_holds_the_slot() {
        let table = SlotTable::default();
        let h = put(&table, String::from("held")).unwrap();
        let inner = table.with(h, |text| {
            text.push('!');
            // The slot is locked here, as by another thread: no wait, nothing run.
            table.try_with(h, |_| panic!("ran while the slot was held"))
        });
        assert_eq!(inner, Ok(None::<()>));
        assert_eq!(
            table.try_with(h, |text| text.clone()).as_deref(),
            Some("held!")
        );
    }

    #[test]
    fn a_slot_at_the_last_generation_is_retired_not_wrapped() {
        let table = SlotTable::default();
        let h = put(&table, 1).unwrap();
        let last = table.set_generation(h, MAX_GENERATION);
        assert_eq!(last, (i64::from(MAX_GENERATION) << 32) | 1);
        assert!(last > 0);
        assert_eq!(remove(&table, last), Ok(1));
        assert_eq!(get(&table, last), Err(StaleHandle::Freed));
        // The retired slot is not reused: the next object gets a fresh slot.
        assert_eq!(put(&table, 2), Ok(2));
        assert_eq!(get(&table, 1), Err(StaleHandle::Freed));
        assert_eq!(get(&table, last), Err(StaleHandle::Freed));
    }

    #[test]
    fn a_refused_removal_changes_nothing() {
        let table = SlotTable::default();
        let h = put(&table, 7).unwrap();
        assert_eq!(table.remove_if(h, |_| Err("kept")), Ok(Err("kept")));
        assert_eq!(get(&table, h), Ok(7));
        assert_eq!(table.len(), 1);
    }

    #[test]
    fn threads_inserting_and_removing_never_share_a_handle() {
        let table = SlotTable::default();
        std::thread::scope(|scope| {
            for t in 0..4u64 {
                let table = &table;
                scope.spawn(move || {
                    for i in 0..2_000u64 {
                        let h = put(table, t * 1_000_000 + i).unwrap();
                        assert_eq!(get(table, h), Ok(t * 1_000_000 + i));
                        if i % 2 == 0 {
                            assert_eq!(remove(table, h), Ok(t * 1_000_000 + i));
                            assert_eq!(get(table, h), Err(StaleHandle::Freed));
                        }
                    }
                });
            }
        });
        assert_eq!(table.len(), 4_000);
    }
}
