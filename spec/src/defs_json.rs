//! The JSON metadata of a spec, for tools that are neither an editor nor an engine: every
//! group and function with its types, its signature in each engine, and the Rust function
//! bound to it. The schema is versioned ([`SCHEMA`], [`SCHEMA_VERSION`]); `defs/README.md`
//! documents it field by field.

use serde_json::{Value, json};

use crate::engine::{Engine, provenance};
use crate::{Function, ScriptType, Spec};

/// The schema's name, the `schema` field of every document.
pub const SCHEMA: &str = "goost-spec-metadata";

/// The schema's version, the `schema_version` field: raised when a field changes meaning
/// or goes away, or a type `shape` may take a new `kind` (new fields do not raise it).
/// Version 2 added the kinds `map`, `record`, `enum` and `class`, and the `records`,
/// `enums` and `classes` lists.
pub const SCHEMA_VERSION: u64 = 2;

/// The metadata document for `spec`, pretty-printed, ending with a newline. `rust_path`
/// names the Rust function bound to a function (by its dotted name), if one is.
pub fn render(spec: &Spec, spec_path: &str, rust_path: &dyn Fn(&str) -> Option<String>) -> String {
    let groups: Vec<Value> = spec
        .groups
        .iter()
        .map(|group| {
            let functions: Vec<Value> = group
                .functions
                .iter()
                .map(|function| function_json(function, rust_path))
                .collect();
            json!({ "name": group.name, "text": group.text, "functions": functions })
        })
        .collect();
    let classes: Vec<Value> = spec
        .classes
        .iter()
        .map(|class| {
            let methods: Vec<Value> = class
                .methods
                .iter()
                .map(|method| function_json(method, rust_path))
                .collect();
            json!({
                "name": class.name,
                "text": class.text,
                "methods": methods,
                "spec_line": class.line,
            })
        })
        .collect();
    let records: Vec<Value> = spec
        .records
        .iter()
        .map(|record| {
            let fields: Vec<Value> = record
                .fields
                .iter()
                .map(|f| {
                    json!({
                        "name": f.name,
                        "type": f.ty.to_string(),
                        "shape": shape(f.ty),
                        "optional": f.ty.is_optional(),
                        "description": f.description,
                        "spec_line": f.line,
                    })
                })
                .collect();
            json!({
                "name": record.name,
                "text": record.text,
                "fields": fields,
                "spec_line": record.line,
            })
        })
        .collect();
    let enums: Vec<Value> = spec
        .enums
        .iter()
        .map(|choice| {
            let values: Vec<Value> = choice
                .values
                .iter()
                .map(|v| json!({ "name": v.name, "description": v.description, "spec_line": v.line }))
                .collect();
            json!({
                "name": choice.name,
                "text": choice.text,
                "values": values,
                "spec_line": choice.line,
            })
        })
        .collect();
    let example = spec
        .example
        .as_ref()
        .map(|e| json!({ "lang": e.lang, "lines": e.lines }));
    let document = json!({
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated": provenance(spec, spec_path),
        "spec_path": spec_path,
        "module": spec.module,
        "version": spec.version,
        "summary": spec.summary,
        "text": spec.text,
        "groups": groups,
        "records": records,
        "enums": enums,
        "classes": classes,
        "example": example,
    });
    let mut text = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|error| format!("{{\"error\": {:?}}}", error.to_string()));
    text.push('\n');
    text
}

/// One function or method: its types, its signature in each engine, its Rust function.
fn function_json(function: &Function, rust_path: &dyn Fn(&str) -> Option<String>) -> Value {
    let params: Vec<Value> = function
        .params
        .iter()
        .map(|p| {
            json!({
                "name": p.name,
                "type": p.ty.to_string(),
                "shape": shape(p.ty),
                "optional": p.ty.is_optional(),
            })
        })
        .collect();
    let signatures: serde_json::Map<String, Value> = Engine::ALL
        .iter()
        .map(|e| (e.name().to_lowercase(), json!(e.signature(function))))
        .collect();
    json!({
        "name": function.name,
        "short": function.short,
        "description": function.description,
        "params": params,
        "required_params": function.required_params(),
        "returns": function.ret.to_string(),
        "returns_shape": shape(function.ret),
        "signatures": signatures,
        "rust": rust_path(&function.name),
        "spec_line": function.line,
    })
}

