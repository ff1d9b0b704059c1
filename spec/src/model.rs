//! The spec model: a module, its groups and functions, each function's script types.

use std::fmt;

use crate::keep::keep;

/// A script-visible type. The set is closed; the Rust side of each is a trait impl in
/// the binding layer (`FromValue`/`IntoValue`), so the macro can check a function's
/// types through them. Nested types are `&'static`, so a type is `Copy` and usable in
/// constants (each impl's `TYPE`); the parser keeps one copy of each nested type it
/// meets for the life of the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScriptType {
    /// `int`: a signed 64-bit integer (`i64`).
    Int,
    /// `float`: a 64-bit float (`f64`).
    Float,
    /// `string`: bytes, usually UTF-8 text.
    String,
    /// `bool`.
    Bool,
    /// `void`: no value (results only).
    Void,
    /// `list<T>`: a sequence of `T` (any type but `void`).
    List(&'static ScriptType),
    /// `T?`: a `T` or nothing (`nil`); `T` is neither `void` nor optional itself.
    Optional(&'static ScriptType),
    /// `map<T>`: a dictionary from string keys to `T` (any type but `void`).
    Map(&'static ScriptType),
    /// A record the spec declares (`geo.Point`): named fields, each of its own type.
    Record(&'static RecordType),
    /// An enum the spec declares (`geo.Unit`): one of a closed set of names, passed as a
    /// string in every engine.
    Enum(&'static EnumType),
    /// A class the spec declares (`geo.Path`): an object with methods, held by reference.
    Class(&'static ClassType),
}

/// A declared class as a type: its name (its methods are in the spec's [`Class`]).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ClassType {
    /// `geo.Path`.
    pub name: &'static str,
}

/// A declared record as a type: its name and its fields' names and types, in order.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RecordType {
    /// `geo.Point`.
    pub name: &'static str,
    /// The fields, in the spec's order.
    pub fields: &'static [FieldType],
}

/// One field of a [`RecordType`].
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct FieldType {
    /// `x`.
    pub name: &'static str,
    /// Its type; a `T?` field may be left out.
    pub ty: ScriptType,
}

/// A declared enum as a type: its name and its values, in order.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct EnumType {
    /// `geo.Unit`.
    pub name: &'static str,
    /// The names it may take: `m`, `km`, `mi`.
    pub values: &'static [&'static str],
}

/// Byte-wise equality usable in constants.
const fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Where a type failed to parse, and why (a byte offset into the text given).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeError {
    /// Byte offset of the offending part.
    pub at: usize,
    /// What is wrong there.
    pub message: String,
}

impl ScriptType {
    /// The class a value of this type may be an object of (itself, or inside a list, map
    /// or optional), if any: where a value of it may hold objects.
    pub const fn class_within(self) -> Option<&'static ClassType> {
        match self {
            ScriptType::Class(class) => Some(class),
            ScriptType::List(inner) | ScriptType::Map(inner) | ScriptType::Optional(inner) => {
                inner.class_within()
            }
            _ => None,
        }
    }

    /// The types without parts, in the order the spec format lists them.
    pub const BASE: [ScriptType; 5] = [
        ScriptType::Int,
        ScriptType::Float,
        ScriptType::String,
        ScriptType::Bool,
        ScriptType::Void,
    ];

    /// Equality usable in constants (the macro's compile-time type checks use it).
    pub const fn is(self, other: ScriptType) -> bool {
        match (self, other) {
            (ScriptType::List(a), ScriptType::List(b))
            | (ScriptType::Optional(a), ScriptType::Optional(b))
            | (ScriptType::Map(a), ScriptType::Map(b)) => a.is(*b),
            // A spec declares a name once, so the name is the type.
            (ScriptType::Record(a), ScriptType::Record(b)) => same_str(a.name, b.name),
            (ScriptType::Enum(a), ScriptType::Enum(b)) => same_str(a.name, b.name),
            (ScriptType::Class(a), ScriptType::Class(b)) => same_str(a.name, b.name),
            _ => self.tag() == other.tag(),
        }
    }

    /// Which kind of type this is (its variant), as a number.
    const fn tag(self) -> u8 {
        match self {
            ScriptType::Int => 0,
            ScriptType::Float => 1,
            ScriptType::String => 2,
            ScriptType::Bool => 3,
            ScriptType::Void => 4,
            ScriptType::List(_) => 5,
            ScriptType::Optional(_) => 6,
            ScriptType::Map(_) => 7,
            ScriptType::Record(_) => 8,
            ScriptType::Enum(_) => 9,
            ScriptType::Class(_) => 10,
        }
    }

    /// The name of a type without parts (`int`, ...); `list`, `optional`, `map`, `record`,
    /// `enum` and `class` for the others.
    pub const fn kind_name(self) -> &'static str {
        match self {
            ScriptType::Int => "int",
            ScriptType::Float => "float",
            ScriptType::String => "string",
            ScriptType::Bool => "bool",
            ScriptType::Void => "void",
            ScriptType::List(_) => "list",
            ScriptType::Optional(_) => "optional",
            ScriptType::Map(_) => "map",
            ScriptType::Record(_) => "record",
            ScriptType::Enum(_) => "enum",
            ScriptType::Class(_) => "class",
        }
    }

    /// Whether a caller may leave an argument of this type out (it is optional).
    pub const fn is_optional(self) -> bool {
        matches!(self, ScriptType::Optional(_))
    }

    /// The type of an argument a caller does pass: `T` for `T?`, itself otherwise.
    pub const fn when_passed(self) -> ScriptType {
        match self {
            ScriptType::Optional(inner) => *inner,
            other => other,
        }
    }

    /// The type a spec writes as `text` (`int`, `list<string>`, `int?`, ...), if any.
    pub fn parse(text: &str) -> Option<ScriptType> {
        ScriptType::parse_with_error(text).ok()
    }

    /// How deeply a type may nest (`list<list<...>>`, `T?`): as deep as a script list may
    /// (a value nested deeper could never be passed), and a bound on the parser's recursion.
    pub const MAX_NESTING: usize = 64;

    /// [`ScriptType::parse`], saying where and why `text` is not a type. A declared name
    /// (`geo.Point`) is an error here: [`ScriptType::parse_with_names`] resolves those.
    pub fn parse_with_error(text: &str) -> Result<ScriptType, TypeError> {
        ScriptType::parse_with_names(text, &|name| {
            Err(format!(
                "unknown type `{name}`: no record, enum or class of that name is declared"
            ))
        })
    }

    /// [`ScriptType::parse_with_error`] where a declared type's name (`module.Name`, the
    /// type name capitalized) is resolved by `names`, which says why when it cannot.
    pub fn parse_with_names(text: &str, names: &NameResolver<'_>) -> Result<ScriptType, TypeError> {
        ScriptType::parse_nested(text, 0, names)
    }

    /// [`ScriptType::parse_with_names`] for a type inside `depth` others.
    fn parse_nested(
        text: &str,
        depth: usize,
        names: &NameResolver<'_>,
    ) -> Result<ScriptType, TypeError> {
        if depth > ScriptType::MAX_NESTING {
            return Err(TypeError {
                at: 0,
                message: format!(
                    "the type nests more than {} levels deep",
                    ScriptType::MAX_NESTING
                ),
            });
        }
        let trimmed = text.trim_end();
        if let Some(inner) = trimmed.strip_suffix('?') {
            let inside = ScriptType::parse_nested(inner, depth + 1, names)?;
            return match inside {
                ScriptType::Void | ScriptType::Optional(_) => Err(TypeError {
                    at: 0,
                    message: format!(
                        "`{trimmed}`: `?` makes a value optional; `{inside}` cannot be"
                    ),
                }),
                inside => Ok(ScriptType::Optional(keep(inside))),
            };
        }
        for (container, make) in [
            (
                "list",
                ScriptType::List as fn(&'static ScriptType) -> ScriptType,
            ),
            ("map", ScriptType::Map),
        ] {
            let Some(rest) = trimmed.strip_prefix(container) else {
                continue;
            };
            let rest_trimmed = rest.trim_start();
            let Some(inner) = rest_trimmed
                .strip_prefix('<')
                .and_then(|r| r.strip_suffix('>'))
            else {
                continue;
            };
            let inner_at = trimmed.len() - rest_trimmed.len() + 1;
            let lead = inner.len() - inner.trim_start().len();
            let element =
                ScriptType::parse_nested(inner.trim_start(), depth + 1, names).map_err(|e| {
                    TypeError {
                        at: inner_at + lead + e.at,
                        message: e.message,
                    }
                })?;
            if element == ScriptType::Void {
                return Err(TypeError {
                    at: inner_at + lead,
                    message: format!("a {container} cannot hold `void`"),
                });
            }
            return Ok(make(keep(element)));
        }
        if let Some(ty) = ScriptType::BASE
            .into_iter()
            .find(|ty| ty.kind_name() == trimmed)
        {
            return Ok(ty);
        }
        if is_type_name(trimmed) {
            return names(trimmed).map_err(|message| TypeError { at: 0, message });
        }
        Err(TypeError {
            at: 0,
            message: format!(
                "unknown type `{trimmed}`: expected `int`, `float`, `string`, `bool`, `void`, `list<T>`, `map<T>`, `T?` or a declared record, enum or class (`module.Name`)"
            ),
        })
    }
}

