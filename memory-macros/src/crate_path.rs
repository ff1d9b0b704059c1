//! Where generated code finds the binding layer.
//!
//! `crate = "path"` on the macro wins. Otherwise the compiled crate's `Cargo.toml` is read
//! (through `proc-macro-crate`, which follows renames and workspace inheritance): a
//! dependency on the facade `goost-memory` gives `::goost_memory`, else one on the
//! generic layer `goost-bind` gives `::goost_bind`; with neither, `::goost_memory`, so
//! the error names the crate to add. Both crates name themselves the same way
//! (`extern crate self as ..`), so their own tests can use the macro.

use proc_macro_crate::FoundCrate;
use syn::LitStr;

/// The binding layer crates, most specific first: (package name, crate name).
const LAYERS: [(&str, &str); 2] = [
    ("goost-memory", "goost_memory"),
    ("goost-bind", "goost_bind"),
];

/// The path generated code uses: `explicit` parsed, or the default for the crate being
/// compiled.
pub fn resolve(explicit: Option<&LitStr>) -> syn::Result<syn::Path> {
    match explicit {
        Some(literal) => literal.parse::<syn::Path>().map_err(|_| {
            syn::Error::new(
                literal.span(),
                format!(
                    "`crate = \"{}\"` is not a path; write the path of the crate that re-exports goost-bind, like `crate = \"::goost_memory\"`",
                    literal.value()
                ),
            )
        }),
        None => Ok(default_path()),
    }
}

/// The path of the first binding layer the compiled crate depends on (or is).
fn default_path() -> syn::Path {
    for (package, name) in LAYERS {
        let found = match proc_macro_crate::crate_name(package) {
            Ok(FoundCrate::Itself) => name.to_string(),
            Ok(FoundCrate::Name(renamed)) => renamed,
            Err(_) => continue,
        };
        let ident = syn::Ident::new(&found, proc_macro2::Span::call_site());
        return syn::parse_quote!(::#ident);
    }
    syn::parse_quote!(::goost_memory)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn an_explicit_path_wins_and_a_bad_one_says_what_to_write() {
        let path = resolve(Some(&syn::parse_quote!("my_app::bindings"))).unwrap();
        assert_eq!(path.to_token_stream().to_string(), "my_app :: bindings");
        let error = resolve(Some(&syn::parse_quote!("not a path")))
            .err()
            .unwrap();
        assert!(
            error
                .to_string()
                .starts_with("`crate = \"not a path\"` is not a path")
        );
    }
}
