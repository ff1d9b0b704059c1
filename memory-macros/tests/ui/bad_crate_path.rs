use goost_bind::native;

#[native("memory.buffer.len", crate = "not a path")]
fn len(id: i64) -> i64 {
    id
}

fn main() {}
