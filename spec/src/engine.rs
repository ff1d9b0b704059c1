//! How each engine a module is bound to spells a spec's names and types: the one table
//! behind the Lua and Rhai definition files, the per-engine docs page and the script
//! checker's messages.

use std::fmt;

use crate::keywords;
use crate::{Function, ScriptType, Spec};

/// A scripting engine the binding layer serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Engine {
    /// The goost host: `import memory`, then `memory.buffer.new()`.
    Goost,
    /// Lua 5.4 through mlua: `local memory = require("memory")`, then `memory.buffer.new()`.
    Lua,
    /// Rhai: a static module, `memory::buffer::new()`.
    Rhai,
}

impl Engine {
    /// Every engine, in the order the docs show them.
    pub const ALL: [Engine; 3] = [Engine::Goost, Engine::Lua, Engine::Rhai];

    /// The engine's name as the docs and the command write it: `goost`, `Lua`, `Rhai`.
    pub const fn name(self) -> &'static str {
        match self {
            Engine::Goost => "goost",
            Engine::Lua => "Lua",
            Engine::Rhai => "Rhai",
        }
    }

    /// The line a script writes to reach `module` (empty for Rhai: a static module needs
    /// no import).
    pub fn import_line(self, module: &str) -> String {
        match self {
            Engine::Goost => format!("import {module}"),
            Engine::Lua => format!("local {module} = require(\"{module}\")"),
            Engine::Rhai => String::new(),
        }
    }

    /// The path a script calls: `memory.buffer.write` (goost), the same in Lua with a
    /// part that is a Lua keyword indexed (`text.fmt["repeat"]`), or
    /// `memory::buffer::write` (Rhai).
    pub fn path(self, dotted: &str) -> String {
        match self {
            Engine::Goost => dotted.to_string(),
            Engine::Lua => keywords::lua_path(dotted),
            Engine::Rhai => dotted.replace('.', "::"),
        }
    }

    /// The engine's name for a script type, as its own tools write it: LuaLS/EmmyLua
    /// annotations for Lua (`integer`, `string[]`, `number?`), the names
    /// `Engine::definitions()` prints for Rhai (`int`, `string`, `array`, `?` for a value
    /// that may be `()`).
    pub fn type_name(self, ty: ScriptType) -> String {
        match self {
            Engine::Goost => ty.to_string(),
            Engine::Lua => match ty {
                ScriptType::Int => "integer".into(),
                ScriptType::Float => "number".into(),
                ScriptType::String => "string".into(),
                ScriptType::Bool => "boolean".into(),
                ScriptType::Void => "nil".into(),
                ScriptType::List(element) => match element {
                    ScriptType::Optional(_) => format!("({})[]", self.type_name(*element)),
                    _ => format!("{}[]", self.type_name(*element)),
                },
                ScriptType::Optional(inner) => format!("{}?", self.type_name(*inner)),
                ScriptType::Map(value) => format!("table<string, {}>", self.type_name(*value)),
                // A `---@class` and an `---@alias` of the definitions, by their names.
                ScriptType::Record(record) => record.name.into(),
                ScriptType::Enum(choice) => choice.name.into(),
                ScriptType::Class(class) => class.name.into(),
            },
            Engine::Rhai => match ty {
                ScriptType::Int => "int".into(),
                ScriptType::Float => "float".into(),
                ScriptType::String => "string".into(),
                ScriptType::Bool => "bool".into(),
                ScriptType::Void => "()".into(),
                ScriptType::List(_) => "array".into(),
                ScriptType::Optional(_) => "?".into(),
                ScriptType::Map(_) | ScriptType::Record(_) => "map".into(),
                ScriptType::Enum(_) => "string".into(),
                // A custom type, by the class's name.
                ScriptType::Class(class) => class.name.into(),
            },
        }
    }

    /// The usual Rust type of a script type, as a module author writes it (in the stub
    /// the registry shows for a missing native): borrowed text for a parameter string,
    /// owned for a result.
    pub fn usual_rust_type(ty: ScriptType, parameter: bool) -> String {
        match ty {
            ScriptType::Int => "i64".to_string(),
            ScriptType::Float => "f64".to_string(),
            ScriptType::String if parameter => "&str".to_string(),
            ScriptType::String => "String".to_string(),
            ScriptType::Bool => "bool".to_string(),
            ScriptType::Void => "()".to_string(),
            ScriptType::List(element) => {
                format!("Vec<{}>", Engine::usual_rust_type(*element, false))
            }
            ScriptType::Optional(inner) => {
                format!("Option<{}>", Engine::usual_rust_type(*inner, parameter))
            }
            ScriptType::Map(value) => format!(
                "HashMap<String, {}>",
                Engine::usual_rust_type(*value, false)
            ),
            // The author's own struct or enum, by the spec type's name.
            ScriptType::Record(record) => short_type_name(record.name).to_string(),
            ScriptType::Enum(choice) => short_type_name(choice.name).to_string(),
            ScriptType::Class(class) => short_type_name(class.name).to_string(),
        }
    }

    /// The Rust type the engine's bridge exchanges a script type as, spelled as Rhai's
    /// metadata records a typed registration (`i64`, `ImmutableString`, `rhai::Array`):
    /// what a typed Rhai registration of the function would declare.
    pub fn rhai_rust_type(ty: ScriptType) -> &'static str {
        match ty {
            ScriptType::Int => "i64",
            ScriptType::Float => "f64",
            ScriptType::String => "ImmutableString",
            ScriptType::Bool => "bool",
            ScriptType::Void => "()",
            ScriptType::List(_) => "rhai::Array",
            ScriptType::Optional(_) => "Dynamic",
            ScriptType::Map(_) | ScriptType::Record(_) => "rhai::Map",
            ScriptType::Enum(_) => "ImmutableString",
            ScriptType::Class(class) => class.name,
        }
    }

    /// `function`'s signature in this engine's syntax and types (in Lua and Rhai, a
    /// parameter the caller may leave out is marked `name?`):
    /// `memory.buffer.write(id: int, data: string) -> bool`,
    /// `memory.buffer.write(id: integer, data: string): boolean`,
    /// `memory::buffer::write(id: int, data: string) -> bool`.
    pub fn signature(self, function: &Function) -> String {
        let params: Vec<String> = function
            .params
            .iter()
            .map(|p| match (self, p.ty) {
                (Engine::Lua | Engine::Rhai, ScriptType::Optional(_)) => {
                    format!("{}?: {}", p.name, self.type_name(p.ty.when_passed()))
                }
                _ => format!("{}: {}", p.name, self.type_name(p.ty)),
            })
            .collect();
        let path = self.path(&function.name);
        let params = params.join(", ");
        match self {
            Engine::Lua if function.ret == ScriptType::Void => format!("{path}({params})"),
            Engine::Lua => format!("{path}({params}): {}", self.type_name(function.ret)),
            _ => format!("{path}({params}) -> {}", self.type_name(function.ret)),
        }
    }
}

