//! Dropping a Lua state releases the context it held, from the process-wide GC figures
//! (docs/history/reliability.md, round 2, item 4). One test in its own binary: the figures are
//! process-wide.

use goost_bind::Context;
use goost_lua::{self as lua, mlua};
use memory_runtime::gc;

#[test]
fn a_dropped_lua_state_leaves_nothing_in_the_gc_figures() {
    gc::set_percent(-1); // no automatic cycle while the figures are read
    let before = gc::held();
    let vm = mlua::Lua::new();
    lua::install(&vm, Context::new()).unwrap();
    vm.load(
        r#"local memory = require("memory")
           local b = memory.buffer.new()
           memory.buffer.write(b, string.rep("x", 8 * 1024 * 1024))"#,
    )
    .exec()
    .unwrap();
    assert!(gc::held() >= before + (8 << 20), "{}", gc::held());
    drop(vm);
    assert_eq!(gc::held(), before);
}
