//! Hostile values through the Lua and Rhai bridges and the goost host (docs/history/reliability.md,
//! round 3, items 1 and 2): a table or array is converted only as far as its parameter's
//! type asks, within the context's conversion limit, sharing what the engine shares.
//! Every case here aborted the process (or grew it past 2 GB) before.

#[cfg(any(feature = "lua", feature = "rhai"))]
use goost_memory::MemoryLimit;
use goost_memory::alloc::{Tracking, TrackingSystem};
use goost_memory::{Context, host, native};

#[global_allocator]
static GLOBAL: TrackingSystem = Tracking::system();

/// The most one call may allocate under a 1 MiB context: the conversion and the copies a
/// parameter makes share the context's limit, plus a small allowance for the call itself
/// (the engine's frames, the error text, the lists' own slots).
#[cfg(all(feature = "lua", feature = "rhai"))]
const CALL_BOUND: u64 = (1 << 20) + (1 << 20);

/// Bytes allocated by the whole process while `f` runs. Every test of this binary takes
/// `COUNTING` for its whole length, so another test's allocations never count.
#[cfg(all(feature = "lua", feature = "rhai"))]
fn allocated_by<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = goost_memory::alloc::counts().total;
    let value = f();
    (value, goost_memory::alloc::counts().total - before)
}

static COUNTING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// This binary's tests run one at a time while the returned guard lives (see
/// [`allocated_by`]); a test that failed holding it does not stop the others.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    COUNTING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Takes a list of strings as copies: the worst case for a list of shared references.
#[native("hostile.lists.count", spec = "tests/fixture/hostile.spec")]
fn count(xs: Vec<String>) -> i64 {
    xs.len() as i64
}

/// Takes nested lists of ints.
#[native("hostile.lists.depth", spec = "tests/fixture/hostile.spec")]
fn depth(xs: Vec<Vec<i64>>) -> i64 {
    xs.iter().map(|inner| inner.len() as i64).sum()
}

/// A context with a 1 MiB limit, as an embedder running untrusted scripts makes one.
#[cfg(any(feature = "lua", feature = "rhai"))]
fn limited() -> Context {
    Context::builder().memory_limit(1 << 20).build()
}

#[test]
fn the_goost_host_refuses_to_copy_a_list_of_many_references_to_one_large_string() {
    // Its strings are the largest of this binary's: not while another test counts.
    let _turn = one_at_a_time();
    let mut out = Vec::new();
    let error = host::run(
        "t.goost",
        "import hostile\nlet s = \"x\"\nlet i = 0\nwhile i < 24 { s = s + s\ni = i + 1 }\n\
         let xs = [s, s, s, s, s, s, s, s]\nprint(hostile.lists.count(xs))\n",
        &Context::new(),
        &mut out,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "t.goost:7:7: hostile.lists.count(xs: list<string>) -> int: argument 1 (xs) expects \
         list<string>, got a list whose strings would take 134217728 bytes to copy, past the \
         67108864 bytes this call may copy (take it as `ListRef<&str>` or \
         `Vec<ScriptString>`, which share the strings)"
    );
}

#[cfg(feature = "lua")]
mod lua {
    use super::limited;
    use goost_memory::Context;
    use goost_memory::hosts::lua::{self, mlua};

