#[native("golden.shapes.scale")]
fn scale(ctx: &Context, geo: &GeoState, x: i64) -> i64 {
    geo.factor(ctx) * x
}
