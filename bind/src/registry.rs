//! The registry: every `#[native]` function linked into the program, collected once
//! from [`inventory`], looked up by full name, and walked as a module tree.
//!
//! ```
//! use goost_bind::Registry;
//!
//! let registry = Registry::global();
//! for module in registry.modules() {
//!     println!("{}: {} natives", module.path, module.functions.len());
//! }
//! ```
//!
//! Natives are registered by static constructors (see the `inventory` crate for the
//! platforms that run them: Linux, macOS, Windows, and others with `.init_array`).
//! A native is registered if its crate is linked into the program.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;

use crate::{ModuleSpec, Native};

/// All registered natives, by full name.
pub struct Registry {
    by_name: HashMap<&'static str, &'static Native>,
    /// Natives bound to a name that another native already took.
    twice: Vec<&'static Native>,
    roots: BTreeMap<&'static str, Module>,
    /// Every class the natives name, in name order: a class's place is its index.
    classes: Vec<&'static str>,
}

/// A node of the module tree: `memory`, `memory.buffer`, ...
#[derive(Default, Debug)]
pub struct Module {
    /// Full dotted path of this node.
    pub path: String,
    /// Child modules by their last name segment.
    pub submodules: BTreeMap<&'static str, Module>,
    /// Natives directly in this node by their last name segment.
    pub functions: BTreeMap<&'static str, &'static Native>,
}

