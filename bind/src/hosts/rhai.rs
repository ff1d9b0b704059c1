//! Every registered module as a Rhai static module, feature `rhai`: scripts call
//! `memory::buffer::new()`, `geo::point::dist2(3, 4)` and so on.
//!
//! ```
//! # use std::sync::atomic::{AtomicI64, Ordering};
//! use goost_bind::{Context, hosts::rhai, native};
//!
//! #[derive(Default)]
//! struct Counter(AtomicI64);
//!
//! #[native("counter.ops.add", spec = "tests/counter.spec")]
//! fn add(counter: &Counter, n: i64) -> i64 {
//!     counter.0.fetch_add(n, Ordering::Relaxed) + n
//! }
//!
//! fn main() {
//!     let mut engine = ::rhai::Engine::new();
//!     let ctx = Context::builder().state(Counter::default()).build();
//!     rhai::install(&mut engine, ctx); // or rhai::install_modules(.., &["counter"])
//!     let total: i64 = engine.eval("counter::ops::add(2); counter::ops::add(3)").unwrap();
//!     assert_eq!(total, 5);
//! }
//! ```
//!
//! Every parameter is registered as `Dynamic`, and each native under every argument count
//! up to [`MOST_PARAMS`], so a wrong argument type or count reaches the native's glue and
//! gets its error text (`expects 2 arguments, got 1`, with the signature).
//!
//! Rhai reserves the word `new`, which the spec uses (`memory.buffer.new`):
//! [`install`] sets a token mapper (Rhai's `on_parse_token`, feature `internals`) that
//! reads the reserved word `new` as a plain name. It replaces a mapper the host set
//! before; a host with its own mapper should call [`reserved_new_as_name`] from it and
//! call [`rhai_module`] itself.

use ::rhai::{
    Dynamic, Engine, EvalAltResult, FuncRegistration, ImmutableString, Module as RhaiModule, Token,
};

/// The Rhai engine this bridge is built on, re-exported so a host needs no dependency of
/// its own (and never two versions).
pub use ::rhai;

use super::Unconverted;
use crate::{
    ArgRef, BoundNative, Context, Module, Native, Registry, ScriptArg, UnknownModule, Value,
};
use goost_spec::Engine as ScriptEngine;

type Outcome = Result<Dynamic, Box<EvalAltResult>>;

/// Registers every registered module in `engine` as a static module, its natives
/// running on `ctx`, and lets scripts write `memory::buffer::new()` (see the module docs).
pub fn install(engine: &mut Engine, ctx: Context) {
    install_from(engine, ctx, Registry::global().modules().collect());
}

/// [`install`] for the modules called `names` only; a name no native registers is an
/// error, and then nothing is installed.
pub fn install_modules(
    engine: &mut Engine,
    ctx: Context,
    names: &[&str],
) -> Result<(), UnknownModule> {
    let modules = Registry::global().chosen_modules(names)?;
    install_from(engine, ctx, modules);
    Ok(())
}

fn install_from(engine: &mut Engine, ctx: Context, modules: Vec<&Module>) {
    for module in modules {
        engine.register_static_module(module.path.as_str(), rhai_module(module, &ctx).into());
    }
    #[allow(deprecated)] // Rhai marks this API volatile, not deprecated.
    engine.on_parse_token(|token, _, _| reserved_new_as_name(token));
}

/// The token mapping [`install`] sets: Rhai's reserved word `new` read as a plain name,
/// every other token as it is. A host with a token mapper of its own calls this from it.
pub fn reserved_new_as_name(token: Token) -> Token {
    match token {
        Token::Reserved(word) if word.as_str() == "new" => Token::Identifier(word),
        other => other,
    }
}

/// A Rhai module for `module`: a sub-module per sub-module, a function per native.
pub fn rhai_module(module: &Module, ctx: &Context) -> RhaiModule {
    let mut out = RhaiModule::new();
    for (name, sub) in &module.submodules {
        out.set_sub_module(*name, rhai_module(sub, ctx));
    }
    for (name, native) in &module.functions {
        register(&mut out, name, native.bind(ctx));
    }
    out
}

/// The doc comment of the registrations that only answer a wrong argument count with the
/// native's error, as `Engine::definitions()` lists them.
pub const WRONG_COUNT_COMMENT: &str =
    "/// (any other argument count: refused with the function's signature)";

/// The most parameters Rhai registers a native function with.
pub const MOST_PARAMS: usize = 20;

