//! The buffer and pool natives through the registry's glue, each beside the same work
//! done on plain std types in the same run. Ratios are what to read (the machines are
//! shared and noisy): `cargo bench -p memory-runtime --bench natives`.

use std::collections::HashSet;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use goost_bind::{Context, Error, Native, Registry, ScriptString, Value};
use memory_runtime::buffer::{self, BufferId};
use memory_runtime::{MemoryContext, MemoryState};

/// Buffers are emptied past this size, so long runs do not grow without end.
const RESET_AT: usize = 1 << 20;

/// The registered native `name`. The rows bind it to their context first
/// (`Native::bind`), as every host does, so a call finds its state without a lookup.
fn native(name: &str) -> &'static Native {
    Registry::global().get(name).expect("registered")
}

// How each glue result is taken: the way a host takes it, by matching the `Value` and
// keeping its payload, as the baselines keep theirs. (`black_box` on the whole
// `Result<Value, Error>` adds a fixed cost whatever the native does: the `len` group keeps
// that form as its own row, and BENCHMARKS.md gives the figure and explains it.)

/// The int a glue call returned.
#[inline(always)]
fn int(result: Result<Value, Error>) -> i64 {
    match result {
        Ok(Value::Int(n)) => n,
        other => panic!("expected an int, got {other:?}"),
    }
}

/// The bool a glue call returned.
#[inline(always)]
fn boolean(result: Result<Value, Error>) -> bool {
    match result {
        Ok(Value::Bool(b)) => b,
        other => panic!("expected a bool, got {other:?}"),
    }
}

/// The string a glue call returned.
#[inline(always)]
fn string(result: Result<Value, Error>) -> ScriptString {
    match result {
        Ok(Value::Str(s)) => s,
        other => panic!("expected a string, got {other:?}"),
    }
}

/// Checks a glue call returned nothing.
#[inline(always)]
fn void(result: Result<Value, Error>) {
    if !matches!(result, Ok(Value::Void)) {
        panic!("expected nothing, got {result:?}")
    }
}

fn new_buffer(ctx: &Context) -> Value {
    native("memory.buffer.new").call(ctx, &[]).unwrap()
}

/// The time `work` takes over `iters` fresh states, with making each state (`setup`) and
/// disposing of it (`teardown`) outside the clock.
fn time_work_only<S>(
    iters: u64,
    mut setup: impl FnMut() -> S,
    mut work: impl FnMut(&mut S),
    mut teardown: impl FnMut(S),
) -> Duration {
    let mut spent = Duration::ZERO;
    for _ in 0..iters {
        let mut state = setup();
        let start = Instant::now();
        work(&mut state);
        spent += start.elapsed();
        teardown(state);
    }
    spent
}

fn write_small(c: &mut Criterion) {
    let mut group = c.benchmark_group("buffer.write 6 B");
    let ctx = Context::new();
    let buf = new_buffer(&ctx);
    let write = native("memory.buffer.write").bind(&ctx);
    let reset = native("memory.buffer.reset").bind(&ctx);
    let len = native("memory.buffer.len").bind(&ctx);
    let args = [buf.clone(), Value::str("hello ")];
    let mut written = 0usize;
    group.bench_function("glue", |b| {
        b.iter(|| {
            black_box(boolean(write.call(black_box(&args))));
            written += 6;
            if written >= RESET_AT {
                reset.call(std::slice::from_ref(&buf)).unwrap();
                written = 0;
            }
        })
    });
    assert!(matches!(
        len.call(std::slice::from_ref(&buf)),
        Ok(Value::Int(_))
    ));
    let mut plain = String::new();
    let counter = AtomicU64::new(0);
    group.bench_function("String::push_str + fetch_add", |b| {
        b.iter(|| {
            plain.push_str(black_box("hello "));
            counter.fetch_add(1, Ordering::Relaxed);
            if plain.len() >= RESET_AT {
                plain.clear();
            }
        })
    });
    // (feature `internals`) The floor under the glue: our slot table (handle check, per-slot spin lock) around
    // the same `push_str`, called directly with no `Value`s, no argument checks, no budget.
    #[cfg(feature = "internals")]
    {
        let table = memory_runtime::handle::SlotTable::default();
        let handle = table.insert(String::new(), |_| Ok::<(), ()>(())).unwrap();
        group.bench_function("SlotTable::with + push_str (no glue)", |b| {
            b.iter(|| {
                black_box(table.with(black_box(handle), |text: &mut String| {
                    text.push_str(black_box("hello "));
                    if text.len() >= RESET_AT {
                        text.clear();
                    }
                }))
            })
        });
    }
    // The native itself, called directly with its state in hand, and the same inside
    // `catch_unwind` as the glue calls it: the difference is what containing a panic costs.
    let mem = ctx
        .state_shared::<MemoryState>()
        .expect("every context holds a memory state");
    let Value::Int(id) = buf else {
        unreachable!("a buffer handle is an int")
    };
    let mut direct_written = 0usize;
    let reset_direct = |written: &mut usize| {
        *written += 6;
        if *written >= RESET_AT {
            buffer::reset(&mem, BufferId(id)).unwrap();
            *written = 0;
        }
    };
    group.bench_function("buffer::write, direct", |b| {
        b.iter(|| {
            black_box(
                buffer::write(&ctx, &mem, BufferId(black_box(id)), black_box(b"hello ")).is_ok(),
            );
            reset_direct(&mut direct_written);
        })
    });
    group.bench_function("buffer::write, direct in catch_unwind", |b| {
        b.iter(|| {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                buffer::write(&ctx, &mem, BufferId(black_box(id)), black_box(b"hello "))
            }));
            black_box(matches!(result, Ok(Ok(true))));
            reset_direct(&mut direct_written);
        })
    });
    // What the Go original does: a map of buffers behind one mutex (fast hasher).
    let go_style: Mutex<hashbrown::HashMap<i64, Vec<u8>>> = Mutex::new(hashbrown::HashMap::new());
    go_style.lock().unwrap().insert(1, Vec::new());
    group.bench_function("Go-style Mutex<HashMap<i64, Vec<u8>>>", |b| {
        b.iter(|| {
            let mut map = go_style.lock().unwrap();
            let buffer = map.get_mut(&black_box(1)).unwrap();
            buffer.extend_from_slice(black_box(b"hello "));
            if buffer.len() >= RESET_AT {
                buffer.clear();
            }
        })
    });
    group.finish();
}

