//! The Lua definition file of a spec: a LuaLS/EmmyLua `---@meta` file, so that an editor
//! (or `emmylua_check`) knows every function `require("memory")` returns, with its
//! parameter and result types and its description. Its header states how an `integer`
//! crosses on a Lua without integers (goost-lua's `flavour`).
//!
//! Each group is a `---@class` named by its dotted path (`memory.buffer`), held in the
//! field of its parent; each function is declared with `---@param` and `---@return`
//! lines. A parameter the caller may leave out is written `name?`.
//!
//! Names that are Lua keywords stay callable: a group or function so named is indexed by
//! its string (`text.fmt["repeat"] = function(s, times) end`, which LuaLS and EmmyLua
//! read as a declaration), and a parameter so named gets a `_` after it (`end_`).

use std::collections::BTreeSet;

use crate::Spec;
use crate::engine::{Engine, provenance};
use crate::keywords::{lua_param_name, lua_path};

/// The whole `---@meta` file for `spec`, ending with a newline.
pub fn render(spec: &Spec, spec_path: &str) -> String {
    let lua = Engine::Lua;
    let module = &spec.module;
    let mut out = vec![
        format!("---@meta {module}"),
        format!("-- {}", provenance(spec, spec_path)),
        "-- An `integer` is a Lua integer on Lua 5.3 and 5.4. On Lua 5.1, 5.2, LuaJIT and Luau,"
            .into(),
        "-- whose numbers are doubles, it is a number with an integral value within".into(),
        "-- ±(2^53 - 1), both ways: any other number is refused, and a larger result is an error."
            .into(),
        String::new(),
    ];
    if !spec.summary.is_empty() {
        out.push(format!("---{}", spec.summary));
    }
    if !spec.text.is_empty() {
        out.push("---".into());
        out.extend(spec.text.iter().map(|line| format!("---{line}")));
    }
    out.push(format!("---@class {module}"));
    out.push(format!("local {module} = {{}}"));

    // Records as classes with their fields, enums as aliases of their strings: LuaLS and
    // EmmyLua then check a table literal's fields and an enum's string where one is passed.
    for record in &spec.records {
        out.push(String::new());
        out.extend(record.text.iter().map(|line| format!("---{line}")));
        out.push(format!("---@class {}", record.name));
        for field in &record.fields {
            let name = if field.ty.is_optional() {
                format!("{}?", field.name)
            } else {
                field.name.clone()
            };
            let ty = lua.type_name(field.ty.when_passed());
            out.push(format!("---@field {name} {ty} {}", field.description));
        }
    }
    for choice in &spec.enums {
        out.push(String::new());
        out.extend(choice.text.iter().map(|line| format!("---{line}")));
        let values: Vec<String> = choice
            .values
            .iter()
            .map(|v| format!("\"{}\"", v.name))
            .collect();
        out.push(format!("---@alias {} {}", choice.name, values.join("|")));
    }

    // Every table between the module and a group's functions, parents first: a group
    // `m.a.b` needs `m.a` to exist even when no group is called `m.a`.
    let tables: BTreeSet<&str> = spec
        .groups
        .iter()
        .flat_map(|group| {
            group
                .name
                .match_indices('.')
                .skip(1)
                .map(|(at, _)| &group.name[..at])
                .chain([group.name.as_str()])
        })
        .collect();
    for table in tables
        .iter()
        .filter(|t| !spec.groups.iter().any(|g| g.name == **t))
    {
        out.push(String::new());
        out.push(format!("---@class {table}"));
        out.push(format!("{} = {{}}", lua_path(table)));
    }
    for group in &spec.groups {
        out.push(String::new());
        out.extend(group.text.iter().map(|line| format!("---{line}")));
        out.push(format!("---@class {}", group.name));
        out.push(format!("{} = {{}}", lua_path(&group.name)));
        for function in &group.functions {
            out.push(String::new());
            let names = annotations(function, &mut out);
            let path = lua_path(&function.name);
            out.push(if path == function.name {
                format!("function {path}({}) end", names.join(", "))
            } else {
                format!("{path} = function({}) end", names.join(", "))
            });
        }
    }
    // A class is a `---@class` over a local table whose methods are declared with `:`,
    // so a checker knows `p:push(x, y)` on a value a constructor returned.
    for class in &spec.classes {
        let table = format!("__{}", class.name.replace('.', "_"));
        out.push(String::new());
        out.extend(class.text.iter().map(|line| format!("---{line}")));
        out.push(format!("---@class {}", class.name));
        out.push(format!("local {table} = {{}}"));
        for method in &class.methods {
            out.push(String::new());
            let names = annotations(method, &mut out);
            out.push(format!(
                "function {table}:{}({}) end",
                method.short,
                names.join(", ")
            ));
        }
    }
    out.push(String::new());
    out.push(format!("return {module}"));
    let mut file = out.join("\n");
    file.push('\n');
    file
}

