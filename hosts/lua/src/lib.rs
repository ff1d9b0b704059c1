//! Lua for goost-memory: every registered module in Lua 5.4, 5.3, 5.2, 5.1, LuaJIT or Luau
//! through mlua (the feature of the same name as mlua's names the Lua; `vendored` builds it
//! from source), and the check of a Lua script's module calls before it runs ([`check`],
//! feature `check`, parsed by full_moon).
//!
//! With [`install`], a script
//! writes `local memory = require("memory")` (or the name of any other module bound
//! with `#[native]`).
//!
//! ```
//! # use std::sync::atomic::{AtomicI64, Ordering};
//! use goost_bind::{Context, native};
//! use goost_lua as lua;
//!
//! #[derive(Default)]
//! struct Counter(AtomicI64);
//!
//! #[native("counter.ops.add", spec = "../../bind/tests/counter.spec")]
//! fn add(counter: &Counter, n: i64) -> i64 {
//!     counter.0.fetch_add(n, Ordering::Relaxed) + n
//! }
//!
//! fn main() -> mlua::Result<()> {
//!     let vm = mlua::Lua::new();
//!     let ctx = Context::builder().state(Counter::default()).build();
//!     lua::install(&vm, ctx)?; // or lua::install_modules(&vm, ctx, &["counter"])
//!     let total: i64 = vm
//!         .load(r#"local counter = require("counter")
//!                  counter.ops.add(2)
//!                  return counter.ops.add(3)"#)
//!         .eval()?;
//!     assert_eq!(total, 5);
//!     Ok(())
//! }
//! ```
//!
//! Lua integers are `int`s (a float with an integral value is accepted as one). Lua 5.1,
//! 5.2, LuaJIT and Luau have no integers: there an `int` is a number with an integral
//! value within ±(2^53 − 1), both ways, and an `int` result beyond that is an error naming
//! the function rather than a rounded number ([`flavour`]). Lua
//! strings are script strings byte for byte (a native that takes text checks that they
//! are UTF-8), sequence tables are lists, booleans are `bool`s, `nil` is `void`. A
//! native's error becomes a Lua error with the native's own text, holding the native's
//! [`Error`](goost_bind::Error) as an mlua external error (a host finds it with
//! `downcast_ref`). Every GC cycle on the context
//! (`memory.gc.run()`, `freeOSMemory`, the pacer) also asks for a full Lua collection,
//! which the state runs at its next safe point without the cycle ever waiting for it
//! (see `CollectionRequest`). Dropping the Lua state removes everything [`install`] added
//! to the context.

#[cfg(feature = "bridge")]
mod bridge;
#[cfg(feature = "bridge")]
mod c_function;
#[cfg(feature = "check")]
pub mod check;
#[cfg(feature = "bridge")]
pub mod flavour;
#[cfg(feature = "bridge")]
mod object;
#[cfg(feature = "bridge")]
mod result;
#[cfg(feature = "bridge")]
mod stack;

#[cfg(feature = "bridge")]
pub use bridge::{install, install_modules};
/// The Lua engine this bridge is built on, re-exported so a host needs no dependency of
/// its own (and never two versions).
#[cfg(feature = "bridge")]
pub use mlua;
