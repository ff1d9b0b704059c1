//! Procedural macros of goost-memory. Use them through the facade `goost_memory` or the
//! generic layer `goost_bind`, which re-export them (`goost_bind::native`,
//! `goost_bind::module_spec`).
//!
//! This crate is a thin door: each entry point forwards to plain functions that unit
//! tests call directly: the spec is parsed by the `goost-spec` library → `item` (parse
//! the annotated function) → `check` (compare, collecting every error) → `expand`
//! (emit the glue, docs and registration). `locate` says how a crate finds its spec
//! file, and `crate_path` how generated code finds the binding layer (private modules,
//! in `src/`).

mod check;
mod class_type;
mod crate_path;
mod enum_type;
mod errors;
mod expand;
mod item;
mod locate;
mod record_type;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;

use crate::item::{NativeArgs, SpecMacroArgs, SpecSource};
use crate::locate::{LoadedSpec, SpecRef};

/// Binds a plain Rust function to a spec entry: `#[native("memory.buffer.write")]`.
///
/// The function is checked against the entry in `spec/<module>.spec` (found from the
/// crate's directory upwards; `spec = "path"` names another file): the number of script
/// parameters, each parameter's name (a leading `_` is allowed), and each parameter's
/// and the result's script type, through `FromValue`/`IntoValue` on the Rust types.
/// A `&Context` parameter, and a `&T` parameter for a module state `T`, are filled by the
/// glue and are not script arguments. `crate = "path"` names the crate generated code
/// uses (by default the facade `goost_memory`, or `goost_bind` when the crate depends
/// only on that). The function is emitted unchanged, with rustdoc from the spec, beside
/// its glue and an `inventory` registration.
#[proc_macro_attribute]
pub fn native(attr: TokenStream, item: TokenStream) -> TokenStream {
    native_from_file(attr.into(), item.into()).into()
}

/// The whole spec of a module as a `ModuleSpec` constant: `module_spec!("memory")`
/// (found like `#[native]` finds it) or `module_spec!(path = "tests/fixture.spec")`,
/// optionally with `crate = "path"`. It holds every signature (for
/// `Registry::check_against_spec`) and the generated markdown page.
#[proc_macro]
pub fn module_spec(input: TokenStream) -> TokenStream {
    let args = match syn::parse::<SpecMacroArgs>(input) {
        Ok(args) => args,
        Err(error) => return error.to_compile_error().into(),
    };
    let krate = match crate_path::resolve(args.crate_path.as_ref()) {
        Ok(krate) => krate,
        Err(error) => return error.to_compile_error().into(),
    };
    let (literal, spec_ref) = match &args.source {
        SpecSource::Module(lit) => (lit, SpecRef::Module(lit.value())),
        SpecSource::Path(lit) => (lit, SpecRef::Path(lit.value())),
    };
    match locate::manifest_dir().and_then(|dir| locate::load(&spec_ref, &dir)) {
        Ok(loaded) => expand::module_spec(&krate, &loaded).into(),
        Err(message) => expand::error_at(literal.span(), &message).into(),
    }
}

/// Binds a plain fieldless Rust enum to an enum of the spec:
/// `#[spec_enum("geo.Unit")]` (the spec found as `#[native]` finds it; `spec = "path"`
/// and `crate = "path"` as there). Each variant is the value of its name in snake_case
/// (`Km` is `km`); every variant must be a value and every value a variant. The enum gets
/// `FromValue` and `IntoValue`: scripts pass and get its values as strings, and any other
/// string is the glue's error listing the values.
#[proc_macro_attribute]
pub fn spec_enum(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item: TokenStream2 = item.into();
    let expanded = syn::parse2(attr.into()).and_then(|args: NativeArgs| {
        let (loaded, krate) = spec_and_crate(&args)?;
        let parsed: syn::ItemEnum = syn::parse2(item.clone())?;
        enum_type::expand(&args.name, &parsed, &loaded, &krate)
    });
    expanded
        .unwrap_or_else(|error| with_item(error, item))
        .into()
}

/// Binds a plain Rust struct with named fields to a record of the spec:
/// `#[spec_record("geo.Point")]` (the spec found as `#[native]` finds it; `spec = "path"`
/// and `crate = "path"` as there). Its fields are the record's, by name, each of the
/// record's script type (an optional `T?` field is an `Option`). The struct gets
/// `FromValue` and `IntoValue`: scripts pass and get a map of its fields, and a missing,
/// unknown or wrong field is the glue's error naming it.
#[proc_macro_attribute]
pub fn spec_record(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item: TokenStream2 = item.into();
    let expanded = syn::parse2(attr.into()).and_then(|args: NativeArgs| {
        let (loaded, krate) = spec_and_crate(&args)?;
        let parsed: syn::ItemStruct = syn::parse2(item.clone())?;
        record_type::expand(&args.name, &parsed, &loaded, &krate)
    });
    expanded
        .unwrap_or_else(|error| with_item(error, item))
        .into()
}