impl Registry {
    /// The program's registry, built from `inventory` on first use.
    pub fn global() -> &'static Registry {
        static GLOBAL: OnceLock<Registry> = OnceLock::new();
        GLOBAL.get_or_init(|| Registry::from_natives(inventory::iter::<Native>))
    }

    /// A registry of the given natives (hosts and tests may build their own).
    pub fn from_natives(natives: impl IntoIterator<Item = &'static Native>) -> Registry {
        let mut all: Vec<&'static Native> = natives.into_iter().collect();
        // inventory yields in link order; sort so "bound twice" reports are stable.
        all.sort_by_key(|n| (n.name(), n.file(), n.line()));
        let mut registry = Registry {
            by_name: HashMap::with_capacity(all.len()),
            twice: Vec::new(),
            roots: BTreeMap::new(),
            classes: Vec::new(),
        };
        for native in all {
            if registry.by_name.contains_key(native.name()) {
                registry.twice.push(native);
                continue;
            }
            registry.by_name.insert(native.name(), native);
            let spec = native.spec();
            let named = spec.params.iter().map(|p| p.ty).chain([spec.ret]);
            registry
                .classes
                .extend(spec.receiver.map(|class| class.name));
            registry.classes.extend(named.filter_map(class_name_in));
            // A method is reached through its objects, not through the module tree.
            if native.spec().receiver.is_none() {
                registry.insert_in_tree(native);
            }
        }
        registry.classes.sort_unstable();
        registry.classes.dedup();
        registry
    }

    fn insert_in_tree(&mut self, native: &'static Native) {
        let mut segments: Vec<&'static str> = native.name().split('.').collect();
        let Some(function) = segments.pop() else {
            return;
        };
        let Some((&root, rest)) = segments.split_first() else {
            return;
        };
        let mut node = self.roots.entry(root).or_insert_with(|| Module {
            path: root.to_string(),
            ..Module::default()
        });
        for segment in rest {
            let path = format!("{}.{segment}", node.path);
            node = node.submodules.entry(segment).or_insert_with(|| Module {
                path,
                ..Module::default()
            });
        }
        node.functions.insert(function, native);
    }

    /// The native with this full name, e.g. `memory.buffer.write`.
    pub fn get(&self, name: &str) -> Option<&'static Native> {
        self.by_name.get(name).copied()
    }

    /// The method `short` of the class `class` (`geo.Path`, `push`), if one is bound.
    pub fn method(&self, class: &str, short: &str) -> Option<&'static Native> {
        self.get(&format!("{class}.{short}"))
            .filter(|native| native.spec().receiver.is_some())
    }

    /// The methods bound for the class `class`, by their short names, in name order.
    pub fn methods(&self, class: &str) -> Vec<(&'static str, &'static Native)> {
        let mut methods: Vec<_> = self
            .by_name
            .values()
            .filter(|native| native.spec().receiver.is_some_and(|c| c.name == class))
            .map(|native| (native.spec().short_name(), *native))
            .collect();
        methods.sort_by_key(|(name, _)| *name);
        methods
    }

    /// The words of a call of the method `name` on an object of `class`, which has none:
    /// `paths.Path has no method `psh`; the nearest are `push`, ...`, as every host says it.
    pub fn no_such_method(&self, class: &str, name: &str) -> String {
        let methods = self.methods(class);
        goost_spec::check::no_such_method(class, name, methods.iter().map(|(m, _)| *m))
    }

    /// The classes that the natives of the modules `paths` name (as the class of a method,
    /// or in a parameter's or the result's type), each with its bound methods in name
    /// order: what a host makes known before a script runs.
    pub fn classes_of(&self, paths: &[&str]) -> BTreeMap<&'static str, Vec<&'static Native>> {
        let mut classes: BTreeMap<&'static str, Vec<&'static Native>> = BTreeMap::new();
        let in_modules = |native: &Native| {
            paths.iter().any(|path| {
                native
                    .name()
                    .strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('.'))
            })
        };
        for native in self.natives().filter(|native| in_modules(native)) {
            let spec = native.spec();
            if let Some(class) = spec.receiver {
                classes.entry(class.name).or_default().push(native);
            }
            for ty in spec.params.iter().map(|p| p.ty).chain([spec.ret]) {
                if let Some(class) = class_name_in(ty) {
                    classes.entry(class).or_default();
                }
            }
        }
        classes
    }

    /// The place of the class `class` among every class the natives name (as the class of
    /// a method, or in a parameter's or the result's type), in name order: a number below
    /// [`Registry::class_count`] that a host may key per-class tables by. `None` for a
    /// class no native names.
    pub fn class_index(&self, class: &str) -> Option<usize> {
        self.classes.binary_search(&class).ok()
    }

    /// The class at `index` among every class the natives name (the inverse of
    /// [`Registry::class_index`]).
    pub fn class_name(&self, index: usize) -> Option<&'static str> {
        self.classes.get(index).copied()
    }

    /// How many classes the natives name.
    pub fn class_count(&self) -> usize {
        self.classes.len()
    }

    /// The top-level module `name` (what `import name` brings in).
    pub fn module(&self, name: &str) -> Option<&Module> {
        self.roots.get(name)
    }

    /// Every top-level module, by name (what a host installs).
    pub fn modules(&self) -> impl Iterator<Item = &Module> + '_ {
        self.roots.values()
    }

    /// The top-level modules called `names`, in that order, or an error naming the first
    /// that no native registers (with the registered module names), for a host that
    /// installs only the modules it chooses.
    pub fn chosen_modules<'a>(&'a self, names: &[&str]) -> Result<Vec<&'a Module>, UnknownModule> {
        names
            .iter()
            .map(|name| self.module(name).ok_or_else(|| self.unknown_module(name)))
            .collect()
    }

    /// The error of a host asked for module `name`, which no linked crate registers: it
    /// lists the registered modules and says how a crate's natives come to register.
    pub fn unknown_module(&self, name: &str) -> UnknownModule {
        UnknownModule {
            name: name.to_string(),
            registered: self.roots.keys().copied().collect(),
        }
    }

    /// Every native, sorted by name (one per name; see [`Registry::check_against_spec`]).
    pub fn natives(&self) -> impl Iterator<Item = &'static Native> + '_ {
        let mut all: Vec<_> = self.by_name.values().copied().collect();
        all.sort_by_key(|n| n.name());
        all.into_iter()
    }

    /// Registered names closest to `name`, best first (for "did you mean" messages).
    pub fn nearest(&self, name: &str, count: usize) -> Vec<&'static str> {
        goost_spec::nearest(name, self.by_name.keys().copied(), count)
    }

    /// Checks that the natives of `spec.module` and the spec agree exactly: every spec
    /// function has one native with the same signature, and no native is outside the spec.
    /// Every disagreement is reported in one [`SpecMismatch`].
    pub fn check_against_spec(&self, spec: &ModuleSpec) -> Result<(), SpecMismatch> {
        let prefix = format!("{}.", spec.module);
        let mut mismatch = SpecMismatch {
            spec_path: spec.path,
            ..SpecMismatch::default()
        };
        for function in spec.functions {
            match self.get(function.name) {
                None => mismatch.missing.push(Missing {
                    signature: function.signature,
                    stub: crate::stub::stub(function),
                }),
                Some(native) if native.spec().signature != function.signature => {
                    mismatch.differing.push((native, function.signature))
                }
                Some(_) => {}
            }
        }
        for native in self.natives() {
            let in_spec = spec.functions.iter().any(|f| f.name == native.name());
            if native.name().starts_with(&prefix) && !in_spec {
                mismatch.extra.push(native);
            }
        }
        for native in &self.twice {
            if native.name().starts_with(&prefix) {
                let first = self.by_name[native.name()];
                mismatch.twice.push((first, native));
            }
        }
        if mismatch.is_empty() {
            Ok(())
        } else {
            Err(mismatch)
        }
    }
}

