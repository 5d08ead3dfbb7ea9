//! Error collection. Stages report problems here and carry on, so that one
//! compile reports every independent problem in a function at once.

use proc_macro2::{Span, TokenStream};

#[derive(Default)]
pub struct Diags {
    errors: Vec<syn::Error>,
}

impl Diags {
    pub fn error(&mut self, span: Span, msg: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, msg));
    }

    /// Reports a problem spanned on a whole syntax node.
    pub fn error_at<T: quote::ToTokens>(&mut self, node: &T, msg: impl std::fmt::Display) {
        self.errors.push(syn::Error::new_spanned(node, msg));
    }

    pub fn push(&mut self, e: syn::Error) {
        self.errors.push(e);
    }

    /// The number of errors so far.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn to_compile_errors(&self) -> TokenStream {
        self.errors
            .iter()
            .map(syn::Error::to_compile_error)
            .collect()
    }
}

/// Why the pipeline stopped before producing a derivative.
#[derive(Debug)]
pub enum Stop {
    /// The problems are in [`Diags`], spanned on the user's code.
    Reported,
    /// A pass produced IR that breaks an invariant: a bug in this crate.
    Broken {
        /// The pass whose output failed verification.
        pass: &'static str,
        msg: String,
        /// The offending IR, printed by [`crate::ir::print`].
        ir: String,
    },
}
