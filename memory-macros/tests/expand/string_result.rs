/// Says hello.
#[native("golden.shapes.greeting")]
fn greeting() -> String {
    "hello".to_string()
}
