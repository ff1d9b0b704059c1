//! The tutorial module run from every host the facade offers: goost always, Lua and Rhai
//! with their features (`cargo test-all`, an alias in `.cargo/config.toml`). In each: the natives
//! answer with the context's own state, a context without the state gets the error that
//! names the native and the type, and a native that panics becomes an error naming it,
//! after which the context still works.

use geo_module::GeoState;
use goost_memory::{Context, host, native};

#[native("probe.fail.now", spec = "tests/probe.spec")]
fn now(reason: &str) -> i64 {
    panic!("{reason}")
}

const MISSING: &str = "geo.point.dist2: this context has no `geo_module::GeoState`; the host \
                       provides it with `Context::builder().state(..)` or `Context::insert_state`";
const PANICKED: &str = "probe.fail.now panicked: attempt to multiply with overflow";

fn geo_context() -> Context {
    Context::builder().state(GeoState::new((1, 2), "P")).build()
}

/// Runs a goost script on `ctx`: its output, or its error.
fn goost(ctx: &Context, source: &str) -> Result<String, String> {
    let mut out = Vec::new();
    host::run("t.goost", source, ctx, &mut out)?;
    Ok(String::from_utf8(out).expect("the script prints text"))
}

#[test]
fn goost_scripts_use_the_module_with_their_contexts_state() {
    let ctx = geo_context();
    let script = "import geo\n\
                  print(geo.point.dist2(4, 6))\n\
                  print(geo.point.label(4, 6))\n\
                  print(geo.point.label(0, 0))\n\
                  print(geo.stats.labels())\n";
    assert_eq!(
        goost(&ctx, script),
        Ok("25\nP(4, 6)\nP(0, 0)\n2\n".to_string())
    );
    // Another context has a state of its own.
    let other = Context::builder().state(GeoState::new((0, 0), "Q")).build();
    assert_eq!(
        goost(
            &other,
            "import geo\nprint(geo.point.label(1, 1))\nprint(geo.stats.labels())\n"
        ),
        Ok("Q(1, 1)\n1\n".to_string())
    );
    assert_eq!(
        goost(
            &ctx,
            "import geo\nprint(geo.point.dist2(9223372036854775807, 0))\n"
        ),
        Err(
            "t.goost:2:7: geo.point.dist2: the squared distance from (1, 2) to \
             (9223372036854775807, 0) does not fit an int"
                .to_string()
        )
    );
}

#[test]
fn goost_without_the_state_is_an_error_naming_native_and_type() {
    let ctx = Context::new();
    assert_eq!(
        goost(&ctx, "import geo\nprint(geo.point.dist2(1, 1))\n"),
        Err(format!("t.goost:2:7: {MISSING}"))
    );
}

#[test]
fn goost_a_panicking_native_is_an_error_and_the_context_goes_on() {
    let ctx = geo_context();
    assert_eq!(
        goost(
            &ctx,
            "import probe\nprobe.fail.now(\"attempt to multiply with overflow\")\n"
        ),
        Err(format!("t.goost:2:1: {PANICKED}"))
    );
    assert_eq!(
        goost(&ctx, "import geo\nprint(geo.point.label(7, 8))\n"),
        Ok("P(7, 8)\n".to_string())
    );
}

#[cfg(feature = "lua")]
mod lua {
    use super::*;
    use goost_memory::hosts::lua::{self, mlua};

    fn eval<T: mlua::FromLuaMulti>(vm: &mlua::Lua, chunk: &str) -> mlua::Result<T> {
        vm.load(chunk).eval()
    }

    #[test]
    fn lua_requires_the_module_and_its_state_answers() {
        let vm = mlua::Lua::new();
        lua::install(&vm, geo_context()).unwrap();
        let (d, label, count): (i64, String, i64) = eval(
            &vm,
            r#"local geo = require("geo")
               return geo.point.dist2(4, 6), geo.point.label(4, 6), geo.stats.labels()"#,
        )
        .unwrap();
        assert_eq!((d, label.as_str(), count), (25, "P(4, 6)", 1));
    }