    fn lua_on(ctx: Context) -> mlua::Lua {
        let vm = mlua::Lua::new();
        vm.set_memory_limit(64 << 20).unwrap();
        lua::install(&vm, ctx).unwrap();
        vm.load(r#"memory = require("memory"); hostile = require("hostile")"#)
            .exec()
            .unwrap();
        vm
    }

    fn error(vm: &mlua::Lua, script: &str) -> String {
        match vm.load(script).exec().unwrap_err() {
            mlua::Error::CallbackError { cause, .. } => cause.to_string(),
            other => other.to_string(),
        }
    }

    const SHARED_STRING: &str =
        r#"local s = string.rep("x", 1 << 20); t = {}; for i = 1, 8192 do t[i] = s end"#;

    #[test]
    fn a_table_where_an_int_goes_is_a_type_error_at_once() {
        let _turn = super::one_at_a_time();
        let vm = lua_on(limited());
        vm.load(SHARED_STRING).exec().unwrap();
        assert_eq!(
            error(&vm, "memory.buffer.len(t)"),
            "memory.buffer.len(id: int) -> int: argument 1 (id) expects int, got table"
        );
        // 40 tables, 2^40 paths.
        assert_eq!(
            error(
                &vm,
                "local t = {}; for i = 1, 40 do t = {t, t} end; memory.buffer.len(t)"
            ),
            "memory.buffer.len(id: int) -> int: argument 1 (id) expects int, got table"
        );
    }

    #[test]
    fn a_string_referenced_many_times_is_converted_once_and_bounded_by_the_limit() {
        let _turn = super::one_at_a_time();
        // Unlimited context: the shared string is converted once (1 MiB, not 8 GiB), then
        // the `Vec<String>` parameter refuses to make 8192 copies of it.
        let vm = lua_on(Context::new());
        vm.load(SHARED_STRING).exec().unwrap();
        assert_eq!(
            error(&vm, "hostile.lists.count(t)"),
            "hostile.lists.count(xs: list<string>) -> int: argument 1 (xs) expects list<string>, \
             got a list whose strings would take 8589934592 bytes to copy, past the \
             65929184 bytes this call may copy (take it as `ListRef<&str>` or \
             `Vec<ScriptString>`, which share the strings)"
        );
        // Under a 1 MiB limit the list itself (8192 slots and the string once) is past it.
        let vm = lua_on(limited());
        vm.load(SHARED_STRING).exec().unwrap();
        assert_eq!(
            error(&vm, "hostile.lists.count(t)"),
            "hostile.lists.count(xs: list<string>) -> int: argument 1 (xs) would take more \
             than 1048576 bytes to convert (the context's conversion limit)"
        );
        // Within it, the call goes through.
        let n: i64 = vm
            .load(r#"local t = {}; for i = 1, 1000 do t[i] = "abc" end; return hostile.lists.count(t)"#)
            .eval()
            .unwrap();
        assert_eq!(n, 1000);
    }

    /// The copies a parameter makes out of a list share the context's limit with the
    /// conversion: under 1 MiB, 50 copies of a 16 KiB string go through, 100 do not.
    #[test]
    fn copies_out_of_a_list_are_bounded_by_what_the_conversion_left() {
        let _turn = super::one_at_a_time();
        let vm = lua_on(limited());
        let refs = |n: u32| {
            format!(
                "local s = string.rep('c', 16384); local t = {{}}; for i = 1, {n} do t[i] = s end; \
                 return hostile.lists.count(t)"
            )
        };
        assert_eq!(vm.load(refs(50)).eval::<i64>().unwrap(), 50);
        // Converted: the string once (16,384 + 16) and 100 slots (1,600 + 16).
        let left = (1 << 20) - (16_384 + 16) - (1_600 + 16);
        assert_eq!(
            error(&vm, &refs(100)),
            format!(
                "hostile.lists.count(xs: list<string>) -> int: argument 1 (xs) expects \
                 list<string>, got a list whose strings would take 1638400 bytes to copy, past \
                 the {left} bytes this call may copy (take it as `ListRef<&str>` or \
                 `Vec<ScriptString>`, which share the strings)"
            )
        );
    }

    #[test]
    fn a_table_shared_along_many_paths_is_converted_once() {
        let _turn = super::one_at_a_time();
        let vm = lua_on(Context::new());
        // One row referred to 1000 times: converted once, shared.
        let n: i64 = vm
            .load(
                "local row = {1, 2, 3}; local t = {}; for i = 1, 1000 do t[i] = row end; \
                 return hostile.lists.depth(t)",
            )
            .eval()
            .unwrap();
        assert_eq!(n, 3000);
        assert_eq!(
            error(
                &vm,
                "local t = {}; for i = 1, 40 do t = {t, t} end; hostile.lists.depth(t)"
            ),
            "hostile.lists.depth(xs: list<list<int>>) -> int: argument 1 (xs) expects \
             list<list<int>>, got a list whose element 1 is table"
        );
    }
}

#[cfg(feature = "rhai")]
mod rhai {
    use super::limited;
    use goost_memory::Context;
    use goost_memory::hosts::rhai::{self, rhai::Engine};

    fn engine(ctx: Context) -> Engine {
        let mut engine = Engine::new();
        engine.set_max_array_size(0).set_max_string_size(0);
        rhai::install(&mut engine, ctx).unwrap();
        engine
    }

    fn error(engine: &Engine, script: &str) -> String {
        engine.run(script).unwrap_err().to_string()
    }

    const SHARED_STRING: &str =
        "let s = \"x\"; for i in 0..20 { s += s; } let a = []; for i in 0..8192 { a.push(s); }";

    #[test]
    fn an_array_where_an_int_goes_is_a_type_error_at_once() {
        let _turn = super::one_at_a_time();
        let engine = engine(limited());
        assert_eq!(
            error(&engine, &format!("{SHARED_STRING} memory::buffer::len(a)")),
            "Runtime error: memory.buffer.len(id: int) -> int: argument 1 (id) expects int, got array (line 1, position 101)"
        );
    }

    #[test]
    fn a_shared_string_is_converted_once_and_bounded_by_the_limit() {
        let _turn = super::one_at_a_time();
        let unlimited = engine(Context::new());
        assert_eq!(
            error(
                &unlimited,
                &format!("{SHARED_STRING} hostile::lists::count(a)")
            ),
            "Runtime error: hostile.lists.count(xs: list<string>) -> int: argument 1 (xs) \
             expects list<string>, got a list whose strings would take 8589934592 bytes to \
             copy, past the 65929184 bytes this call may copy (take it as \
             `ListRef<&str>` or `Vec<ScriptString>`, which share the strings) (line 1, position 101)"
        );
        let limited = engine(limited());
        assert_eq!(
            error(
                &limited,
                &format!("{SHARED_STRING} hostile::lists::count(a)")
            ),
            "Runtime error: hostile.lists.count(xs: list<string>) -> int: argument 1 (xs) would \
             take more than 1048576 bytes to convert (the context's conversion limit) (line 1, position 101)"
        );
        let n: i64 = limited
            .eval("let a = []; for i in 0..1000 { a.push(\"abc\"); } hostile::lists::count(a)")
            .unwrap();
        assert_eq!(n, 1000);
    }
}

/// Values built of shared references (a string referred to up to 2,000 times, a table
/// doubled up to 45 times) against every native that takes a list or a scalar, in Lua and
/// Rhai under a 1 MiB context: each call returns or fails naming the function, and the
/// engine goes on; a Lua call allocates no more than [`CALL_BOUND`] (in Rhai the value is
/// built by the same script as the call, so only the outcome is checked).
#[cfg(all(feature = "lua", feature = "rhai"))]
mod shared_references {
    use super::{CALL_BOUND, allocated_by, limited, one_at_a_time};
    use goost_memory::hosts::lua::{self, mlua};
    use goost_memory::hosts::rhai::{self, rhai::Engine};
    use proptest::prelude::*;

    const NATIVES: [&str; 5] = [
        "hostile.lists.count",
        "hostile.lists.depth",
        "memory.buffer.len",
        "memory.buffer.write",
        "memory.pool.intern",
    ];

    /// Which shared value a call passes: the table of string references, the doubled
    /// table, both in one table, or the string beside the doubled table.
    const SHAPES: [(&str, &str); 4] = [
        ("t", "t"),
        ("u", "u"),
        ("{t, u}", "[t, u]"),
        ("{s, u}", "[s, u]"),
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn any_shared_value_is_refused_or_taken_within_the_bound(
            native in 0..NATIVES.len(),
            shape in 0..SHAPES.len(),
            size in prop_oneof![Just(0usize), Just(1000), Just(64 << 10), Just(1 << 20)],
            refs in 0usize..2000,
            doublings in 0usize..45,
        ) {
            let _turn = one_at_a_time();
            let name = NATIVES[native];
            let (module, path) = name.split_once('.').unwrap();

            let vm = mlua::Lua::new();
            lua::install(&vm, limited()).unwrap();
            vm.load(format!(
                "s = string.rep('x', {size}); t = {{}}; for i = 1, {refs} do t[i] = s end; \
                 u = {{1, 2}}; for i = 1, {doublings} do u = {{u, u}} end; \
                 f = require('{module}').{path}"
            ))
            .exec()
            .unwrap();
            let call = vm.load(format!("return f({})", SHAPES[shape].0)).into_function().unwrap();
            let (result, bytes) = allocated_by(|| call.call::<mlua::Value>(()));
            if let Err(error) = result {
                let text = match &error {
                    mlua::Error::CallbackError { cause, .. } => cause.to_string(),
                    other => other.to_string(),
                };
                prop_assert!(text.starts_with(name), "{text}");
            }
            prop_assert!(bytes <= CALL_BOUND, "Lua {name}: {bytes} bytes");
            prop_assert_eq!(vm.load("return 1 + 1").eval::<i64>().unwrap(), 2);

            // Rhai arrays are values (a doubled array is 2^n copies in Rhai itself), so the
            // doubling stops at 12 there.
            let mut engine = Engine::new();
            rhai::install(&mut engine, limited()).unwrap();
            let doublings = doublings.min(12);
            let setup = format!(
                "let s = \"x\"; s.pad({size}, 'x'); let t = []; for i in 0..{refs} {{ t.push(s); }} \
                 let u = [1, 2]; for i in 0..{doublings} {{ u = [u, u]; }}"
            );
            let script = format!("{setup} {}({})", name.replace('.', "::"), SHAPES[shape].1);
            let ast = engine.compile(&script).unwrap();
            let (result, _) = allocated_by(|| engine.run_ast(&ast));
            if let Err(error) = result {
                let text = error.to_string();
                prop_assert!(text.starts_with(&format!("Runtime error: {name}")), "{text}");
            }
            prop_assert_eq!(engine.eval::<i64>("1 + 1").unwrap(), 2);
        }
    }
}
