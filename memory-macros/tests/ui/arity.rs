use goost_bind::{native, Context};

#[native("memory.buffer.write")]
fn write(_ctx: &Context, id: i64) -> bool {
    id > 0
}

fn main() {}
