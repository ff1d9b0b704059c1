//! Model-based test: random sequences of all 18 natives, with valid, stale, foreign,
//! zero, negative, never-issued and wrong-kind handles, odd strings, resets, frees and
//! memory limits, run through the registry's glue and against a tiny obvious model side
//! by side. After every step the results, the error kinds, every live buffer's contents,
//! every pool's size and the context's accounting must agree.
//!
//! Cases: 64 by default (sized for CI); `GOOST_MODEL_CASES=5000` for a long run.
//! Alone in its binary: it owns the process-wide GC figures while it runs.

use std::collections::{HashMap, HashSet};

use goost_memory::HandleKind;
use goost_memory::footprint::{
    POOL_BYTES, heap_block, pool_entry_bytes, pool_table_bytes, slot_table_bytes,
};
use goost_memory::{
    Context, Error, ErrorKind, MEMORY_SPEC, MemoryContext, MemoryError, MemoryLimit, Mismatch,
    ScriptType, Value,
};
use proptest::prelude::*;

mod support;
use support::call;

/// Which handle an operation passes, resolved against the model when it runs.
#[derive(Clone, Debug)]
enum Handle {
    LiveBuffer(usize),
    LivePool(usize),
    Freed(usize),
    Foreign(usize),
    Zero,
    Negative(i64),
    NeverIssued(u32),
    Max,
}

#[derive(Clone, Debug)]
enum Op {
    BufNew,
    BufWrite(Handle, String),
    BufRead(Handle),
    BufReset(Handle),
    BufLen(Handle),
    BufFree(Handle),
    PoolNew,
    Intern(Handle, String),
    Has(Handle, String),
    Size(Handle),
    PoolFree(Handle),
    Stats,
    HeapAlloc,
    HeapSys,
    NumGc,
    GcRun,
    SetPercent(i64),
    FreeOsMemory,
    /// A native (index into the spec) called with argument `usize` of the wrong type.
    WrongType(usize, usize),
    /// A native called with the wrong number of arguments.
    WrongArity(usize, usize),
}

fn handle() -> impl Strategy<Value = Handle> {
    prop_oneof![
        6 => any::<usize>().prop_map(Handle::LiveBuffer),
        6 => any::<usize>().prop_map(Handle::LivePool),
        2 => any::<usize>().prop_map(Handle::Freed),
        1 => any::<usize>().prop_map(Handle::Foreign),
        1 => Just(Handle::Zero),
        1 => (i64::MIN..0).prop_map(Handle::Negative),
        1 => any::<u32>().prop_map(Handle::NeverIssued),
        1 => Just(Handle::Max),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-c]{0,3}",
        3 => ".{0,12}",
        1 => (1usize..100_000).prop_map(|n| "é".repeat(n)),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => Just(Op::BufNew),
        8 => (handle(), text()).prop_map(|(h, s)| Op::BufWrite(h, s)),
        3 => handle().prop_map(Op::BufRead),
        2 => handle().prop_map(Op::BufReset),
        2 => handle().prop_map(Op::BufLen),
        3 => handle().prop_map(Op::BufFree),
        3 => Just(Op::PoolNew),
        6 => (handle(), text()).prop_map(|(h, s)| Op::Intern(h, s)),
        2 => (handle(), text()).prop_map(|(h, s)| Op::Has(h, s)),
        2 => handle().prop_map(Op::Size),
        2 => handle().prop_map(Op::PoolFree),
        1 => Just(Op::Stats),
        1 => Just(Op::HeapAlloc),
        1 => Just(Op::HeapSys),
        1 => Just(Op::NumGc),
        1 => Just(Op::GcRun),
        1 => (-5i64..300).prop_map(Op::SetPercent),
        1 => Just(Op::FreeOsMemory),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(n, a)| Op::WrongType(n, a)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(n, a)| Op::WrongArity(n, a)),
    ]
}

fn limit() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![
        2 => Just(None),
        // Around the handle table's first block (1,552 bytes on 64-bit): some limits
        // refuse every `new`, some a few writes or strings later.
        2 => (0usize..6_000).prop_map(Some),
        1 => Just(Some(1 << 20)),
    ]
}

