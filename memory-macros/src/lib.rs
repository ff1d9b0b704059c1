//! Procedural macros of goost-memory. Use them through `memory_runtime`, which re-exports
//! them (`memory_runtime::native`, `memory_runtime::module_spec`).
//!
//! This crate is a thin door: each entry point forwards to plain functions that unit
//! tests call directly: [`spec`] (parse the spec file) → [`item`] (parse the annotated
//! function) → [`check`] (compare, collecting every error) → [`expand`] (emit the glue,
//! docs and registration). [`locate`] says how a crate finds its spec file.

mod check;
mod expand;
mod item;
mod locate;
mod markdown;
mod spec;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::ToTokens;

use crate::item::{NativeArgs, SpecMacroArgs};
use crate::locate::{LoadedSpec, SpecRef};

/// Binds a plain Rust function to a spec entry: `#[native("memory.buffer.write")]`.
///
/// The function is checked against the entry in `spec/<module>.spec` (found from the
/// crate's directory upwards; `spec = "path"` names another file): the number of script
/// parameters (a `&Context` parameter is supplied by the glue), each parameter's name
/// (a leading `_` is allowed), and each parameter's and the result's script type,
/// through `FromValue`/`IntoValue` on the Rust types. The function is emitted unchanged,
/// with rustdoc from the spec, beside its glue and an `inventory` registration.
#[proc_macro_attribute]
pub fn native(attr: TokenStream, item: TokenStream) -> TokenStream {
    native_from_file(attr.into(), item.into()).into()
}

/// The whole spec of a module as a `memory_runtime::ModuleSpec` constant:
/// `module_spec!("memory")` (found like `#[native]` finds it) or
/// `module_spec!(path = "tests/fixture.spec")`. It holds every signature (for
/// `Registry::check_against_spec`) and the generated markdown page.
#[proc_macro]
pub fn module_spec(input: TokenStream) -> TokenStream {
    let args = match syn::parse::<SpecMacroArgs>(input) {
        Ok(args) => args,
        Err(error) => return error.to_compile_error().into(),
    };
    let (literal, by_module) = match &args {
        SpecMacroArgs::Module(lit) => (lit, true),
        SpecMacroArgs::Path(lit) => (lit, false),
    };
    let value = literal.value();
    let spec_ref = if by_module {
        SpecRef::Module(&value)
    } else {
        SpecRef::Path(&value)
    };
    match locate::manifest_dir().and_then(|dir| locate::load(spec_ref, &dir)) {
        Ok(loaded) => expand::module_spec(&loaded).into(),
        Err(message) => expand::error_at(literal.span(), &message).into(),
    }
}

/// `#[native]` with the spec loaded from disk.
fn native_from_file(attr: TokenStream2, item: TokenStream2) -> TokenStream2 {
    let args: NativeArgs = match syn::parse2(attr) {
        Ok(args) => args,
        Err(error) => return with_item(error, item),
    };
    let name = args.name.value();
    let module = name.split('.').next().unwrap_or_default().to_string();
    let path = args.spec_path.as_ref().map(|lit| lit.value());
    let spec_ref = match &path {
        Some(path) => SpecRef::Path(path),
        None => SpecRef::Module(&module),
    };
    let loaded = match locate::manifest_dir().and_then(|dir| locate::load(spec_ref, &dir)) {
        Ok(loaded) => loaded,
        Err(message) => return with_item(syn::Error::new(args.name.span(), message), item),
    };
    native_with_spec(args.name.to_token_stream(), item, &loaded)
}

/// `#[native]` against an already loaded spec (the golden tests call this).
fn native_with_spec(attr: TokenStream2, item: TokenStream2, loaded: &LoadedSpec) -> TokenStream2 {
    let args: NativeArgs = match syn::parse2(attr) {
        Ok(args) => args,
        Err(error) => return with_item(error, item),
    };
    let item_fn: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(item_fn) => item_fn,
        Err(error) => return with_item(error, item),
    };
    let native = match item::parse_fn(item_fn) {
        Ok(native) => native,
        Err(error) => return with_item(error, item),
    };
    let name = args.name.value();
    let function = match check::resolve(&loaded.spec, &name, &loaded.display, args.name.span()) {
        Ok(function) => function,
        Err(error) => return with_item(error, item),
    };
    if let Err(error) = check::check(function, &native) {
        return with_item(error, item);
    }
    expand::native(function, &native, loaded)
}

/// The errors plus the item unchanged, so that one mistake does not cascade into
/// "cannot find function" errors at every caller.
fn with_item(error: syn::Error, item: TokenStream2) -> TokenStream2 {
    let mut out = error.to_compile_error();
    out.extend(item);
    out
}
