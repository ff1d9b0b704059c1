use goost_bind::native;

#[native("memory.buffer.len")]
fn len(id: i64) -> Result<i64, std::num::ParseIntError> {
    "7".parse::<i64>().map(|n| n + id)
}

fn main() {}
