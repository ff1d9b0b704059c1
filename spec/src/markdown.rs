//! Renders a parsed spec as the module's markdown reference page.
//!
//! The layout is the seed page's: title, summary quote, intro, one table per group
//! (`Function | Signature | Description`), then the example.

use crate::Spec;

/// The first line of every generated page; it says where the page comes from.
pub fn header(spec_path: &str) -> String {
    format!("<!-- Generated from {spec_path} by goost-memory. Do not edit by hand. -->")
}

/// The whole page for `spec`, ending with a newline.
pub fn render(spec: &Spec, spec_path: &str) -> String {
    let mut out = Vec::new();
    out.push(header(spec_path));
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
                function.description
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
        let body = page.split_once('\n').unwrap().1;
        assert!(body.starts_with("# memory\n\n> Byte buffers, string interning pools"));
        assert!(body.contains(
            "| `write` | `memory.buffer.write(id: int, data: string) → bool` | Append data to the buffer |\n"
        ));
        assert!(body.ends_with("print(memory.alloc.heapAlloc())\n```\n"));
    }
}