impl Engine {
    /// Whether Rhai reserves `name`, so that its definitions print a function of that
    /// name as an operator (`op new() -> int;`).
    pub fn rhai_reserves(name: &str) -> bool {
        keywords::is_rhai_reserved(name) || keywords::RHAI_KEYWORDS.contains(&name)
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The line every generated artifact opens with (in its own comment syntax), naming the
/// spec and its version: `Generated from spec/memory.spec (memory 0.1.0) by goost-memory.
/// Do not edit by hand.`
pub fn provenance(spec: &Spec, spec_path: &str) -> String {
    let version = spec
        .version
        .as_deref()
        .map(|v| format!(" ({} {v})", spec.module))
        .unwrap_or_default();
    format!("Generated from {spec_path}{version} by goost-memory. Do not edit by hand.")
}

/// The part of a declared type's name after the module: `Point` of `geo.Point`.
fn short_type_name(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn each_engine_spells_a_signature_in_its_own_types() {
        let spec = parse(
            "module m\ngroup m.g\n  fn f(xs: list<float>, n: int?) -> string?\n    | F\n  fn g() -> void\n    | G\n",
        )
        .unwrap();
        let f = spec.function("m.g.f").unwrap();
        assert_eq!(
            Engine::Goost.signature(f),
            "m.g.f(xs: list<float>, n: int?) -> string?"
        );
        assert_eq!(
            Engine::Lua.signature(f),
            "m.g.f(xs: number[], n?: integer): string?"
        );
        assert_eq!(
            Engine::Rhai.signature(f),
            "m::g::f(xs: array, n?: int) -> ?"
        );
        let g = spec.function("m.g.g").unwrap();
        assert_eq!(Engine::Lua.signature(g), "m.g.g()");
        assert_eq!(Engine::Rhai.signature(g), "m::g::g() -> ()");
        assert_eq!(
            Engine::Lua.type_name(ScriptType::List(&ScriptType::Optional(&ScriptType::Int))),
            "(integer?)[]"
        );
    }

    #[test]
    fn the_provenance_line_carries_the_version() {
        let spec = parse("module m\nversion 2.1.0\n").unwrap();
        assert_eq!(
            provenance(&spec, "spec/m.spec"),
            "Generated from spec/m.spec (m 2.1.0) by goost-memory. Do not edit by hand."
        );
    }
}
