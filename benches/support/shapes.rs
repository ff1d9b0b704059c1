//! The module the conversion benchmarks bind (`benches/support/shapes.spec`): a two-field
//! record, in and out, alone and in a list, through the generator and (in each engine's
//! `records.rs`) by hand and through serde. Shared by the Lua and Rhai benches, which
//! include it by path.

use goost_bind::{native, spec_record};
use serde::{Deserialize, Serialize};

/// The record `shapes.Pair`; serde's derives serve the serde rows, the generator's
/// `#[spec_record]` the bridge rows.
#[spec_record("shapes.Pair", spec = "benches/support/shapes.spec")]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    pub x: f64,
    pub y: f64,
}

/// `p` with its fields swapped: the one function every binding in the benchmark calls.
pub fn swapped(p: Pair) -> Pair {
    Pair { x: p.y, y: p.x }
}

#[native("shapes.pair.swap", spec = "benches/support/shapes.spec")]
fn swap(p: Pair) -> Pair {
    swapped(p)
}

#[native("shapes.pair.swap_all", spec = "benches/support/shapes.spec")]
fn swap_all(ps: Vec<Pair>) -> Vec<Pair> {
    ps.into_iter().map(swapped).collect()
}
