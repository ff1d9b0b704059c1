//! Checking a script's calls against specs before it runs: the part every language
//! shares. A language's front end (the goost parser, a Rhai AST walk, a Lua syntax tree)
//! finds each call of a module function and describes its arguments as [`Arg`]s; the
//! [`Checker`] says what is wrong with the call, in the words the call would fail with at
//! run time.
//!
//! Only what is certain without running is reported: an unknown function of a known
//! module (with the nearest names), a wrong argument count, a literal argument of the
//! wrong type, and a string literal that is none of an enum parameter's values. An argument that is not a literal is never reported.

use std::fmt;

use crate::{Engine, EnumType, ScriptType, Spec, ValueKind};

/// An argument as a checker front end sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// An integer literal.
    Int,
    /// A float literal (Lua: one with a fractional part; its bridge passes a whole
    /// number as an int).
    Float,
    /// A string literal whose text the front end does not give (escapes, bytes that are
    /// not UTF-8).
    String,
    /// A string literal and its text, which an enum parameter checks against its values.
    Text(String),
    /// `true` or `false`.
    Bool,
    /// `nil` (goost, Lua) or `()` (Rhai).
    Nil,
    /// A list literal (`[..]`, a Lua sequence constructor), with its elements.
    List(Vec<Arg>),
    /// Anything else: a variable, a call, an operation. Its type is not known.
    Unknown,
}

impl Arg {
    /// The script type name of a literal (as the run-time error would say it), or `None`
    /// when the argument is fine for `ty` or its type is unknown.
    fn mismatch(&self, ty: ScriptType) -> Option<String> {
        let fits = match (self, ty) {
            (Arg::Unknown, _) => return None,
            (Arg::Nil, ScriptType::Optional(_)) => true,
            (arg, ScriptType::Optional(inner)) => return arg.mismatch(*inner),
            (Arg::Int, ScriptType::Int | ScriptType::Float)
            | (Arg::Float, ScriptType::Float)
            | (Arg::String, ScriptType::String)
            | (Arg::Bool, ScriptType::Bool) => true,
            (Arg::Text(_), ScriptType::String) | (Arg::String, ScriptType::Enum(_)) => true,
            (Arg::Text(text), ScriptType::Enum(choice)) => {
                return (!choice.values.contains(&text.as_str())).then(|| not_in_enum(choice));
            }
            // An empty Lua table constructor is an empty table of either kind.
            (Arg::List(items), ScriptType::Map(_) | ScriptType::Record(_)) if items.is_empty() => {
                true
            }
            (Arg::List(items), ScriptType::List(element)) => {
                return items.iter().enumerate().find_map(|(index, item)| {
                    item.mismatch(*element)
                        .map(|got| format!("a list whose element {} is {got}", index + 1))
                });
            }
            _ => false,
        };
        (!fits).then(|| self.type_name().to_string())
    }

    fn type_name(&self) -> &'static str {
        let kind = match self {
            Arg::Int => ValueKind::Int,
            Arg::Float => ValueKind::Float,
            Arg::String | Arg::Text(_) => ValueKind::String,
            Arg::Bool => ValueKind::Bool,
            Arg::Nil => ValueKind::Nil,
            Arg::List(_) => ValueKind::List,
            Arg::Unknown => return "a value",
        };
        kind.name()
    }
}

/// One problem in a script, at a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

impl Finding {
    /// `FILE:LINE:COL: message`.
    pub fn display_in(&self, file: &str) -> String {
        format!("{file}:{self}")
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

/// The most tokens (names, literals, symbols; not whitespace or comments) of a script a
/// check front end parses. The Lua and Rhai parsers build a whole syntax tree, about a
/// kilobyte per token, so this bounds a check's memory near 250 MB; typical Lua or Rhai
/// has this many tokens in about 1 MB of text. Past it the script gets one finding and is
/// not checked.
pub const MAX_TOKENS: usize = 250_000;

/// `expects 2 arguments, got 1`: a wrong argument count, as the run-time error and the
/// checker both word it (`expects 1 to 2 arguments` when the last are optional).
pub fn arity_message(min: usize, max: usize, got: usize) -> String {
    let count = if min == max {
        max.to_string()
    } else {
        format!("{min} to {max}")
    };
    let plural = if max == 1 { "" } else { "s" };
    format!("expects {count} argument{plural}, got {got}")
}

/// `argument 2 (data) expects string, got int`: a wrong argument type, as the run-time
/// error and the checker both word it.
pub fn argument_message(
    position: usize,
    name: &str,
    expected: ScriptType,
    got: &dyn fmt::Display,
) -> String {
    format!("argument {position} ({name}) expects {expected}, got {got}")
}

/// `a string that is not one of "m", "km"`: a string given for an enum that is none of its
/// values, as the run-time error (`Mismatch::NotInEnum`) and the checker both word it.
pub fn not_in_enum(choice: &EnumType) -> String {
    let values: Vec<String> = choice.values.iter().map(|v| format!("{v:?}")).collect();
    format!("a string that is not one of {}", values.join(", "))
}

/// Checks calls against a set of module specs.
#[derive(Clone, Debug)]
pub struct Checker<'s> {
    specs: Vec<&'s Spec>,
}

impl<'s> Checker<'s> {
    /// A checker for calls into these modules.
    pub fn new(specs: impl IntoIterator<Item = &'s Spec>) -> Checker<'s> {
        Checker {
            specs: specs.into_iter().collect(),
        }
    }

    /// The spec of the module called `name`, if the checker knows it.
    pub fn module(&self, name: &str) -> Option<&'s Spec> {
        self.specs.iter().copied().find(|s| s.module == name)
    }

