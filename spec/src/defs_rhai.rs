//! The Rhai definition file of a spec (`memory.d.rhai`), in the layout Rhai's own
//! `Engine::definitions()` prints for a static module registered with typed parameters:
//! a `module` block per group, sorted by name, and a `fn` per argument count a caller may
//! pass (a function with optional parameters is one overload per count), sorted by name
//! and count, each under its description as a `///` comment.
//!
//! The file is that text exactly, after the `//` lines naming the spec and stating the
//! module's summary and its records and enums.
//!
//! A spec with classes is written as Rhai's `single_file()` writes one: `module static;`
//! first, with what an install registers in the global namespace (each class's `==`,
//! `!=`, `to_debug`, `to_string`, then its methods' typed overloads, the object first as
//! `this`), then the module in a `module NAME { .. }` block.
//!
//! `examples/geo/tests/definitions.rs` installs the memory and geo modules in a Rhai
//! engine and compares what Rhai prints with the committed files.

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
    if spec.classes.is_empty() {
        out.push_str(&format!("module {};\n\n", spec.module));
        out.push_str(&module_body(spec));
        out.push('\n');
    } else {
        out.push_str(&format!(
            "module static;\n\n{}\n\nmodule {} {{\n{}\n}}\n",
            static_body(spec),
            spec.module,
            module_body(spec)
        ));
    }
    out
}

/// What `Engine::definitions()` prints in its static part for the classes of `spec`, as
/// goost-rhai registers them: first each class's type functions (`==` and `!=` by
/// identity, `to_debug`, `to_string`), then its methods' typed overloads (the object
/// first, as `this`), each part sorted as Rhai sorts a module's functions (by name, then
/// argument count, then the parameters, where the classes go in name order). Empty for a
/// spec without classes.
fn static_body(spec: &Spec) -> String {
    let mut classes: Vec<&crate::Class> = spec.classes.iter().collect();
    classes.sort_by(|a, b| a.name.cmp(&b.name));
    let mut type_functions: Vec<(&str, String)> = Vec::new();
    for class in &classes {
        let name = &class.name;
        type_functions.extend([
            ("!=", format!("op !=({name}, {name}) -> bool;")),
            ("==", format!("op ==({name}, {name}) -> bool;")),
            ("to_debug", format!("fn to_debug(_: {name}) -> string;")),
            ("to_string", format!("fn to_string(_: {name}) -> string;")),
        ]);
    }
    // Stable sorts: the classes stay in name order where name (and count) agree.
    type_functions.sort_by(|a, b| a.0.cmp(b.0));
    let methods = classes.iter().flat_map(|class| {
        let this = Some(class.name.as_str());
        class.methods.iter().map(move |method| (method, this))
    });
    let items: Vec<String> = type_functions
        .into_iter()
        .map(|(_, text)| text)
        .chain(sorted_overloads(methods))
        .collect();
    items.join("\n\n")
}

/// The body of [`render`] without its leading `//` lines and `module NAME;` header: the
/// text `Engine::definitions().modules()` gives for the module without headers.
fn module_body(spec: &Spec) -> String {
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
        items.extend(sorted_overloads(self.functions.iter().map(|f| (*f, None))));
        out.push_str(&items.join("\n\n"));
    }
}

/// Every overload of each function (one per argument count a caller may pass; a method's
/// after its object, `this` of the class given), sorted as Rhai sorts a module's
/// functions: by name, then argument count (a stable sort, so functions that agree in both
/// stay in the order given).
fn sorted_overloads<'s>(
    functions: impl Iterator<Item = (&'s Function, Option<&'s str>)>,
) -> Vec<String> {
    let mut overloads: Vec<(&str, usize, String)> = Vec::new();
    for (function, this) in functions {
        for count in function.required_params()..=function.params.len() {
            let text = overload(function, this, count);
            overloads.push((function.short.as_str(), count, text));
        }
    }
    overloads.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    overloads.into_iter().map(|(_, _, text)| text).collect()
}

/// One overload: the description comment, then `fn name(p: T, ..) -> R;` with the first
/// `count` parameters (`op name(T, ..) -> R;` for a name Rhai reserves, as Rhai prints
/// it), after a method's object `this: CLASS`. An optional parameter an overload takes has
/// its inner type (the overload without it is the one for callers who leave it out).
fn overload(function: &Function, this: Option<&str>, count: usize) -> String {
    let rhai = Engine::Rhai;
    let operator = Engine::rhai_reserves(&function.short);
    let this = this.map(|class| ("this", class.to_string()));
    let params: Vec<String> = this
        .into_iter()
        .chain(
            function.params[..count]
                .iter()
                .map(|p| (p.name.as_str(), rhai.type_name(p.ty.when_passed()))),
        )
        .map(|(name, ty)| {
            if operator {
                ty
            } else {
                format!("{name}: {ty}")
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
             fn f(xs: array) -> ?;\n\
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
    fn classes_are_written_as_rhais_single_file_their_methods_taking_this_first() {
        let spec = parse(
            "module m\nclass m.P\n  text\n    | A thing.\n  method push(x: float) -> int\n    | Pushes\n  method name() -> string\n    | Its name\ngroup m.p\n  fn make(n: int) -> m.P\n    | Makes one\n",
        )
        .unwrap();
        let file = render(&spec, "m.spec");
        let body = file.split_once("module static;\n\n").map(|(_, body)| body);
        assert_eq!(
            body,
            Some(
                "op !=(m.P, m.P) -> bool;\n\n\
                 op ==(m.P, m.P) -> bool;\n\n\
                 fn to_debug(_: m.P) -> string;\n\n\
                 fn to_string(_: m.P) -> string;\n\n\
                 /// Its name\nfn name(this: m.P) -> string;\n\n\
                 /// Pushes\nfn push(this: m.P, x: float) -> int;\n\n\
                 module m {\n\
                 module p {\n\
                 /// Makes one\nfn make(n: int) -> m.P;}\n\
                 }\n"
            )
        );
    }

    #[test]
    fn records_and_enums_are_stated_in_comments_and_pass_as_maps_and_strings() {
        let spec = crate::parse("module m\nrecord m.P\n  text\n    | A point.\n  field x: float\n    | East\n  field tag: string?\n    | A name\nenum m.U\n  value km\n    | Kilometres\n  value mi\n    | Miles\ngroup m.g\n  fn f(p: m.P, u: m.U?) -> map<int>\n    | Does f\n").unwrap();
        let file = render(&spec, "m.spec");
        assert!(
            file.contains("// m.P: an object map #{x: float, tag?: string}\n// m.U: a string, one of \"km\", \"mi\"\nmodule m;\n"),
            "{file}"
        );
        assert!(file.contains("fn f(p: map, u: string) -> map;"), "{file}");
    }
}