/// Pushes `function`'s description, `---@param` and `---@return` lines onto `out`, and
/// gives its parameters' names as Lua declares them.
fn annotations(function: &crate::Function, out: &mut Vec<String>) -> Vec<String> {
    let lua = Engine::Lua;
    out.push(format!("---{}", function.description));
    for param in &function.params {
        let name = lua_param_name(&param.name);
        let name = if param.ty.is_optional() {
            format!("{name}?")
        } else {
            name
        };
        let ty = lua.type_name(param.ty.when_passed());
        out.push(format!("---@param {name} {ty}"));
    }
    if function.ret != crate::ScriptType::Void {
        out.push(format!("---@return {}", lua.type_name(function.ret)));
    }
    function
        .params
        .iter()
        .map(|p| lua_param_name(&p.name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn declares_each_group_as_a_class_and_each_function_with_its_types() {
        let spec = parse(
            "module m\nversion 1.0.0\nsummary S.\ngroup m.a.b\n  text\n    | Group text.\n  fn f(xs: list<int>, n: float?) -> string?\n    | Does f\n  fn g() -> void\n    | Does g\n",
        )
        .unwrap();
        assert_eq!(
            render(&spec, "m.spec"),
            "---@meta m\n\
             -- Generated from m.spec (m 1.0.0) by goost-memory. Do not edit by hand.\n\
             -- An `integer` is a Lua integer on Lua 5.3 and 5.4. On Lua 5.1, 5.2, LuaJIT and Luau,\n\
             -- whose numbers are doubles, it is a number with an integral value within\n\
             -- ±(2^53 - 1), both ways: any other number is refused, and a larger result is an error.\n\
             \n\
             ---S.\n\
             ---@class m\n\
             local m = {}\n\
             \n\
             ---@class m.a\n\
             m.a = {}\n\
             \n\
             ---Group text.\n\
             ---@class m.a.b\n\
             m.a.b = {}\n\
             \n\
             ---Does f\n\
             ---@param xs integer[]\n\
             ---@param n? number\n\
             ---@return string?\n\
             function m.a.b.f(xs, n) end\n\
             \n\
             ---Does g\n\
             function m.a.b.g() end\n\
             \n\
             return m\n"
        );
    }

    #[test]
    fn a_name_that_is_a_lua_keyword_is_indexed_and_a_parameter_renamed() {
        let spec = parse(
            "module text\ngroup text.end\n  fn repeat(s: string, end: int?) -> string\n    | Repeats s\n",
        )
        .unwrap();
        let file = render(&spec, "text.spec");
        let body = file.split_once("local text = {}\n").unwrap().1;
        assert_eq!(
            body,
            "\n\
             ---@class text.end\n\
             text[\"end\"] = {}\n\
             \n\
             ---Repeats s\n\
             ---@param s string\n\
             ---@param end_? integer\n\
             ---@return string\n\
             text[\"end\"][\"repeat\"] = function(s, end_) end\n\
             \n\
             return text\n"
        );
    }

    #[test]
    fn a_record_is_a_class_with_fields_and_an_enum_an_alias_of_its_strings() {
        let spec = parse("module m\nrecord m.P\n  text\n    | A point.\n  field x: float\n    | East\n  field tag: string?\n    | A name\nenum m.U\n  value km\n    | Kilometres\n  value mi\n    | Miles\ngroup m.g\n  fn f(p: m.P, u: m.U?) -> map<int>\n    | Does f\n").unwrap();
        let file = render(&spec, "m.spec");
        assert!(
            file.contains(
                "local m = {}\n\n---A point.\n---@class m.P\n---@field x number East\n---@field tag? string A name\n\n---@alias m.U \"km\"|\"mi\"\n"
            ),
            "{file}"
        );
        assert!(
            file.contains("---@param p m.P\n---@param u? m.U\n---@return table<string, integer>\n"),
            "{file}"
        );
    }
}
