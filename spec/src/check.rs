//! Checking a script's calls against specs before it runs: the part every language
//! shares. A language's front end (the goost parser, a Rhai AST walk, a Lua syntax tree)
//! finds each call of a module function and describes its arguments as [`Arg`]s; the
//! [`Checker`] says what is wrong with the call, in the words the call would fail with at
//! run time.
//!
//! Only what is certain without running is reported: an unknown function of a known
//! module (with the nearest names), a wrong argument count, a literal argument of the
//! wrong type, a string literal that is none of an enum parameter's values, and a map
//! literal that is not the record a parameter expects (a key that is no field, a required
//! field left out, a field of the wrong type). An argument that is not a literal is never
//! reported.

use std::fmt;

use crate::{Engine, EnumType, RecordType, ScriptType, Spec, ValueKind};

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
    /// A map literal (goost `{x: 1.0}`, a Lua constructor of `name = value` fields, Rhai
    /// `#{x: 1.0}`), with its keys and values, which a record or `map<T>` parameter checks.
    Map(Vec<(String, Arg)>),
    /// Anything else: a variable, a call, an operation. Its type is not known.
    Unknown,
}

/// What is wrong with a literal argument, worded as the run-time error's parts are.
enum Wrong {
    /// What the value is (`int`, `a list whose element 2 is string`).
    Got(String),
    /// A map that is not the record (a field missing, a key that is no field).
    NotTheRecord(String),
    /// A mismatch inside a record, or inside a list or map of records: the path to it,
    /// outermost first, the type expected there and what is there.
    Inside(Vec<Step>, ScriptType, String),
}

impl Wrong {
    /// This, found in a value of type `ty` reached by `step` (a record's field, a list's
    /// element, a map's entry): a path, when the mistake is in a record; otherwise what a
    /// list or map is described as (`a list whose element 2 is string`), by `flat`.
    fn inside(self, step: Step, ty: ScriptType, flat: impl FnOnce(String) -> String) -> Wrong {
        match self {
            Wrong::Inside(mut path, expected, got) => {
                path.insert(0, step);
                Wrong::Inside(path, expected, got)
            }
            Wrong::NotTheRecord(got) => Wrong::Inside(vec![step], ty, got),
            Wrong::Got(got) if matches!(step, Step::Field(_)) => Wrong::Inside(vec![step], ty, got),
            Wrong::Got(got) => Wrong::Got(flat(got)),
        }
    }
}

/// A step into an argument, on the way to a mistake inside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A record's field, by name.
    Field(&'static str),
    /// A list's element, counted from 1.
    Element(usize),
    /// A map's entry, by key.
    Entry(String),
}

/// `field a.x`, `element 2 field x`, `entry "home" field x`: where in an argument a
/// mistake is, outermost first (fields in a row joined by dots), as the run-time error
/// and the checker both word it.
pub fn path_words(path: &[Step]) -> String {
    let mut words = String::new();
    let mut after_field = false;
    for step in path {
        match step {
            Step::Field(name) if after_field => words.push_str(&format!(".{name}")),
            Step::Field(name) => words.push_str(&format!(" field {name}")),
            Step::Element(position) => words.push_str(&format!(" element {position}")),
            Step::Entry(key) => words.push_str(&format!(" entry {key:?}")),
        }
        after_field = matches!(step, Step::Field(_));
    }
    words.trim_start().to_string()
}

