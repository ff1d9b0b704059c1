//! Objects in Rhai: each class a Rust type of its own, so that Rhai itself tells the
//! classes apart.
//!
//! Rhai names a custom value by its Rust type (`type_of(p)`, its error messages) and
//! resolves a method by the Rust types of its arguments. A spec class is not a Rust type
//! the bridge knows, so the bridge keeps [`SLOTS`] types of its own, `SlotObject<0>`,
//! `SlotObject<1>`, ..., each a [`ScriptObject`], and gives each class of the program the
//! slot of its place in the registry ([`goost_bind::Registry::class_index`]). An install
//! registers each of its classes' slot types under the class's name (`geo.Path`) and its
//! methods with that type first, so `p.push(3.0, 4.0)` resolves as directly as a method
//! registered by hand on a custom type, and `type_of(p)` is `"geo.Path"`.
//!
//! Limit: a program may bind at most [`SLOTS`] classes; an install of a module whose class
//! has no slot is refused ([`crate::InstallError::TooManyClasses`]).

use std::any::TypeId;
use std::sync::Arc;

use ::rhai::{Dynamic, Engine, EvalAltResult, NativeCallContext, RhaiFunc};
use goost_bind::{Registry, ScriptObject};

use crate::SlotObject;

/// How many classes a program can bind and use in Rhai.
pub const SLOTS: usize = 64;

/// Slot `SLOT` itself: what [`Slot`] does for its objects.
struct SlotType<const SLOT: usize>;

/// What a method call does once its receiver is read: the object (`None` when argument 0
/// is no object of the slot's class, which a registration by type never passes) and all
/// the arguments, the receiver first. Rhai places a method's errors itself.
pub(crate) type MethodCall = Arc<
    dyn Fn(Option<&ScriptObject>, &[&mut Dynamic]) -> Result<Dynamic, Box<EvalAltResult>>
        + Send
        + Sync,
>;

/// One slot's type, erased: what the bridge does with objects of a class it only knows at
/// run time.
pub(crate) trait Slot: Sync {
    /// The Rust type Rhai knows the slot's objects by.
    fn type_id(&self) -> TypeId;
    /// `object` as a Rhai value of the slot's type.
    fn to_dynamic(&self, object: ScriptObject) -> Dynamic;
    /// The object `value` holds, if it is of the slot's type.
    fn read(&self, value: &Dynamic) -> Option<ScriptObject>;
    /// Registers the slot's type in `engine` as `class`: its name, `to_string`,
    /// `to_debug`, and `==`/`!=` by identity.
    fn register_type(&self, engine: &mut Engine, class: &'static str);
    /// A Rhai function that reads its first argument as the slot's object and hands it to
    /// `call`, borrowed.
    fn method(&self, call: MethodCall) -> RhaiFunc;
}

impl<const SLOT: usize> Slot for SlotType<SLOT> {
    fn type_id(&self) -> TypeId {
        TypeId::of::<SlotObject<SLOT>>()
    }

    fn to_dynamic(&self, object: ScriptObject) -> Dynamic {
        Dynamic::from(SlotObject::<SLOT>(object))
    }

    fn read(&self, value: &Dynamic) -> Option<ScriptObject> {
        value
            .read_lock::<SlotObject<SLOT>>()
            .map(|object| object.0.clone())
    }

    fn register_type(&self, engine: &mut Engine, class: &'static str) {
        engine
            .register_type_with_name::<SlotObject<SLOT>>(class)
            .register_fn("to_string", move |_: &mut SlotObject<SLOT>| {
                class.to_string()
            })
            .register_fn("to_debug", move |_: &mut SlotObject<SLOT>| {
                class.to_string()
            })
            .register_fn("==", |a: &mut SlotObject<SLOT>, b: SlotObject<SLOT>| {
                a.0 == b.0
            })
            .register_fn("!=", |a: &mut SlotObject<SLOT>, b: SlotObject<SLOT>| {
                a.0 != b.0
            });
    }

