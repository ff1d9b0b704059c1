//! `ScriptObject`: a value of a spec class (`geo.Path`), a Rust value that scripts hold by
//! reference. It lives as long as a script value refers to it and is dropped exactly once,
//! when the last reference goes (a goost variable reassigned or out of scope, a Lua value
//! collected, a Rhai value dropped).
//!
//! An object belongs to the context whose native made it (a native's glue claims the
//! objects of its result), and a native of another context refuses it: a method's glue its
//! own object ([`of_context`]), [`ObjectsGlue`] an object argument.

use std::any::Any;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use triomphe::Arc;

use crate::native::{BoundCall, BoundGlue, GlueResult};
use crate::{ArgRef, ClassType, FnSpec, FromValue, Mismatch, ScriptType, TakeFields, Value};

/// A Rust type bound to a spec class with `#[spec_class("geo.Path")]`: its objects cross
/// into scripts as [`ScriptObject`]s. `Send + Sync`, since one context runs natives from
/// several threads: an object changes through its own locks or atomics.
pub trait ScriptClass: Any + Send + Sync {
    /// The spec's class.
    const CLASS: &'static ClassType;
}

/// An object of a spec class: a shared reference to a Rust value and its class, one word.
/// Cloning shares it; `==` is identity. The value is dropped when the last clone is. (An
/// object has no weak references, so its count is triomphe's `Arc`: one counter, and one
/// atomic operation to let go of it.)
#[derive(Clone)]
pub struct ScriptObject(Arc<ObjectCell>);

/// What an object's allocation holds.
struct ObjectCell {
    class: &'static ClassType,
    /// The [`Context::id`](crate::Context::id) of the context it belongs to; 0 until a
    /// native's result claims it.
    context: AtomicU64,
    value: Box<dyn Any + Send + Sync>,
}

impl Drop for ObjectCell {
    /// Drops the value when the last reference goes, wherever that happens (a host's
    /// variable, an engine's collector): a panic in the value's `Drop` is caught here, so
    /// it never unwinds into a host or an engine.
    fn drop(&mut self) {
        let value = std::mem::replace(&mut self.value, Box::new(()));
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(value)));
    }
}

impl ScriptObject {
    /// The bytes of an object's shared allocation (its reference count, its class, its
    /// context and the box of its value), besides the value's own box.
    pub const CELL_BYTES: usize = size_of::<usize>() + size_of::<ObjectCell>();

    /// A new object holding `value`, of `T`'s class.
    pub fn new<T: ScriptClass>(value: T) -> ScriptObject {
        ScriptObject(Arc::new(ObjectCell {
            class: T::CLASS,
            context: AtomicU64::new(0),
            value: Box::new(value),
        }))
    }

    /// The id of the context the object belongs to ([`Context::id`](crate::Context::id)):
    /// the context whose native returned it first. `None` for an object no native has
    /// returned yet (one a host made with [`ScriptObject::new`]), which any context takes.
    pub fn context(&self) -> Option<u64> {
        match self.0.context.load(Ordering::Relaxed) {
            0 => None,
            id => Some(id),
        }
    }

    /// Whether a native of context `context` may take the object.
    #[inline]
    fn belongs_to(&self, context: u64) -> bool {
        let owner = self.0.context.load(Ordering::Relaxed);
        owner == context || owner == 0
    }

    /// Makes the object belong to `context`, unless it belongs to a context already.
    fn claim(&self, context: u64) {
        let _ = self
            .0
            .context
            .compare_exchange(0, context, Ordering::Relaxed, Ordering::Relaxed);
    }

    /// The object's class.
    #[inline]
    pub fn class(&self) -> &'static ClassType {
        self.0.class
    }

    /// The Rust value, if it is a `T`.
    #[inline]
    pub fn downcast_ref<T: ScriptClass>(&self) -> Option<&T> {
        self.0.value.downcast_ref::<T>()
    }

    /// Whether two handles are the same object.
    pub fn ptr_eq(a: &ScriptObject, b: &ScriptObject) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }

    /// How many script values (and Rust handles) refer to the object now.
    pub fn references(&self) -> usize {
        Arc::strong_count(&self.0)
    }
}

impl PartialEq for ScriptObject {
    /// Identity: the same object.
    fn eq(&self, other: &Self) -> bool {
        ScriptObject::ptr_eq(self, other)
    }
}

