//! Objects of spec classes in Lua: each a full userdata holding the bridge's mark and a
//! [`ScriptObject`] (two words), with its class's metatable, made once per class when the
//! modules are installed:
//!
//! - `__index`: a table of the class's methods, each one of the bridge's C functions, so
//!   `p:push(3, 4)` finds the method as a table read and calls it with `p` first; a name
//!   the table lacks (`p:psh()`) reaches the table's own `__index`, which raises the error
//!   naming the class's nearest methods, as goost and Rhai word it;
//! - `__gc` (on Luau, the userdata's destructor): lets go of the object, whose Rust value
//!   is dropped when nothing else holds it;
//! - `__tostring` (the class's name), `__eq` (the same object), `__name`, and
//!   `__metatable`, so a script can neither read nor replace the metatable;
//! - a mark (under the address of a private static): the class's place among the
//!   program's classes, so that an object a finalizer kept past its `__gc` (Lua 5.2 on,
//!   and LuaJIT's `newproxy`, resurrect) is refused as a dropped object of its class.
//!
//! The bridge knows its own objects from any other userdata by the userdata's memory: it
//! is as long as a [`Held`] and its first word is the address of a private static, which
//! no other code knows (a script cannot write a userdata's memory). That is two reads of
//! the value, where a metatable check is a push, a table read and two pops.
//!
//! Limits: an object whose class no installed module names (no method, no function
//! returning it) has no metatable in the state, and a native returning one is an error
//! naming it.

use std::ffi::{c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};

use mlua::{Function, LightUserData, Lua, Value, ffi};

use goost_bind::{Registry, ScriptObject};

/// What each object userdata holds: the bridge's mark, then the object until the
/// userdata is collected.
#[repr(C)]
struct Held {
    /// [`mark`]: what tells the bridge's userdata from any other.
    mark: *const c_void,
    /// The object; `None` once the userdata is collected.
    object: Option<ScriptObject>,
}

/// Its address marks the bridge's userdata and class metatables.
static OBJECT_MARK: u8 = 0;

/// The mark's key, as a pointer.
fn mark() -> *const c_void {
    std::ptr::from_ref(&OBJECT_MARK).cast()
}

/// The registry key of the table of the state's class metatables, each at its class's
/// place among the program's classes, plus one ([`Registry::class_index`]): an object
/// finds its metatable by a read of the registry and a read by number, with no string
/// made.
const CLASSES_REGISTRY_NAME: &str = "goost.classes";

/// The position of `class`'s metatable in the table of class metatables, if the program's
/// natives name the class.
fn class_slot(class: &str) -> Option<ffi::lua_Integer> {
    let index = Registry::global().class_index(class)?;
    ffi::lua_Integer::try_from(index + 1).ok()
}

