//! The host's lexer, parser and evaluator on arbitrary text, with a step limit and a
//! memory-limited context: an error with a position, never a panic or a hang.
#![no_main]

use goost_memory::host::{self, Machine};
use goost_memory::{Context, MemoryLimit, Registry};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(program) = host::load(text, Registry::global()) else {
        return;
    };
    let ctx = Context::builder().memory_limit(1 << 20).build();
    let mut machine = Machine::new(&ctx, std::io::sink())
        .with_max_steps(10_000)
        .with_max_string(1 << 20);
    let _ = machine.run(&program);
});
