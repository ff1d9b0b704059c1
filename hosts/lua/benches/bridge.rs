//! The Lua bridge against a hand-written mlua binding of the very same natives, on the
//! same Lua, in one run: whichever Lua goost-lua's features name. Each row makes 1,000,000
//! calls from a script loop; what to read is the ratio of the bridge's time to the
//! hand-written binding's.
//!
//! Each binding lives in a Lua state of its own under the module name `memory`, so both
//! run the very same script text.
//!
//! ```sh
//! cargo bench -p goost-lua --bench bridge                                                 # Lua 5.4
//! cargo bench -p goost-lua --bench bridge --no-default-features --features luajit,vendored
//! cargo bench -p goost-lua --bench bridge --no-default-features --features luau
//! ```

use criterion::{Criterion, criterion_group, criterion_main};
use goost_bind::Context;
use goost_lua::{self as lua, flavour, mlua::Lua};

mod hand_binding;
use hand_binding::lua_by_hand;

/// The name the scripts require: Luau's `require` takes `@` aliases for registered modules.
const MODULE: &str = if flavour::IS_LUAU {
    "@memory"
} else {
    "memory"
};

/// The three rows, as Lua loops over `m` (the module table `require('memory')` gives: the
/// bridge's or the hand-written one; `require('@memory')` on Luau, where both have it).
const LUA_ROWS: [(&str, &str); 3] = [
    (
        "write 6 B",
        "local b = m.buffer.new()
         for i = 1, 1000000 do m.buffer.write(b, 'hello ') end
         m.buffer.free(b)",
    ),
    (
        "len",
        "local b = m.buffer.new()
         local n = 0
         for i = 1, 1000000 do n = n + m.buffer.len(b) end
         m.buffer.free(b)",
    ),
    (
        "intern hit",
        "local p = m.pool.new()
         m.pool.intern(p, 'hello')
         for i = 1, 1000000 do m.pool.intern(p, 'hello') end
         m.pool.free(p)",
    ),
];

fn bridge(c: &mut Criterion) {
    let ctx = Context::new();
    let bridge_vm = Lua::new();
    lua::install(&bridge_vm, ctx.clone()).expect("installs");
    let hand_vm = Lua::new();
    lua_by_hand(&hand_vm, &ctx).expect("binds by hand");
    let mut group = c.benchmark_group(format!("{}, 1,000,000 calls", flavour::NAME));
    group.sample_size(10);
    for (row, body) in LUA_ROWS {
        let script = format!("local m = require('{MODULE}')\n{body}");
        let bridge = bridge_vm.load(&script).into_function().expect("compiles");
        let by_hand = hand_vm.load(&script).into_function().expect("compiles");
        group.bench_function(format!("{row}: bridge"), |b| {
            b.iter(|| bridge.call::<()>(()).expect("runs"))
        });
        group.bench_function(format!("{row}: by hand"), |b| {
            b.iter(|| by_hand.call::<()>(()).expect("runs"))
        });
    }
    group.finish();
}

criterion_group!(benches, bridge);
criterion_main!(benches);