/// How a type's parser resolves a declared name (`geo.Point`): the type, or why not.
pub type NameResolver<'a> = dyn Fn(&str) -> Result<ScriptType, String> + 'a;

/// Whether `text` has the shape of a declared type's name: `module.Name`, the module's
/// name, a dot, and a name that starts with a capital letter.
pub fn is_type_name(text: &str) -> bool {
    let Some((module, name)) = text.split_once('.') else {
        return false;
    };
    let identifier = |word: &str| {
        let mut chars = word.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    identifier(module) && identifier(name) && name.starts_with(|c: char| c.is_ascii_uppercase())
}

impl fmt::Display for ScriptType {
    /// As a spec writes it: `int`, `list<string>`, `float?`, `map<int>`, `geo.Point`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScriptType::List(element) => write!(f, "list<{element}>"),
            ScriptType::Optional(inner) => write!(f, "{inner}?"),
            ScriptType::Map(value) => write!(f, "map<{value}>"),
            ScriptType::Record(record) => f.write_str(record.name),
            ScriptType::Enum(choice) => f.write_str(choice.name),
            ScriptType::Class(class) => f.write_str(class.name),
            base => f.write_str(base.kind_name()),
        }
    }
}

/// One parameter of a spec function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// The parameter's name.
    pub name: String,
    /// Its script type.
    pub ty: ScriptType,
}

