//! goost-memory: the `memory` module of the goost scripting language, and the binding
//! generator it is built with.
//!
//! This facade is the one crate to depend on. It re-exports the generic binding layer
//! ([`goost_bind`]: `#[native]`, `Value`, `Context`, the `Registry`), the memory module
//! ([`memory_runtime`]: its state, natives, allocator and GC hooks), the engines (the
//! goost host [`host`], always; `hosts::lua` and `hosts::rhai` behind the features
//! `lua` and `rhai`), and holds the artifact writer ([`docs`]). The `goost-memory`
//! command is behind the default feature `cli`; a library user turns it off with
//! `default-features = false` and pulls in neither clap nor rustyline.

// Generated code names the facade `::goost_memory`; this lets its own tests use `#[native]`.
extern crate self as goost_memory;

pub mod docs;

/// The goost host: runs and checks goost scripts (the crate `goost-host`).
pub use goost_host as host;

/// The other engines, each a crate of its own: its bridge and its script check.
pub mod hosts {
    /// Lua 5.4 (the crate `goost-lua`): `install`, and `check` with the feature `cli`.
    #[cfg(feature = "lua")]
    pub use goost_lua as lua;
    /// Rhai (the crate `goost-rhai`): `install`, `Installer`, `check`.
    #[cfg(feature = "rhai")]
    pub use goost_rhai as rhai;
}

pub use goost_bind::*;
pub use memory_runtime::{
    HandleKind, MEMORY_SPEC, MemoryContext, MemoryError, MemoryLimit, MemoryState, alloc, buffer,
    footprint, gc, pool,
};
