//! A host's own `FromValue` that panics is contained in every host, as the native's own
//! panic is: an error naming the native, and the context goes on working (docs/history/reliability.md,
//! round 3, item 7).

use goost_memory::{ArgRef, Context, FromValue, Mismatch, ScriptType, host, native};

/// An `int` whose conversion panics on 13 (a bug in a host's newtype).
struct Unlucky(i64);

impl FromValue<'_> for Unlucky {
    const TYPE: ScriptType = ScriptType::Int;
    fn from_value(value: ArgRef<'_>) -> Result<Self, Mismatch> {
        match value {
            ArgRef::Int(13) => panic!("13 is unlucky"),
            ArgRef::Int(n) => Ok(Unlucky(n)),
            other => Err(Mismatch::of(other)),
        }
    }
}

#[native("fragile.num.half", spec = "tests/fixture/fragile.spec")]
fn half(n: Unlucky) -> i64 {
    n.0 / 2
}

const PANICKED: &str = "fragile.num.half panicked: 13 is unlucky";

#[test]
fn the_goost_host_reports_a_panicking_conversion_and_goes_on() {
    let ctx = Context::new();
    let mut out = Vec::new();
    let error = host::run(
        "t.goost",
        "import fragile\nprint(fragile.num.half(13))\n",
        &ctx,
        &mut out,
    )
    .unwrap_err();
    assert_eq!(error.to_string(), format!("t.goost:2:7: {PANICKED}"));
    host::run(
        "t.goost",
        "import fragile\nprint(fragile.num.half(8))\n",
        &ctx,
        &mut out,
    )
    .unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "4\n");
}

#[cfg(feature = "rhai")]
#[test]
fn rhai_reports_a_panicking_conversion_and_goes_on() {
    use goost_memory::hosts::rhai::{self, rhai::Engine};
    let mut engine = Engine::new();
    rhai::install(&mut engine, Context::new()).unwrap();
    let error = engine.eval::<i64>("fragile::num::half(13)").unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("Runtime error: {PANICKED} (line 1, position 15)")
    );
    assert_eq!(engine.eval::<i64>("fragile::num::half(8)").unwrap(), 4);
}

#[cfg(feature = "lua")]
#[test]
fn lua_reports_a_panicking_conversion_and_goes_on() {
    use goost_memory::hosts::lua::{self, mlua};
    let vm = mlua::Lua::new();
    lua::install(&vm, Context::new()).unwrap();
    let error = vm
        .load(r#"return require("fragile").num.half(13)"#)
        .eval::<i64>()
        .unwrap_err();
    let mlua::Error::CallbackError { cause, .. } = &error else {
        panic!("expected a callback error, got {error:?}");
    };
    let error = cause.downcast_ref::<goost_memory::Error>().unwrap();
    assert_eq!(error.to_string(), PANICKED);
    let half: i64 = vm
        .load(r#"return require("fragile").num.half(8)"#)
        .eval()
        .unwrap();
    assert_eq!(half, 4);
}