/// One function of a group, e.g. `memory.buffer.write`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    /// The full dotted name: `memory.buffer.write`.
    pub name: String,
    /// The last segment: `write`.
    pub short: String,
    /// The script parameters, in order.
    pub params: Vec<Param>,
    /// The result type.
    pub ret: ScriptType,
    /// The one-line description.
    pub description: String,
    /// 1-based line of the `fn` keyword.
    pub line: usize,
}

/// How many arguments a caller must pass to a function whose parameters have the types
/// `types`: those before the trailing optional ones (a caller may leave those out). The
/// one rule, for the spec's [`Function`] and the registry's `FnSpec`.
pub fn required_count(
    mut types: impl DoubleEndedIterator<Item = ScriptType> + ExactSizeIterator,
) -> usize {
    types
        .rposition(|ty| !ty.is_optional())
        .map_or(0, |last| last + 1)
}

/// The kinds of a script value, by the word errors use for what an argument was: `nil`,
/// `int`, `float`, `bool`, `string`, `list`, `map`. Every host's value (the goost interpreter's,
/// an argument lent by an engine, a literal the checker reads) names itself by these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// `nil` (a value of type `void`, or an optional argument left out).
    Nil,
    /// `int`.
    Int,
    /// `float`.
    Float,
    /// `bool`.
    Bool,
    /// `string`.
    String,
    /// `list`.
    List,
    /// `map`.
    Map,
}

impl ValueKind {
    /// The word for a value of this kind.
    pub const fn name(self) -> &'static str {
        match self {
            ValueKind::Nil => "nil",
            ValueKind::Int => "int",
            ValueKind::Float => "float",
            ValueKind::Bool => "bool",
            ValueKind::String => "string",
            ValueKind::List => "list",
            ValueKind::Map => "map",
        }
    }
}

impl Function {
    /// How many arguments a caller must pass: the parameters before the trailing
    /// optional ones.
    pub fn required_params(&self) -> usize {
        required_count(self.params.iter().map(|p| p.ty))
    }

    /// The canonical signature: `memory.buffer.write(id: int, data: string) -> bool`.
    pub fn signature(&self) -> String {
        self.signature_with_arrow("->")
    }

    /// The signature with a chosen arrow (`→` in the generated docs, as the seed page has it).
    pub fn signature_with_arrow(&self, arrow: &str) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| format!("{}: {}", p.name, p.ty))
            .collect();
        format!("{}({}) {arrow} {}", self.name, params.join(", "), self.ret)
    }
}

/// A group of functions, e.g. `memory.buffer`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The full dotted name: `memory.buffer`.
    pub name: String,
    /// Intro lines shown above the group's table.
    pub text: Vec<String>,
    /// Its functions, in file order.
    pub functions: Vec<Function>,
}

