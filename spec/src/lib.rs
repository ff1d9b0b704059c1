//! The spec of a goost module, as plain data: its [model](Spec), the [parser](parse) of
//! the spec file format, what is generated from it (the [markdown pages](markdown), the
//! [Lua](defs_lua) and [Rhai](defs_rhai) definition files, the [JSON metadata](defs_json)),
//! each [engine's spelling](Engine) of names and types, and the
//! [nearest-name search](nearest()) behind every "did you mean" message.
//!
//! A plain library (no compiler, no proc-macro API), so the `#[native]` macro, the
//! `goost-memory` command and the fuzz target share one parser and one [`ScriptType`].
//!
//! ```
//! let spec = goost_spec::parse(
//!     "module geo\nsummary Points.\ngroup geo.point\n  fn dist2(x: int, y: int) -> int\n    | Squared distance\n",
//! )
//! .unwrap();
//! let dist2 = spec.function("geo.point.dist2").unwrap();
//! assert_eq!(dist2.signature(), "geo.point.dist2(x: int, y: int) -> int");
//! ```

pub mod check;
pub mod defs_json;
pub mod defs_lua;
pub mod defs_rhai;
pub mod diff;
pub mod engine;
mod keep;
pub mod keywords;
pub mod markdown;
mod model;
mod nearest;
mod parse;

pub use engine::Engine;
pub use model::{
    Class, ClassType, Enum, EnumType, EnumValue, Example, Field, FieldType, Function, Group,
    NameResolver, Param, Record, RecordType, ScriptType, Spec, SpecError, ValueKind, is_type_name,
    required_count,
};
pub use nearest::nearest;

/// The largest spec file the command reads: 16 MiB (the memory module's is a few KiB).
/// A longer one, or an endless one such as `/dev/zero`, is an error read no further than
/// one byte past the limit.
pub const MAX_SPEC_BYTES: u64 = 16 << 20;
pub use parse::parse;
