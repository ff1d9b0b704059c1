//! A module bound against the generic layer alone, as a crate that depends only on
//! `goost-bind` binds it: no memory natives are linked, a state is filled by the glue,
//! binding to a context finds it once, and a panic stays inside the call.

use std::sync::atomic::{AtomicI64, Ordering};

use goost_bind::{Context, Error, ErrorKind, Registry, Value, native};

/// The counter module's state in one context.
#[derive(Default)]
struct Counter(AtomicI64);

#[native("counter.ops.add", spec = "tests/counter.spec")]
fn add(counter: &Counter, n: i64) -> Result<i64, Error> {
    let before = counter.0.fetch_add(n, Ordering::Relaxed);
    before
        .checked_add(n)
        .ok_or_else(|| Error::msg(format!("{before} + {n} overflows")))
}

#[native("counter.ops.halve", spec = "tests/counter.spec")]
fn halve(n: i64) -> i64 {
    assert!(n % 2 == 0, "{n} is odd");
    n / 2
}

#[test]
fn the_generic_layer_links_only_the_modules_bound_against_it() {
    let modules: Vec<&str> = Registry::global()
        .modules()
        .map(|m| m.path.as_str())
        .collect();
    assert_eq!(modules, ["counter"]);
    assert!(Registry::global().get("memory.buffer.new").is_none());
}

#[test]
fn a_state_is_filled_by_the_glue_from_each_context() {
    let add = Registry::global().get("counter.ops.add").unwrap();
    let one = Context::builder().state(Counter::default()).build();
    let two = Context::builder().state(Counter::default()).build();
    assert_eq!(add.call(&one, &[Value::Int(5)]), Ok(Value::Int(5)));
    assert_eq!(add.call(&one, &[Value::Int(2)]), Ok(Value::Int(7)));
    assert_eq!(add.call(&two, &[Value::Int(1)]), Ok(Value::Int(1)));
    let bound = add.bind(&one);
    assert_eq!(bound.call(&[Value::Int(3)]), Ok(Value::Int(10)));
    assert_eq!(
        one.state::<Counter>().unwrap().0.load(Ordering::Relaxed),
        10
    );
}

#[test]
fn a_context_without_the_state_gets_an_error_naming_native_and_type() {
    let add = Registry::global().get("counter.ops.add").unwrap();
    let ctx = Context::new();
    let expected = "counter.ops.add: this context has no `generic_layer::Counter`; the host \
                    provides it with `Context::builder().state(..)` or `Context::insert_state`";
    let error = add.call(&ctx, &[Value::Int(1)]).unwrap_err();
    assert_eq!(error.to_string(), expected);
    assert_eq!(
        error.kind(),
        &ErrorKind::MissingState {
            type_name: "generic_layer::Counter"
        }
    );
    // Bound, the same error comes from each call; the binding itself never fails.
    let bound = add.bind(&ctx);
    assert_eq!(
        bound.call(&[Value::Int(1)]).unwrap_err().to_string(),
        expected
    );
}

#[test]
fn a_panic_is_an_error_naming_the_native_and_the_context_goes_on() {
    let halve = Registry::global().get("counter.ops.halve").unwrap();
    let ctx = Context::builder().state(Counter::default()).build();
    let error = halve.call(&ctx, &[Value::Int(3)]).unwrap_err();
    assert_eq!(error.to_string(), "counter.ops.halve panicked: 3 is odd");
    assert_eq!(
        error.kind(),
        &ErrorKind::Panicked {
            message: "3 is odd".to_string()
        }
    );
    assert_eq!(
        halve
            .bind(&ctx)
            .call(&[Value::Int(5)])
            .unwrap_err()
            .to_string(),
        "counter.ops.halve panicked: 5 is odd"
    );
    assert_eq!(halve.call(&ctx, &[Value::Int(8)]), Ok(Value::Int(4)));
    let add = Registry::global().get("counter.ops.add").unwrap();
    assert_eq!(add.call(&ctx, &[Value::Int(1)]), Ok(Value::Int(1)));
}
