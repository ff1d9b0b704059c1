// `crate = "path"` names where generated code finds the binding layer: here a module of
// this crate that re-exports the generic layer, as an application with its own prelude would.
mod bindings {
    pub use goost_bind::*;
}

use bindings::native;

#[native("fixture.math.add", spec = "tests/fixture/fixture.spec", crate = "crate::bindings")]
fn add(a: i64, b: i64) -> Result<i64, bindings::Error> {
    a.checked_add(b).ok_or_else(|| bindings::Error::msg("overflow"))
}

fn main() {
    let ctx = bindings::Context::new();
    let native = bindings::Registry::global()
        .get("fixture.math.add")
        .expect("registered through the re-export");
    assert_eq!(
        native.call(&ctx, &[bindings::Value::Int(2), bindings::Value::Int(40)]),
        Ok(bindings::Value::Int(42))
    );
    assert_eq!(add(1, 2), Ok(3));
}
