//! The bridge: each module a Rhai static module, each native registered by its types
//! and once more for any argument count.

use std::any::TypeId;
use std::collections::BTreeSet;

use ::rhai::{
    Dynamic, DynamicReadLock, Engine, EvalAltResult, FuncRegistration, ImmutableString,
    Module as RhaiModule, Token,
};

use goost_bind::bridge::{
    Container, Conversion, Refusal, Unconverted, argument_type, container, records_of,
};
use goost_bind::{
    ArgRef, BoundNative, Context, Mismatch, Module, Native, RecordFields, RecordType, Registry,
    ScriptList, ScriptMap, ScriptObject, ScriptRecord, ScriptType, UnknownModule, Value,
};

use crate::names::{reads_reserved_words_as_names, reserved_words_as_names};
use crate::object::{self, MethodCall, Slot};

type Outcome = Result<Dynamic, Box<EvalAltResult>>;

/// How an install's natives hand their errors to Rhai, chosen once, at registration, so
/// that a call pays nothing for the choice.
trait ErrorStyle: 'static {
    /// The value of the runtime error a native's `error` becomes.
    fn value(error: goost_bind::Error) -> Dynamic;
}

/// The error's text: the default.
enum AsText {}

impl ErrorStyle for AsText {
    fn value(error: goost_bind::Error) -> Dynamic {
        Dynamic::from(error.to_string())
    }
}

/// The native's [`goost_bind::Error`] itself ([`Installer::error_values`]).
enum AsError {}

impl ErrorStyle for AsError {
    fn value(error: goost_bind::Error) -> Dynamic {
        Dynamic::from(error)
    }
}

/// A native's `error` as a Rhai runtime error in style `S`, not yet placed (the call's
/// function places it: see [`pure`]).
#[cold]
#[inline(never)]
fn runtime_error<S: ErrorStyle>(error: goost_bind::Error) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(
        S::value(error),
        ::rhai::Position::NONE,
    ))
}

/// How an install's natives report their errors to Rhai.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ErrorValues {
    /// A runtime error whose value is the error's text (the default).
    Text,
    /// A runtime error whose value is the native's [`goost_bind::Error`] itself.
    Error,
}

/// What every registration of one install shares.
#[derive(Clone, Copy)]
struct Calls {
    /// The context's conversion limit, for array arguments.
    conversion_limit: usize,
    errors: ErrorValues,
}

/// Registers every registered module in `engine` as a static module, its natives
/// running on `ctx`, and lets scripts write `memory::buffer::new()` (see the module docs).
/// An engine with a token mapper of the host's is refused, and left as it was (see
/// [`Installer::install`]).
pub fn install(engine: &mut Engine, ctx: Context) -> Result<(), InstallError> {
    Installer::new(ctx).install(engine)
}

/// [`install`] for the modules called `names` only; a name no native registers is an
/// error, and then nothing is installed.
pub fn install_modules(
    engine: &mut Engine,
    ctx: Context,
    names: &[&str],
) -> Result<(), InstallError> {
    Installer::new(ctx).modules(names).install(engine)
}

/// What installing modules in a Rhai engine refuses; the engine is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// A module name no native registers.
    #[error(transparent)]
    UnknownModule(#[from] UnknownModule),
    /// The engine has a token mapper already (`Engine::on_parse_token`) that does not read
    /// Rhai's reserved words (`new`, `match`, ...) as names, and Rhai gives no way to
    /// read a mapper back to chain to it.
    #[error(
        "the Rhai engine already has a token mapper (Engine::on_parse_token), which Rhai \
         gives no way to read back; pass it to Installer::chain_token_mapper instead of \
         setting it on the engine, so that it runs before the bridge's own mapping"
    )]
    TokenMapperSet,
    /// A class of the modules is past the most classes a program can bind for Rhai
    /// (Rhai tells classes apart by Rust type, and the bridge has a fixed number of them).
    #[error(
        "the class {class} cannot be installed in Rhai: the program binds {classes} \
         classes, and the Rhai bridge tells at most {most} apart",
        most = object::SLOTS
    )]
    TooManyClasses {
        /// The class.
        class: &'static str,
        /// How many classes the program's natives name.
        classes: usize,
    },
}

/// A host's token mapper, as [`Installer::chain_token_mapper`] takes it (Rhai's
/// `on_parse_token` callback).
type TokenMapper = dyn Fn(Token, ::rhai::Position, &::rhai::TokenizeState) -> Token + Send + Sync;

/// How modules go into a Rhai engine: all of them or some, with the host's own token
/// mapper chained or none. [`install`] and [`install_modules`] are its common cases.
pub struct Installer<'n> {
    ctx: Context,
    names: Option<&'n [&'n str]>,
    host_mapper: Option<Box<TokenMapper>>,
    errors: ErrorValues,
}

impl<'n> Installer<'n> {
    /// Installs every registered module, natives running on `ctx`.
    pub fn new(ctx: Context) -> Self {
        Installer {
            ctx,
            names: None,
            host_mapper: None,
            errors: ErrorValues::Text,
        }
    }

    /// Makes a native's error reach the host whole: the runtime error's value is the
    /// native's [`goost_bind::Error`] (`value.clone().try_cast::<goost_bind::Error>()`,
    /// then [`goost_bind::Error::downcast_ref`] for the module's own error type), where by
    /// default it is the error's text.
    ///
    /// The cost of the choice: Rhai displays a runtime error whose value is not a string
    /// by the value's type name, so the host's `to_string()` of such an error reads
    /// `Runtime error: goost_bind::error::Error (line 1, position 9)`; the text is
    /// [`goost_bind::Error`]'s own `Display`. Scripts see no difference: the install
    /// registers the type as `Error` with `to_string` and `to_debug`, so `print(e)` and
    /// `"" + e` in a `catch` show the text.
    pub fn error_values(mut self) -> Self {
        self.errors = ErrorValues::Error;
        self
    }

