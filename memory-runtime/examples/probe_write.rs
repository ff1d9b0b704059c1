use std::hint::black_box;
use memory_runtime::{Context, Registry, Value};
fn main() {
    let ctx = Context::new();
    let r = Registry::global();
    let buf = r.get("memory.buffer.new").unwrap().call(&ctx, &[]).unwrap();
    let write = r.get("memory.buffer.write").unwrap();
    let reset = r.get("memory.buffer.reset").unwrap();
    let args = [buf.clone(), Value::str("hello ")];
    for i in 0..1_000_000u32 {
        match write.call(&ctx, black_box(&args)) { Ok(Value::Bool(b)) => { black_box(b); } _ => panic!() }
        if i % 100_000 == 0 { reset.call(&ctx, std::slice::from_ref(&buf)).unwrap(); }
    }
}
