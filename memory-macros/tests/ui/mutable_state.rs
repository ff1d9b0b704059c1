use goost_bind::native;

pub struct Tally(u64);

#[native("memory.buffer.len")]
fn len(tally: &mut Tally, id: i64) -> i64 {
    tally.0 += 1;
    id
}

fn main() {}
