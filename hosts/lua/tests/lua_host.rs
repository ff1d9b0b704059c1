//! The memory module in Lua through the generic bridge, on whichever Lua goost-lua's
//! features name: the workspace's run tests Lua 5.4, and `.ci/run` runs these again on
//! LuaJIT and Luau (`cargo test -p goost-lua --no-default-features --features luajit,vendored`).

// The seed example's expected lines, shared with the Rhai bridge's tests.
#[path = "../../../memory-runtime/tests/support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};

use goost_bind::Context;
use goost_lua as lua;
use goost_lua::mlua::{self, Lua, MultiValue};
use support::assert_seed_output;

/// A Lua state with the module installed and `print` captured.
fn lua_with_output() -> (Lua, Arc<Mutex<Vec<String>>>) {
    let vm = Lua::new();
    lua::install(&vm, Context::new()).unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let print = vm
        .create_function(move |_, args: MultiValue| {
            let parts: Vec<String> = args
                .iter()
                .map(|v| v.to_string().unwrap_or_default())
                .collect();
            sink.lock().unwrap().push(parts.join("\t"));
            Ok(())
        })
        .unwrap();
    vm.globals().set("print", print).unwrap();
    (vm, lines)
}

#[test]
fn the_translated_seed_example_prints_the_same_lines() {
    let (vm, lines) = lua_with_output();
    vm.load(include_str!("../../../examples/seed.lua"))
        .exec()
        .unwrap();
    assert_seed_output(&lines.lock().unwrap());
}