    /// Installs the modules called `names` only.
    pub fn modules(mut self, names: &'n [&'n str]) -> Self {
        self.names = Some(names);
        self
    }

    /// Runs `mapper` on every token before the bridge's own mapping (Rhai's reserved
    /// words, `new` among them, read as names), as the engine's one token mapper
    /// (replacing any the engine has).
    pub fn chain_token_mapper(
        mut self,
        mapper: impl Fn(Token, ::rhai::Position, &::rhai::TokenizeState) -> Token
        + Send
        + Sync
        + 'static,
    ) -> Self {
        self.host_mapper = Some(Box::new(mapper));
        self
    }

    /// Registers the modules in `engine` and sees that it reads Rhai's reserved words as
    /// names (a module may name a function `new` or `match`); on an error, changes
    /// nothing.
    ///
    /// The token mapper: a host's mapper handed over is chained (and replaces the
    /// engine's); otherwise an engine that reads the reserved words as names already
    /// (installed into before) keeps its mapper, an engine without one gets the bridge's,
    /// and an engine with a mapper of the host's that does not is refused.
    pub fn install(self, engine: &mut Engine) -> Result<(), InstallError> {
        let set_mapper = match &self.host_mapper {
            Some(_) => true,
            None if reads_reserved_words_as_names(engine) => false,
            None if has_token_mapper(engine) => return Err(InstallError::TokenMapperSet),
            None => true,
        };
        let modules = match self.names {
            Some(names) => Registry::global().chosen_modules(names)?,
            None => Registry::global().modules().collect(),
        };
        let classes = slotted_classes(&modules)?;
        let calls = Calls {
            conversion_limit: self.ctx.conversion_limit(),
            errors: self.errors,
        };
        for module in &modules {
            let rhai = rhai_module(module, &self.ctx, calls);
            engine.register_static_module(module.path.as_str(), rhai.into());
        }
        // Objects: each class a custom type of its own name, compared by identity, with
        // its methods.
        for (class, _, slot) in &classes {
            slot.register_type(engine, class);
        }
        engine.register_global_module(class_methods(&classes, &self.ctx, calls).into());
        // An object of a class no native names (so without a slot): shown as its class.
        engine
            .register_type_with_name::<ScriptObject>("object")
            .register_fn("to_string", |object: &mut ScriptObject| {
                object.class().name.to_string()
            })
            .register_fn("to_debug", |object: &mut ScriptObject| {
                object.class().name.to_string()
            })
            .register_fn("==", |a: &mut ScriptObject, b: ScriptObject| *a == b)
            .register_fn("!=", |a: &mut ScriptObject, b: ScriptObject| *a != b);
        if self.errors == ErrorValues::Error {
            // Scripts show the error as its text, as they do by default.
            engine
                .register_type_with_name::<goost_bind::Error>("Error")
                .register_fn("to_string", |error: &mut goost_bind::Error| {
                    error.to_string()
                })
                .register_fn("to_debug", |error: &mut goost_bind::Error| {
                    error.to_string()
                });
        }
        if set_mapper {
            #[allow(deprecated)] // Rhai marks this API volatile, not deprecated.
            match self.host_mapper {
                Some(host) => engine.on_parse_token(move |token, position, state| {
                    reserved_words_as_names(host(token, position, state))
                }),
                None => engine.on_parse_token(|token, _, _| reserved_words_as_names(token)),
            };
        }
        Ok(())
    }
}

/// Whether `engine` has a token mapper. Rhai has no accessor for it; its `Debug` output
/// states it (`token_mapper: true`), and a test pins that, so a Rhai release that changes
/// it fails the test rather than this check.
fn has_token_mapper(engine: &Engine) -> bool {
    format!("{engine:?}").contains("token_mapper: true")
}

/// A Rhai module for `module`: a sub-module per sub-module, a function per native.
fn rhai_module(module: &Module, ctx: &Context, calls: Calls) -> RhaiModule {
    let mut out = RhaiModule::new();
    for (name, sub) in &module.submodules {
        out.set_sub_module(*name, rhai_module(sub, ctx, calls));
    }
    for (name, native) in &module.functions {
        register(&mut out, name, native.bind(ctx), calls, None);
    }
    out
}

