//! Records across the Rhai bridge against the same conversion written by hand with Rhai's
//! object maps and through Rhai's serde (`rhai::serde`), in one run: a two-field record in
//! and out (`shapes.pair.swap`, 1,000,000 calls) and a list of 100 of them in and out
//! (`shapes.pair.swap_all`, 10,000 calls). What to read is each bridge row's time over
//! the by-hand row's and the serde row's.
//!
//! Each binding is a module called `shapes` in an engine of its own, so all three run the
//! very same script text; all three call the same Rust function (`swapped`).
//! `cargo bench -p goost-rhai --bench records`.

use criterion::{Criterion, criterion_group, criterion_main};
use goost_bind::Context;
use goost_rhai::rhai::{self, Array, Dynamic, Engine, EvalAltResult, Map, Module};

#[path = "../../../benches/support/shapes.rs"]
mod shapes;
use shapes::{Pair, swapped};

/// The two rows, as Rhai loops over the module `shapes` of whichever binding.
const ROWS: [(&str, &str); 2] = [
    (
        "one record, 1,000,000 calls",
        "let p = #{x: 1.5, y: 2.5};
         for i in 0..1000000 { p = shapes::pair::swap(p); }
         p",
    ),
    (
        "100 records, 10,000 calls",
        "let ps = [];
         for i in 0..100 { ps.push(#{x: i + 0.5, y: 0.5}); }
         for i in 0..10000 { ps = shapes::pair::swap_all(ps); }
         ps",
    ),
];

/// A `Pair` read from an object map, as a Rhai user writes it.
fn pair_of(map: &Map) -> Result<Pair, Box<EvalAltResult>> {
    let field = |name: &str| {
        map.get(name)
            .and_then(|value| value.as_float().ok())
            .ok_or_else(|| Box::<EvalAltResult>::from(format!("field {name} expects float")))
    };
    Ok(Pair {
        x: field("x")?,
        y: field("y")?,
    })
}

/// An object map made from a `Pair`, as a Rhai user writes it.
fn map_of(pair: Pair) -> Map {
    let mut map = Map::new();
    map.insert("x".into(), Dynamic::from_float(pair.x));
    map.insert("y".into(), Dynamic::from_float(pair.y));
    map
}

/// Registers `pair` as the module `shapes` (its functions under `shapes::pair`).
fn register(engine: &mut Engine, pair: Module) {
    let mut shapes = Module::new();
    shapes.set_sub_module("pair", pair);
    engine.register_static_module("shapes", shapes.into());
}

/// `shapes::pair::swap` and `swap_all` bound by hand: maps read and made field by field.
fn by_hand(engine: &mut Engine) {
    let mut pair = Module::new();
    pair.set_native_fn("swap", |p: Map| Ok(map_of(swapped(pair_of(&p)?))));
    pair.set_native_fn("swap_all", |ps: Array| {
        ps.iter()
            .map(|p| {
                let p = p
                    .read_lock::<Map>()
                    .ok_or_else(|| Box::<EvalAltResult>::from("expects a map"))?;
                Ok(Dynamic::from_map(map_of(swapped(pair_of(&p)?))))
            })
            .collect::<Result<Array, Box<EvalAltResult>>>()
    });
    register(engine, pair);
}

/// `shapes::pair::swap` and `swap_all` bound through Rhai's serde conversion.
fn through_serde(engine: &mut Engine) {
    let mut pair = Module::new();
    pair.set_native_fn("swap", |p: Dynamic| {
        let p: Pair = rhai::serde::from_dynamic(&p)?;
        rhai::serde::to_dynamic(swapped(p))
    });
    pair.set_native_fn("swap_all", |ps: Dynamic| {
        let ps: Vec<Pair> = rhai::serde::from_dynamic(&ps)?;
        rhai::serde::to_dynamic(ps.into_iter().map(swapped).collect::<Vec<_>>())
    });
    register(engine, pair);
}

/// The three engines: the bridge, by hand, through serde.
fn engines() -> [(&'static str, Engine); 3] {
    let mut bridge = Engine::new();
    goost_rhai::install_modules(&mut bridge, Context::new(), &["shapes"]).expect("installs");
    let mut hand = Engine::new();
    by_hand(&mut hand);
    let mut serde = Engine::new();
    through_serde(&mut serde);
    [("bridge", bridge), ("by hand", hand), ("serde", serde)]
}

fn records(c: &mut Criterion) {
    let engines = engines();
    let mut group = c.benchmark_group("Rhai records");
    group.sample_size(10);
    for (row, script) in ROWS {
        for (binding, engine) in &engines {
            let ast = engine.compile(script).expect("compiles");
            group.bench_function(format!("{row}: {binding}"), |b| {
                b.iter(|| engine.eval_ast::<Dynamic>(&ast).expect("runs"))
            });
        }
    }
    group.finish();
}

/// Every binding gives the same answer, so the rows measure the same work.
fn same_answers() {
    let script = "let p = shapes::pair::swap(#{x: 1.5, y: 2.5});
                  let ps = shapes::pair::swap_all([#{x: 1.0, y: 2.0}, #{x: 3.0, y: 4.0}]);
                  [p.x, p.y, ps.len(), ps[1].x, ps[1].y]";
    let answers: Vec<String> = engines()
        .iter()
        .map(|(_, engine)| format!("{:?}", engine.eval::<Array>(script).expect("runs")))
        .collect();
    assert_eq!(answers, ["[2.5, 1.5, 2, 4.0, 3.0]"; 3]);
}

fn with_check(c: &mut Criterion) {
    same_answers();
    records(c);
}

criterion_group!(benches, with_check);
criterion_main!(benches);
