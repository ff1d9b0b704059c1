//! The native ABI: what the `#[native]` macro registers and hosts call.

use std::fmt;

use arcstr::ArcStr;

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
/// Hosts call it through [`Native::call`], which hands back a `Result<Value, Error>`.
pub type Glue = fn(&Context, &[Value]) -> GlueResult;

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

/// One variant per `Value` variant, plus the error, each with a one-word payload.
#[derive(Debug)]
enum Outcome {
    Void,
    Int(i64),
    /// `0` or `1`: a one-byte `bool` here would move the pair out of registers.
    Bool(u64),
    Str(ArcStr),
    Err(Error),
}

impl GlueResult {
    /// A failed call.
    #[inline(always)]
    pub fn err(error: Error) -> GlueResult {
        GlueResult(Outcome::Err(error))
    }

    /// The outcome as the native ABI states it.
    #[inline(always)]
    pub fn into_result(self) -> Result<Value, Error> {
        match self.0 {
            Outcome::Void => Ok(Value::Void),
            Outcome::Int(n) => Ok(Value::Int(n)),
            Outcome::Bool(b) => Ok(Value::Bool(b != 0)),
            Outcome::Str(s) => Ok(Value::Str(s)),
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
            Ok(Value::Str(s)) => Outcome::Str(s),
            Err(e) => Outcome::Err(e),
        })
    }
}

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
        (self.glue)(ctx, args).into_result()
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
        let text = ArcStr::from("shared");
        let Ok(Value::Str(back)) = GlueResult::from(Ok(Value::Str(text.clone()))).into_result()
        else {
            panic!("expected the string back");
        };
        assert!(ArcStr::ptr_eq(&text, &back));
    }

    #[test]
    fn a_glue_result_is_two_words() {
        assert_eq!(
            std::mem::size_of::<GlueResult>(),
            2 * std::mem::size_of::<usize>()
        );
    }
}