/// Binds a plain Rust struct to a class of the spec: `#[spec_class("geo.Path")]` (the
/// spec found as `#[native]` finds it; `spec = "path"` and `crate = "path"` as there). A
/// native returning the struct hands the script a new object of the class, which lives
/// as long as a script holds it; a native takes one as `ObjectRef<'_, Path>`. The struct
/// must be `Send + Sync + 'static`. Its methods are bound with `#[spec_methods]`.
#[proc_macro_attribute]
pub fn spec_class(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item: TokenStream2 = item.into();
    let expanded = syn::parse2(attr.into()).and_then(|args: NativeArgs| {
        let (loaded, krate) = spec_and_crate(&args)?;
        let parsed: syn::ItemStruct = syn::parse2(item.clone())?;
        class_type::expand_class(&args.name, &parsed, &loaded, &krate)
    });
    expanded
        .unwrap_or_else(|error| with_item(error, item))
        .into()
}

/// Binds the `&self` methods of an `impl` block to the methods of a spec class:
/// `#[spec_methods("geo.Path")] impl Path { .. }`. Each method is checked against the
/// class's method of its name as a `#[native]` function is against its `fn` (parameter
/// names, arity, script types; it may take `&Context` and module states too), and is
/// called on the object a script calls it on.
#[proc_macro_attribute]
pub fn spec_methods(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item: TokenStream2 = item.into();
    let expanded = syn::parse2(attr.into()).and_then(|args: NativeArgs| {
        let (loaded, krate) = spec_and_crate(&args)?;
        let parsed: syn::ItemImpl = syn::parse2(item.clone())?;
        class_type::expand_methods(&args.name, &parsed, &loaded, &krate)
    });
    expanded
        .unwrap_or_else(|error| with_item(error, item))
        .into()
}

/// The spec a type macro's arguments name (as `#[native]` finds it) and the crate path
/// its generated code uses.
fn spec_and_crate(args: &NativeArgs) -> syn::Result<(LoadedSpec, syn::Path)> {
    let name = args.name.value();
    let spec_ref = match &args.spec_path {
        Some(path) => SpecRef::Path(path.value()),
        None => SpecRef::Module(name.split('.').next().unwrap_or_default().to_string()),
    };
    let loaded = locate::manifest_dir()
        .and_then(|dir| locate::load(&spec_ref, &dir))
        .map_err(|message| syn::Error::new(args.name.span(), message))?;
    Ok((loaded, crate_path::resolve(args.crate_path.as_ref())?))
}

/// `#[native]` with the spec loaded from disk.
fn native_from_file(attr: TokenStream2, item: TokenStream2) -> TokenStream2 {
    let expanded = syn::parse2(attr).and_then(|args: NativeArgs| {
        let (loaded, krate) = spec_and_crate(&args)?;
        native_with_args(&args, item.clone(), &loaded, &krate)
    });
    expanded.unwrap_or_else(|error| with_item(error, item))
}

/// `#[native]` against an already loaded spec, generating code that names the binding
/// layer `krate` (the golden tests call this).
#[cfg(test)]
fn native_with_spec(
    attr: TokenStream2,
    item: TokenStream2,
    loaded: &LoadedSpec,
    krate: &syn::Path,
) -> TokenStream2 {
    syn::parse2(attr)
        .and_then(|args: NativeArgs| native_with_args(&args, item.clone(), loaded, krate))
        .unwrap_or_else(|error| with_item(error, item))
}

/// The expansion of `#[native]` with parsed arguments: the function read, resolved and
/// checked against the spec (every error of each step at once), then expanded.
fn native_with_args(
    args: &NativeArgs,
    item: TokenStream2,
    loaded: &LoadedSpec,
    krate: &syn::Path,
) -> syn::Result<TokenStream2> {
    let native = item::parse_fn(syn::parse2(item)?)?;
    let name = args.name.value();
    let function = check::resolve(&loaded.spec, &name, &loaded.display, args.name.span())?;
    check::check(function, &native)?;
    Ok(expand::native(krate, function, &native, loaded))
}

/// The errors plus the item unchanged, so that one mistake does not cascade into
/// "cannot find function" errors at every caller.
fn with_item(error: syn::Error, item: TokenStream2) -> TokenStream2 {
    let mut out = error.to_compile_error();
    out.extend(item);
    out
}
