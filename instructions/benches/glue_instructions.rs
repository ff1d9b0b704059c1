//! Instructions per call for the glue-overhead rows of BENCHMARKS.md, counted by
//! callgrind through `gungraun`: each benchmark makes one call, on state its setup built
//! outside the measurement, so the counts repeat exactly from run to run where wall-clock
//! ratios wobble. Natives are called as every host calls them: bound to the context once
//! (`Native::bind`), so a call finds its module state without a lookup; one row shows the
//! unbound `Native::call`, which looks the state up on each call. Each operation has its baseline beside it in the same group. Fixtures
//! are boxed, so moving one in and out of a benchmark costs the same few instructions in
//! every row.
//!
//! ```sh
//! cargo install --version 0.18.2 gungraun-runner   # once; must match the library version
//! cargo bench -p goost-instructions --bench glue_instructions
//! ```
//!
//! Each of our rows also has a ceiling: about 15% above its count when it was last
//! measured (BENCHMARKS.md). A count past its ceiling fails the run, and `.ci/run` runs
//! this bench, so a change that quietly costs instructions on a hot path (an inlining
//! decision that flips, say) is caught where wall-clock noise would hide it. Lower a
//! ceiling when a row gets cheaper; raise one only with the reason in the commit.

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use goost_bind::{BoundNative, Context, Native, Registry, Value};
use gungraun::{
    Callgrind, EventKind, LibraryBenchmarkConfig, library_benchmark, library_benchmark_group, main,
};
use memory_runtime::MemoryState;
use memory_runtime::buffer::{self, BufferId};

/// Keys interned before the hit benchmarks; the one looked up is in the middle.
const KEYS: usize = 1_000;
const HIT: usize = KEYS / 2;

/// A benchmark configuration that fails the run when one call takes more than
/// `instructions` instructions.
fn ceiling(instructions: u64) -> LibraryBenchmarkConfig {
    let mut callgrind = Callgrind::default();
    callgrind.hard_limits([(EventKind::Ir, instructions)]);
    let mut config = LibraryBenchmarkConfig::default();
    config.tool(callgrind);
    config
}

fn native(name: &str) -> &'static Native {
    Registry::global().get(name).expect("registered")
}

fn key(i: usize) -> String {
    format!("key-{i:05}-{}", "x".repeat(i % 24))
}

/// A context with one buffer that already has room for the writes measured.
struct BufferFixture {
    ctx: Context,
    /// The memory state, for the direct call (as a host holding it would make it).
    mem: Arc<MemoryState>,
    args: [Value; 2],
    write: BoundNative,
    len: BoundNative,
    len_unbound: &'static Native,
}

fn buffer_fixture() -> Box<BufferFixture> {
    let ctx = Context::new();
    let write = native("memory.buffer.write");
    let buf = native("memory.buffer.new").call(&ctx, &[]).expect("new");
    let args = [buf.clone(), Value::str("hello ")];
    write
        .call(&ctx, &[buf.clone(), Value::str("x".repeat(1024))])
        .expect("write");
    native("memory.buffer.reset")
        .call(&ctx, &[buf])
        .expect("reset");
    Box::new(BufferFixture {
        write: write.bind(&ctx),
        len: native("memory.buffer.len").bind(&ctx),
        len_unbound: native("memory.buffer.len"),
        mem: ctx
            .state_shared::<MemoryState>()
            .expect("every context holds a memory state"),
        ctx,
        args,
    })
}

#[library_benchmark]
#[bench::fixture(args = (buffer_fixture()), config = ceiling(97))]
fn len_glue(f: Box<BufferFixture>) -> Box<BufferFixture> {
    if let Ok(Value::Int(n)) = f.len.call(black_box(&f.args[..1])) {
        black_box(n);
    }
    f
}

#[library_benchmark]
#[bench::fixture(buffer_fixture())]
fn len_glue_unbound(f: Box<BufferFixture>) -> Box<BufferFixture> {
    if let Ok(Value::Int(n)) = f.len_unbound.call(&f.ctx, black_box(&f.args[..1])) {
        black_box(n);
    }
    f
}

#[library_benchmark]
#[bench::fixture(buffer_fixture())]
fn len_direct(f: Box<BufferFixture>) -> Box<BufferFixture> {
    let Value::Int(id) = f.args[0] else {
        unreachable!("a buffer handle is an int")
    };
    if let Ok(n) = buffer::len(&f.mem, BufferId(black_box(id))) {
        black_box(n);
    }
    f
}

