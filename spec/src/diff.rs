//! Two versions of a spec compared: each change classified as compatible (every script
//! that ran against the old spec still runs) or breaking (some script may not).
//!
//! The rules, for callers that pass arguments by position (goost, Lua and Rhai all do):
//! - a function added, an optional parameter added at the end, a required parameter made
//!   optional, an `int` parameter widened to `float`, a result that can no longer be nil
//!   (`T?` to `T`), a `void` result that now returns a value, a parameter renamed and a
//!   description reworded are compatible;
//! - a function removed or renamed (a function gone and one with the same parameters and
//!   result added in its group), a required parameter added, a parameter removed or made
//!   required, and any other change of a type are breaking.
//!
//! A record or enum is compared once, by name, and each change is classified by where the
//! type is used: in what a script passes (a parameter, or inside one), in what it gets
//! back (a result), or both (then the stricter rule holds), or nowhere (compatible):
//! - a field added: required, breaking where passed; optional, compatible; compatible
//!   where returned (a script ignores what it does not read);
//! - a field removed: breaking (a script that passes it is refused, one that reads it
//!   finds nothing);
//! - a field's type changed: as a parameter's where passed, as a result's where
//!   returned;
//! - an enum value added: compatible where passed, breaking where returned (a script may
//!   not handle it); removed: breaking where passed, compatible where returned;
//! - a record or enum added or removed: compatible (a function whose type changed says so
//!   itself);
//! - a class added, or a method added to one: compatible; a class or a method removed:
//!   breaking; a method changed: as a function is.
//!
//! A function's type that names a record or enum is compared by name: what changed inside
//! is reported at the record or enum.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::{Class, Enum, Function, Record, ScriptType, Spec};

/// Whether a change can break a script written against the old spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Every old script still runs.
    Compatible,
    /// Some old script may stop working.
    Breaking,
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Impact::Compatible => "compatible",
            Impact::Breaking => "breaking",
        })
    }
}

/// One difference between the two specs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Whether it can break scripts.
    pub impact: Impact,
    /// What changed, naming the function and the parameter: `memory.buffer.write:
    /// required parameter `flags: int` added`.
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.impact, self.what)
    }
}

/// Every change from `old` to `new`, in the order of the new spec's functions (removed
/// ones where they were).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecDiff {
    /// The changes.
    pub changes: Vec<Change>,
    /// The old and new `version` lines.
    pub versions: (Option<String>, Option<String>),
}

impl SpecDiff {
    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.impact == Impact::Breaking)
    }

    /// What the versions say against the changes, if it is wrong: breaking changes need a
    /// new major version (a new minor one before 1.0.0), compatible additions at least a
    /// new patch.
    pub fn version_advice(&self) -> Option<String> {
        let (Some(old), Some(new)) = (&self.versions.0, &self.versions.1) else {
            return None;
        };
        let parse = |v: &str| -> Option<(u64, u64, u64)> {
            let mut parts = v.split('.').map(|p| p.parse::<u64>().ok());
            Some((parts.next()??, parts.next()??, parts.next()??))
        };
        let (o, n) = (parse(old)?, parse(new)?);
        if self.is_breaking() {
            let bumped = if o.0 == 0 {
                n.0 > 0 || n.1 > o.1
            } else {
                n.0 > o.0
            };
            if !bumped {
                let next = if o.0 == 0 { o.1 + 1 } else { o.0 + 1 };
                if next > crate::parse::MAX_VERSION_PART {
                    return Some(format!(
                        "version {old} -> {new} does not mark the breaking changes, and no later version can: each part of a version is at most {}",
                        crate::parse::MAX_VERSION_PART
                    ));
                }
                let wanted = if o.0 == 0 {
                    format!("0.{next}.0")
                } else {
                    format!("{next}.0.0")
                };
                return Some(format!(
                    "version {old} -> {new} does not mark the breaking changes: semver asks for {wanted} or later"
                ));
            }
        } else if !self.changes.is_empty() && n <= o {
            return Some(format!(
                "version {old} -> {new}: the spec changed, so the version should rise"
            ));
        }
        None
    }
}