impl fmt::Debug for ScriptObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} object>", self.class().name)
    }
}

/// An object argument of class `T`, borrowed for the call: a native takes
/// `p: ObjectRef<'_, Path>` for a script parameter of type `geo.Path` and reads the `Path`
/// through it (`&*p`). An object of another class, or any other value, is the glue's
/// argument error naming both types.
#[derive(Debug)]
pub struct ObjectRef<'a, T> {
    object: &'a ScriptObject,
    value: &'a T,
}

impl<'a, T: ScriptClass> ObjectRef<'a, T> {
    /// The object itself (to keep it: clone it).
    pub fn object(&self) -> &'a ScriptObject {
        self.object
    }
}

impl<T> Clone for ObjectRef<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ObjectRef<'_, T> {}

impl<T> std::ops::Deref for ObjectRef<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
    }
}

impl<'a, T: ScriptClass> FromValue<'a> for ObjectRef<'a, T> {
    const TYPE: ScriptType = ScriptType::Class(T::CLASS);
    fn from_value(value: ArgRef<'a>) -> Result<Self, Mismatch> {
        match value {
            ArgRef::Object(object) => match object.downcast_ref::<T>() {
                Some(inner) => Ok(ObjectRef {
                    object,
                    value: inner,
                }),
                None => Err(Mismatch::Type(object.class().name)),
            },
            other => Err(Mismatch::of(other)),
        }
    }
}

/// Whether a native of context `context` may take `object` (a method's glue asks it of
/// its object).
#[doc(hidden)]
#[inline(always)]
pub fn of_context(object: &ScriptObject, context: u64) -> bool {
    object.belongs_to(context)
}

/// Whether a call of `spec` takes objects other than a method's own (a parameter whose
/// type may hold one). Only such a call checks them here; a method's glue checks its own
/// object, and the glue of a native whose result may hold objects claims them.
pub(crate) const fn meets_objects(spec: &FnSpec) -> bool {
    let mut index = 0;
    while index < spec.params.len() {
        if spec.params[index].ty.class_within().is_some() {
            return true;
        }
        index += 1;
    }
    false
}

/// Calls `visit` on each object in `arg` read as a value of type `ty` (as deep as `ty`
/// can hold objects, so never deeper than a type of the spec), until it says stop; the
/// object it stopped at.
fn find_object<'a>(
    arg: ArgRef<'a>,
    ty: ScriptType,
    visit: &mut impl FnMut(&'a ScriptObject) -> bool,
) -> Option<&'a ScriptObject> {
    match (arg, ty) {
        (ArgRef::Object(object), ScriptType::Class(_)) => visit(object).then_some(object),
        (_, ScriptType::Optional(inner)) => find_object(arg, *inner, visit),
        (ArgRef::List(items), ScriptType::List(inner)) if inner.class_within().is_some() => items
            .iter()
            .find_map(|item| find_object(item.lend(), *inner, visit)),
        (ArgRef::Map(entries), ScriptType::Map(inner)) if inner.class_within().is_some() => entries
            .iter()
            .find_map(|(_, item)| find_object(item.lend(), *inner, visit)),
        _ => None,
    }
}

/// Makes the objects in `result`, a value of type `ty`, belong to context `context` (those
/// that belong to none yet): the glue of a native whose result may hold objects calls it.
#[doc(hidden)]
#[inline]
pub fn claim_objects(result: &Result<Value, crate::Error>, ty: ScriptType, context: u64) {
    match result {
        // An object itself (a constructor's result): no walk.
        Ok(Value::Object(object)) => object.claim(context),
        Ok(value) => claim_within(value, ty, context),
        Err(_) => {}
    }
}

/// [`claim_objects`] for a list or map that may hold objects.
#[inline(never)]
fn claim_within(value: &Value, ty: ScriptType, context: u64) {
    find_object(value.lend(), ty, &mut |object| {
        object.claim(context);
        false
    });
}

/// The arguments of a call of `spec` that may hold objects, besides a method's object:
/// each one's position in the call (a method's object is 0, its parameters follow) and its
/// type.
fn holders(spec: &'static FnSpec) -> impl Iterator<Item = (usize, ScriptType)> {
    let first = usize::from(spec.receiver.is_some());
    let params = spec.params.iter().enumerate();
    let params = params.filter(|(_, param)| param.ty.class_within().is_some());
    params.map(move |(index, param)| (index + first, param.ty))
}

