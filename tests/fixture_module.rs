//! The macro binds any module spec: a fixture module with every script type is bound,
//! registered and called end to end through the registry, with right and wrong arguments.

use std::sync::atomic::{AtomicI64, Ordering};

use goost_memory::__private::{BoundGlue, GlueResult, MissingState};
use goost_memory::{
    Context, Error, ErrorKind, FnSpec, Mismatch, ModuleSpec, Native, Registry, ScriptString,
    ScriptType, Value, module_spec, native,
};

static FIXTURE_SPEC: ModuleSpec = module_spec!(path = "tests/fixture/fixture.spec");
static TOUCHED: AtomicI64 = AtomicI64::new(0);

#[native("fixture.math.add", spec = "tests/fixture/fixture.spec")]
fn add(a: i64, b: i64) -> Result<i64, Error> {
    a.checked_add(b)
        .ok_or_else(|| Error::msg(format!("{a} + {b} overflows an int")))
}

#[native("fixture.text.shout", spec = "tests/fixture/fixture.spec")]
fn shout(s: &str) -> String {
    s.to_uppercase()
}

#[native("fixture.text.empty", spec = "tests/fixture/fixture.spec")]
fn empty(s: String) -> bool {
    s.is_empty()
}

#[native("fixture.text.echo", spec = "tests/fixture/fixture.spec")]
fn echo(s: ScriptString) -> ScriptString {
    s
}

#[native("fixture.logic.not", spec = "tests/fixture/fixture.spec")]
fn not(b: bool) -> bool {
    !b
}

#[native("fixture.logic.touch", spec = "tests/fixture/fixture.spec")]
fn touch(_ctx: &Context, n: i64) {
    TOUCHED.store(n, Ordering::SeqCst);
}

fn call(name: &str, args: &[Value]) -> Result<Value, Error> {
    let native = Registry::global()
        .get(name)
        .unwrap_or_else(|| panic!("{name} is registered"));
    native.call(&Context::new(), args)
}

#[test]
fn every_script_type_round_trips_through_the_glue() {
    assert_eq!(
        call("fixture.math.add", &[Value::Int(2), Value::Int(40)]),
        Ok(Value::Int(42))
    );
    assert_eq!(
        call("fixture.text.shout", &[Value::str("hey")]),
        Ok(Value::str("HEY"))
    );
    assert_eq!(
        call("fixture.text.empty", &[Value::str("")]),
        Ok(Value::Bool(true))
    );
    assert_eq!(
        call("fixture.logic.not", &[Value::Bool(true)]),
        Ok(Value::Bool(false))
    );
    assert_eq!(
        call("fixture.logic.touch", &[Value::Int(7)]),
        Ok(Value::Void)
    );
    assert_eq!(TOUCHED.load(Ordering::SeqCst), 7);
}

#[test]
fn string_arguments_are_shared_not_copied() {
    let text = ScriptString::from("shared");
    let Ok(Value::Str(back)) = call(
        "fixture.text.echo",
        &[Value::Str(ScriptString::clone(&text))],
    ) else {
        panic!("echo returns a string");
    };
    assert!(ScriptString::ptr_eq(&text, &back));
}

#[test]
fn a_native_error_is_reported_under_its_name() {
    let error = call("fixture.math.add", &[Value::Int(i64::MAX), Value::Int(1)]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "fixture.math.add: 9223372036854775807 + 1 overflows an int"
    );
}

#[test]
fn wrong_argument_types_quote_the_signature() {
    let error = call("fixture.math.add", &[Value::Int(1), Value::str("2")]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "fixture.math.add(a: int, b: int) -> int: argument 2 (b) expects int, got string"
    );
    assert_eq!(
        error.kind(),
        &ErrorKind::ArgumentType {
            position: 2,
            name: "b",
            expected: ScriptType::Int,
            got: Mismatch::Type("string")
        }
    );
    let error = call("fixture.logic.not", &[Value::Void]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "fixture.logic.not(b: bool) -> bool: argument 1 (b) expects bool, got nil"
    );
}

