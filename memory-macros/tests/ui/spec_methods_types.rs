use goost_bind::{spec_class, spec_methods};

#[spec_class("paths.Path", spec = "memory-macros/tests/ui/paths.spec")]
struct Path;

// A method's parameters and result are checked against the spec as a `#[native]`
// function's are: `y` is a float, and `push` returns an int.
#[spec_methods("paths.Path", spec = "memory-macros/tests/ui/paths.spec")]
impl Path {
    fn push(&self, x: f64, y: String) -> String {
        format!("{x}{y}")
    }
}

fn main() {}
