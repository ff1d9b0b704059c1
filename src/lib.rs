//! goost-memory: the `memory` module of the goost scripting language, and the binding
//! generator it is built with.
//!
//! This facade is the one crate to depend on. It re-exports the generic binding layer
//! ([`goost_bind`]: `#[native]`, `Value`, `Context`, the `Registry`), the memory module
//! ([`memory_runtime`]: its state, natives, allocator and GC hooks), the engines (the
//! goost host [`host`], always; `hosts::lua` behind `lua` (Lua 5.4 built from source)
//! or the feature naming another Lua, `hosts::rhai` behind `rhai`), and holds the artifact writer ([`docs`]). The `goost-memory`
//! command is behind the default feature `cli`; a library user turns it off with
//! `default-features = false` and pulls in neither clap nor rustyline.

// Generated code names the facade `::goost_memory`; this lets its own tests use `#[native]`.
extern crate self as goost_memory;

pub mod docs;

/// The goost host: runs and checks goost scripts (the crate `goost-host`).
pub use goost_host as host;

/// The other engines, each a crate of its own: its bridge and its script check.
pub mod hosts {
    /// Lua (the crate `goost-lua`): `install` on the Lua a feature names (`lua`: 5.4
    /// built from source; `lua54`, `lua53`, `lua52`, `lua51`, `luajit`, `luau`), and
    /// `check` with the feature `cli`.
    #[cfg(any(
        feature = "lua54",
        feature = "lua53",
        feature = "lua52",
        feature = "lua51",
        feature = "luajit",
        feature = "luau"
    ))]
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
