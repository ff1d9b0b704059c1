//! Every check of `#[native]` as a compile error, each with its committed `.stderr`
//! (`TRYBUILD=overwrite cargo test -p goost-bind --test compile_fail` rewrites them; review
//! the diff), and the uses that must compile and run (`tests/ui-pass`).
//!
//! The cases live in the generic layer, the smallest crate a module author binds against:
//! trybuild builds each case in a project of its own that depends on this crate and its
//! dev-dependencies, all compiled afresh, so a crate with fewer of them keeps this test
//! short.

#[test]
#[cfg_attr(
    any(feature = "lua", feature = "rhai"),
    ignore = "the compile errors do not depend on features; run by `cargo test --workspace` \
              (with features on, trybuild would rebuild every optional dependency)"
)]
fn native_misuse_is_a_compile_error_at_the_offending_token() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    cases.pass("tests/ui-pass/*.rs");
}
