//! Errors collected so that all of them are reported at once, like serde_derive's `Ctxt`:
//! the parse of the annotated function and the checks against the spec both use it.

use proc_macro2::Span;

/// Collects errors so that all of them are reported at once, like serde_derive's `Ctxt`.
#[derive(Default)]
pub struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    /// Records one error at `span`.
    pub fn push(&mut self, span: Span, message: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Records an error already made (it may combine several).
    pub fn push_error(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// `Ok` if nothing was recorded, else all errors combined into one.
    pub fn finish(self) -> syn::Result<()> {
        let mut iter = self.errors.into_iter();
        match iter.next() {
            None => Ok(()),
            Some(mut first) => {
                first.extend(iter);
                Err(first)
            }
        }
    }
}
