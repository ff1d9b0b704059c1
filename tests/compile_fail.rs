//! Every check of `#[native]` as a compile error, each with its committed `.stderr`
//! (`TRYBUILD=overwrite cargo test --test compile_fail` rewrites them; review the diff),
//! and the uses that must compile and run (`tests/ui-pass`).

#[test]
#[cfg_attr(
    any(feature = "lua", feature = "rhai", feature = "jemalloc"),
    ignore = "the compile errors do not depend on features; run by `cargo test --workspace` \
              (with features on, trybuild would rebuild every optional dependency)"
)]
fn native_misuse_is_a_compile_error_at_the_offending_token() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    cases.pass("tests/ui-pass/*.rs");
}