#[test]
fn wrong_argument_counts_quote_the_signature() {
    let error = call("fixture.math.add", &[Value::Int(1)]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "fixture.math.add(a: int, b: int) -> int: expects 2 arguments, got 1"
    );
    let error = call(
        "fixture.logic.not",
        &[Value::Bool(true), Value::Bool(false)],
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "fixture.logic.not(b: bool) -> bool: expects 1 argument, got 2"
    );
}

#[test]
fn the_module_tree_holds_every_group_and_function() {
    let module = Registry::global()
        .module("fixture")
        .expect("fixture is a module");
    let groups: Vec<&str> = module.submodules.keys().copied().collect();
    assert_eq!(groups, ["logic", "math", "text"]);
    let text: Vec<&str> = module.submodules["text"]
        .functions
        .keys()
        .copied()
        .collect();
    assert_eq!(text, ["echo", "empty", "shout"]);
    assert_eq!(module.submodules["text"].path, "fixture.text");
}

#[test]
fn the_fixture_spec_and_its_natives_agree() {
    assert_eq!(FIXTURE_SPEC.module, "fixture");
    assert_eq!(FIXTURE_SPEC.functions.len(), 6);
    Registry::global()
        .check_against_spec(&FIXTURE_SPEC)
        .unwrap();
}

// Hand-made registrations for the completeness check: an extra native, and a second
// binding of an existing name (the macro refuses that within one crate, so two crates
// would be needed to do it for real).
static EXTRA_SPEC: FnSpec = FnSpec {
    name: "fixture.math.sub",
    signature: "fixture.math.sub(a: int, b: int) -> int",
    params: &[],
    ret: ScriptType::Int,
    description: "Not in the spec",
    receiver: None,
};
fn unused_glue(_: &Context, _: &[Value]) -> GlueResult {
    GlueResult::from(Ok(Value::Void))
}
fn unused_bind(_: &Context) -> BoundGlue {
    MissingState::glue(&EXTRA_SPEC, "nothing")
}
static EXTRA: Native = Native::__new(
    &EXTRA_SPEC,
    unused_glue,
    unused_bind,
    "other_crate::sub",
    "other/src/lib.rs",
    3,
);

#[test]
fn the_completeness_check_reports_missing_extra_and_twice_in_one_message() {
    let global = Registry::global();
    let add = global.get("fixture.math.add").unwrap();
    let twice_of_not = Native::__new(
        global.get("fixture.logic.not").unwrap().spec(),
        unused_glue,
        unused_bind,
        "zzz_other_crate::not",
        "zzz/src/lib.rs",
        9,
    );
    let twice_of_not: &'static Native = Box::leak(Box::new(twice_of_not));
    let natives = global
        .natives()
        .filter(|n| n.name().starts_with("fixture.") && n.name() != "fixture.text.shout")
        .chain([&EXTRA, twice_of_not]);
    let registry = Registry::from_natives(natives);
    let report = registry
        .check_against_spec(&FIXTURE_SPEC)
        .unwrap_err()
        .to_string();
    let line = global.get("fixture.logic.not").unwrap().line();
    let expected = [
        "the registered natives and tests/fixture/fixture.spec disagree:",
        "- missing: `fixture.text.shout(s: string) -> string` has no native; add:",
        "      #[native(\"fixture.text.shout\")]",
        "      fn shout(s: &str) -> Result<String, Error> {",
        "          todo!()",
        "      }",
        "- extra: `fixture.math.sub` (other_crate::sub at other/src/lib.rs:3) is not in tests/fixture/fixture.spec",
        &format!(
            "- twice: `fixture.logic.not` is bound by fixture_module::not (tests/fixture_module.rs:{line}) \
             and by zzz_other_crate::not (zzz/src/lib.rs:9)"
        ),
    ]
    .join("\n");
    assert_eq!(report, expected);
    assert_eq!(add.rust_path(), "fixture_module::add");
}