/// The obvious model of one context.
#[derive(Default)]
struct Model {
    buffers: HashMap<i64, (String, usize)>,
    pools: HashMap<i64, HashSet<String>>,
    /// In issue order, for picking handles.
    buffer_order: Vec<i64>,
    pool_order: Vec<i64>,
    freed: Vec<i64>,
    foreign: Vec<i64>,
    used: usize,
    /// Slots in the handle table: the most objects live at once.
    slots: usize,
    limit: Option<usize>,
    percent: i64,
    min_gc: i64,
}

/// What a pool holding `set` is charged: itself, its table and its strings.
fn pool_bytes(set: &HashSet<String>) -> usize {
    POOL_BYTES
        + pool_table_bytes(set.len())
        + set.iter().map(|s| pool_entry_bytes(s.len())).sum::<usize>()
}

impl Model {
    fn pick(list: &[i64], i: usize) -> Option<i64> {
        (!list.is_empty()).then(|| list[i % list.len()])
    }

    fn resolve(&self, h: &Handle) -> i64 {
        let live_buffers: Vec<i64> = self
            .buffer_order
            .iter()
            .copied()
            .filter(|h| self.buffers.contains_key(h))
            .collect();
        let live_pools: Vec<i64> = self
            .pool_order
            .iter()
            .copied()
            .filter(|h| self.pools.contains_key(h))
            .collect();
        let fallback = 0x7FFF_0000;
        match h {
            Handle::LiveBuffer(i) => Self::pick(&live_buffers, *i).unwrap_or(fallback),
            Handle::LivePool(i) => Self::pick(&live_pools, *i).unwrap_or(fallback),
            Handle::Freed(i) => Self::pick(&self.freed, *i).unwrap_or(fallback),
            Handle::Foreign(i) => Self::pick(&self.foreign, *i).unwrap_or(fallback),
            Handle::Zero => 0,
            Handle::Negative(n) => *n,
            Handle::NeverIssued(n) => 0x1_0000 + i64::from(*n),
            Handle::Max => i64::MAX,
        }
    }

    /// The error a handle of `kind` gets, if any.
    fn check(&self, handle: i64, kind: HandleKind) -> Result<(), ErrorKind> {
        self.check_handle(handle, kind).map_err(memory)
    }

    /// The memory module's error for a handle of `kind`, if any.
    fn check_handle(&self, handle: i64, kind: HandleKind) -> Result<(), MemoryError> {
        let actual = if self.buffers.contains_key(&handle) {
            Some(HandleKind::Buffer)
        } else if self.pools.contains_key(&handle) {
            Some(HandleKind::Pool)
        } else {
            None
        };
        match actual {
            Some(actual) if actual == kind => Ok(()),
            Some(actual) => Err(MemoryError::WrongKind {
                handle,
                expected: kind,
                actual,
            }),
            None if handle <= 0 => Err(MemoryError::NotAHandle { handle, kind }),
            None if self.freed.contains(&handle) => Err(MemoryError::FreedHandle { handle }),
            None => Err(MemoryError::UnknownHandle { handle, kind }),
        }
    }

    fn fits(&self, more: usize) -> bool {
        self.limit.is_none_or(|limit| self.used + more <= limit)
    }

    /// The documented growth policy: double (at least 64 bytes), or exactly what is
    /// needed when doubling would pass the limit; `false` when even that would.
    fn write(&mut self, handle: i64, text: &str) -> bool {
        let (data, cap) = self.buffers.get(&handle).cloned().expect("checked live");
        let needed = data.len() + text.len();
        let mut new_cap = cap;
        if needed > cap {
            let doubled = (cap * 2).max(needed).max(64);
            if self.fits(heap_block(doubled) - heap_block(cap)) {
                new_cap = doubled;
            } else if self.fits(heap_block(needed) - heap_block(cap)) {
                new_cap = needed;
            } else {
                return false;
            }
        }
        self.used += heap_block(new_cap) - heap_block(cap);
        self.buffers.insert(handle, (data + text, new_cap));
        true
    }
}

fn kind_of(result: Result<Value, Error>) -> Result<Value, ErrorKind> {
    result.map_err(|e| e.kind().clone())
}

