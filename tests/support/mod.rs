//! Calling natives the way a host does, shared by the integration tests (each test file
//! that needs it says `mod support;`).

// Each test binary uses only some of these.
#![allow(dead_code)]

use goost_memory::{Context, Error, Registry, Value};

/// Calls the registered native `name` through its glue.
pub fn call(ctx: &Context, name: &str, args: &[Value]) -> Result<Value, Error> {
    Registry::global()
        .get(name)
        .unwrap_or_else(|| panic!("{name} is registered"))
        .call(ctx, args)
}

/// [`call`], which must succeed.
pub fn ok(ctx: &Context, name: &str, args: &[Value]) -> Value {
    call(ctx, name, args).unwrap_or_else(|e| panic!("{name}: {e}"))
}
