//! The memory natives bound by hand, as a Rhai user would write them without the
//! generator: the baseline the Rhai bridge is measured against, shared by
//! `hosts/rhai/benches/bridge.rs` (wall clock) and
//! `instructions/benches/bridge_instructions.rs` (instruction counts). It registers a
//! module called `memory`, so the same script runs on the bridge and on it.

use std::sync::Arc;

use goost_bind::Context;
use goost_rhai::rhai::{Dynamic, Engine, EvalAltResult, ImmutableString, Module, Token};
use memory_runtime::MemoryState;
use memory_runtime::buffer::{self, BufferId};
use memory_runtime::pool::{self, PoolId};

/// The memory state of `ctx`, as a hand-written binding keeps it.
fn memory_of(ctx: &Context) -> Arc<MemoryState> {
    ctx.state_shared::<MemoryState>()
        .expect("every context holds one")
}

/// The module `memory` in Rhai: the natives bound by hand with `set_native_fn` (and Rhai's
/// reserved word `new` read as a name, as the bridge's `install` does).
pub fn rhai_by_hand(engine: &mut Engine, ctx: &Context) {
    fn fail(error: goost_bind::Error) -> Box<EvalAltResult> {
        error.to_string().into()
    }
    let mut buffer_module = Module::new();
    let (c, mem) = (ctx.clone(), memory_of(ctx));
    buffer_module.set_native_fn("new", move || Ok(buffer::new(&c, &mem).map_err(fail)?.0));
    let (c, mem) = (ctx.clone(), memory_of(ctx));
    buffer_module.set_native_fn("write", move |id: i64, s: ImmutableString| {
        buffer::write(&c, &mem, BufferId(id), s.as_bytes()).map_err(fail)
    });
    let mem = memory_of(ctx);
    buffer_module.set_native_fn("len", move |id: i64| {
        buffer::len(&mem, BufferId(id)).map_err(fail)
    });
    let mem = memory_of(ctx);
    buffer_module.set_native_fn("free", move |id: i64| {
        buffer::free(&mem, BufferId(id)).map_err(fail)
    });
    let mut pool_module = Module::new();
    let mem = memory_of(ctx);
    pool_module.set_native_fn("new", move || Ok(pool::new(&mem).map_err(fail)?.0));
    let (c, mem) = (ctx.clone(), memory_of(ctx));
    pool_module.set_native_fn("intern", move |id: i64, s: ImmutableString| {
        let pooled = pool::intern(&c, &mem, PoolId(id), s.as_bytes()).map_err(fail)?;
        // As the bridge hands back text: a Rhai string when the bytes are UTF-8.
        Ok(match pooled.to_str() {
            Ok(text) => Dynamic::from(ImmutableString::from(text)),
            Err(_) => Dynamic::from_blob(pooled.as_bytes().to_vec()),
        })
    });
    let mem = memory_of(ctx);
    pool_module.set_native_fn("free", move |id: i64| {
        pool::free(&mem, PoolId(id)).map_err(fail)
    });
    let mut hand = Module::new();
    hand.set_sub_module("buffer", buffer_module);
    hand.set_sub_module("pool", pool_module);
    engine.register_static_module("memory", hand.into());
    #[allow(deprecated)] // Rhai marks this API volatile, not deprecated.
    // Rhai reserves `new`: read it as a name, as the bridge does.
    engine.on_parse_token(|token, _, _| match token {
        Token::Reserved(word) if word.as_str() == "new" => Token::Identifier(word),
        other => other,
    });
}
