//! The native ABI: what the `#[native]` macro registers and hosts call.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::object::{ObjectsGlue, meets_objects, with_objects};
use crate::{
    ArgRef, ClassType, Context, Error, ScriptList, ScriptMap, ScriptObject, ScriptRecord,
    ScriptString, ScriptType, TakeFields, Value,
};

/// One parameter of a spec function.
#[derive(Debug, PartialEq, Eq)]
pub struct ParamSpec {
    /// The parameter's name in the spec.
    pub name: &'static str,
    /// Its script type.
    pub ty: ScriptType,
}

/// One function as its spec states it.
#[derive(Debug, PartialEq, Eq)]
pub struct FnSpec {
    /// Full dotted name: `memory.buffer.write`.
    pub name: &'static str,
    /// `memory.buffer.write(id: int, data: string) -> bool`.
    pub signature: &'static str,
    /// The script parameters, in order.
    pub params: &'static [ParamSpec],
    /// The result type.
    pub ret: ScriptType,
    /// The one-line description.
    pub description: &'static str,
    /// For a method, its class: the call's first argument is the object it is called on,
    /// and [`FnSpec::params`] are those after it. `None` for a module function.
    pub receiver: Option<&'static ClassType>,
}

impl FnSpec {
    /// The last segment of the name: `write`.
    pub fn short_name(&self) -> &'static str {
        self.name.rsplit('.').next().unwrap_or(self.name)
    }

    /// How many arguments a caller must pass: the parameters before the trailing
    /// optional ones (a caller may leave those out).
    pub fn required_params(&self) -> usize {
        goost_spec::required_count(self.params.iter().map(|p| p.ty))
    }
}

/// A whole module spec, made at compile time by [`module_spec!`](crate::module_spec).
#[derive(Debug)]
pub struct ModuleSpec {
    /// The module name: `memory`.
    pub module: &'static str,
    /// The spec file, as shown in messages: `spec/memory.spec`.
    pub path: &'static str,
    /// Every function, in file order.
    pub functions: &'static [FnSpec],
    /// The generated markdown reference page (what `docs/memory.md` holds).
    pub markdown: &'static str,
    /// The spec file's text, as it was compiled in.
    pub source: &'static str,
}

impl ModuleSpec {
    /// The spec as data, parsed from [`source`](ModuleSpec::source): what the definition
    /// files, the metadata and the script checker are made from. The macro parsed the
    /// same text when it compiled the natives, so this fails only for a `ModuleSpec`
    /// written by hand with a broken `source`.
    pub fn parsed(&self) -> Result<goost_spec::Spec, goost_spec::SpecError> {
        goost_spec::parse(self.source)
    }
}

/// The generated glue: finds the native's states in the context, converts `args`, calls
/// the Rust function, converts the result. Internal to the binding layer: hosts call it
/// through [`Native::call`], which hands back a `Result<Value, Error>`.
#[doc(hidden)]
pub type Glue = fn(&Context, &[Value]) -> GlueResult;

