//! Objects of a spec class in Lua (issue 28), on whichever Lua goost-lua's features name
//! (`.ci/run` runs this file on Lua 5.4, LuaJIT and Luau): a full userdata with its
//! class's methods, `tostring` and `==`, dropped exactly once when Lua collects it, and
//! the glue's errors for every misuse. The module is `tests/fixture/paths.rs`, shared
//! with the facade's object tests.

use std::sync::atomic::Ordering;

use goost_bind::Context;
use goost_lua::mlua::{self, Lua};

#[path = "../../../tests/fixture/paths.rs"]
mod paths;
use paths::PathsState;

/// A context with the module's state, and a Lua state with the module installed in it.
fn lua() -> (Context, Lua) {
    let ctx = Context::builder().state(PathsState::default()).build();
    let vm = Lua::new();
    goost_lua::install_modules(&vm, ctx.clone(), &["paths"]).unwrap();
    (ctx, vm)
}

/// The paths of `ctx` alive now.
fn alive(ctx: &Context) -> i64 {
    ctx.state::<PathsState>()
        .unwrap()
        .alive
        .load(Ordering::SeqCst)
}

/// What `script` returns (after `local paths = require('paths')`), shown as text, or its
/// error's text.
fn run(vm: &Lua, script: &str) -> String {
    let module = if goost_lua::flavour::IS_LUAU {
        "@paths"
    } else {
        "paths"
    };
    let script = format!("local paths = require('{module}')\n{script}");
    match vm.load(script).eval::<mlua::MultiValue>() {
        Ok(values) => values
            .iter()
            .map(|v| v.to_string().unwrap_or_else(|e| e.to_string()))
            .collect::<Vec<_>>()
            .join(" "),
        Err(mlua::Error::CallbackError { cause, .. }) => format!("error: {cause}"),
        Err(other) => format!("error: {other}"),
    }
}

#[test]
fn lua_calls_methods_on_a_userdata_that_names_its_class() {
    let (ctx, vm) = lua();
    assert_eq!(
        run(
            &vm,
            "local p = paths.path.new('trip')
             p:push(0, 0)
             local n = p:push(3, 4)
             local q = p
             return n, p:length(), p:name(), paths.path.points(q), p == q,
                    p == paths.path.new('other'), tostring(p), getmetatable(p),
                    p:extend({ 6, 8, 9, 12 })"
        ),
        "2 5 trip 2 true false paths.Path paths.Path 4"
    );
    vm.gc_collect().unwrap();
    vm.gc_collect().unwrap();
    assert_eq!(alive(&ctx), 0);
}

#[test]
fn lua_drops_each_object_once_when_it_is_collected() {
    let (ctx, vm) = lua();
    assert_eq!(
        run(
            &vm,
            "p = paths.path.new('kept')
             for i = 1, 100000 do paths.path.new('x'):push(1, 2) end
             collectgarbage()
             collectgarbage()
             return paths.stats.alive()"
        ),
        "1"
    );
    assert_eq!(
        run(
            &vm,
            "p = nil collectgarbage() collectgarbage() return paths.stats.alive()"
        ),
        "0"
    );
    // A state dropped while it holds objects drops them.
    run(&vm, "p = paths.path.new('left behind')");
    assert_eq!(alive(&ctx), 1);
    drop(vm);
    assert_eq!(alive(&ctx), 0);
}

#[test]
fn lua_method_mistakes_are_the_glues_errors() {
    let (_ctx, vm) = lua();
    let push = "paths.Path.push(x: float, y: float) -> int";
    let cases = [
        (
            "local p = paths.path.new('a') return p.push(3, 4)",
            format!("error: {push}: is a method of paths.Path objects, called on int"),
        ),
        (
            "local p = paths.path.new('a') return p:push(1)",
            format!("error: {push}: expects 2 arguments, got 1"),
        ),
        (
            "local p = paths.path.new('a') return p:push(1, 'y')",
            format!("error: {push}: argument 2 (y) expects float, got string"),
        ),
        (
            "return paths.path.points({})",
            "error: paths.path.points(path: paths.Path) -> int: argument 1 (path) expects paths.Path, got table".to_string(),
        ),
        (
            "local p = paths.path.new('a') return p:psh(1, 2)",
            "error: paths.Path has no method `psh`; the nearest are `push`, `extend`, `length`"
                .to_string(),
        ),
        (
            "local s = paths.stop.new('s') return s:push(1, 2)",
            "error: paths.Stop has no method `push`; the nearest are `name`".to_string(),
        ),
        (
            "return paths.path.points(paths.stop.new('s'))",
            "error: paths.path.points(path: paths.Path) -> int: argument 1 (path) expects paths.Path, got paths.Stop".to_string(),
        ),
        (
            "local p = paths.path.new('a') return p:extend({ 1, 'a' })",
            "error: paths.Path.extend(xy: list<float>) -> int: argument 1 (xy) expects list<float>, got a list whose element 2 is string".to_string(),
        ),
        (
            "local p = paths.path.new('a') return p:extend({ 1, print })",
            "error: paths.Path.extend(xy: list<float>) -> int: argument 1 is a table whose element 2 is a Lua function, which has no script type".to_string(),
        ),
        (
            "local p = paths.path.new('a') local push = p.push return push(coroutine.create(print), 1, 2)",
            format!("error: {push}: the object it is called on is a Lua thread, which has no script type"),
        ),
        (
            "return paths.path.points(coroutine.create(print))",
            "error: paths.path.points(path: paths.Path) -> int: argument 1 is a Lua thread, which has no script type".to_string(),
        ),
    ];
    for (script, expected) in cases {
        assert_eq!(run(&vm, script), expected, "{script}");
    }
}

