//! The generic binding layer of goost-memory: what any module bound from a spec needs,
//! and nothing of any one module.
//!
//! - The native ABI: [`Value`] (what crosses between a script and a native), the script
//!   types and their Rust side ([`ScriptType`], [`FromValue`], [`IntoValue`]), [`Native`]
//!   and [`Error`].
//! - The [`Registry`] of every `#[native]` function linked into the program, its module
//!   tree, and the check that natives and spec agree.
//! - The per-script [`Context`], which holds each module's typed [state] and its
//!   engine's collectors.
//! - What an engine's bridge shares with the others ([`bridge`]: tables and arrays into
//!   lists, bounded and shared); the bridges themselves are crates of their own
//!   (`goost-lua`, `goost-rhai`, and the goost host `goost-host`).
//!
//! A module author writes plain functions and marks them with [`native`]; a `&T`
//! parameter is the module's state in the calling context, filled by the glue. A host
//! binds each native to a context once and calls it many times:
//!
//! ```
//! use std::sync::atomic::{AtomicI64, Ordering};
//!
//! use goost_bind::{Context, Registry, Value, native};
//!
//! /// The counter module's state in one context.
//! #[derive(Default)]
//! struct Counter(AtomicI64);
//!
//! // `tests/counter.spec` says: `fn add(n: int) -> int` in group `counter.ops`.
//! #[native("counter.ops.add", spec = "tests/counter.spec")]
//! fn add(counter: &Counter, n: i64) -> i64 {
//!     counter.0.fetch_add(n, Ordering::Relaxed) + n
//! }
//!
//! fn main() {
//!     let ctx = Context::builder().state(Counter::default()).build();
//!     let add = Registry::global().get("counter.ops.add").unwrap().bind(&ctx);
//!     assert_eq!(add.call(&[Value::Int(2)]), Ok(Value::Int(2)));
//!     assert_eq!(add.call(&[Value::Int(3)]), Ok(Value::Int(5)));
//! }
//! ```
//!
//! See the README and `ARCHITECTURE.md` for how the pieces fit.

// Generated code names this crate `::goost_bind` when it is the one a crate depends on;
// this lets the crate's own tests use `#[native]` too.
extern crate self as goost_bind;

mod arg;
mod collector;
mod context;
mod convert;
mod error;
mod map;
mod native;
mod object;
mod record;
mod registry;
pub mod state;
mod string;
mod stub;
mod value;

pub mod bridge;

pub use arg::{ArgRef, ListItems};
pub use collector::{CollectorId, CollectorPanic, Collectors};
pub use context::{Context, ContextBuilder, DEFAULT_CONVERSION_LIMIT};
pub use convert::{
    FromValue, Inside, IntoValue, ListRef, Mismatch, TakeFields, copy_allowance,
    with_copy_allowance,
};
pub use error::{Error, ErrorKind, ModuleError, panic_message};
pub use goost_spec::check::Step;
pub use goost_spec::{ClassType, EnumType, FieldType, RecordType, ScriptType};
pub use map::{MapError, ScriptMap};
pub use memory_macros::{module_spec, native, spec_class, spec_enum, spec_methods, spec_record};
pub use native::{BoundNative, FnSpec, ModuleSpec, Native, ParamSpec};
pub use object::{ObjectRef, ScriptClass, ScriptObject};
pub use record::{RecordError, RecordFields, ScriptRecord};
pub use registry::{Missing, Module, Registry, SpecMismatch, UnknownModule};
pub use state::DefaultState;
pub use string::ScriptString;
pub use value::{ScriptList, TooDeep, Value, format_float};

/// What generated code needs; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::arg::ScriptArg;
    pub use crate::convert::{
        RecordSource, record_field, record_fields_into, record_source, record_value,
    };
    pub use crate::native::{
        Bind, BoundCall, BoundGlue, Glue, GlueResult, MissingState, contained,
    };
    pub use crate::object::{claim_objects, of_context};
    pub use inventory;
}