/// The kind of error a memory native reports for `error`.
fn memory(error: MemoryError) -> ErrorKind {
    Error::from(error).kind().clone()
}

/// A value of another script type than `ty`.
fn other_than(ty: ScriptType) -> Value {
    match ty {
        ScriptType::Int | ScriptType::Float => Value::str("1"),
        ScriptType::String
        | ScriptType::List(_)
        | ScriptType::Map(_)
        | ScriptType::Record(_)
        | ScriptType::Enum(_)
        | ScriptType::Class(_) => Value::Bool(true),
        ScriptType::Bool | ScriptType::Void | ScriptType::Optional(_) => Value::Int(1),
    }
}

fn valid_for(ty: ScriptType) -> Value {
    match ty {
        ScriptType::Int => Value::Int(1),
        ScriptType::Float => Value::Float(1.5),
        ScriptType::String => Value::str("x"),
        ScriptType::Bool => Value::Bool(true),
        ScriptType::Void | ScriptType::Optional(_) => Value::Void,
        ScriptType::List(_) => Value::list([]).expect("an empty list"),
        ScriptType::Enum(choice) => Value::str(choice.values[0]),
        ScriptType::Map(_) | ScriptType::Record(_) | ScriptType::Class(_) => {
            unreachable!("the memory module's natives take no maps, records or objects")
        }
    }
}

fn run_case(limit: Option<usize>, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let builder = Context::builder();
    let ctx = match limit {
        Some(bytes) => builder.memory_limit(bytes).build(),
        None => builder.build(),
    };
    let other = Context::new();
    let mut model = Model {
        limit,
        percent: 100,
        ..Model::default()
    };
    // Another context's handles, live and freed, are just integers to this one.
    for name in ["memory.buffer.new", "memory.pool.new", "memory.buffer.new"] {
        if let Ok(Value::Int(h)) = call(&other, name, &[]) {
            model.foreign.push(h);
        }
    }
    call(
        &other,
        "memory.buffer.free",
        &[Value::Int(model.foreign[0])],
    )
    .unwrap();
    // Whatever an earlier (possibly failed) case left, this case starts with the
    // automatic trigger off, so numGC moves only with this case's cycles.
    prop_assert!(matches!(
        call(&ctx, "memory.gc.setPercent", &[Value::Int(-1)]),
        Ok(Value::Int(_))
    ));
    model.percent = -1;
    model.min_gc = match call(&ctx, "memory.alloc.numGC", &[]) {
        Ok(Value::Int(n)) => n,
        other => return Err(TestCaseError::fail(format!("numGC gave {other:?}"))),
    };

    for op in ops {
        step(&ctx, &mut model, &op)?;
        // Everything the model knows agrees after every step.
        for (handle, (data, _)) in &model.buffers {
            let read = call(&ctx, "memory.buffer.read", &[Value::Int(*handle)]);
            prop_assert_eq!(read, Ok(Value::str(data.as_str())), "after {:?}", op);
        }
        for (handle, set) in &model.pools {
            let size = call(&ctx, "memory.pool.size", &[Value::Int(*handle)]);
            prop_assert_eq!(size, Ok(Value::Int(set.len() as i64)), "after {:?}", op);
        }
        prop_assert_eq!(ctx.memory_in_use(), model.used, "after {:?}", op);
        prop_assert_eq!(ctx.live_objects(), model.buffers.len() + model.pools.len());
    }
    Ok(())
}

