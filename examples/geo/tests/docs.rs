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
fn the_page_lists_every_function_with_its_spec_signature() {
    let rows: Vec<&str> = GEO_SPEC
        .markdown
        .lines()
        .filter(|l| l.starts_with("| `"))
        .collect();
    assert_eq!(
        rows,
        [
            "| `dist2` | `geo.point.dist2(x: int, y: int) → int` | Squared distance from the origin to (x, y); an error when it does not fit an int |",
            "| `label` | `geo.point.label(x: int, y: int) → string` | The point as text, with the context's prefix, e.g. `P(3, 4)` |",
            "| `labels` | `geo.stats.labels() → int` | How many labels this context has made |",
        ]
    );
}