/// One generic bridge, registered once for every argument count from 0 to
/// [`MOST_PARAMS`]: Rhai resolves a function by its name and argument count, so a call
/// with a count the native does not take still reaches the native's glue, which answers
/// with its own error (`NAME(..): expects 2 arguments, got 1`). A native of more than
/// `MOST_PARAMS` parameters cannot be called from Rhai.
///
/// Each count the native does take is registered with the spec's parameter names and
/// types and its description (Rhai's metadata), so `Engine::definitions()` describes it
/// as `fn write(id: int, data: string) -> bool;`. The other counts are listed there too,
/// untyped (`fn write(_: ?) -> ?;`), under [`WRONG_COUNT_COMMENT`].
fn register(out: &mut RhaiModule, name: &str, bound: BoundNative) {
    let spec = bound.native().spec();
    let bound = std::sync::Arc::new(bound);
    for count in 0..=MOST_PARAMS {
        let bound = std::sync::Arc::clone(&bound);
        let mut registration = FuncRegistration::new(name)
            .in_internal_namespace()
            .with_purity(true)
            .with_volatility(false);
        if (spec.required_params()..=spec.params.len()).contains(&count) {
            let params = spec.params[..count]
                .iter()
                .map(|p| {
                    let ty = ScriptEngine::rhai_rust_type(p.ty.when_passed());
                    format!("{}: {ty}", p.name)
                })
                .chain([ScriptEngine::rhai_rust_type(spec.ret).to_string()]);
            registration = registration
                .with_params_info(params)
                .with_comments([format!("/// {}", spec.description)]);
        } else {
            let params = std::iter::repeat_n("_: Dynamic", count).chain(["Dynamic"]);
            registration = registration
                .with_params_info(params)
                .with_comments([WRONG_COUNT_COMMENT]);
        }
        register_count(out, registration, count, bound);
    }
}

/// Registers `bound` with `registration`, taking `count` arguments (all `Dynamic`); a
/// count past [`MOST_PARAMS`] registers nothing. Each count's entry passes its arguments
/// to [`bridge`] as an array of that length, so a call allocates nothing to hold them.
fn register_count(
    out: &mut RhaiModule,
    registration: FuncRegistration,
    count: usize,
    bound: std::sync::Arc<BoundNative>,
) {
    macro_rules! counts {
        ($($n:literal => ($($arg:ident),*)),* $(,)?) => {
            match count {
                $($n => {
                    registration.set_into_module(out, move |$($arg: Dynamic),*| bridge(&bound, [$($arg),*]));
                })*
                _ => {}
            }
        };
    }
    counts! {
        0 => (),
        1 => (a),
        2 => (a, b),
        3 => (a, b, c),
        4 => (a, b, c, d),
        5 => (a, b, c, d, e),
        6 => (a, b, c, d, e, f),
        7 => (a, b, c, d, e, f, g),
        8 => (a, b, c, d, e, f, g, h),
        9 => (a, b, c, d, e, f, g, h, i),
        10 => (a, b, c, d, e, f, g, h, i, j),
        11 => (a, b, c, d, e, f, g, h, i, j, k),
        12 => (a, b, c, d, e, f, g, h, i, j, k, l),
        13 => (a, b, c, d, e, f, g, h, i, j, k, l, m),
        14 => (a, b, c, d, e, f, g, h, i, j, k, l, m, n),
        15 => (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o),
        16 => (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p),
        17 => (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q),
        18 => (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r),
        19 => (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s),
        20 => (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t),
    }
}