fn step(ctx: &Context, model: &mut Model, op: &Op) -> Result<(), TestCaseError> {
    let int = |h: i64| Value::Int(h);
    match op {
        Op::BufNew | Op::PoolNew => {
            let name = if matches!(op, Op::BufNew) {
                "memory.buffer.new"
            } else {
                "memory.pool.new"
            };
            // One charge: the object, and the handle table's next block when it must grow.
            let live = model.buffers.len() + model.pools.len();
            let growth = if live == model.slots {
                slot_table_bytes(live + 1) - slot_table_bytes(live)
            } else {
                0
            };
            let cost = growth
                + if matches!(op, Op::PoolNew) {
                    POOL_BYTES
                } else {
                    0
                };
            let real = call(ctx, name, &[]);
            if !model.fits(cost) {
                let refused = memory(MemoryError::MemoryLimit {
                    requested: cost,
                    in_use: model.used,
                    limit: model.limit.unwrap_or(0),
                });
                prop_assert_eq!(kind_of(real), Err(refused));
                return Ok(());
            }
            let Ok(Value::Int(h)) = real else {
                return Err(TestCaseError::fail(format!("{name} failed: {real:?}")));
            };
            // A new handle is positive and never one issued before.
            prop_assert!(h > 0);
            prop_assert!(
                !model.freed.contains(&h)
                    && !model.buffers.contains_key(&h)
                    && !model.pools.contains_key(&h)
            );
            model.used += cost;
            model.slots = model.slots.max(live + 1);
            if matches!(op, Op::BufNew) {
                model.buffers.insert(h, (String::new(), 0));
                model.buffer_order.push(h);
            } else {
                model.pools.insert(h, HashSet::new());
                model.pool_order.push(h);
            }
        }
        Op::BufWrite(h, s) => {
            let h = model.resolve(h);
            let real = kind_of(call(
                ctx,
                "memory.buffer.write",
                &[int(h), Value::str(s.as_str())],
            ));
            let expected = model
                .check(h, HandleKind::Buffer)
                .map(|()| Value::Bool(model.write(h, s)));
            prop_assert_eq!(real, expected);
        }
        Op::BufRead(h) | Op::BufLen(h) | Op::BufReset(h) | Op::BufFree(h) => {
            let h = model.resolve(h);
            let (name, expected) = match op {
                Op::BufRead(_) => (
                    "memory.buffer.read",
                    model
                        .check(h, HandleKind::Buffer)
                        .map(|()| Value::str(model.buffers[&h].0.as_str())),
                ),
                Op::BufLen(_) => (
                    "memory.buffer.len",
                    model
                        .check(h, HandleKind::Buffer)
                        .map(|()| Value::Int(model.buffers[&h].0.len() as i64)),
                ),
                Op::BufReset(_) => (
                    "memory.buffer.reset",
                    model.check(h, HandleKind::Buffer).map(|()| {
                        if let Some(entry) = model.buffers.get_mut(&h) {
                            entry.0.clear();
                        }
                        Value::Void
                    }),
                ),
                _ => (
                    "memory.buffer.free",
                    model.check(h, HandleKind::Buffer).map(|()| {
                        if let Some((_, cap)) = model.buffers.remove(&h) {
                            model.used -= heap_block(cap);
                            model.freed.push(h);
                        }
                        Value::Void
                    }),
                ),
            };
            prop_assert_eq!(
                kind_of(call(ctx, name, &[int(h)])),
                expected,
                "{} {}",
                name,
                h
            );
        }
        Op::Intern(h, s) => {
            let h = model.resolve(h);
            let real = kind_of(call(
                ctx,
                "memory.pool.intern",
                &[int(h), Value::str(s.as_str())],
            ));
            let expected = model.check(h, HandleKind::Pool).and_then(|()| {
                if model.pools[&h].contains(s) {
                    return Ok(Value::str(s.as_str()));
                }
                let entries = model.pools[&h].len();
                let cost = pool_entry_bytes(s.len()) + pool_table_bytes(entries + 1)
                    - pool_table_bytes(entries);
                if !model.fits(cost) {
                    return Err(memory(MemoryError::MemoryLimit {
                        requested: cost,
                        in_use: model.used,
                        limit: model.limit.unwrap_or(0),
                    }));
                }
                model.used += cost;
                model.pools.get_mut(&h).map(|set| set.insert(s.clone()));
                Ok(Value::str(s.as_str()))
            });
            prop_assert_eq!(real, expected);
        }
        Op::Has(h, s) => {
            let h = model.resolve(h);
            let real = kind_of(call(
                ctx,
                "memory.pool.has",
                &[int(h), Value::str(s.as_str())],
            ));
            let expected = model
                .check(h, HandleKind::Pool)
                .map(|()| Value::Bool(model.pools[&h].contains(s)));
            prop_assert_eq!(real, expected);
        }
        Op::Size(h) | Op::PoolFree(h) => {
            let h = model.resolve(h);
            let (name, expected) = match op {
                Op::Size(_) => (
                    "memory.pool.size",
                    model
                        .check(h, HandleKind::Pool)
                        .map(|()| Value::Int(model.pools[&h].len() as i64)),
                ),
                _ => (
                    "memory.pool.free",
                    model.check(h, HandleKind::Pool).map(|()| {
                        if let Some(set) = model.pools.remove(&h) {
                            model.used -= pool_bytes(&set);
                            model.freed.push(h);
                        }
                        Value::Void
                    }),
                ),
            };
            prop_assert_eq!(kind_of(call(ctx, name, &[int(h)])), expected);
        }
        Op::Stats => {
            let Ok(Value::Str(json)) = call(ctx, "memory.alloc.stats", &[]) else {
                return Err(TestCaseError::fail("stats is not a string"));
            };
            let parsed: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let keys: Vec<&str> = parsed.keys().take(5).map(String::as_str).collect();
            prop_assert_eq!(keys, ["alloc", "totalAlloc", "sys", "numGC", "goroutines"]);
            prop_assert_eq!(parsed["contextBytes"].as_u64(), Some(model.used as u64));
        }
        Op::HeapAlloc | Op::HeapSys => {
            let name = if matches!(op, Op::HeapAlloc) {
                "memory.alloc.heapAlloc"
            } else {
                "memory.alloc.heapSys"
            };
            prop_assert!(matches!(call(ctx, name, &[]), Ok(Value::Int(n)) if n >= 0));
        }
        Op::NumGc => {
            // With the automatic trigger off, only this test's cycles count.
            let real = call(ctx, "memory.alloc.numGC", &[]);
            if model.percent < 0 {
                prop_assert_eq!(real, Ok(Value::Int(model.min_gc)));
            } else {
                prop_assert!(matches!(real, Ok(Value::Int(n)) if n >= model.min_gc));
                if let Ok(Value::Int(n)) = real {
                    model.min_gc = n;
                }
            }
        }
        Op::GcRun | Op::FreeOsMemory => {
            let name = if matches!(op, Op::GcRun) {
                "memory.gc.run"
            } else {
                "memory.gc.freeOSMemory"
            };
            prop_assert_eq!(call(ctx, name, &[]), Ok(Value::Void));
            model.min_gc += 1;
        }
        Op::SetPercent(p) => {
            prop_assert_eq!(
                call(ctx, "memory.gc.setPercent", &[int(*p)]),
                Ok(Value::Int(model.percent))
            );
            model.percent = *p;
        }
        Op::WrongType(n, a) => {
            let with_params: Vec<_> = MEMORY_SPEC
                .functions
                .iter()
                .filter(|f| !f.params.is_empty())
                .collect();
            let spec = with_params[n % with_params.len()];
            let bad = a % spec.params.len();
            let args: Vec<Value> = spec
                .params
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    if i == bad {
                        other_than(p.ty)
                    } else {
                        valid_for(p.ty)
                    }
                })
                .collect();
            let expected = ErrorKind::ArgumentType {
                position: bad + 1,
                name: spec.params[bad].name,
                expected: spec.params[bad].ty,
                got: Mismatch::Type(args[bad].type_name()),
            };
            prop_assert_eq!(kind_of(call(ctx, spec.name, &args)), Err(expected));
        }
        Op::WrongArity(n, a) => {
            let spec = &MEMORY_SPEC.functions[n % MEMORY_SPEC.functions.len()];
            let count = (spec.params.len() + 1 + a % 3) % 5;
            if count == spec.params.len() {
                return Ok(());
            }
            let args = vec![Value::Int(1); count];
            prop_assert_eq!(
                kind_of(call(ctx, spec.name, &args)),
                Err(ErrorKind::Arity {
                    min: spec.params.len(),
                    expected: spec.params.len(),
                    got: count
                })
            );
        }
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("GOOST_MODEL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn the_runtime_agrees_with_the_model(limit in limit(), ops in prop::collection::vec(op(), 1..60)) {
        run_case(limit, ops)?;
    }
}
