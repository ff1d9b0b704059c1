use goost_bind::native;

#[native("memory.buffer.write")]
fn write(id: i64, data: bool) -> bool {
    id > 0 && data
}

fn main() {}
