use goost_bind::{native, Error};

#[native("memory.buffer.len")]
fn len(id: i64) -> Result<bool, Error> {
    Ok(id > 0)
}

fn main() {}
