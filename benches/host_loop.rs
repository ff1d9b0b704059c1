//! The host's call path: a `while` loop of 1,000,000 `memory.buffer.len(b)` calls,
//! parsed and resolved once, then run. `cargo bench --bench host_loop`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use goost_memory::host::{self, Machine};
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
    // The same loop in CPython 3, timed by Python itself around the loop only (no
    // interpreter start-up), in the same benchmark run.
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok()
    {
        group.bench_function("CPython 3: while loop of 1,000,000 len(bytearray)", |b| {
            b.iter_custom(|iters| {
                let script = format!(
                    "import time\nb = bytearray()\nt0 = time.perf_counter_ns()\n\
                     for _ in range({iters}):\n    i = 0\n    while i < 1000000:\n        len(b)\n        i = i + 1\n\
                     print(time.perf_counter_ns() - t0)"
                );
                let output = std::process::Command::new("python3")
                    .args(["-c", &script])
                    .output()
                    .expect("python3 runs");
                let nanos: u64 = String::from_utf8_lossy(&output.stdout).trim().parse().expect("python3 prints its time");
                std::time::Duration::from_nanos(nanos)
            })
        });
    } else {
        eprintln!("python3 not found: the CPython baseline is skipped");
    }
    group.finish();
}

criterion_group!(benches, host_loop);
criterion_main!(benches);
