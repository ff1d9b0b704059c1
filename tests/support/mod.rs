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

/// The largest peak resident size, in bytes, among the children this test process has
/// waited for so far (a test that reads it runs alone in its binary).
#[cfg(target_os = "linux")]
pub fn children_peak_resident_bytes() -> u64 {
    // SAFETY: getrusage writes only into the struct it is given, which is zeroed and
    // valid for writes; RUSAGE_CHILDREN is a valid `who`.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage
    };
    // Linux reports ru_maxrss in KiB.
    u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024
}