/// A class of an install: its name, its methods, its slot.
type SlottedClass = (&'static str, Vec<&'static Native>, &'static dyn Slot);

/// The classes of `modules` with their slots, or the error of a class that has none.
fn slotted_classes(modules: &[&Module]) -> Result<Vec<SlottedClass>, InstallError> {
    let paths: Vec<&str> = modules.iter().map(|m| m.path.as_str()).collect();
    Registry::global()
        .classes_of(&paths)
        .into_iter()
        .map(|(class, methods)| match object::slot_of(class) {
            Some(slot) => Ok((class, methods, slot)),
            None => Err(InstallError::TooManyClasses {
                class,
                classes: Registry::global().class_count(),
            }),
        })
        .collect()
}

/// The methods of `classes`, as Rhai method calls (`p.push(3.0, 4.0)`), each registered
/// with its class's slot type first: with the method's parameter types for the counts it
/// takes, and untyped for every count up to [`MOST_PARAMS`] + 1, so a wrong count or type
/// gets the glue's error. A class also answers every method name another class of the
/// install has, with the error naming its nearest methods.
fn class_methods(classes: &[SlottedClass], ctx: &Context, calls: Calls) -> RhaiModule {
    let names: BTreeSet<&'static str> = classes
        .iter()
        .flat_map(|(_, methods, _)| methods.iter().map(|m| m.spec().short_name()))
        .collect();
    let mut out = RhaiModule::new();
    for (class, methods, slot) in classes {
        for name in &names {
            match methods.iter().find(|m| m.spec().short_name() == *name) {
                Some(method) => register(&mut out, name, method.bind(ctx), calls, Some(*slot)),
                None => {
                    let (class, name, errors) = (*class, *name, calls.errors);
                    let refuse: MethodCall =
                        std::sync::Arc::new(move |_, _| Err(no_such_method(name, class, errors)));
                    for count in 1..=MOST_PARAMS + 1 {
                        let mut arg_types = vec![TypeId::of::<Dynamic>(); count];
                        arg_types[0] = slot.type_id();
                        let registration = described_untyped(
                            FuncRegistration::new(name),
                            Some(class),
                            count,
                            OTHER_CLASS_COMMENT,
                        );
                        registration.set_into_module_raw(
                            &mut out,
                            &arg_types,
                            slot.method(std::sync::Arc::clone(&refuse)),
                        );
                    }
                }
            }
        }
    }
    out
}

/// The error of a method `name` called on an object of `class`, which has none.
#[cold]
fn no_such_method(name: &str, class: &str, errors: ErrorValues) -> Box<EvalAltResult> {
    let error = goost_bind::Error::msg(Registry::global().no_such_method(class, name));
    match errors {
        ErrorValues::Text => runtime_error::<AsText>(error),
        ErrorValues::Error => runtime_error::<AsError>(error),
    }
}

/// The doc comment of the registrations that only answer a wrong argument count or type
/// with the native's error, as `Engine::definitions()` lists them.
const WRONG_COUNT_COMMENT: &str =
    "/// (any other argument count or types: refused with the function's signature)";

/// The doc comment of the registrations by which a class answers another class's method
/// name with the error naming its own methods, as `Engine::definitions()` lists them.
const OTHER_CLASS_COMMENT: &str =
    "/// (a method of another class: refused, naming this class's methods)";

/// The argument counts up to which every native is registered, so that a call with a count
/// it does not take still reaches its glue (Rhai resolves a function by its name and
/// argument count). A native with more parameters is registered up to its own count.
const MOST_PARAMS: usize = 20;

/// Registers one bound native in `out`, under every argument count up to [`MOST_PARAMS`]
/// (or its own parameter count, if more):
///
/// - each count the native takes, with the spec's parameter names, Rhai types and
///   description (Rhai's metadata): `Engine::definitions()` describes it as
///   `fn write(id: int, data: string) -> bool;`, and a call with those types resolves
///   by Rhai's exact hash, as a hand-written typed binding does;
/// - each count again with every parameter `Dynamic` (listed untyped, under
///   [`WRONG_COUNT_COMMENT`]), which takes every other call: an int where a float goes, a
///   `Blob` where a string goes, or a wrong type or count, which the glue refuses.
fn register(
    out: &mut RhaiModule,
    name: &str,
    bound: BoundNative,
    calls: Calls,
    receiver: Option<&'static dyn Slot>,
) {
    let spec = bound.native().spec();
    let bound = std::sync::Arc::new(bound);
    // A method's argument 0 is its object: the slot's type, typed or not.
    let first = usize::from(receiver.is_some());
    let takes = spec.required_params() + first..=spec.params.len() + first;
    for count in first..=(MOST_PARAMS + first).max(spec.params.len() + first) {
        let mut untyped = vec![TypeId::of::<Dynamic>(); count];
        if let (Some(slot), Some(object)) = (receiver, untyped.first_mut()) {
            *object = slot.type_id();
        }
        if takes.contains(&count) {
            let typed: Vec<TypeId> = untyped[..first]
                .iter()
                .copied()
                .chain(
                    spec.params[..count - first]
                        .iter()
                        .map(|p| rhai_type_id(p.ty.when_passed())),
                )
                .collect();
            let registration = described(
                FuncRegistration::new(name).in_internal_namespace(),
                spec,
                count - first,
            );
            register_count(out, registration, &typed, &bound, calls, receiver);
            if typed == untyped {
                continue;
            }
        }
        let registration = described_untyped(
            FuncRegistration::new(name).in_internal_namespace(),
            spec.receiver.map(|class| class.name),
            count,
            WRONG_COUNT_COMMENT,
        );
        register_count(out, registration, &untyped, &bound, calls, receiver);
    }
}

/// `registration` of `spec`'s first `count` parameters with their names, Rhai types and
/// the spec's description, as `Engine::definitions()` prints them (Rhai's `metadata`,
/// through this crate's feature `metadata`): a method's object comes first, as `this`.
#[cfg(feature = "metadata")]
fn described(
    registration: FuncRegistration,
    spec: &goost_bind::FnSpec,
    count: usize,
) -> FuncRegistration {
    let params = spec
        .receiver
        .map(|class| this_param(class.name))
        .into_iter()
        .chain(spec.params[..count].iter().map(|p| {
            let ty = goost_spec::Engine::rhai_rust_type(p.ty.when_passed());
            format!("{}: {ty}", p.name)
        }))
        .chain([goost_spec::Engine::rhai_rust_type(spec.ret).to_string()]);
    registration
        .with_params_info(params)
        .with_comments([format!("/// {}", spec.description)])
}

/// Without Rhai's `metadata`, a registration carries no names, types or description.
#[cfg(not(feature = "metadata"))]
fn described(registration: FuncRegistration, _: &goost_bind::FnSpec, _: usize) -> FuncRegistration {
    registration
}

/// The untyped registration of `count` arguments (a method's object first, as `this` of
/// its class `receiver`), listed under `comment`.
#[cfg(feature = "metadata")]
fn described_untyped(
    registration: FuncRegistration,
    receiver: Option<&str>,
    count: usize,
    comment: &str,
) -> FuncRegistration {
    let this = receiver.map(this_param);
    let params = this
        .iter()
        .cloned()
        .chain(std::iter::repeat_n(
            "_: Dynamic".to_string(),
            count.saturating_sub(this.iter().count()),
        ))
        .chain(["Dynamic".to_string()]);
    registration
        .with_params_info(params)
        .with_comments([comment])
}

/// A method's object as its registration names it: `this: geo.Path`.
#[cfg(feature = "metadata")]
fn this_param(class: &str) -> String {
    format!("this: {class}")
}

/// Without Rhai's `metadata`, a registration carries no names, types or description.
#[cfg(not(feature = "metadata"))]
fn described_untyped(
    registration: FuncRegistration,
    _: Option<&str>,
    _: usize,
    _: &str,
) -> FuncRegistration {
    registration
}

/// The type Rhai resolves a parameter of script type `ty` by: `Dynamic` for an optional
/// one, which may be `()`. The same types as `goost_spec::Engine::rhai_rust_type` spells
/// for the definitions; the test that compares Rhai's printed definitions with
/// `defs/memory.d.rhai` (below) holds the two together.
fn rhai_type_id(ty: ScriptType) -> TypeId {
    match ty {
        ScriptType::Int => TypeId::of::<::rhai::INT>(),
        ScriptType::Float => TypeId::of::<::rhai::FLOAT>(),
        ScriptType::Bool => TypeId::of::<bool>(),
        ScriptType::String => TypeId::of::<ImmutableString>(),
        ScriptType::List(_) => TypeId::of::<::rhai::Array>(),
        ScriptType::Map(_) | ScriptType::Record(_) => TypeId::of::<::rhai::Map>(),
        ScriptType::Enum(_) => TypeId::of::<ImmutableString>(),
        ScriptType::Class(class) => {
            object::slot_of(class.name).map_or_else(TypeId::of::<Dynamic>, |slot| slot.type_id())
        }
        ScriptType::Void | ScriptType::Optional(_) => TypeId::of::<Dynamic>(),
    }
}

/// Registers `bound` with `registration` for calls with arguments of `arg_types`, as a
/// method of the class in `receiver`'s slot or as a function. Each count up to
/// [`MOST_PARAMS`] gets an entry that holds its arguments in an array of that length, so
/// a call allocates nothing to hold them.
fn register_count(
    out: &mut RhaiModule,
    registration: FuncRegistration,
    arg_types: &[TypeId],
    bound: &std::sync::Arc<BoundNative>,
    calls: Calls,
    receiver: Option<&'static dyn Slot>,
) {
    let bound = std::sync::Arc::clone(bound);
    let (count, limit) = (arg_types.len(), calls.conversion_limit);
    let function = match (receiver, calls.errors) {
        (None, ErrorValues::Text) => function_for::<AsText, _>(count, bound, limit, AsFunction),
        (None, ErrorValues::Error) => function_for::<AsError, _>(count, bound, limit, AsFunction),
        (Some(slot), ErrorValues::Text) => {
            slot.method(function_for::<AsText, _>(count, bound, limit, AsMethod))
        }
        (Some(slot), ErrorValues::Error) => {
            slot.method(function_for::<AsError, _>(count, bound, limit, AsMethod))
        }
    };
    registration.set_into_module_raw(out, arg_types, function);
}

/// What a bridge call becomes as Rhai registers it: a function, or the part of a method
/// that runs once its slot's type has read the object ([`Slot::method`]).
trait Wrap {
    /// The registered form.
    type Out;
    /// `call`, given the object a method is called on (or `None`) and the arguments, in
    /// the registered form.
    fn wrap<F>(self, call: F) -> Self::Out
    where
        F: Fn(Option<&ScriptObject>, &[&mut Dynamic]) -> Outcome + Send + Sync + 'static;
}

/// A free function: no object.
struct AsFunction;

impl Wrap for AsFunction {
    type Out = ::rhai::RhaiFunc;
    #[inline(always)]
    fn wrap<F>(self, call: F) -> ::rhai::RhaiFunc
    where
        F: Fn(Option<&ScriptObject>, &[&mut Dynamic]) -> Outcome + Send + Sync + 'static,
    {
        pure(move |args| call(None, args))
    }
}

/// A method: its slot reads the object.
struct AsMethod;

impl Wrap for AsMethod {
    type Out = MethodCall;
    fn wrap<F>(self, call: F) -> MethodCall
    where
        F: Fn(Option<&ScriptObject>, &[&mut Dynamic]) -> Outcome + Send + Sync + 'static,
    {
        std::sync::Arc::new(call)
    }
}

/// The Rhai function of `bound` for calls of `count` arguments, its errors in style `S`,
/// in `wrap`'s form.
fn function_for<S: ErrorStyle, W: Wrap>(
    count: usize,
    bound: std::sync::Arc<BoundNative>,
    conversion_limit: usize,
    wrap: W,
) -> W::Out {
    macro_rules! counts {
        ($($n:literal),* $(,)?) => {
            match count {
                $($n => {
                    let registered = Registered::<$n> {
                        expected: std::array::from_fn(|index| {
                            argument_type(bound.native().spec(), index)
                        }),
                        conversion_limit,
                        returns: Returns::of(bound.native()),
                        bound,
                    };
                    wrap.wrap(move |receiver, args| bridge::<$n, S>(&registered, receiver, args))
                })*
                _ => {
                    let registered = Registered::<0> {
                        expected: [],
                        conversion_limit,
                        returns: Returns::of(bound.native()),
                        bound,
                    };
                    wrap.wrap(move |receiver, args| {
                        bridge_collected::<S>(&registered, receiver, args)
                    })
                }
            }
        };
    }
    counts!(
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20
    )
}

/// A Rhai function calling `call`, which only reads its arguments. Its error is placed at
/// the call, as Rhai's own errors are (Rhai does not place the errors of a module's native
/// functions itself); that is what the call context is asked for.
fn pure(call: impl Fn(&[&mut Dynamic]) -> Outcome + Send + Sync + 'static) -> ::rhai::RhaiFunc {
    reading(
        move |context: Option<::rhai::NativeCallContext>, args: &mut [&mut Dynamic]| {
            call(args).map_err(|error| at_call(error, context))
        },
        true,
    )
}

/// `func` as Rhai registers a function that only reads its arguments: a "method" in
/// Rhai's terms (its first argument lent, not copied) that is pure (callable on a
/// constant). Rhai copies the first argument of any other function when a script passes a
/// variable there (a whole object map, for a record), to keep the variable from being
/// changed; a bridge call never changes an argument, so it is spared the copy.
///
/// With `has_context`, Rhai makes the call's context for `func` (its position): a
/// module's function places its own errors with it, since Rhai places only the errors of
/// the functions it calls unqualified (a method's).
pub(crate) fn reading(
    func: impl Fn(Option<::rhai::NativeCallContext>, &mut [&mut Dynamic]) -> Outcome
    + Send
    + Sync
    + 'static,
    has_context: bool,
) -> ::rhai::RhaiFunc {
    ::rhai::RhaiFunc::Method {
        func: ::rhai::Shared::new(func),
        has_context,
        is_pure: true,
        is_volatile: false,
    }
}

/// `error` placed at the call `context` describes.
#[cold]
#[inline(never)]
fn at_call(
    mut error: Box<EvalAltResult>,
    context: Option<::rhai::NativeCallContext>,
) -> Box<EvalAltResult> {
    if let Some(context) = context {
        error.set_position(context.call_position());
    }
    error
}

/// What a registration of a native for `N` arguments finds out once, before any call.
struct Registered<const N: usize> {
    bound: std::sync::Arc<BoundNative>,
    /// Each argument's script type (`None` past the last parameter).
    expected: [Option<ScriptType>; N],
    /// The context's conversion limit, for array arguments.
    conversion_limit: usize,
    /// How the native's result becomes Rhai's.
    returns: Returns,
}

/// How a native's result becomes a Rhai value, found once at registration.
#[derive(Clone, Copy)]
enum Returns {
    /// An object of this class (or `()`): it takes the class's slot without a lookup.
    Object(ResultClass),
    /// A record (or `()`): its fields go straight into an object map, with no record made
    /// ([`BoundNative::call_lent_fields`]).
    Record,
    /// A list of records (or `()`): each record's fields go straight into an object map of
    /// an array, with no record or list made.
    Records,
    /// Any other value, by [`to_rhai`].
    Value,
}

impl Returns {
    /// How `native`'s result (itself, or as an optional) becomes Rhai's.
    fn of(native: &Native) -> Returns {
        match native.spec().ret.when_passed() {
            ScriptType::Class(class) => {
                object::slot_of(class.name).map_or(Returns::Value, |slot| {
                    Returns::Object(ResultClass {
                        name: class.name,
                        slot,
                    })
                })
            }
            ScriptType::Record(_) => Returns::Record,
            ScriptType::List(ScriptType::Record(_)) => Returns::Records,
            _ => Returns::Value,
        }
    }
}

/// The class a native returns, with its slot.
#[derive(Clone, Copy)]
struct ResultClass {
    name: &'static str,
    slot: &'static dyn Slot,
}

/// One call with `N` arguments: each borrowed where Rhai holds it (a string or blob is
/// not copied), lent to the glue, the native called, its result converted back. A call
/// whose arguments are each of its parameter's own int, float, bool, string or class type
/// makes nothing and converts nothing; any other goes to [`bridge_converting`].
fn bridge<const N: usize, S: ErrorStyle>(
    registered: &Registered<N>,
    receiver: Option<&ScriptObject>,
    args: &[&mut Dynamic],
) -> Outcome {
    // A method called with its object alone (a getter) holds nothing.
    if let (1, Some(object)) = (N, receiver) {
        let lent = [ArgRef::Object(object)];
        return call_within(&registered.bound, &lent, None, registered.returns)
            .map_err(runtime_error::<S>);
    }
    let Some(held) = hold_exact_all(registered, receiver, args) else {
        return bridge_converting::<N, S>(registered, receiver, args);
    };
    let mut lent = [ArgRef::Void; N];
    for (arg, held) in lent.iter_mut().zip(&held) {
        *arg = held.lend(None);
    }
    call_within(&registered.bound, &lent, None, registered.returns).map_err(runtime_error::<S>)
}

/// Each argument held as its parameter's own scalar, string or class type; `None` as
/// soon as one is not (nothing is kept).
#[inline(always)]
fn hold_exact_all<'d, const N: usize>(
    registered: &Registered<N>,
    receiver: Option<&'d ScriptObject>,
    args: &'d [&mut Dynamic],
) -> Option<[Held<'d>; N]> {
    let (mut held, first) = held_receiver::<N>(receiver);
    let rest = args.get(first..).unwrap_or_default().iter();
    let pairs = rest
        .zip(&mut held[first..])
        .zip(&registered.expected[first..]);
    for ((arg, slot), expected) in pairs {
        *slot = hold_exact(*expected, arg)?;
    }
    Some(held)
}

