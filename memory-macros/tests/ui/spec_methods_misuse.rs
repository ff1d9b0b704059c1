use goost_bind::{spec_class, spec_methods};

#[spec_class("paths.Path", spec = "memory-macros/tests/ui/paths.spec")]
struct Path;

// `pusj` is no method of the class; `length` takes `self` by value, and a method may not
// take `&mut self`: each is its own error.
#[spec_methods("paths.Path", spec = "memory-macros/tests/ui/paths.spec")]
impl Path {
    fn pusj(&self, x: f64, y: f64) -> i64 {
        (x + y) as i64
    }

    fn length(self) -> f64 {
        0.0
    }
}

#[spec_methods("paths.Path", spec = "memory-macros/tests/ui/paths.spec")]
impl Path {
    fn push(&mut self, x: f64, y: f64) -> i64 {
        (x + y) as i64
    }
}

fn main() {}
