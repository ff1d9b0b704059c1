//! Every check of `#[native]` as a compile error, each with its committed `.stderr`
//! (`TRYBUILD=overwrite cargo test -p memory-macros --test compile_fail` rewrites them;
//! review the diff), and the uses that must compile and run (`tests/ui-pass`), each against
//! the generic layer (`goost_bind`), the smallest crate a module author binds against.
//!
//! trybuild builds the cases in a project of its own that depends on this crate and its
//! dev-dependencies, all compiled afresh, with this crate's features (it has none): a crate
//! with few dependencies and no optional ones keeps this test short in every build.

#[test]
fn native_misuse_is_a_compile_error_at_the_offending_token() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    cases.pass("tests/ui-pass/*.rs");
}
