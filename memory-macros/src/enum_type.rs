//! `#[spec_enum("geo.Unit")]`: a plain fieldless Rust enum bound to an enum of the spec.
//! Each variant is the spec value of its name in snake_case (`Km` is `km`,
//! `NauticalMile` is `nautical_mile`); every variant must be a value of the spec's enum
//! and every value a variant, checked here with errors at the variant or the enum's name.
//! The expansion is the enum unchanged, and `FromValue` and `IntoValue` for it: a script
//! passes and gets the value as a string.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;

use crate::check::resolve_declared;
use crate::errors::Errors;
use crate::locate::LoadedSpec;

/// A variant's name as a spec value: `Km` is `km`, `NauticalMile` is `nautical_mile`.
pub fn snake_case(ident: &str) -> String {
    let mut out = String::with_capacity(ident.len() + 4);
    for (i, c) in ident.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The expansion of `#[spec_enum(name)]` on `item`: checked against the spec's enum
/// `name` (every error at once), then the enum with its conversions.
pub fn expand(
    name: &syn::LitStr,
    item: &syn::ItemEnum,
    loaded: &LoadedSpec,
    krate: &syn::Path,
) -> syn::Result<TokenStream> {
    let choice = resolve_declared(
        &loaded.spec.enums,
        |e| e.name.as_str(),
        "enum",
        &name.value(),
        &loaded.display,
        name.span(),
    )?;
    let mut errors = Errors::default();
    if !item.generics.params.is_empty() {
        errors.push(
            item.generics.span(),
            "a spec enum is a plain enum: it takes no generic parameters",
        );
    }
    let values: Vec<&str> = choice.values.iter().map(|v| v.name.as_str()).collect();
    let listed = values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut arms = Vec::new();
    for variant in &item.variants {
        if !matches!(variant.fields, syn::Fields::Unit) {
            errors.push(
                variant.fields.span(),
                format!(
                    "`{}` holds data, but a value of `{}` is a name only: remove its fields",
                    variant.ident, choice.name
                ),
            );
            continue;
        }
        let value = snake_case(&variant.ident.to_string());
        if !values.contains(&value.as_str()) {
            errors.push(
                variant.ident.span(),
                format!(
                    "`{}` is the value `{value}` in scripts, which `{}` does not have: its values are {listed}",
                    variant.ident, choice.name
                ),
            );
            continue;
        }
        arms.push((variant.ident.clone(), value));
    }
    for value in &values {
        if !item
            .variants
            .iter()
            .any(|v| snake_case(&v.ident.to_string()) == *value)
        {
            errors.push(
                item.ident.span(),
                format!(
                    "`{}` has the value `{value}`, which no variant of `{}` is (a variant is its value in CamelCase)",
                    choice.name, item.ident
                ),
            );
        }
    }
    errors.finish()?;
    let ident = &item.ident;
    let type_name = &choice.name;
    let type_tokens = quote!(#krate::ScriptType::Enum(&#krate::EnumType {
        name: #type_name,
        values: &[#(#values),*],
    }));
    let reads = arms.iter().map(|(variant, value)| {
        let bytes = syn::LitByteStr::new(value.as_bytes(), Span::call_site());
        quote!(::core::option::Option::Some(#bytes) => ::core::result::Result::Ok(#ident::#variant),)
    });
    let writes = arms
        .iter()
        .map(|(variant, value)| quote!(#ident::#variant => #value,));
    Ok(quote! {
        #item

        impl<'__goost> #krate::FromValue<'__goost> for #ident {
            const TYPE: #krate::ScriptType = #type_tokens;
            /// The variant whose value the string names; another string, or another type,
            /// is the glue's error listing the values.
            fn from_value(
                value: #krate::ArgRef<'__goost>,
            ) -> ::core::result::Result<Self, #krate::Mismatch> {
                match value.bytes() {
                    #(#reads)*
                    ::core::option::Option::Some(_) => {
                        match <Self as #krate::FromValue<'__goost>>::TYPE {
                            #krate::ScriptType::Enum(choice) => ::core::result::Result::Err(
                                #krate::Mismatch::NotInEnum(choice),
                            ),
                            _ => ::core::result::Result::Err(#krate::Mismatch::of(value)),
                        }
                    }
                    ::core::option::Option::None => {
                        ::core::result::Result::Err(#krate::Mismatch::of(value))
                    }
                }
            }
        }

        impl #krate::IntoValue for #ident {
            const TYPE: #krate::ScriptType = #type_tokens;
            /// The variant's value, as a string.
            fn into_value(self) -> ::core::result::Result<#krate::Value, #krate::Error> {
                ::core::result::Result::Ok(#krate::Value::str(match self {
                    #(#writes)*
                }))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn a_variant_is_its_value_in_camel_case() {
        assert_eq!(snake_case("Km"), "km");
        assert_eq!(snake_case("M"), "m");
        assert_eq!(snake_case("NauticalMile"), "nautical_mile");
        assert_eq!(snake_case("already_snake"), "already_snake");
    }
}