impl Arg {
    /// What is wrong with a literal for `ty`, or `None` when it is fine or its type is
    /// unknown.
    fn mismatch(&self, ty: ScriptType) -> Option<Wrong> {
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
                return (!choice.values.contains(&text.as_str()))
                    .then(|| Wrong::Got(not_in_enum(choice)));
            }
            // An empty Lua table constructor is an empty table of either kind.
            (Arg::List(items), ScriptType::Map(_) | ScriptType::Record(_)) if items.is_empty() => {
                return match ty {
                    ScriptType::Record(record) => record_mismatch(&[], record),
                    _ => None,
                };
            }
            (Arg::List(items), ScriptType::List(element)) => {
                return items.iter().enumerate().find_map(|(index, item)| {
                    item.mismatch(*element).map(|wrong| {
                        let position = index + 1;
                        wrong.inside(Step::Element(position), *element, |got| {
                            format!("a list whose element {position} is {got}")
                        })
                    })
                });
            }
            (Arg::Map(entries), ScriptType::Map(value)) => {
                return entries.iter().find_map(|(key, item)| {
                    item.mismatch(*value).map(|wrong| {
                        wrong.inside(Step::Entry(key.clone()), *value, |got| {
                            format!("a map with a value that is {got}")
                        })
                    })
                });
            }
            (Arg::Map(entries), ScriptType::Record(record)) => {
                return record_mismatch(entries, record);
            }
            _ => false,
        };
        (!fits).then(|| Wrong::Got(self.type_name().to_string()))
    }

    fn type_name(&self) -> &'static str {
        let kind = match self {
            Arg::Int => ValueKind::Int,
            Arg::Float => ValueKind::Float,
            Arg::String | Arg::Text(_) => ValueKind::String,
            Arg::Bool => ValueKind::Bool,
            Arg::Nil => ValueKind::Nil,
            Arg::List(_) => ValueKind::List,
            Arg::Map(_) => ValueKind::Map,
            Arg::Unknown => return "a value",
        };
        kind.name()
    }
}

/// What is wrong with a map literal of `entries` for `record`, in the order the glue
/// finds it in a goost map: a key that is no field (in key order), then, field by field,
/// a required one left out or one of the wrong type.
fn record_mismatch(entries: &[(String, Arg)], record: &'static RecordType) -> Option<Wrong> {
    let mut keys: Vec<&str> = entries.iter().map(|(key, _)| key.as_str()).collect();
    keys.sort_unstable();
    if let Some(unknown) = keys
        .iter()
        .find(|key| !record.fields.iter().any(|f| f.name == **key))
    {
        let nearest = crate::nearest(unknown, record.fields.iter().map(|f| f.name), 1);
        return Some(Wrong::NotTheRecord(unknown_field(nearest.first().copied())));
    }
    record.fields.iter().find_map(
        |field| match entries.iter().find(|(key, _)| key == field.name) {
            None if matches!(field.ty, ScriptType::Optional(_)) => None,
            None => Some(Wrong::NotTheRecord(missing_field(field.name))),
            Some((_, item)) => item
                .mismatch(field.ty)
                .map(|wrong| wrong.inside(Step::Field(field.name), field.ty, |got| got)),
        },
    )
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

/// `argument 1 (a) field x expects float, got string`: a mistake inside a record
/// argument (or a list or map of records), at `path`, where `expected` goes, as the
/// run-time error and the checker both word it.
pub fn path_message(
    position: usize,
    name: &str,
    path: &[Step],
    expected: ScriptType,
    got: &dyn fmt::Display,
) -> String {
    format!(
        "argument {position} ({name}) {} expects {expected}, got {got}",
        path_words(path)
    )
}

/// `a map without the field `x``: a record argument that leaves out a required field.
pub fn missing_field(field: &str) -> String {
    format!("a map without the field `{field}`")
}

/// `a map with a field the record does not have (the nearest is `x`)`: a record argument
/// with a key that is no field of the record.
pub fn unknown_field(nearest: Option<&str>) -> String {
    match nearest {
        Some(nearest) => {
            format!("a map with a field the record does not have (the nearest is `{nearest}`)")
        }
        None => "a map with a field the record does not have".to_string(),
    }
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
        check_args(function, args)
    }

    /// The class whose objects the function `dotted` (`geo.path.new`) returns, if it
    /// returns one: what a variable assigned its result holds, for
    /// [`Checker::check_method`].
    pub fn returns_class(&self, dotted: &str) -> Option<&'static str> {
        let module = dotted.split('.').next().unwrap_or_default();
        match self.module(module)?.function(dotted)?.ret {
            ScriptType::Class(class) => Some(class.name),
            _ => None,
        }
    }

    /// What is wrong with a call of the method `name` on an object of the class `class`
    /// (`geo.Path`) with `args` (the arguments after the object); `None` when nothing is,
    /// or when the checker does not know the class. Worded as the call's run-time error.
    pub fn check_method(&self, class: &str, name: &str, args: &[Arg]) -> Option<String> {
        let module = class.split('.').next().unwrap_or_default();
        let declared = self.module(module)?.class(class)?;
        let Some(method) = declared.method(name) else {
            let methods = declared.methods.iter().map(|m| m.short.as_str());
            return Some(no_such_method(class, name, methods));
        };
        check_args(method, args)
    }
}

