use std::cell::Cell;

use goost_bind::native;

// A state is shared by every thread that runs natives on the context: it must be
// `Send + Sync + 'static`.
pub struct Counter(Cell<i64>);

#[native("memory.buffer.len")]
fn len(counter: &Counter, id: i64) -> i64 {
    counter.0.set(id);
    id
}

fn main() {}
