//! The module in Rhai through the generic bridge (feature `rhai`).

mod support;

use std::sync::{Arc, Mutex};

use goost_bind::Context;
use goost_rhai as bridge;
use goost_rhai::rhai::{Dynamic, Engine};
// The memory module, named so that it is linked and its natives registered.
use memory_runtime as _;
use support::assert_seed_output;

fn engine_with_output() -> (Engine, Arc<Mutex<Vec<String>>>) {
    let mut engine = Engine::new();
    bridge::install(&mut engine, Context::new()).unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    engine.on_print(move |text| sink.lock().unwrap().push(text.to_string()));
    (engine, lines)
}

#[test]
fn the_translated_seed_example_prints_the_same_lines() {
    let (engine, lines) = engine_with_output();
    engine
        .run(include_str!("../../examples/seed.rhai"))
        .unwrap();
    assert_seed_output(&lines.lock().unwrap());
}

#[test]
fn every_native_answers_through_the_bridge() {
    let (engine, _) = engine_with_output();
    let results: goost_rhai::rhai::Array = engine
        .eval(
            r#"
            let out = [];
            let b = memory::buffer::new();
            out.push(b);
            out.push(memory::buffer::write(b, "héllo"));
            out.push(memory::buffer::read(b));
            out.push(memory::buffer::len(b));
            out.push(memory::buffer::reset(b));
            out.push(memory::buffer::len(b));
            out.push(memory::buffer::free(b));
            let p = memory::pool::new();
            out.push(p);
            out.push(memory::pool::intern(p, "k"));
            out.push(memory::pool::has(p, "k"));
            out.push(memory::pool::has(p, "z"));
            out.push(memory::pool::size(p));
            out.push(memory::pool::free(p));
            out.push(memory::alloc::heapAlloc() > 0);
            out.push(memory::alloc::heapSys() >= 0);
            let gc = memory::alloc::numGC();
            out.push(memory::gc::run());
            out.push(memory::alloc::numGC() == gc + 1);
            out.push(memory::gc::setPercent(100));
            out.push(memory::gc::freeOSMemory());
            out.push(memory::alloc::stats().sub_string(0, 9));
            out
            "#,
        )
        .unwrap();
    let shown: Vec<String> = results.iter().map(Dynamic::to_string).collect();
    assert_eq!(
        shown,
        [
            "1",
            "true",
            "héllo",
            "6",
            "",
            "0",
            "",
            "4294967297",
            "k",
            "true",
            "false",
            "1",
            "",
            "true",
            "true",
            "",
            "true",
            "100",
            "",
            "{\"alloc\":"
        ]
    );
}

#[test]
fn errors_carry_the_natives_text() {
    let (engine, _) = engine_with_output();
    let message = |script: &str| engine.run(script).unwrap_err().to_string();
    assert_eq!(
        message("memory::buffer::read(999)"),
        "Runtime error: memory.buffer.read: handle 999 is not a buffer handle: this context never issued it (line 1, position 17)"
    );
    assert_eq!(
        message("memory::buffer::write(memory::buffer::new(), 5)"),
        "Runtime error: memory.buffer.write(id: int, data: string) -> bool: argument 2 (data) expects string, got int (line 1, position 17)"
    );
    assert_eq!(
        message("memory::buffer::len([])"),
        "Runtime error: memory.buffer.len(id: int) -> int: argument 1 (id) expects int, got array (line 1, position 17)"
    );
    assert_eq!(
        message("memory::buffer::len(#{a: 1})"),
        "Runtime error: memory.buffer.len(id: int) -> int: argument 1 (id) expects int, got map (line 1, position 17)"
    );
}
