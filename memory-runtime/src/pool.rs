//! `memory.pool`: string interning pools, and the five natives over them.

use std::cmp::Ordering;
use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

use goost_bind::{Context, Error, ScriptString, native};

use crate::budget::Budget;
use crate::error::MemoryError;
use crate::footprint;
use crate::gc;
use crate::handle::HandleKind;
use crate::state::{MemoryState, Object};

/// A pool handle as a script passes it (an `int`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PoolId(pub i64);
crate::handle_newtype!(PoolId);

/// A set of interned strings. Each entry is a [`ScriptString`], one word in the table: `intern`
/// hands out clones of it, so equal strings share one allocation, and handed-out strings
/// outlive the pool.
/// The table hashes each string once per `intern` (a miss finds the slot and inserts
/// with the same hash).
pub struct Pool {
    entries: HashTable<ScriptString>,
    hasher: DefaultHashBuilder,
    held: usize,
}

impl Default for Pool {
    /// An empty pool, holding only itself ([`footprint::POOL_BYTES`]).
    fn default() -> Self {
        Pool {
            entries: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
            held: footprint::POOL_BYTES,
        }
    }
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("len", &self.entries.len())
            .field("held", &self.held)
            .finish()
    }
}

impl Pool {
    /// The pooled copy of `text`, adding it if new. Adding charges `budget` the string's
    /// allocation and, when the table must grow, its growth
    /// ([`footprint::pool_entry_bytes`], [`footprint::pool_table_bytes`]); past the limit
    /// it fails and changes nothing.
    pub fn intern(&mut self, text: &[u8], budget: &Budget) -> Result<ScriptString, Error> {
        let hash = self.hasher.hash_one(text);
        if let Some(pooled) = self.find(hash, text) {
            return Ok(ScriptString::clone(pooled));
        }
        let len = self.entries.len();
        let table_before = footprint::pool_table_bytes_at_capacity(self.entries.capacity());
        let table_expected = footprint::pool_table_bytes(len + 1).max(table_before);
        let cost = footprint::pool_entry_bytes(text.len()) + (table_expected - table_before);
        budget.try_charge(cost)?;
        let hasher = &self.hasher;
        let rehash = |entry: &ScriptString| hasher.hash_one(entry.as_bytes());
        if self.entries.try_reserve(1, rehash).is_err() {
            budget.release(cost);
            return Err(MemoryError::OutOfMemory { requested: cost }.into());
        }
        // The table grows as `pool_table_bytes` says; should it ever grow otherwise, the
        // charge follows what it really took.
        let table_after = footprint::pool_table_bytes_at_capacity(self.entries.capacity());
        let charged = match table_after.cmp(&table_expected) {
            Ordering::Equal => cost,
            Ordering::Greater => {
                budget.force_charge(table_after - table_expected);
                cost + (table_after - table_expected)
            }
            Ordering::Less => {
                budget.release(table_expected - table_after);
                cost - (table_expected - table_after)
            }
        };
        let pooled = ScriptString::from_bytes(text);
        self.entries
            .insert_unique(hash, ScriptString::clone(&pooled), rehash);
        self.held += charged;
        Ok(pooled)
    }

    /// The pooled copy of `text`, if it is interned.
    #[inline]
    pub fn get(&self, text: &[u8]) -> Option<&ScriptString> {
        self.find(self.hasher.hash_one(text), text)
    }

    /// The entry equal to `text`, whose hash is `hash`.
    #[inline]
    fn find(&self, hash: u64, text: &[u8]) -> Option<&ScriptString> {
        self.entries.find(hash, |entry| entry.as_bytes() == text)
    }

    /// Whether `text` is interned.
    pub fn contains(&self, text: &[u8]) -> bool {
        self.get(text).is_some()
    }

    /// Number of interned strings.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes charged to the context for this pool: itself, its strings and its table.
    pub fn held(&self) -> usize {
        self.held
    }
}

#[native("memory.pool.new")]
pub fn new(mem: &MemoryState) -> Result<PoolId, Error> {
    mem.insert(Object::Pool(Box::default())).map(PoolId)
}

#[native("memory.pool.intern")]
#[inline]
pub fn intern(
    ctx: &Context,
    mem: &MemoryState,
    id: PoolId,
    s: &[u8],
) -> Result<ScriptString, Error> {
    // A hit allocates nothing and makes no call: a live pool whose slot no other thread
    // holds, with `s` in it. Anything else goes the full way.
    if let Some(Some(pooled)) = mem.try_with(id.0, |pool: &mut Pool| pool.get(s).cloned()) {
        return Ok(pooled);
    }
    intern_in_full(ctx, mem, id, s)
}

/// `intern` when the fast path found nothing (it changed nothing): waits for the slot,
/// adds the string within the limit, or names what is wrong with the handle. Not marked
/// cold: a script that builds a pool misses on every new string.
#[inline(never)]
fn intern_in_full(
    ctx: &Context,
    mem: &MemoryState,
    id: PoolId,
    s: &[u8],
) -> Result<ScriptString, Error> {
    let pooled = mem.with_waiting(id.0, |pool: &mut Pool| pool.intern(s, mem.budget()))??;
    gc::pace(ctx, mem);
    Ok(pooled)
}

#[native("memory.pool.has")]
pub fn has(mem: &MemoryState, id: PoolId, s: &[u8]) -> Result<bool, Error> {
    mem.with(id.0, |pool: &mut Pool| pool.contains(s))
}

#[native("memory.pool.size")]
pub fn size(mem: &MemoryState, id: PoolId) -> Result<i64, Error> {
    mem.with(id.0, |pool: &mut Pool| pool.len() as i64)
}

#[native("memory.pool.free")]
pub fn free(mem: &MemoryState, id: PoolId) -> Result<(), Error> {
    mem.free(id.0, HandleKind::Pool)
}
