//! goost-memory: the `memory` module of the goost scripting language.
//!
//! This facade re-exports the runtime ([`memory_runtime`]) for hosts.

pub use memory_runtime::*;