/// A call's `N` held arguments with a method's object (read already by its slot) in the
/// first place, and where the arguments still to hold start (1 after an object, else 0).
#[inline(always)]
fn held_receiver<const N: usize>(receiver: Option<&ScriptObject>) -> ([Held<'_>; N], usize) {
    let mut held: [Held<'_>; N] = [const { Held::Scalar(ArgRef::Void) }; N];
    match (receiver, held.first_mut()) {
        (Some(object), Some(slot)) => {
            *slot = Held::Object(object);
            (held, 1)
        }
        _ => (held, 0),
    }
}

/// [`bridge`] for a call with an argument of another type than its parameter's, or an
/// array or object map: each converted as far as its parameter's type asks, within the
/// conversion limit for the call (see [`Conversion`]), or refused with the glue's error.
#[inline(never)]
fn bridge_converting<const N: usize, S: ErrorStyle>(
    registered: &Registered<N>,
    receiver: Option<&ScriptObject>,
    args: &[&mut Dynamic],
) -> Outcome {
    let Registered {
        bound,
        expected,
        conversion_limit,
        returns,
    } = registered;
    let native = bound.native();
    let mut conversion = Conversion::new(*conversion_limit);
    let (mut held, first) = held_receiver::<N>(receiver);
    let rest = args.get(first..).unwrap_or_default().iter();
    let pairs = rest.zip(&mut held[first..]).zip(&expected[first..]);
    for (index, ((arg, slot), expected)) in (first..).zip(pairs) {
        *slot = hold(native, *expected, index, arg, &mut conversion).map_err(runtime_error::<S>)?;
    }
    let mut lent = [ArgRef::Void; N];
    for (arg, held) in lent.iter_mut().zip(&held) {
        *arg = held.lend(Some(&conversion));
    }
    call_within(bound, &lent, Some(&conversion), *returns).map_err(runtime_error::<S>)
}

/// Calls `bound` with `lent` and makes its result Rhai's, as `returns` says.
#[inline(always)]
fn call_within(
    bound: &BoundNative,
    lent: &[ArgRef<'_>],
    conversion: Option<&Conversion>,
    returns: Returns,
) -> Result<Dynamic, goost_bind::Error> {
    match returns {
        Returns::Value => within(conversion, || bound.call_lent(lent)).map(to_rhai),
        Returns::Object(class) => {
            within(conversion, || bound.call_lent(lent)).map(|value| match value {
                Value::Object(object) if object.class().name == class.name => {
                    class.slot.to_dynamic(object)
                }
                value => to_rhai(value),
            })
        }
        Returns::Record => within(conversion, || {
            let mut map = Dynamic::UNIT;
            let mut take = |ty: &'static RecordType, values: &mut [Value]| {
                map = fields_to_rhai(present_fields(ty, values));
            };
            Ok(match bound.call_lent_fields(lent, &mut take)? {
                Some(value) => to_rhai(value),
                None => map,
            })
        }),
        Returns::Records => within(conversion, || {
            let mut maps = ::rhai::Array::new();
            let mut take = |ty: &'static RecordType, values: &mut [Value]| {
                maps.push(fields_to_rhai(present_fields(ty, values)));
            };
            Ok(match bound.call_lent_fields(lent, &mut take)? {
                Some(value) => to_rhai(value),
                None => Dynamic::from_array(maps),
            })
        }),
    }
}

/// Runs `call`; when an array was converted for the call, the native may copy out of
/// lists only what the conversion left of the limit.
#[inline(always)]
fn within<T>(conversion: Option<&Conversion>, call: impl FnOnce() -> T) -> T {
    match conversion {
        Some(conversion) if conversion.converted_any() => {
            goost_bind::with_copy_allowance(conversion.remaining(), call)
        }
        _ => call(),
    }
}

/// The fields a record holds (`name`, value), left out ones skipped, as an object map.
fn fields_to_rhai(fields: impl Iterator<Item = (&'static str, Value)>) -> Dynamic {
    let mut map = ::rhai::Map::new();
    // Inserted one by one: collecting into a `BTreeMap` sorts a `Vec` of them first.
    for (name, item) in fields {
        map.insert(name.into(), to_rhai(item));
    }
    Dynamic::from_map(map)
}

/// A record's fields from `values` (one per field of `ty`, in its order), each moved out,
/// left out ones skipped.
fn present_fields<'v>(
    ty: &'static RecordType,
    values: &'v mut [Value],
) -> impl Iterator<Item = (&'static str, Value)> + 'v {
    ty.fields
        .iter()
        .zip(values)
        .filter(|(_, value)| !matches!(value, Value::Void))
        .map(|(field, value)| (field.name, std::mem::replace(value, Value::Void)))
}

/// [`bridge`] for a call of more than [`MOST_PARAMS`] arguments, held in a `Vec`.
fn bridge_collected<S: ErrorStyle>(
    registered: &Registered<0>,
    receiver: Option<&ScriptObject>,
    args: &[&mut Dynamic],
) -> Outcome {
    let bound = &registered.bound;
    let mut conversion = Conversion::new(registered.conversion_limit);
    let held = args
        .iter()
        .enumerate()
        .map(|(index, arg)| match (index, receiver) {
            (0, Some(object)) => Ok(Held::Object(object)),
            _ => {
                let expected = argument_type(bound.native().spec(), index);
                hold(bound.native(), expected, index, arg, &mut conversion)
            }
        })
        .collect::<Result<Vec<Held<'_>>, _>>()
        .map_err(runtime_error::<S>)?;
    let lent: Vec<ArgRef<'_>> = held
        .iter()
        .map(|held| held.lend(Some(&conversion)))
        .collect();
    call_within(bound, &lent, Some(&conversion), registered.returns).map_err(runtime_error::<S>)
}

/// A Rhai argument, held for the length of a call so that the glue can borrow it.
enum Held<'d> {
    /// `()`, an int, a float or a bool.
    Scalar(ArgRef<'static>),
    /// A Rhai string, read where it is and lent as its bytes.
    Text(DynamicReadLock<'d, ImmutableString>),
    /// A `Blob`, read where it is and lent as its bytes.
    Blob(DynamicReadLock<'d, ::rhai::Blob>),
    /// The object a method is called on, read by its slot's type.
    Object(&'d ScriptObject),
    /// Any other value, converted (an `Array` into a script list).
    Value(Value),
    /// An object map's fields, for a record parameter, kept by the call's conversion
    /// ([`Conversion::keep_fields`]) and lent as they are.
    Fields(usize),
    /// An array's object maps as records' fields, for a parameter that is a list of
    /// records, kept by the call's conversion ([`Conversion::record_list`]).
    Records(usize),
}

impl Held<'_> {
    /// The argument lent to the glue; a record argument's fields from the `conversion`
    /// that kept them (`nil` without one: [`hold_exact`] keeps none).
    #[inline(always)]
    fn lend<'a>(&'a self, conversion: Option<&'a Conversion>) -> ArgRef<'a> {
        match self {
            Held::Scalar(arg) => *arg,
            Held::Text(text) => ArgRef::Bytes(text.as_bytes()),
            Held::Blob(bytes) => ArgRef::Bytes(bytes),
            Held::Object(object) => ArgRef::Object(object),
            Held::Value(value) => value.lend(),
            Held::Fields(kept) | Held::Records(kept) => {
                conversion.map_or(ArgRef::Void, |conversion| conversion.kept_arg(*kept))
            }
        }
    }
}

/// Argument `index` of a call of `native`, held; an error names the argument and what it is.
///
/// The parameter's own type (`expected`; `None` past the last parameter) is tried first,
/// as a hand-written typed binding reads it (a typed registration only ever receives that
/// type); anything else takes [`hold_any`].
#[inline(always)]
fn hold<'d>(
    native: &Native,
    expected: Option<ScriptType>,
    index: usize,
    arg: &'d Dynamic,
    conversion: &mut Conversion,
) -> Result<Held<'d>, goost_bind::Error> {
    match hold_exact(expected, arg) {
        Some(held) => Ok(held),
        None => hold_any(native, expected, index, arg, conversion),
    }
}

/// `arg` held as the parameter's own int, string, float, bool or class type (`expected`),
/// as a hand-written typed binding reads it; `None` for a value of any other type.
#[inline(always)]
fn hold_exact(expected: Option<ScriptType>, arg: &Dynamic) -> Option<Held<'_>> {
    match expected {
        Some(ScriptType::Int) => arg
            .read_lock::<::rhai::INT>()
            .map(|n| Held::Scalar(ArgRef::Int(*n))),
        Some(ScriptType::String) => arg.read_lock::<ImmutableString>().map(Held::Text),
        Some(ScriptType::Float) => arg
            .read_lock::<::rhai::FLOAT>()
            .map(|x| Held::Scalar(ArgRef::Float(*x))),
        Some(ScriptType::Bool) => arg
            .read_lock::<bool>()
            .map(|b| Held::Scalar(ArgRef::Bool(*b))),
        Some(ScriptType::Class(_)) => object::object_of(arg).map(|o| Held::Value(Value::Object(o))),
        _ => None,
    }
}

/// [`hold`] for a value of any type: a string or blob borrowed, a scalar read, an array
/// converted as far as `expected` asks (an array past the last parameter is not looked
/// at: the glue refuses the count).
#[inline(never)]
fn hold_any<'d>(
    native: &Native,
    expected: Option<ScriptType>,
    index: usize,
    arg: &'d Dynamic,
    conversion: &mut Conversion,
) -> Result<Held<'d>, goost_bind::Error> {
    if let Some(text) = arg.read_lock::<ImmutableString>() {
        return Ok(Held::Text(text));
    }
    if let Some(bytes) = arg.read_lock::<::rhai::Blob>() {
        return Ok(Held::Blob(bytes));
    }
    // A record argument's fields are lent from here, not made into a record.
    if let (Some(Container::Record(record)), Some(map)) =
        (expected.and_then(container), arg.read_lock::<::rhai::Map>())
    {
        return conversion
            .record_fields(record, 0, "map", fill_record(&map, 0))
            .map(|fields| Held::Fields(conversion.keep_fields(fields)))
            .map_err(|refusal| refusal.into_error(native, index + 1, "map", conversion));
    }
    // So are the records of a list of records: no record or list is made.
    if let (Some(record), Some(array)) = (
        expected.and_then(records_of),
        arg.read_lock::<::rhai::Array>(),
    ) {
        let element = |conversion: &mut Conversion, position: usize, fields: &mut RecordFields| {
            let item = &array[position - 1];
            match item.read_lock::<::rhai::Map>() {
                Some(map) => fill_record(&map, 1)(conversion, fields),
                // Not a map: the element's type, as a list element of the wrong type is.
                None => {
                    let value = element_from_rhai(item, ScriptType::Record(record), 0, conversion)?;
                    Err(Refusal::Type(Mismatch::of(value.lend())))
                }
            }
        };
        return conversion
            .record_list(record, 0, "array", array.len(), element)
            .map(Held::Records)
            .map_err(|refusal| refusal.into_error(native, index + 1, "array", conversion));
    }
    if let Some(object) = object::object_of(arg) {
        return Ok(Held::Value(Value::Object(object)));
    }
    match expected {
        Some(expected) => {
            if let Some((converted, container)) = container_value(arg, expected, 0, conversion) {
                return converted.map(Held::Value).map_err(|refusal| {
                    refusal.into_error(native, index + 1, container, conversion)
                });
            }
        }
        // An array or map past the last parameter is not converted: the glue refuses the
        // count.
        None if arg.read_lock::<::rhai::Array>().is_some()
            || arg.read_lock::<::rhai::Map>().is_some() =>
        {
            return Ok(Held::Scalar(ArgRef::Void));
        }
        None => {}
    }
    scalar(arg)
        .map(Held::Scalar)
        .ok_or_else(|| argument_error(native, index, &no_script_type(arg)))
}

