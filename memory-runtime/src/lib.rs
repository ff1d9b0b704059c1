//! goost's `memory` module: per-context byte buffers and string interning pools behind
//! generational handles, a memory limit, the tracking allocator and its figures, the GC
//! hooks with Go's meaning, and the 18 natives bound from `spec/memory.spec`.
//!
//! The module is bound like any other, through the generic layer [`goost_bind`]: its
//! state in each context is a [`MemoryState`] (every new context holds a default one
//! while this crate is linked), which its natives take as `&MemoryState`.
//!
//! ```
//! use goost_bind::{Context, Registry, Value};
//! use memory_runtime::MemoryContext;
//!
//! let registry = Registry::global();
//! let ctx = Context::new();
//! let call = |name: &str, args: &[Value]| registry.get(name).unwrap().call(&ctx, args);
//! let buf = call("memory.buffer.new", &[]).unwrap();
//! call("memory.buffer.write", &[buf.clone(), Value::str("hello")]).unwrap();
//! assert_eq!(call("memory.buffer.read", &[buf]).unwrap(), Value::str("hello"));
//! assert_eq!(ctx.live_objects(), 1);
//! ```
//!
//! See the README and `ARCHITECTURE.md` for how the pieces fit.

mod budget;
mod error;
mod free_list;
mod state;
mod wait;

pub mod alloc;
pub mod buffer;
pub mod footprint;
pub mod gc;
#[cfg(not(feature = "internals"))]
mod handle;
// The handle store, public with the feature `internals` only: for the benchmark that
// measures it bare; not part of the API.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod handle;
pub mod pool;

pub use error::MemoryError;
pub use handle::HandleKind;
pub use state::{MemoryContext, MemoryLimit, MemoryState};

use goost_bind::{ModuleSpec, module_spec};

/// The spec of the `memory` module (`spec/memory.spec`), compiled in.
pub static MEMORY_SPEC: ModuleSpec = module_spec!("memory");

/// Implements [`FromValue`](goost_bind::FromValue) and
/// [`IntoValue`](goost_bind::IntoValue) for a newtype over `i64` (a handle), so the
/// `#[native]` macro sees it as a script `int`.
macro_rules! handle_newtype {
    ($name:ident) => {
        impl ::goost_bind::FromValue<'_> for $name {
            const TYPE: ::goost_bind::ScriptType = ::goost_bind::ScriptType::Int;
            #[inline]
            fn from_value(
                value: ::goost_bind::ArgRef<'_>,
            ) -> ::core::result::Result<Self, ::goost_bind::Mismatch> {
                match value {
                    ::goost_bind::ArgRef::Int(n) => ::core::result::Result::Ok($name(n)),
                    other => ::core::result::Result::Err(::goost_bind::Mismatch::of(other)),
                }
            }
        }
        impl ::goost_bind::IntoValue for $name {
            const TYPE: ::goost_bind::ScriptType = ::goost_bind::ScriptType::Int;
            fn into_value(
                self,
            ) -> ::core::result::Result<::goost_bind::Value, ::goost_bind::Error> {
                ::core::result::Result::Ok(::goost_bind::Value::Int(self.0))
            }
        }
    };
}
pub(crate) use handle_newtype;
