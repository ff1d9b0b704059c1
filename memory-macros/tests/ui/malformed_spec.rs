use goost_bind::native;

#[native("broken.math.add", spec = "memory-macros/tests/ui/broken.spec")]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

fn main() {}