/// The name of the class a value of type `ty` may be an object of, if any
/// ([`ScriptType::class_within`]).
fn class_name_in(ty: crate::ScriptType) -> Option<&'static str> {
    ty.class_within().map(|class| class.name)
}

/// A host asked for a module that no linked crate registers.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "no module `{name}` is registered (registered: {}); a module's natives register when \
     the crate that binds it is linked into the program, which takes a reference to \
     something in it (`use that_crate as _;` is enough)",
    if registered.is_empty() { "none".to_string() } else { registered.join(", ") }
)]
pub struct UnknownModule {
    /// The name asked for.
    pub name: String,
    /// The modules that are registered, by name.
    pub registered: Vec<&'static str>,
}

/// A spec function with no native, and the Rust to write for it.
#[derive(Debug)]
pub struct Missing {
    /// The spec signature.
    pub signature: &'static str,
    /// The annotated Rust stub that binds it.
    pub stub: String,
}

/// Everything that disagrees between a registry and a spec.
#[derive(Debug, Default)]
pub struct SpecMismatch {
    /// The spec file, as shown in messages.
    pub spec_path: &'static str,
    /// Spec functions with no native.
    pub missing: Vec<Missing>,
    /// Natives of the module that the spec does not list.
    pub extra: Vec<&'static Native>,
    /// Natives whose compiled signature differs from the spec's (built against another spec).
    pub differing: Vec<(&'static Native, &'static str)>,
    /// Pairs of natives bound to the same name (first registered, second).
    pub twice: Vec<(&'static Native, &'static Native)>,
}

impl SpecMismatch {
    fn is_empty(&self) -> bool {
        self.missing.is_empty()
            && self.extra.is_empty()
            && self.differing.is_empty()
            && self.twice.is_empty()
    }
}

impl std::error::Error for SpecMismatch {}

impl fmt::Display for SpecMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the registered natives and {} disagree:", self.spec_path)?;
        for missing in &self.missing {
            write!(
                f,
                "\n- missing: `{}` has no native; add:",
                missing.signature
            )?;
            for line in missing.stub.lines() {
                write!(f, "\n      {line}")?;
            }
        }
        for native in &self.extra {
            write!(
                f,
                "\n- extra: `{}` ({} at {}:{}) is not in {}",
                native.name(),
                native.rust_path(),
                native.file(),
                native.line(),
                self.spec_path
            )?;
        }
        for (native, signature) in &self.differing {
            write!(
                f,
                "\n- differs: {} at {}:{} was built for `{}`, the spec says `{signature}`",
                native.rust_path(),
                native.file(),
                native.line(),
                native.spec().signature
            )?;
        }
        for (first, second) in &self.twice {
            write!(
                f,
                "\n- twice: `{}` is bound by {} ({}:{}) and by {} ({}:{})",
                first.name(),
                first.rust_path(),
                first.file(),
                first.line(),
                second.rust_path(),
                second.file(),
                second.line()
            )?;
        }
        Ok(())
    }
}
