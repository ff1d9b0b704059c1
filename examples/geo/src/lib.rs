//! The tutorial module: `geo`, bound from its own spec (`spec/geo.spec`) with the
//! goost-memory binding generator, exactly as you would bind yours.
//!
//! 1. Write the spec: every function's signature and one-line description
//!    (`spec/geo.spec`; the format is documented in `goost_spec`).
//! 2. Write plain Rust functions and mark each with `#[native("geo.group.name")]`. The
//!    macro checks each against the spec at compile time (name, arity, parameter names,
//!    script types) and generates the glue.
//! 3. Module state: a `&GeoState` parameter is filled by the glue from the context the
//!    script runs in. The host gives each context its own (`Context::builder().state(..)`);
//!    a context without one gets a clear error naming the native and the type.
//! 4. Any host runs it: `goost_memory::host::run` (goost), `hosts::lua::install` (Lua),
//!    `hosts::rhai::install` (Rhai). The page `docs/geo.md` is generated from the spec.
//!
//! ```
//! use goost_memory::{Context, host};
//! use geo_module::GeoState;
//!
//! let ctx = Context::builder().state(GeoState::new((0, 0), "P")).build();
//! let mut out = Vec::new();
//! host::run("demo.goost", "import geo\nprint(geo.point.label(3, 4))\n", &ctx, &mut out)?;
//! assert_eq!(String::from_utf8(out).unwrap(), "P(3, 4)\n");
//! # Ok::<(), String>(())
//! ```

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use goost_memory::{
    Error, ModuleSpec, module_spec, native, spec_class, spec_enum, spec_methods, spec_record,
};

/// The spec of the `geo` module, compiled in: every signature, and the generated page.
pub static GEO_SPEC: ModuleSpec = module_spec!("geo");

/// What the `geo` module keeps for one context. The host provides it; it has no default,
/// so a context the host did not give one cannot run `geo` natives.
///
/// Natives may run on one context from several threads at once, so what they change is
/// an atomic (a `Mutex` would do as well).
#[derive(Debug)]
pub struct GeoState {
    origin: (i64, i64),
    prefix: String,
    labels: AtomicI64,
    /// `geo.Path` objects alive: each holds this and counts itself out when dropped.
    paths: Arc<AtomicI64>,
}

impl GeoState {
    /// A state whose distances are measured from `origin` and whose labels start with
    /// `prefix`.
    pub fn new(origin: (i64, i64), prefix: impl Into<String>) -> GeoState {
        GeoState {
            origin,
            prefix: prefix.into(),
            labels: AtomicI64::new(0),
            paths: Arc::new(AtomicI64::new(0)),
        }
    }
}

#[native("geo.point.dist2")]
pub fn dist2(geo: &GeoState, x: i64, y: i64) -> Result<i64, Error> {
    let (ox, oy) = geo.origin;
    let dx = x.checked_sub(ox);
    let dy = y.checked_sub(oy);
    let squared = |d: i64| d.checked_mul(d);
    dx.and_then(squared)
        .zip(dy.and_then(squared))
        .and_then(|(a, b)| a.checked_add(b))
        .ok_or_else(|| {
            Error::msg(format!(
                "the squared distance from ({ox}, {oy}) to ({x}, {y}) does not fit an int"
            ))
        })
}

#[native("geo.point.label")]
pub fn label(geo: &GeoState, x: i64, y: i64) -> String {
    geo.labels.fetch_add(1, Ordering::Relaxed);
    format!("{}({x}, {y})", geo.prefix)
}

#[native("geo.stats.labels")]
pub fn labels(geo: &GeoState) -> i64 {
    geo.labels.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_natives_are_plain_functions() {
        let geo = GeoState::new((1, 1), "Q");
        assert_eq!(dist2(&geo, 4, 5), Ok(25));
        assert_eq!(label(&geo, 4, 5), "Q(4, 5)");
        assert_eq!(labels(&geo), 1);
        assert_eq!(
            dist2(&geo, i64::MAX, 0).unwrap_err().to_string(),
            "the squared distance from (1, 1) to (9223372036854775807, 0) does not fit an int"
        );
    }
}

/// A point on the plane, in metres: the spec's record `geo.Point`. Scripts pass and get it
/// as a map of its fields (`{x: 1.0, y: 2.0}` in goost, a table in Lua, `#{..}` in Rhai).
#[spec_record("geo.Point")]
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Metres east of the origin.
    pub x: f64,
    /// Metres north of the origin.
    pub y: f64,
    /// What the point is called.
    pub label: Option<String>,
}

/// A unit of length: the spec's enum `geo.Unit`, passed as `"m"`, `"km"` or `"mi"`.
#[spec_enum("geo.Unit")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Metres.
    M,
    /// Kilometres.
    Km,
    /// Miles (1,609.344 m).
    Mi,
}

impl Unit {
    /// How many metres one of this unit is.
    pub fn metres(self) -> f64 {
        match self {
            Unit::M => 1.0,
            Unit::Km => 1000.0,
            Unit::Mi => 1609.344,
        }
    }
}

#[native("geo.point.mid")]
pub fn mid(a: Point, b: Point) -> Point {
    Point {
        x: (a.x + b.x) / 2.0,
        y: (a.y + b.y) / 2.0,
        label: None,
    }
}

#[native("geo.point.dist")]
pub fn dist(a: Point, b: Point, unit: Option<Unit>) -> f64 {
    (a.x - b.x).hypot(a.y - b.y) / unit.unwrap_or(Unit::M).metres()
}

#[native("geo.point.count")]
pub fn count(points: Vec<Point>) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    for point in points {
        *counts.entry(point.label.unwrap_or_default()).or_insert(0) += 1;
    }
    counts
}

/// A named path of points: the spec's class `geo.Path`. A script holds it (`let p =
/// geo.path.new("trip")`) and calls its methods (`p.push(3.0, 4.0)`); it is dropped when
/// the last script value holding it goes. It changes through a `Mutex`, since one context
/// may run natives from several threads.
#[spec_class("geo.Path")]
#[derive(Debug)]
pub struct Path {
    name: String,
    points: Mutex<Vec<(f64, f64)>>,
    alive: Arc<AtomicI64>,
}

impl Drop for Path {
    fn drop(&mut self) {
        self.alive.fetch_sub(1, Ordering::Relaxed);
    }
}

#[spec_methods("geo.Path")]
impl Path {
    /// Appends the point; the number of points.
    pub fn push(&self, x: f64, y: f64) -> i64 {
        let mut points = self.points.lock().unwrap_or_else(|p| p.into_inner());
        points.push((x, y));
        points.len() as i64
    }

    /// The sum of the segment lengths.
    pub fn length(&self) -> f64 {
        let points = self.points.lock().unwrap_or_else(|p| p.into_inner());
        points
            .windows(2)
            .map(|pair| (pair[1].0 - pair[0].0).hypot(pair[1].1 - pair[0].1))
            .sum()
    }

    /// The path's name.
    pub fn name(&self) -> String {
        self.name.clone()
    }
}

#[native("geo.path.new")]
pub fn new_path(geo: &GeoState, name: String) -> Path {
    geo.paths.fetch_add(1, Ordering::Relaxed);
    Path {
        name,
        points: Mutex::new(Vec::new()),
        alive: Arc::clone(&geo.paths),
    }
}

#[native("geo.stats.paths")]
pub fn paths(geo: &GeoState) -> i64 {
    geo.paths.load(Ordering::Relaxed)
}
