//! Checks an annotated function against its spec entry, collecting every error.
//!
//! What can be decided from syntax is checked here: the name exists, the number of script
//! parameters, and each parameter's name. Script types are checked by the expansion
//! through traits on the Rust types (so aliases and newtypes are judged by what they are).

use proc_macro2::Span;

use crate::errors::Errors;
use crate::item::NativeFn;
use goost_spec::{Function, Spec};

/// The spec entry named `name`, or an error listing the nearest names.
pub fn resolve<'s>(
    spec: &'s Spec,
    name: &str,
    display: &str,
    span: Span,
) -> syn::Result<&'s Function> {
    if let Some(function) = spec.function(name) {
        return Ok(function);
    }
    let near = goost_spec::nearest(name, spec.functions().map(|f| f.name.as_str()), 3);
    let names: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
    Err(syn::Error::new(
        span,
        format!(
            "`{name}` is not in {display}; the nearest names are {}",
            names.join(", ")
        ),
    ))
}

/// Checks arity and parameter names of `native` against `function`.
pub fn check(function: &Function, native: &NativeFn) -> syn::Result<()> {
    let mut errors = Errors::default();
    let signature = function.signature();
    let script: Vec<_> = native.script_params().collect();
    if script.len() != function.params.len() {
        let span = match script.get(function.params.len()) {
            Some((name, _)) => name.span(),
            None => native.params_span(),
        };
        errors.push(
            span,
            format!(
                "`{signature}` takes {} script argument{}, but `{}` has {} (`&Context` and state parameters do not count)",
                function.params.len(),
                plural(function.params.len()),
                native.ident(),
                script.len(),
            ),
        );
    }
    for (index, ((name, _), param)) in script.iter().zip(&function.params).enumerate() {
        // A raw identifier (`r#type`) names the spec's `type`.
        let given = syn::ext::IdentExt::unraw(*name).to_string();
        let bare = given.strip_prefix('_').unwrap_or(&given);
        if bare != param.name {
            errors.push(
                name.span(),
                format!(
                    "parameter {} is `{}` in the spec, not `{given}`: `{signature}`",
                    index + 1,
                    param.name
                ),
            );
        }
    }
    errors.finish()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The declared type (record, enum) named `name` among `declared` (each with its name),
/// or an error at `span` naming the nearest of them: `kind` is `record` or `enum`.
pub fn resolve_declared<'s, T>(
    declared: &'s [T],
    name_of: impl Fn(&T) -> &str,
    kind: &str,
    name: &str,
    display: &str,
    span: proc_macro2::Span,
) -> syn::Result<&'s T> {
    if let Some(found) = declared.iter().find(|item| name_of(item) == name) {
        return Ok(found);
    }
    let hint = nearest_hint(
        goost_spec::nearest(name, declared.iter().map(&name_of), 3),
        &format!("it declares no {kind}"),
    );
    let article = if kind.starts_with('e') { "an" } else { "a" };
    Err(syn::Error::new(
        span,
        format!("`{name}` is not {article} {kind} of {display}; {hint}"),
    ))
}

/// `the nearest are `a`, `b``, or `none` when `near` is empty: the end of a "not found"
/// error.
pub fn nearest_hint(near: Vec<&str>, none: &str) -> String {
    if near.is_empty() {
        return none.to_string();
    }
    let near: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
    format!("the nearest are {}", near.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::parse_fn;
    use goost_spec::parse;
    use syn::parse_quote;

    fn spec() -> Spec {
        parse("module m\ngroup m.buf\n  fn write(id: int, data: string) -> bool\n    | W\n  fn read(id: int) -> string\n    | R\n").unwrap()
    }

    #[test]
    fn unknown_names_list_the_nearest() {
        let spec = spec();
        let error = resolve(&spec, "m.buf.wrte", "spec/m.spec", Span::call_site())
            .err()
            .unwrap();
        assert_eq!(
            error.to_string(),
            "`m.buf.wrte` is not in spec/m.spec; the nearest names are `m.buf.write`, `m.buf.read`"
        );
    }

    #[test]
    fn counts_script_parameters_without_the_context() {
        let spec = spec();
        let function = spec.function("m.buf.write").unwrap();
        let native =
            parse_fn(parse_quote! { fn write(ctx: &Context, id: i64) -> bool { true } }).unwrap();
        assert_eq!(
            check(function, &native).err().unwrap().to_string(),
            "`m.buf.write(id: int, data: string) -> bool` takes 2 script arguments, but `write` has 1 \
             (`&Context` and state parameters do not count)"
        );
    }

    #[test]
    fn parameter_names_must_match_with_an_optional_underscore() {
        let spec = spec();
        let function = spec.function("m.buf.write").unwrap();
        let ok =
            parse_fn(parse_quote! { fn write(_id: i64, data: &str) -> bool { true } }).unwrap();
        assert!(check(function, &ok).is_ok());
        let bad =
            parse_fn(parse_quote! { fn write(handle: i64, bytes: &str) -> bool { true } }).unwrap();
        let errors: Vec<String> = check(function, &bad)
            .err()
            .unwrap()
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errors,
            [
                "parameter 1 is `id` in the spec, not `handle`: `m.buf.write(id: int, data: string) -> bool`",
                "parameter 2 is `data` in the spec, not `bytes`: `m.buf.write(id: int, data: string) -> bool`",
            ]
        );
    }
}
