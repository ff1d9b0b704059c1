//! `goost-memory docs`: `docs/memory.md` is generated from `spec/memory.spec`.
//!
//! The page is rendered at compile time by `module_spec!` (so it is always the text of
//! the spec this binary was built with); this module writes it or compares it.

use std::path::Path;

use goost_bind::ModuleSpec;

/// Where the generated page lives, relative to the repository root.
pub const DOCS_PATH: &str = "docs/memory.md";

/// How the page on disk compares with the spec.
#[derive(Debug, PartialEq, Eq)]
pub enum DocsState {
    /// The file holds exactly the generated page.
    Fresh,
    /// The file is missing.
    Missing,
    /// The file differs; the summary names the first differing line.
    Stale(String),
}

/// Compares the file at `path` with the page generated from `spec`.
pub fn check(spec: &ModuleSpec, path: &Path) -> DocsState {
    let Ok(on_disk) = std::fs::read_to_string(path) else {
        return DocsState::Missing;
    };
    if on_disk == spec.markdown {
        return DocsState::Fresh;
    }
    DocsState::Stale(diff_summary(&on_disk, spec.markdown))
}

/// The first differing line and the line counts, e.g.
/// `line 12 differs: file has "...", spec gives "..." (40 lines on disk, 41 generated)`.
pub fn diff_summary(on_disk: &str, generated: &str) -> String {
    let disk: Vec<&str> = on_disk.lines().collect();
    let wanted: Vec<&str> = generated.lines().collect();
    let first = disk
        .iter()
        .zip(&wanted)
        .position(|(a, b)| a != b)
        .unwrap_or(disk.len().min(wanted.len()));
    let show = |lines: &[&str]| {
        lines
            .get(first)
            .map_or("<end of file>".to_string(), |l| format!("{l:?}"))
    };
    format!(
        "line {} differs: file has {}, spec gives {} ({} lines on disk, {} generated)",
        first + 1,
        show(&disk),
        show(&wanted),
        disk.len(),
        wanted.len()
    )
}

/// Writes the generated page to `path`, creating its directory.
pub fn write(spec: &ModuleSpec, path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, spec.markdown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_names_the_first_differing_line() {
        assert_eq!(
            diff_summary("a\nb\nc\n", "a\nB\nc\n"),
            "line 2 differs: file has \"b\", spec gives \"B\" (3 lines on disk, 3 generated)"
        );
        assert_eq!(
            diff_summary("a\n", "a\nb\n"),
            "line 2 differs: file has <end of file>, spec gives \"b\" (1 lines on disk, 2 generated)"
        );
    }
}
