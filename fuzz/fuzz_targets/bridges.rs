//! Values a Lua or Rhai script can build (shared strings up to 1 MiB, tables that refer to
//! one another, nesting, scalars of every kind, functions) passed to the memory module's
//! natives through both bridges, on a context with a 1 MiB limit: every call returns or
//! fails naming the function, nothing panics or aborts, and the engine goes on.
#![no_main]

use goost_memory::hosts::lua::{self, mlua};
use goost_memory::hosts::rhai::{self, rhai::Engine};
use goost_memory::{Context, MemoryLimit};
use libfuzzer_sys::fuzz_target;

/// The natives called, each with up to three of the built values.
const NATIVES: [&str; 8] = [
    "memory.buffer.new",
    "memory.buffer.write",
    "memory.buffer.len",
    "memory.buffer.read",
    "memory.pool.intern",
    "memory.pool.has",
    "memory.gc.setPercent",
    "memory.alloc.stats",
];

/// One step of building values, read from a byte and its operand: each pushes an
/// expression, written in Lua and in Rhai, that may name values pushed before.
fn step(op: u8, operand: u8, values: &[(String, String)]) -> (String, String) {
    let pick = |n: u8| {
        if values.is_empty() {
            "nil".to_string()
        } else {
            format!("v{}", usize::from(n) % values.len())
        }
    };
    let rhai_pick = |n: u8| {
        if values.is_empty() {
            "()".to_string()
        } else {
            format!("v{}", usize::from(n) % values.len())
        }
    };
    match op % 9 {
        0 => (
            format!("{}", i64::from(operand) - 128),
            format!("{}", i64::from(operand) - 128),
        ),
        1 => (format!("{}.5", operand), format!("{}.5", operand)),
        // A string of up to 1 MiB, shared by every value that names it.
        2 => {
            let doublings = operand % 21;
            (
                format!("string.rep('x', {})", 1usize << doublings),
                format!("{{ let s = \"x\"; for i in 0..{doublings} {{ s += s; }} s }}"),
            )
        }
        3 => (
            format!("{{{}, {}}}", pick(operand), pick(operand / 2)),
            format!("[{}, {}]", rhai_pick(operand), rhai_pick(operand / 2)),
        ),
        // A table of many references to one value.
        4 => (
            format!(
                "(function() local t = {{}} for i = 1, {} do t[i] = {} end return t end)()",
                u32::from(operand) * 16,
                pick(operand)
            ),
            format!(
                "{{ let t = []; for i in 0..{} {{ t.push({}); }} t }}",
                u32::from(operand).min(64),
                rhai_pick(operand)
            ),
        ),
        5 => ("nil".to_string(), "()".to_string()),
        6 => (
            format!("{{k = {}}}", pick(operand)),
            format!("#{{k: {}}}", rhai_pick(operand)),
        ),
        7 => ("print".to_string(), "|x| x".to_string()),
        _ => (
            format!("{}", operand % 2 == 0),
            format!("{}", operand % 2 == 0),
        ),
    }
}

thread_local! {
    /// One Lua state and one Rhai engine for the whole run (making them per input costs
    /// most of the time), each on a context of its own with a 1 MiB limit.
    static LUA: Option<mlua::Lua> = {
        let vm = mlua::Lua::new();
        let _ = vm.set_memory_limit(256 << 20);
        lua::install(&vm, Context::builder().memory_limit(1 << 20).build()).ok().map(|()| vm)
    };
    static RHAI: Option<Engine> = {
        let mut engine = Engine::new();
        engine
            .set_max_string_size(2 << 20)
            .set_max_array_size(1 << 16)
            .set_max_operations(1 << 20);
        rhai::install(&mut engine, Context::builder().memory_limit(1 << 20).build())
            .ok()
            .map(|()| engine)
    };
}

fuzz_target!(|data: &[u8]| {
    let Some((&native, rest)) = data.split_first() else {
        return;
    };
    let name = NATIVES[usize::from(native) % NATIVES.len()];
    let mut values: Vec<(String, String)> = Vec::new();
    for pair in rest.chunks_exact(2).take(24) {
        values.push(step(pair[0], pair[1], &values));
    }
    let args: Vec<usize> = (0..values.len()).rev().take(3).collect();

    let lua_setup: String = values
        .iter()
        .enumerate()
        .map(|(i, (lua, _))| format!("local v{i} = {lua}\n"))
        .collect();
    let lua_args: Vec<String> = args.iter().map(|i| format!("v{i}")).collect();
    let (module, path) = name.split_once('.').unwrap_or((name, ""));
    let script = format!(
        "{lua_setup}return require('{module}').{path}({})",
        lua_args.join(", ")
    );
    LUA.with(|vm| {
        let Some(vm) = vm else { return };
        match vm.load(&script).exec() {
            Ok(()) | Err(mlua::Error::MemoryError(_)) => {}
            Err(error) => {
                let text = match &error {
                    mlua::Error::CallbackError { cause, .. } => cause.to_string(),
                    other => other.to_string(),
                };
                // Lua's own memory limit may also stop the building of a value.
                assert!(
                    text.starts_with(name) || text.contains("not enough memory"),
                    "{script}: {text}"
                );
            }
        }
        assert_eq!(vm.load("return 1 + 1").eval::<i64>().ok(), Some(2));
    });

    let rhai_setup: String = values
        .iter()
        .enumerate()
        .map(|(i, (_, rhai))| format!("let v{i} = {rhai};\n"))
        .collect();
    let script = format!(
        "{rhai_setup}{}({})",
        name.replace('.', "::"),
        lua_args.join(", ")
    );
    RHAI.with(|engine| {
        let Some(engine) = engine else { return };
        match engine.run(&script).map_err(|error| *error) {
            // Rhai's own limits may stop the building of a value.
            Ok(())
            | Err(rhai::rhai::EvalAltResult::ErrorDataTooLarge(..))
            | Err(rhai::rhai::EvalAltResult::ErrorTooManyOperations(..)) => {}
            Err(error) => {
                let text = error.to_string();
                assert!(
                    text.starts_with(&format!("Runtime error: {name}")),
                    "{script}: {text}"
                );
            }
        }
        assert_eq!(engine.eval::<i64>("1 + 1").ok(), Some(2));
    });
});
