//! Parsing the macro's input: the attribute arguments and the annotated function.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{FnArg, Ident, ItemFn, LitStr, Pat, PatType, ReturnType, Token, Type};

use crate::errors::Errors;

/// `#[native("memory.buffer.write")]`, optionally with `spec = "tests/m.spec"` (the spec
/// file) and `crate = "path"` (where generated code finds the binding layer), in any order.
pub struct NativeArgs {
    pub name: LitStr,
    pub spec_path: Option<LitStr>,
    pub crate_path: Option<LitStr>,
}

impl Parse for NativeArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(input.error(
                "expected the native's full name, like #[native(\"memory.buffer.write\")]",
            ));
        }
        let name: LitStr = input.parse()?;
        let options = parse_options(input, &["spec", "crate"])?;
        Ok(NativeArgs {
            name,
            spec_path: options.get("spec"),
            crate_path: options.get("crate"),
        })
    }
}

/// `key = "value"` options after a macro's first argument, each key at most once.
pub struct Options(Vec<(String, LitStr)>);

impl Options {
    /// The value given for `key`.
    pub fn get(&self, key: &str) -> Option<LitStr> {
        self.0
            .iter()
            .find(|(each, _)| each == key)
            .map(|(_, value)| value.clone())
    }
}

/// Reads `, key = "value"` pairs to the end of `input`, allowing only `known` keys.
fn parse_options(input: ParseStream<'_>, known: &[&str]) -> syn::Result<Options> {
    let mut options: Vec<(String, LitStr)> = Vec::new();
    while input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
        let key = if input.peek(Token![crate]) {
            let token: Token![crate] = input.parse()?;
            Ident::new("crate", token.span)
        } else {
            input.parse::<Ident>()?
        };
        let listed: Vec<String> = known.iter().map(|k| format!("`{k} = \"..\"`")).collect();
        if !known.iter().any(|k| key == k) {
            return Err(syn::Error::new(
                key.span(),
                format!(
                    "unknown option `{key}`: the options are {}",
                    listed.join(" and ")
                ),
            ));
        }
        if options.iter().any(|(each, _)| key == each) {
            return Err(syn::Error::new(
                key.span(),
                format!("option `{key}` is given twice"),
            ));
        }
        input.parse::<Token![=]>()?;
        options.push((key.to_string(), input.parse()?));
    }
    if !input.is_empty() {
        return Err(input.error("unexpected tokens after the macro's arguments"));
    }
    Ok(Options(options))
}

/// The arguments of the function-like `module_spec!` macro: `module_spec!("memory")` or
/// `module_spec!(path = "tests/fixture.spec")`, optionally followed by `crate = "path"`.
pub struct SpecMacroArgs {
    pub source: SpecSource,
    pub crate_path: Option<LitStr>,
}

/// Where `module_spec!` finds its spec.
pub enum SpecSource {
    Module(LitStr),
    Path(LitStr),
}

impl Parse for SpecMacroArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let source = if input.peek(LitStr) {
            SpecSource::Module(input.parse()?)
        } else {
            let key: Ident = input.parse()?;
            if key != "path" {
                return Err(syn::Error::new(
                    key.span(),
                    "expected a module name (\"memory\") or `path = \"file.spec\"`",
                ));
            }
            input.parse::<Token![=]>()?;
            SpecSource::Path(input.parse()?)
        };
        let options = parse_options(input, &["crate"])?;
        Ok(SpecMacroArgs {
            source,
            crate_path: options.get("crate"),
        })
    }
}

/// One parameter of the annotated function.
pub enum NativeParam {
    /// `&Context`: supplied by the glue, not a script argument.
    Context,
    /// `&T` for a named type `T` (not `str`, not `Context`): the context's module state of
    /// type `T`, filled by the glue, not a script argument.
    State { ty: Box<Type> },
    /// A script argument: its binding name and Rust type.
    Script { name: Ident, ty: Box<Type> },
}