/// One call: each argument held on the stack (a string or blob moved out of its
/// `Dynamic`, not copied), lent to the glue, the native called, its result converted back.
/// A call with int, float, bool or string arguments allocates nothing.
fn bridge<const N: usize>(bound: &BoundNative, args: [Dynamic; N]) -> Outcome {
    let mut held: [Held; N] = std::array::from_fn(|_| Held::Scalar(ArgRef::Void));
    for (index, (arg, slot)) in args.into_iter().zip(held.iter_mut()).enumerate() {
        *slot = hold(bound.native(), index, arg)?;
    }
    let lent: [ArgRef<'_>; N] = std::array::from_fn(|index| held[index].lend());
    let result = bound.call_lent(&lent).map_err(|error| error.to_string())?;
    Ok(to_rhai(result))
}

/// A Rhai argument, held for the length of a call so that the glue can borrow it.
enum Held {
    /// `()`, an int, a float or a bool.
    Scalar(ArgRef<'static>),
    /// A Rhai string, lent as its bytes.
    Text(ImmutableString),
    /// A `Blob`, lent as its bytes.
    Blob(::rhai::Blob),
    /// An `Array`, converted into a script list.
    List(Value),
}

impl Held {
    fn lend(&self) -> ArgRef<'_> {
        match self {
            Held::Scalar(arg) => *arg,
            Held::Text(text) => ArgRef::Bytes(text.as_bytes()),
            Held::Blob(bytes) => ArgRef::Bytes(bytes),
            Held::List(list) => list.lend(),
        }
    }
}

/// Argument `index` of a call of `native`, held; an error names the argument and what it is.
fn hold(native: &Native, index: usize, arg: Dynamic) -> Result<Held, Box<EvalAltResult>> {
    let type_name = arg.type_name();
    let other = || Unconverted::new(format!("is a Rhai {type_name}"));
    let held = if arg.is_unit() {
        Ok(Held::Scalar(ArgRef::Void))
    } else if let Ok(n) = arg.as_int() {
        Ok(Held::Scalar(ArgRef::Int(n)))
    } else if let Ok(x) = arg.as_float() {
        Ok(Held::Scalar(ArgRef::Float(x)))
    } else if let Ok(b) = arg.as_bool() {
        Ok(Held::Scalar(ArgRef::Bool(b)))
    } else if arg.is_string() {
        arg.into_immutable_string().map(Held::Text).map_err(|_| other())
    } else if arg.is_blob() {
        arg.into_blob().map(Held::Blob).map_err(|_| other())
    } else {
        // An array (converted whole), or a value no script type takes.
        convert_from_rhai(arg, 0).map(Held::List)
    };
    held.map_err(|unconverted| {
        format!(
            "{}: argument {} {}",
            native.spec().signature,
            index + 1,
            unconverted.describe("array")
        )
        .into()
    })
}

/// A script value as Rhai's: a string that is UTF-8 text is a Rhai string, any other
/// bytes a `Blob` (nothing is replaced); a list is an `Array`; `nil` is `()`.
fn to_rhai(value: Value) -> Dynamic {
    match value {
        Value::Void => Dynamic::UNIT,
        Value::Int(n) => Dynamic::from_int(n),
        Value::Float(x) => Dynamic::from_float(x),
        Value::Bool(b) => Dynamic::from_bool(b),
        Value::Str(s) => match s.to_str() {
            Ok(text) => Dynamic::from(ImmutableString::from(text)),
            Err(_) => Dynamic::from_blob(s.as_bytes().to_vec()),
        },
        Value::List(items) => Dynamic::from_array(items.iter().cloned().map(to_rhai).collect()),
    }
}

/// A Rhai value as a script value: a string or a `Blob` is a string (its bytes), an
/// `Array` a list. `Err` says what the value is instead.
fn convert_from_rhai(arg: Dynamic, depth: usize) -> Result<Value, Unconverted> {
    if arg.is_unit() {
        return Ok(Value::Void);
    }
    if let Ok(n) = arg.as_int() {
        return Ok(Value::Int(n));
    }
    if let Ok(x) = arg.as_float() {
        return Ok(Value::Float(x));
    }
    if let Ok(b) = arg.as_bool() {
        return Ok(Value::Bool(b));
    }
    let type_name = arg.type_name();
    let other = || Unconverted::new(format!("is a Rhai {type_name}"));
    if arg.is_string() {
        return arg
            .into_immutable_string()
            .map(|s| Value::str(s.as_str()))
            .map_err(|_| other());
    }
    if arg.is_blob() {
        return arg.into_blob().map(Value::str).map_err(|_| other());
    }
    if arg.is_array() {
        if depth >= Value::MAX_NESTING {
            return Err(Unconverted::new(format!(
                "is an array nested more than {} deep",
                Value::MAX_NESTING
            )));
        }
        let items = arg.into_array().map_err(|_| other())?;
        let values = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| convert_from_rhai(item, depth + 1).map_err(|e| e.in_element(i + 1)))
            .collect::<Result<Vec<Value>, Unconverted>>()?;
        return Value::list(values)
            .map_err(|too_deep| Unconverted::new(format!("is an array whose lists {too_deep}")));
    }
    Err(Unconverted::new(format!(
        "is a Rhai {type_name}, which has no script type"
    )))
}
