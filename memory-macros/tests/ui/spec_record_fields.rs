use goost_bind::spec_record;

// `label` is no field of the spec's record and `y` is missing:
// each is its own error.
#[spec_record("units.Point", spec = "memory-macros/tests/ui/units.spec")]
struct Point {
    x: String,
    label: Option<String>,
}

fn main() {}
