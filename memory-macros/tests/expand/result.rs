#[native("golden.shapes.lookup")]
fn lookup(ctx: &Context, id: PoolId, key: &str) -> Result<Arc<str>, Error> {
    ctx.lookup(id, key)
}
