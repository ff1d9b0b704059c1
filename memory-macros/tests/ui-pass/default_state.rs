// A module state with a sensible empty value is made for every new context: the host
// need not provide it. Registered through the generic layer alone.
use std::sync::atomic::{AtomicI64, Ordering};

use goost_bind::{Context, Registry, Value, default_state, native};

#[derive(Default)]
pub struct Tally(AtomicI64);

default_state!(Tally);

#[native("fixture.logic.touch", spec = "tests/fixture/fixture.spec")]
fn touch(tally: &Tally, n: i64) {
    tally.0.fetch_add(n, Ordering::Relaxed);
}

fn main() {
    let ctx = Context::new();
    let touch = Registry::global().get("fixture.logic.touch").unwrap();
    assert_eq!(touch.call(&ctx, &[Value::Int(4)]), Ok(Value::Void));
    assert_eq!(touch.call(&ctx, &[Value::Int(3)]), Ok(Value::Void));
    assert_eq!(ctx.state::<Tally>().unwrap().0.load(Ordering::Relaxed), 7);
    // Each context has its own.
    assert_eq!(Context::new().state::<Tally>().unwrap().0.load(Ordering::Relaxed), 0);
}
