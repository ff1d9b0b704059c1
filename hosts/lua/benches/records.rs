//! Records across the Lua bridge against the same conversion written by hand with mlua's
//! tables and through mlua's serde (`LuaSerdeExt`), on the same Lua, in one run: a
//! two-field record in and out (`shapes.pair.swap`, 1,000,000 calls) and a list of 100
//! of them in and out (`shapes.pair.swap_all`, 10,000 calls). What to read is each
//! bridge row's time over the by-hand row's and the serde row's.
//!
//! Each binding is a module called `shapes` in a Lua state of its own, so all three run
//! the very same script text; all three call the same Rust function (`swapped`).
//!
//! ```sh
//! cargo bench -p goost-lua --bench records                                                 # Lua 5.4
//! cargo bench -p goost-lua --bench records --no-default-features --features luajit,vendored
//! cargo bench -p goost-lua --bench records --no-default-features --features luau
//! ```

use criterion::{Criterion, criterion_group, criterion_main};
use goost_bind::Context;
use goost_lua::flavour;
use goost_lua::mlua::{self, Lua, LuaSerdeExt, Table};

#[path = "../../../benches/support/shapes.rs"]
mod shapes;
use shapes::{Pair, swapped};

/// The name the scripts require: Luau's `require` takes `@` aliases for registered modules.
const MODULE: &str = if flavour::IS_LUAU {
    "@shapes"
} else {
    "shapes"
};

/// The two rows, as Lua loops over `m` (the module table of whichever binding).
const ROWS: [(&str, &str); 2] = [
    (
        "one record, 1,000,000 calls",
        "local p = {x = 1.5, y = 2.5}
         for i = 1, 1000000 do p = m.pair.swap(p) end",
    ),
    (
        "100 records, 10,000 calls",
        "local ps = {}
         for i = 1, 100 do ps[i] = {x = i + 0.5, y = 0.5} end
         for i = 1, 10000 do ps = m.pair.swap_all(ps) end",
    ),
];

/// A `Pair` read from a table, as an mlua user writes it.
fn pair_of(table: &Table) -> mlua::Result<Pair> {
    Ok(Pair {
        x: table.get("x")?,
        y: table.get("y")?,
    })
}

/// A table made from a `Pair`, as an mlua user writes it.
fn table_of(lua: &Lua, pair: Pair) -> mlua::Result<Table> {
    let table = lua.create_table_with_capacity(0, 2)?;
    table.raw_set("x", pair.x)?;
    table.raw_set("y", pair.y)?;
    Ok(table)
}

/// `shapes.pair.swap` and `swap_all` bound by hand: tables read and made field by field.
fn by_hand(lua: &Lua) -> mlua::Result<()> {
    let pair = lua.create_table()?;
    pair.set(
        "swap",
        lua.create_function(|lua, p: Table| table_of(lua, swapped(pair_of(&p)?)))?,
    )?;
    pair.set(
        "swap_all",
        lua.create_function(|lua, ps: Table| {
            let out = lua.create_table_with_capacity(ps.raw_len(), 0)?;
            for p in ps.sequence_values::<Table>() {
                out.raw_push(table_of(lua, swapped(pair_of(&p?)?))?)?;
            }
            Ok(out)
        })?,
    )?;
    let module = lua.create_table()?;
    module.set("pair", pair)?;
    lua.register_module(MODULE, module)
}

/// `shapes.pair.swap` and `swap_all` bound through mlua's serde conversion.
fn through_serde(lua: &Lua) -> mlua::Result<()> {
    let pair = lua.create_table()?;
    pair.set(
        "swap",
        lua.create_function(|lua, p: mlua::Value| {
            let p: Pair = lua.from_value(p)?;
            lua.to_value(&swapped(p))
        })?,
    )?;
    pair.set(
        "swap_all",
        lua.create_function(|lua, ps: mlua::Value| {
            let ps: Vec<Pair> = lua.from_value(ps)?;
            lua.to_value(&ps.into_iter().map(swapped).collect::<Vec<_>>())
        })?,
    )?;
    let module = lua.create_table()?;
    module.set("pair", pair)?;
    lua.register_module(MODULE, module)
}

fn records(c: &mut Criterion) {
    let bridge_vm = Lua::new();
    goost_lua::install_modules(&bridge_vm, Context::new(), &["shapes"]).expect("installs");
    let hand_vm = Lua::new();
    by_hand(&hand_vm).expect("binds by hand");
    let serde_vm = Lua::new();
    through_serde(&serde_vm).expect("binds through serde");
    let mut group = c.benchmark_group(format!("{} records", flavour::NAME));
    group.sample_size(10);
    for (row, body) in ROWS {
        let script = format!("local m = require('{MODULE}')\n{body}\nreturn p or ps");
        for (binding, vm) in [
            ("bridge", &bridge_vm),
            ("by hand", &hand_vm),
            ("serde", &serde_vm),
        ] {
            let run = vm.load(&script).into_function().expect("compiles");
            group.bench_function(format!("{row}: {binding}"), |b| {
                b.iter(|| run.call::<mlua::Value>(()).expect("runs"))
            });
        }
    }
    group.finish();
}

/// Every binding gives the same answer, so the rows measure the same work.
fn same_answers() {
    let script = format!(
        "local m = require('{MODULE}')
         local p = m.pair.swap({{x = 1.5, y = 2.5}})
         local ps = m.pair.swap_all({{{{x = 1, y = 2}}, {{x = 3, y = 4}}}})
         return p.x, p.y, #ps, ps[2].x, ps[2].y"
    );
    let mut answers = Vec::new();
    for bind in [
        |vm: &Lua| goost_lua::install_modules(vm, Context::new(), &["shapes"]),
        by_hand,
        through_serde,
    ] {
        let vm = Lua::new();
        bind(&vm).expect("binds");
        answers.push(
            vm.load(&script)
                .eval::<(f64, f64, i64, f64, f64)>()
                .expect("runs"),
        );
    }
    assert_eq!(answers, [(2.5, 1.5, 2, 4.0, 3.0); 3]);
}

fn with_check(c: &mut Criterion) {
    same_answers();
    records(c);
}

criterion_group!(benches, with_check);
criterion_main!(benches);
