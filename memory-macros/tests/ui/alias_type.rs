use goost_bind::native;

// An alias does not change what the type is: `Text` is still an `int` to the check.
type Text = i64;

#[native("memory.buffer.write")]
fn write(id: i64, data: Text) -> bool {
    id > data
}

fn main() {}
