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

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::{Function, ScriptType, Spec};

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
    SpecDiff {
        changes,
        versions: (old.version.clone(), new.version.clone()),
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
                if was.ty != is.ty {
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
    if old.ret != new.ret {
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
        (ScriptType::List(a), ScriptType::List(b)) => parameter_widens(*a, *b),
        _ => false,
    }
}

/// Whether every result `new` can give is one a caller of `old` already handles.
fn result_narrows(old: ScriptType, new: ScriptType) -> bool {
    match (old, new) {
        (ScriptType::Void, _) => true,
        (ScriptType::Optional(inner), new) => new == *inner || result_narrows(*inner, new),
        (ScriptType::List(a), ScriptType::List(b)) => result_narrows(*a, *b),
        _ => false,
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
}