/// The generated glue bound to one context: the native's states found once (each held as
/// an `Arc`, and the context itself if the native takes it), so a call looks nothing up.
/// One body, compiled for both argument sources.
#[doc(hidden)]
pub trait BoundCall: Send + Sync {
    /// A call with the goost interpreter's values.
    fn call_values(&self, args: &[Value]) -> GlueResult;
    /// A call with arguments an engine lends (strings borrowed, not copied).
    fn call_lent(&self, args: &[ArgRef<'_>]) -> GlueResult;
    /// [`call_lent`](BoundCall::call_lent), a record result's fields (or a list of
    /// records' fields) handed to `take` (see [`BoundNative::call_lent_fields`]). The macro
    /// writes it for a native whose result is a record or a list of records; any other
    /// keeps this default, which hands nothing over.
    #[inline(always)]
    fn call_lent_fields(&self, args: &[ArgRef<'_>], take: &mut TakeFields<'_>) -> GlueResult {
        let _ = take;
        self.call_lent(args)
    }
}

/// A [`BoundCall`] as [`Bind`] makes it.
#[doc(hidden)]
pub type BoundGlue = Box<dyn BoundCall>;

/// The bound glue of a native whose context lacks one of its states: every call reports
/// that state as missing.
#[doc(hidden)]
#[derive(Debug)]
pub struct MissingState {
    spec: &'static FnSpec,
    state: &'static str,
}

impl MissingState {
    /// The glue for `spec` in a context without the state called `state`.
    pub fn glue(spec: &'static FnSpec, state: &'static str) -> BoundGlue {
        Box::new(MissingState { spec, state })
    }

    fn refuse(&self) -> GlueResult {
        GlueResult::err(Error::missing_state(self.spec, self.state))
    }
}

impl BoundCall for MissingState {
    fn call_values(&self, _: &[Value]) -> GlueResult {
        self.refuse()
    }

    fn call_lent(&self, _: &[ArgRef<'_>]) -> GlueResult {
        self.refuse()
    }
}

/// What `#[native]` generates to bind a native to a context. A state the context lacks
/// makes a bound glue that reports it on every call.
#[doc(hidden)]
pub type Bind = fn(&Context) -> BoundGlue;

/// A native's `Result<Value, Error>` as the glue returns it: in two registers.
///
/// A `Result<Value, Error>` is two words, but the compiler returns it through memory
/// (its `bool` sits at a byte offset of its own, so the layout is not a pair of scalars).
/// This type holds the same outcome with every payload in the second word, which the
/// x86-64 and AArch64 calling conventions return in two registers: no store and reload
/// around every native call. [`Native::call`] turns it back into the `Result`; inlined,
/// that costs a compare or two.
#[derive(Debug)]
pub struct GlueResult(Outcome);

/// One variant per `Value` variant, in `Value`'s order, plus the error, each with a
/// one-word payload.
#[derive(Debug)]
enum Outcome {
    Void,
    Int(i64),
    /// The float's bits.
    Float(u64),
    /// `0` or `1`: a one-byte `bool` here would move the pair out of registers.
    Bool(u64),
    Str(ScriptString),
    List(ScriptList),
    Map(ScriptMap),
    Record(ScriptRecord),
    Object(ScriptObject),
    /// A record result whose fields went to the caller ([`BoundCall::call_lent_fields`]).
    Taken,
    Err(Error),
}

impl GlueResult {
    /// A failed call.
    #[inline(always)]
    pub fn err(error: Error) -> GlueResult {
        GlueResult(Outcome::Err(error))
    }

    /// What [`IntoValue::into_fields`](crate::IntoValue::into_fields) gave: `Ok(None)`
    /// when the fields went to the caller.
    #[inline(always)]
    pub fn from_fields(given: Result<Option<Value>, Error>) -> GlueResult {
        match given {
            Ok(None) => GlueResult(Outcome::Taken),
            Ok(Some(value)) => GlueResult::from(Ok(value)),
            Err(error) => GlueResult::err(error),
        }
    }

    /// The outcome of a call that may hand a record's fields over: `Ok(None)` when it did.
    #[inline(always)]
    fn into_fields_result(self) -> Result<Option<Value>, Error> {
        match self.0 {
            Outcome::Taken => Ok(None),
            other => GlueResult(other).into_result().map(Some),
        }
    }

    /// The outcome as the native ABI states it.
    #[inline(always)]
    pub fn into_result(self) -> Result<Value, Error> {
        match self.0 {
            Outcome::Void => Ok(Value::Void),
            Outcome::Int(n) => Ok(Value::Int(n)),
            Outcome::Bool(b) => Ok(Value::Bool(b != 0)),
            Outcome::Float(bits) => Ok(Value::Float(f64::from_bits(bits))),
            Outcome::Str(s) => Ok(Value::Str(s)),
            Outcome::List(items) => Ok(Value::List(items)),
            Outcome::Map(entries) => Ok(Value::Map(entries)),
            Outcome::Record(record) => Ok(Value::Record(record)),
            Outcome::Object(object) => Ok(Value::Object(object)),
            // Only `call_lent_fields` hands fields over, and it reads this itself.
            Outcome::Taken => Err(Error::msg(
                "internal error: a record result was handed over outside `call_lent_fields`",
            )),
            Outcome::Err(e) => Err(e),
        }
    }
}

impl From<Result<Value, Error>> for GlueResult {
    #[inline(always)]
    fn from(result: Result<Value, Error>) -> GlueResult {
        GlueResult(match result {
            Ok(Value::Void) => Outcome::Void,
            Ok(Value::Int(n)) => Outcome::Int(n),
            Ok(Value::Bool(b)) => Outcome::Bool(u64::from(b)),
            Ok(Value::Float(x)) => Outcome::Float(x.to_bits()),
            Ok(Value::Str(s)) => Outcome::Str(s),
            Ok(Value::List(items)) => Outcome::List(items),
            Ok(Value::Map(entries)) => Outcome::Map(entries),
            Ok(Value::Record(record)) => Outcome::Record(record),
            Ok(Value::Object(object)) => Outcome::Object(object),
            Err(e) => Outcome::Err(e),
        })
    }
}

/// A registered native: one `inventory` item per `#[native]` function.
#[derive(Debug)]
pub struct Native {
    spec: &'static FnSpec,
    /// Whether its calls pass or return objects ([`meets_objects`]), found once.
    meets_objects: bool,
    glue: Glue,
    bind: Bind,
    rust_path: &'static str,
    file: &'static str,
    line: u32,
}

impl Native {
    /// What `#[native]` registers; generated code calls it, hosts do not.
    #[doc(hidden)]
    pub const fn __new(
        spec: &'static FnSpec,
        glue: Glue,
        bind: Bind,
        rust_path: &'static str,
        file: &'static str,
        line: u32,
    ) -> Native {
        Native {
            spec,
            meets_objects: meets_objects(spec),
            glue,
            bind,
            rust_path,
            file,
            line,
        }
    }

    /// The full dotted name.
    pub fn name(&self) -> &'static str {
        self.spec.name
    }

    /// The spec entry it was checked against at compile time.
    pub fn spec(&self) -> &'static FnSpec {
        self.spec
    }

    /// The Rust function's path, for messages: `memory_runtime::buffer::write`.
    pub fn rust_path(&self) -> &'static str {
        self.rust_path
    }

    /// Source file of the `#[native]` attribute.
    pub fn file(&self) -> &'static str {
        self.file
    }

