use goost_bind::native;

#[native("memory.buffer.write")]
fn write(handle: i64, data: &str) -> bool {
    handle > 0 && data.is_empty()
}

fn main() {}