#[library_benchmark]
#[bench::fixture(args = (buffer_fixture()), config = ceiling(140))]
fn write_glue(f: Box<BufferFixture>) -> Box<BufferFixture> {
    if let Ok(Value::Bool(written)) = f.write.call(black_box(&f.args)) {
        black_box(written);
    }
    f
}

#[library_benchmark]
#[bench::fixture(Box::new((String::with_capacity(1024), AtomicU64::new(0))))]
fn write_push_str_fetch_add(mut f: Box<(String, AtomicU64)>) -> Box<(String, AtomicU64)> {
    f.0.push_str(black_box("hello "));
    f.1.fetch_add(1, Ordering::Relaxed);
    f
}

/// A pool and the two interners, each holding the same `KEYS` keys.
struct InternFixture {
    args: [Value; 2],
    intern: BoundNative,
    interner: string_interner::DefaultStringInterner,
    rodeo: lasso::Rodeo,
    key: String,
}

fn intern_fixture() -> Box<InternFixture> {
    let ctx = Context::new();
    let intern = native("memory.pool.intern");
    let pool = native("memory.pool.new").call(&ctx, &[]).expect("new");
    let mut interner = string_interner::DefaultStringInterner::new();
    let mut rodeo = lasso::Rodeo::default();
    for i in 0..KEYS {
        let k = key(i);
        intern
            .call(&ctx, &[pool.clone(), Value::str(k.as_str())])
            .expect("intern");
        interner.get_or_intern(k.as_str());
        rodeo.get_or_intern(k.as_str());
    }
    let key = key(HIT);
    Box::new(InternFixture {
        args: [pool, Value::str(key.as_str())],
        intern: intern.bind(&ctx),
        interner,
        rodeo,
        key,
    })
}

#[library_benchmark]
#[bench::fixture(args = (intern_fixture()), config = ceiling(284))]
fn intern_hit_glue(f: Box<InternFixture>) -> Box<InternFixture> {
    if let Ok(Value::Str(s)) = f.intern.call(black_box(&f.args)) {
        black_box(s);
    }
    f
}

#[library_benchmark]
#[bench::fixture(intern_fixture())]
fn intern_hit_string_interner(mut f: Box<InternFixture>) -> Box<InternFixture> {
    black_box(f.interner.get_or_intern(black_box(f.key.as_str())));
    f
}

#[library_benchmark]
#[bench::fixture(intern_fixture())]
fn intern_hit_lasso(mut f: Box<InternFixture>) -> Box<InternFixture> {
    black_box(f.rodeo.get_or_intern(black_box(f.key.as_str())));
    f
}

/// The two natives bound to a fresh context; one buffer made and freed before, so its slot index is
/// cached for reuse as it is in a running program.
struct NewFreeFixture {
    new: BoundNative,
    free: BoundNative,
}

fn new_free_fixture() -> Box<NewFreeFixture> {
    let ctx = Context::new();
    let fixture = Box::new(NewFreeFixture {
        new: native("memory.buffer.new").bind(&ctx),
        free: native("memory.buffer.free").bind(&ctx),
    });
    let id = fixture.new.call(&[]).expect("new");
    fixture.free.call(&[id]).expect("free");
    fixture
}

#[library_benchmark]
#[bench::fixture(args = (new_free_fixture()), config = ceiling(322))]
fn new_free_glue(f: Box<NewFreeFixture>) -> Box<NewFreeFixture> {
    if let Ok(id) = f.new.call(&[]) {
        black_box(f.free.call(&[black_box(id)]).is_ok());
    }
    f
}

/// A slab that has held one entry, as the pool's fixture has held one buffer.
fn slab_fixture() -> Box<slab::Slab<Vec<u8>>> {
    let mut slab = slab::Slab::new();
    let key = slab.insert(Vec::new());
    slab.remove(key);
    Box::new(slab)
}

#[library_benchmark]
#[bench::fixture(slab_fixture())]
fn new_free_slab(mut slab: Box<slab::Slab<Vec<u8>>>) -> Box<slab::Slab<Vec<u8>>> {
    let key = slab.insert(Vec::new());
    black_box(slab.remove(black_box(key)));
    slab
}

library_benchmark_group!(
    name = len;
    benchmarks = len_glue, len_glue_unbound, len_direct
);
library_benchmark_group!(
    name = write_6_bytes;
    benchmarks = write_glue, write_push_str_fetch_add
);
library_benchmark_group!(
    name = intern_hit;
    benchmarks = intern_hit_glue, intern_hit_string_interner, intern_hit_lasso
);

library_benchmark_group!(
    name = new_free;
    benchmarks = new_free_glue, new_free_slab
);

main!(
    library_benchmark_groups = len,
    write_6_bytes,
    intern_hit,
    new_free
);
