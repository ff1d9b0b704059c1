//! Everything generated from `spec/geo.spec` (the pages under `docs/`, the definition
//! files under `defs/`) is committed and must not go stale.
//! `GOOST_BLESS=1 cargo test -p geo-module --test docs` rewrites them.

use std::path::Path;

use geo_module::GEO_SPEC;
use goost_memory::docs::{self, DocsState};

#[test]
fn every_generated_file_of_the_geo_module_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("GOOST_BLESS").is_some() {
        docs::write_all(&GEO_SPEC, root).expect("docs/ and defs/ are writable");
    }
    assert_eq!(
        docs::check_all(&GEO_SPEC, root),
        Vec::<(std::path::PathBuf, DocsState)>::new(),
        "examples/geo's generated files are stale: rerun with GOOST_BLESS=1"
    );
}

#[test]
fn the_page_lists_every_function_field_and_value_with_its_spec_text() {
    let rows: Vec<&str> = GEO_SPEC
        .markdown
        .lines()
        .filter(|l| l.starts_with("| `"))
        .collect();
    assert_eq!(
        rows,
        [
            "| `new` | `geo.path.new(name: string) → geo.Path` | A new, empty path |",
            "| `dist2` | `geo.point.dist2(x: int, y: int) → int` | Squared distance from the origin to (x, y); an error when it does not fit an int |",
            "| `label` | `geo.point.label(x: int, y: int) → string` | The point as text, with the context's prefix, e.g. `P(3, 4)` |",
            "| `mid` | `geo.point.mid(a: geo.Point, b: geo.Point) → geo.Point` | The midpoint of `a` and `b`, without a label |",
            "| `dist` | `geo.point.dist(a: geo.Point, b: geo.Point, unit: geo.Unit?) → float` | The distance from `a` to `b` in `unit` (metres when left out) |",
            "| `count` | `geo.point.count(points: list<geo.Point>) → map<int>` | How many points carry each label (points without one count under `\"\"`) |",
            "| `labels` | `geo.stats.labels() → int` | How many labels this context has made |",
            "| `paths` | `geo.stats.paths() → int` | How many `geo.Path` objects of this context are alive |",
            "| `push` | `geo.Path.push(x: float, y: float) → int` | Appends the point (x, y); the number of points |",
            "| `length` | `geo.Path.length() → float` | The sum of the segment lengths |",
            "| `name` | `geo.Path.name() → string` | The path's name |",
            "| `x` | `float` | Metres east of the origin |",
            "| `y` | `float` | Metres north of the origin |",
            "| `label` | `string?` | What the point is called (may be left out) |",
            "| `\"m\"` | Metres |",
            "| `\"km\"` | Kilometres |",
            "| `\"mi\"` | Miles (1 mi = 1609.344 m) |",
        ]
    );
}
