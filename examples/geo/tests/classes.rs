//! The tutorial's class (issue 28): `geo.path.new` makes a `geo.Path`, a script calls its
//! methods, and `geo.stats.paths` counts the paths alive, which each `Path`'s `Drop`
//! counts down: in goost, Lua (feature `lua`) and Rhai (feature `rhai`), as the issue
//! shows them.

use geo_module::GeoState;
use goost_memory::{Context, host};

/// A context with the tutorial's state.
fn geo_context() -> Context {
    Context::builder().state(GeoState::new((0, 0), "P")).build()
}

/// Runs a goost script on `ctx`: its output, or its error.
fn goost(ctx: &Context, source: &str) -> Result<String, String> {
    let mut out = Vec::new();
    host::run("t.goost", source, ctx, &mut out)?;
    Ok(String::from_utf8(out).expect("the script prints text"))
}

#[test]
fn goost_makes_a_path_calls_its_methods_and_drops_it() {
    let ctx = geo_context();
    assert_eq!(
        goost(
            &ctx,
            "import geo\n\
             let p = geo.path.new(\"trip\")\n\
             p.push(0.0, 0.0)\n\
             p.push(3.0, 4.0)\n\
             print(p.length())\n\
             print(p, p.name(), geo.stats.paths())\n\
             p = 0\n\
             print(geo.stats.paths())\n\
             let i = 0\n\
             while i < 100000 {\n\
               let q = geo.path.new(\"x\")\n\
               q.push(1.0, 1.0)\n\
               i = i + 1\n\
             }\n\
             print(geo.stats.paths())\n"
        ),
        Ok("5\ngeo.Path trip 1\n0\n0\n".to_string())
    );
}

#[cfg(feature = "lua")]
#[test]
fn lua_makes_a_path_and_collects_it() {
    use goost_memory::hosts::lua::{self, mlua};
    let ctx = geo_context();
    let vm = mlua::Lua::new();
    lua::install(&vm, ctx.clone()).unwrap();
    let (length, text, alive): (f64, String, i64) = vm
        .load(
            r#"local geo = require("geo")
               p = geo.path.new("trip")
               p:push(0, 0)
               p:push(3, 4)
               return p:length(), tostring(p), geo.stats.paths()"#,
        )
        .eval()
        .unwrap();
    assert_eq!((length, text.as_str(), alive), (5.0, "geo.Path", 1));
    let after: (i64, i64) = vm
        .load(
            r#"local geo = require("geo")
               p = nil
               collectgarbage()
               local gone = geo.stats.paths()
               for i = 1, 100000 do geo.path.new("x"):push(1, 1) end
               collectgarbage()
               collectgarbage()
               return gone, geo.stats.paths()"#,
        )
        .eval()
        .unwrap();
    assert_eq!(after, (0, 0));
}

#[cfg(feature = "rhai")]
#[test]
fn rhai_makes_a_path_and_drops_it_when_the_script_ends() {
    use goost_memory::hosts::rhai::{self as bridge, rhai};
    let ctx = geo_context();
    let mut engine = rhai::Engine::new();
    bridge::install(&mut engine, ctx.clone()).unwrap();
    let result: rhai::Array = engine
        .eval(
            r#"let p = geo::path::new("trip");
               p.push(0.0, 0.0);
               p.push(3.0, 4.0);
               [p.length(), p.name(), geo::stats::paths()]"#,
        )
        .unwrap();
    assert_eq!(result[0].as_float().unwrap(), 5.0);
    assert_eq!(result[1].clone().into_string().unwrap(), "trip");
    assert_eq!(result[2].as_int().unwrap(), 1);
    let alive: i64 = engine
        .eval(
            r#"for i in 0..100000 { let q = geo::path::new("x"); q.push(1.0, 1.0); }
               geo::stats::paths()"#,
        )
        .unwrap();
    assert_eq!(alive, 0);
}