/// What is wrong with `args` for `function` (a function or a method): a wrong count, or
/// the first literal of the wrong type, under the function's signature.
fn check_args(function: &crate::Function, args: &[Arg]) -> Option<String> {
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
            let message = match arg.mismatch(param.ty)? {
                Wrong::Got(got) | Wrong::NotTheRecord(got) => {
                    argument_message(index + 1, &param.name, param.ty, &got)
                }
                Wrong::Inside(path, expected, got) => {
                    path_message(index + 1, &param.name, &path, expected, &got)
                }
            };
            Some(format!("{signature}: {message}"))
        })
}

/// `geo.Path has no method `psh`; the nearest are `push`, ...`: a method called on an
/// object whose class has none of that name (`methods` are the class's), as the run-time
/// error and the checker both word it.
pub fn no_such_method<'m>(
    class: &str,
    name: &str,
    methods: impl Iterator<Item = &'m str>,
) -> String {
    let near = crate::nearest(name, methods, 3);
    let hint = if near.is_empty() {
        "it has no methods bound".to_string()
    } else {
        let near: Vec<String> = near.iter().map(|m| format!("`{m}`")).collect();
        format!("the nearest are {}", near.join(", "))
    };
    format!("{class} has no method `{name}`; {hint}")
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
    fn a_mistake_inside_a_record_literal_is_named_by_its_path() {
        let spec = parse(
            "module m\nrecord m.P\n  field x: float\n    | X\nrecord m.Line\n  field a: m.P\n    | A\n  field tag: string?\n    | T\ngroup m.g\n  fn f(ps: list<m.P>, line: m.Line?) -> void\n    | F\n",
        )
        .unwrap();
        let checker = Checker::new([&spec]);
        let call = |args: &[Arg]| checker.check_call(Engine::Goost, "m.g.f", args);
        let point = |x: Arg| Arg::Map(vec![("x".into(), x)]);
        assert_eq!(call(&[Arg::List(vec![point(Arg::Int)]), Arg::Nil]), None);
        assert_eq!(
            call(&[Arg::List(vec![point(Arg::Int), point(Arg::Bool)])]),
            Some("m.g.f(ps: list<m.P>, line: m.Line?) -> void: argument 1 (ps) element 2 field x expects float, got bool".into())
        );
        assert_eq!(
            call(&[Arg::Unknown, Arg::Map(vec![("a".into(), Arg::Map(vec![]))])]),
            Some("m.g.f(ps: list<m.P>, line: m.Line?) -> void: argument 2 (line) field a expects m.P, got a map without the field `x`".into())
        );
        assert_eq!(
            call(&[Arg::Unknown, Arg::Map(vec![("a".into(), point(Arg::String))])]),
            Some("m.g.f(ps: list<m.P>, line: m.Line?) -> void: argument 2 (line) field a.x expects float, got string".into())
        );
        // A list element of a plain wrong type is still the list described.
        assert_eq!(
            call(&[Arg::List(vec![Arg::Int])]),
            Some("m.g.f(ps: list<m.P>, line: m.Line?) -> void: argument 1 (ps) expects list<m.P>, got a list whose element 1 is int".into())
        );
        // An empty Lua table constructor is a map without the record's required fields.
        assert_eq!(
            call(&[Arg::Unknown, Arg::List(vec![])]),
            Some("m.g.f(ps: list<m.P>, line: m.Line?) -> void: argument 2 (line) expects m.Line?, got a map without the field `a`".into())
        );
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
