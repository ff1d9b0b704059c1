//! Objects across the Lua bridge against the same class bound by hand as an mlua
//! `UserData`, on the same Lua, in one run: a method call (`p:length()` on a two-point
//! path, 1,000,000 calls), and making an object and letting Lua collect it
//! (`paths.path.new('x')`, 1,000,000 objects). Both bindings wrap the same Rust `Path`
//! (`tests/fixture/paths.rs`) in a Lua state of their own under the module name `paths`,
//! so they run the very same script text. It also prints the Lua memory 10,000 live
//! objects take under each binding.
//!
//! ```sh
//! cargo bench -p goost-lua --bench objects                                                 # Lua 5.4
//! cargo bench -p goost-lua --bench objects --no-default-features --features luajit,vendored
//! cargo bench -p goost-lua --bench objects --no-default-features --features luau
//! ```

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use goost_bind::Context;
use goost_lua::flavour;
use goost_lua::mlua::{self, Lua, UserData, UserDataMethods};

#[path = "../../../tests/fixture/paths.rs"]
mod paths;
use paths::{Path, PathsState};

/// The name the scripts require: Luau's `require` takes `@` aliases for registered modules.
const MODULE: &str = if flavour::IS_LUAU { "@paths" } else { "paths" };

/// The two rows, as Lua loops over `m` (the module table of whichever binding).
const ROWS: [(&str, &str); 2] = [
    (
        "method call p:length(), 1,000,000 calls",
        "local p = m.path.new('trip')
         p:push(0, 0)
         p:push(3, 4)
         local total = 0
         for i = 1, 1000000 do total = total + p:length() end",
    ),
    (
        "make and collect an object, 1,000,000 objects",
        "for i = 1, 1000000 do local p = m.path.new('x') end
         collectgarbage()",
    ),
];

/// `Path` bound by hand, as an mlua user writes it.
struct HandPath(Path);

impl UserData for HandPath {
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_method("push", |_, this, (x, y): (f64, f64)| Ok(this.0.push(x, y)));
        methods.add_method("length", |_, this, ()| Ok(this.0.length()));
        methods.add_method("name", |_, this, ()| Ok(this.0.name()));
    }
}

/// `paths.path.new` returning a `HandPath`, registered as the module `paths`.
fn by_hand(lua: &Lua, state: Arc<PathsState>) -> mlua::Result<()> {
    let path = lua.create_table()?;
    path.set(
        "new",
        lua.create_function(move |_, name: String| Ok(HandPath(paths::new(&state, name))))?,
    )?;
    let module = lua.create_table()?;
    module.set("path", path)?;
    lua.register_module(MODULE, module)
}

/// A context with the module's state, and the state shared with the hand binding.
fn context() -> (Context, Arc<PathsState>) {
    let ctx = Context::builder().state(PathsState::default()).build();
    let state = ctx
        .state_shared::<PathsState>()
        .expect("the context holds one");
    (ctx, state)
}

/// The Lua memory, in bytes, that 10,000 live objects take in `vm`.
fn memory_per_object(vm: &Lua) -> f64 {
    let script = format!(
        "local m = require('{MODULE}')
         collectgarbage() collectgarbage()
         local before = collectgarbage('count')
         local kept = {{}}
         for i = 1, 10000 do kept[i] = m.path.new('x') end
         collectgarbage() collectgarbage()
         local after = collectgarbage('count')
         return (after - before) * 1024 / 10000"
    );
    vm.load(&script).eval().expect("runs")
}

fn objects(c: &mut Criterion) {
    let (ctx, state) = context();
    let bridge_vm = Lua::new();
    goost_lua::install_modules(&bridge_vm, ctx.clone(), &["paths"]).expect("installs");
    let hand_vm = Lua::new();
    by_hand(&hand_vm, state).expect("binds by hand");
    println!(
        "Lua memory per live object ({}): bridge {:.0} bytes, by hand {:.0} bytes; \
         Rust heap per object: bridge the Path in a Box plus a {}-byte shared cell (count, class, \
         context, box), by hand the Path inside the userdata",
        flavour::NAME,
        memory_per_object(&bridge_vm),
        memory_per_object(&hand_vm),
        goost_bind::ScriptObject::CELL_BYTES,
    );
    let mut group = c.benchmark_group(format!("{} objects", flavour::NAME));
    group.sample_size(10);
    for (row, body) in ROWS {
        let script = format!("local m = require('{MODULE}')\n{body}");
        for (binding, vm) in [("bridge", &bridge_vm), ("by hand", &hand_vm)] {
            let run = vm.load(&script).into_function().expect("compiles");
            group.bench_function(format!("{row}: {binding}"), |b| {
                b.iter(|| run.call::<()>(()).expect("runs"))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, objects);
criterion_main!(benches);
