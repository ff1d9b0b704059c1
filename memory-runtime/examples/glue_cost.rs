//! Instruction counts for the glue-overhead rows of BENCHMARKS.md: each measured
//! operation and its baseline run 100,000 times in its own `#[inline(never)]` function, so
//! callgrind attributes instructions to each (counts repeat exactly from run to run):
//!
//! ```sh
//! cargo build --release -p memory-runtime --example glue_cost
//! valgrind --tool=callgrind --callgrind-out-file=cg.out target/release/examples/glue_cost
//! callgrind_annotate --inclusive=yes cg.out | grep glue_cost::
//! ```
//!
//! Divide each function's inclusive count by 100,000 for instructions per call.

use memory_runtime::{
    Context, Registry, Value,
    buffer::{self, BufferId},
};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
const N: usize = 100_000;
#[inline(never)]
fn len_glue(ctx: &Context, args: &[Value]) -> i64 {
    let len = Registry::global().get("memory.buffer.len").unwrap();
    let mut acc = 0;
    for _ in 0..N {
        if let Ok(Value::Int(v)) = len.call(ctx, black_box(args)) {
            acc += v
        }
    }
    acc
}
#[inline(never)]
fn len_direct(ctx: &Context, id: i64) -> i64 {
    let mut acc = 0;
    for _ in 0..N {
        acc += buffer::len(ctx, BufferId(black_box(id))).unwrap()
    }
    acc
}
#[inline(never)]
fn write_glue(ctx: &Context, args: &[Value]) {
    let write = Registry::global().get("memory.buffer.write").unwrap();
    for _ in 0..N {
        black_box(write.call(ctx, black_box(args)).unwrap());
    }
}
#[inline(never)]
fn write_plain(s: &mut String, c: &AtomicU64) {
    for _ in 0..N {
        s.push_str(black_box("hello "));
        c.fetch_add(1, Ordering::Relaxed);
    }
}
#[inline(never)]
fn intern_glue(ctx: &Context, args: &[[Value; 2]]) {
    let intern = Registry::global().get("memory.pool.intern").unwrap();
    for i in 0..N {
        black_box(intern.call(ctx, &args[i % args.len()]).unwrap());
    }
}
#[inline(never)]
fn intern_interner(i: &mut string_interner::DefaultStringInterner, keys: &[String]) {
    for n in 0..N {
        black_box(i.get_or_intern(keys[n % keys.len()].as_str()));
    }
}
#[inline(never)]
fn intern_lasso(r: &mut lasso::Rodeo, keys: &[String]) {
    for n in 0..N {
        black_box(r.get_or_intern(keys[n % keys.len()].as_str()));
    }
}
fn main() {
    let ctx = Context::new();
    let reg = Registry::global();
    let b = reg
        .get("memory.buffer.new")
        .unwrap()
        .call(&ctx, &[])
        .unwrap();
    let Value::Int(id) = b else { unreachable!() };
    println!(
        "{} {}",
        len_glue(&ctx, std::slice::from_ref(&b)),
        len_direct(&ctx, id)
    );
    write_glue(&ctx, &[b.clone(), Value::str("hello ")]);
    let mut s = String::new();
    write_plain(&mut s, &AtomicU64::new(0));
    let keys: Vec<String> = (0..1000).map(|i| format!("key-{i:05}")).collect();
    let pool = reg.get("memory.pool.new").unwrap().call(&ctx, &[]).unwrap();
    let args: Vec<[Value; 2]> = keys
        .iter()
        .map(|k| [pool.clone(), Value::str(k.as_str())])
        .collect();
    let mut si: string_interner::DefaultStringInterner = string_interner::StringInterner::new();
    let mut rodeo = lasso::Rodeo::default();
    for (a, k) in args.iter().zip(&keys) {
        reg.get("memory.pool.intern")
            .unwrap()
            .call(&ctx, a)
            .unwrap();
        si.get_or_intern(k.as_str());
        rodeo.get_or_intern(k.as_str());
    }
    intern_glue(&ctx, &args);
    intern_interner(&mut si, &keys);
    intern_lasso(&mut rodeo, &keys);
}
