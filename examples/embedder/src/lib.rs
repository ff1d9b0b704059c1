//! A host outside the workspace: it runs the seed example in the Lua its feature names,
//! through `require("memory")`, and the memory natives in Rhai as Rhai comes by default.

use std::sync::{Arc, Mutex};

use goost_memory::Context;
use goost_memory::hosts::lua::{self, mlua};
use goost_memory::hosts::rhai as rhai_bridge;

/// The Lua this host was built with.
pub const LUA: &str = lua::flavour::NAME;

/// What `script` prints in a Lua state with every module installed, or its error.
pub fn lua_prints(script: &str) -> mlua::Result<Vec<String>> {
    let vm = mlua::Lua::new();
    lua::install(&vm, Context::new())?;
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let print = vm.create_function(move |_, args: mlua::MultiValue| {
        let parts: Vec<String> = args
            .iter()
            .map(|v| v.to_string().unwrap_or_default())
            .collect();
        if let Ok(mut lines) = sink.lock() {
            lines.push(parts.join("\t"));
        }
        Ok(())
    })?;
    vm.globals().set("print", print)?;
    vm.load(script).exec()?;
    let printed = lines.lock().map(|lines| lines.clone()).unwrap_or_default();
    Ok(printed)
}

/// What `script` evaluates to in a Rhai engine with every module installed, or its error.
pub fn rhai_eval(script: &str) -> Result<String, String> {
    let mut engine = rhai::Engine::new();
    rhai_bridge::install(&mut engine, Context::new()).map_err(|e| e.to_string())?;
    engine
        .eval::<rhai::Dynamic>(script)
        .map(|value| value.to_string())
        .map_err(|e| e.to_string())
}