/// The annotated function, as the checks and the expansion see it.
pub struct NativeFn {
    pub item: ItemFn,
    pub params: Vec<NativeParam>,
    /// `None` when the function has no `->` (it returns `()`).
    pub ret: Option<Type>,
}

impl NativeFn {
    /// The script parameters, in order, with their position among all parameters.
    pub fn script_params(&self) -> impl Iterator<Item = (&Ident, &Type)> {
        self.params.iter().filter_map(|p| match p {
            NativeParam::Script { name, ty } => Some((name, &**ty)),
            NativeParam::Context | NativeParam::State { .. } => None,
        })
    }

    /// The function's name.
    pub fn ident(&self) -> &Ident {
        &self.item.sig.ident
    }

    /// A span covering the parameter list, for arity errors.
    pub fn params_span(&self) -> Span {
        self.item.sig.paren_token.span.join()
    }

    /// The result type as written, `()` when there is none.
    pub fn ret_tokens(&self) -> proc_macro2::TokenStream {
        match &self.ret {
            Some(ty) => quote::ToTokens::to_token_stream(ty),
            None => quote::quote!(()),
        }
    }

    /// The span of the result type, or of the parameter list when there is none: where a
    /// mistake about the result is reported.
    pub fn ret_span(&self) -> Span {
        self.ret
            .as_ref()
            .map_or_else(|| self.params_span(), syn::spanned::Spanned::span)
    }
}

/// Reads the annotated function; the shapes a native cannot have are errors here, every
/// one of them reported at once.
pub fn parse_fn(item: ItemFn) -> syn::Result<NativeFn> {
    let mut errors = Errors::default();
    let sig = &item.sig;
    let refuse = |errors: &mut Errors, span: Span, what: &str| {
        errors.push(
            span,
            format!(
                "a #[native] function cannot be {what}: natives are plain synchronous functions"
            ),
        );
    };
    if let Some(token) = &sig.asyncness {
        refuse(&mut errors, token.span(), "`async`");
    }
    if !sig.generics.params.is_empty() {
        refuse(&mut errors, sig.generics.span(), "generic");
    }
    if let Some(variadic) = &sig.variadic {
        refuse(&mut errors, variadic.span(), "variadic");
    }
    let mut params = Vec::new();
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(receiver) => refuse(&mut errors, receiver.span(), "a method"),
            FnArg::Typed(typed) => match parse_param(typed) {
                Ok(param) => params.push(param),
                Err((span, message)) => errors.push(span, message),
            },
        }
    }
    errors.finish()?;
    let ret = match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => Some((**ty).clone()),
    };
    Ok(NativeFn { item, params, ret })
}

/// One typed parameter, sorted by its type; or where and why it cannot be one.
fn parse_param(typed: &PatType) -> Result<NativeParam, (Span, &'static str)> {
    match param_kind(&typed.ty) {
        ParamKind::Context => Ok(NativeParam::Context),
        ParamKind::State(ty) => Ok(NativeParam::State {
            ty: Box::new(ty.clone()),
        }),
        ParamKind::MutableState => Err((
            typed.ty.span(),
            "a #[native] state parameter is a shared reference (`&State`): one context may be used from several threads at once, so a state changes through its own locks or atomics",
        )),
        ParamKind::Script => match &*typed.pat {
            Pat::Ident(pat) if pat.subpat.is_none() && pat.by_ref.is_none() => {
                Ok(NativeParam::Script {
                    name: pat.ident.clone(),
                    ty: typed.ty.clone(),
                })
            }
            other => Err((
                other.span(),
                "a #[native] parameter must be a plain name (`id: i64`), so it can be matched with the spec",
            )),
        },
    }
}

/// What a parameter's type makes it.
enum ParamKind<'t> {
    /// `&Context`.
    Context,
    /// `&T`, `T` a named type other than `str` and `Context`: module state.
    State(&'t Type),
    /// `&mut T` of such a type: refused.
    MutableState,
    /// Anything else: a script argument.
    Script,
}

