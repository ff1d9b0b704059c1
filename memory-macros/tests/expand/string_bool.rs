#[native("golden.shapes.contains")]
fn contains(s: &str, needle: &str) -> bool {
    s.contains(needle)
}
