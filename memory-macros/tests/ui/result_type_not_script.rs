use goost_bind::{native, Error};

#[native("memory.buffer.len")]
fn len(id: i64) -> Result<char, Error> {
    Ok(if id > 0 { 'a' } else { 'b' })
}

fn main() {}
