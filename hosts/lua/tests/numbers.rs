//! How ints cross into each Lua (`goost_lua::flavour`): Lua integers on 5.3 and 5.4; on
//! Lua 5.1, 5.2, LuaJIT and Luau, whose numbers are doubles, integral numbers within
//! ±(2^53 − 1) both ways and the glue's error for anything else. `.ci/run` runs this file
//! on Lua 5.4, LuaJIT and Luau.

use goost_bind::{Context, native};
use goost_lua::flavour::{self, HAS_INTEGERS};
use goost_lua::mlua::{self, Lua};

#[native("numbers.pass.int", spec = "tests/numbers.spec")]
fn int(n: i64) -> i64 {
    n
}

#[native("numbers.pass.ints", spec = "tests/numbers.spec")]
fn ints(ns: Vec<i64>) -> Vec<i64> {
    ns
}

#[native("numbers.pass.float", spec = "tests/numbers.spec")]
fn float(x: f64) -> f64 {
    x
}

#[native("numbers.pass.around", spec = "tests/numbers.spec")]
fn around(n: i64) -> Vec<i64> {
    vec![n.saturating_sub(1), n, n.saturating_add(1)]
}

#[native("numbers.pass.offset", spec = "tests/numbers.spec")]
fn offset(n: i64, by: i64) -> i64 {
    n.saturating_add(by)
}

/// A Lua state with the `numbers` module installed.
fn lua() -> Lua {
    let vm = Lua::new();
    goost_lua::install_modules(&vm, Context::new(), &["numbers"]).unwrap();
    vm
}

/// What `script` returns, or its error's text. A number is shown in full: an integer as
/// itself; a float with `.0` where Lua has integers (so the two differ), as its integral
/// value where it has only doubles.
fn outcome(vm: &Lua, script: &str) -> String {
    let script = format!("local n = require('numbers').pass; return {script}");
    match vm.load(script).eval::<mlua::Value>() {
        Ok(mlua::Value::Integer(n)) => n.to_string(),
        Ok(mlua::Value::Number(x)) if HAS_INTEGERS => format!("{x:?}"),
        Ok(mlua::Value::Number(x)) if x.fract() == 0.0 => format!("{x:.0}"),
        Ok(mlua::Value::Number(x)) => x.to_string(),
        Ok(other) => format!("{other:?}"),
        Err(mlua::Error::CallbackError { cause, .. }) => format!("error: {cause}"),
        Err(other) => format!("error: {other}"),
    }
}

#[test]
fn integral_numbers_are_ints_in_every_lua() {
    let vm = lua();
    assert_eq!(outcome(&vm, "n.int(42)"), "42");
    assert_eq!(outcome(&vm, "n.int(-7.0)"), "-7");
    assert_eq!(outcome(&vm, "n.offset(2^53 - 2, 1)"), "9007199254740991");
    assert_eq!(outcome(&vm, "n.ints({1, 2, 3})[3]"), "3");
    assert_eq!(
        outcome(&vm, "n.float(3)"),
        if HAS_INTEGERS { "3.0" } else { "3" }
    );
    assert_eq!(outcome(&vm, "n.float(0.5)"), "0.5");
}

#[test]
fn a_fraction_nan_or_infinity_for_an_int_is_the_glues_error_naming_the_argument() {
    let vm = lua();
    for script in [
        "n.int(1.5)",
        "n.int(0/0)",
        "n.int(1/0)",
        "n.offset(1, 1e-17)",
    ] {
        let (signature, position, name) = if script.starts_with("n.int") {
            ("numbers.pass.int(n: int) -> int", 1, "n")
        } else {
            ("numbers.pass.offset(n: int, by: int) -> int", 2, "by")
        };
        assert_eq!(
            outcome(&vm, script),
            format!("error: {signature}: argument {position} ({name}) expects int, got float"),
            "{script}"
        );
    }
    assert_eq!(
        outcome(&vm, "n.ints({1, 2.5})"),
        "error: numbers.pass.ints(ns: list<int>) -> list<int>: argument 1 (ns) expects list<int>, got a list whose element 2 is float"
    );
}

#[test]
fn ints_beyond_two_to_the_53_cross_only_where_lua_has_integers() {
    let vm = lua();
    if HAS_INTEGERS {
        assert_eq!(outcome(&vm, "n.int(2^60)"), "1152921504606846976");
        assert_eq!(
            outcome(&vm, "n.offset(9007199254740991, 1)"),
            "9007199254740992"
        );
        assert_eq!(
            outcome(&vm, "n.ints({9007199254740991, 1})[1] + 1"),
            "9007199254740992"
        );
        return;
    }
    // A double of 2^60 is integral, but it also stands for the integers around it.
    assert_eq!(
        outcome(&vm, "n.int(2^60)"),
        "error: numbers.pass.int(n: int) -> int: argument 1 (n) expects int, got float"
    );
    assert_eq!(
        outcome(&vm, "n.int(2^53)"),
        "error: numbers.pass.int(n: int) -> int: argument 1 (n) expects int, got float"
    );
    let name = flavour::NAME;
    assert_eq!(
        outcome(&vm, "n.offset(9007199254740991, 1)"),
        format!(
            "error: numbers.pass.offset: result 9007199254740992 has no exact {name} number: \
             {name} numbers are doubles, which hold ints only within ±9007199254740991 (2^53 - 1)"
        )
    );
    assert_eq!(
        outcome(&vm, "n.offset(-9007199254740991, -5)"),
        format!(
            "error: numbers.pass.offset: result -9007199254740996 has no exact {name} number: \
             {name} numbers are doubles, which hold ints only within ±9007199254740991 (2^53 - 1)"
        )
    );
}

#[test]
fn a_list_result_holding_an_int_beyond_two_to_the_53_is_an_error_where_lua_has_no_integers() {
    let vm = lua();
    assert_eq!(
        outcome(&vm, "n.around(9007199254740990)[3]"),
        "9007199254740991"
    );
    let edge = outcome(&vm, "n.around(9007199254740991)[3]");
    if HAS_INTEGERS {
        assert_eq!(edge, "9007199254740992");
        return;
    }
    let name = flavour::NAME;
    assert_eq!(
        edge,
        format!(
            "error: numbers.pass.around: result 9007199254740992 has no exact {name} number: \
             {name} numbers are doubles, which hold ints only within ±9007199254740991 (2^53 - 1)"
        )
    );
}

#[test]
fn a_table_of_a_million_ints_converts_in_every_lua() {
    let vm = lua();
    let script = "(function()
                      local t = {} for i = 1, 1000000 do t[i] = i end
                      local back = n.ints(t)
                      return #back + back[1000000]
                  end)()";
    assert_eq!(outcome(&vm, script), "2000000");
}