#[test]
fn lua_refuses_an_object_a_finalizer_kept_past_its_collection_as_dropped() {
    // Luau runs no script finalizers, so nothing there can keep a collected object.
    if goost_lua::flavour::IS_LUAU {
        return;
    }
    let (ctx, vm) = lua();
    // The finalizer of a value collected in the same cycle keeps the object: its `__gc`
    // runs all the same (Lua 5.1 and LuaJIT finalize only userdata, made by `newproxy`).
    let kept = run(
        &vm,
        "local function keep(p)
             local function hold() kept = p end
             if newproxy then
                 getmetatable(newproxy(true)).__gc = hold
             else
                 setmetatable({}, { __gc = hold })
             end
         end
         keep(paths.path.new('a'))
         collectgarbage()
         collectgarbage()
         return tostring(kept), paths.stats.alive()",
    );
    assert_eq!(kept, "paths.Path (dropped) 0");
    let length = "paths.Path.length() -> float";
    let points = "paths.path.points(path: paths.Path) -> int";
    let dropped = "is a paths.Path object that Lua has collected, so dropped (a finalizer kept it past its __gc)";
    for (script, expected) in [
        (
            "return kept:length()",
            format!("error: {length}: the object it is called on {dropped}"),
        ),
        (
            "return paths.path.points(kept)",
            format!("error: {points}: argument 1 {dropped}"),
        ),
        (
            "return kept == kept, kept == paths.path.new('b')",
            "true false".to_string(),
        ),
    ] {
        assert_eq!(run(&vm, script), expected, "{script}");
    }
    drop(vm);
    assert_eq!(alive(&ctx), 0);
}

#[test]
fn a_method_table_argument_past_the_conversion_limit_is_refused_by_its_parameter() {
    let ctx = Context::builder()
        .state(PathsState::default())
        .conversion_limit(4 << 10)
        .build();
    let vm = Lua::new();
    goost_lua::install_modules(&vm, ctx, &["paths"]).unwrap();
    let extend = |n: usize| {
        format!(
            "local xy = {{}} for i = 1, {n} do xy[i] = i end \
             return paths.path.new('a'):extend(xy)"
        )
    };
    assert_eq!(run(&vm, &extend(10)), "5");
    assert_eq!(
        run(&vm, &extend(100_000)),
        "error: paths.Path.extend(xy: list<float>) -> int: argument 1 (xy) would take more \
         than 4096 bytes to convert (the context's conversion limit)"
    );
}

/// The bridge knows its objects by their memory: a host's userdata as long as one, or
/// longer, and a light userdata are no objects, whatever their bytes.
#[test]
fn a_hosts_userdata_is_no_object_whatever_its_bytes() {
    let (_ctx, vm) = lua();
    let points = "paths.path.points(path: paths.Path) -> int";
    for (name, value) in [
        (
            "same_size",
            mlua::Value::UserData(vm.create_any_userdata([0u64, 0u64]).unwrap()),
        ),
        (
            "larger",
            mlua::Value::UserData(vm.create_any_userdata([u64::MAX; 8]).unwrap()),
        ),
        (
            "light",
            mlua::Value::LightUserData(mlua::LightUserData(std::ptr::null_mut())),
        ),
    ] {
        vm.globals().set(name, value).unwrap();
    }
    for name in ["same_size", "larger", "light"] {
        assert_eq!(
            run(&vm, &format!("return paths.path.points({name})")),
            format!("error: {points}: argument 1 is a Lua userdata, which has no script type"),
            "{name}"
        );
    }
}
