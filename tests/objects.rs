//! Objects of a spec class (issue 28): a struct under `#[spec_class]`, its `&self` methods
//! under `#[spec_methods]`, made by a constructor native and held by scripts, dropped
//! exactly once when the last script value lets go. Bound against
//! `tests/fixture/paths.spec`; run in goost, and in Rhai (feature `rhai`; the Lua bridge's
//! are in `hosts/lua/tests/objects.rs`).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use goost_memory::{Context, Registry, Value, host};

#[path = "fixture/paths.rs"]
mod paths;
use paths::PathsState;

/// A context with the module's state.
fn context() -> Context {
    Context::builder().state(PathsState::default()).build()
}

/// What `source` (after `import paths`) prints on `ctx`, or its error.
fn goost_on(ctx: &Context, source: &str) -> Result<String, String> {
    let mut out = Vec::new();
    host::run("t.goost", &format!("import paths\n{source}"), ctx, &mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn goost(source: &str) -> Result<String, String> {
    goost_on(&context(), source)
}

#[test]
fn the_spec_and_the_bound_natives_agree() {
    static SPEC: goost_memory::ModuleSpec =
        goost_memory::module_spec!(path = "tests/fixture/paths.spec");
    if let Err(mismatch) = Registry::global().check_against_spec(&SPEC) {
        panic!("{mismatch}");
    }
    let methods: Vec<&str> = Registry::global()
        .methods("paths.Path")
        .iter()
        .map(|(name, _)| *name)
        .collect();
    assert_eq!(methods, ["extend", "length", "name", "push"]);
    // Methods are reached through objects, not as module functions.
    let module = Registry::global().module("paths").unwrap();
    let groups: Vec<&str> = module.submodules.keys().copied().collect();
    assert_eq!(groups, ["path", "stats", "stop"]);
}

#[test]
fn goost_calls_methods_on_an_object_a_constructor_made() {
    assert_eq!(
        goost(
            "let p = paths.path.new(\"trip\")\n\
             p.push(0.0, 0.0)\n\
             print(p.push(3.0, 4.0), p.length(), p.name(), paths.path.points(p))\n\
             print(p)\n"
        ),
        Ok("2 5 trip 2\npaths.Path\n".to_string())
    );
}

#[test]
fn an_object_is_dropped_once_when_the_last_value_lets_go() {
    let ctx = context();
    assert_eq!(
        goost_on(
            &ctx,
            "let p = paths.path.new(\"a\")\n\
             let q = p\n\
             print(paths.stats.alive(), p == q, p == paths.path.new(\"b\"), paths.stats.alive())\n\
             p = 0\n\
             print(paths.stats.alive())\n\
             q = 0\n\
             print(paths.stats.alive())\n"
        ),
        Ok("1 true false 1\n1\n0\n".to_string())
    );
    assert_eq!(
        goost_on(
            &ctx,
            "let i = 0\n\
             while i < 100000 {\n\
               let p = paths.path.new(\"x\")\n\
               p.push(1.0, 2.0)\n\
               i = i + 1\n\
             }\n\
             print(paths.stats.alive())\n"
        ),
        Ok("0\n".to_string())
    );
    let state = ctx.state::<PathsState>().unwrap();
    assert_eq!(state.alive.load(Ordering::SeqCst), 0);
}

#[test]
fn method_mistakes_are_errors_naming_the_method() {
    let cases = [
        (
            "let p = paths.path.new(\"a\")\np.psh(1.0, 2.0)",
            "t.goost:3:2: paths.Path has no method `psh`; the nearest are `push`, `extend`, `length`",
        ),
        (
            "let p = paths.path.new(\"a\")\np.push(1.0)",
            "t.goost:3:2: paths.Path.push(x: float, y: float) -> int: expects 2 arguments, got 1",
        ),
        (
            "let p = paths.path.new(\"a\")\np.push(1.0, \"y\")",
            "t.goost:3:2: paths.Path.push(x: float, y: float) -> int: argument 2 (y) expects float, got string",
        ),
        (
            "let p = paths.path.new(\"a\")\np.extend([1.0, \"a\"])",
            "t.goost:3:2: paths.Path.extend(xy: list<float>) -> int: argument 1 (xy) expects list<float>, got a list whose element 2 is string",
        ),
        (
            "let n = 5\nn.push(1.0, 2.0)",
            "t.goost:3:2: only an object has methods: `.push(..)` of int",
        ),
        (
            "paths.path.points(5)",
            "t.goost:2:1: paths.path.points(path: paths.Path) -> int: argument 1 (path) expects paths.Path, got int",
        ),
        (
            "let s = paths.stop.new(\"s\")\ns.push(1.0, 2.0)",
            "t.goost:3:2: paths.Stop has no method `push`; the nearest are `name`",
        ),
        (
            "paths.path.points(paths.stop.new(\"s\"))",
            "t.goost:2:1: paths.path.points(path: paths.Path) -> int: argument 1 (path) expects paths.Path, got paths.Stop",
        ),
    ];
    for (source, expected) in cases {
        assert_eq!(goost(source), Err(expected.to_string()), "{source}");
    }
}

#[test]
fn a_method_called_on_something_else_names_the_method_and_what_it_got() {
    let ctx = context();
    let push = Registry::global()
        .method("paths.Path", "push")
        .unwrap()
        .bind(&ctx);
    let error = push
        .call(&[Value::Int(3), Value::Float(1.0), Value::Float(2.0)])
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "paths.Path.push(x: float, y: float) -> int: is a method of paths.Path objects, called on int"
    );
}

/// An object belongs to the context whose native made it: a native of another context
/// refuses it, as the object of a method call and as an argument (alone or in a list),
/// naming the argument; an object no native has returned yet (a host's own) is taken by
/// any context, and then belongs to the first that returns it.
#[test]
fn an_object_of_another_context_is_refused_by_name() {
    let (a, b) = (context(), context());
    let made_in_a = Registry::global()
        .get("paths.path.new")
        .unwrap()
        .bind(&a)
        .call(&[Value::str("a")])
        .unwrap();
    let Value::Object(object) = &made_in_a else {
        panic!("a constructor returns an object: {made_in_a:?}");
    };
    assert_eq!(object.context(), Some(a.id()));
    assert_ne!(a.id(), b.id());
    let push_in_b = Registry::global().method("paths.Path", "push").unwrap();
    let points = Registry::global().get("paths.path.points").unwrap();
    let args = [made_in_a.clone(), Value::Float(1.0), Value::Float(2.0)];
    assert_eq!(
        push_in_b.bind(&b).call(&args).unwrap_err().to_string(),
        "paths.Path.push(x: float, y: float) -> int: is called on a paths.Path object of another context"
    );
    // The unbound call checks the same.
    assert_eq!(
        points
            .call(&b, std::slice::from_ref(&made_in_a))
            .unwrap_err()
            .to_string(),
        "paths.path.points(path: paths.Path) -> int: argument 1 (path) holds a paths.Path object of another context"
    );
    // Its own context takes it, and nothing was changed by the refusals.
    assert_eq!(
        points.bind(&a).call(std::slice::from_ref(&made_in_a)),
        Ok(Value::Int(0))
    );
    assert_eq!(push_in_b.bind(&a).call(&args), Ok(Value::Int(1)));
    // A host's own object: no context until a native returns it.
    let hosts = goost_memory::ScriptObject::new(paths::new(
        a.state::<PathsState>().unwrap(),
        "host's".to_string(),
    ));
    assert_eq!(hosts.context(), None);
    assert_eq!(
        points.bind(&b).call(&[Value::Object(hosts.clone())]),
        Ok(Value::Int(0))
    );
    assert_eq!(hosts.context(), None);
}

#[test]
fn objects_are_shared_across_threads_of_one_context() {
    let ctx = context();
    let new = Registry::global().get("paths.path.new").unwrap().bind(&ctx);
    let path = new.call(&[Value::str("shared")]).unwrap();
    let push = Arc::new(
        Registry::global()
            .method("paths.Path", "push")
            .unwrap()
            .bind(&ctx),
    );
    std::thread::scope(|scope| {
        for _ in 0..4 {
            let (push, path) = (Arc::clone(&push), path.clone());
            scope.spawn(move || {
                for _ in 0..250 {
                    push.call(&[path.clone(), Value::Float(0.0), Value::Float(0.0)])
                        .unwrap();
                }
            });
        }
    });
    let points = Registry::global()
        .get("paths.path.points")
        .unwrap()
        .bind(&ctx);
    assert_eq!(
        points.call(std::slice::from_ref(&path)),
        Ok(Value::Int(1000))
    );
    drop(path);
    let state = ctx.state::<PathsState>().unwrap();
    assert_eq!(state.alive.load(Ordering::SeqCst), 0);
}

#[cfg(feature = "rhai")]
mod rhai {
    use goost_memory::hosts::rhai::{self as bridge, rhai};

    use super::*;

    fn engine(ctx: &Context) -> rhai::Engine {
        let mut engine = rhai::Engine::new();
        bridge::install_modules(&mut engine, ctx.clone(), &["paths"]).unwrap();
        engine
    }

    /// What `script` evaluates to on `ctx`, printed, or its error's text.
    fn eval(ctx: &Context, script: &str) -> String {
        match engine(ctx).eval::<rhai::Dynamic>(script) {
            Ok(value) => value.to_string(),
            Err(error) => format!("error: {error}"),
        }
    }

    #[test]
    fn rhai_calls_methods_on_an_object_and_drops_it_with_the_last_value() {
        let ctx = context();
        assert_eq!(
            eval(
                &ctx,
                "let p = paths::path::new(\"trip\");
                 p.push(0.0, 0.0);
                 let n = p.push(3.0, 4);
                 let q = p;
                 let r = paths::path::new(\"other\");
                 [n, p.length(), p.name(), paths::path::points(q), p == q, p == r, p != r, p == 5,
                  paths::stats::alive(), `${p}`, type_of(p), [p].len()]"
            ),
            "[2, 5.0, \"trip\", 2, true, false, true, false, 2, \"paths.Path\", \"paths.Path\", 1]"
        );
        assert_eq!(eval(&ctx, "paths::stats::alive()"), "0");
        assert_eq!(
            eval(
                &ctx,
                "for i in 0..100000 { let p = paths::path::new(\"x\"); p.push(1.0, 2.0); }
                 paths::stats::alive()"
            ),
            "0"
        );
    }

    /// An object a closure captures is shared by Rhai (read through a lock): its methods
    /// run on it inside and outside the closure, with arguments of their own types and not.
    #[test]
    fn rhai_calls_methods_on_an_object_a_closure_shares() {
        let ctx = context();
        assert_eq!(
            eval(
                &ctx,
                "let p = paths::path::new(\"a\");
                 let add = |x| p.push(x, 0.0);
                 add.call(1.0);
                 add.call(2);
                 [p.push(3.0, 4), p.name(), paths::path::points(p)]"
            ),
            "[3, \"a\", 3]"
        );
    }

    /// A host that hands an object from one tenant's engine to another's gets the error
    /// naming the method: the object belongs to the context that made it.
    #[test]
    fn rhai_refuses_an_object_of_another_tenant() {
        let (a, b) = (context(), context());
        let path: rhai::Dynamic = engine(&a).eval("paths::path::new(\"a's\")").unwrap();
        let mut scope = rhai::Scope::new();
        scope.push("p", path);
        let error = engine(&b)
            .eval_with_scope::<rhai::Dynamic>(&mut scope, "p.push(1.0, 2.0)")
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "Runtime error: paths.Path.push(x: float, y: float) -> int: is called on a paths.Path object of another context (line 1, position 3)"
        );
        let count = engine(&a)
            .eval_with_scope::<rhai::Dynamic>(&mut scope, "p.push(1.0, 2.0)")
            .unwrap();
        assert_eq!(count.to_string(), "1");
    }

    #[test]
    fn rhai_method_mistakes_are_the_glues_errors() {
        let ctx = context();
        let cases = [
            (
                "let p = paths::path::new(\"a\"); p.push(1.0)",
                "paths.Path.push(x: float, y: float) -> int: expects 2 arguments, got 1 (line 1, position 34)",
            ),
            (
                "let p = paths::path::new(\"a\"); p.push(1.0, \"y\")",
                "paths.Path.push(x: float, y: float) -> int: argument 2 (y) expects float, got string (line 1, position 34)",
            ),
            (
                "paths::path::points(5)",
                "paths.path.points(path: paths.Path) -> int: argument 1 (path) expects paths.Path, got int (line 1, position 14)",
            ),
            (
                "let p = paths::path::new(\"a\"); p.extend([1.0, \"a\"])",
                "paths.Path.extend(xy: list<float>) -> int: argument 1 (xy) expects list<float>, got a list whose element 2 is string (line 1, position 34)",
            ),
            (
                "let p = paths::path::new(\"a\"); p.extend([1.0, Fn(\"f\")])",
                "paths.Path.extend(xy: list<float>) -> int: argument 1 is an array whose element 2 is a Rhai Fn, which has no script type (line 1, position 34)",
            ),
            // A method another class has, on a stop; a stop where a path goes.
            (
                "let s = paths::stop::new(\"s\"); s.push(1.0, 2.0)",
                "paths.Stop has no method `push`; the nearest are `name` (line 1, position 34)",
            ),
            (
                "paths::path::points(paths::stop::new(\"s\"))",
                "paths.path.points(path: paths.Path) -> int: argument 1 (path) expects paths.Path, got paths.Stop (line 1, position 14)",
            ),
        ];
        for (script, expected) in cases {
            assert_eq!(
                eval(&ctx, script),
                format!("error: Runtime error: {expected}"),
                "{script}"
            );
        }
        // A name no class has a method of is Rhai's own error (Rhai finds no function),
        // which names the class; `with_nearest_methods` words it as the glue does, at the
        // same place, inside a function's error too. A function no one has is left alone.
        let script = "let p = paths::path::new(\"a\"); p.psh(1.0, 2.0)";
        assert_eq!(
            eval(&ctx, script),
            "error: Function not found: psh (paths.Path, f64, f64) (line 1, position 34)"
        );
        let reworded = |script: &str| {
            let error = engine(&ctx).run(script).unwrap_err();
            bridge::with_nearest_methods(error).to_string()
        };
        assert_eq!(
            reworded(script),
            "Runtime error: paths.Path has no method `psh`; the nearest are `push`, `extend`, `length` (line 1, position 34)"
        );
        assert_eq!(
            reworded("fn measure(p) { p.lenth() } measure(paths::path::new(\"a\"))"),
            "Runtime error: paths.Path has no method `lenth`; the nearest are `length`, `extend`, `push` (line 1, position 19)\nin call to function 'measure' (line 1, position 29)"
        );
        assert_eq!(
            reworded("nothing(1)"),
            "Function not found: nothing (i64) (line 1, position 1)"
        );
    }
}

/// The checks of goost, Lua and Rhai report, before the script runs, an unknown method and
/// a wrong count or literal type in a method call on a variable last assigned from a
/// constructor, in the run-time error's words; a variable reassigned to anything else is
/// not checked.
#[test]
fn every_check_reads_method_calls_on_a_constructed_variable() {
    let spec = goost_spec::parse(include_str!("fixture/paths.spec")).unwrap();
    let checker = goost_spec::check::Checker::new([&spec]);
    let found: Vec<String> = host::check(
        "import paths\n\
         let p = paths.path.new(\"a\")\n\
         p.push(1.0, 2.0)\n\
         p.psh(1.0, 2.0)\n\
         p.push(1.0)\n\
         p.push(1.0, \"y\")\n\
         p = 5\n\
         p.psh()\n",
        &checker,
    )
    .iter()
    .map(ToString::to_string)
    .collect();
    let push = "paths.Path.push(x: float, y: float) -> int";
    assert_eq!(
        found,
        [
            "4:2: paths.Path has no method `psh`; the nearest are `push`, `extend`, `length`"
                .to_string(),
            format!("5:2: {push}: expects 2 arguments, got 1"),
            format!("6:2: {push}: argument 2 (y) expects float, got string"),
        ]
    );
}
