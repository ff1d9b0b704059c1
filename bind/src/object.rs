//! `ScriptObject`: a value of a spec class (`geo.Path`), a Rust value that scripts hold by
//! reference. It lives as long as a script value refers to it and is dropped exactly once,
//! when the last reference goes (a goost variable reassigned or out of scope, a Lua value
//! collected, a Rhai value dropped).

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use crate::{ArgRef, ClassType, FromValue, Mismatch, ScriptType};

/// A Rust type bound to a spec class with `#[spec_class("geo.Path")]`: its objects cross
/// into scripts as [`ScriptObject`]s. `Send + Sync`, since one context runs natives from
/// several threads: an object changes through its own locks or atomics.
pub trait ScriptClass: Any + Send + Sync {
    /// The spec's class.
    const CLASS: &'static ClassType;
}

/// An object of a spec class: a shared reference to a Rust value and its class, one word.
/// Cloning shares it; `==` is identity. The value is dropped when the last clone is.
#[derive(Clone)]
pub struct ScriptObject(Arc<ObjectCell>);

/// What an object's allocation holds.
struct ObjectCell {
    class: &'static ClassType,
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
    /// A new object holding `value`, of `T`'s class.
    pub fn new<T: ScriptClass>(value: T) -> ScriptObject {
        ScriptObject(Arc::new(ObjectCell {
            class: T::CLASS,
            value: Box::new(value),
        }))
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
