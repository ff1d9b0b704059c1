//! Emits the code for a checked native: the function with its spec rustdoc, the typed
//! glue, the compile-time type checks and the `inventory` registration.
//!
//! Generated code names the binding layer by the path `krate` (see `crate_path`): the
//! facade `::goost_memory`, the generic layer `::goost_bind`, or what the user set with
//! `crate = "path"`. Everything it names is at that path's root or in its `__private`.

use goost_spec::{Function, ScriptType, markdown};
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::item::{NativeFn, NativeParam};
use crate::locate::LoadedSpec;

/// `#krate::ScriptType::Int`, `#krate::ScriptType::List(&#krate::ScriptType::Int)`, ...
fn script_type_tokens(krate: &syn::Path, ty: ScriptType) -> TokenStream {
    match ty {
        ScriptType::Int => quote!(#krate::ScriptType::Int),
        ScriptType::Float => quote!(#krate::ScriptType::Float),
        ScriptType::String => quote!(#krate::ScriptType::String),
        ScriptType::Bool => quote!(#krate::ScriptType::Bool),
        ScriptType::Void => quote!(#krate::ScriptType::Void),
        ScriptType::List(element) => {
            let element = script_type_tokens(krate, *element);
            quote!(#krate::ScriptType::List(&#element))
        }
        ScriptType::Optional(inner) => {
            let inner = script_type_tokens(krate, *inner);
            quote!(#krate::ScriptType::Optional(&#inner))
        }
    }
}

/// `tokens` with every span set to `span`, so an error in code built from them points
/// where `span` does.
fn respanned(tokens: &impl ToTokens, span: Span) -> TokenStream {
    tokens
        .to_token_stream()
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(group) = &tree {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respanned(&group.stream(), span));
                inner.set_span(span);
                tree = proc_macro2::TokenTree::Group(inner);
            }
            tree.set_span(span);
            tree
        })
        .collect()
}

/// A type as the user wrote it, for messages: `&str`, `Result<ScriptString, Error>`.
fn type_text(ty: &impl ToTokens) -> String {
    ty.to_token_stream()
        .to_string()
        .replace("& ", "&")
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace(" :: ", "::")
}

/// A compile-time check that `actual` (a `TYPE` constant of a Rust type) is `expected`.
/// Each wrong script type gets its own literal message (`what` + "is a script `int`"),
/// spanned at the Rust type, because a const panic cannot format.
fn type_check(
    krate: &syn::Path,
    actual: TokenStream,
    expected: ScriptType,
    span: Span,
    what: &str,
) -> TokenStream {
    let check = type_match(krate, actual, expected, span, what, &|found| {
        found.to_string()
    });
    quote_spanned! {span=>
        const _: () = #check;
    }
}

/// A const `match` on the type `value` that passes `expected` and panics on anything else
/// with "{what} is a script `T`", where `shown` writes the whole type `T` from the part
/// found at this depth (nested lists and optionals are matched part by part).
fn type_match(
    krate: &syn::Path,
    value: TokenStream,
    expected: ScriptType,
    span: Span,
    what: &str,
    shown: &dyn Fn(&str) -> String,
) -> TokenStream {
    let kinds = [
        (quote!(#krate::ScriptType::Int), "int"),
        (quote!(#krate::ScriptType::Float), "float"),
        (quote!(#krate::ScriptType::String), "string"),
        (quote!(#krate::ScriptType::Bool), "bool"),
        (quote!(#krate::ScriptType::Void), "void"),
        (quote!(#krate::ScriptType::List(_)), "list<...>"),
        (quote!(#krate::ScriptType::Optional(_)), "...?"),
    ];
    let expected_arm = match expected {
        ScriptType::List(element) => {
            let nested = type_match(
                krate,
                quote!(*__goost_part),
                *element,
                span,
                what,
                &|part| shown(&format!("list<{part}>")),
            );
            quote_spanned!(span=> #krate::ScriptType::List(__goost_part) => #nested,)
        }
        ScriptType::Optional(inner) => {
            let nested = type_match(krate, quote!(*__goost_part), *inner, span, what, &|part| {
                shown(&format!("{part}?"))
            });
            quote_spanned!(span=> #krate::ScriptType::Optional(__goost_part) => #nested,)
        }
        base => {
            let pattern = script_type_tokens(krate, base);
            quote_spanned!(span=> #pattern => {},)
        }
    };
    let expected_kind = expected.kind_name();
    let other_arms = kinds
        .iter()
        .filter(|(_, name)| {
            let kind = match *name {
                "list<...>" => "list",
                "...?" => "optional",
                other => other,
            };
            kind != expected_kind
        })
        .map(|(pattern, name)| {
            let message = format!("{what} is a script `{}`", shown(name));
            quote_spanned!(span=> #pattern => ::core::panic!(#message),)
        });
    quote_spanned! {span=>
        match #value {
            #expected_arm
            #(#other_arms)*
        }
    }
}

/// A `#krate::FnSpec { .. }` literal for one spec function.
pub fn fn_spec_tokens(krate: &syn::Path, function: &Function) -> TokenStream {
    let name = &function.name;
    let signature = function.signature();
    let description = &function.description;
    let ret = script_type_tokens(krate, function.ret);
    let params = function.params.iter().map(|p| {
        let name = &p.name;
        let ty = script_type_tokens(krate, p.ty);
        quote!(#krate::ParamSpec { name: #name, ty: #ty })
    });
    quote! {
        #krate::FnSpec {
            name: #name,
            signature: #signature,
            params: &[#(#params),*],
            ret: #ret,
            description: #description,
        }
    }
}

/// `const _: &[u8] = include_bytes!(..);` so cargo rebuilds when the spec changes.
fn rebuild_tracking(loaded: &LoadedSpec) -> TokenStream {
    match &loaded.absolute {
        Some(path) => {
            let path = path.to_string_lossy();
            quote!(
                const _: &[u8] = ::core::include_bytes!(#path);
            )
        }
        None => TokenStream::new(),
    }
}

/// The whole expansion of `#[native(..)]` on a function that passed `check`.
pub fn native(
    krate: &syn::Path,
    function: &Function,
    native: &NativeFn,
    loaded: &LoadedSpec,
) -> TokenStream {
    let signature = function.signature();
    let item = &native.item;
    let ident = native.ident();
    let doc_head = format!(" `{signature}`");
    let doc_body = format!(" {}", function.description);
    let doc_source = format!(" *Bound from `{}` in `{}`.*", function.name, loaded.display);
    let has_own_docs = item.attrs.iter().any(|a| a.path().is_ident("doc"));
    let separator = has_own_docs.then(|| quote!(#[doc = ""]));

    let once_marker = format_ident!(
        "__goost_native_bound_once__{}",
        function.name.replace('.', "__")
    );
    let fn_spec = fn_spec_tokens(krate, function);
    let tracking = rebuild_tracking(loaded);

    let mut type_checks = Vec::new();
    let mut conversions = Vec::new();
    let mut state_locals = Vec::new();
    let mut state_types = Vec::new();
    let mut state_fields = Vec::new();
    // The error of a context that lacks a state: one expression per state.
    let mut missing_states = Vec::new();
    let mut call_args = Vec::new();
    let mut arg_patterns = Vec::new();
    let mut script_index = 0usize;
    for param in &native.params {
        match param {
            NativeParam::Context => call_args.push(quote!(__goost_ctx)),
            NativeParam::State { ty } => {
                let local = format_ident!("__goost_state{}", state_types.len());
                state_locals.push(local.clone());
                missing_states.push(quote! {
                    #krate::__private::GlueResult::err(#krate::Error::missing_state(
                        &__GOOST_SPEC,
                        ::core::any::type_name::<#ty>(),
                    ))
                });
                state_fields.push(quote_spanned!(ty.span()=> #local: ::std::sync::Arc<#ty>));
                state_types.push(ty.clone());
                call_args.push(quote!(#local));
            }
            NativeParam::Script { name, ty } => {
                let Some(spec_param) = function.params.get(script_index) else {
                    continue;
                };
                let what = format!(
                    "parameter `{}` of `{signature}` is a script `{}`, but `{}`",
                    spec_param.name,
                    spec_param.ty,
                    type_text(ty),
                );
                type_checks.push(type_check(
                    krate,
                    quote!(<#ty as #krate::FromValue>::TYPE),
                    spec_param.ty,
                    ty.span(),
                    &what,
                ));
                let slot = format_ident!("__goost_arg{}", script_index);
                let index = script_index;
                arg_patterns.push(slot.clone());
                let local = format_ident!("__goost_{}", name);
                // Spanned at the Rust type (the crate path too) and naming only
                // `FromValue` itself, so a type that is not a script type gets the one
                // error the type check gives.
                let krate = &respanned(krate, ty.span());
                let convert = quote_spanned! {ty.span()=>
                    match #slot {
                        ::core::option::Option::Some(__goost_arg) => {
                            <#ty as #krate::FromValue>::from_value(#krate::ScriptArg::lend(__goost_arg))
                        }
                        ::core::option::Option::None => {
                            <#ty as #krate::FromValue>::from_value(#krate::ArgRef::Void)
                        }
                    }
                };
                conversions.push(quote! {
                    let #local = match #convert {
                        ::core::result::Result::Ok(#local) => #local,
                        ::core::result::Result::Err(__goost_mismatch) => {
                            return #krate::__private::GlueResult::err(
                                #krate::Error::argument_type(&__GOOST_SPEC, #index, __goost_mismatch),
                            );
                        }
                    };
                });
                call_args.push(quote!(#local));
                script_index += 1;
            }
        }
    }

    let ret_ty = match &native.ret {
        Some(ty) => ty.to_token_stream(),
        None => quote!(()),
    };
    let ret_span = native
        .ret
        .as_ref()
        .map_or_else(|| native.params_span(), Spanned::span);
    let what = format!(
        "`{signature}` returns a script `{}`, but `{}`",
        function.ret,
        type_text(&ret_ty),
    );
    type_checks.push(type_check(
        krate,
        quote!(<#ret_ty as #krate::IntoValue>::TYPE),
        function.ret,
        ret_span,
        &what,
    ));
    let rust_path = ident.to_string();
    // Arguments: a slice pattern when every one is required; otherwise a range of counts,
    // with each optional argument left out read as `nil`. Each converts through
    // `ScriptArg::convert`, which reads an interpreter's `Value` where it is.
    let required = function.required_params();
    let take_arguments = if required == arg_patterns.len() {
        quote! {
            let [#(#arg_patterns),*] = __goost_args else {
                return #krate::__private::GlueResult::err(
                    #krate::Error::arity(&__GOOST_SPEC, __goost_args.len()),
                );
            };
            #(let #arg_patterns = ::core::option::Option::Some(#arg_patterns);)*
        }
    } else {
        let total = arg_patterns.len();
        let takes = arg_patterns
            .iter()
            .enumerate()
            .map(|(index, slot)| quote!(let #slot = __goost_args.get(#index);));
        quote! {
            if __goost_args.len() < #required || __goost_args.len() > #total {
                return #krate::__private::GlueResult::err(
                    #krate::Error::arity(&__GOOST_SPEC, __goost_args.len()),
                );
            }
            #(#takes)*
        }
    };
    // A bound glue keeps the context only if the function takes it.
    let takes_context = native
        .params
        .iter()
        .any(|p| matches!(p, NativeParam::Context));
    let (context_param, context_pass, context_field, context_kept, context_bound) = if takes_context
    {
        (
            quote!(__goost_ctx: &#krate::Context,),
            quote!(__goost_ctx,),
            quote!(__goost_ctx: #krate::Context,),
            quote!(__goost_ctx: ::core::clone::Clone::clone(__goost_ctx),),
            quote!(&self.__goost_ctx,),
        )
    } else {
        Default::default()
    };
    quote! {
        #[doc = #doc_head]
        #[doc = ""]
        #[doc = #doc_body]
        #[doc = ""]
        #[doc = #doc_source]
        #separator
        #item

        #[doc(hidden)]
        #[macro_export]
        macro_rules! #once_marker { () => {}; }

        const _: () = {
            #tracking
            #(#type_checks)*

            static __GOOST_SPEC: #krate::FnSpec = #fn_spec;

            /// The call once the states are found: arguments in, result out. Compiled for
            /// the interpreter's values and for the arguments an engine lends. Each entry
            /// runs it contained, conversions included: a host's own `FromValue` that
            /// panics is an error naming the native, as the native's own panic is.
            #[inline(always)]
            fn __goost_body<__GoostArg: #krate::ScriptArg>(
                #context_param
                #(#state_locals: &#state_types,)*
                __goost_args: &[__GoostArg],
            ) -> #krate::__private::GlueResult {
                #take_arguments
                #(#conversions)*
                #krate::__private::GlueResult::from(
                    #krate::IntoValue::into_value(#ident(#(#call_args),*))
                        .map_err(|e| e.in_native(&__GOOST_SPEC)),
                )
            }

            /// The glue: finds the states in the context on each call.
            fn __goost_glue(
                __goost_ctx: &#krate::Context,
                __goost_args: &[#krate::Value],
            ) -> #krate::__private::GlueResult {
                #(
                    let ::core::option::Option::Some(#state_locals) =
                        __goost_ctx.state::<#state_types>()
                    else {
                        return #missing_states;
                    };
                )*
                #krate::__private::contained(&__GOOST_SPEC, || {
                    __goost_body(#context_pass #(#state_locals,)* __goost_args)
                })
            }

            /// The glue bound to one context: its states found once, held shared.
            struct __GoostBound {
                #context_field
                #(#state_fields,)*
            }

            impl #krate::__private::BoundCall for __GoostBound {
                #[inline]
                fn call_values(
                    &self,
                    __goost_args: &[#krate::Value],
                ) -> #krate::__private::GlueResult {
                    #krate::__private::contained(&__GOOST_SPEC, || {
                        __goost_body(#context_bound #(&self.#state_locals,)* __goost_args)
                    })
                }

                #[inline]
                fn call_lent(
                    &self,
                    __goost_args: &[#krate::ArgRef<'_>],
                ) -> #krate::__private::GlueResult {
                    #krate::__private::contained(&__GOOST_SPEC, || {
                        __goost_body(#context_bound #(&self.#state_locals,)* __goost_args)
                    })
                }
            }

            fn __goost_bind(__goost_ctx: &#krate::Context) -> #krate::__private::BoundGlue {
                #(
                    let ::core::option::Option::Some(#state_locals) =
                        __goost_ctx.state_shared::<#state_types>()
                    else {
                        return #krate::__private::MissingState::glue(
                            &__GOOST_SPEC,
                            ::core::any::type_name::<#state_types>(),
                        );
                    };
                )*
                ::std::boxed::Box::new(__GoostBound {
                    #context_kept
                    #(#state_locals,)*
                })
            }

            #krate::__private::inventory::submit! {
                #krate::Native::__new(
                    &__GOOST_SPEC,
                    __goost_glue,
                    __goost_bind,
                    ::core::concat!(::core::module_path!(), "::", #rust_path),
                    ::core::file!(),
                    ::core::line!(),
                )
            }
        };
    }
}

/// The expansion of `module_spec!(..)`: a `ModuleSpec` constant expression.
pub fn module_spec(krate: &syn::Path, loaded: &LoadedSpec) -> TokenStream {
    let module = &loaded.spec.module;
    let path = &loaded.display;
    let functions = loaded.spec.functions().map(|f| fn_spec_tokens(krate, f));
    let page = markdown::render(&loaded.spec, &loaded.display);
    let source = &loaded.source;
    let tracking = rebuild_tracking(loaded);
    quote! {
        {
            #tracking
            #krate::ModuleSpec {
                module: #module,
                path: #path,
                functions: &[#(#functions),*],
                markdown: #page,
                source: #source,
            }
        }
    }
}

/// A compile error at `span`, as tokens.
pub fn error_at(span: Span, message: &str) -> TokenStream {
    syn::Error::new(span, message).to_compile_error()
}

#[cfg(test)]
mod golden {
    //! Golden expansions: each `tests/expand/*.rs` input beside its `.out` expansion,
    //! formatted with prettyplease. `GOOST_BLESS=1 cargo test -p memory-macros` rewrites
    //! the `.out` files; review the diff like any other code change.

    use std::path::Path;

    use crate::locate::LoadedSpec;

    fn expand_file(input: &str, loaded: &LoadedSpec) -> String {
        let file: syn::File = syn::parse_str(input).expect("golden input parses");
        let mut out = proc_macro2::TokenStream::new();
        for item in file.items {
            let syn::Item::Fn(mut item) = item else {
                panic!("golden inputs hold only annotated functions");
            };
            let at = item
                .attrs
                .iter()
                .position(|a| a.path().is_ident("native"))
                .expect("each golden function has #[native]");
            let attr = item.attrs.remove(at);
            let args = attr.meta.require_list().unwrap().tokens.clone();
            let krate: syn::Path = syn::parse_quote!(::goost_memory);
            out.extend(crate::native_with_spec(
                args,
                quote::quote!(#item),
                loaded,
                &krate,
            ));
        }
        let formatted: syn::File = syn::parse2(out).expect("expansion parses as a file");
        prettyplease::unparse(&formatted)
    }

    #[test]
    fn expansions_match_the_committed_golden_files() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expand");
        let spec_source = std::fs::read_to_string(dir.join("golden.spec")).unwrap();
        let loaded = LoadedSpec::in_memory(&spec_source, "tests/expand/golden.spec").unwrap();
        let bless = std::env::var_os("GOOST_BLESS").is_some();
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        inputs.sort();
        assert!(
            inputs.len() >= 6,
            "expected a golden input per signature shape"
        );
        let mut stale = Vec::new();
        for input in inputs {
            let expanded = expand_file(&std::fs::read_to_string(&input).unwrap(), &loaded);
            let out_path = input.with_extension("out");
            if bless {
                std::fs::write(&out_path, &expanded).unwrap();
            } else if std::fs::read_to_string(&out_path).ok().as_deref() != Some(expanded.as_str())
            {
                stale.push(out_path.display().to_string());
            }
        }
        assert!(
            stale.is_empty(),
            "expansions differ from the golden files (rerun with GOOST_BLESS=1 and review the diff): {stale:?}"
        );
    }
}
