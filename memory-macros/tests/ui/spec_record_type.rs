use goost_bind::spec_record;

// A field of the record's name whose Rust type is another script type.
#[spec_record("units.Point", spec = "memory-macros/tests/ui/units.spec")]
struct Point {
    x: String,
    y: f64,
}

fn main() {}
