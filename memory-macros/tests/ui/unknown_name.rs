use goost_bind::{native, Context, Error};

#[native("memory.buffer.wrte")]
fn write(_ctx: &Context, id: i64, data: &str) -> Result<bool, Error> {
    Ok(id > 0 && !data.is_empty())
}

fn main() {}
