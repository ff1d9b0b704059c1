//! Issue 26, item 1: a module whose group, functions and parameters are named like
//! keywords of some engine (`words.end.repeat`, `match`, `new`, `nil`; parameters `type`
//! and `function`) binds from plain Rust (raw identifiers where Rust needs them), runs
//! and is checked in goost, Lua and Rhai, and its generated artifacts name each one the
//! way that engine can call it.

use goost_memory::{Context, host, native};
use goost_spec::Engine;
use goost_spec::check::{Arg, Checker};

#[native("words.end.repeat", spec = "tests/fixture/words.spec")]
fn repeat(s: &str, r#type: i64) -> String {
    s.repeat(usize::try_from(r#type).unwrap_or(0))
}

#[native("words.end.match", spec = "tests/fixture/words.spec")]
fn r#match(function: &str) -> bool {
    function == "yes"
}

#[native("words.end.new", spec = "tests/fixture/words.spec")]
fn new() -> i64 {
    7
}

#[native("words.end.nil", spec = "tests/fixture/words.spec")]
fn nil() {}

/// Each finding as `LINE:COL: message`.
fn texts(findings: Vec<goost_spec::check::Finding>) -> Vec<String> {
    findings.iter().map(ToString::to_string).collect()
}

fn spec() -> goost_spec::Spec {
    goost_spec::parse(include_str!("fixture/words.spec")).unwrap()
}

#[test]
fn goost_calls_functions_named_like_its_keywords() {
    let mut out = Vec::new();
    host::run(
        "w.goost",
        "import words\n\
         print(words.end.repeat(\"ab\", 2))\n\
         print(words.end.match(\"yes\"))\n\
         print(words.end.new())\n\
         print(words.end.nil())\n",
        &Context::new(),
        &mut out,
    )
    .unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "abab\ntrue\n7\nnil\n");
    let checker_spec = spec();
    let checker = Checker::new([&checker_spec]);
    let findings = texts(host::check(
        "import words\nprint(words.end.nil())\nprint(words.end.repeat(1, 2))\n",
        &checker,
    ));
    assert_eq!(
        findings,
        [
            "3:7: words.end.repeat(s: string, type: int) -> string: argument 1 (s) expects string, got int"
        ]
    );
}

#[test]
fn each_engine_spells_the_call_as_it_can_make_it() {
    let spec = spec();
    let repeat = spec.function("words.end.repeat").unwrap();
    assert_eq!(
        Engine::Lua.signature(repeat),
        "words[\"end\"][\"repeat\"](s: string, type: integer): string"
    );
    assert_eq!(
        Engine::Rhai.signature(repeat),
        "words::end::repeat(s: string, type: int) -> string"
    );
    assert_eq!(
        Engine::Goost.signature(repeat),
        "words.end.repeat(s: string, type: int) -> string"
    );
    let lua = goost_spec::defs_lua::render(&spec, "words.spec");
    assert!(
        lua.contains("---@param function_ string\n---@return boolean\nwords[\"end\"].match = function(function_) end\n"),
        "{lua}"
    );
    assert!(
        lua.contains("words[\"end\"][\"nil\"] = function() end\n"),
        "{lua}"
    );
    // Every call form the engines page shows is one the engine parses: the checks below
    // take the same spellings.
    let checker = Checker::new([&spec]);
    assert_eq!(
        checker.check_call(Engine::Lua, "words.end.repeat", &[Arg::String, Arg::Int]),
        None
    );
}

#[cfg(feature = "lua")]
#[test]
fn lua_calls_them_by_indexing() {
    use goost_memory::hosts::lua::{self, mlua};
    let vm = mlua::Lua::new();
    lua::install(&vm, Context::new()).unwrap();
    let (repeated, matched, seven, nothing): (String, bool, i64, mlua::Value) = vm
        .load(
            "local w = require('words')
             return w['end']['repeat']('ab', 2), w['end'].match('yes'), w['end'].new(), w['end']['nil']()",
        )
        .eval()
        .unwrap();
    assert_eq!((repeated.as_str(), matched, seven), ("abab", true, 7));
    assert!(nothing.is_nil());
    let findings = texts(goost_lua::check::check(
        "local w = require('words')\nlocal a = w['end']['repeat']('ab', 2)\nlocal b = w['end']['repeat'](1, 2)\n",
        &Checker::new([&spec()]),
    ));
    assert_eq!(
        findings,
        [
            "3:11: words.end.repeat(s: string, type: int) -> string: argument 1 (s) expects string, got int"
        ]
    );
}

#[cfg(feature = "rhai")]
#[test]
fn rhai_calls_the_reserved_names_through_the_bridges_mapping() {
    use goost_memory::hosts::rhai::{self, rhai::Engine as RhaiEngine};
    let mut engine = RhaiEngine::new();
    rhai::install(&mut engine, Context::new()).unwrap();
    let out: String = engine
        .eval(
            "let r = words::end::repeat(\"ab\", 2);
             let m = words::end::match(\"yes\");
             let n = words::end::new();
             let v = words::end::nil();
             `${r} ${m} ${n} ${type_of(v)}`",
        )
        .unwrap();
    assert_eq!(out, "abab true 7 ()");
    let findings = texts(goost_rhai::check::check(
        "let a = words::end::match(\"yes\");\nlet b = words::end::match(1);\n",
        &Checker::new([&spec()]),
    ));
    assert_eq!(
        findings,
        [
            "2:9: words.end.match(function: string) -> bool: argument 1 (function) expects string, got int"
        ]
    );
}
