//! Parsing the macro's input: the attribute arguments and the annotated function.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{FnArg, Ident, ItemFn, LitStr, Pat, ReturnType, Token, Type};

/// `#[native("memory.buffer.write")]` or `#[native("m.g.f", spec = "tests/m.spec")]`.
pub struct NativeArgs {
    pub name: LitStr,
    pub spec_path: Option<LitStr>,
}

impl Parse for NativeArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(input.error(
                "expected the native's full name, like #[native(\"memory.buffer.write\")]",
            ));
        }
        let name: LitStr = input.parse()?;
        let mut spec_path = None;
        if input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let key: Ident = input.parse()?;
            if key != "spec" {
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown option `{key}`: the only option is `spec = \"path\"`"),
                ));
            }
            input.parse::<Token![=]>()?;
            spec_path = Some(input.parse()?);
            input.parse::<Option<Token![,]>>()?;
        }
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the native's arguments"));
        }
        Ok(NativeArgs { name, spec_path })
    }
}

/// A `{module}.spec` path argument of the function-like `module_spec!` macro:
/// `module_spec!("memory")` or `module_spec!(path = "tests/fixture.spec")`.
pub enum SpecMacroArgs {
    Module(LitStr),
    Path(LitStr),
}

impl Parse for SpecMacroArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return Ok(SpecMacroArgs::Module(input.parse()?));
        }
        let key: Ident = input.parse()?;
        if key != "path" {
            return Err(syn::Error::new(
                key.span(),
                "expected a module name (\"memory\") or `path = \"file.spec\"`",
            ));
        }
        input.parse::<Token![=]>()?;
        Ok(SpecMacroArgs::Path(input.parse()?))
    }
}

/// One parameter of the annotated function.
pub enum NativeParam {
    /// `&Context`: supplied by the glue, not a script argument.
    Context,
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
            NativeParam::Context => None,
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
}

/// Reads the annotated function; the shapes a native cannot have are errors here.
pub fn parse_fn(item: ItemFn) -> syn::Result<NativeFn> {
    let sig = &item.sig;
    let refuse = |span: Span, what: &str| {
        Err::<NativeFn, _>(syn::Error::new(
            span,
            format!(
                "a #[native] function cannot be {what}: natives are plain synchronous functions"
            ),
        ))
    };
    if let Some(token) = &sig.asyncness {
        return refuse(token.span(), "`async`");
    }
    if !sig.generics.params.is_empty() {
        return refuse(sig.generics.span(), "generic");
    }
    if let Some(variadic) = &sig.variadic {
        return refuse(variadic.span(), "variadic");
    }
    let mut params = Vec::new();
    for input in &sig.inputs {
        let typed = match input {
            FnArg::Receiver(receiver) => return refuse(receiver.span(), "a method"),
            FnArg::Typed(typed) => typed,
        };
        if is_context_ref(&typed.ty) {
            params.push(NativeParam::Context);
            continue;
        }
        let name = match &*typed.pat {
            Pat::Ident(pat) if pat.subpat.is_none() && pat.by_ref.is_none() => pat.ident.clone(),
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "a #[native] parameter must be a plain name (`id: i64`), so it can be matched with the spec",
                ));
            }
        };
        params.push(NativeParam::Script {
            name,
            ty: typed.ty.clone(),
        });
    }
    let ret = match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => Some((**ty).clone()),
    };
    Ok(NativeFn { item, params, ret })
}

/// `&Context` (any path ending in `Context`, shared reference): supplied by the glue.
fn is_context_ref(ty: &Type) -> bool {
    let Type::Reference(reference) = ty else {
        return false;
    };
    if reference.mutability.is_some() {
        return false;
    }
    matches!(&*reference.elem, Type::Path(path)
        if path.qself.is_none()
        && path.path.segments.last().is_some_and(|s| s.ident == "Context" && s.arguments.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn context_parameters_are_not_script_parameters() {
        let native = parse_fn(parse_quote! {
            fn write(ctx: &Context, id: BufferId, data: &str) -> bool { true }
        })
        .unwrap();
        let names: Vec<String> = native.script_params().map(|(n, _)| n.to_string()).collect();
        assert_eq!(names, ["id", "data"]);
        assert!(matches!(native.params[0], NativeParam::Context));
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
    fn parses_attribute_arguments() {
        let args: NativeArgs = syn::parse_quote!("m.g.f", spec = "x.spec");
        assert_eq!(args.name.value(), "m.g.f");
        assert_eq!(args.spec_path.unwrap().value(), "x.spec");
        let bad = syn::parse2::<NativeArgs>(quote::quote!("m.g.f", path = "x"));
        assert_eq!(
            bad.err().unwrap().to_string(),
            "unknown option `path`: the only option is `spec = \"path\"`"
        );
    }
}
