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
pub(crate) fn script_type_tokens(krate: &syn::Path, ty: ScriptType) -> TokenStream {
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
        ScriptType::Map(value) => {
            let value = script_type_tokens(krate, *value);
            quote!(#krate::ScriptType::Map(&#value))
        }
        ScriptType::Record(record) => {
            let name = record.name;
            let fields = record.fields.iter().map(|field| {
                let (field, ty) = (field.name, script_type_tokens(krate, field.ty));
                quote!(#krate::FieldType { name: #field, ty: #ty })
            });
            quote!(#krate::ScriptType::Record(&#krate::RecordType {
                name: #name,
                fields: &[#(#fields),*],
            }))
        }
        ScriptType::Class(class) => {
            let name = class.name;
            quote!(#krate::ScriptType::Class(&#krate::ClassType { name: #name }))
        }
        ScriptType::Enum(choice) => {
            let (name, values) = (choice.name, choice.values);
            quote!(#krate::ScriptType::Enum(&#krate::EnumType {
                name: #name,
                values: &[#(#values),*],
            }))
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
pub(crate) fn type_text(ty: &impl ToTokens) -> String {
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
pub(crate) fn type_check(
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
        (quote!(#krate::ScriptType::Map(_)), "map<...>"),
        (quote!(#krate::ScriptType::Record(_)), "record"),
        (quote!(#krate::ScriptType::Enum(_)), "enum"),
        (quote!(#krate::ScriptType::Class(_)), "class"),
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
        ScriptType::Map(value) => {
            let nested = type_match(krate, quote!(*__goost_part), *value, span, what, &|part| {
                shown(&format!("map<{part}>"))
            });
            quote_spanned!(span=> #krate::ScriptType::Map(__goost_part) => #nested,)
        }
        ScriptType::Record(_) | ScriptType::Enum(_) | ScriptType::Class(_) => {
            // The kind matches; the declared type is the one named, by name.
            let expected_tokens = script_type_tokens(krate, expected);
            let message = format!(
                "{what} is a script `{}` of another name",
                shown(expected.kind_name())
            );
            let variant = match expected {
                ScriptType::Record(_) => quote!(Record),
                ScriptType::Enum(_) => quote!(Enum),
                _ => quote!(Class),
            };
            quote_spanned!(span=> #krate::ScriptType::#variant(__goost_part) => {
                if !#krate::ScriptType::#variant(__goost_part).is(#expected_tokens) {
                    ::core::panic!(#message)
                }
            },)
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
                "map<...>" => "map",
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

/// A `#krate::FnSpec { .. }` literal for one spec function, or for a method of the class
/// `receiver`.
pub fn fn_spec_tokens(
    krate: &syn::Path,
    function: &Function,
    receiver: Option<&goost_spec::Class>,
) -> TokenStream {
    let name = &function.name;
    let signature = function.signature();
    let description = &function.description;
    let ret = script_type_tokens(krate, function.ret);
    let params = function.params.iter().map(|p| {
        let name = &p.name;
        let ty = script_type_tokens(krate, p.ty);
        quote!(#krate::ParamSpec { name: #name, ty: #ty })
    });
    let receiver = match receiver {
        Some(class) => {
            let class = &class.name;
            quote!(::core::option::Option::Some(&#krate::ClassType { name: #class }))
        }
        None => quote!(::core::option::Option::None),
    };
    quote! {
        #krate::FnSpec {
            name: #name,
            signature: #signature,
            params: &[#(#params),*],
            ret: #ret,
            description: #description,
            receiver: #receiver,
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

/// One parameter of the annotated function, as the expansion emits it: each kind
/// knows its own pieces (its argument in the call, its state lookup, its conversion and
/// type check), as pyo3's `FnArg` does.
enum ParamCode<'n> {
    /// `&Context`: passed through.
    Context,
    /// `&T`, the context's state `T`: found by type and held in `local`.
    State {
        ty: &'n syn::Type,
        local: syn::Ident,
    },
    /// A script argument: taken from the argument slice into `slot`, converted into
    /// `local`, checked against the spec's parameter `spec` at position `index`.
    Script {
        ty: &'n syn::Type,
        slot: syn::Ident,
        local: syn::Ident,
        index: usize,
        spec: &'n goost_spec::Param,
    },
}

impl<'n> ParamCode<'n> {
    /// The parameters of `native`, paired with the spec's script parameters in order (a
    /// script parameter the spec lacks is dropped: `check` has reported it).
    fn all(native: &'n NativeFn, function: &'n Function) -> Vec<ParamCode<'n>> {
        let mut states = 0usize;
        let mut script_index = 0usize;
        let mut codes = Vec::new();
        for param in &native.params {
            match param {
                NativeParam::Context => codes.push(ParamCode::Context),
                NativeParam::State { ty } => {
                    let local = format_ident!("__goost_state{}", states);
                    states += 1;
                    codes.push(ParamCode::State { ty, local });
                }
                NativeParam::Script { name, ty } => {
                    let Some(spec) = function.params.get(script_index) else {
                        continue;
                    };
                    codes.push(ParamCode::Script {
                        ty,
                        slot: format_ident!("__goost_arg{}", script_index),
                        local: format_ident!("__goost_{}", name),
                        index: script_index,
                        spec,
                    });
                    script_index += 1;
                }
            }
        }
        codes
    }

    /// Its argument in the call of the user's function.
    fn call_arg(&self) -> TokenStream {
        match self {
            ParamCode::Context => quote!(__goost_ctx),
            ParamCode::State { local, .. } | ParamCode::Script { local, .. } => quote!(#local),
        }
    }

    /// The state it names, if it is one: its local and its type.
    fn state(&self) -> Option<(&syn::Ident, &'n syn::Type)> {
        match self {
            ParamCode::State { ty, local } => Some((local, ty)),
            _ => None,
        }
    }

    /// The argument slot it reads, if it is a script argument.
    fn slot(&self) -> Option<&syn::Ident> {
        match self {
            ParamCode::Script { slot, .. } => Some(slot),
            _ => None,
        }
    }

    /// The compile-time check that its Rust type is the spec's script type.
    fn type_check(&self, krate: &syn::Path, signature: &str) -> Option<TokenStream> {
        let ParamCode::Script { ty, spec, .. } = self else {
            return None;
        };
        let what = format!(
            "parameter `{}` of `{signature}` is a script `{}`, but `{}`",
            spec.name,
            spec.ty,
            type_text(ty),
        );
        Some(type_check(
            krate,
            quote!(<#ty as #krate::FromValue>::TYPE),
            spec.ty,
            ty.span(),
            &what,
        ))
    }

    /// The conversion of its argument (a left-out optional one read as `nil`), returning
    /// the argument error from the body when it does not convert.
    fn conversion(&self, krate: &syn::Path) -> Option<TokenStream> {
        let ParamCode::Script {
            ty,
            slot,
            local,
            index,
            ..
        } = self
        else {
            return None;
        };
        // Spanned at the Rust type (the crate path too) and naming only `FromValue`
        // itself, so a type that is not a script type gets the one error the type check
        // gives.
        let spanned_krate = &respanned(krate, ty.span());
        let convert = quote_spanned! {ty.span()=>
            match #slot {
                ::core::option::Option::Some(__goost_arg) => {
                    <#ty as #spanned_krate::FromValue>::from_value(#spanned_krate::__private::ScriptArg::lend(__goost_arg))
                }
                ::core::option::Option::None => {
                    <#ty as #spanned_krate::FromValue>::from_value(#spanned_krate::ArgRef::Void)
                }
            }
        };
        Some(quote! {
            let #local = match #convert {
                ::core::result::Result::Ok(#local) => #local,
                ::core::result::Result::Err(__goost_mismatch) => {
                    return #krate::__private::GlueResult::err(
                        #krate::Error::argument_type(&__GOOST_SPEC, #index, __goost_mismatch),
                    );
                }
            };
        })
    }
}

/// The pieces of the context parameter, where the function takes `&Context`: the body's
/// parameter, what each entry passes it, the bound glue's field, how `bind` fills it and
/// how a bound call passes it. A native that does not take it but meets objects (a
/// method, which checks its object against it; a function whose result may hold objects,
/// which claims them) gets the context's id instead (`id`: the body's expression of it).
/// All empty for any other native that does not take it.
#[derive(Default)]
struct ContextCode {
    param: TokenStream,
    pass: TokenStream,
    field: TokenStream,
    kept: TokenStream,
    bound: TokenStream,
    id: TokenStream,
}

impl ContextCode {
    fn new(krate: &syn::Path, params: &[ParamCode<'_>], needs_id: bool) -> ContextCode {
        if params.iter().any(|p| matches!(p, ParamCode::Context)) {
            return ContextCode {
                param: quote!(__goost_ctx: &#krate::Context,),
                pass: quote!(__goost_ctx,),
                field: quote!(__goost_ctx: #krate::Context,),
                kept: quote!(__goost_ctx: ::core::clone::Clone::clone(__goost_ctx),),
                bound: quote!(&self.__goost_ctx,),
                id: quote!(__goost_ctx.id()),
            };
        }
        if needs_id {
            return ContextCode {
                param: quote!(__goost_context: u64,),
                pass: quote!(__goost_ctx.id(),),
                field: quote!(__goost_context: u64,),
                kept: quote!(__goost_context: __goost_ctx.id(),),
                bound: quote!(self.__goost_context,),
                id: quote!(__goost_context),
            };
        }
        ContextCode::default()
    }
}

/// `<R as IntoValue>` for the function's result type `R`, every token placed at the
/// result type: the type check and the glue's conversion both name it so, and a result
/// that does not convert is one error, there.
fn as_into_value(krate: &syn::Path, native: &NativeFn) -> TokenStream {
    let ret_ty = native.ret_tokens();
    let ret_krate = respanned(krate, native.ret_span());
    quote_spanned!(native.ret_span()=> <#ret_ty as #ret_krate::IntoValue>)
}

/// The compile-time check of the function's result type against the spec's.
fn result_check(krate: &syn::Path, function: &Function, native: &NativeFn) -> TokenStream {
    let ret_ty = native.ret_tokens();
    let ret_span = native.ret_span();
    let what = format!(
        "`{}` returns a script `{}`, but `{}`",
        function.signature(),
        function.ret,
        type_text(&ret_ty),
    );
    let as_into_value = as_into_value(krate, native);
    type_check(
        krate,
        quote_spanned!(ret_span=> #as_into_value::TYPE),
        function.ret,
        ret_span,
        &what,
    )
}

/// Taking the arguments into their slots: a slice pattern when every one is required;
/// otherwise a range of counts, each optional argument left out a `None` slot.
fn take_arguments(krate: &syn::Path, required: usize, slots: &[&syn::Ident]) -> TokenStream {
    if required == slots.len() {
        return quote! {
            let [#(#slots),*] = __goost_args else {
                return #krate::__private::GlueResult::err(
                    #krate::Error::arity(&__GOOST_SPEC, __goost_args.len()),
                );
            };
            #(let #slots = ::core::option::Option::Some(#slots);)*
        };
    }
    let total = slots.len();
    let takes = slots
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
}

/// The function as the user wrote it, with the spec's rustdoc before its own, and the
/// marker macro that makes a second `#[native]` of the same name a compile error.
fn documented_item(function: &Function, native: &NativeFn, loaded: &LoadedSpec) -> TokenStream {
    let item = &native.item;
    let doc_head = format!(" `{}`", function.signature());
    let doc_body = format!(" {}", function.description);
    let doc_source = format!(" *Bound from `{}` in `{}`.*", function.name, loaded.display);
    let has_own_docs = item.attrs.iter().any(|a| a.path().is_ident("doc"));
    let separator = has_own_docs.then(|| quote!(#[doc = ""]));
    let once_marker = format_ident!(
        "__goost_native_bound_once__{}",
        function.name.replace('.', "__")
    );
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
    }
}

/// What the glue calls: a `#[native]` function by its name, or a class's method on the
/// object that is the call's first argument.
pub enum Callee<'a> {
    /// A free function.
    Function,
    /// A method of `class`, implemented on the Rust type `self_ty`.
    Method {
        self_ty: &'a syn::Type,
        class: &'a goost_spec::Class,
    },
}

/// The whole expansion of `#[native(..)]` on a function that passed `check`: the function
/// with its docs, then its glue.
pub fn native(
    krate: &syn::Path,
    function: &Function,
    native: &NativeFn,
    loaded: &LoadedSpec,
) -> TokenStream {
    let item = documented_item(function, native, loaded);
    let glue = native_glue(krate, function, native, loaded, &Callee::Function);
    quote! {
        #item

        #glue
    }
}

/// The glue of a function (or method) that passed `check`: its type checks, its
/// `FnSpec`, the body that converts and calls, the entries and the registration.
pub fn native_glue(
    krate: &syn::Path,
    function: &Function,
    native: &NativeFn,
    loaded: &LoadedSpec,
    callee: &Callee<'_>,
) -> TokenStream {
    let signature = function.signature();
    let params = ParamCode::all(native, function);
    let mut type_checks: Vec<TokenStream> = params
        .iter()
        .filter_map(|p| p.type_check(krate, &signature))
        .collect();
    type_checks.push(result_check(krate, function, native));
    let conversions = params.iter().filter_map(|p| p.conversion(krate));
    let call_args = params.iter().map(ParamCode::call_arg);
    let slots: Vec<&syn::Ident> = params.iter().filter_map(ParamCode::slot).collect();
    let take_arguments = take_arguments(krate, function.required_params(), &slots);
    let (state_locals, state_types): (Vec<_>, Vec<_>) =
        params.iter().filter_map(ParamCode::state).unzip();
    // A method checks its object's context; a function whose result may hold objects
    // claims them for its context.
    let returns_objects = function.ret.class_within().is_some();
    let needs_id = returns_objects || matches!(callee, Callee::Method { .. });
    let context = ContextCode::new(krate, &params, needs_id);
    let id = &context.id;
    let claim = if returns_objects {
        quote! {
            #krate::__private::claim_objects(&__goost_value, __GOOST_SPEC.ret, #id);
        }
    } else {
        TokenStream::new()
    };
    let ContextCode {
        param: context_param,
        pass: context_pass,
        id: context_id,
        ..
    } = &context;

    let tracking = rebuild_tracking(loaded);
    let ident = native.ident();
    let class_name = match callee {
        Callee::Method { class, .. } => class.name.to_string(),
        Callee::Function => String::new(),
    };
    let (fn_spec, receiver, call, rust_path) = match callee {
        Callee::Function => (
            fn_spec_tokens(krate, function, None),
            TokenStream::new(),
            quote!(#ident(#(#call_args),*)),
            ident.to_string(),
        ),
        Callee::Method { self_ty, class } => (
            fn_spec_tokens(krate, function, Some(class)),
            // The object the method is called on: the first argument, taken off the rest.
            quote! {
                let ::core::option::Option::Some((__goost_receiver, __goost_args)) =
                    __goost_args.split_first()
                else {
                    return #krate::__private::GlueResult::err(
                        #krate::Error::receiver(&__GOOST_SPEC, #krate::Mismatch::Type("nothing")),
                    );
                };
                let __goost_self = match <#krate::ObjectRef<'_, #self_ty> as #krate::FromValue>::from_value(
                    #krate::__private::ScriptArg::lend(__goost_receiver),
                ) {
                    ::core::result::Result::Ok(__goost_self) => __goost_self,
                    ::core::result::Result::Err(__goost_mismatch) => {
                        return #krate::__private::GlueResult::err(
                            #krate::Error::receiver(&__GOOST_SPEC, __goost_mismatch),
                        );
                    }
                };
                // An object of another context is refused: see `ScriptObject::context`.
                if !#krate::__private::of_context(__goost_self.object(), #context_id) {
                    return #krate::__private::GlueResult::err(#krate::Error::foreign_object(
                        &__GOOST_SPEC,
                        ::core::option::Option::None,
                        #class_name,
                    ));
                }
            },
            quote!(<#self_ty>::#ident(&*__goost_self, #(#call_args),*)),
            format!("{}::{ident}", quote!(#self_ty)),
        ),
    };
    // The result's conversion is written as the type check writes it, at the result type:
    // a result that does not convert is one error there, not a second one at `#[native]`.
    let into_value = {
        let as_into_value = as_into_value(krate, native);
        quote_spanned!(native.ret_span()=> #as_into_value::into_value(__goost_result))
    };
    let states = StateCode {
        locals: &state_locals,
        types: &state_types,
    };
    // A record result, or a list of records, without objects in it, may go to a bridge
    // as the records' fields.
    let takes_fields = match function.ret.when_passed() {
        ScriptType::Record(_) | ScriptType::List(ScriptType::Record(_)) => !returns_objects,
        _ => false,
    };
    let fields = FieldsCode::new(krate, takes_fields);
    let FieldsCode {
        param: take_param,
        hand_over,
        ..
    } = &fields;
    let into_fields = {
        let as_into_value = as_into_value(krate, native);
        quote_spanned!(native.ret_span()=> #as_into_value::into_fields(__goost_result, __goost_take))
    };
    let hand_over = hand_over.then(|| {
        quote! {
            if let ::core::option::Option::Some(__goost_take) = __goost_take {
                return #krate::__private::GlueResult::from_fields(
                    #into_fields.map_err(|e| e.in_native(&__GOOST_SPEC)),
                );
            }
        }
    });
    let glue = glue(krate, &states, context_pass, &fields);
    let bound = bound_glue(krate, &states, &context, &fields);
    let registration = registration(krate, &rust_path);
    quote! {
        const _: () = {
            #tracking
            #(#type_checks)*

            static __GOOST_SPEC: #krate::FnSpec = #fn_spec;

            /// The call once the states are found: arguments in, result out. Compiled for
            /// the interpreter's values and for the arguments an engine lends. Each entry
            /// runs it contained, conversions included: a host's own `FromValue` that
            /// panics is an error naming the native, as the native's own panic is.
            #[inline(always)]
            fn __goost_body<__GoostArg: #krate::__private::ScriptArg>(
                #context_param
                #(#state_locals: &#state_types,)*
                __goost_args: &[__GoostArg],
                #take_param
            ) -> #krate::__private::GlueResult {
                #receiver
                #take_arguments
                #(#conversions)*
                let __goost_result = #call;
                #hand_over
                let __goost_value = #into_value.map_err(|e| e.in_native(&__GOOST_SPEC));
                #claim
                #krate::__private::GlueResult::from(__goost_value)
            }

            #glue
            #bound
            #registration
        };
    }
}

/// The module states a native takes: the body's locals for them and their types.
struct StateCode<'s, 'n> {
    locals: &'s [&'s syn::Ident],
    types: &'s [&'n syn::Type],
}

/// What a native whose result is a record (or a list of records) adds so that a bridge
/// can take the records' fields ([`goost_bind::BoundCall::call_lent_fields`]): the body's
/// parameter for the taker, what the other entries pass for it (none), what
/// `call_lent_fields` passes (its taker), and whether the body hands the result over and
/// that entry is written at all. Empty for any other native, which keeps the trait's
/// default entry.
#[derive(Default)]
struct FieldsCode {
    param: TokenStream,
    none: TokenStream,
    some: TokenStream,
    hand_over: bool,
}

impl FieldsCode {
    fn new(krate: &syn::Path, takes_fields: bool) -> FieldsCode {
        if !takes_fields {
            return FieldsCode::default();
        }
        FieldsCode {
            param: quote!(__goost_take: ::core::option::Option<&mut #krate::TakeFields<'_>>,),
            none: quote!(, ::core::option::Option::None),
            some: quote!(, ::core::option::Option::Some(__goost_take)),
            hand_over: true,
        }
    }
}

/// The glue: finds the states in the context on each call, then runs the body contained.
fn glue(
    krate: &syn::Path,
    states: &StateCode<'_, '_>,
    context_pass: &TokenStream,
    fields: &FieldsCode,
) -> TokenStream {
    let (locals, types) = (states.locals, states.types);
    let none = &fields.none;
    quote! {
        /// The glue: finds the states in the context on each call.
        fn __goost_glue(
            __goost_ctx: &#krate::Context,
            __goost_args: &[#krate::Value],
        ) -> #krate::__private::GlueResult {
            #(
                let ::core::option::Option::Some(#locals) =
                    __goost_ctx.state::<#types>()
                else {
                    return #krate::__private::GlueResult::err(#krate::Error::missing_state(
                        &__GOOST_SPEC,
                        ::core::any::type_name::<#types>(),
                    ));
                };
            )*
            #krate::__private::contained(&__GOOST_SPEC, || {
                __goost_body(#context_pass #(#locals,)* __goost_args #none)
            })
        }
    }
}

/// The glue bound to one context (its states found once, held shared) and `bind`, which
/// makes it.
fn bound_glue(
    krate: &syn::Path,
    states: &StateCode<'_, '_>,
    context: &ContextCode,
    fields: &FieldsCode,
) -> TokenStream {
    let (locals, types) = (states.locals, states.types);
    let none = &fields.none;
    let bound = &context.bound;
    // The entry that hands a record result's fields over, for a native that has one.
    let fields_entry = fields.hand_over.then(|| {
        let some = &fields.some;
        quote! {
            #[inline]
            fn call_lent_fields(
                &self,
                __goost_args: &[#krate::ArgRef<'_>],
                __goost_take: &mut #krate::TakeFields<'_>,
            ) -> #krate::__private::GlueResult {
                #krate::__private::contained(&__GOOST_SPEC, || {
                    __goost_body(#bound #(&self.#locals,)* __goost_args #some)
                })
            }
        }
    });
    let fields = locals
        .iter()
        .zip(types)
        .map(|(local, ty)| quote_spanned!(ty.span()=> #local: ::std::sync::Arc<#ty>));
    let ContextCode { field, kept, .. } = context;
    quote! {
        /// The glue bound to one context: its states found once, held shared.
        struct __GoostBound {
            #field
            #(#fields,)*
        }

        impl #krate::__private::BoundCall for __GoostBound {
            #[inline]
            fn call_values(
                &self,
                __goost_args: &[#krate::Value],
            ) -> #krate::__private::GlueResult {
                #krate::__private::contained(&__GOOST_SPEC, || {
                    __goost_body(#bound #(&self.#locals,)* __goost_args #none)
                })
            }

            #[inline]
            fn call_lent(
                &self,
                __goost_args: &[#krate::ArgRef<'_>],
            ) -> #krate::__private::GlueResult {
                #krate::__private::contained(&__GOOST_SPEC, || {
                    __goost_body(#bound #(&self.#locals,)* __goost_args #none)
                })
            }

            #fields_entry
        }

        fn __goost_bind(__goost_ctx: &#krate::Context) -> #krate::__private::BoundGlue {
            #(
                let ::core::option::Option::Some(#locals) =
                    __goost_ctx.state_shared::<#types>()
                else {
                    return #krate::__private::MissingState::glue(
                        &__GOOST_SPEC,
                        ::core::any::type_name::<#types>(),
                    );
                };
            )*
            ::std::boxed::Box::new(__GoostBound {
                #kept
                #(#locals,)*
            })
        }
    }
}

/// The `inventory` registration of the native, naming the Rust function `rust_path`.
fn registration(krate: &syn::Path, rust_path: &str) -> TokenStream {
    quote! {
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
    }
}

/// The expansion of `module_spec!(..)`: a `ModuleSpec` constant expression.
pub fn module_spec(krate: &syn::Path, loaded: &LoadedSpec) -> TokenStream {
    let module = &loaded.spec.module;
    let path = &loaded.display;
    let functions = loaded
        .spec
        .functions()
        .map(|f| fn_spec_tokens(krate, f, None))
        .chain(
            loaded
                .spec
                .methods()
                .map(|(class, m)| fn_spec_tokens(krate, m, Some(class))),
        );
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
