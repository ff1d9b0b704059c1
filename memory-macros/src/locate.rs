//! Finding and loading a spec file from the crate being compiled.
//!
//! `#[native("memory.buffer.write")]` names its module (`memory`) by the first segment.
//! The spec is found at `spec/<module>.spec`, looked up from the compiled crate's
//! `CARGO_MANIFEST_DIR` and then each parent directory in turn (so a workspace member
//! finds the workspace's `spec/`). `#[native("...", spec = "path")]` names the file
//! instead; a relative path is looked up the same way (first hit, from the crate
//! directory upwards), an absolute one is used as it is.
//!
//! The expansion includes the file with `include_bytes!`, so cargo rebuilds the crate
//! whenever the spec changes.

use std::path::{Path, PathBuf};

use goost_spec::Spec;

/// A parsed spec and where it came from.
pub struct LoadedSpec {
    pub spec: Spec,
    /// The spec file's text.
    pub source: String,
    /// The path shown in messages and docs, e.g. `spec/memory.spec`.
    pub display: String,
    /// The absolute path, for `include_bytes!` (rebuild tracking); `None` for in-memory specs.
    pub absolute: Option<PathBuf>,
}

impl LoadedSpec {
    /// A spec that did not come from a file (unit tests, golden expansions).
    #[cfg(test)]
    pub fn in_memory(source: &str, display: &str) -> Result<LoadedSpec, String> {
        let spec = goost_spec::parse(source).map_err(|e| e.display_in(display))?;
        Ok(LoadedSpec {
            spec,
            source: source.to_string(),
            display: display.to_string(),
            absolute: None,
        })
    }
}

/// Where a macro call says its spec is.
pub enum SpecRef {
    /// Found by module name: `spec/<module>.spec` in the crate dir or a parent.
    Module(String),
    /// An explicit path relative to the crate dir.
    Path(String),
}

/// Loads the spec for a macro call made in the crate at `manifest_dir`.
pub fn load(spec_ref: &SpecRef, manifest_dir: &Path) -> Result<LoadedSpec, String> {
    let relative = match spec_ref {
        SpecRef::Path(path) => path.to_string(),
        SpecRef::Module(module) => format!("spec/{module}.spec"),
    };
    let found = manifest_dir
        .ancestors()
        .map(|dir| dir.join(&relative))
        .find(|candidate| candidate.is_file());
    let Some(absolute) = found else {
        let hint = match spec_ref {
            SpecRef::Module(module) => {
                format!("; add the file or name it with `spec = \"path/to/{module}.spec\"`")
            }
            SpecRef::Path(_) => String::new(),
        };
        return Err(format!(
            "no spec at `{relative}` in {} or its parents{hint}",
            manifest_dir.display()
        ));
    };
    let display = relative;
    let source = std::fs::read_to_string(&absolute)
        .map_err(|e| format!("cannot read spec `{}`: {e}", absolute.display()))?;
    let spec = goost_spec::parse(&source).map_err(|e| e.display_in(&display))?;
    Ok(LoadedSpec {
        spec,
        source,
        display,
        absolute: Some(absolute),
    })
}

/// The directory of the crate being compiled, as cargo tells the macro.
pub fn manifest_dir() -> Result<PathBuf, String> {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| "CARGO_MANIFEST_DIR is not set: build with cargo".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_workspace_spec_from_a_member_crate() {
        let member = Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = load(&SpecRef::Module("memory".into()), member).unwrap();
        assert_eq!(loaded.display, "spec/memory.spec");
        assert_eq!(loaded.spec.module, "memory");
        assert!(loaded.absolute.unwrap().ends_with("spec/memory.spec"));
    }

    #[test]
    fn a_missing_module_spec_says_where_it_looked() {
        let error = load(&SpecRef::Module("nosuch".into()), Path::new("/"))
            .err()
            .unwrap();
        assert_eq!(
            error,
            "no spec at `spec/nosuch.spec` in / or its parents; \
             add the file or name it with `spec = \"path/to/nosuch.spec\"`"
        );
    }
}
