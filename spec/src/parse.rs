//! The spec file format and its parser: plain functions, no compiler needed.
//!
//! A spec is line oriented. Blank lines and lines starting with `--` are ignored.
//! Every other line starts with a keyword, or with `|` (after any indentation) for a
//! line of text belonging to the block opened just before it:
//!
//! ```text
//! module memory                       -- the module name, first
//! version 1.0.0                       -- optional: MAJOR.MINOR.PATCH
//! summary One line shown under the title.
//! text                                -- the module's intro; `|` lines follow
//!   | Paragraph text, markdown allowed.
//! group memory.buffer                 -- a group of functions
//!   text                              -- optional intro line(s) of the group
//!     | A line.
//!   fn write(id: int, data: string) -> bool     -- `→` is accepted for `->`
//!     | Append data to the buffer     -- the description: exactly one `|` line
//! record geo.Point                    -- a record: module.Name, declared before its use
//!   field x: float                    -- a field; a `T?` one may be left out
//!     | Metres east                   -- its description: exactly one `|` line
//! enum geo.Unit                       -- an enum: a closed set of names
//!   value km                          -- one of them
//!     | Kilometres
//! class geo.Path                      -- a class: an object with methods
//!   method push(x: float, y: float) -> int
//!     | Appends a point               -- its description: exactly one `|` line
//! example goost                       -- optional; `|` lines hold the code
//!   | import memory
//! ```
//!
//! Script types are `int`, `float`, `string`, `bool` and `void` (`void` only as a
//! result), `list<T>` and `map<T>` (of any type but `void`), `T?` (a `T` or nothing), and
//! the records, enums and classes the spec declares, by name. Optional parameters come last: a
//! caller may leave them out.

use std::collections::{HashMap, HashSet};

use crate::keywords;
use crate::model::{
    Class, Enum, EnumValue, Example, Field, Function, Group, NameResolver, Param, Record,
    ScriptType, Spec, SpecError, is_type_name,
};
use crate::nearest;

/// Where the `|` lines that follow go.
enum TextTarget {
    None,
    ModuleText,
    GroupText,
    RecordText,
    EnumText,
    ClassText,
    Description,
    FieldDescription,
    ValueDescription,
    MethodDescription,
    Example,
}

/// The block the lines belong to: the last `group`, `record` or `enum`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    None,
    Group,
    Record,
    Enum,
    Class,
}

const KEYWORDS: &str = "`module`, `version`, `summary`, `text`, `group`, `fn`, `record`, `field`, `enum`, `value`, `class`, `method`, `example`, or a `|` text line";

/// The declared types a spec's lines may name so far, and where each declaration is, so
/// a name used before its declaration is told so.
struct DeclaredTypes {
    /// The records and enums whose blocks are complete, and the classes declared so far
    /// (a class may name itself: its methods may take or return it).
    types: HashMap<String, ScriptType>,
    /// Every `record` and `enum` line of the file, by name: its line.
    lines: HashMap<String, usize>,
}

impl DeclaredTypes {
    /// The `record` and `enum` lines of `source`, found before parsing starts.
    fn scan(source: &str) -> DeclaredTypes {
        let mut lines = HashMap::new();
        for (index, line) in source.lines().enumerate() {
            let mut words = line.split_whitespace();
            if let (Some("record" | "enum" | "class"), Some(name)) = (words.next(), words.next()) {
                // The first declaration: a second one is reported as declared twice.
                lines.entry(name.to_string()).or_insert(index + 1);
            }
        }
        DeclaredTypes {
            types: HashMap::new(),
            lines,
        }
    }

