//! `#[spec_record("geo.Point")]`: a plain Rust struct with named fields bound to a record
//! of the spec. Every field of the struct must be a field of the record and every field of
//! the record a field of the struct, each of the record's script type (checked at compile
//! time through `FromValue`/`IntoValue`, as a native's parameters are), with errors at
//! the field or the struct's name. The expansion is the struct unchanged, and
//! `FromValue` and `IntoValue` for it: a script passes and gets a map with those fields
//! (a goost `{x: 1.0}`, a Lua table with string keys, a Rhai object map).

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;

use crate::check::resolve_declared;
use crate::errors::Errors;
use crate::expand::{script_type_tokens, type_check, type_text};
use crate::locate::LoadedSpec;

/// The expansion of `#[spec_record(name)]` on `item`: checked against the spec's record
/// `name` (every error at once), then the struct with its conversions.
pub fn expand(
    name: &syn::LitStr,
    item: &syn::ItemStruct,
    loaded: &LoadedSpec,
    krate: &syn::Path,
) -> syn::Result<TokenStream> {
    let record = resolve_declared(
        &loaded.spec.records,
        |r| r.name.as_str(),
        "record",
        &name.value(),
        &loaded.display,
        name.span(),
    )?;
    let mut errors = Errors::default();
    if !item.generics.params.is_empty() {
        errors.push(
            item.generics.span(),
            "a spec record is a plain struct: it takes no generic parameters",
        );
    }
    let syn::Fields::Named(fields) = &item.fields else {
        return Err(syn::Error::new(
            item.ident.span(),
            format!(
                "`{}` binds the record `{}`, so its fields have names: the record's",
                item.ident, record.name
            ),
        ));
    };
    let listed = record
        .fields
        .iter()
        .map(|f| format!("`{}`", f.name))
        .collect::<Vec<_>>()
        .join(", ");
    let mut bound = Vec::new();
    for field in &fields.named {
        let Some(ident) = &field.ident else { continue };
        let rust_name = ident.to_string();
        let rust_name = rust_name.strip_prefix("r#").unwrap_or(&rust_name);
        let Some(spec_field) = record.fields.iter().find(|f| f.name == rust_name) else {
            errors.push(
                ident.span(),
                format!(
                    "`{rust_name}` is not a field of `{}`: its fields are {listed}",
                    record.name
                ),
            );
            continue;
        };
        bound.push((ident, &field.ty, spec_field));
    }
    for spec_field in &record.fields {
        if !bound.iter().any(|(_, _, f)| f.name == spec_field.name) {
            errors.push(
                item.ident.span(),
                format!(
                    "`{}` has the field `{}: {}`, which `{}` lacks",
                    record.name, spec_field.name, spec_field.ty, item.ident
                ),
            );
        }
    }
    errors.finish()?;
    let ident = &item.ident;
    let type_tokens = script_type_tokens(krate, record.ty());
    let checks = bound.iter().flat_map(|(_, ty, spec_field)| {
        let what = format!(
            "field `{}` of `{}` is a script `{}`, but `{}`",
            spec_field.name,
            record.name,
            spec_field.ty,
            type_text(ty)
        );
        [
            type_check(
                krate,
                quote!(<#ty as #krate::FromValue>::TYPE),
                spec_field.ty,
                ty.span(),
                &what,
            ),
            type_check(
                krate,
                quote!(<#ty as #krate::IntoValue>::TYPE),
                spec_field.ty,
                ty.span(),
                &what,
            ),
        ]
    });
    let reads = bound.iter().map(|(field, _, spec_field)| {
        let position = record
            .fields
            .iter()
            .position(|f| f.name == spec_field.name)
            .unwrap_or_default();
        quote!(#field: #krate::__private::record_field(&source, RECORD, #position)?,)
    });
    let record_tokens = match record.ty() {
        goost_spec::ScriptType::Record(record) => {
            let (name, field_names) = (record.name, record.fields.iter().map(|f| f.name));
            let field_types = record
                .fields
                .iter()
                .map(|f| script_type_tokens(krate, f.ty));
            quote!(&#krate::RecordType {
                name: #name,
                fields: &[#(#krate::FieldType { name: #field_names, ty: #field_types }),*],
            })
        }
        other => {
            return Err(syn::Error::new(
                name.span(),
                format!(
                    "internal error: the record `{}` read as the type `{other}`",
                    record.name
                ),
            ));
        }
    };
    // The values in the record's field order, whatever the struct's order.
    let writes = record.fields.iter().filter_map(|spec_field| {
        let (field, _, _) = bound.iter().find(|(_, _, f)| f.name == spec_field.name)?;
        Some(quote!(#krate::IntoValue::into_value(self.#field)?,))
    });
    let writes: Vec<TokenStream> = writes.collect();
    Ok(quote! {
        #item

        #(#checks)*

        impl<'__goost> #krate::FromValue<'__goost> for #ident {
            const TYPE: #krate::ScriptType = #type_tokens;
            /// The record's fields, read from a value of the record or from a map; a
            /// missing required field, a key that is no field, or a field of the wrong type
            /// is the glue's error naming it.
            fn from_value(
                value: #krate::ArgRef<'__goost>,
            ) -> ::core::result::Result<Self, #krate::Mismatch> {
                const RECORD: &#krate::RecordType = #record_tokens;
                let source = #krate::__private::record_source(value, RECORD)?;
                ::core::result::Result::Ok(#ident { #(#reads)* })
            }
        }

        impl #krate::IntoValue for #ident {
            const TYPE: #krate::ScriptType = #type_tokens;
            /// A value of the record; a `None` optional field is left out.
            fn into_value(self) -> ::core::result::Result<#krate::Value, #krate::Error> {
                const RECORD: &#krate::RecordType = #record_tokens;
                #krate::__private::record_value(RECORD, [#(#writes)*])
            }

            /// The fields handed to a bridge's `take`, with no record made.
            #[inline]
            fn into_fields(
                self,
                take: &mut #krate::TakeFields<'_>,
            ) -> ::core::result::Result<::core::option::Option<#krate::Value>, #krate::Error> {
                const RECORD: &#krate::RecordType = #record_tokens;
                #krate::__private::record_fields_into(RECORD, [#(#writes)*], take)
            }
        }
    })
}
