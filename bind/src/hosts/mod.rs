//! The registry's natives in other embedding engines, through one generic bridge per
//! engine (no per-function code): each walks the registry's module tree and converts
//! arguments and results through [`Value`](crate::Value).

#[cfg(feature = "lua")]
pub mod lua;
#[cfg(feature = "rhai")]
pub mod rhai;