fn write_large(c: &mut Criterion) {
    let mut group = c.benchmark_group("buffer.write 64 KiB");
    group.throughput(criterion::Throughput::Bytes(64 << 10));
    let ctx = Context::new();
    let buf = new_buffer(&ctx);
    let write = native("memory.buffer.write").bind(&ctx);
    let reset = native("memory.buffer.reset").bind(&ctx);
    let chunk = "x".repeat(64 << 10);
    let args = [buf.clone(), Value::str(chunk.as_str())];
    let mut written = 0usize;
    group.bench_function("glue", |b| {
        b.iter(|| {
            black_box(boolean(write.call(black_box(&args))));
            written += 64 << 10;
            if written >= 16 * RESET_AT {
                reset.call(std::slice::from_ref(&buf)).unwrap();
                written = 0;
            }
        })
    });
    let mut plain: Vec<u8> = Vec::new();
    group.bench_function("Vec::extend_from_slice", |b| {
        b.iter(|| {
            plain.extend_from_slice(black_box(chunk.as_bytes()));
            if plain.len() >= 16 * RESET_AT {
                plain.clear();
            }
        })
    });
    group.finish();
}

fn read(c: &mut Criterion) {
    let mut group = c.benchmark_group("buffer.read 1 MiB");
    let ctx = Context::new();
    let buf = new_buffer(&ctx);
    let text = "r".repeat(1 << 20);
    native("memory.buffer.write")
        .call(&ctx, &[buf.clone(), Value::str(text.as_str())])
        .unwrap();
    let read = native("memory.buffer.read").bind(&ctx);
    group.bench_function("glue", |b| {
        b.iter(|| black_box(string(read.call(std::slice::from_ref(&buf)))))
    });
    group.bench_function("String::from(&str)", |b| {
        b.iter(|| black_box(String::from(black_box(text.as_str()))))
    });
    group.finish();
}

fn len(c: &mut Criterion) {
    let mut group = c.benchmark_group("buffer.len");
    let ctx = Context::new();
    let buf = new_buffer(&ctx);
    let Value::Int(id) = buf else { unreachable!() };
    let len = native("memory.buffer.len").bind(&ctx);
    group.bench_function("glue", |b| {
        b.iter(|| black_box(int(len.call(black_box(std::slice::from_ref(&buf))))))
    });
    group.bench_function("glue, whole Value black-boxed", |b| {
        b.iter(|| black_box(len.call(black_box(std::slice::from_ref(&buf))).unwrap()))
    });
    group.bench_function("direct Rust call", |b| {
        let mem = ctx.memory().expect("every context holds a memory state");
        b.iter(|| black_box(buffer::len(mem, BufferId(black_box(id))).unwrap()))
    });
    group.finish();
}

