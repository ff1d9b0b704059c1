//! The host's call path: a `while` loop of 1,000,000 `memory.buffer.len(b)` calls,
//! parsed and resolved once, then run. `cargo bench --bench host_loop`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use goost_memory::host::{self, eval::Machine};
use goost_memory::{Context, Registry};

const LOOP: &str = "import memory
let b = memory.buffer.new()
let i = 0
while i < 1000000 {
    memory.buffer.len(b)
    i = i + 1
}
";

fn host_loop(c: &mut Criterion) {
    let program = host::load(LOOP, Registry::global()).expect("the loop script loads");
    let mut group = c.benchmark_group("host");
    group.sample_size(10);
    group.bench_function("while loop of 1,000,000 memory.buffer.len(b)", |b| {
        b.iter(|| {
            let ctx = Context::new();
            let mut machine = Machine::new(&ctx, std::io::sink());
            machine.run(black_box(&program)).expect("the loop runs");
        })
    });
    group.finish();
}

criterion_group!(benches, host_loop);
criterion_main!(benches);
