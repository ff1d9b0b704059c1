//! Objects across the Rhai bridge against the same class bound by hand as a Rhai custom
//! type with registered methods, in one run: a method call (`p.length()` on a two-point
//! path, 1,000,000 calls), and making an object and dropping it (`paths::path::new("x")`,
//! 1,000,000 objects). Both bindings wrap the same Rust `Path` (`tests/fixture/paths.rs`)
//! in an engine of their own under the module name `paths`, so they run the very same
//! script text. `cargo bench -p goost-rhai --bench objects`.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use goost_bind::Context;
use goost_rhai::rhai::{Engine, ImmutableString, Module, Token};

#[path = "../../../tests/fixture/paths.rs"]
mod paths;
use paths::{Path, PathsState};

/// The two rows, as Rhai loops over the module `paths` of whichever binding.
const ROWS: [(&str, &str); 2] = [
    (
        "method call p.length(), 1,000,000 calls",
        "let p = paths::path::new(\"trip\");
         p.push(0.0, 0.0);
         p.push(3.0, 4.0);
         let total = 0.0;
         for i in 0..1000000 { total += p.length(); }",
    ),
    (
        "make and drop an object, 1,000,000 objects",
        "for i in 0..1000000 { let p = paths::path::new(\"x\"); }",
    ),
];

/// `Path` bound by hand, as a Rhai user writes it: a custom type shared by `Arc` (Rhai
/// clones values).
#[derive(Clone)]
struct HandPath(Arc<Path>);

/// `paths::path::new` returning a `HandPath`, and its methods, registered by hand.
fn by_hand(engine: &mut Engine, state: Arc<PathsState>) {
    engine
        .register_type_with_name::<HandPath>("Path")
        .register_fn("push", |p: &mut HandPath, x: f64, y: f64| p.0.push(x, y))
        .register_fn("length", |p: &mut HandPath| p.0.length())
        .register_fn("name", |p: &mut HandPath| p.0.name());
    let mut path = Module::new();
    path.set_native_fn("new", move |name: ImmutableString| {
        Ok(HandPath(Arc::new(paths::new(&state, name.to_string()))))
    });
    let mut module = Module::new();
    module.set_sub_module("path", path);
    engine.register_static_module("paths", module.into());
    #[allow(deprecated)] // Rhai marks this API volatile, not deprecated.
    // Rhai reserves `new`: read it as a name, as the bridge does.
    engine.on_parse_token(|token, _, _| match token {
        Token::Reserved(word) if word.as_str() == "new" => Token::Identifier(word),
        other => other,
    });
}

fn objects(c: &mut Criterion) {
    let ctx = Context::builder().state(PathsState::default()).build();
    let state = ctx
        .state_shared::<PathsState>()
        .expect("the context holds one");
    let mut bridge = Engine::new();
    goost_rhai::install_modules(&mut bridge, ctx.clone(), &["paths"]).expect("installs");
    let mut hand = Engine::new();
    by_hand(&mut hand, state);
    let mut group = c.benchmark_group("Rhai objects");
    group.sample_size(10);
    for (row, script) in ROWS {
        for (binding, engine) in [("bridge", &bridge), ("by hand", &hand)] {
            let ast = engine.compile(script).expect("compiles");
            group.bench_function(format!("{row}: {binding}"), |b| {
                b.iter(|| engine.run_ast(&ast).expect("runs"))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, objects);
criterion_main!(benches);
