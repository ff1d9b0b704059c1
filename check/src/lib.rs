//! Checks a Lua or Rhai script's calls of goost modules against the modules' specs,
//! without running it: unknown functions (with the nearest names), wrong argument
//! counts, and literal arguments of the wrong type, each at its line and column.
//!
//! The rules and messages are [`goost_spec::check`]'s, shared with the goost host's own
//! check (`goost_memory::host::check`); this crate holds the front ends that find the
//! calls: [`lua`] (parsed by full_moon) and [`rhai`] (compiled by Rhai, not run).
//!
//! ```
//! use goost_spec::check::Checker;
//!
//! let spec = goost_spec::parse(
//!     "module geo\ngroup geo.point\n  fn dist2(x: int, y: int) -> int\n    | Squared distance\n",
//! )
//! .unwrap();
//! let checker = Checker::new([&spec]);
//! let findings = goost_check::rhai::check("geo::point::dist2(3)", &checker);
//! assert_eq!(
//!     findings[0].to_string(),
//!     "1:1: geo.point.dist2(x: int, y: int) -> int: expects 2 arguments, got 1"
//! );
//! ```

pub mod lua;
pub mod rhai;

pub use goost_spec::check::{Arg, Checker, Finding};

/// A language the checker reads, by a script's file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// `.goost`: checked by the goost host's parser (in `goost_memory::host`).
    Goost,
    /// `.lua`.
    Lua,
    /// `.rhai`.
    Rhai,
}

impl Language {
    /// The language of a file named `path`, by its extension.
    pub fn of_path(path: &str) -> Option<Language> {
        match std::path::Path::new(path).extension()?.to_str()? {
            "goost" => Some(Language::Goost),
            "lua" => Some(Language::Lua),
            "rhai" => Some(Language::Rhai),
            _ => None,
        }
    }
}