/// Sorts a parameter by its type's syntax: a shared reference to a path type is the
/// context (`&Context`, any path ending in `Context`) or a module state (`&GeoState`),
/// except `&str`, a script string; everything else is a script argument.
fn param_kind(ty: &Type) -> ParamKind<'_> {
    let Type::Reference(reference) = ty else {
        return ParamKind::Script;
    };
    let Type::Path(path) = &*reference.elem else {
        return ParamKind::Script;
    };
    let Some(last) = path.path.segments.last() else {
        return ParamKind::Script;
    };
    if path.qself.is_some() || last.ident == "str" {
        return ParamKind::Script;
    }
    match (
        reference.mutability.is_some(),
        last.ident == "Context" && last.arguments.is_empty(),
    ) {
        (true, _) => ParamKind::MutableState,
        (false, true) => ParamKind::Context,
        (false, false) => ParamKind::State(&reference.elem),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn context_and_state_parameters_are_not_script_parameters() {
        let native = parse_fn(parse_quote! {
            fn write(ctx: &Context, mem: &MemoryState, id: BufferId, data: &'a str) -> bool { true }
        })
        .unwrap();
        let names: Vec<String> = native.script_params().map(|(n, _)| n.to_string()).collect();
        assert_eq!(names, ["id", "data"]);
        assert!(matches!(native.params[0], NativeParam::Context));
        assert!(matches!(native.params[1], NativeParam::State { .. }));
    }

    #[test]
    fn a_mutable_state_is_refused_with_the_reason() {
        let error = parse_fn(parse_quote! { fn f(state: &mut GeoState) {} })
            .err()
            .unwrap();
        assert!(
            error
                .to_string()
                .starts_with("a #[native] state parameter is a shared reference"),
            "{error}"
        );
    }

    #[test]
    fn refuses_methods_generics_and_patterns() {
        let message = |item: ItemFn| parse_fn(item).err().unwrap().to_string();
        assert_eq!(
            message(parse_quote! { fn f<T>(x: T) {} }),
            "a #[native] function cannot be generic: natives are plain synchronous functions"
        );
        assert_eq!(
            message(parse_quote! { async fn f() {} }),
            "a #[native] function cannot be `async`: natives are plain synchronous functions"
        );
        assert_eq!(
            message(parse_quote! { fn f((a, b): (i64, i64)) {} }),
            "a #[native] parameter must be a plain name (`id: i64`), so it can be matched with the spec"
        );
    }

    #[test]
    fn every_shape_error_of_one_function_is_reported_at_once() {
        let error = parse_fn(parse_quote! {
            async fn f((a, b): (i64, i64), state: &mut GeoState) {}
        })
        .err()
        .unwrap();
        let messages: Vec<String> = error.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(
            messages,
            [
                "a #[native] function cannot be `async`: natives are plain synchronous functions",
                "a #[native] parameter must be a plain name (`id: i64`), so it can be matched with the spec",
                "a #[native] state parameter is a shared reference (`&State`): one context may be used from several threads at once, so a state changes through its own locks or atomics",
            ]
        );
    }

    #[test]
    fn parses_attribute_arguments() {
        let args: NativeArgs = syn::parse_quote!("m.g.f", spec = "x.spec");
        assert_eq!(args.name.value(), "m.g.f");
        assert_eq!(args.spec_path.unwrap().value(), "x.spec");
        assert!(args.crate_path.is_none());
        let args: NativeArgs = syn::parse_quote!("m.g.f", crate = "my::facade", spec = "x.spec");
        assert_eq!(args.crate_path.unwrap().value(), "my::facade");
        assert_eq!(args.spec_path.unwrap().value(), "x.spec");
        let message = |tokens| syn::parse2::<NativeArgs>(tokens).err().unwrap().to_string();
        assert_eq!(
            message(quote::quote!("m.g.f", path = "x")),
            "unknown option `path`: the options are `spec = \"..\"` and `crate = \"..\"`"
        );
        assert_eq!(
            message(quote::quote!("m.g.f", spec = "x", spec = "y")),
            "option `spec` is given twice"
        );
    }
}