/// A type as a tree: `{"kind": "list", "of": {"kind": "int"}}`, so a tool need not parse
/// the spec's type syntax.
fn shape(ty: ScriptType) -> Value {
    match ty {
        ScriptType::List(element) => json!({ "kind": "list", "of": shape(*element) }),
        ScriptType::Optional(inner) => json!({ "kind": "optional", "of": shape(*inner) }),
        ScriptType::Map(value) => json!({ "kind": "map", "of": shape(*value) }),
        // The declaration is in the document's `records` or `enums`, by name.
        ScriptType::Record(record) => json!({ "kind": "record", "name": record.name }),
        ScriptType::Enum(choice) => json!({ "kind": "enum", "name": choice.name }),
        ScriptType::Class(class) => json!({ "kind": "class", "name": class.name }),
        base => json!({ "kind": base.kind_name() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn describes_each_function_with_types_signatures_and_rust_path() {
        let spec = parse(
            "module m\nversion 0.3.0\nsummary S.\ngroup m.g\n  fn f(xs: list<int>, n: float?) -> bool\n    | Does f\n",
        )
        .unwrap();
        let text = render(&spec, "m.spec", &|name| {
            (name == "m.g.f").then(|| "my_crate::f".to_string())
        });
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["schema"], "goost-spec-metadata");
        assert_eq!(doc["schema_version"], 2);
        assert_eq!(doc["version"], "0.3.0");
        let f = &doc["groups"][0]["functions"][0];
        assert_eq!(f["name"], "m.g.f");
        assert_eq!(f["rust"], "my_crate::f");
        assert_eq!(f["required_params"], 1);
        assert_eq!(f["params"][0]["type"], "list<int>");
        assert_eq!(
            f["params"][0]["shape"],
            json!({"kind": "list", "of": {"kind": "int"}})
        );
        assert_eq!(f["params"][1]["optional"], true);
        assert_eq!(
            f["signatures"]["rhai"],
            "m::g::f(xs: array, n?: float) -> bool"
        );
        assert_eq!(
            f["signatures"]["lua"],
            "m.g.f(xs: integer[], n?: number): boolean"
        );
    }

    #[test]
    fn lists_records_and_enums_and_names_them_in_shapes() {
        let spec = parse(
            "module m\nrecord m.P\n  field x: float\n    | East\n  field tag: string?\n    | A name\nenum m.U\n  value km\n    | Kilometres\ngroup m.g\n  fn f(p: m.P, u: m.U?) -> map<list<m.P>>\n    | Does f\n",
        )
        .unwrap();
        let doc: Value = serde_json::from_str(&render(&spec, "m.spec", &|_| None)).unwrap();
        assert_eq!(
            doc["records"],
            json!([{
                "name": "m.P",
                "text": [],
                "fields": [
                    {"name": "x", "type": "float", "shape": {"kind": "float"}, "optional": false, "description": "East", "spec_line": 3},
                    {"name": "tag", "type": "string?", "shape": {"kind": "optional", "of": {"kind": "string"}}, "optional": true, "description": "A name", "spec_line": 5}
                ],
                "spec_line": 2
            }])
        );
        assert_eq!(
            doc["enums"],
            json!([{"name": "m.U", "text": [], "values": [{"name": "km", "description": "Kilometres", "spec_line": 8}], "spec_line": 7}])
        );
        let f = &doc["groups"][0]["functions"][0];
        assert_eq!(
            f["params"][0]["shape"],
            json!({"kind": "record", "name": "m.P"})
        );
        assert_eq!(
            f["params"][1]["shape"],
            json!({"kind": "optional", "of": {"kind": "enum", "name": "m.U"}})
        );
        assert_eq!(
            f["returns_shape"],
            json!({"kind": "map", "of": {"kind": "list", "of": {"kind": "record", "name": "m.P"}}})
        );
        assert_eq!(
            f["signatures"]["lua"],
            "m.g.f(p: m.P, u?: m.U): table<string, m.P[]>"
        );
        assert_eq!(
            f["signatures"]["rhai"],
            "m::g::f(p: map, u?: string) -> map"
        );
    }
}