/// A `()`, int, float or bool as an argument; `None` for any other value.
fn scalar(arg: &Dynamic) -> Option<ArgRef<'static>> {
    if arg.is_unit() {
        return Some(ArgRef::Void);
    }
    if let Ok(n) = arg.as_int() {
        return Some(ArgRef::Int(n));
    }
    if let Ok(x) = arg.as_float() {
        return Some(ArgRef::Float(x));
    }
    arg.as_bool().ok().map(ArgRef::Bool)
}

/// What a Rhai value with no script type is.
fn no_script_type(arg: &Dynamic) -> Unconverted {
    Unconverted::new(format!(
        "is a Rhai {}, which has no script type",
        arg.type_name()
    ))
}

/// A Rhai array as a script list of `element` values, charged to `conversion`: a string
/// Rhai shares is copied once per call however often it appears, and a nested array is
/// converted only where `element` is a list.
fn array_to_list(
    items: &[Dynamic],
    element: ScriptType,
    depth: usize,
    conversion: &mut Conversion,
) -> Result<ScriptList, Refusal> {
    let key = items.as_ptr() as usize;
    conversion.list(
        key,
        element,
        depth,
        "array",
        || Ok(items.len()),
        |conversion, position| element_from_rhai(&items[position - 1], element, depth, conversion),
    )
}

