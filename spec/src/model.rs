//! The spec model: a module, its groups and functions, each function's script types.

use std::fmt;

/// A script-visible type. The set is closed; the Rust side of each is a trait impl in
/// the binding layer (`FromValue`/`IntoValue`), so the macro can check a function's
/// types through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScriptType {
    /// `int`: a signed 64-bit integer (`i64`).
    Int,
    /// `string`: text.
    String,
    /// `bool`.
    Bool,
    /// `void`: no value (results only).
    Void,
}

impl ScriptType {
    /// Every script type, in the order the spec format lists them.
    pub const ALL: [ScriptType; 4] = [
        ScriptType::Int,
        ScriptType::String,
        ScriptType::Bool,
        ScriptType::Void,
    ];

    /// Equality usable in constants (the macro's compile-time type checks use it).
    pub const fn is(self, other: ScriptType) -> bool {
        self as u8 == other as u8
    }

    /// The name used in spec files and signatures: `int`, `string`, `bool`, `void`.
    pub const fn name(self) -> &'static str {
        match self {
            ScriptType::Int => "int",
            ScriptType::String => "string",
            ScriptType::Bool => "bool",
            ScriptType::Void => "void",
        }
    }

    /// The type a spec names `word`, if any.
    pub fn parse(word: &str) -> Option<ScriptType> {
        ScriptType::ALL.into_iter().find(|ty| ty.name() == word)
    }
}

impl fmt::Display for ScriptType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
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

impl Function {
    /// The canonical signature: `memory.buffer.write(id: int, data: string) -> bool`.
    pub fn signature(&self) -> String {
        self.signature_with_arrow("->")
    }

    /// The signature with a chosen arrow (`→` in the generated docs, as the seed page has it).
    pub fn signature_with_arrow(&self, arrow: &str) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| format!("{}: {}", p.name, p.ty.name()))
            .collect();
        format!(
            "{}({}) {arrow} {}",
            self.name,
            params.join(", "),
            self.ret.name()
        )
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
    /// The one-line summary.
    pub summary: String,
    /// The module's intro lines.
    pub text: Vec<String>,
    /// Its groups, in file order.
    pub groups: Vec<Group>,
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
    pub fn display_at(&self, path: &str) -> String {
        format!("{path}:{}:{}: {}", self.line, self.col, self.message)
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}