    /// Source line of the `#[native]` attribute.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// Calls the native with script arguments, finding the module states it takes in
    /// `ctx` on each call (a type check per state; see [`Native::bind`] to pay it once).
    ///
    /// A native that panics (a bug in it, such as an overflow in a debug build) does not
    /// unwind into the host: the call returns an [`ErrorKind::Panicked`](crate::ErrorKind)
    /// error naming the function, and `ctx` stays usable. (The panic hook still runs;
    /// a build with `panic = "abort"` cannot contain panics at all.)
    #[inline]
    pub fn call(&self, ctx: &Context, args: &[Value]) -> Result<Value, Error> {
        if self.meets_objects {
            return self.call_with_objects(ctx, args);
        }
        (self.glue)(ctx, args).into_result()
    }

    /// [`Native::call`] of a native that takes objects as arguments (see [`with_objects`]).
    #[inline(never)]
    fn call_with_objects(&self, ctx: &Context, args: &[Value]) -> Result<Value, Error> {
        with_objects(self.spec, ctx.id(), args, || (self.glue)(ctx, args)).into_result()
    }

    /// The native with the module states it takes found in `ctx` once (and `ctx` kept, if
    /// the native takes it), for a host that calls it many times on one context (every
    /// host in this crate does). Binding never fails: a state `ctx` lacks is reported by
    /// each call.
    pub fn bind(&'static self, ctx: &Context) -> BoundNative {
        BoundNative {
            native: self,
            glue: ObjectsGlue::wrap(self.spec, self.meets_objects, ctx, (self.bind)(ctx)),
        }
    }
}

