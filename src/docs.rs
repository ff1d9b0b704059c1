//! Everything generated from a module's spec, and the staleness check that keeps the
//! committed copies true: the reference page, the page of calls in each engine, the Lua
//! and Rhai definition files and the JSON metadata ([`Artifact`]).
//!
//! Each is rendered from the spec this binary was built with (`ModuleSpec::source`), or
//! from any spec file (`--spec PATH`); this module writes them or compares them with the
//! files on disk.

use std::path::{Path, PathBuf};

use goost_bind::{ModuleSpec, Registry};
use goost_spec::{Spec, defs_json, defs_lua, defs_rhai, markdown};

/// Where the memory module's reference page lives, relative to the repository root.
pub const DOCS_PATH: &str = "docs/memory.md";

/// One kind of generated file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Artifact {
    /// `docs/<module>.md`: the reference page, in the seed page's layout.
    Reference,
    /// `docs/<module>-engines.md`: every function in goost, Lua and Rhai call syntax.
    Engines,
    /// `defs/<module>.lua`: the LuaLS/EmmyLua `---@meta` definition file.
    LuaDefs,
    /// `defs/<module>.d.rhai`: the Rhai definition file.
    RhaiDefs,
    /// `defs/<module>.json`: the JSON metadata (schema in `defs/README.md`).
    Metadata,
}

impl Artifact {
    /// Every artifact, in the order the command writes them.
    pub const ALL: [Artifact; 5] = [
        Artifact::Reference,
        Artifact::Engines,
        Artifact::LuaDefs,
        Artifact::RhaiDefs,
        Artifact::Metadata,
    ];

    /// Where the artifact of `module` lives, relative to the module's root directory.
    pub fn path(self, module: &str) -> String {
        match self {
            Artifact::Reference => format!("docs/{module}.md"),
            Artifact::Engines => format!("docs/{module}-engines.md"),
            Artifact::LuaDefs => format!("defs/{module}.lua"),
            Artifact::RhaiDefs => format!("defs/{module}.d.rhai"),
            Artifact::Metadata => format!("defs/{module}.json"),
        }
    }

    /// The artifact's text for `spec` (read from `spec_path`). The metadata names the
    /// Rust function `registry` binds to each function, if any.
    pub fn render(self, spec: &Spec, spec_path: &str, registry: &Registry) -> String {
        match self {
            Artifact::Reference => markdown::render(spec, spec_path),
            Artifact::Engines => markdown::render_engines(spec, spec_path),
            Artifact::LuaDefs => defs_lua::render(spec, spec_path),
            Artifact::RhaiDefs => defs_rhai::render(spec, spec_path),
            Artifact::Metadata => defs_json::render(spec, spec_path, &|name| {
                registry.get(name).map(|n| n.rust_path().to_string())
            }),
        }
    }
}

/// How a file on disk compares with its generated text.
#[derive(Debug, PartialEq, Eq)]
pub enum DocsState {
    /// The file holds exactly the generated text.
    Fresh,
    /// The file is missing.
    Missing,
    /// The path is there but cannot be read as the text (a directory, not UTF-8, ...).
    Unreadable(String),
    /// The file differs; the summary names the first differing line.
    Stale(String),
}

/// Compares the file at `path` with `generated`, reading no more of it than one byte past
/// the generated text's length (so `/dev/zero` is stale at once, not read whole).
pub fn check(generated: &str, path: &Path) -> DocsState {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return DocsState::Missing,
        Err(error) => return DocsState::Unreadable(error.to_string()),
    };
    let mut bytes = Vec::new();
    let limit = generated.len() as u64 + 1;
    if let Err(error) =
        std::io::Read::read_to_end(&mut std::io::Read::take(file, limit), &mut bytes)
    {
        return DocsState::Unreadable(error.to_string());
    }
    let Ok(on_disk) = String::from_utf8(bytes) else {
        return DocsState::Unreadable("it is not UTF-8 text".to_string());
    };
    if on_disk == generated {
        return DocsState::Fresh;
    }
    DocsState::Stale(diff_summary(&on_disk, generated))
}

/// Writes `generated` to `path`, creating its directory.
pub fn write(generated: &str, path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, generated)
}

/// Every artifact of a compiled-in module spec, with its path under `root` (the directory
/// holding the module's `spec/`): what [`check_all`] compares and [`write_all`] writes.
pub fn generate_all(
    spec: &ModuleSpec,
    root: &Path,
) -> Result<Vec<(PathBuf, String)>, goost_spec::SpecError> {
    let parsed = spec.parsed()?;
    Ok(Artifact::ALL
        .iter()
        .map(|artifact| {
            (
                root.join(artifact.path(spec.module)),
                artifact.render(&parsed, spec.path, Registry::global()),
            )
        })
        .collect())
}

/// Compares every artifact of `spec` under `root` with what the spec generates: the
/// stale or missing ones, each with its state (empty when all are fresh).
pub fn check_all(spec: &ModuleSpec, root: &Path) -> Vec<(PathBuf, DocsState)> {
    match generate_all(spec, root) {
        Ok(all) => all
            .into_iter()
            .map(|(path, text)| {
                let state = check(&text, &path);
                (path, state)
            })
            .filter(|(_, state)| *state != DocsState::Fresh)
            .collect(),
        Err(error) => vec![(
            root.join(spec.path),
            DocsState::Stale(format!("the spec does not parse: {error}")),
        )],
    }
}

/// Writes every artifact of `spec` under `root`; the paths written.
pub fn write_all(spec: &ModuleSpec, root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let all = generate_all(spec, root)
        .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidData, error.to_string()))?;
    for (path, text) in &all {
        write(text, path)?;
    }
    Ok(all.into_iter().map(|(path, _)| path).collect())
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

    #[test]
    fn every_artifact_has_its_own_path() {
        let paths: Vec<String> = Artifact::ALL.iter().map(|a| a.path("geo")).collect();
        assert_eq!(
            paths,
            [
                "docs/geo.md",
                "docs/geo-engines.md",
                "defs/geo.lua",
                "defs/geo.d.rhai",
                "defs/geo.json"
            ]
        );
    }
}
