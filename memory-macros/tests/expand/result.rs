#[native("golden.shapes.lookup")]
fn lookup(ctx: &Context, id: PoolId, key: &str) -> Result<ScriptString, Error> {
    ctx.lookup(id, key)
}
