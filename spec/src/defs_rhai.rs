//! The Rhai definition file of a spec (`memory.d.rhai`), in the layout Rhai's own
//! `Engine::definitions()` prints for a static module registered with typed parameters:
//! a `module` block per group, sorted by name, and a `fn` per argument count a caller may
//! pass (a function with optional parameters is one overload per count), sorted by name
//! and count, each under its description as a `///` comment.
//!
//! The file is that text exactly, after two `//` lines naming the spec and the module's
//! summary; a test registers the memory spec with typed parameters and compares.

use std::collections::BTreeMap;

use crate::engine::{Engine, provenance};
use crate::{Function, Spec};

/// The whole definition file for `spec`, ending with a newline.
pub fn render(spec: &Spec, spec_path: &str) -> String {
    let mut out = format!("// {}\n", provenance(spec, spec_path));
    if !spec.summary.is_empty() {
        out.push_str(&format!("// {}: {}\n", spec.module, spec.summary));
    }
    // Rhai has no declared record or enum types: a record is a `Map` and an enum a
    // `string`, so their shapes are stated here, as comments.
    for record in &spec.records {
        let fields: Vec<String> = record
            .fields
            .iter()
            .map(|f| {
                let left_out = if f.ty.is_optional() { "?" } else { "" };
                format!("{}{left_out}: {}", f.name, f.ty.when_passed())
            })
            .collect();
        out.push_str(&format!(
            "// {}: an object map #{{{}}}\n",
            record.name,
            fields.join(", ")
        ));
    }
    for choice in &spec.enums {
        let values: Vec<String> = choice
            .values
            .iter()
            .map(|v| format!("\"{}\"", v.name))
            .collect();
        out.push_str(&format!(
            "// {}: a string, one of {}\n",
            choice.name,
            values.join(", ")
        ));
    }
    for class in &spec.classes {
        let methods: Vec<String> = class
            .methods
            .iter()
            .map(|m| {
                let params: Vec<String> = m
                    .params
                    .iter()
                    .map(|p| format!("{}: {}", p.name, p.ty))
                    .collect();
                format!("{}({}) -> {}", m.short, params.join(", "), m.ret)
            })
            .collect();
        out.push_str(&format!(
            "// {}: an object; methods {}\n",
            class.name,
            methods.join(", ")
        ));
    }
    out.push_str(&format!("module {};\n\n", spec.module));
    out.push_str(&module_body(spec));
    out.push('\n');
    out
}

/// The body of [`render`] without its leading `//` lines and `module NAME;` header: the
/// text `Engine::definitions().modules()` gives for the module without headers.
pub fn module_body(spec: &Spec) -> String {
    let mut root = Tree::default();
    for group in &spec.groups {
        let mut node = &mut root;
        for segment in group.name.split('.').skip(1) {
            node = node.modules.entry(segment.to_string()).or_default();
        }
        node.functions.extend(group.functions.iter());
    }
    let mut body = String::new();
    root.write(&mut body);
    body
}

/// A Rhai module: its sub-modules by name, and its functions.
#[derive(Default)]
struct Tree<'s> {
    modules: BTreeMap<String, Tree<'s>>,
    functions: Vec<&'s Function>,
}

impl Tree<'_> {
    /// Rhai's layout: sub-modules first, then functions, every item after the first
    /// preceded by a blank line, a block's last item followed directly by its `}`.
    fn write(&self, out: &mut String) {
        let mut items: Vec<String> = Vec::new();
        for (name, module) in &self.modules {
            let mut block = format!("module {name} {{\n");
            module.write(&mut block);
            block.push('}');
            items.push(block);
        }
        let mut overloads: Vec<(&str, usize, String)> = Vec::new();
        for function in &self.functions {
            for count in function.required_params()..=function.params.len() {
                overloads.push((function.short.as_str(), count, overload(function, count)));
            }
        }
        overloads.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        items.extend(overloads.into_iter().map(|(_, _, text)| text));
        out.push_str(&items.join("\n\n"));
    }
}

/// One overload: the description comment, then `fn name(p: T, ..) -> R;` with the first
/// `count` parameters (`op name(T, ..) -> R;` for a name Rhai reserves, as Rhai prints it). An optional parameter an overload takes has its inner type (the
/// overload without it is the one for callers who leave it out).
fn overload(function: &Function, count: usize) -> String {
    let rhai = Engine::Rhai;
    let operator = Engine::rhai_reserves(&function.short);
    let params: Vec<String> = function.params[..count]
        .iter()
        .map(|p| {
            let ty = rhai.type_name(p.ty.when_passed());
            if operator {
                ty
            } else {
                format!("{}: {ty}", p.name)
            }
        })
        .collect();
    format!(
        "/// {}\n{} {}({}) -> {};",
        function.description,
        if operator { "op" } else { "fn" },
        function.short,
        params.join(", "),
        rhai.type_name(function.ret)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn writes_a_module_per_group_and_an_overload_per_argument_count() {
        let spec = parse(
            "module m\nsummary S.\ngroup m.b\n  fn pad(s: string, width: int?) -> string\n    | Pads\n  fn clear() -> void\n    | Clears\ngroup m.a\n  fn f(xs: list<int>) -> float?\n    | F\n  fn new(n: int) -> int\n    | New\n",
        )
        .unwrap();
        assert_eq!(
            render(&spec, "m.spec"),
            "// Generated from m.spec by goost-memory. Do not edit by hand.\n\
             // m: S.\n\
             module m;\n\
             \n\
             module a {\n\
             /// F\n\
             fn f(xs: Array) -> ?;\n\
             \n\
             /// New\n\
             op new(int) -> int;}\n\
             \n\
             module b {\n\
             /// Clears\n\
             fn clear() -> ();\n\
             \n\
             /// Pads\n\
             fn pad(s: string) -> string;\n\
             \n\
             /// Pads\n\
             fn pad(s: string, width: int) -> string;}\n"
        );
        assert!(module_body(&spec).starts_with("module a {\n"));
        assert!(module_body(&spec).ends_with("-> string;}"));
    }

    #[test]
    fn records_and_enums_are_stated_in_comments_and_pass_as_maps_and_strings() {
        let spec = crate::parse("module m\nrecord m.P\n  text\n    | A point.\n  field x: float\n    | East\n  field tag: string?\n    | A name\nenum m.U\n  value km\n    | Kilometres\n  value mi\n    | Miles\ngroup m.g\n  fn f(p: m.P, u: m.U?) -> map<int>\n    | Does f\n").unwrap();
        let file = render(&spec, "m.spec");
        assert!(
            file.contains("// m.P: an object map #{x: float, tag?: string}\n// m.U: a string, one of \"km\", \"mi\"\nmodule m;\n"),
            "{file}"
        );
        assert!(file.contains("fn f(p: Map, u: string) -> Map;"), "{file}");
    }
}
