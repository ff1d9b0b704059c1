//! Every check of `#[native]` as a compile error, each with its committed `.stderr`
//! (`TRYBUILD=overwrite cargo test --test compile_fail` rewrites them; review the diff).

#[test]
fn native_misuse_is_a_compile_error_at_the_offending_token() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