/// A [`Native`] bound to one context by [`Native::bind`]: a call costs what a call of the
/// plain glue costs, with nothing looked up.
pub struct BoundNative {
    native: &'static Native,
    glue: BoundGlue,
}

impl std::fmt::Debug for BoundNative {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoundNative")
            .field("native", &self.native.name())
            .finish()
    }
}

impl BoundNative {
    /// The native it calls.
    pub fn native(&self) -> &'static Native {
        self.native
    }

    /// Calls the native on the context it was bound to; panics are contained as by
    /// [`Native::call`].
    #[inline(always)]
    pub fn call(&self, args: &[Value]) -> Result<Value, Error> {
        self.glue.call_values(args).into_result()
    }

    /// [`call`](BoundNative::call) with arguments an engine lends for the length of the
    /// call, as the Lua and Rhai bridges pass them: a string argument reaches a `&[u8]` or
    /// `&str` parameter without a copy.
    #[inline(always)]
    pub fn call_lent(&self, args: &[ArgRef<'_>]) -> Result<Value, Error> {
        self.glue.call_lent(args).into_result()
    }

    /// [`call_lent`](BoundNative::call_lent) for a bridge that converts a record result
    /// straight into the engine's own table or map: a native whose result is a record
    /// (without objects in it) hands `take` the record's type and its fields' values, once,
    /// and returns `Ok(None)`, with no [`ScriptRecord`](crate::ScriptRecord) made; one
    /// whose result is a list of records does so for each record, in order (not at all
    /// for an empty list), with no list made either. Any other result (an optional record
    /// left out, an error, any other native's result) comes back as `call_lent` gives it.
    /// The bridge knows which by the native's result type.
    #[inline(always)]
    pub fn call_lent_fields(
        &self,
        args: &[ArgRef<'_>],
        take: &mut TakeFields<'_>,
    ) -> Result<Option<Value>, Error> {
        self.glue.call_lent_fields(args, take).into_fields_result()
    }
}

/// Runs the body of a glue, turning a panic inside it into an error naming `spec`'s
/// function. Generated glue wraps its body in it, so a panic never leaves the glue (and
/// the glue's result still comes back in registers).
#[doc(hidden)]
#[inline(always)]
pub fn contained(spec: &'static FnSpec, body: impl FnOnce() -> GlueResult) -> GlueResult {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(payload) => GlueResult::err(Error::panicked(spec, payload.as_ref())),
    }
}

inventory::collect!(Native);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glue_result_gives_back_every_value_and_error_unchanged() {
        let outcomes = [
            Ok(Value::Void),
            Ok(Value::Int(-7)),
            Ok(Value::Int(i64::MAX)),
            Ok(Value::Bool(true)),
            Ok(Value::Bool(false)),
            Ok(Value::str("pooled")),
            Ok(Value::Float(-2.5)),
            Ok(Value::list([Value::Int(1), Value::str(b"\xff".as_slice())]).unwrap()),
            Err(Error::msg("disk on fire")),
        ];
        for outcome in outcomes {
            assert_eq!(GlueResult::from(outcome.clone()).into_result(), outcome);
        }
        assert_eq!(
            GlueResult::err(Error::msg("no")).into_result(),
            Err(Error::msg("no"))
        );
    }

    #[test]
    fn a_returned_string_keeps_its_allocation_through_the_glue_result() {
        let text = ScriptString::from("shared");
        let Ok(Value::Str(back)) = GlueResult::from(Ok(Value::Str(text.clone()))).into_result()
        else {
            panic!("expected the string back");
        };
        assert!(ScriptString::ptr_eq(&text, &back));
    }

    #[test]
    fn a_glue_result_is_two_words() {
        assert_eq!(
            std::mem::size_of::<GlueResult>(),
            2 * std::mem::size_of::<usize>()
        );
    }
}
