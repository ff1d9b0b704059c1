use goost_bind::native;

mod first {
    use super::native;

    #[native("memory.buffer.len")]
    pub fn len(id: i64) -> i64 {
        id
    }
}

mod second {
    use super::native;

    #[native("memory.buffer.len")]
    pub fn len(id: i64) -> i64 {
        id
    }
}

fn main() {}
