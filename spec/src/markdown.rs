//! Renders a parsed spec as markdown: the module's reference page ([`render`]), in the
//! seed page's layout (title, summary quote, intro, one table per group with
//! `Function | Signature | Description`, then the example), and the page of every
//! function as each engine calls it ([`render_engines`]).

use crate::Spec;
use crate::engine::{Engine, provenance};

/// The first line of every generated page; it says where the page comes from.
pub fn header(spec: &Spec, spec_path: &str) -> String {
    format!("<!-- {} -->", provenance(spec, spec_path))
}

/// The whole page for `spec`, ending with a newline.
pub fn render(spec: &Spec, spec_path: &str) -> String {
    let mut out = Vec::new();
    out.push(header(spec, spec_path));
    out.push(format!("# {}", spec.module));
    out.push(String::new());
    out.push(format!("> {}", spec.summary));
    out.push(String::new());
    out.push(format!("# {}", spec.module));
    out.push(String::new());
    if !spec.text.is_empty() {
        out.extend(spec.text.iter().cloned());
        out.push(String::new());
    }
    for group in &spec.groups {
        out.push(format!("## {}", group.name));
        out.push(String::new());
        if !group.text.is_empty() {
            out.extend(group.text.iter().cloned());
            out.push(String::new());
        }
        out.push("| Function | Signature | Description |".into());
        out.push("| --- | --- | --- |".into());
        for function in &group.functions {
            out.push(format!(
                "| `{}` | `{}` | {} |",
                function.short,
                function.signature_with_arrow("→"),
                table_cell(&function.description)
            ));
        }
        out.push(String::new());
    }
    for class in &spec.classes {
        out.push(format!("## {} (class)", class.name));
        out.push(String::new());
        if !class.text.is_empty() {
            out.extend(class.text.iter().cloned());
            out.push(String::new());
        }
        out.push("| Method | Signature | Description |".into());
        out.push("| --- | --- | --- |".into());
        for method in &class.methods {
            out.push(format!(
                "| `{}` | `{}` | {} |",
                method.short,
                method.signature_with_arrow("→"),
                table_cell(&method.description)
            ));
        }
        out.push(String::new());
    }
    for record in &spec.records {
        out.push(format!("## {} (record)", record.name));
        out.push(String::new());
        if !record.text.is_empty() {
            out.extend(record.text.iter().cloned());
            out.push(String::new());
        }
        out.push("| Field | Type | Description |".into());
        out.push("| --- | --- | --- |".into());
        for field in &record.fields {
            let left_out = if field.ty.is_optional() {
                " (may be left out)"
            } else {
                ""
            };
            out.push(format!(
                "| `{}` | `{}` | {}{left_out} |",
                field.name,
                field.ty,
                table_cell(&field.description)
            ));
        }
        out.push(String::new());
    }
    for choice in &spec.enums {
        out.push(format!("## {} (enum)", choice.name));
        out.push(String::new());
        if !choice.text.is_empty() {
            out.extend(choice.text.iter().cloned());
            out.push(String::new());
        }
        out.push("A string, one of:".into());
        out.push(String::new());
        out.push("| Value | Description |".into());
        out.push("| --- | --- |".into());
        for value in &choice.values {
            out.push(format!(
                "| `\"{}\"` | {} |",
                value.name,
                table_cell(&value.description)
            ));
        }
        out.push(String::new());
    }
    if let Some(example) = &spec.example {
        out.push("## Example".into());
        out.push(String::new());
        out.push(format!("```{}", example.lang));
        out.extend(example.lines.iter().cloned());
        out.push("```".into());
    } else {
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
    }
    let mut page = out.join("\n");
    page.push('\n');
    page
}

/// The page of every function in goost, Lua and Rhai call syntax, a column each, with
/// each engine's own type names, ending with a newline.
pub fn render_engines(spec: &Spec, spec_path: &str) -> String {
    let module = &spec.module;
    let mut out = vec![
        header(spec, spec_path),
        format!("# {module} in goost, Lua and Rhai"),
        String::new(),
        format!("> {}", spec.summary),
        String::new(),
        format!(
            "Every function of `{module}` as each engine calls it, in the engine's own type names. \
             The reference page with the full texts is [{module}.md]({module}.md)."
        ),
        String::new(),
        "| Engine | How a script reaches the module | Calls |".into(),
        "| --- | --- | --- |".into(),
    ];
    for engine in Engine::ALL {
        let reach = match engine.import_line(module) {
            line if line.is_empty() => "nothing to write: a static module of the engine".into(),
            line => format!("`{line}`"),
        };
        let example = spec
            .functions()
            .next()
            .map(|f| format!("`{}(...)`", engine.path(&f.name)))
            .unwrap_or_default();
        out.push(format!("| {engine} | {reach} | {example} |"));
    }
    out.push(String::new());
    out.push(
        "Types: goost `int` is Lua `integer` and Rhai `int`; `float` is `number` and `float`; \
         `string` (bytes) is `string` in both (a Rhai `Blob` for bytes that are not UTF-8); \
         `bool` is `boolean` and `bool`; `list<T>` is `T[]` and `array`; `T?` (a value or \
         nothing) is `T?` and `?`; `map<T>` is `table<string, T>` and `map`; a record is a \
         table with string keys (a `---@class`) and a Rhai object map; an enum is a string; a \
         class is an object whose methods are called `p.push(x)` in goost and Rhai and \
         `p:push(x)` in Lua. A parameter marked `name?` may be left out."
            .into(),
    );
    for group in &spec.groups {
        out.push(String::new());
        out.push(format!("## {}", group.name));
        out.push(String::new());
        out.push("| Function | goost | Lua | Rhai | Description |".into());
        out.push("| --- | --- | --- | --- | --- |".into());
        for function in &group.functions {
            let cells: Vec<String> = Engine::ALL
                .iter()
                .map(|engine| format!("`{}`", engine.signature(function)))
                .collect();
            out.push(format!(
                "| `{}` | {} | {} |",
                function.short,
                cells.join(" | "),
                table_cell(&function.description)
            ));
        }
    }
    let mut page = out.join("\n");
    page.push('\n');
    page
}

