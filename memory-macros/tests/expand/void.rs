#[native("golden.shapes.toggle")]
fn toggle(_on: bool) {}
