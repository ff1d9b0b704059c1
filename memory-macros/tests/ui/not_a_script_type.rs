use goost_bind::native;

#[native("memory.buffer.len")]
fn len(id: char) -> i64 {
    id as i64
}

fn main() {}
