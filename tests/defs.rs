//! Every generated artifact of the memory module is committed and fresh, and each
//! definition file is what the engine's own tools make of it.

use std::path::{Path, PathBuf};

use goost_memory::docs::{self, DocsState};
use goost_memory::hosts::rhai::{WRONG_COUNT_COMMENT, rhai};
use goost_memory::{Context, MEMORY_SPEC};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_artifact_of_the_memory_module_is_committed_and_fresh() {
    let stale = docs::check_all(&MEMORY_SPEC, root());
    assert_eq!(
        stale,
        Vec::<(PathBuf, DocsState)>::new(),
        "regenerate with `cargo run -- docs`, then `cargo run -- defs lua` (and `rhai`, `json`)"
    );
}

/// The lines of a Rhai definition text without blank lines, each closing `}` on a line
/// of its own, and without the registrations that only answer a wrong argument count.
fn definition_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut skip_next_fn = false;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if line == WRONG_COUNT_COMMENT {
            skip_next_fn = true;
            continue;
        }
        let body = line.trim_end_matches('}');
        let closings = line.len() - body.len();
        if std::mem::take(&mut skip_next_fn) {
            assert!(
                body.starts_with("fn ") || body.starts_with("op "),
                "a wrong-count entry is one line: {line}"
            );
        } else if !body.is_empty() {
            lines.push(body.to_string());
        }
        lines.extend(std::iter::repeat_n("}".to_string(), closings));
    }
    lines
}

#[test]
fn the_rhai_definitions_are_what_rhai_prints_for_the_bridges_typed_registration() {
    let mut engine = rhai::Engine::new();
    goost_memory::hosts::rhai::install(&mut engine, Context::builder().build());
    let printed: Vec<(String, String)> = engine.definitions().modules().collect();
    let memory = printed
        .iter()
        .find(|(name, _)| name == "memory")
        .map(|(_, text)| text.as_str())
        .expect("the memory module is installed");
    let spec = MEMORY_SPEC.parsed().unwrap();
    let ours = goost_spec::defs_rhai::module_body(&spec, MEMORY_SPEC.path);
    assert_eq!(definition_lines(memory), definition_lines(&ours));
    // Spot-check the text a Rhai user sees.
    assert!(memory.contains("/// Append data to the buffer\nfn write(id: int, data: string) -> bool;"));
    assert!(memory.contains("/// Release the buffer\nfn free(id: int) -> ();"));
}
