use goost_bind::spec_enum;

// `Mile` is no value of the spec's enum, `Km` holds data, and `nautical_mile` has no
// variant: each is its own error.
#[spec_enum("units.Unit", spec = "memory-macros/tests/ui/units.spec")]
enum Unit {
    M,
    Km(u8),
    Mile,
}

#[spec_enum("units.Unti", spec = "memory-macros/tests/ui/units.spec")]
enum Misnamed {
    M,
}

fn main() {}