fn intern(c: &mut Criterion) {
    let keys: Vec<String> = (0..100_000)
        .map(|i| format!("key-{i:06}-{}", "x".repeat(i % 24)))
        .collect();
    let mut group = c.benchmark_group("pool.intern hit");
    let ctx = Context::new();
    let pool = native("memory.pool.new").call(&ctx, &[]).unwrap();
    let intern = native("memory.pool.intern").bind(&ctx);
    let args: Vec<[Value; 2]> = keys
        .iter()
        .map(|k| [pool.clone(), Value::str(k.as_str())])
        .collect();
    for a in &args {
        intern.call(a).unwrap();
    }
    let mut set: HashSet<Arc<str>> = keys.iter().map(|k| Arc::from(k.as_str())).collect();
    let mut i = 0usize;
    group.bench_function("glue", |b| {
        b.iter(|| {
            i = (i + 1) % args.len();
            black_box(string(intern.call(&args[i])))
        })
    });
    group.bench_function("HashSet<Arc<str>> get", |b| {
        b.iter(|| {
            i = (i + 1) % keys.len();
            black_box(set.get(keys[i].as_str()).cloned())
        })
    });
    let mut interner: string_interner::DefaultStringInterner =
        string_interner::StringInterner::new();
    let mut rodeo = lasso::Rodeo::default();
    for k in &keys {
        interner.get_or_intern(k.as_str());
        rodeo.get_or_intern(k.as_str());
    }
    group.bench_function("string_interner get_or_intern", |b| {
        b.iter(|| {
            i = (i + 1) % keys.len();
            black_box(interner.get_or_intern(keys[i].as_str()))
        })
    });
    group.bench_function("lasso::Rodeo get_or_intern", |b| {
        b.iter(|| {
            i = (i + 1) % keys.len();
            black_box(rodeo.get_or_intern(keys[i].as_str()))
        })
    });
    group.finish();

    // Each row times only its 1,000 inserts: making the fresh pool (and the arguments,
    // which a host already holds as values) and dropping or freeing it afterwards are
    // outside the clock for all three, as `iter_batched` leaves lasso's drop outside.
    let mut group = c.benchmark_group("pool.intern miss");
    let miss_keys = &keys[..1000];
    let key_values: Vec<Value> = miss_keys.iter().map(|k| Value::str(k.as_str())).collect();
    group.bench_function("glue", |b| {
        b.iter_custom(|iters| {
            time_work_only(
                iters,
                || {
                    let pool = native("memory.pool.new").call(&ctx, &[]).unwrap();
                    let args: Vec<[Value; 2]> = key_values
                        .iter()
                        .map(|k| [pool.clone(), k.clone()])
                        .collect();
                    (pool, args)
                },
                |(_, args)| {
                    for a in args.iter() {
                        black_box(string(intern.call(a)));
                    }
                },
                |(pool, _)| {
                    native("memory.pool.free").call(&ctx, &[pool]).unwrap();
                },
            )
        })
    });
    group.bench_function("lasso::Rodeo get_or_intern (miss)", |b| {
        b.iter_custom(|iters| {
            time_work_only(
                iters,
                lasso::Rodeo::default,
                |fresh| {
                    for k in miss_keys {
                        black_box(fresh.get_or_intern(k.as_str()));
                    }
                },
                drop,
            )
        })
    });
    group.bench_function("HashSet<Arc<str>> insert", |b| {
        b.iter_custom(|iters| {
            time_work_only(
                iters,
                HashSet::<Arc<str>>::new,
                |fresh| {
                    for k in miss_keys {
                        let key: Arc<str> = Arc::from(k.as_str());
                        black_box(Arc::clone(&key));
                        fresh.insert(key);
                    }
                },
                drop,
            )
        })
    });
    set.clear();
    group.finish();
}

fn new_free(c: &mut Criterion) {
    let mut group = c.benchmark_group("buffer.new + free");
    let ctx = Context::new();
    let new = native("memory.buffer.new").bind(&ctx);
    let free = native("memory.buffer.free").bind(&ctx);
    group.bench_function("glue", |b| {
        b.iter(|| {
            let id = int(new.call(&[]));
            void(free.call(&[Value::Int(black_box(id))]));
        })
    });
    let mut slab: slab::Slab<Vec<u8>> = slab::Slab::new();
    group.bench_function("slab::Slab insert + remove", |b| {
        b.iter(|| {
            let key = slab.insert(Vec::new());
            black_box(slab.remove(black_box(key)));
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    write_small,
    write_large,
    read,
    len,
    intern,
    new_free
);
criterion_main!(benches);
