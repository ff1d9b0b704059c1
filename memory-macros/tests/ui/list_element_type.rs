use goost_bind::native;

#[native("shapes.num.sum", spec = "tests/fixture/shapes.spec")]
fn sum(xs: Vec<String>) -> i64 {
    xs.len() as i64
}

#[native("shapes.text.first", spec = "tests/fixture/shapes.spec")]
fn first(xs: Vec<String>) -> String {
    xs.concat()
}

fn main() {}