    fn method(&self, call: MethodCall) -> RhaiFunc {
        crate::bridge::reading(
            move |_: Option<NativeCallContext>, args: &mut [&mut Dynamic]| {
                let args: &[&mut Dynamic] = args;
                let receiver = args
                    .first()
                    .and_then(|first| first.read_lock::<SlotObject<SLOT>>());
                call(receiver.as_deref().map(|object| &object.0), args)
            },
            // Rhai places the errors of what it calls unqualified, as methods are.
            false,
        )
    }
}

/// The slot array of the numbers given.
macro_rules! slots {
    ($($n:literal)*) => { [$(&SlotType::<$n> as &dyn Slot),*] };
}

/// The slots, by number.
static SLOT_TABLE: [&dyn Slot; SLOTS] = slots!(
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
    32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60
    61 62 63
);

/// The slot of the class `class`, if the program binds it within [`SLOTS`] classes.
pub(crate) fn slot_of(class: &str) -> Option<&'static dyn Slot> {
    Registry::global()
        .class_index(class)
        .and_then(|index| SLOT_TABLE.get(index).copied())
}

/// `object` as a Rhai value: of its class's slot type, or, for a class no native of the
/// program names (so it has no slot), of the one type `object`, which has no methods.
pub(crate) fn to_dynamic(object: ScriptObject) -> Dynamic {
    match slot_of(object.class().name) {
        Some(slot) => slot.to_dynamic(object),
        None => Dynamic::from(object),
    }
}

/// The object a Rhai value holds, of any class, shared.
pub(crate) fn object_of(value: &Dynamic) -> Option<ScriptObject> {
    let classes = Registry::global().class_count().min(SLOTS);
    let id = value.type_id();
    match SLOT_TABLE[..classes]
        .iter()
        .find(|slot| slot.type_id() == id)
    {
        Some(slot) => slot.read(value),
        None => value
            .read_lock::<ScriptObject>()
            .map(|object| object.clone()),
    }
}

/// `error` reworded, where it is Rhai's "Function not found" for a method that no class of
/// the program has (`p.psh(1.0, 2.0)` on a `paths.Path`), as the glue's error naming the
/// nearest methods (`paths.Path has no method `psh`; the nearest are `push`, ...`), at the
/// same position, inside the same function-call errors; any other error unchanged.
///
/// Rhai resolves a method by its name and its arguments' types, so a name no registration
/// has is Rhai's own error, found before any bridge code runs (a name another class has
/// reaches the bridge, which words it so itself). The one hook Rhai has for it,
/// `Engine::on_missing_function`, is one callback per engine that a host may want for
/// itself and cannot read back, and it runs after every failed call, not only for a
/// missing function; so the bridge leaves it to the host, and a host that wants the
/// glue's words passes its errors through this. A call `psh(p, 1.0, 2.0)` reads the same
/// to Rhai, and is reworded the same.
pub fn with_nearest_methods(mut error: Box<EvalAltResult>) -> Box<EvalAltResult> {
    reword_missing_method(&mut error);
    error
}

/// [`with_nearest_methods`] in place.
fn reword_missing_method(error: &mut EvalAltResult) {
    match error {
        EvalAltResult::ErrorFunctionNotFound(signature, position) => {
            let position = *position;
            if let Some(message) = no_such_method(signature) {
                *error = EvalAltResult::ErrorRuntime(message.into(), position);
            }
        }
        EvalAltResult::ErrorInFunctionCall(.., inner, _) => reword_missing_method(inner),
        _ => {}
    }
}

/// The glue's words for Rhai's signature of a call no function takes (`psh (paths.Path,
/// f64, f64)`) when its first argument is an object of a class of the program and the
/// name is unqualified; `None` otherwise.
fn no_such_method(signature: &str) -> Option<String> {
    let (name, types) = signature.split_once(" (")?;
    let first = types.strip_suffix(')')?.split(", ").next()?;
    let registry = Registry::global();
    registry.class_index(first)?;
    let unqualified = !name.is_empty() && !name.contains("::");
    unqualified.then(|| registry.no_such_method(first, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOWHERE: ::rhai::Position = ::rhai::Position::NONE;

    #[test]
    fn only_a_missing_method_of_a_class_is_reworded() {
        let unchanged = |error: EvalAltResult| {
            let text = error.to_string();
            assert_eq!(with_nearest_methods(Box::new(error)).to_string(), text);
        };
        // No class is named `no.Such` in this crate's tests; a qualified name; another error.
        unchanged(EvalAltResult::ErrorFunctionNotFound(
            "psh (no.Such, f64)".into(),
            NOWHERE,
        ));
        unchanged(EvalAltResult::ErrorFunctionNotFound(
            "m::psh (i64)".into(),
            NOWHERE,
        ));
        unchanged(EvalAltResult::ErrorRuntime("boom".into(), NOWHERE));
    }
}
