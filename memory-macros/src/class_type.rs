//! `#[spec_class("geo.Path")]`: a plain Rust struct bound to a class of the spec, and
//! `#[spec_methods("geo.Path")]`: its `impl` block, whose `&self` methods are the class's
//! methods.
//!
//! The struct gets `ScriptClass` (its class) and `IntoValue` (a native that returns it
//! hands the script a new object); a native takes an object as `ObjectRef<'_, Path>`.
//! `ScriptClass` asks `Send + Sync + 'static`, so a class that is not is a compile error at
//! the struct: one context runs natives from several threads.
//!
//! Each method of the `impl` block is checked against the spec's method of its name as a
//! `#[native]` function is against its `fn` (parameter names, arity, script types), and
//! gets the same glue, with the object it is called on as the call's first argument.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;

use crate::check::{check, nearest_hint, resolve_declared};
use crate::errors::Errors;
use crate::expand::{self, Callee};
use crate::item::parse_fn;
use crate::locate::LoadedSpec;

/// The expansion of `#[spec_class(name)]` on `item`.
pub fn expand_class(
    name: &syn::LitStr,
    item: &syn::ItemStruct,
    loaded: &LoadedSpec,
    krate: &syn::Path,
) -> syn::Result<TokenStream> {
    let class = resolve_class(name, loaded)?;
    if !item.generics.params.is_empty() {
        return Err(syn::Error::new(
            item.generics.span(),
            "a spec class is a plain struct: it takes no generic parameters",
        ));
    }
    let ident = &item.ident;
    let class_name = &class.name;
    Ok(quote! {
        #item

        impl #krate::ScriptClass for #ident {
            const CLASS: &'static #krate::ClassType = &#krate::ClassType { name: #class_name };
        }

        impl #krate::IntoValue for #ident {
            const TYPE: #krate::ScriptType =
                #krate::ScriptType::Class(<#ident as #krate::ScriptClass>::CLASS);
            /// A new object of the class, holding the value.
            fn into_value(self) -> ::core::result::Result<#krate::Value, #krate::Error> {
                ::core::result::Result::Ok(#krate::Value::Object(#krate::ScriptObject::new(self)))
            }
        }
    })
}

/// The expansion of `#[spec_methods(name)]` on `item`: the `impl` block unchanged, then
/// the glue of each of its `&self` methods, each checked against the class's method of its
/// name (every error at once).
pub fn expand_methods(
    name: &syn::LitStr,
    item: &syn::ItemImpl,
    loaded: &LoadedSpec,
    krate: &syn::Path,
) -> syn::Result<TokenStream> {
    let class = resolve_class(name, loaded)?;
    let self_ty = &item.self_ty;
    let mut errors = Errors::default();
    let mut glue = Vec::new();
    for impl_item in &item.items {
        let syn::ImplItem::Fn(method) = impl_item else {
            continue;
        };
        let short = method.sig.ident.to_string();
        let Some(spec_method) = class.method(&short) else {
            let names = class.methods.iter().map(|m| m.short.as_str());
            let hint = nearest_hint(
                goost_spec::nearest(&short, names, 3),
                "it declares no method of that name",
            );
            errors.push(
                method.sig.ident.span(),
                format!(
                    "`{short}` is not a method of `{}` in {}; {hint}",
                    class.name, loaded.display
                ),
            );
            continue;
        };
        match receiver_of(method) {
            Ok(()) => {}
            Err((span, message)) => {
                errors.push(span, message);
                continue;
            }
        }
        // The method as a function of its other parameters, which the glue fills as a
        // `#[native]` function's.
        let mut sig = method.sig.clone();
        sig.inputs = sig
            .inputs
            .into_iter()
            .filter(|input| matches!(input, syn::FnArg::Typed(_)))
            .collect();
        let as_fn = syn::ItemFn {
            attrs: Vec::new(),
            vis: syn::Visibility::Inherited,
            sig,
            block: Box::new(method.block.clone()),
        };
        let native = match parse_fn(as_fn).and_then(|native| {
            check(spec_method, &native)?;
            Ok(native)
        }) {
            Ok(native) => native,
            Err(error) => {
                errors.push_error(error);
                continue;
            }
        };
        glue.push(expand::native_glue(
            krate,
            spec_method,
            &native,
            loaded,
            &Callee::Method { self_ty, class },
        ));
    }
    errors.finish()?;
    Ok(quote! {
        #item
        #(#glue)*
    })
}

/// The spec's class named by the macro's argument `name`, or the error naming the nearest.
fn resolve_class<'s>(
    name: &syn::LitStr,
    loaded: &'s LoadedSpec,
) -> syn::Result<&'s goost_spec::Class> {
    resolve_declared(
        &loaded.spec.classes,
        |c| c.name.as_str(),
        "class",
        &name.value(),
        &loaded.display,
        name.span(),
    )
}

/// Whether `method` takes `&self`, as a class method must; where and why not otherwise.
fn receiver_of(method: &syn::ImplItemFn) -> Result<(), (proc_macro2::Span, String)> {
    let Some(syn::FnArg::Receiver(receiver)) = method.sig.inputs.first() else {
        return Err((
            method.sig.ident.span(),
            format!(
                "`{}` takes no `&self`: a class method is called on an object, so it takes `&self` (a constructor is a `#[native]` function that returns the class)",
                method.sig.ident
            ),
        ));
    };
    if receiver.reference.is_none() {
        return Err((
            receiver.span(),
            "a class method takes `&self`, not `self`: scripts hold the object, so a method borrows it".to_string(),
        ));
    }
    if receiver.mutability.is_some() {
        return Err((
            receiver.span(),
            "a class method takes `&self`, not `&mut self`: one context runs natives from several threads, so an object changes through its own locks or atomics".to_string(),
        ));
    }
    Ok(())
}