/// An element of an array converted at `depth`, as an `element`.
fn element_from_rhai(
    item: &Dynamic,
    element: ScriptType,
    depth: usize,
    conversion: &mut Conversion,
) -> Result<Value, Refusal> {
    // The type the element should be, read first: a record's float field, a list's ints.
    let exact = match element.when_passed() {
        ScriptType::Float => item.as_float().ok().map(Value::Float),
        ScriptType::Int => item.as_int().ok().map(Value::Int),
        ScriptType::Bool => item.as_bool().ok().map(Value::Bool),
        _ => None,
    };
    if let Some(value) = exact {
        return Ok(value);
    }
    if let Some(arg) = scalar(item) {
        return Ok(arg.to_value());
    }
    if let Some(text) = item.read_lock::<ImmutableString>() {
        let bytes = text.as_bytes();
        return conversion
            .string(bytes.as_ptr() as usize, bytes)
            .map(Value::Str);
    }
    if let Some(blob) = item.read_lock::<::rhai::Blob>() {
        return conversion
            .string(blob.as_ptr() as usize, &blob)
            .map(Value::Str);
    }
    if let Some((converted, _)) = container_value(item, element, depth + 1, conversion) {
        return converted;
    }
    if let Some(object) = object::object_of(item) {
        return Ok(Value::Object(object));
    }
    Err(no_script_type(item).into())
}

