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
//! through its API, and our errors tell them apart ("was freed" vs "never issued"); the
//! store is also the unit that the context's lock guards, so it stays small and plain.

use std::fmt;

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

/// A generational store of `T` addressed by `i64` handles. Not synchronised: the
/// context guards it with its lock.
pub struct HandleStore<T> {
    slots: Vec<Slot<T>>,
    /// Vacant slot indices, reused last-freed first.
    free: Vec<u32>,
    live: usize,
}

impl<T> Default for HandleStore<T> {
    fn default() -> Self {
        HandleStore {
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
        }
    }
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

impl<T> HandleStore<T> {
    /// Number of live objects.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether the store holds no live object.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Stores `value` and returns its new handle, or gives `value` back when every
    /// slot index (2³² − 1 of them) is live or retired.
    pub fn insert(&mut self, value: T) -> Result<i64, T> {
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            slot.value = Some(value);
            self.live += 1;
            return Ok(encode(index, slot.generation));
        }
        let Ok(index) = u32::try_from(self.slots.len()) else {
            return Err(value);
        };
        if index == u32::MAX {
            return Err(value);
        }
        self.slots.push(Slot {
            generation: 0,
            value: Some(value),
        });
        self.live += 1;
        Ok(encode(index, 0))
    }

    fn locate(&self, handle: i64) -> Result<(usize, u32), StaleHandle> {
        if handle <= 0 {
            return Err(StaleHandle::NotAHandle);
        }
        let (index, generation) = decode(handle).ok_or(StaleHandle::NeverIssued)?;
        let slot = self
            .slots
            .get(index as usize)
            .ok_or(StaleHandle::NeverIssued)?;
        if generation < slot.generation {
            // Freed at least once since: the slot has moved past this generation (a
            // retired slot sits at RETIRED, past every generation).
            return Err(StaleHandle::Freed);
        }
        if generation > slot.generation || slot.value.is_none() {
            // A later generation, or this one while vacant: not issued yet.
            return Err(StaleHandle::NeverIssued);
        }
        Ok((index as usize, generation))
    }

    /// The object behind `handle`.
    pub fn get(&self, handle: i64) -> Result<&T, StaleHandle> {
        let (index, _) = self.locate(handle)?;
        self.slots[index]
            .value
            .as_ref()
            .ok_or(StaleHandle::NeverIssued)
    }

    /// Removes and returns the object behind `handle`; the handle is stale from now on.
    pub fn remove(&mut self, handle: i64) -> Result<T, StaleHandle> {
        let (index, _) = self.locate(handle)?;
        let slot = &mut self.slots[index];
        let value = slot.value.take().ok_or(StaleHandle::NeverIssued)?;
        self.live -= 1;
        if slot.generation < MAX_GENERATION {
            slot.generation += 1;
            self.free.push(index as u32);
        } else {
            slot.generation = RETIRED;
        }
        Ok(value)
    }

    /// Every live object with its handle.
    pub fn iter(&self) -> impl Iterator<Item = (i64, &T)> {
        self.slots.iter().enumerate().filter_map(|(index, slot)| {
            slot.value
                .as_ref()
                .map(|value| (encode(index as u32, slot.generation), value))
        })
    }

    /// Gives back spare capacity of the slot table and the free list (a GC cycle calls
    /// this). Used slots are never dropped: their generations keep old handles stale.
    pub fn shrink(&mut self) {
        self.slots.shrink_to_fit();
        self.free.shrink_to_fit();
    }

    #[cfg(test)]
    fn set_generation(&mut self, handle: i64, generation: u32) -> i64 {
        let (index, _) = decode(handle).unwrap();
        self.slots[index as usize].generation = generation;
        encode(index, generation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_handle_is_one_and_handles_count_up() {
        let mut store = HandleStore::default();
        assert_eq!(store.insert('a'), Ok(1));
        assert_eq!(store.insert('b'), Ok(2));
        assert_eq!(store.get(1), Ok(&'a'));
        assert_eq!(store.get(2), Ok(&'b'));
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn a_reused_slot_does_not_revive_the_old_handle() {
        let mut store = HandleStore::default();
        let old = store.insert("old").unwrap();
        assert_eq!(store.remove(old), Ok("old"));
        let new = store.insert("new").unwrap();
        assert_eq!(new, (1 << 32) | 1);
        assert_eq!(store.get(old), Err(StaleHandle::Freed));
        assert_eq!(store.remove(old), Err(StaleHandle::Freed));
        assert_eq!(store.get(new), Ok(&"new"));
    }

    #[test]
    fn tells_zero_negative_never_issued_and_freed_apart() {
        let mut store = HandleStore::default();
        let h = store.insert(()).unwrap();
        assert_eq!(store.get(0), Err(StaleHandle::NotAHandle));
        assert_eq!(store.get(-1), Err(StaleHandle::NotAHandle));
        assert_eq!(store.get(i64::MIN), Err(StaleHandle::NotAHandle));
        assert_eq!(store.get(42), Err(StaleHandle::NeverIssued));
        assert_eq!(store.get(1 << 32), Err(StaleHandle::NeverIssued));
        assert_eq!(store.get((5 << 32) | 1), Err(StaleHandle::NeverIssued));
        assert_eq!(store.get(i64::MAX), Err(StaleHandle::NeverIssued));
        store.remove(h).unwrap();
        assert_eq!(store.get(h), Err(StaleHandle::Freed));
        // The vacant slot's next generation was never issued.
        assert_eq!(store.get((1 << 32) | 1), Err(StaleHandle::NeverIssued));
    }

    #[test]
    fn a_slot_at_the_last_generation_is_retired_not_wrapped() {
        let mut store = HandleStore::default();
        let h = store.insert(1).unwrap();
        let last = store.set_generation(h, MAX_GENERATION);
        assert_eq!(last, (i64::from(MAX_GENERATION) << 32) | 1);
        assert!(last > 0);
        assert_eq!(store.remove(last), Ok(1));
        assert_eq!(store.get(last), Err(StaleHandle::Freed));
        // The retired slot is not reused: the next object gets a fresh slot.
        assert_eq!(store.insert(2), Ok(2));
        assert_eq!(store.get(1), Err(StaleHandle::Freed));
        assert_eq!(store.get(last), Err(StaleHandle::Freed));
    }

    #[test]
    fn shrink_keeps_freed_slots_stale() {
        let mut store: HandleStore<u8> = HandleStore::default();
        let a = store.insert(1).unwrap();
        let b = store.insert(2).unwrap();
        store.remove(b).unwrap();
        store.shrink();
        assert_eq!(store.get(b), Err(StaleHandle::Freed));
        assert_eq!(store.get(a), Ok(&1));
        assert_eq!(
            store.iter().map(|(h, v)| (h, *v)).collect::<Vec<_>>(),
            [(1, 1)]
        );
    }
}
