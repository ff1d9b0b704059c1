//! One million `buffer.write` of 6 bytes from a script, in our goost host, in Lua and
//! in Rhai through their bridges, beside each engine's own way to build the same string.
//! `cargo bench --features lua,rhai --bench hosts`.

use criterion::{Criterion, criterion_group, criterion_main};
use goost_memory::host::{self, Machine};
use goost_memory::hosts::{lua, rhai as rhai_bridge};
use goost_memory::{Context, Registry};

const GOOST: &str = "import memory
let b = memory.buffer.new()
for i in 0..1000000 { memory.buffer.write(b, \"hello \") }
memory.buffer.free(b)
";
const LUA_BRIDGE: &str = r#"local m = require("memory")
local b = m.buffer.new()
for i = 1, 1000000 do m.buffer.write(b, "hello ") end
m.buffer.free(b)"#;
const LUA_OWN: &str = r#"local t = {}
for i = 1, 1000000 do t[#t + 1] = "hello " end
return #table.concat(t)"#;
const RHAI_BRIDGE: &str = r#"let b = memory::buffer::new();
for i in 0..1000000 { memory::buffer::write(b, "hello "); }
memory::buffer::free(b);"#;
const RHAI_OWN: &str = r#"let s = "";
for i in 0..1000000 { s += "hello "; }
s.len()"#;

fn hosts(c: &mut Criterion) {
    let mut group = c.benchmark_group("1,000,000 writes of 6 bytes");
    group.sample_size(10);

    let program = host::load(GOOST, Registry::global()).expect("loads");
    let ctx = Context::new();
    group.bench_function("goost host, memory.buffer.write", |b| {
        b.iter(|| {
            Machine::new(&ctx, std::io::sink())
                .run(&program)
                .expect("runs")
        })
    });

    let vm = mlua::Lua::new();
    lua::install(&vm, Context::new()).expect("installs");
    let bridge = vm.load(LUA_BRIDGE).into_function().expect("compiles");
    let own = vm.load(LUA_OWN).into_function().expect("compiles");
    group.bench_function("Lua, memory.buffer.write via bridge", |b| {
        b.iter(|| bridge.call::<()>(()).expect("runs"))
    });
    group.bench_function("Lua, table.concat", |b| {
        b.iter(|| own.call::<i64>(()).expect("runs"))
    });

    let mut engine = rhai::Engine::new();
    rhai_bridge::install(&mut engine, Context::new()).expect("installs");
    let bridge = engine.compile(RHAI_BRIDGE).expect("compiles");
    let own = engine.compile(RHAI_OWN).expect("compiles");
    group.bench_function("Rhai, memory::buffer::write via bridge", |b| {
        b.iter(|| engine.run_ast(&bridge).expect("runs"))
    });
    group.bench_function("Rhai, string +=", |b| {
        b.iter(|| engine.eval_ast::<i64>(&own).expect("runs"))
    });
    group.finish();
}

criterion_group!(benches, hosts);
criterion_main!(benches);
