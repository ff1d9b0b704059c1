//! Operation sequences as bytes, through the registry's glue, on a memory-limited
//! context: no panic, the limit holds, every error names its function.
#![no_main]

use goost_memory::{Context, MEMORY_SPEC, MemoryContext, MemoryLimit, Registry, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&limit_byte, mut rest)) = data.split_first() else {
        return;
    };
    let limit = usize::from(limit_byte) * 64;
    let ctx = Context::builder().memory_limit(limit).build();
    let registry = Registry::global();
    let mut issued: Vec<i64> = Vec::new();
    while let Some((&op, tail)) = rest.split_first() {
        rest = tail;
        let spec = &MEMORY_SPEC.functions[usize::from(op) % MEMORY_SPEC.functions.len()];
        // Skip the figures that touch the whole process; they have their own tests.
        if spec.name.starts_with("memory.gc.") {
            continue;
        }
        let mut args = Vec::new();
        for param in spec.params {
            let Some((&pick, tail)) = rest.split_first() else {
                break;
            };
            rest = tail;
            let value = match (param.ty, pick % 8) {
                (_, 7) => Value::Bool(pick & 16 != 0),
                (goost_memory::ScriptType::Int, 0..=4) if !issued.is_empty() => {
                    Value::Int(issued[usize::from(pick) % issued.len()])
                }
                (goost_memory::ScriptType::Int, _) => Value::Int(i64::from(pick as i8) << (pick % 40)),
                _ => {
                    let len = usize::from(pick % 32).min(rest.len());
                    let (text, tail) = rest.split_at(len);
                    rest = tail;
                    // Strings are bytes: any bytes, as a script may pass them.
                    Value::str(text)
                }
            };
            args.push(value);
        }
        let native = registry.get(spec.name).expect("every spec function is registered");
        match native.call(&ctx, &args) {
            Ok(Value::Int(h)) if spec.name.ends_with(".new") => issued.push(h),
            Ok(_) => {}
            Err(error) => {
                let text = error.to_string();
                assert!(text.starts_with(spec.name), "{text}");
            }
        }
        assert!(ctx.memory_in_use() <= limit);
    }
});
