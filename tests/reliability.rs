//! Reliability under load: concurrency stress, exhaustion of limits and handles,
//! isolation between contexts, and the host's step limit.

// Handle values are `Value::Int`s: `&[buf.clone()]` reads as the call's argument list.
#![allow(clippy::cloned_ref_to_slice_refs)]

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use goost_memory::{Context, MemoryContext, MemoryError, MemoryLimit, Registry, Value, host};

mod support;
use support::call;

const RECORD: usize = 8;

/// 8 threads over one context: private buffers, shared buffers, a shared pool, and a
/// shared buffer freed while others write to it. Every call succeeds or gets a clear
/// error; surviving buffers hold exactly the successful writes, none split.
#[test]
fn eight_threads_of_mixed_operations_lose_nothing_and_never_hang() {
    const THREADS: usize = 8;
    const ROUNDS: usize = 3_000;
    // A round of the victim's step (round % 6 == 3), halfway.
    const FREE_AT: usize = 1_503;
    let ctx = Arc::new(Context::new());
    let shared: Vec<Value> = (0..2)
        .map(|_| call(&ctx, "memory.buffer.new", &[]).unwrap())
        .collect();
    let victim = call(&ctx, "memory.buffer.new", &[]).unwrap();
    let pool = call(&ctx, "memory.pool.new", &[]).unwrap();
    let (done_tx, done_rx) = mpsc::channel();
    for t in 0..THREADS {
        let ctx = Arc::clone(&ctx);
        let shared = shared.clone();
        let victim = victim.clone();
        let pool = pool.clone();
        let done_tx = done_tx.clone();
        std::thread::spawn(move || {
            let letter = char::from(b'a' + t as u8);
            let record: String = std::iter::repeat_n(letter, RECORD - 1)
                .chain([';'])
                .collect();
            let mine = call(&ctx, "memory.buffer.new", &[]).unwrap();
            let mut shared_writes = [0usize; 2];
            let mut errors = Vec::new();
            for round in 0..ROUNDS {
                let record = Value::str(record.as_str());
                match round % 6 {
                    0 | 1 => {
                        let which = round % 2;
                        assert_eq!(
                            call(
                                &ctx,
                                "memory.buffer.write",
                                &[shared[which].clone(), record]
                            ),
                            Ok(Value::Bool(true))
                        );
                        shared_writes[which] += 1;
                    }
                    2 => {
                        assert_eq!(
                            call(&ctx, "memory.buffer.write", &[mine.clone(), record]),
                            Ok(Value::Bool(true))
                        );
                    }
                    3 => {
                        // Races with the free below: success, or "was freed".
                        match call(&ctx, "memory.buffer.write", &[victim.clone(), record]) {
                            Ok(Value::Bool(true)) => {}
                            Err(e) => errors.push(e),
                            other => panic!("victim write gave {other:?}"),
                        }
                        if t == 0 && round == FREE_AT {
                            call(&ctx, "memory.buffer.free", &[victim.clone()]).unwrap();
                        }
                    }
                    4 => {
                        let key = Value::str(format!("k{}", (round / 6) % 50));
                        let Ok(Value::Str(pooled)) =
                            call(&ctx, "memory.pool.intern", &[pool.clone(), key.clone()])
                        else {
                            panic!("intern failed")
                        };
                        assert_eq!(Value::Str(pooled), key);
                    }
                    _ => {
                        let temp = call(&ctx, "memory.buffer.new", &[]).unwrap();
                        call(
                            &ctx,
                            "memory.buffer.write",
                            &[temp.clone(), Value::str("t")],
                        )
                        .unwrap();
                        call(&ctx, "memory.buffer.free", &[temp]).unwrap();
                    }
                }
            }
            let my_len = call(&ctx, "memory.buffer.len", &[mine.clone()]).unwrap();
            assert_eq!(my_len, Value::Int((ROUNDS / 6 * RECORD) as i64));
            call(&ctx, "memory.buffer.free", &[mine]).unwrap();
            done_tx.send((shared_writes, errors)).unwrap();
        });
    }
    drop(done_tx);
    let mut expected = [0usize; 2];
    let mut victim_errors = 0;
    for _ in 0..THREADS {
        let (writes, errors) = done_rx
            .recv_timeout(Duration::from_secs(120))
            .expect("a worker neither finished nor panicked within 120 s: deadlock");
        expected[0] += writes[0];
        expected[1] += writes[1];
        victim_errors += errors.len();
        for e in errors {
            let Value::Int(h) = victim else {
                unreachable!()
            };
            assert_eq!(
                e.downcast_ref::<MemoryError>(),
                Some(&MemoryError::FreedHandle { handle: h })
            );
            assert_eq!(
                e.to_string(),
                format!("memory.buffer.write: handle {h} was freed")
            );
        }
    }
    for (which, buf) in shared.iter().enumerate() {
        let Ok(Value::Str(text)) = call(&ctx, "memory.buffer.read", &[buf.clone()]) else {
            panic!("read failed")
        };
        assert_eq!(text.len(), expected[which] * RECORD);
        for record in text
            .as_bytes()
            .split(|b| *b == b';')
            .filter(|r| !r.is_empty())
        {
            let first = record[0];
            assert!(
                record.len() == RECORD - 1 && record.iter().all(|b| *b == first),
                "split write {record:?}"
            );
        }
    }
    // Thread 0's own writes after its free fail, whatever the others did.
    assert!(victim_errors >= (ROUNDS - FREE_AT) / 6);
    assert_eq!(call(&ctx, "memory.pool.size", &[pool]), Ok(Value::Int(50)));
    assert_eq!(ctx.live_objects(), 3);
}

