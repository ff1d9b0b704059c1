//! The facade from outside the workspace, on the Lua the features name and on Rhai's
//! defaults: `.ci/run` runs these with `--features luajit` and `--features luau`.

use goost_memory::hosts::lua::mlua;

#[test]
fn the_seed_example_runs_through_require_memory() {
    let lines = embedder::lua_prints(include_str!("../../seed.lua")).unwrap();
    assert_eq!(&lines[..3], ["hello world", "11", "1"]);
    assert!(lines[3].parse::<f64>().unwrap() > 0.0, "{lines:?}");
    assert_eq!(lines.len(), 4);
}

#[test]
fn a_wrong_call_is_the_glues_error() {
    let error = embedder::lua_prints("require('memory').buffer.write(1)").unwrap_err();
    let mlua::Error::CallbackError { cause, .. } = error else {
        panic!("not a callback error: {error}")
    };
    assert_eq!(
        cause.to_string(),
        "memory.buffer.write(id: int, data: string) -> bool: expects 2 arguments, got 1"
    );
    let error = embedder::lua_prints("require('memory').buffer.len(1.5)").unwrap_err();
    let mlua::Error::CallbackError { cause, .. } = error else {
        panic!("not a callback error: {error}")
    };
    assert_eq!(
        cause.to_string(),
        "memory.buffer.len(id: int) -> int: argument 1 (id) expects int, got float"
    );
}

#[test]
fn rhai_on_its_defaults_calls_the_memory_natives() {
    assert_eq!(
        embedder::rhai_eval(
            r#"let b = memory::buffer::new(); memory::buffer::write(b, "hi"); memory::buffer::read(b)"#
        ),
        Ok("hi".to_string())
    );
    assert_eq!(
        embedder::rhai_eval("memory::buffer::len(99)"),
        Err("Runtime error: memory.buffer.len: handle 99 is not a buffer handle: this context never issued it (line 1, position 17)".to_string())
    );
}