/// Makes the metatable of `class` in `lua`, its methods `methods` (short name, the Lua
/// function of the bound method), and keeps it in the registry.
pub(crate) fn install_class(
    lua: &Lua,
    class: &str,
    methods: Vec<(&'static str, Function)>,
) -> mlua::Result<()> {
    let index = lua.create_table()?;
    for (name, function) in methods {
        index.raw_set(name, function)?;
    }
    // Only a name that is no method gets here: the methods are read raw from `index`.
    let class_name = class.to_string();
    let no_such_method = lua.create_function(move |_, (_, key): (Value, Value)| {
        let name = match &key {
            Value::String(name) => name.to_string_lossy(),
            other => other.to_string()?,
        };
        let message = Registry::global().no_such_method(&class_name, &name);
        Err::<(), _>(mlua::Error::external(goost_bind::Error::msg(message)))
    })?;
    let missing = lua.create_table()?;
    missing.raw_set("__index", no_such_method)?;
    missing.raw_set("__metatable", class)?;
    index.set_metatable(Some(missing))?;
    let Some(slot) = class_slot(class) else {
        return Err(mlua::Error::runtime(format!(
            "goost-memory: the class {class} is not one the program's natives name"
        )));
    };
    let metatable = lua.create_table()?;
    metatable.raw_set("__index", index)?;
    metatable.raw_set("__name", class)?;
    metatable.raw_set("__metatable", class)?;
    metatable.raw_set(LightUserData(mark().cast_mut()), slot)?;
    // SAFETY: each is a C function that keeps Lua's protocol (reads its arguments, pushes
    // its results) and unwinds nothing into Lua (a panic is caught).
    unsafe {
        metatable.raw_set("__gc", lua.create_c_function(collect_object)?)?;
        metatable.raw_set("__tostring", lua.create_c_function(object_text)?)?;
        metatable.raw_set("__eq", lua.create_c_function(same_object)?)?;
    }
    let name = CLASSES_REGISTRY_NAME;
    let classes: mlua::Table = match lua.named_registry_value::<Option<mlua::Table>>(name)? {
        Some(classes) => classes,
        None => {
            let classes = lua.create_table()?;
            lua.set_named_registry_value(name, &classes)?;
            classes
        }
    };
    classes.raw_set(slot, metatable)
}

/// Pushes a new userdata holding `object`, with its class's metatable, and says so;
/// `false` (pushing nothing) when the state has no metatable for its class.
///
/// # Safety
/// `state` is a running C function's state, in protected mode (it makes room for the
/// four values it pushes). It may raise a Lua error (out of memory) before it takes a
/// reference to `object`, never after.
pub(crate) unsafe fn push_object(state: *mut ffi::lua_State, object: &ScriptObject) -> bool {
    let Some(slot) = class_slot(object.class().name) else {
        return false;
    };
    // SAFETY: as the function's contract says: `lua_checkstack` raises nothing; the reads
    // are of the registry and of the bridge's own table (no metamethods), and the key
    // string Lua may make is made before anything here takes a reference.
    unsafe {
        if ffi::lua_checkstack(state, 4) == 0 {
            return false;
        }
        let name = CLASSES_REGISTRY_NAME;
        ffi::lua_pushlstring(state, name.as_ptr().cast(), name.len());
        ffi::lua_rawget(state, ffi::LUA_REGISTRYINDEX);
        if ffi::lua_type(state, -1) != ffi::LUA_TTABLE {
            ffi::lua_settop(state, -2);
            return false;
        }
        ffi::lua_rawgeti(state, -1, slot);
        if ffi::lua_type(state, -1) != ffi::LUA_TTABLE {
            ffi::lua_settop(state, -3);
            return false;
        }
        // The classes, the metatable; then the userdata.
        let memory = new_userdata(state).cast::<Held>();
        // Lua aligns a userdata's memory for any C type, so for a pointer.
        memory.write(Held {
            mark: mark(),
            object: Some(object.clone()),
        });
        ffi::lua_pushvalue(state, -2);
        ffi::lua_setmetatable(state, -2);
        // The userdata in the classes' place, then the metatable dropped.
        ffi::lua_replace(state, -3);
        ffi::lua_settop(state, -2);
    }
    true
}

/// A new userdata the size of [`Held`], on top of the stack (on Luau, with the destructor
/// that lets go of the object).
///
/// # Safety
/// As [`push_object`].
unsafe fn new_userdata(state: *mut ffi::lua_State) -> *mut c_void {
    #[cfg(feature = "luau")]
    // SAFETY: as the function's contract says.
    unsafe {
        ffi::lua_newuserdatadtor(state, size_of::<Held>(), destroy_object)
    }
    #[cfg(not(feature = "luau"))]
    // SAFETY: as the function's contract says.
    unsafe {
        ffi::lua_newuserdata(state, size_of::<Held>())
    }
}

/// What a userdata is to the bridge.
pub(crate) enum Userdata<'s> {
    /// One of its objects.
    Object(&'s ScriptObject),
    /// One of its objects that Lua has collected (its `__gc` ran) and a finalizer kept:
    /// the object is dropped; its class's name.
    Dropped(&'static str),
    /// Any other userdata.
    Foreign,
}

/// What the userdata at `index` is: one of the bridge's objects, one it has dropped, or
/// another.
///
/// # Safety
/// `state` is a running C function's state and `index` a valid index of its stack (a
/// value of any type: only a full userdata can be one of the bridge's); the object is
/// borrowed for as long as the userdata stays there.
pub(crate) unsafe fn userdata_at<'s>(state: *mut ffi::lua_State, index: c_int) -> Userdata<'s> {
    // SAFETY: as the function's contract says: the memory of a userdata is valid for its
    // length and aligned for any C type, so a userdata as long as a `Held` may be read as
    // its first word (any bits are a pointer value); only `push_object` writes the mark's
    // address there (no other code knows it, and scripts write no userdata memory), so a
    // userdata that holds it holds a `Held`.
    unsafe {
        let memory = ffi::lua_touserdata(state, index).cast::<Held>();
        // At least a `Held` (Luau counts a destructor's room in its userdata's length).
        if memory.is_null() || ffi::lua_rawlen(state, index) < size_of::<Held>() {
            return Userdata::Foreign;
        }
        if memory.cast::<*const c_void>().read() != mark() {
            return Userdata::Foreign;
        }
        match &(*memory).object {
            Some(object) => Userdata::Object(object),
            None => Userdata::Dropped(collected_class(state, index)),
        }
    }
}

/// The class of the collected object at `index`, by its metatable's mark.
///
/// # Safety
/// As [`userdata_at`], for one of the bridge's userdata.
#[cold]
unsafe fn collected_class(state: *mut ffi::lua_State, index: c_int) -> &'static str {
    // SAFETY: as the function's contract says; `lua_checkstack` raises nothing, reading a
    // metatable and a raw field raises nothing, and the values read are popped.
    let slot = unsafe {
        if ffi::lua_checkstack(state, 3) == 0 || ffi::lua_getmetatable(state, index) == 0 {
            return "object";
        }
        ffi::lua_rawgetp(state, -1, mark());
        let mut is_number = 0;
        let slot = ffi::lua_tointegerx(state, -1, &mut is_number);
        ffi::lua_settop(state, -3);
        if is_number == 0 {
            return "object";
        }
        slot
    };
    usize::try_from(slot - 1)
        .ok()
        .and_then(|index| Registry::global().class_name(index))
        .unwrap_or("object")
}

/// The object held by the value at `index`, if it is one of the bridge's objects and has
/// not been collected.
///
/// # Safety
/// As [`userdata_at`].
pub(crate) unsafe fn object_at<'s>(
    state: *mut ffi::lua_State,
    index: c_int,
) -> Option<&'s ScriptObject> {
    // SAFETY: as the function's contract says.
    match unsafe { userdata_at(state, index) } {
        Userdata::Object(object) => Some(object),
        Userdata::Dropped(_) | Userdata::Foreign => None,
    }
}

