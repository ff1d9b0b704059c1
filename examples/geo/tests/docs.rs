//! `docs/geo.md` is generated from `spec/geo.spec` and must not go stale.
//! `GOOST_BLESS=1 cargo test -p geo-module --test docs` rewrites it.

use std::path::Path;

use geo_module::GEO_SPEC;
use goost_memory::docs::{self, DocsState};

#[test]
fn docs_geo_md_is_the_page_generated_from_the_spec() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/geo.md");
    if std::env::var_os("GOOST_BLESS").is_some() {
        docs::write(&GEO_SPEC, &path).expect("docs/geo.md is writable");
    }
    assert_eq!(
        docs::check(&GEO_SPEC, &path),
        DocsState::Fresh,
        "examples/geo/docs/geo.md is stale: rerun with GOOST_BLESS=1"
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
