//! Rhai for goost-memory: every registered module as a Rhai static module ([`install`]),
//! and the check of a Rhai script's module calls before it runs ([`check`]).
//!
//! Once installed, scripts call
//! `memory::buffer::new()`, `geo::point::dist2(3, 4)` and so on.
//!
//! ```
//! # use std::sync::atomic::{AtomicI64, Ordering};
//! use goost_bind::{Context, native};
//! use goost_rhai as rhai;
//!
//! #[derive(Default)]
//! struct Counter(AtomicI64);
//!
//! #[native("counter.ops.add", spec = "../../bind/tests/counter.spec")]
//! fn add(counter: &Counter, n: i64) -> i64 {
//!     counter.0.fetch_add(n, Ordering::Relaxed) + n
//! }
//!
//! fn main() {
//!     let mut engine = ::rhai::Engine::new();
//!     let ctx = Context::builder().state(Counter::default()).build();
//!     rhai::install(&mut engine, ctx).unwrap(); // or rhai::install_modules(.., &["counter"])
//!     let total: i64 = engine.eval("counter::ops::add(2); counter::ops::add(3)").unwrap();
//!     assert_eq!(total, 5);
//! }
//! ```
//!
//! Each native is registered with its parameters' Rhai types, so a call with the right
//! types resolves as directly as a hand-written `set_native_fn`; and once more with every
//! parameter `Dynamic` for each argument count up to 20, so a wrong argument
//! type or count reaches the native's glue and gets its error text (`expects 2 arguments,
//! got 1`, with the signature).
//!
//! Rhai reserves words it does not use yet, `new` among them, which the memory module's
//! spec uses (`memory.buffer.new`): [`install`] sets a token mapper (Rhai's
//! `on_parse_token`, feature `internals`) that reads each of them as a plain name
//! (`goost_spec::keywords::RHAI_RESERVED`; the keywords Rhai does use are refused as
//! names by the spec parser). Rhai keeps one mapper per engine and
//! gives no way to read it back, so [`install`] never replaces one a host has set: it
//! refuses ([`InstallError::TokenMapperSet`]), and a host with a mapper of its own hands
//! it to an [`Installer`] instead, which chains to it:
//!
//! ```
//! use goost_bind::Context;
//! use goost_rhai as rhai;
//! use rhai::rhai::Token;
//!
//! let mut engine = rhai::rhai::Engine::new();
//! rhai::Installer::new(Context::new())
//!     // The host's own mapping (here: `forbidden` reads as a syntax error) runs first.
//!     .chain_token_mapper(|token, _, _| match token {
//!         Token::Identifier(name) if name.as_str() == "forbidden" => {
//!             Token::LexError(Box::new(rhai::rhai::LexError::ImproperSymbol(
//!                 name.to_string(),
//!                 "not here".to_string(),
//!             )))
//!         }
//!         other => other,
//!     })
//!     .install(&mut engine)
//!     .unwrap();
//! assert!(engine.compile("memory::buffer::new()").is_ok());
//! assert!(engine.compile("forbidden").is_err());
//! ```

mod bridge;
pub mod check;
mod names;
mod object;

// Rhai's `no_float` takes away the Rhai type a script `float` is, so this crate cannot
// work with it: built with `no_float`, this import is the error that says so.
#[allow(unused_imports)]
use ::rhai::FLOAT as GOOST_RHAI_NEEDS_RHAI_FLOATS_SO_RHAI_NO_FLOAT_CANNOT_BE_USED;

/// The Rhai engine this bridge is built on, re-exported so a host needs no dependency of
/// its own (and never two versions).
pub use ::rhai;
pub use bridge::{InstallError, Installer, install, install_modules};
pub use object::with_nearest_methods;

/// An object of the class in slot `SLOT`, as Rhai holds it (see `object.rs`). Defined
/// here, at the crate's root, for its short Rust name: Rhai looks a method's receiver up
/// by that name (`goost_rhai::SlotObject<0>`) on every method call, comparing and
/// hashing it.
#[derive(Clone)]
struct SlotObject<const SLOT: usize>(goost_bind::ScriptObject);
