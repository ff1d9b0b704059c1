//! The Rhai bridge against a hand-written Rhai binding (`set_native_fn`) of the very same
//! natives, in one run. Each row makes 1,000,000 calls from a script loop; what to read is
//! the ratio of the bridge's time to the hand-written binding's.
//!
//! Each binding lives in an engine of its own under the module name `memory`, so both run
//! the very same script text. `cargo bench -p goost-rhai --bench bridge` (Rhai as this
//! crate asks for it: no `sync`; add `--features rhai/sync` for Rhai with `sync`).

use criterion::{Criterion, criterion_group, criterion_main};
use goost_bind::Context;
use goost_rhai::{self as rhai_bridge, rhai::Engine};

mod hand_binding;
use hand_binding::rhai_by_hand;

/// The same rows in Rhai.
const RHAI_ROWS: [(&str, &str); 3] = [
    (
        "write 6 B",
        "let b = memory::buffer::new();
         for i in 0..1000000 { memory::buffer::write(b, \"hello \"); }
         memory::buffer::free(b);",
    ),
    (
        "len",
        "let b = memory::buffer::new();
         let n = 0;
         for i in 0..1000000 { n += memory::buffer::len(b); }
         memory::buffer::free(b);",
    ),
    (
        "intern hit",
        "let p = memory::pool::new();
         memory::pool::intern(p, \"hello\");
         for i in 0..1000000 { memory::pool::intern(p, \"hello\"); }
         memory::pool::free(p);",
    ),
];

fn bridge(c: &mut Criterion) {
    let ctx = Context::new();
    let mut bridge_engine = Engine::new();
    rhai_bridge::install(&mut bridge_engine, ctx.clone()).expect("installs");
    let mut hand_engine = Engine::new();
    rhai_by_hand(&mut hand_engine, &ctx);
    let mut group = c.benchmark_group("Rhai, 1,000,000 calls");
    group.sample_size(10);
    for (row, body) in RHAI_ROWS {
        let bridge = bridge_engine.compile(body).expect("compiles");
        let by_hand = hand_engine.compile(body).expect("compiles");
        group.bench_function(format!("{row}: bridge"), |b| {
            b.iter(|| bridge_engine.run_ast(&bridge).expect("runs"))
        });
        group.bench_function(format!("{row}: by hand"), |b| {
            b.iter(|| hand_engine.run_ast(&by_hand).expect("runs"))
        });
    }
    group.finish();
}

criterion_group!(benches, bridge);
criterion_main!(benches);
