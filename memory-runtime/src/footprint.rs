//! What the memory limit charges: the heap bytes each part of a context's buffers and
//! pools really occupies, so that what a context is charged tracks the heap the process
//! holds for it (RELIABILITY.md has the measured agreement).
//!
//! | part | charged | when |
//! |---|---|---|
//! | a buffer's bytes | [`heap_block`] of its capacity | as it grows; given back when it is freed |
//! | a pool | [`heap_block`] of the pool itself ([`POOL_BYTES`]) | at `new`; given back when it is freed |
//! | a pooled string | [`pool_entry_bytes`]: its shared allocation | when it is added; given back with its pool |
//! | a pool's hash table | [`pool_table_bytes`] for its number of strings | as it grows; given back with its pool |
//! | the handle table | [`slot_table_bytes`] for its number of slots | as it grows; kept until the context is dropped |
//!
//! The handle table never shrinks: a freed object's slot keeps its generation (so old
//! handles stay stale) and is reused by the next object. It grows in blocks of doubling
//! size, so its charge rises in steps: the first object of a context is charged the first
//! block of 32 slots.
//!
//! Block sizes are those of glibc's allocator on 64-bit targets. Other allocators round
//! differently (jemalloc has no header word), so there the charge is a close estimate.

use std::mem::size_of;

/// Bytes the heap takes for a block of `size` bytes: the size plus a one-word header,
/// rounded up to 16 bytes, at least 32 (glibc's malloc on 64-bit targets). 0 for 0:
/// nothing is allocated then.
pub const fn heap_block(size: usize) -> usize {
    if size == 0 {
        return 0;
    }
    let with_header = size.saturating_add(size_of::<usize>());
    let rounded = with_header.saturating_add(15) & !15;
    if rounded < 32 { 32 } else { rounded }
}

/// Bytes a new, empty pool takes: its boxed struct (the hash table allocates nothing
/// until the first string).
pub const POOL_BYTES: usize = heap_block(size_of::<crate::pool::Pool>());

/// Bytes one pooled string of `len` bytes takes: its shared allocation (its count, its
/// length and the bytes).
pub const fn pool_entry_bytes(len: usize) -> usize {
    heap_block(len.saturating_add(goost_bind::ScriptString::HEADER_BYTES))
}

/// Bytes a pool's hash table takes while it holds `entries` strings: the fewest buckets
/// (a power of two, at least 4) whose capacity (7/8 of them from 8 buckets on, one less
/// below) holds them, each a one-word pointer and a control byte, plus a group of 16
/// trailing control bytes. 0 for an empty pool.
pub const fn pool_table_bytes(entries: usize) -> usize {
    if entries == 0 {
        return 0;
    }
    let mut buckets: usize = 4;
    while table_capacity(buckets) < entries {
        buckets = match buckets.checked_mul(2) {
            Some(more) => more,
            None => return usize::MAX,
        };
    }
    table_block(buckets)
}

/// Bytes a pool's hash table takes when its capacity is `capacity` (as the table reports
/// it): the same figure as [`pool_table_bytes`], from the table itself.
pub(crate) const fn pool_table_bytes_at_capacity(capacity: usize) -> usize {
    if capacity == 0 {
        return 0;
    }
    let buckets = if capacity < 8 {
        capacity + 1
    } else {
        capacity / 7 * 8
    };
    table_block(buckets)
}

/// Strings a table of `buckets` buckets holds before it grows.
const fn table_capacity(buckets: usize) -> usize {
    if buckets < 8 {
        buckets - 1
    } else {
        buckets / 8 * 7
    }
}

/// The heap block of a table of `buckets` buckets.
const fn table_block(buckets: usize) -> usize {
    const GROUP: usize = 16;
    let data = (buckets.saturating_mul(size_of::<usize>()) + GROUP - 1) & !(GROUP - 1);
    heap_block(data.saturating_add(buckets).saturating_add(GROUP))
}

/// Bytes one slot of the handle table takes: the slot (its lock, generation and object)
/// and the table's flag beside it.
pub const SLOT_BYTES: usize = crate::handle::slot_bytes::<crate::state::Object>();

