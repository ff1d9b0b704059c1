//! goost-memory: the `memory` module of the goost scripting language, and the binding
//! generator it is built with.
//!
//! This facade is the one crate to depend on. It re-exports the generic binding layer
//! ([`goost_bind`]: `#[native]`, `Value`, `Context`, the `Registry`, the Lua and Rhai
//! bridges), the memory module ([`memory_runtime`]: its state, natives, allocator and GC
//! hooks), and holds the small goost host ([`host`]) and the docs generator ([`docs`]).
//! The `goost-memory` command is behind the default feature `cli`; a library user turns
//! it off with `default-features = false` and pulls in neither clap nor rustyline.

// Generated code names the facade `::goost_memory`; this lets its own tests use `#[native]`.
extern crate self as goost_memory;

pub mod docs;
pub mod host;

pub use goost_bind::*;
pub use memory_runtime::{
    MEMORY_SPEC, MemoryContext, MemoryError, MemoryLimit, MemoryState, alloc, buffer, footprint,
    gc, handle, pool,
};