/// An array or object map `item` (at nesting `depth`) as a value of type `ty`, with the
/// engine's word for it: a list where `ty` is a list, a map where it is a map, a record
/// where it is a record, a type error otherwise; `None` for a value that is neither an
/// array nor a map.
fn container_value(
    item: &Dynamic,
    ty: ScriptType,
    depth: usize,
    conversion: &mut Conversion,
) -> Option<(Result<Value, Refusal>, &'static str)> {
    if let Some(array) = item.read_lock::<::rhai::Array>() {
        let list = match container(ty) {
            Some(Container::List(element)) => {
                array_to_list(&array, element, depth, conversion).map(Value::List)
            }
            _ => Err(Refusal::Type(Mismatch::Type("array"))),
        };
        return Some((list, "array"));
    }
    let map = item.read_lock::<::rhai::Map>()?;
    let converted = match container(ty) {
        Some(Container::Map(value)) => {
            object_map_to_map(&map, value, depth, conversion).map(Value::Map)
        }
        Some(Container::Record(record)) => {
            object_map_to_record(&map, record, depth, conversion).map(Value::Record)
        }
        _ => Err(Refusal::Type(Mismatch::Type("map"))),
    };
    Some((converted, "map"))
}

/// A Rhai object map as a script `map<T>` of `value`s, charged to `conversion` as
/// [`array_to_list`] is.
fn object_map_to_map(
    map: &::rhai::Map,
    value: ScriptType,
    depth: usize,
    conversion: &mut Conversion,
) -> Result<ScriptMap, Refusal> {
    let key = std::ptr::from_ref(map) as usize;
    conversion.map(key, value, depth, "map", |conversion| {
        map.iter()
            .map(|(name, item)| {
                conversion.entry()?;
                let bytes = name.as_bytes();
                let key = conversion.string(bytes.as_ptr() as usize, bytes)?;
                let item = element_from_rhai(item, value, depth, conversion)
                    .map_err(|refusal| refusal.in_entry(bytes, value))?;
                Ok((key, item))
            })
            .collect()
    })
}

