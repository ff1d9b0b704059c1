//! `memory.pool`: string interning pools, and the five natives over them.

use std::sync::Arc;

use hashbrown::HashSet;

use crate::budget::Budget;
use crate::context::Object;
use crate::handle::HandleKind;
use crate::{Context, Error, ErrorKind, gc, native};

/// A pool handle as a script passes it (an `int`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PoolId(pub i64);
crate::handle_newtype!(PoolId);

/// Bytes charged per interned string beyond its length: the `Arc`'s two counters and
/// the table's fat pointer to it (4 words on 64-bit targets).
pub const ENTRY_OVERHEAD: usize = 4 * std::mem::size_of::<usize>();

/// A set of interned strings. Each entry is an `Arc<str>`: `intern` hands out clones of
/// it, so equal strings share one allocation, and handed-out strings outlive the pool.
#[derive(Debug, Default)]
pub struct Pool {
    entries: HashSet<Arc<str>>,
    held: usize,
}

impl Pool {
    /// The pooled copy of `text`, adding it if new. Adding charges
    /// `text.len() + ENTRY_OVERHEAD` bytes to `budget`, and fails past its limit.
    pub fn intern(&mut self, text: &str, budget: &Budget) -> Result<Arc<str>, Error> {
        if let Some(pooled) = self.entries.get(text) {
            return Ok(Arc::clone(pooled));
        }
        let cost = text.len() + ENTRY_OVERHEAD;
        budget.try_charge(cost)?;
        if self.entries.try_reserve(1).is_err() {
            budget.release(cost);
            return Err(ErrorKind::OutOfMemory { requested: cost }.into());
        }
        let pooled: Arc<str> = Arc::from(text);
        self.entries.insert(Arc::clone(&pooled));
        self.held += cost;
        Ok(pooled)
    }

    /// Whether `text` is interned.
    pub fn contains(&self, text: &str) -> bool {
        self.entries.contains(text)
    }

    /// Number of interned strings.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes charged to the context for this pool.
    pub fn held(&self) -> usize {
        self.held
    }
}

#[native("memory.pool.new")]
pub fn new(ctx: &Context) -> Result<PoolId, Error> {
    ctx.insert(Object::Pool(Box::default())).map(PoolId)
}

#[native("memory.pool.intern")]
pub fn intern(ctx: &Context, id: PoolId, s: &str) -> Result<Arc<str>, Error> {
    let pooled = ctx.with_pool(id.0, |pool| pool.intern(s, ctx.budget()))??;
    gc::pace(ctx);
    Ok(pooled)
}

#[native("memory.pool.has")]
pub fn has(ctx: &Context, id: PoolId, s: &str) -> Result<bool, Error> {
    ctx.with_pool(id.0, |pool| pool.contains(s))
}

#[native("memory.pool.size")]
pub fn size(ctx: &Context, id: PoolId) -> Result<i64, Error> {
    ctx.with_pool(id.0, |pool| pool.len() as i64)
}

#[native("memory.pool.free")]
pub fn free(ctx: &Context, id: PoolId) -> Result<(), Error> {
    ctx.free(id.0, HandleKind::Pool)
}