/// `__gc`: lets go of the object (dropping its Rust value if nothing else holds it). A
/// panic in that `Drop` is caught: it cannot unwind into Lua.
unsafe extern "C-unwind" fn collect_object(state: *mut ffi::lua_State) -> c_int {
    // SAFETY: Lua calls `__gc` with the userdata, which this bridge made to hold a `Held`.
    let memory = unsafe { ffi::lua_touserdata(state, 1) }.cast::<Held>();
    // SAFETY: as above; the userdata is not used again once collected, and `take` leaves
    // `None` should a finalizer see it again.
    if let Some(held) = unsafe { memory.as_mut() } {
        let object = held.object.take();
        let _ = catch_unwind(AssertUnwindSafe(move || drop(object)));
    }
    0
}

/// Luau's destructor of an object userdata: as [`collect_object`].
#[cfg(feature = "luau")]
unsafe extern "C" fn destroy_object(_state: *mut ffi::lua_State, memory: *mut c_void) {
    // SAFETY: Luau calls it once, with the memory `push_object` wrote a `Held` into.
    if let Some(held) = unsafe { memory.cast::<Held>().as_mut() } {
        let object = held.object.take();
        let _ = catch_unwind(AssertUnwindSafe(move || drop(object)));
    }
}

/// `__tostring`: the class's name (`paths.Path (dropped)` for an object a finalizer kept
/// past its collection).
unsafe extern "C-unwind" fn object_text(state: *mut ffi::lua_State) -> c_int {
    let push = |text: &'static str| {
        // SAFETY: pushing a copied string may raise out of memory, over a frame that owns
        // nothing (the text is static).
        unsafe { ffi::lua_pushlstring(state, text.as_ptr().cast(), text.len()) };
    };
    // SAFETY: Lua calls it with the object first.
    match unsafe { userdata_at(state, 1) } {
        Userdata::Object(object) => push(object.class().name),
        Userdata::Dropped(class) => {
            push(class);
            push(" (dropped)");
            // SAFETY: the two strings just pushed; joining them may raise out of memory,
            // over a frame that owns nothing.
            unsafe { ffi::lua_concat(state, 2) };
        }
        Userdata::Foreign => push("userdata"),
    }
    1
}

/// `__eq`: whether both are the same object.
unsafe extern "C-unwind" fn same_object(state: *mut ffi::lua_State) -> c_int {
    // SAFETY: Lua calls it with the two values compared, on the stack.
    unsafe {
        let same = match (object_at(state, 1), object_at(state, 2)) {
            (Some(a), Some(b)) => ScriptObject::ptr_eq(a, b),
            _ => false,
        };
        ffi::lua_pushboolean(state, c_int::from(same));
    }
    1
}