/// A Rhai object map as a value of `record`, each field converted by its type: a key
/// that is no field of the record is refused, naming the nearest; a field left out is
/// left for the glue to name (or to read as `()` where it is optional).
fn object_map_to_record(
    map: &::rhai::Map,
    record: &'static RecordType,
    depth: usize,
    conversion: &mut Conversion,
) -> Result<ScriptRecord, Refusal> {
    conversion.record(record, depth, "map", fill_record(map, depth))
}

/// What fills a record from the Rhai object map `map`, each field converted by its type:
/// a key that is no field of the record is refused, naming the nearest; a field left out
/// is left for the glue to name (or to read as `()` where it is optional).
fn fill_record(
    map: &::rhai::Map,
    depth: usize,
) -> impl FnOnce(&mut Conversion, &mut RecordFields) -> Result<(), Refusal> + '_ {
    move |conversion, fields| {
        for (name, item) in map {
            conversion.set_field(fields, name.as_bytes(), "map", |conversion, ty| {
                element_from_rhai(item, ty, depth, conversion)
            })?;
        }
        Ok(())
    }
}

/// The error of argument `index` (from 0) that does not convert.
#[cold]
fn argument_error(native: &Native, index: usize, unconverted: &Unconverted) -> goost_bind::Error {
    goost_bind::Error::msg(unconverted.argument_message(native, index + 1, "array"))
}

/// A script value as Rhai's: a string that is UTF-8 text is a Rhai string, any other
/// bytes a `Blob` (nothing is replaced); a list is an `Array`; `nil` is `()`.
#[inline(always)]
fn to_rhai(value: Value) -> Dynamic {
    match value {
        Value::Void => Dynamic::UNIT,
        Value::Int(n) => Dynamic::from_int(n),
        Value::Float(x) => Dynamic::from_float(x),
        Value::Bool(b) => Dynamic::from_bool(b),
        other => shared_to_rhai(other),
    }
}

/// [`to_rhai`] for a string, a list or a map.
#[inline(never)]
///
/// Rhai's strings copy long text made from Rust once more inside (its `SmartString` copies
/// a `String` into its own allocation), so a long text result is first copied into a
/// `String` and the script string dropped (freed, if nothing else shares it) before Rhai
/// makes its copy: at most two copies of the text are live at once. Short text (Rhai keeps
/// it inline) goes straight in.
fn shared_to_rhai(value: Value) -> Dynamic {
    /// Text longer than this takes the path that drops the script string first.
    const LONG_TEXT: usize = 4096;
    match value {
        Value::Str(s) => match s.to_str() {
            Ok(text) if text.len() <= LONG_TEXT => Dynamic::from(ImmutableString::from(text)),
            Ok(text) => {
                let text = text.to_owned();
                drop(s);
                Dynamic::from(ImmutableString::from(text))
            }
            Err(_) => Dynamic::from_blob(s.as_bytes().to_vec()),
        },
        Value::List(items) => Dynamic::from_array(items.iter().cloned().map(to_rhai).collect()),
        // An object map. Rhai's keys are text; a native's map result has text keys (it is
        // made from `String`s), so the lossy reading never changes one.
        Value::Map(entries) => {
            let mut map = ::rhai::Map::new();
            for (key, item) in entries.iter() {
                map.insert(
                    String::from_utf8_lossy(key.as_bytes()).as_ref().into(),
                    to_rhai(item.clone()),
                );
            }
            Dynamic::from_map(map)
        }
        // An object stays itself: a Rhai custom value sharing it.
        Value::Object(object) => object::to_dynamic(object),
        // An object map of the present fields, inserted one by one (collecting into a
        // `BTreeMap` sorts a `Vec` of them first).
        Value::Record(record) => {
            fields_to_rhai(record.fields().map(|(name, item)| (name, item.clone())))
        }
        // Named one by one, so a new variant is a compile error here, not a recursion.
        scalar @ (Value::Void | Value::Int(_) | Value::Float(_) | Value::Bool(_)) => {
            to_rhai(scalar)
        }
    }
}