/// Compares two specs.
pub fn diff(old: &Spec, new: &Spec) -> SpecDiff {
    let mut changes = Vec::new();
    let mut push = |impact, what: String| changes.push(Change { impact, what });
    if old.module != new.module {
        push(
            Impact::Breaking,
            format!(
                "module renamed from `{}` to `{}`: every import breaks",
                old.module, new.module
            ),
        );
    }
    // Each function found by name, and each added function by its group and shape, once:
    // a diff of specs with tens of thousands of functions stays linear.
    let old_by_name: HashMap<&str, &Function> =
        old.functions().map(|f| (f.name.as_str(), f)).collect();
    let new_by_name: HashMap<&str, &Function> =
        new.functions().map(|f| (f.name.as_str(), f)).collect();
    let mut added_by_shape: HashMap<ShapeKey<'_>, &Function> = HashMap::new();
    for added in new
        .functions()
        .filter(|f| !old_by_name.contains_key(f.name.as_str()))
    {
        added_by_shape.entry(shape_key(added)).or_insert(added);
    }
    let gone: Vec<&Function> = old
        .functions()
        .filter(|f| !new_by_name.contains_key(f.name.as_str()))
        .collect();
    let renamed: HashMap<&str, &Function> = gone
        .iter()
        .filter_map(|gone| {
            added_by_shape
                .get(&shape_key(gone))
                .map(|added| (gone.name.as_str(), *added))
        })
        .collect();
    let renamed_to: HashSet<&str> = renamed.values().map(|to| to.name.as_str()).collect();
    for gone in gone {
        match renamed.get(gone.name.as_str()) {
            Some(to) => push(
                Impact::Breaking,
                format!("`{}` renamed to `{}`", gone.name, to.name),
            ),
            None => push(Impact::Breaking, format!("`{}` removed", gone.signature())),
        }
    }
    for function in new.functions() {
        let Some(before) = old_by_name.get(function.name.as_str()) else {
            if !renamed_to.contains(function.name.as_str()) {
                push(
                    Impact::Compatible,
                    format!("`{}` added", function.signature()),
                );
            }
            continue;
        };
        compare(before, function, &mut push);
    }
    compare_types(old, new, &mut push);
    SpecDiff {
        changes,
        versions: (old.version.clone(), new.version.clone()),
    }
}

/// Where a declared type is used: in what scripts pass, in what they get back.
#[derive(Clone, Copy, Default)]
struct Uses {
    passed: bool,
    returned: bool,
}

impl Uses {
    /// Where the type named `name` is used in either spec.
    fn of(name: &str, specs: [&Spec; 2]) -> Uses {
        let mut uses = Uses::default();
        for spec in specs {
            for function in spec.functions() {
                for param in &function.params {
                    uses.passed |= names(param.ty, name);
                }
                uses.returned |= names(function.ret, name);
            }
        }
        uses
    }

    /// The impact of a change that is `if_passed` where the type is passed and
    /// `if_returned` where it is returned; compatible where it is not used.
    fn impact(self, if_passed: Impact, if_returned: Impact) -> Impact {
        let mut impact = Impact::Compatible;
        if self.passed {
            impact = impact.max(if_passed);
        }
        if self.returned {
            impact = impact.max(if_returned);
        }
        impact
    }
}

/// Whether `ty` is or holds the declared type `name` (through lists, maps, optionals and
/// other records' fields).
fn names(ty: ScriptType, name: &str) -> bool {
    match ty {
        ScriptType::List(inner) | ScriptType::Optional(inner) | ScriptType::Map(inner) => {
            names(*inner, name)
        }
        ScriptType::Record(record) => {
            record.name == name || record.fields.iter().any(|f| names(f.ty, name))
        }
        ScriptType::Enum(choice) => choice.name == name,
        ScriptType::Class(class) => class.name == name,
        _ => false,
    }
}

