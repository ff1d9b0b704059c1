//! The runtime of goost's `memory` module: the native ABI ([`Value`], [`Native`],
//! [`Error`]), the [`Registry`] of natives, the per-script [`Context`] with its handle
//! stores, and the buffer and pool natives.
//!
//! Natives are plain Rust functions bound to a spec entry with [`native`]; hosts find
//! them in the [`Registry`] and call them with [`Value`] arguments:
//!
//! ```
//! use memory_runtime::{Context, Registry, Value};
//!
//! let registry = Registry::global();
//! let ctx = Context::new();
//! let call = |name: &str, args: &[Value]| registry.get(name).unwrap().call(&ctx, args);
//! let buf = call("memory.buffer.new", &[]).unwrap();
//! call("memory.buffer.write", &[buf.clone(), Value::str("hello")]).unwrap();
//! assert_eq!(call("memory.buffer.read", &[buf]).unwrap(), Value::str("hello"));
//! ```
//!
//! See the README and `ARCHITECTURE.md` for how the pieces fit.

// Generated code names the runtime `::memory_runtime`, in this crate too.
extern crate self as memory_runtime;

mod budget;
mod context;
mod convert;
mod error;
mod free_list;
mod native;
mod registry;
mod value;

pub mod alloc;
pub mod buffer;
pub mod gc;
pub mod handle;
pub mod hosts;
pub mod pool;

pub use context::{Context, ContextBuilder};
pub use convert::{FromValue, IntoValue};
pub use error::{Error, ErrorKind};
pub use memory_macros::{module_spec, native};
pub use native::{FnSpec, Glue, GlueResult, ModuleSpec, Native, ParamSpec, ScriptType};
pub use registry::{Missing, Module, Registry, SpecMismatch};
pub use value::Value;

/// The string type of [`Value::Str`]: a one-word, reference-counted UTF-8 string
/// (re-exported from `arcstr`, so hosts and natives need not depend on it).
pub use arcstr::ArcStr;

/// The spec of the `memory` module (`spec/memory.spec`), compiled in.
pub static MEMORY_SPEC: ModuleSpec = module_spec!("memory");

/// What generated code needs; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use inventory;
}

/// Implements [`FromValue`] and [`IntoValue`] for a handle newtype over `i64`, so the
/// `#[native]` macro sees it as a script `int`.
#[macro_export]
macro_rules! handle_newtype {
    ($name:ident) => {
        impl $crate::FromValue<'_> for $name {
            const TYPE: $crate::ScriptType = $crate::ScriptType::Int;
            fn from_value(value: &$crate::Value) -> ::core::option::Option<Self> {
                match value {
                    $crate::Value::Int(n) => ::core::option::Option::Some($name(*n)),
                    _ => ::core::option::Option::None,
                }
            }
        }
        impl $crate::IntoValue for $name {
            const TYPE: $crate::ScriptType = $crate::ScriptType::Int;
            fn into_value(self) -> ::core::result::Result<$crate::Value, $crate::Error> {
                ::core::result::Result::Ok($crate::Value::Int(self.0))
            }
        }
    };
}
