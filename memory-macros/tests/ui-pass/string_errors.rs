// A native may fail with a plain message: `Result<T, String>` (or `&str`) is taken, and the
// message becomes the native's error, named by the glue (issue 26, item 5: it was a bare
// "`From<String>` is not implemented" before).
use goost_bind::{native, Context, Registry, Value};

#[native("fixture.math.add", spec = "tests/fixture/fixture.spec")]
fn add(a: i64, b: i64) -> Result<i64, String> {
    a.checked_add(b).ok_or_else(|| format!("{a} + {b} overflows an int"))
}

fn main() {
    let ctx = Context::new();
    let native = Registry::global().get("fixture.math.add").unwrap();
    assert_eq!(
        native.call(&ctx, &[Value::Int(2), Value::Int(40)]),
        Ok(Value::Int(42))
    );
    assert_eq!(
        native
            .call(&ctx, &[Value::Int(i64::MAX), Value::Int(1)])
            .unwrap_err()
            .to_string(),
        "fixture.math.add: 9223372036854775807 + 1 overflows an int"
    );
}