/// The changes to the records, enums and classes, by name.
fn compare_types(old: &Spec, new: &Spec, push: &mut impl FnMut(Impact, String)) {
    let old_classes: HashMap<&str, &Class> =
        old.classes.iter().map(|c| (c.name.as_str(), c)).collect();
    let new_classes: HashSet<&str> = new.classes.iter().map(|c| c.name.as_str()).collect();
    for gone in old
        .classes
        .iter()
        .filter(|c| !new_classes.contains(c.name.as_str()))
    {
        push(Impact::Breaking, format!("class `{}` removed", gone.name));
    }
    for class in &new.classes {
        let Some(before) = old_classes.get(class.name.as_str()) else {
            push(Impact::Compatible, format!("class `{}` added", class.name));
            continue;
        };
        for gone in before
            .methods
            .iter()
            .filter(|m| class.method(&m.short).is_none())
        {
            push(
                Impact::Breaking,
                format!("method `{}` removed", gone.signature()),
            );
        }
        for method in &class.methods {
            match before.method(&method.short) {
                Some(was) => compare(was, method, push),
                None => push(
                    Impact::Compatible,
                    format!("method `{}` added", method.signature()),
                ),
            }
        }
    }
    let old_records: HashMap<&str, &Record> =
        old.records.iter().map(|r| (r.name.as_str(), r)).collect();
    let new_records: HashSet<&str> = new.records.iter().map(|r| r.name.as_str()).collect();
    for gone in old
        .records
        .iter()
        .filter(|r| !new_records.contains(r.name.as_str()))
    {
        push(
            Impact::Compatible,
            format!("record `{}` removed", gone.name),
        );
    }
    for record in &new.records {
        let Some(before) = old_records.get(record.name.as_str()) else {
            push(
                Impact::Compatible,
                format!("record `{}` added", record.name),
            );
            continue;
        };
        compare_record(before, record, Uses::of(&record.name, [old, new]), push);
    }
    let old_enums: HashMap<&str, &Enum> = old.enums.iter().map(|e| (e.name.as_str(), e)).collect();
    let new_enums: HashSet<&str> = new.enums.iter().map(|e| e.name.as_str()).collect();
    for gone in old
        .enums
        .iter()
        .filter(|e| !new_enums.contains(e.name.as_str()))
    {
        push(Impact::Compatible, format!("enum `{}` removed", gone.name));
    }
    for choice in &new.enums {
        let Some(before) = old_enums.get(choice.name.as_str()) else {
            push(Impact::Compatible, format!("enum `{}` added", choice.name));
            continue;
        };
        let uses = Uses::of(&choice.name, [old, new]);
        let name = &choice.name;
        for value in &choice.values {
            if !before.values.iter().any(|v| v.name == value.name) {
                push(
                    uses.impact(Impact::Compatible, Impact::Breaking),
                    format!("`{name}`: value `{}` added", value.name),
                );
            }
        }
        for value in &before.values {
            if !choice.values.iter().any(|v| v.name == value.name) {
                push(
                    uses.impact(Impact::Breaking, Impact::Compatible),
                    format!("`{name}`: value `{}` removed", value.name),
                );
            }
        }
    }
}

/// The changes to one record both specs declare, used as `uses` says.
fn compare_record(old: &Record, new: &Record, uses: Uses, push: &mut impl FnMut(Impact, String)) {
    let name = &new.name;
    for field in &new.fields {
        let Some(was) = old.fields.iter().find(|f| f.name == field.name) else {
            let if_passed = if field.ty.is_optional() {
                Impact::Compatible
            } else {
                Impact::Breaking
            };
            let kind = if field.ty.is_optional() {
                "optional"
            } else {
                "required"
            };
            push(
                uses.impact(if_passed, Impact::Compatible),
                format!(
                    "`{name}`: {kind} field `{}: {}` added",
                    field.name, field.ty
                ),
            );
            continue;
        };
        if !was.ty.is(field.ty) {
            let if_passed = if parameter_widens(was.ty, field.ty) {
                Impact::Compatible
            } else {
                Impact::Breaking
            };
            let if_returned = if result_narrows(was.ty, field.ty) {
                Impact::Compatible
            } else {
                Impact::Breaking
            };
            push(
                uses.impact(if_passed, if_returned),
                format!(
                    "`{name}`: field `{}` changed from `{}` to `{}`",
                    field.name, was.ty, field.ty
                ),
            );
        }
    }
    for gone in &old.fields {
        if !new.fields.iter().any(|f| f.name == gone.name) {
            push(
                uses.impact(Impact::Breaking, Impact::Breaking),
                format!("`{name}`: field `{}: {}` removed", gone.name, gone.ty),
            );
        }
    }
}