/// `text` as a markdown table cell: a `|` in it is escaped, so it does not end the cell.
fn table_cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn renders_a_table_per_group_with_the_seed_layout() {
        let spec = parse(
            "module m\nsummary S.\ngroup m.g\n  text\n    | Intro.\n  fn f(a: int) -> bool\n    | Does f\n",
        )
        .unwrap();
        assert_eq!(
            render(&spec, "spec/m.spec"),
            "<!-- Generated from spec/m.spec by goost-memory. Do not edit by hand. -->\n\
             # m\n\n> S.\n\n# m\n\n## m.g\n\nIntro.\n\n\
             | Function | Signature | Description |\n| --- | --- | --- |\n\
             | `f` | `m.g.f(a: int) → bool` | Does f |\n"
        );
    }

    #[test]
    fn the_memory_page_is_the_seed_page_after_its_header() {
        let spec = parse(include_str!("../memory.spec")).unwrap();
        let page = render(&spec, "spec/memory.spec");
        let (header, body) = page.split_once('\n').unwrap();
        assert_eq!(
            header,
            "<!-- Generated from spec/memory.spec (memory 0.1.0) by goost-memory. Do not edit by hand. -->"
        );
        assert!(body.starts_with("# memory\n\n> Byte buffers, string interning pools"));
        assert!(body.contains(
            "| `write` | `memory.buffer.write(id: int, data: string) → bool` | Append data to the buffer |\n"
        ));
        assert!(body.ends_with("print(memory.alloc.heapAlloc())\n```\n"));
    }
}

#[cfg(test)]
mod engines_tests {
    use super::*;
    use crate::parse;

    /// docs/history/reliability.md, round 3, item 13: a `|` in a description ended its table cell.
    #[test]
    fn a_bar_in_a_description_stays_inside_its_cell() {
        let spec = crate::parse("module m\ngroup m.g\n  fn f() -> int\n    | a | b\n").unwrap();
        let page = render(&spec, "m.spec");
        assert!(
            page.contains("| `f` | `m.g.f() → int` | a \\| b |"),
            "{page}"
        );
    }

    #[test]
    fn the_engines_page_has_a_column_per_engine() {
        let spec = parse(
            "module m\nsummary S.\ngroup m.g\n  fn f(a: int, b: string?) -> bool\n    | Does f\n",
        )
        .unwrap();
        let page = render_engines(&spec, "spec/m.spec");
        assert!(page.contains("| Lua | `local m = require(\"m\")` | `m.g.f(...)` |\n"));
        assert!(page.ends_with(
            "| `f` | `m.g.f(a: int, b: string?) -> bool` | `m.g.f(a: integer, b?: string): boolean` \
             | `m::g::f(a: int, b?: string) -> bool` | Does f |\n"
        ));
    }

    #[test]
    fn a_record_and_an_enum_get_a_table_each() {
        let spec = crate::parse("module m\nrecord m.P\n  text\n    | A point.\n  field x: float\n    | East\n  field tag: string?\n    | A name\nenum m.U\n  value km\n    | Kilometres\n  value mi\n    | Miles\ngroup m.g\n  fn f(p: m.P, u: m.U?) -> map<int>\n    | Does f\n").unwrap();
        let page = render(&spec, "m.spec");
        let tables = page.split("## m.P (record)").nth(1).unwrap();
        assert!(
            tables.starts_with(
                "\n\nA point.\n\n| Field | Type | Description |\n| --- | --- | --- |\n| `x` | `float` | East |\n| `tag` | `string?` | A name (may be left out) |\n\n## m.U (enum)\n\nA string, one of:\n\n| Value | Description |\n| --- | --- |\n| `\"km\"` | Kilometres |\n| `\"mi\"` | Miles |\n"
            ),
            "{page}"
        );
        assert!(page.contains("| `f` | `m.g.f(p: m.P, u: m.U?) → map<int>` | Does f |"));
    }
}
