use std::rc::Rc;

use goost_bind::spec_class;

// One context runs natives from several threads, so a class's objects are `Send + Sync`:
// an `Rc` inside is an error at the struct.
#[spec_class("paths.Path", spec = "memory-macros/tests/ui/paths.spec")]
struct Path {
    points: Rc<Vec<(f64, f64)>>,
}

fn main() {}