    /// The declared type `name`, or why the spec cannot use it here.
    fn resolve(&self, name: &str) -> Result<ScriptType, String> {
        if let Some(ty) = self.types.get(name) {
            return Ok(*ty);
        }
        if let Some(line) = self.lines.get(name) {
            return Err(format!(
                "`{name}` is declared at line {line}, after this use: a record, enum or class is declared before the groups, records and classes that use it (so a record cannot hold itself)"
            ));
        }
        let near = nearest(name, self.types.keys().map(String::as_str), 3);
        if near.is_empty() {
            return Err(format!(
                "unknown type `{name}`: no record, enum or class of that name is declared"
            ));
        }
        Err(format!(
            "unknown type `{name}`: the nearest declared types are {}",
            near.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// Parses a whole spec file.
pub fn parse(source: &str) -> Result<Spec, SpecError> {
    let mut spec = Spec {
        module: String::new(),
        version: None,
        summary: String::new(),
        text: Vec::new(),
        groups: Vec::new(),
        records: Vec::new(),
        enums: Vec::new(),
        classes: Vec::new(),
        example: None,
    };
    let mut target = TextTarget::None;
    let mut block = Block::None;
    // Names declared so far, found by hash: a spec of many functions parses in linear time.
    let mut group_names: HashSet<String> = HashSet::new();
    let mut function_names: HashSet<String> = HashSet::new();
    let mut declared = DeclaredTypes::scan(source);
    // The line and name of the last `fn`, `field` or `value` while it awaits its
    // one-line description.
    let mut awaiting: Option<(usize, String)> = None;

    for (index, raw) in source.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim_end();
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        let col_of = |byte: usize| line[..byte].chars().count() + 1;
        let err = |byte: usize, message: String| SpecError {
            line: line_no,
            col: col_of(byte),
            message,
        };
        if body.is_empty() || body.starts_with("--") {
            continue;
        }
        if let Some(text) = body.strip_prefix('|') {
            let text = text.strip_prefix(' ').unwrap_or(text).to_string();
            match target {
                TextTarget::None => {
                    return Err(err(
                        indent,
                        "a `|` text line must follow `text`, `fn` or `example`".into(),
                    ));
                }
                TextTarget::ModuleText => spec.text.push(text),
                TextTarget::GroupText => last_group(&mut spec).text.push(text),
                TextTarget::RecordText => {
                    if let Some(record) = spec.records.last_mut() {
                        record.text.push(text);
                    }
                }
                TextTarget::EnumText => {
                    if let Some(choice) = spec.enums.last_mut() {
                        choice.text.push(text);
                    }
                }
                TextTarget::ClassText => {
                    if let Some(class) = spec.classes.last_mut() {
                        class.text.push(text);
                    }
                }
                TextTarget::MethodDescription => {
                    let method = spec
                        .classes
                        .last_mut()
                        .and_then(|c| c.methods.last_mut())
                        .expect("a method description target always follows a method");
                    if !method.description.is_empty() {
                        return Err(err(
                            indent,
                            format!(
                                "the description of `{}` must be one line (it is a table cell)",
                                method.name
                            ),
                        ));
                    }
                    method.description = text;
                    awaiting = None;
                }
                TextTarget::FieldDescription | TextTarget::ValueDescription => {
                    let (what, description) = match target {
                        TextTarget::FieldDescription => spec
                            .records
                            .last_mut()
                            .and_then(|r| r.fields.last_mut())
                            .map(|f| (f.name.clone(), &mut f.description)),
                        _ => spec
                            .enums
                            .last_mut()
                            .and_then(|e| e.values.last_mut())
                            .map(|v| (v.name.clone(), &mut v.description)),
                    }
                    .expect("a field or value description target always follows one");
                    if !description.is_empty() {
                        return Err(err(
                            indent,
                            format!(
                                "the description of `{what}` must be one line (it is a table cell)"
                            ),
                        ));
                    }
                    *description = text;
                    awaiting = None;
                }
                TextTarget::Example => {
                    if let Some(example) = spec.example.as_mut() {
                        example.lines.push(text)
                    }
                }
                TextTarget::Description => {
                    let function = last_group(&mut spec)
                        .functions
                        .last_mut()
                        .expect("a description target always follows a fn");
                    if !function.description.is_empty() {
                        return Err(err(
                            indent,
                            format!(
                                "the description of `{}` must be one line (it is a table cell)",
                                function.name
                            ),
                        ));
                    }
                    function.description = text;
                    awaiting = None;
                }
            }
            continue;
        }
        if let Some((line, what)) = awaiting.take() {
            return Err(no_description(line, &what));
        }

        let (keyword, rest) = match body.find(char::is_whitespace) {
            Some(at) => (&body[..at], body[at..].trim_start()),
            None => (body, ""),
        };
        let rest_at = line.len() - rest.len();
        if spec.module.is_empty() && keyword != "module" {
            return Err(err(
                indent,
                format!("the spec must start with `module NAME`, found `{keyword}`"),
            ));
        }
        if matches!(target, TextTarget::Example) {
            return Err(err(
                indent,
                "`example` must be the last block of the spec".into(),
            ));
        }
        // A record or enum is complete when the next block starts: from then on, types
        // may name it.
        if matches!(keyword, "group" | "record" | "enum" | "class" | "example") {
            close_block(&spec, block, &mut declared)?;
            block = Block::None;
        }
        match keyword {
            "module" => {
                if !spec.module.is_empty() {
                    return Err(err(indent, "`module` appears twice".into()));
                }
                if !is_identifier(rest) {
                    return Err(err(
                        rest_at,
                        format!("expected a module name (letters, digits, `_`), found `{rest}`"),
                    ));
                }
                if let Some(refusal) = keywords::module_name_refusal(rest) {
                    return Err(err(rest_at, refusal));
                }
                spec.module = rest.to_string();
                target = TextTarget::None;
            }
            "version" => {
                if spec.version.is_some() {
                    return Err(err(indent, "`version` appears twice".into()));
                }
                if !is_version(rest) {
                    return Err(err(
                        rest_at,
                        format!(
                            "expected a version like `1.0.0` (MAJOR.MINOR.PATCH), found `{rest}`"
                        ),
                    ));
                }
                spec.version = Some(rest.to_string());
                target = TextTarget::None;
            }
            "summary" => {
                if rest.is_empty() {
                    return Err(err(
                        rest_at,
                        "`summary` needs its text on the same line".into(),
                    ));
                }
                spec.summary = rest.to_string();
                target = TextTarget::None;
            }
            "text" => {
                if !rest.is_empty() {
                    return Err(err(
                        rest_at,
                        "`text` stands alone; its lines follow, each starting with `|`".into(),
                    ));
                }
                let (started, name, first) = match block {
                    Block::None => (false, String::new(), ""),
                    Block::Group => {
                        let group = last_group(&mut spec);
                        (!group.functions.is_empty(), group.name.clone(), "`fn`")
                    }
                    Block::Record => {
                        let record = spec.records.last().expect("a record block has a record");
                        (!record.fields.is_empty(), record.name.clone(), "`field`")
                    }
                    Block::Enum => {
                        let choice = spec.enums.last().expect("an enum block has an enum");
                        (!choice.values.is_empty(), choice.name.clone(), "`value`")
                    }
                    Block::Class => {
                        let class = spec.classes.last().expect("a class block has a class");
                        (!class.methods.is_empty(), class.name.clone(), "`method`")
                    }
                };
                if started {
                    return Err(err(
                        indent,
                        format!("the `text` of `{name}` must come before its first {first}"),
                    ));
                }
                target = match block {
                    Block::None => TextTarget::ModuleText,
                    Block::Group => TextTarget::GroupText,
                    Block::Record => TextTarget::RecordText,
                    Block::Enum => TextTarget::EnumText,
                    Block::Class => TextTarget::ClassText,
                };
            }
            "group" => {
                let prefix = format!("{}.", spec.module);
                let tail = rest.strip_prefix(&prefix).unwrap_or("");
                if tail.is_empty() || !tail.split('.').all(is_identifier) {
                    return Err(err(
                        rest_at,
                        format!("expected a group name like `{prefix}NAME`, found `{rest}`"),
                    ));
                }
                if let Some((at, refusal)) = tail
                    .split('.')
                    .scan(prefix.len(), |at, part| {
                        let here = *at;
                        *at += part.len() + 1;
                        Some((here, keywords::member_name_refusal(part, "group")))
                    })
                    .find_map(|(at, refusal)| refusal.map(|refusal| (at, refusal)))
                {
                    return Err(err(rest_at + at, refusal));
                }
                if function_names.contains(rest) {
                    return Err(err(
                        rest_at,
                        format!("group `{rest}` has the name of a function declared before"),
                    ));
                }
                if !group_names.insert(rest.to_string()) {
                    return Err(err(rest_at, format!("group `{rest}` is declared twice")));
                }
                if declared.lines.contains_key(rest) {
                    return Err(err(
                        rest_at,
                        format!("group `{rest}` has the name of a record or enum"),
                    ));
                }
                spec.groups.push(Group {
                    name: rest.to_string(),
                    text: Vec::new(),
                    functions: Vec::new(),
                });
                block = Block::Group;
                target = TextTarget::None;
            }
            "fn" => {
                let (Block::Group, Some(group)) = (block, spec.groups.last()) else {
                    return Err(err(indent, "`fn` must be inside a `group`".into()));
                };
                let group_name = group.name.clone();
                let names = |name: &str| declared.resolve(name);
                let mut function = parse_signature(rest, &group_name, &names)
                    .map_err(|(offset, message)| err(rest_at + offset, message))?;
                let short = function.name.rsplit('.').next().unwrap_or_default();
                if let Some(refusal) = keywords::member_name_refusal(short, "function") {
                    return Err(err(rest_at, refusal));
                }
                function.line = line_no;
                if group_names.contains(&function.name) {
                    return Err(err(
                        rest_at,
                        format!(
                            "`{}` has the name of a group: a name is a group or a function, not both",
                            function.name
                        ),
                    ));
                }
                if !function_names.insert(function.name.clone()) {
                    return Err(err(
                        rest_at,
                        format!("`{}` is declared twice", function.name),
                    ));
                }
                awaiting = Some((line_no, function.name.clone()));
                last_group(&mut spec).functions.push(function);
                target = TextTarget::Description;
            }
            "method" => {
                let (Block::Class, Some(class)) = (block, spec.classes.last()) else {
                    return Err(err(indent, "`method` must be inside a `class`".into()));
                };
                let class_name = class.name.clone();
                let names = |name: &str| declared.resolve(name);
                let mut method = parse_signature(rest, &class_name, &names)
                    .map_err(|(offset, message)| err(rest_at + offset, message))?;
                let refusal = keywords::member_name_refusal(&method.short, "method").or_else(|| {
                    keywords::LUA_KEYWORDS.contains(&method.short.as_str()).then(|| {
                        format!(
                            "a method cannot be named `{}`: it is a keyword in Lua, where `object:{}()` does not parse; choose another name",
                            method.short, method.short
                        )
                    })
                });
                if let Some(refusal) = refusal {
                    return Err(err(rest_at, refusal));
                }
                if class.method(&method.short).is_some() {
                    return Err(err(rest_at, format!("`{}` is declared twice", method.name)));
                }
                method.line = line_no;
                awaiting = Some((line_no, method.name.clone()));
                if let Some(class) = spec.classes.last_mut() {
                    class.methods.push(method);
                }
                target = TextTarget::MethodDescription;
            }
            "record" | "enum" | "class" => {
                let prefix = format!("{}.", spec.module);
                if !rest.starts_with(&prefix) || !is_type_name(rest) {
                    return Err(err(
                        rest_at,
                        format!(
                            "expected {} name like `{prefix}Name` (the module's name, then a capitalized name), found `{rest}`",
                            if keyword == "enum" {
                                "an enum"
                            } else if keyword == "class" {
                                "a class"
                            } else {
                                "a record"
                            }
                        ),
                    ));
                }
                if declared.types.contains_key(rest)
                    || declared
                        .lines
                        .get(rest)
                        .is_some_and(|line| *line != line_no)
                {
                    return Err(err(
                        rest_at,
                        format!(
                            "`{rest}` is declared twice (a record, enum or class name is declared once)"
                        ),
                    ));
                }
                if group_names.contains(rest) || function_names.contains(rest) {
                    return Err(err(
                        rest_at,
                        format!("`{rest}` has the name of a group or function declared before"),
                    ));
                }
                let name = rest.to_string();
                block = match keyword {
                    "record" => {
                        spec.records.push(Record {
                            name,
                            text: Vec::new(),
                            fields: Vec::new(),
                            line: line_no,
                        });
                        Block::Record
                    }
                    "enum" => {
                        spec.enums.push(Enum {
                            name,
                            text: Vec::new(),
                            values: Vec::new(),
                            line: line_no,
                        });
                        Block::Enum
                    }
                    _ => {
                        let class = Class {
                            name,
                            text: Vec::new(),
                            methods: Vec::new(),
                            line: line_no,
                        };
                        // Declared at once: its own methods may take or return it.
                        declared.types.insert(class.name.clone(), class.ty());
                        spec.classes.push(class);
                        Block::Class
                    }
                };
                target = TextTarget::None;
            }
            "field" => {
                let (Block::Record, Some(record)) = (block, spec.records.last()) else {
                    return Err(err(indent, "`field` must be inside a `record`".into()));
                };
                let names = |name: &str| declared.resolve(name);
                let field = parse_field(rest, &names)
                    .map_err(|(offset, message)| err(rest_at + offset, message))?;
                if let Some(refusal) = keywords::member_name_refusal(&field.0, "field") {
                    return Err(err(rest_at, refusal));
                }
                if record.fields.iter().any(|f| f.name == field.0) {
                    return Err(err(
                        rest_at,
                        format!("field `{}` of `{}` is declared twice", field.0, record.name),
                    ));
                }
                awaiting = Some((line_no, format!("{}.{}", record.name, field.0)));
                if let Some(record) = spec.records.last_mut() {
                    record.fields.push(Field {
                        name: field.0,
                        ty: field.1,
                        description: String::new(),
                        line: line_no,
                    });
                }
                target = TextTarget::FieldDescription;
            }
            "value" => {
                let (Block::Enum, Some(choice)) = (block, spec.enums.last()) else {
                    return Err(err(indent, "`value` must be inside an `enum`".into()));
                };
                if !is_identifier(rest) {
                    return Err(err(
                        rest_at,
                        format!("expected an enum value (letters, digits, `_`), found `{rest}`"),
                    ));
                }
                if choice.values.iter().any(|v| v.name == rest) {
                    return Err(err(
                        rest_at,
                        format!("value `{rest}` of `{}` is declared twice", choice.name),
                    ));
                }
                awaiting = Some((line_no, format!("{}.{rest}", choice.name)));
                if let Some(choice) = spec.enums.last_mut() {
                    choice.values.push(EnumValue {
                        name: rest.to_string(),
                        description: String::new(),
                        line: line_no,
                    });
                }
                target = TextTarget::ValueDescription;
            }
            "example" => {
                if !is_identifier(rest) {
                    return Err(err(
                        rest_at,
                        format!(
                            "expected the example's language, like `example goost`, found `{rest}`"
                        ),
                    ));
                }
                if spec.example.is_some() {
                    return Err(err(indent, "`example` appears twice".into()));
                }
                spec.example = Some(Example {
                    lang: rest.to_string(),
                    lines: Vec::new(),
                });
                target = TextTarget::Example;
            }
            other => {
                return Err(err(
                    indent,
                    format!("unknown keyword `{other}`: expected {KEYWORDS}"),
                ));
            }
        }
    }
    if let Some((line, what)) = awaiting {
        return Err(no_description(line, &what));
    }
    close_block(&spec, block, &mut declared)?;
    if spec.module.is_empty() {
        return Err(SpecError {
            line: 1,
            col: 1,
            message: "the spec is empty: it must start with `module NAME`".into(),
        });
    }
    // Trailing blank text lines of an example are not part of it.
    if let Some(example) = spec.example.as_mut() {
        while example.lines.last().is_some_and(|l| l.is_empty()) {
            example.lines.pop();
        }
    }
    Ok(spec)
}

/// The error of a `fn`, `field` or `value` on line `line`, named `what`, with no
/// one-line description under it.
fn no_description(line: usize, what: &str) -> SpecError {
    SpecError {
        line,
        col: 1,
        message: format!("`{what}` has no description: add a `| text` line under it"),
    }
}

/// Ends the `block` just read: a record or enum with at least one field or value becomes
/// a type the lines after it may name.
fn close_block(spec: &Spec, block: Block, declared: &mut DeclaredTypes) -> Result<(), SpecError> {
    let (name, line, ty, empty, what) = match block {
        Block::Record => {
            let Some(record) = spec.records.last() else {
                return Ok(());
            };
            let empty = record.fields.is_empty();
            let ty = if empty { ScriptType::Void } else { record.ty() };
            (
                &record.name,
                record.line,
                ty,
                empty,
                "a record has fields: add `field NAME: TYPE` lines",
            )
        }
        Block::Enum => {
            let Some(choice) = spec.enums.last() else {
                return Ok(());
            };
            let empty = choice.values.is_empty();
            let ty = if empty { ScriptType::Void } else { choice.ty() };
            (
                &choice.name,
                choice.line,
                ty,
                empty,
                "an enum has values: add `value NAME` lines",
            )
        }
        Block::None | Block::Group | Block::Class => return Ok(()),
    };
    if empty {
        return Err(SpecError {
            line,
            col: 1,
            message: format!("`{name}` is empty: {what}"),
        });
    }
    declared.types.insert(name.clone(), ty);
    Ok(())
}

fn last_group(spec: &mut Spec) -> &mut Group {
    spec.groups
        .last_mut()
        .expect("group targets are only set once a group exists")
}

/// The largest number one part of a spec's version may be (nine digits).
pub const MAX_VERSION_PART: u64 = 999_999_999;

/// `MAJOR.MINOR.PATCH`, each a decimal number of at most nine digits.
fn is_version(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn is_identifier(word: &str) -> bool {
    let mut chars = word.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses `write(id: int, data: string) -> bool` (or with `→`). Errors carry a byte offset
/// into `text`.
fn parse_signature(
    text: &str,
    group: &str,
    names: &NameResolver<'_>,
) -> Result<Function, (usize, String)> {
    let open = text.find('(').ok_or((
        text.len(),
        "expected `(` after the function name".to_string(),
    ))?;
    let short = text[..open].trim_end();
    if !is_identifier(short) {
        return Err((0, format!("expected a function name, found `{short}`")));
    }
    let close = text[open..].find(')').map(|at| open + at).ok_or((
        text.len(),
        "expected `)` to close the parameter list".to_string(),
    ))?;
    let mut params: Vec<Param> = Vec::new();
    let inner = &text[open + 1..close];
    if !inner.trim().is_empty() {
        let mut offset = open + 1;
        for piece in inner.split(',') {
            let lead = piece.len() - piece.trim_start().len();
            let at = offset + lead;
            let (name, ty) = piece.split_once(':').ok_or((
                at,
                format!("expected `name: type`, found `{}`", piece.trim()),
            ))?;
            let name = name.trim();
            if !is_identifier(name) {
                return Err((at, format!("expected a parameter name, found `{name}`")));
            }
            let ty_at = offset + name.len() + lead + 1 + (ty.len() - ty.trim_start().len());
            let ty_word = ty.trim();
            let ty = match ScriptType::parse_with_names(ty_word, names) {
                Ok(ScriptType::Void) => {
                    return Err((ty_at, format!("parameter `{name}` cannot be `void`")));
                }
                Ok(ty) => ty,
                Err(e) => return Err((ty_at + e.at, e.message)),
            };
            if !ty.is_optional() && params.iter().any(|p| p.ty.is_optional()) {
                return Err((
                    at,
                    format!(
                        "parameter `{name}` is required but follows an optional one: optional parameters come last"
                    ),
                ));
            }
            if params.iter().any(|p| p.name == name) {
                return Err((at, format!("parameter `{name}` appears twice")));
            }
            params.push(Param {
                name: name.to_string(),
                ty,
            });
            offset += piece.len() + 1;
        }
    }
    let after = &text[close + 1..];
    let arrow_rel = after.len() - after.trim_start().len();
    let after_trim = after.trim_start();
    let ret_text = after_trim
        .strip_prefix("->")
        .or_else(|| after_trim.strip_prefix('→'))
        .ok_or((
            close + 1 + arrow_rel,
            "expected `->` (or `→`) and a result type after the parameters".to_string(),
        ))?;
    let ret_at = text.len() - ret_text.trim_start().len();
    let ret_word = ret_text.trim();
    let ret =
        ScriptType::parse_with_names(ret_word, names).map_err(|e| (ret_at + e.at, e.message))?;
    Ok(Function {
        name: format!("{group}.{short}"),
        short: short.to_string(),
        params,
        ret,
        description: String::new(),
        line: 0,
    })
}

/// Parses a field's `x: float` into its name and type. Errors carry a byte offset into
/// `text`.
fn parse_field(
    text: &str,
    names: &NameResolver<'_>,
) -> Result<(String, ScriptType), (usize, String)> {
    let (name, ty) = text
        .split_once(':')
        .ok_or((0, format!("expected `name: type`, found `{text}`")))?;
    let name = name.trim_end();
    if !is_identifier(name) {
        return Err((0, format!("expected a field name, found `{name}`")));
    }
    let ty_at = text.len() - ty.trim_start().len();
    let ty_word = ty.trim();
    match ScriptType::parse_with_names(ty_word, names) {
        Ok(ScriptType::Void) => Err((ty_at, format!("field `{name}` cannot be `void`"))),
        Ok(ty) => Ok((name.to_string(), ty)),
        Err(e) => Err((ty_at + e.at, e.message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "\
-- a comment
module demo
summary Demo things.
text
  | First paragraph.
  |
  | Second.
group demo.math
  text
    | Arithmetic.
  fn add(a: int, b: int) → int
    | Add two numbers
  fn greet(name: string) -> void
    | Say hello
example goost
  | import demo
  | print(demo.math.add(1, 2))
";

    #[test]
    fn parses_module_groups_functions_and_example() {
        let spec = parse(SMALL).unwrap();
        assert_eq!(spec.module, "demo");
        assert_eq!(spec.summary, "Demo things.");
        assert_eq!(spec.text, ["First paragraph.", "", "Second."]);
        assert_eq!(spec.groups.len(), 1);
        let group = &spec.groups[0];
        assert_eq!(group.name, "demo.math");
        assert_eq!(group.text, ["Arithmetic."]);
        let add = &group.functions[0];
        assert_eq!(add.signature(), "demo.math.add(a: int, b: int) -> int");
        assert_eq!(
            add.signature_with_arrow("→"),
            "demo.math.add(a: int, b: int) → int"
        );
        assert_eq!(add.description, "Add two numbers");
        assert_eq!(add.line, 11);
        assert_eq!(group.functions[1].ret, ScriptType::Void);
        let example = spec.example.unwrap();
        assert_eq!(example.lang, "goost");
        assert_eq!(example.lines, ["import demo", "print(demo.math.add(1, 2))"]);
    }

    #[test]
    fn reads_the_version_line_and_refuses_a_malformed_one() {
        let spec = parse("module m\nversion 1.20.3\n").unwrap();
        assert_eq!(spec.version.as_deref(), Some("1.20.3"));
        assert_eq!(parse("module m\n").unwrap().version, None);
        assert_eq!(
            error_of("module m\nversion 1.2\n"),
            "2:9: expected a version like `1.0.0` (MAJOR.MINOR.PATCH), found `1.2`"
        );
        assert_eq!(
            error_of("module m\nversion 1.0.0\nversion 1.0.1\n"),
            "3:1: `version` appears twice"
        );
    }

    fn error_of(source: &str) -> String {
        parse(source).unwrap_err().to_string()
    }

    #[test]
    fn parses_float_lists_and_optional_types_and_prints_them_back() {
        let source = "module m\ngroup m.g\n  fn f(x: float, xs: list<list<int>>, s: string?, t: list<string>?) -> list<string?>\n    | x\n";
        let spec = parse(source).unwrap();
        let f = &spec.groups[0].functions[0];
        assert_eq!(
            f.signature(),
            "m.g.f(x: float, xs: list<list<int>>, s: string?, t: list<string>?) -> list<string?>"
        );
        assert_eq!(
            f.params[1].ty,
            ScriptType::List(&ScriptType::List(&ScriptType::Int))
        );
        assert_eq!(f.params[2].ty, ScriptType::Optional(&ScriptType::String));
        assert_eq!(f.required_params(), 2);
        assert!(
            f.params[1]
                .ty
                .is(ScriptType::List(&ScriptType::List(&ScriptType::Int)))
        );
        assert!(!f.params[1].ty.is(ScriptType::List(&ScriptType::Int)));
    }

    #[test]
    fn reports_misplaced_types_at_their_column() {
        let at = |signature: &str| {
            error_of(&format!("module m\ngroup m.g\n  fn {signature}\n    | x\n"))
        };
        assert_eq!(
            at("f(a: list<void>) -> int"),
            "3:16: a list cannot hold `void`"
        );
        assert_eq!(
            at("f(a: list<nope>) -> int"),
            "3:16: unknown type `nope`: expected `int`, `float`, `string`, `bool`, `void`, `list<T>`, `map<T>`, `T?` or a declared record, enum or class (`module.Name`)"
        );
        assert_eq!(
            at("f(a: int??) -> int"),
            "3:11: `int??`: `?` makes a value optional; `int?` cannot be"
        );
        assert_eq!(
            at("f(a: int?, b: int) -> int"),
            "3:17: parameter `b` is required but follows an optional one: optional parameters come last"
        );
        assert_eq!(at("f() -> list<void>"), "3:18: a list cannot hold `void`");
    }

    #[test]
    fn reports_unknown_type_with_its_column() {
        let source = "module m\ngroup m.g\n  fn f(a: double) -> int\n    | x\n";
        assert_eq!(
            error_of(source),
            "3:11: unknown type `double`: expected `int`, `float`, `string`, `bool`, `void`, `list<T>`, `map<T>`, `T?` or a declared record, enum or class (`module.Name`)"
        );
    }

    #[test]
    fn reports_missing_arrow() {
        let source = "module m\ngroup m.g\n  fn f(a: int) int\n    | x\n";
        assert_eq!(
            error_of(source),
            "3:16: expected `->` (or `→`) and a result type after the parameters"
        );
    }

    #[test]
    fn reports_void_parameter_and_duplicate_parameter() {
        let void = "module m\ngroup m.g\n  fn f(a: void) -> int\n    | x\n";
        assert_eq!(error_of(void), "3:11: parameter `a` cannot be `void`");
        let twice = "module m\ngroup m.g\n  fn f(a: int, a: int) -> int\n    | x\n";
        assert_eq!(error_of(twice), "3:16: parameter `a` appears twice");
    }

    #[test]
    fn reports_missing_description() {
        let source = "module m\ngroup m.g\n  fn f() -> int\n  fn g() -> int\n    | x\n";
        assert_eq!(
            error_of(source),
            "3:1: `m.g.f` has no description: add a `| text` line under it"
        );
        let at_end = "module m\ngroup m.g\n  fn f() -> int\n";
        assert_eq!(
            error_of(at_end),
            "3:1: `m.g.f` has no description: add a `| text` line under it"
        );
    }

    #[test]
    fn reports_unknown_keyword_and_misplaced_lines() {
        assert_eq!(
            error_of("module m\nfunc f() -> int\n"),
            format!("2:1: unknown keyword `func`: expected {KEYWORDS}")
        );
        assert_eq!(
            error_of("module m\n| stray\n"),
            "2:1: a `|` text line must follow `text`, `fn` or `example`"
        );
        assert_eq!(
            error_of("group m.g\n"),
            "1:1: the spec must start with `module NAME`, found `group`"
        );
        assert_eq!(
            error_of("module m\ngroup other.g\n"),
            "2:7: expected a group name like `m.NAME`, found `other.g`"
        );
        assert_eq!(
            error_of("module m\ngroup m.g\n  fn f() -> int\n    | a\n    | b\n"),
            "5:5: the description of `m.g.f` must be one line (it is a table cell)"
        );
        assert_eq!(
            error_of(""),
            "1:1: the spec is empty: it must start with `module NAME`"
        );
    }

    /// Issue 26, item 1: a name that is a keyword in some engine is refused at the spec
    /// where no engine could call it, and taken where each engine can.
    #[test]
    fn names_that_are_keywords_are_refused_where_an_engine_cannot_call_them() {
        assert_eq!(
            error_of(
                "module end
"
            ),
            "1:8: a module cannot be named `end`: it is a keyword in Lua, where scripts name the module on its own"
        );
        assert_eq!(
            error_of(
                "module m
group m.fmt.fn
"
            ),
            "2:13: a group cannot be named `fn`: it is a keyword in Rhai, where `m::fn` does not parse; choose another name"
        );
        assert_eq!(
            error_of(
                "module m
group m.g
  fn print(x: int) -> void
    | P
"
            ),
            "3:6: a function cannot be named `print`: it is a keyword in Rhai, where `m::print` does not parse; choose another name"
        );
        // Lua keywords and the words Rhai only reserves are names every engine can call.
        let spec = parse(
            "module text
group text.end
  fn repeat(s: string, end: int) -> string
    | R
  fn match(function: string) -> bool
    | M
",
        )
        .unwrap();
        let names: Vec<&str> = spec.functions().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["text.end.repeat", "text.end.match"]);
    }

    #[test]
    fn reports_duplicates() {
        assert_eq!(
            error_of("module m\ngroup m.g\ngroup m.g\n"),
            "3:7: group `m.g` is declared twice"
        );
        assert_eq!(
            error_of("module m\ngroup m.g\n fn f() -> int\n  | a\n fn f() -> int\n  | b\n"),
            "5:5: `m.g.f` is declared twice"
        );
    }

    /// docs/history/reliability.md, round 3, item 13: a name is a group or a function, not both (the Lua
    /// definitions wrote the group's table over the function).
    #[test]
    fn reports_a_group_and_a_function_of_one_name() {
        assert_eq!(
            error_of("module m\ngroup m.a\n fn b() -> int\n  | x\ngroup m.a.b\n"),
            "5:7: group `m.a.b` has the name of a function declared before"
        );
        assert_eq!(
            error_of("module m\ngroup m.a.b\ngroup m.a\n fn b() -> int\n  | x\n"),
            "4:5: `m.a.b` has the name of a group: a name is a group or a function, not both"
        );
    }

    /// docs/history/reliability.md, round 3, items 9 and 12: a type nested 100,000 deep overflowed the
    /// parser's stack, and 4,000 deep took 22 s.
    #[test]
    fn a_type_nested_past_the_limit_is_an_error_not_a_stack_overflow() {
        for deep in [
            format!("{}int{}", "list<".repeat(100_000), ">".repeat(100_000)),
            format!("int{}", "?".repeat(100_000)),
            format!("{}int{}", "list<".repeat(65), ">".repeat(65)),
        ] {
            let error = error_of(&format!(
                "module m\ngroup m.g\n fn f(x: {deep}) -> int\n  | x\n"
            ));
            assert!(
                error.ends_with("the type nests more than 64 levels deep"),
                "{}",
                &error[..error.len().min(200)]
            );
        }
        let deepest = format!("{}int{}", "list<".repeat(64), ">".repeat(64));
        parse(&format!(
            "module m\ngroup m.g\n fn f(x: {deepest}) -> int\n  | x\n"
        ))
        .unwrap();
    }

    /// docs/history/reliability.md, round 3, item 12: 80,000 functions in one group took over 60 s (a
    /// duplicate check per function over all before it); names are now found by hash.
    #[test]
    fn a_spec_of_eighty_thousand_functions_parses() {
        let mut source = String::from("module m\ngroup m.g\n");
        for i in 0..80_000 {
            source.push_str(&format!(" fn f{i}(x: int) -> int\n  | x\n"));
        }
        let spec = parse(&source).unwrap();
        assert_eq!(spec.groups[0].functions.len(), 80_000);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let source = "module m\ngroup m.g\n  fn f() → nope\n    | x\n";
        assert_eq!(
            error_of(source),
            "3:12: unknown type `nope`: expected `int`, `float`, `string`, `bool`, `void`, `list<T>`, `map<T>`, `T?` or a declared record, enum or class (`module.Name`)"
        );
    }

    #[test]
    fn parses_the_memory_spec() {
        let source = include_str!("../memory.spec");
        let spec = parse(source).unwrap();
        assert_eq!(spec.module, "memory");
        assert_eq!(spec.functions().count(), 18);
        assert_eq!(
            spec.function("memory.buffer.write").unwrap().signature(),
            "memory.buffer.write(id: int, data: string) -> bool"
        );
    }

    const GEO_TYPES: &str = "\
module geo
record geo.Point
  text
    | A point on the plane, in metres.
  field x: float
    | Metres east of the origin
  field y: float
    | Metres north of the origin
  field label: string?
    | What the point is called
enum geo.Unit
  value m
    | Metres
  value km
    | Kilometres
record geo.Trip
  field stops: list<geo.Point>
    | Where the trip goes
  field unit: geo.Unit?
    | How to show its length
group geo.point
  fn mid(a: geo.Point, b: geo.Point) -> geo.Point
    | The midpoint
  fn count(points: list<geo.Point>) -> map<int>
    | Points per label
";

    #[test]
    fn parses_records_enums_and_maps_and_types_that_name_them() {
        let spec = parse(GEO_TYPES).unwrap();
        assert_eq!(spec.records.len(), 2);
        let point = &spec.records[0];
        assert_eq!(point.name, "geo.Point");
        assert_eq!(point.text, ["A point on the plane, in metres."]);
        let fields: Vec<String> = point
            .fields
            .iter()
            .map(|f| format!("{}: {} ({}) @{}", f.name, f.ty, f.description, f.line))
            .collect();
        assert_eq!(
            fields,
            [
                "x: float (Metres east of the origin) @5",
                "y: float (Metres north of the origin) @7",
                "label: string? (What the point is called) @9"
            ]
        );
        let unit = &spec.enums[0];
        assert_eq!(unit.name, "geo.Unit");
        let values: Vec<&str> = unit.values.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(values, ["m", "km"]);
        let trip = &spec.records[1];
        assert_eq!(trip.fields[0].ty.to_string(), "list<geo.Point>");
        assert_eq!(trip.fields[1].ty.to_string(), "geo.Unit?");
        let ScriptType::List(ScriptType::Record(stop)) = trip.fields[0].ty else {
            panic!("{:?}", trip.fields[0].ty)
        };
        let names: Vec<&str> = stop.fields.iter().map(|f| f.name).collect();
        assert_eq!(names, ["x", "y", "label"]);
        assert_eq!(stop.fields[2].ty, ScriptType::parse("string?").unwrap());
        let mid = spec.function("geo.point.mid").unwrap();
        assert_eq!(
            mid.signature(),
            "geo.point.mid(a: geo.Point, b: geo.Point) -> geo.Point"
        );
        assert_eq!(mid.params[0].ty, point.ty());
        assert!(mid.ret.is(point.ty()));
        assert_eq!(
            spec.function("geo.point.count").unwrap().signature(),
            "geo.point.count(points: list<geo.Point>) -> map<int>"
        );
    }

    #[test]
    fn reports_each_misuse_of_records_and_enums_at_its_line_and_column() {
        let with = |body: &str| error_of(&format!("module geo\n{body}"));
        assert_eq!(
            with(
                "group geo.g\n  fn f(p: geo.Pointt) -> int\n    | x\nrecord geo.Point\n  field x: int\n    | x\n"
            ),
            "3:11: unknown type `geo.Pointt`: no record, enum or class of that name is declared"
        );
        assert_eq!(
            with(
                "record geo.Point\n  field x: int\n    | x\ngroup geo.g\n  fn f(p: geo.Pont) -> int\n    | x\n"
            ),
            "6:11: unknown type `geo.Pont`: the nearest declared types are `geo.Point`"
        );
        assert_eq!(
            with(
                "group geo.g\n  fn f(p: geo.Point) -> int\n    | x\nrecord geo.Point\n  field x: int\n    | x\n"
            ),
            "3:11: `geo.Point` is declared at line 5, after this use: a record, enum or class is declared before the groups, records and classes that use it (so a record cannot hold itself)"
        );
        assert_eq!(
            with("record geo.Node\n  field next: geo.Node?\n    | x\n"),
            "3:15: `geo.Node` is declared at line 2, after this use: a record, enum or class is declared before the groups, records and classes that use it (so a record cannot hold itself)"
        );
        assert_eq!(
            with("record geo.P\n  field x: int\n    | x\nenum geo.P\n  value a\n    | a\n"),
            "5:6: `geo.P` is declared twice (a record, enum or class name is declared once)"
        );
        assert_eq!(
            with("record geo.point\n"),
            "2:8: expected a record name like `geo.Name` (the module's name, then a capitalized name), found `geo.point`"
        );
        assert_eq!(
            with("enum other.Unit\n"),
            "2:6: expected an enum name like `geo.Name` (the module's name, then a capitalized name), found `other.Unit`"
        );
        assert_eq!(
            with("field x: int\n"),
            "2:1: `field` must be inside a `record`"
        );
        assert_eq!(
            with("record geo.P\n  field x: int\n    | x\n  value a\n"),
            "5:3: `value` must be inside an `enum`"
        );
        assert_eq!(
            with("record geo.P\n  field x: int\n    | x\n  fn f() -> int\n    | x\n"),
            "5:3: `fn` must be inside a `group`"
        );
        assert_eq!(
            with("record geo.P\ngroup geo.g\n"),
            "2:1: `geo.P` is empty: a record has fields: add `field NAME: TYPE` lines"
        );
        assert_eq!(
            with("enum geo.U\n"),
            "2:1: `geo.U` is empty: an enum has values: add `value NAME` lines"
        );
        assert_eq!(
            with("record geo.P\n  field x: int\n  field y: int\n    | y\n"),
            "3:1: `geo.P.x` has no description: add a `| text` line under it"
        );
        assert_eq!(
            with("record geo.P\n  field x: int\n    | x\n  field x: float\n    | x\n"),
            "5:9: field `x` of `geo.P` is declared twice"
        );
        assert_eq!(
            with("record geo.P\n  field x: void\n    | x\n"),
            "3:12: field `x` cannot be `void`"
        );
        assert_eq!(
            with("enum geo.U\n  value a\n    | a\n  value a\n    | b\n"),
            "5:9: value `a` of `geo.U` is declared twice"
        );
        assert_eq!(
            with("group geo.g\n  fn f(m: map<void>) -> int\n    | x\n"),
            "3:15: a map cannot hold `void`"
        );
    }

    #[test]
    fn parses_a_class_whose_methods_may_name_it_and_constructors_that_return_it() {
        let spec = parse(
            "module geo\nclass geo.Path\n  text\n    | A path of points.\n  method push(x: float, y: float) -> int\n    | Appends a point\n  method copy() -> geo.Path\n    | A copy\ngroup geo.path\n  fn new(name: string) -> geo.Path\n    | A new path\n  fn longest(paths: list<geo.Path>) -> geo.Path?\n    | The longest\n",
        )
        .unwrap();
        let path = &spec.classes[0];
        assert_eq!(path.name, "geo.Path");
        assert_eq!(path.text, ["A path of points."]);
        let methods: Vec<String> = path.methods.iter().map(|m| m.signature()).collect();
        assert_eq!(
            methods,
            [
                "geo.Path.push(x: float, y: float) -> int",
                "geo.Path.copy() -> geo.Path"
            ]
        );
        assert_eq!(path.method("push").map(|m| m.line), Some(5));
        assert!(path.methods[1].ret.is(path.ty()));
        assert_eq!(
            spec.function("geo.path.longest").unwrap().signature(),
            "geo.path.longest(paths: list<geo.Path>) -> geo.Path?"
        );
        assert_eq!(spec.function("geo.path.new").unwrap().ret, path.ty());
    }

    #[test]
    fn reports_each_misuse_of_classes_at_its_line_and_column() {
        let with = |body: &str| error_of(&format!("module geo\n{body}"));
        assert_eq!(
            with("method f() -> int\n"),
            "2:1: `method` must be inside a `class`"
        );
        assert_eq!(
            with("class geo.P\n  fn f() -> int\n    | x\n"),
            "3:3: `fn` must be inside a `group`"
        );
        assert_eq!(
            with("group geo.g\n  fn f() -> geo.P\n    | x\nclass geo.P\n"),
            "3:13: `geo.P` is declared at line 5, after this use: a record, enum or class is declared before the groups, records and classes that use it (so a record cannot hold itself)"
        );
        assert_eq!(
            with("class geo.P\n  method f() -> int\n    | x\n  method f() -> int\n    | y\n"),
            "5:10: `geo.P.f` is declared twice"
        );
        assert_eq!(
            with("class geo.P\n  method end() -> int\n    | x\n"),
            "3:10: a method cannot be named `end`: it is a keyword in Lua, where `object:end()` does not parse; choose another name"
        );
        assert_eq!(
            with("class geo.P\n  method f() -> int\nclass geo.Q\n"),
            "3:1: `geo.P.f` has no description: add a `| text` line under it"
        );
        assert_eq!(
            with("record geo.P\n  field x: int\n    | x\nclass geo.P\n"),
            "5:7: `geo.P` is declared twice (a record, enum or class name is declared once)"
        );
    }
}