/// The error of a call of `spec` on context `context` whose argument among `holders` (what
/// [`holders`] gives; each found by `arg_at`, by position) is or holds an object of
/// another context: the first such, named by its parameter.
#[inline(always)]
fn foreign_argument<'a>(
    spec: &'static FnSpec,
    context: u64,
    holders: impl Iterator<Item = (usize, ScriptType)>,
    arg_at: impl Fn(usize) -> Option<ArgRef<'a>>,
) -> Option<crate::Error> {
    for (position, ty) in holders {
        let Some(arg) = arg_at(position) else {
            continue;
        };
        if let Some(object) = find_object(arg, ty, &mut |object| !object.belongs_to(context)) {
            // A method's parameters come after its object.
            let index = position - usize::from(spec.receiver.is_some());
            return Some(crate::Error::foreign_object(
                spec,
                Some(index),
                object.class().name,
            ));
        }
    }
    None
}

/// A call of `spec`, which takes objects as arguments, on context `context`, as
/// [`Native::call`](crate::Native::call) makes it: refused with the error naming the
/// argument when one holds an object of another context; otherwise `call`.
pub(crate) fn with_objects(
    spec: &'static FnSpec,
    context: u64,
    args: &[Value],
    call: impl FnOnce() -> GlueResult,
) -> GlueResult {
    let arg_at = |position| args.get(position).map(Value::lend);
    match foreign_argument(spec, context, holders(spec), arg_at) {
        Some(error) => GlueResult::err(error),
        None => call(),
    }
}

/// The bound glue of a native that takes objects as arguments, around the macro's: each
/// call first refuses an object of another context (its arguments that may hold objects
/// found once, at binding). Other natives are bound to their glue alone, so they pay
/// nothing for it.
pub(crate) struct ObjectsGlue {
    glue: BoundGlue,
    spec: &'static FnSpec,
    context: u64,
    /// What [`holders`] gives for the native.
    holders: Box<[(usize, ScriptType)]>,
}

impl ObjectsGlue {
    /// `glue`, bound to `ctx`, wrapped if `meets_objects`.
    pub(crate) fn wrap(
        spec: &'static FnSpec,
        meets_objects: bool,
        ctx: &crate::Context,
        glue: BoundGlue,
    ) -> BoundGlue {
        if !meets_objects {
            return glue;
        }
        Box::new(ObjectsGlue {
            glue,
            spec,
            context: ctx.id(),
            holders: holders(spec).collect(),
        })
    }

    /// The refusal of a call whose arguments `arg_at` finds, if one is foreign.
    fn refusal<'a>(&self, arg_at: impl Fn(usize) -> Option<ArgRef<'a>>) -> Option<GlueResult> {
        let holders = self.holders.iter().copied();
        foreign_argument(self.spec, self.context, holders, arg_at).map(GlueResult::err)
    }
}

impl BoundCall for ObjectsGlue {
    fn call_values(&self, args: &[Value]) -> GlueResult {
        let refused = self.refusal(|position| args.get(position).map(Value::lend));
        refused.unwrap_or_else(|| self.glue.call_values(args))
    }

    fn call_lent(&self, args: &[ArgRef<'_>]) -> GlueResult {
        let refused = self.refusal(|position| args.get(position).copied());
        refused.unwrap_or_else(|| self.glue.call_lent(args))
    }

    fn call_lent_fields(&self, args: &[ArgRef<'_>], take: &mut TakeFields<'_>) -> GlueResult {
        let refused = self.refusal(|position| args.get(position).copied());
        refused.unwrap_or_else(|| self.glue.call_lent_fields(args, take))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value whose `Drop` panics.
    struct Boom;

    impl ScriptClass for Boom {
        const CLASS: &'static ClassType = &ClassType { name: "t.Boom" };
    }

    impl Drop for Boom {
        fn drop(&mut self) {
            panic!("a value's Drop panicked");
        }
    }

    #[test]
    fn a_panic_in_a_values_drop_stays_inside_the_object() {
        let object = ScriptObject::new(Boom);
        let copy = object.clone();
        assert_eq!(object.references(), 2);
        drop(object);
        // The last reference: the value's `Drop` runs and panics, caught.
        let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(copy)));
        assert!(dropped.is_ok());
    }
}