/// What a rename keeps: the group, the result type and the parameter types.
type ShapeKey<'f> = (Option<&'f str>, ScriptType, Vec<ScriptType>);

/// A function's group and shape: a function gone and one added with the same key read as
/// a rename.
fn shape_key(f: &Function) -> ShapeKey<'_> {
    (
        f.name.rsplit_once('.').map(|(group, _)| group),
        f.ret,
        f.params.iter().map(|p| p.ty).collect(),
    )
}

/// The changes to one function that both specs have.
fn compare(old: &Function, new: &Function, push: &mut impl FnMut(Impact, String)) {
    let name = &new.name;
    for index in 0..old.params.len().max(new.params.len()) {
        match (old.params.get(index), new.params.get(index)) {
            (Some(gone), None) => push(
                Impact::Breaking,
                format!("`{name}`: parameter `{}: {}` removed", gone.name, gone.ty),
            ),
            (None, Some(added)) if added.ty.is_optional() => push(
                Impact::Compatible,
                format!(
                    "`{name}`: optional parameter `{}: {}` added",
                    added.name, added.ty
                ),
            ),
            (None, Some(added)) => push(
                Impact::Breaking,
                format!(
                    "`{name}`: required parameter `{}: {}` added",
                    added.name, added.ty
                ),
            ),
            (Some(was), Some(is)) => {
                if !was.ty.is(is.ty) {
                    let impact = if parameter_widens(was.ty, is.ty) {
                        Impact::Compatible
                    } else {
                        Impact::Breaking
                    };
                    push(
                        impact,
                        format!(
                            "`{name}`: parameter `{}` changed from `{}` to `{}`",
                            is.name, was.ty, is.ty
                        ),
                    );
                }
                if was.name != is.name {
                    push(
                        Impact::Compatible,
                        format!(
                            "`{name}`: parameter {} renamed from `{}` to `{}`",
                            index + 1,
                            was.name,
                            is.name
                        ),
                    );
                }
            }
            (None, None) => {}
        }
    }
    if !old.ret.is(new.ret) {
        let impact = if result_narrows(old.ret, new.ret) {
            Impact::Compatible
        } else {
            Impact::Breaking
        };
        push(
            impact,
            format!(
                "`{name}`: result changed from `{}` to `{}`",
                old.ret, new.ret
            ),
        );
    }
    if old.description != new.description {
        push(
            Impact::Compatible,
            format!("`{name}`: description changed to \"{}\"", new.description),
        );
    }
}

/// Whether every argument a caller could pass as `old` is still accepted as `new`.
fn parameter_widens(old: ScriptType, new: ScriptType) -> bool {
    match (old, new) {
        (ScriptType::Int, ScriptType::Float) => true,
        (old, ScriptType::Optional(inner)) => match old {
            ScriptType::Optional(was) => parameter_widens(*was, *inner),
            was => was == *inner || parameter_widens(was, *inner),
        },
        (ScriptType::List(a), ScriptType::List(b)) | (ScriptType::Map(a), ScriptType::Map(b)) => {
            parameter_widens(*a, *b)
        }
        _ => old.is(new),
    }
}