/// A record the spec declares (`record geo.Point`): a value with named fields, a table
/// with string keys in Lua and an object map in Rhai.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// `geo.Point`.
    pub name: String,
    /// Intro lines shown above its table of fields.
    pub text: Vec<String>,
    /// Its fields, in file order.
    pub fields: Vec<Field>,
    /// 1-based line of the `record` keyword.
    pub line: usize,
}

/// One field of a [`Record`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// `x`.
    pub name: String,
    /// Its script type; a `T?` field may be left out.
    pub ty: ScriptType,
    /// The one-line description.
    pub description: String,
    /// 1-based line of the `field` keyword.
    pub line: usize,
}

/// An enum the spec declares (`enum geo.Unit`): one of a closed set of names, passed as a
/// string in every engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enum {
    /// `geo.Unit`.
    pub name: String,
    /// Intro lines shown above its table of values.
    pub text: Vec<String>,
    /// Its values, in file order.
    pub values: Vec<EnumValue>,
    /// 1-based line of the `enum` keyword.
    pub line: usize,
}

/// One value of an [`Enum`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumValue {
    /// `km`.
    pub name: String,
    /// The one-line description.
    pub description: String,
    /// 1-based line of the `value` keyword.
    pub line: usize,
}

/// A class the spec declares (`class geo.Path`): an object a script holds and calls
/// methods on, with Rust behind it. Constructors are ordinary functions that return it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Class {
    /// `geo.Path`.
    pub name: String,
    /// Intro lines shown above its table of methods.
    pub text: Vec<String>,
    /// Its methods, in file order: each a [`Function`] named `geo.Path.push`, whose
    /// parameters are those after the object itself.
    pub methods: Vec<Function>,
    /// 1-based line of the `class` keyword.
    pub line: usize,
}

impl Class {
    /// The class as a script type (kept for the life of the process).
    pub fn ty(&self) -> ScriptType {
        ScriptType::Class(crate::keep::keep_class(&self.name))
    }

    /// The method with this short name (`push`).
    pub fn method(&self, short: &str) -> Option<&Function> {
        self.methods.iter().find(|m| m.short == short)
    }
}

impl Record {
    /// The record as a script type (kept for the life of the process, as nested types are).
    pub fn ty(&self) -> ScriptType {
        ScriptType::Record(crate::keep::keep_record(
            &self.name,
            self.fields.iter().map(|f| (f.name.as_str(), f.ty)),
        ))
    }
}

impl Enum {
    /// The enum as a script type (kept for the life of the process).
    pub fn ty(&self) -> ScriptType {
        ScriptType::Enum(crate::keep::keep_enum(
            &self.name,
            self.values.iter().map(|v| v.name.as_str()),
        ))
    }
}

/// A code example, shown at the end of the generated page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The language of the code block: `goost`.
    pub lang: String,
    /// The code, a line each.
    pub lines: Vec<String>,
}

/// A whole parsed spec file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// The module name: `memory`.
    pub module: String,
    /// The spec's version (`version 1.2.0`), carried into every generated artifact and
    /// compared by `spec diff`; `None` when the spec has no `version` line.
    pub version: Option<String>,
    /// The one-line summary.
    pub summary: String,
    /// The module's intro lines.
    pub text: Vec<String>,
    /// Its groups, in file order.
    pub groups: Vec<Group>,
    /// The records it declares, in file order.
    pub records: Vec<Record>,
    /// The enums it declares, in file order.
    pub enums: Vec<Enum>,
    /// The classes it declares, in file order.
    pub classes: Vec<Class>,
    /// The code example, if any.
    pub example: Option<Example>,
}

impl Spec {
    /// Every function of every group, in file order.
    pub fn functions(&self) -> impl Iterator<Item = &Function> {
        self.groups.iter().flat_map(|g| g.functions.iter())
    }

    /// The function with this full dotted name.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions().find(|f| f.name == name)
    }

    /// The class with this name (`geo.Path`).
    pub fn class(&self, name: &str) -> Option<&Class> {
        self.classes.iter().find(|c| c.name == name)
    }

    /// Every method of every class, each with its class, in file order.
    pub fn methods(&self) -> impl Iterator<Item = (&Class, &Function)> {
        self.classes
            .iter()
            .flat_map(|class| class.methods.iter().map(move |method| (class, method)))
    }
}

/// A syntax error at a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// What is wrong there.
    pub message: String,
}

impl SpecError {
    /// The error as `PATH:LINE:COL: message`.
    pub fn display_in(&self, path: &str) -> String {
        format!("{path}:{self}")
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}