    #[test]
    fn lua_gets_the_missing_state_and_panic_errors_and_goes_on() {
        let vm = mlua::Lua::new();
        lua::install(&vm, Context::new()).unwrap();
        let missing: String = eval(
            &vm,
            r#"local ok, err = pcall(require("geo").point.dist2, 1, 1)
               return tostring(err)"#,
        )
        .unwrap();
        assert!(missing.contains(MISSING), "{missing}");

        let vm = mlua::Lua::new();
        lua::install(&vm, geo_context()).unwrap();
        let (panicked, after): (String, String) = eval(
            &vm,
            r#"local ok, err = pcall(require("probe").fail.now, "attempt to multiply with overflow")
               return tostring(err), require("geo").point.label(7, 8)"#,
        )
        .unwrap();
        assert!(panicked.contains(PANICKED), "{panicked}");
        assert_eq!(after, "P(7, 8)");
    }

    #[test]
    fn lua_installs_only_the_modules_a_host_chooses() {
        let vm = mlua::Lua::new();
        lua::install_modules(&vm, geo_context(), &["geo"]).unwrap();
        let label: String = eval(&vm, r#"return require("geo").point.label(1, 2)"#).unwrap();
        assert_eq!(label, "P(1, 2)");
        let error = eval::<mlua::Value>(&vm, r#"return require("memory")"#).unwrap_err();
        assert!(
            error.to_string().contains("module 'memory' not found"),
            "{error}"
        );
        let error = lua::install_modules(&mlua::Lua::new(), geo_context(), &["gao"]).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("no module `gao` is registered (registered: geo, memory, probe)"),
            "{error}"
        );
    }
}

#[cfg(feature = "rhai")]
mod rhai {
    use super::*;
    use goost_memory::hosts::rhai::{self as bridge, rhai};

    #[test]
    fn rhai_calls_the_module_with_its_state() {
        let mut engine = rhai::Engine::new();
        bridge::install(&mut engine, geo_context()).unwrap();
        let label: String = engine
            .eval(r#"let d = geo::point::dist2(4, 6); geo::point::label(d, 0)"#)
            .unwrap();
        assert_eq!(label, "P(25, 0)");
        let count: i64 = engine.eval("geo::stats::labels()").unwrap();
        assert_eq!(count, 1);
    }

    #[test]
    fn rhai_gets_the_missing_state_and_panic_errors_and_goes_on() {
        let mut engine = rhai::Engine::new();
        bridge::install(&mut engine, Context::new()).unwrap();
        let error = engine.eval::<i64>("geo::point::dist2(1, 1)").unwrap_err();
        assert!(error.to_string().contains(MISSING), "{error}");

        let mut engine = rhai::Engine::new();
        bridge::install(&mut engine, geo_context()).unwrap();
        let error = engine
            .eval::<i64>(r#"probe::fail::now("attempt to multiply with overflow")"#)
            .unwrap_err();
        assert!(error.to_string().contains(PANICKED), "{error}");
        let label: String = engine.eval("geo::point::label(7, 8)").unwrap();
        assert_eq!(label, "P(7, 8)");
    }

    #[test]
    fn rhai_installs_only_the_modules_a_host_chooses() {
        let mut engine = rhai::Engine::new();
        bridge::install_modules(&mut engine, geo_context(), &["geo"]).unwrap();
        assert_eq!(
            engine.eval::<String>("geo::point::label(1, 2)").unwrap(),
            "P(1, 2)"
        );
        assert!(engine.eval::<i64>("memory::buffer::new()").is_err());
        let error =
            bridge::install_modules(&mut rhai::Engine::new(), geo_context(), &["gao"]).unwrap_err();
        let bridge::InstallError::UnknownModule(unknown) = &error else {
            panic!("expected an unknown module, got {error:?}");
        };
        assert_eq!(unknown.registered, ["geo", "memory", "probe"]);
        assert_eq!(
            error.to_string(),
            "no module `gao` is registered (registered: geo, memory, probe); a module's natives \
             register when the crate that binds it is linked into the program, which takes a \
             reference to something in it (`use that_crate as _;` is enough)"
        );
    }
}
