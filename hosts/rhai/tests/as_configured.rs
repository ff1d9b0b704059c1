//! The bridge on Rhai as an embedder configures it. `cargo test -p goost-rhai` builds Rhai
//! with only what this crate asks for (`internals`): no `sync`, no `metadata` (`.ci/run`
//! runs it so); in the workspace's run the other crates' tests turn both on.

use goost_bind::Context;
use memory_runtime as _;

#[test]
fn the_bridge_calls_natives_and_places_their_errors_on_any_rhai_configuration() {
    let mut engine = goost_rhai::rhai::Engine::new();
    goost_rhai::install(&mut engine, Context::new()).unwrap();
    let text: String = engine
        .eval(
            r#"let b = memory::buffer::new();
               memory::buffer::write(b, "hi");
               memory::buffer::write(b, " there");
               memory::buffer::read(b)"#,
        )
        .unwrap();
    assert_eq!(text, "hi there");
    let error = engine.run("memory::buffer::len(99)").unwrap_err();
    assert_eq!(
        error.to_string(),
        "Runtime error: memory.buffer.len: handle 99 is not a buffer handle: this context never issued it (line 1, position 17)"
    );
}
