//! goost-memory: the `memory` module of the goost scripting language.
//!
//! This facade re-exports the runtime ([`memory_runtime`]) for hosts, and holds the
//! pieces of the `goost-memory` command.

pub mod docs;
pub mod host;

pub use memory_runtime::*;
