#[native("golden.shapes.lookup")]
fn lookup(ctx: &Context, id: PoolId, key: &str) -> Result<ArcStr, Error> {
    ctx.lookup(id, key)
}