/// Whether every result `new` can give is one a caller of `old` already handles.
fn result_narrows(old: ScriptType, new: ScriptType) -> bool {
    match (old, new) {
        (ScriptType::Void, _) => true,
        (ScriptType::Optional(inner), new) => new == *inner || result_narrows(*inner, new),
        (ScriptType::List(a), ScriptType::List(b)) | (ScriptType::Map(a), ScriptType::Map(b)) => {
            result_narrows(*a, *b)
        }
        _ => old.is(new),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    /// docs/history/reliability.md, round 3, item 13: the advice named a version the parser refuses.
    #[test]
    fn no_version_past_the_largest_is_advised() {
        let old =
            parse("module m\nversion 999999999.0.0\ngroup m.g\n fn f() -> int\n  | x\n").unwrap();
        let new =
            parse("module m\nversion 999999999.0.1\ngroup m.g\n fn g() -> int\n  | x\n").unwrap();
        assert_eq!(
            diff(&old, &new).version_advice().as_deref(),
            Some(
                "version 999999999.0.0 -> 999999999.0.1 does not mark the breaking changes, and no later version can: each part of a version is at most 999999999"
            )
        );
    }

    /// docs/history/reliability.md, round 3, item 12: a diff of 40,000 functions took 21 s (each looked
    /// up by a walk over all); now by hash, with every function renamed or kept.
    #[test]
    fn a_diff_of_forty_thousand_functions_finds_every_rename() {
        let spec = |prefix: &str| {
            let mut source = String::from("module m\nversion 1.0.0\ngroup m.g\n");
            for i in 0..40_000 {
                source.push_str(&format!(" fn {prefix}{i}(x: int) -> int\n  | x\n"));
            }
            parse(&source).unwrap()
        };
        let same = diff(&spec("f"), &spec("f"));
        assert!(same.changes.is_empty());
        let renamed = diff(&spec("f"), &spec("g"));
        // Each gone function reads as renamed to the first added one of its group and
        // shape (as for small specs); the other 39,999 added ones read as added.
        assert_eq!(renamed.changes.len(), 79_999);
        assert_eq!(renamed.changes[1].what, "`m.g.f1` renamed to `m.g.g0`");
        assert_eq!(
            renamed.changes[40_000].what,
            "`m.g.g1(x: int) -> int` added"
        );
    }

    const OLD: &str = "module m\nversion 1.2.0\ngroup m.g\n\
        fn keep(a: int) -> int\n    | Keeps\n\
        fn gone(a: int) -> void\n    | Gone\n\
        fn old_name(s: string) -> bool\n    | Named\n\
        fn grow(a: int) -> int\n    | Grows\n\
        fn retype(a: int, b: string) -> string?\n    | Retypes\n\
        fn shrink(a: int, b: int) -> void\n    | Shrinks\n";

    const NEW: &str = "module m\nversion 1.3.0\ngroup m.g\n\
        fn keep(a: int) -> int\n    | Keeps the value\n\
        fn new_name(s: string) -> bool\n    | Named\n\
        fn grow(a: int, c: int, b: int?) -> int\n    | Grows\n\
        fn retype(a: float, text: list<string>) -> string\n    | Retypes\n\
        fn shrink(a: int) -> int\n    | Shrinks\n\
        fn fresh() -> int\n    | Fresh\n";

    #[test]
    fn classifies_each_planted_change() {
        let report = diff(&parse(OLD).unwrap(), &parse(NEW).unwrap());
        let lines: Vec<String> = report.changes.iter().map(Change::to_string).collect();
        assert_eq!(
            lines,
            [
                "breaking: `m.g.gone(a: int) -> void` removed",
                "breaking: `m.g.old_name` renamed to `m.g.new_name`",
                "compatible: `m.g.keep`: description changed to \"Keeps the value\"",
                "breaking: `m.g.grow`: required parameter `c: int` added",
                "compatible: `m.g.grow`: optional parameter `b: int?` added",
                "compatible: `m.g.retype`: parameter `a` changed from `int` to `float`",
                "breaking: `m.g.retype`: parameter `text` changed from `string` to `list<string>`",
                "compatible: `m.g.retype`: parameter 2 renamed from `b` to `text`",
                "compatible: `m.g.retype`: result changed from `string?` to `string`",
                "breaking: `m.g.shrink`: parameter `b: int` removed",
                "compatible: `m.g.shrink`: result changed from `void` to `int`",
                "compatible: `m.g.fresh() -> int` added",
            ]
        );
        assert!(report.is_breaking());
        assert_eq!(
            report.version_advice().as_deref(),
            Some(
                "version 1.2.0 -> 1.3.0 does not mark the breaking changes: semver asks for 2.0.0 or later"
            )
        );
    }

    #[test]
    fn optional_parameters_and_widening_are_compatible() {
        let old = parse(
            "module m\nversion 0.1.0\ngroup m.g\n  fn f(a: int, b: string) -> int?\n    | F\n",
        )
        .unwrap();
        let new = parse(
            "module m\nversion 0.1.1\ngroup m.g\n  fn f(a: float?, b: string?) -> int\n    | F\n",
        )
        .unwrap();
        let report = diff(&old, &new);
        assert!(!report.is_breaking(), "{:?}", report.changes);
        assert_eq!(report.changes.len(), 3);
        assert_eq!(report.version_advice(), None);
        let back = diff(&new, &old);
        assert!(back.is_breaking());
        assert_eq!(
            back.version_advice().as_deref(),
            Some(
                "version 0.1.1 -> 0.1.0 does not mark the breaking changes: semver asks for 0.2.0 or later"
            )
        );
    }

    #[test]
    fn identical_specs_have_no_changes() {
        let spec = parse(include_str!("../memory.spec")).unwrap();
        let report = diff(&spec, &spec);
        assert_eq!(report.changes, []);
        assert_eq!(report.version_advice(), None);
    }

    #[test]
    fn record_and_enum_changes_are_classified_by_where_the_type_is_used() {
        let old = parse(
            "module m\nrecord m.In\n  field a: int\n    | a\n  field gone: int\n    | g\nrecord m.Out\n  field a: int\n    | a\nrecord m.Unused\n  field a: int\n    | a\nenum m.Mode\n  value fast\n    | f\n  value slow\n    | s\nenum m.Kind\n  value x\n    | x\ngroup m.g\n fn f(i: m.In, mode: m.Mode) -> m.Out\n  | f\n fn k() -> list<m.Kind>\n  | k\n",
        )
        .unwrap();
        let new = parse(
            "module m\nrecord m.In\n  field a: float\n    | a\n  field req: int\n    | r\n  field opt: int?\n    | o\nrecord m.Out\n  field a: int?\n    | a\n  field more: int\n    | m\nrecord m.Unused\n  field b: int\n    | b\nenum m.Mode\n  value fast\n    | f\n  value eco\n    | e\nenum m.Kind\n  value x\n    | x\n  value y\n    | y\ngroup m.g\n fn f(i: m.In, mode: m.Mode) -> m.Out\n  | f\n fn k() -> list<m.Kind>\n  | k\n",
        )
        .unwrap();
        let changes: Vec<String> = diff(&old, &new)
            .changes
            .iter()
            .map(Change::to_string)
            .collect();
        assert_eq!(
            changes,
            [
                "compatible: `m.In`: field `a` changed from `int` to `float`",
                "breaking: `m.In`: required field `req: int` added",
                "compatible: `m.In`: optional field `opt: int?` added",
                "breaking: `m.In`: field `gone: int` removed",
                "breaking: `m.Out`: field `a` changed from `int` to `int?`",
                "compatible: `m.Out`: required field `more: int` added",
                "compatible: `m.Unused`: required field `b: int` added",
                "compatible: `m.Unused`: field `a: int` removed",
                "compatible: `m.Mode`: value `eco` added",
                "breaking: `m.Mode`: value `slow` removed",
                "breaking: `m.Kind`: value `y` added",
            ]
        );
    }

    #[test]
    fn class_and_method_changes_are_classified() {
        let old = parse(
            "module m\nclass m.A\n  method keep(x: int) -> int\n    | k\n  method gone() -> int\n    | g\nclass m.Old\n  method f() -> int\n    | f\ngroup m.g\n fn a() -> m.A\n  | a\n",
        )
        .unwrap();
        let new = parse(
            "module m\nclass m.A\n  method keep(x: float) -> int\n    | k\n  method more(y: int?) -> int\n    | m\nclass m.New\n  method f() -> int\n    | f\ngroup m.g\n fn a() -> m.A\n  | a\n",
        )
        .unwrap();
        let changes: Vec<String> = diff(&old, &new)
            .changes
            .iter()
            .map(Change::to_string)
            .collect();
        assert_eq!(
            changes,
            [
                "breaking: class `m.Old` removed",
                "breaking: method `m.A.gone() -> int` removed",
                "compatible: `m.A.keep`: parameter `x` changed from `int` to `float`",
                "compatible: method `m.A.more(y: int?) -> int` added",
                "compatible: class `m.New` added",
            ]
        );
    }
}
