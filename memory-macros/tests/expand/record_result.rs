#[native("golden.shapes.origin")]
fn origin() -> Point {
    Point { x: 0.0, y: 0.0 }
}
