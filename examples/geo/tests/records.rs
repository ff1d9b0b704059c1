//! The tutorial's records, enum and map (issue 29): `geo.Point`, `geo.Unit`,
//! `geo.point.mid`, `dist` and `count`, called as the issue shows them, in goost, Lua
//! (feature `lua`) and Rhai (feature `rhai`). The natives take no state, so any context
//! runs them.

use goost_memory::{Context, host};
// The crate that binds `geo`: linked, its natives register.
use geo_module as _;

/// Runs a goost script: its output, or its error.
fn goost(source: &str) -> Result<String, String> {
    let mut out = Vec::new();
    host::run("t.goost", source, &Context::new(), &mut out)?;
    Ok(String::from_utf8(out).expect("the script prints text"))
}

#[test]
fn goost_passes_records_enums_and_reads_the_map_back() {
    assert_eq!(
        goost(
            "import geo\n\
             let m = geo.point.mid({x: 0.0, y: 0.0}, {x: 2.0, y: 4.0})\n\
             print(m.x, m.y, m.label)\n\
             print(geo.point.dist({x: 0.0, y: 0.0}, {x: 3000.0, y: 4000.0}, \"km\"))\n\
             print(geo.point.dist({x: 0.0, y: 0.0}, {x: 3.0, y: 4.0}))\n\
             print(geo.point.count([{x: 0.0, y: 0.0, label: \"a\"}, {x: 1.0, y: 1.0, label: \"a\"}, {x: 2.0, y: 2.0}])[\"a\"])\n\
             print(geo.point.count([{x: 2.0, y: 2.0}]))\n"
        ),
        Ok("1 2 nil\n5\n5\n2\nmap[:1]\n".to_string())
    );
}

#[test]
fn goost_gets_the_glues_errors_for_wrong_records_and_units() {
    let dist = "geo.point.dist(a: geo.Point, b: geo.Point, unit: geo.Unit?) -> float";
    let cases = [
        (
            "geo.point.dist({x: 0.0}, {x: 1.0, y: 1.0})",
            format!(
                "t.goost:2:1: {dist}: argument 1 (a) expects geo.Point, got a map without the field `y`"
            ),
        ),
        (
            "geo.point.dist({x: 0.0, y: \"1\"}, {x: 1.0, y: 1.0})",
            format!("t.goost:2:1: {dist}: argument 1 (a) field y expects float, got string"),
        ),
        (
            "geo.point.dist({x: 0.0, y: 0.0, lable: \"a\"}, {x: 1.0, y: 1.0})",
            format!(
                "t.goost:2:1: {dist}: argument 1 (a) expects geo.Point, got a map with a field the record does not have (the nearest is `label`)"
            ),
        ),
        (
            "geo.point.dist({x: 0.0, y: 0.0}, {x: 1.0, y: 1.0}, \"miles\")",
            format!(
                "t.goost:2:1: {dist}: argument 3 (unit) expects geo.Unit?, got a string that is not one of \"m\", \"km\", \"mi\""
            ),
        ),
    ];
    for (call, expected) in cases {
        assert_eq!(
            goost(&format!("import geo\n{call}\n")),
            Err(expected),
            "{call}"
        );
    }
}

#[cfg(feature = "lua")]
#[test]
fn lua_passes_tables_and_gets_them_back() {
    use goost_memory::hosts::lua::{self, mlua};
    let vm = mlua::Lua::new();
    lua::install(&vm, Context::new()).unwrap();
    let (x, km, a, label): (f64, f64, i64, Option<String>) = vm
        .load(
            r#"local geo = require("geo")
               local m = geo.point.mid({ x = 0.0, y = 0.0 }, { x = 2.0, y = 4.0 })
               local counts = geo.point.count({ { x = 0, y = 0, label = "a" },
                                                { x = 1, y = 1, label = "a" }, { x = 2, y = 2 } })
               return m.x, geo.point.dist({ x = 0, y = 0 }, { x = 3000, y = 4000 }, "km"),
                      counts.a, m.label"#,
        )
        .eval()
        .unwrap();
    assert_eq!((x, km, a, label), (1.0, 5.0, 2, None));
}

#[cfg(feature = "rhai")]
#[test]
fn rhai_passes_object_maps_and_gets_them_back() {
    use goost_memory::hosts::rhai::{self as bridge, rhai};
    let mut engine = rhai::Engine::new();
    bridge::install(&mut engine, Context::new()).unwrap();
    let result: rhai::Array = engine
        .eval(
            r#"let m = geo::point::mid(#{x: 0.0, y: 0.0}, #{x: 2.0, y: 4.0});
               let counts = geo::point::count([#{x: 0.0, y: 0.0, label: "a"},
                                               #{x: 1.0, y: 1.0, label: "a"}, #{x: 2.0, y: 2.0}]);
               [m.x, geo::point::dist(#{x: 0.0, y: 0.0}, #{x: 3000.0, y: 4000.0}, "km"), counts.a]"#,
        )
        .unwrap();
    assert_eq!(result[0].as_float().unwrap(), 1.0);
    assert_eq!(result[1].as_float().unwrap(), 5.0);
    assert_eq!(result[2].as_int().unwrap(), 2);
}
