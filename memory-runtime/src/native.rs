//! The native ABI: what the `#[native]` macro registers and hosts call.

use std::fmt;

use crate::{Context, Error, Value};

/// A script-visible type. The set is closed; each Rust type maps to one of these
/// through [`FromValue`](crate::FromValue) / [`IntoValue`](crate::IntoValue).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScriptType {
    /// `int`: `i64`.
    Int,
    /// `string`: UTF-8 text.
    String,
    /// `bool`.
    Bool,
    /// `void`: no value (results only).
    Void,
}

impl ScriptType {
    /// Equality usable in constants (the macro's compile-time type checks use it).
    pub const fn is(self, other: ScriptType) -> bool {
        self as u8 == other as u8
    }

    /// The spec's name for the type: `int`, `string`, `bool`, `void`.
    pub const fn name(self) -> &'static str {
        match self {
            ScriptType::Int => "int",
            ScriptType::String => "string",
            ScriptType::Bool => "bool",
            ScriptType::Void => "void",
        }
    }
}

impl fmt::Display for ScriptType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

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
}

impl FnSpec {
    /// The last segment of the name: `write`.
    pub fn short_name(&self) -> &'static str {
        self.name.rsplit('.').next().unwrap_or(self.name)
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
}

/// The generated glue: converts `args`, calls the Rust function, converts the result.
pub type Glue = fn(&Context, &[Value]) -> Result<Value, Error>;

/// A registered native: one `inventory` item per `#[native]` function.
#[derive(Debug)]
pub struct Native {
    /// The spec entry it was checked against at compile time.
    pub spec: &'static FnSpec,
    /// The glue to call.
    pub glue: Glue,
    /// The Rust function's path, for messages: `memory_runtime::buffer::write`.
    pub rust_path: &'static str,
    /// Source file of the `#[native]` attribute.
    pub file: &'static str,
    /// Source line of the `#[native]` attribute.
    pub line: u32,
}

impl Native {
    /// The full dotted name.
    pub fn name(&self) -> &'static str {
        self.spec.name
    }

    /// Calls the native with script arguments.
    #[inline]
    pub fn call(&self, ctx: &Context, args: &[Value]) -> Result<Value, Error> {
        (self.glue)(ctx, args)
    }
}

inventory::collect!(Native);