/// Slots in the handle table's first block; each later block is twice the one before.
const FIRST_BLOCK_SLOTS: usize = 32;

/// Bytes the handle table takes once it holds `slots` slots: every block it has
/// allocated by then. A block is allocated with the first slot of the table, and each
/// later one ahead of time, when the block before it is 7/8 full.
pub const fn slot_table_bytes(slots: usize) -> usize {
    table_blocks_bytes(slots, SLOT_BYTES)
}

/// [`slot_table_bytes`] for a table whose slots take `slot_bytes` bytes each.
pub(crate) const fn table_blocks_bytes(slots: usize, slot_bytes: usize) -> usize {
    if slots == 0 {
        return 0;
    }
    let mut bytes = heap_block(FIRST_BLOCK_SLOTS * slot_bytes);
    let (mut start, mut len) = (0usize, FIRST_BLOCK_SLOTS);
    // Block `b` holds `32 << b` slots; storing the slot 7/8 into it allocates block b+1.
    while start + (len - len / 8) < slots {
        bytes += heap_block((2 * len).saturating_mul(slot_bytes));
        start += len;
        len *= 2;
    }
    bytes
}

/// Bytes a table whose slots take `slot_bytes` bytes each allocates when it first stores
/// slot `index` (0 for most slots).
pub(crate) const fn slot_table_growth(index: usize, slot_bytes: usize) -> usize {
    if index == 0 {
        return heap_block(FIRST_BLOCK_SLOTS * slot_bytes);
    }
    let (block_len, offset) = block_of(index);
    if offset == block_len - block_len / 8 {
        heap_block((2 * block_len).saturating_mul(slot_bytes))
    } else {
        0
    }
}

/// The length of the block holding slot `index`, and the slot's offset in it (block `b`
/// holds `32 << b` slots and starts at slot `32 * (2^b - 1)`).
const fn block_of(index: usize) -> (usize, usize) {
    let inner = index + FIRST_BLOCK_SLOTS;
    let block_len = 1 << (usize::BITS - 1 - inner.leading_zeros());
    (block_len, inner - block_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heap_blocks_round_as_glibc_does() {
        assert_eq!(heap_block(0), 0);
        assert_eq!(heap_block(1), 32);
        assert_eq!(heap_block(24), 32);
        assert_eq!(heap_block(25), 48);
        assert_eq!(heap_block(64), 80);
        assert_eq!(heap_block(usize::MAX), usize::MAX & !15);
    }

    #[test]
    fn a_pool_table_grows_in_powers_of_two_at_seven_eighths() {
        assert_eq!(pool_table_bytes(0), 0);
        // 4 buckets: 32 bytes of pointers, 4 + 16 control bytes.
        assert_eq!(pool_table_bytes(1), heap_block(32 + 4 + 16));
        assert_eq!(pool_table_bytes(3), pool_table_bytes(1));
        assert_eq!(pool_table_bytes(4), heap_block(64 + 8 + 16));
        assert_eq!(pool_table_bytes(14), heap_block(128 + 16 + 16));
        assert_eq!(pool_table_bytes(15), heap_block(256 + 32 + 16));
        for capacity in [3, 7, 14, 28, 56, 896] {
            assert_eq!(
                pool_table_bytes_at_capacity(capacity),
                pool_table_bytes(capacity)
            );
        }
    }

    #[test]
    fn the_slot_table_allocates_its_blocks_where_its_growth_says() {
        let mut bytes = 0;
        for slots in 0..5_000 {
            assert_eq!(slot_table_bytes(slots), bytes, "{slots} slots");
            bytes += slot_table_growth(slots, SLOT_BYTES);
        }
        // The first block, then the second allocated 7/8 into the first.
        assert_eq!(slot_table_bytes(1), heap_block(32 * SLOT_BYTES));
        assert_eq!(slot_table_bytes(28), heap_block(32 * SLOT_BYTES));
        assert_eq!(
            slot_table_bytes(29),
            heap_block(32 * SLOT_BYTES) + heap_block(64 * SLOT_BYTES)
        );
    }
}