#[test]
fn a_script_trying_to_take_a_gibibyte_stays_under_its_mebibyte() {
    const LIMIT: usize = 1 << 20;
    let ctx = Context::builder().memory_limit(LIMIT).build();
    let script = "import memory
let chunk = \"x\"
for i in 0..16 { chunk = chunk + chunk }
let taken = 0
let refused = 0
let b = memory.buffer.new()
for i in 0..16384 {
    if memory.buffer.write(b, chunk) { taken = taken + 1 } else { refused = refused + 1 }
    if i % 1024 == 0 { b = memory.buffer.new() }
}
print(taken, refused)
";
    let mut out = Vec::new();
    host::run("take.goost", script, &ctx, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    let counts: Vec<usize> = out.split_whitespace().map(|n| n.parse().unwrap()).collect();
    assert_eq!(counts[0] + counts[1], 16384);
    assert!(counts[0] * (64 << 10) <= LIMIT, "{out}");
    assert!(ctx.memory_in_use() <= LIMIT);
    // The process keeps working: another context allocates freely.
    let other = Context::new();
    let b = call(&other, "memory.buffer.new", &[]).unwrap();
    assert_eq!(
        call(
            &other,
            "memory.buffer.write",
            &[b, Value::str("x".repeat(2 << 20))]
        ),
        Ok(Value::Bool(true))
    );
}

#[test]
fn a_million_handles_live_freed_and_reused_keep_stale_detection() {
    const N: usize = 1_000_000;
    let ctx = Context::new();
    let first: Vec<Value> = (0..N)
        .map(|_| call(&ctx, "memory.buffer.new", &[]).unwrap())
        .collect();
    assert_eq!(first[0], Value::Int(1));
    assert_eq!(first[N - 1], Value::Int(N as i64));
    assert_eq!(ctx.live_objects(), N);
    for h in &first {
        call(&ctx, "memory.buffer.free", &[h.clone()]).unwrap();
    }
    assert_eq!(ctx.live_objects(), 0);
    let second: Vec<Value> = (0..N)
        .map(|_| call(&ctx, "memory.buffer.new", &[]).unwrap())
        .collect();
    assert_eq!(ctx.live_objects(), N);
    // Every old handle is stale, every new one is live and distinct from the old ones.
    for (old, new) in first.iter().zip(&second).step_by(997) {
        assert_ne!(old, new);
        let Value::Int(h) = old else { unreachable!() };
        assert_eq!(
            call(&ctx, "memory.buffer.len", &[old.clone()])
                .unwrap_err()
                .downcast_ref::<MemoryError>(),
            Some(&MemoryError::FreedHandle { handle: *h })
        );
        assert_eq!(
            call(&ctx, "memory.buffer.len", &[new.clone()]),
            Ok(Value::Int(0))
        );
    }
}

#[test]
fn no_integer_reaches_another_contexts_objects() {
    let owner = Context::new();
    let buf = call(&owner, "memory.buffer.new", &[]).unwrap();
    call(
        &owner,
        "memory.buffer.write",
        &[buf.clone(), Value::str("owned")],
    )
    .unwrap();
    let pool = call(&owner, "memory.pool.new", &[]).unwrap();
    call(
        &owner,
        "memory.pool.intern",
        &[pool.clone(), Value::str("p")],
    )
    .unwrap();
    let stranger = Context::new();
    let extremes = [
        i64::MIN,
        i64::MIN + 1,
        -1,
        i64::MAX,
        i64::MAX - 1,
        1 << 32,
        (1 << 32) | 1,
        u32::MAX as i64,
    ];
    let mut tried = 0;
    for h in (0..100_000).chain(extremes) {
        let h = Value::Int(h);
        for (name, extra) in [
            ("memory.buffer.read", None),
            ("memory.buffer.write", Some(Value::str("intruder"))),
            ("memory.buffer.free", None),
            ("memory.pool.intern", Some(Value::str("intruder"))),
            ("memory.pool.free", None),
        ] {
            let mut args = vec![h.clone()];
            args.extend(extra);
            assert!(
                call(&stranger, name, &args).is_err(),
                "{name}({h:?}) succeeded in the stranger's context"
            );
            tried += 1;
        }
    }
    assert_eq!(tried, 5 * 100_008);
    assert_eq!(
        call(&owner, "memory.buffer.read", &[buf]),
        Ok(Value::str("owned"))
    );
    assert_eq!(
        call(&owner, "memory.pool.size", &[pool.clone()]),
        Ok(Value::Int(1))
    );
    assert_eq!(
        call(&owner, "memory.pool.has", &[pool, Value::str("intruder")]),
        Ok(Value::Bool(false))
    );
}

/// `host::run_limited` on a fresh context, printing nowhere.
fn run_steps(file: &str, source: &str, max_steps: u64) -> Result<(), String> {
    host::run_limited(file, source, &Context::new(), std::io::sink(), max_steps)
        .map_err(String::from)
}

#[test]
fn a_script_that_loops_forever_is_stopped_by_max_steps() {
    let unit = host::STEP_UNIT;
    // Each iteration is two steps: the loop's and the `+`'s.
    assert_eq!(
        run_steps(
            "loop.goost",
            "let i = 0\nwhile true {\n  i = i + 1\n}",
            10_000
        ),
        Err(format!(
            "loop.goost:2:1: step limit reached: 10000 steps (--max-steps counts {unit})"
        ))
    );
    // Five iterations and five calls of `print`: ten steps, exactly.
    let five = "for i in 0..5 { print(i) }";
    assert_eq!(run_steps("for.goost", five, 10), Ok(()));
    assert_eq!(
        run_steps("for.goost", five, 9),
        Err(format!(
            "for.goost:1:17: step limit reached: 9 steps (--max-steps counts {unit})"
        ))
    );
}

#[test]
fn max_steps_bounds_straight_line_string_work_too() {
    // A 64 KiB string, then a straight line of 300 `+` that copy it over and over (about
    // 2.8 GiB in all: seconds of work): no loop runs, yet the limit stops it at once,
    // because each `+` is charged a step per KiB it copies: the 55th `+` (column 227)
    // brings the total past 100,000.
    let mut script = String::from("let s = \"x\"\nfor i in 0..16 {\n  s = s + s\n}\nlet t = s");
    for _ in 0..300 {
        script.push_str(" + s");
    }
    script.push('\n');
    let unit = host::STEP_UNIT;
    assert_eq!(
        run_steps("copy.goost", &script, 100_000),
        Err(format!(
            "copy.goost:5:227: step limit reached: 100000 steps (--max-steps counts {unit})"
        ))
    );
    // Comparing is charged like copying: 2,000 compares of two 64 KiB strings take some
    // 130,000 steps (a few steps each if only the operator counted), so the limit stops
    // the loop.
    let compare = "let s = \"x\"\nfor i in 0..16 {\n  s = s + s\n}\nlet t = s + \"\"\nlet n = 0\nwhile s == t && n < 2000 {\n  n = n + 1\n}\n";
    assert_eq!(
        run_steps("compare.goost", compare, 100_000),
        Err(format!(
            "compare.goost:7:9: step limit reached: 100000 steps (--max-steps counts {unit})"
        ))
    );
    // Under a generous limit the same work completes.
    assert_eq!(
        run_steps(
            "copy.goost",
            "let s = \"ab\"\nlet t = s + s + s\nprint(t)",
            10
        ),
        Ok(())
    );
}

#[test]
fn a_string_that_doubles_forever_is_an_error_not_an_abort() {
    let program = host::load(
        "let s = \"ab\"\nwhile true {\n  s = s + s\n}",
        Registry::global(),
    )
    .unwrap();
    let ctx = Context::new();
    let mut machine = host::Machine::new(&ctx, std::io::sink()).with_max_string(1 << 20);
    assert_eq!(
        machine.run(&program).unwrap_err().to_string(),
        "3:9: string too long: `+` would make 2097152 bytes, past the longest string allowed (1048576 bytes)"
    );
}

/// A buffer its thread frees, and makes again, while the thread's thread-locals are torn
/// down: a host's own thread-local cleanup calling natives.
struct FreeOnThreadExit {
    ctx: Context,
    buffer: Value,
    report: mpsc::Sender<(
        Result<Value, goost_memory::Error>,
        Result<Value, goost_memory::Error>,
    )>,
}

impl Drop for FreeOnThreadExit {
    fn drop(&mut self) {
        let freed = call(&self.ctx, "memory.buffer.free", &[self.buffer.clone()]);
        let made = call(&self.ctx, "memory.buffer.new", &[]);
        let _ = self.report.send((freed, made));
    }
}

thread_local! {
    static CLEANUP: std::cell::RefCell<Option<FreeOnThreadExit>> =
        const { std::cell::RefCell::new(None) };
}

#[test]
fn natives_called_from_a_thread_local_destructor_work() {
    let ctx = Context::new();
    let (report, reports) = mpsc::channel();
    let worker_ctx = ctx.clone();
    std::thread::spawn(move || {
        // Registered before the natives' own per-thread state, so it is torn down after
        // it (destructors run in reverse order of registration).
        CLEANUP.with(|cleanup| {
            let buffer = call(&worker_ctx, "memory.buffer.new", &[]).unwrap();
            *cleanup.borrow_mut() = Some(FreeOnThreadExit {
                ctx: worker_ctx.clone(),
                buffer,
                report,
            });
        });
    })
    .join()
    .expect("the thread ends without aborting");
    let (freed, made) = reports.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(freed, Ok(Value::Void));
    assert!(matches!(made, Ok(Value::Int(_))), "{made:?}");
    assert_eq!(ctx.live_objects(), 1);
}

/// docs/history/reliability.md, round 3, item 11: `<` on strings, a native's copy or hash, and
/// formatting a list were not charged, so `--max-steps` let them run for tens of seconds.
#[test]
fn max_steps_charges_ordering_natives_and_formatting() {
    let unit = host::STEP_UNIT;
    let big = "let s = \"x\"\nfor i in 0..20 {\n  s = s + s\n}\nlet t = s + \"y\"\n";
    let cases = [
        // 1 MiB strings compared by order: about 1,024 steps each.
        (
            "lt.goost",
            format!("{big}let n = 0\nwhile s < t && n < 1000 {{\n  n = n + 1\n}}\n"),
            "7:9",
        ),
        // A native reading a 1 MiB argument (hashing it) and one returning a 1 MiB copy.
        (
            "has.goost",
            format!(
                "import memory\n{big}let p = memory.pool.new()\nfor i in 0..1000 {{\n  memory.pool.has(p, s)\n}}\n"
            ),
            "9:3",
        ),
        (
            "read.goost",
            format!(
                "import memory\n{big}let b = memory.buffer.new()\nmemory.buffer.write(b, s)\nfor i in 0..1000 {{\n  memory.buffer.read(b)\n}}\n"
            ),
            "10:3",
        ),
    ];
    for (file, script, at) in &cases {
        let error = run_steps(file, script, 100_000).unwrap_err();
        assert_eq!(
            error,
            format!("{file}:{at}: step limit reached: 100000 steps (--max-steps counts {unit})"),
        );
    }
    // `str` of a list of 1,000 floats, over and over.
    let floats = format!(
        "let xs = [{}]\nfor i in 0..100000 {{\n  str(xs)\n}}\n",
        vec!["1.5"; 1000].join(", ")
    );
    assert_eq!(
        run_steps("str.goost", &floats, 100_000).unwrap_err(),
        format!("str.goost:3:3: step limit reached: 100000 steps (--max-steps counts {unit})")
    );
}

/// docs/history/reliability.md, round 3, item 10: `print` built its whole line before any limit looked
/// (3,000 arguments of 256 KiB reached 754 MB); now it is charged first and written value
/// by value, so the step limit stops it before anything is written.
#[test]
fn print_is_charged_before_it_writes() {
    let args = vec!["s"; 3000].join(", ");
    let script = format!("let s = \"x\"\nfor i in 0..18 {{\n  s = s + s\n}}\nprint({args})\n");
    let mut out = Vec::new();
    let result = host::run_limited(
        "print.goost",
        &script,
        &goost_memory::Context::new(),
        &mut out,
        100_000,
    );
    assert_eq!(
        result.unwrap_err(),
        format!(
            "print.goost:5:1: step limit reached: 100000 steps (--max-steps counts {})",
            host::STEP_UNIT
        )
    );
    assert!(out.is_empty());
}