    /// What is wrong with a call of `dotted` (`memory.buffer.write`, whatever the
    /// engine's own spelling) with `args`; `None` when nothing is, or when the path's
    /// first segment is not a known module. An unknown name and its nearest known ones are
    /// spelled as `engine` writes them (`memory::buffer::write` in Rhai); a wrong count or
    /// type is worded exactly as the call's run-time error would be.
    pub fn check_call(&self, engine: Engine, dotted: &str, args: &[Arg]) -> Option<String> {
        let module = dotted.split('.').next().unwrap_or_default();
        let spec = self.module(module)?;
        let Some(function) = spec.function(dotted) else {
            let names: Vec<String> = spec.functions().map(|f| engine.path(&f.name)).collect();
            let wanted = engine.path(dotted);
            let near: Vec<String> = crate::nearest(&wanted, names.iter().map(String::as_str), 3)
                .into_iter()
                .map(|n| format!("`{n}`"))
                .collect();
            return Some(format!(
                "unknown function `{wanted}`; the nearest names are {}",
                near.join(", ")
            ));
        };
        // The spec's signature, as the run-time error gives it in every engine.
        let signature = function.signature();
        let (min, max) = (function.required_params(), function.params.len());
        if args.len() < min || args.len() > max {
            return Some(format!(
                "{signature}: {}",
                arity_message(min, max, args.len())
            ));
        }
        args.iter()
            .zip(&function.params)
            .enumerate()
            .find_map(|(index, (arg, param))| {
                arg.mismatch(param.ty).map(|got| {
                    format!(
                        "{signature}: {}",
                        argument_message(index + 1, &param.name, param.ty, &got)
                    )
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn memory() -> Spec {
        parse(include_str!("../memory.spec")).unwrap()
    }

    #[test]
    fn reports_unknown_functions_arity_and_literal_types_in_the_engines_words() {
        let spec = memory();
        let checker = Checker::new([&spec]);
        assert_eq!(
            checker.check_call(Engine::Rhai, "memory.buffer.wirte", &[]),
            Some(
                "unknown function `memory::buffer::wirte`; the nearest names are `memory::buffer::write`, `memory::buffer::free`, `memory::buffer::read`"
                    .into()
            )
        );
        assert_eq!(
            checker.check_call(Engine::Goost, "memory.buffer.write", &[Arg::Unknown]),
            Some(
                "memory.buffer.write(id: int, data: string) -> bool: expects 2 arguments, got 1"
                    .into()
            )
        );
        assert_eq!(
            checker.check_call(Engine::Lua, "memory.buffer.write", &[Arg::Unknown, Arg::Int]),
            Some(
                "memory.buffer.write(id: int, data: string) -> bool: argument 2 (data) expects string, got int"
                    .into()
            )
        );
        assert_eq!(
            checker.check_call(
                Engine::Goost,
                "memory.buffer.write",
                &[Arg::Unknown, Arg::String]
            ),
            None
        );
        assert_eq!(checker.check_call(Engine::Lua, "string.format", &[]), None);
    }

    #[test]
    fn literals_match_types_as_the_bridges_convert_them() {
        let spec = parse(
            "module m\ngroup m.g\n  fn f(x: float, xs: list<int>, s: string?) -> void\n    | F\n",
        )
        .unwrap();
        let checker = Checker::new([&spec]);
        let call = |args: &[Arg]| checker.check_call(Engine::Goost, "m.g.f", args);
        assert_eq!(call(&[Arg::Int, Arg::List(vec![Arg::Int]), Arg::Nil]), None);
        assert_eq!(
            call(&[Arg::Float, Arg::List(vec![Arg::Int, Arg::String])]),
            Some(
                "m.g.f(x: float, xs: list<int>, s: string?) -> void: argument 2 (xs) expects list<int>, got a list whose element 2 is string"
                    .into()
            )
        );
        assert_eq!(
            call(&[Arg::Float, Arg::Unknown, Arg::Bool]),
            Some("m.g.f(x: float, xs: list<int>, s: string?) -> void: argument 3 (s) expects string?, got bool".into())
        );
        assert_eq!(
            call(&[Arg::Nil, Arg::Unknown]),
            Some("m.g.f(x: float, xs: list<int>, s: string?) -> void: argument 1 (x) expects float, got nil".into())
        );
    }

    #[test]
    fn arity_is_worded_with_the_optional_range() {
        assert_eq!(arity_message(1, 2, 3), "expects 1 to 2 arguments, got 3");
        assert_eq!(arity_message(1, 1, 0), "expects 1 argument, got 0");
    }
}