#[test]
fn every_native_answers_through_the_bridge() {
    let (vm, _) = lua_with_output();
    let results: Vec<String> = vm
        .load(
            r#"
            local m = require("memory")
            local out = {}
            local function put(v) out[#out + 1] = tostring(v) end
            local b = m.buffer.new()
            put(b)
            put(m.buffer.write(b, "héllo"))
            put(m.buffer.read(b))
            put(m.buffer.len(b))
            put(m.buffer.reset(b))
            put(m.buffer.len(b))
            put(m.buffer.free(b))
            local p = m.pool.new()
            put(p)
            put(m.pool.intern(p, "k"))
            put(m.pool.has(p, "k"))
            put(m.pool.has(p, "z"))
            put(m.pool.size(p))
            put(m.pool.free(p))
            put(m.alloc.heapAlloc() > 0)
            put(m.alloc.heapSys() >= 0)
            local gc = m.alloc.numGC()
            put(m.gc.run())
            put(m.alloc.numGC() == gc + 1)
            put(m.gc.setPercent(100))
            put(m.gc.freeOSMemory())
            put(string.sub(m.alloc.stats(), 1, 9))
            return out
            "#,
        )
        .eval::<Vec<String>>()
        .unwrap();
    assert_eq!(
        results,
        [
            "1",
            "true",
            "héllo",
            "6",
            "nil",
            "0",
            "nil",
            "4294967297",
            "k",
            "true",
            "false",
            "1",
            "nil",
            "true",
            "true",
            "nil",
            "true",
            "100",
            "nil",
            "{\"alloc\":"
        ]
    );
}

#[test]
fn a_host_gets_the_natives_error_value_back_from_lua() {
    let (vm, _) = lua_with_output();
    let error = vm
        .load("require('memory').buffer.read(999)")
        .exec()
        .unwrap_err();
    let mlua::Error::CallbackError { cause, .. } = &error else {
        panic!("expected a callback error, got {error:?}")
    };
    let native_error = cause
        .downcast_ref::<goost_bind::Error>()
        .unwrap_or_else(|| panic!("no goost error inside {cause:?}"));
    assert_eq!(native_error.origin(), Some("memory.buffer.read"));
    assert_eq!(
        native_error.downcast_ref::<memory_runtime::MemoryError>(),
        Some(&memory_runtime::MemoryError::UnknownHandle {
            handle: 999,
            kind: memory_runtime::HandleKind::Buffer
        })
    );
}

#[test]
fn errors_become_lua_errors_with_the_natives_text() {
    let (vm, _) = lua_with_output();
    let message = |script: &str| -> String {
        let error = vm.load(script).exec().unwrap_err();
        match error {
            mlua::Error::CallbackError { cause, .. } => cause.to_string(),
            other => other.to_string(),
        }
    };
    assert_eq!(
        message("require('memory').buffer.read(999)"),
        "memory.buffer.read: handle 999 is not a buffer handle: this context never issued it"
    );
    assert_eq!(
        message("require('memory').buffer.write(1)"),
        "memory.buffer.write(id: int, data: string) -> bool: expects 2 arguments, got 1"
    );
    assert_eq!(
        message("local m = require('memory'); m.buffer.write(m.buffer.new(), 5)"),
        "memory.buffer.write(id: int, data: string) -> bool: argument 2 (data) expects string, got int"
    );
    assert_eq!(
        message("require('memory').buffer.len(1.5)"),
        "memory.buffer.len(id: int) -> int: argument 1 (id) expects int, got float"
    );
    assert_eq!(
        message("require('memory').buffer.len({})"),
        "memory.buffer.len(id: int) -> int: argument 1 (id) expects int, got table"
    );
    assert_eq!(
        message("require('memory').buffer.len({a = 1})"),
        "memory.buffer.len(id: int) -> int: argument 1 (id) expects int, got table"
    );
    assert_eq!(
        message("local t = {}; t[1] = t; require('memory').buffer.len(t)"),
        "memory.buffer.len(id: int) -> int: argument 1 (id) expects int, got table"
    );
}

#[test]
fn any_bytes_round_trip_through_a_buffer_and_a_pool() {
    let (vm, _) = lua_with_output();
    let (bytes, len, pooled, same): (mlua::String, i64, mlua::String, bool) = vm
        .load(
            "local m = require('memory')
             local b = m.buffer.new()
             m.buffer.write(b, '\\0\\255\\1')
             local p = m.pool.new()
             local s = m.pool.intern(p, '\\255\\254')
             return m.buffer.read(b), m.buffer.len(b), s, m.pool.has(p, '\\255\\254')",
        )
        .eval()
        .unwrap();
    assert_eq!(&*bytes.as_bytes(), b"\0\xff\x01");
    assert_eq!(len, 3);
    assert_eq!(&*pooled.as_bytes(), b"\xff\xfe");
    assert!(same);
}

#[test]
fn gc_run_runs_luas_own_collector() {
    let (vm, _) = lua_with_output();
    vm.gc_stop();
    vm.load("garbage = {} for i = 1, 20000 do garbage[i] = { i, tostring(i) } end garbage = nil")
        .exec()
        .unwrap();
    let before = vm.used_memory();
    vm.load("require('memory').gc.run()").exec().unwrap();
    let after = vm.used_memory();
    assert!(
        after < before / 2,
        "Lua memory went from {before} to {after} bytes"
    );
}

/// Luau's `require` takes paths and `@` aliases; the bridge registers both names.
#[cfg(feature = "luau")]
#[test]
fn luau_finds_a_module_by_its_name_and_as_an_alias() {
    let (vm, _) = lua_with_output();
    let same: bool = vm
        .load("return require('memory') == require('@memory')")
        .eval()
        .unwrap();
    assert!(same);
}

/// `memory.gc.run()` asks this state for a collection, which the bridge runs in protected
/// mode: where an error in a finalizer propagates (Lua 5.1 to 5.3), the call raises it as
/// a Lua error and the state goes on; Lua 5.4 makes it a warning, LuaJIT a VM event.
/// (Luau has no `__gc`.)
#[cfg(not(feature = "luau"))]
#[test]
fn a_finalizers_error_in_a_requested_collection_is_a_lua_error_and_the_state_goes_on() {
    let (vm, _) = lua_with_output();
    let outcome = vm
        .load(
            r#"local m = require("memory")
               local function fail() finalized = true; error("finalizer failed") end
               local function garbage()
                   if newproxy then -- Lua 5.1 and LuaJIT: only userdata have finalizers
                       getmetatable(newproxy(true)).__gc = fail
                   else
                       setmetatable({}, { __gc = fail })
                   end
               end
               garbage()
               return pcall(m.gc.run)"#,
        )
        .eval::<(bool, mlua::Value)>()
        .unwrap();
    let (ok, error) = outcome;
    let finalized: bool = vm.globals().get("finalized").unwrap();
    assert!(finalized, "the requested collection ran the finalizer");
    // Lua 5.4 makes the error a warning and LuaJIT reports it as a VM event.
    if matches!(goost_lua::flavour::NAME, "Lua 5.4" | "LuaJIT") {
        assert!(ok, "{error:?}");
    } else {
        assert!(!ok);
        let text = error.to_string().unwrap_or_default();
        assert!(text.contains("finalizer failed"), "{text}");
    }
    let len: i64 = vm
        .load("local m = require('memory'); local b = m.buffer.new(); m.buffer.write(b, 'ok'); return m.buffer.len(b)")
        .eval()
        .unwrap();
    assert_eq!(len, 2);
}
