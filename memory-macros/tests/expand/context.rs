#[native("golden.shapes.length")]
fn length(ctx: &Context, id: BufferId) -> i64 {
    ctx.len_of(id)
}
