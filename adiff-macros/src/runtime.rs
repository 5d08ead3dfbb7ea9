//! Where generated code finds the run-time support: the one place that
//! spells the path `::adiff::__rt`.
//!
//! The path starts with the facade crate's name *as the user's crate knows
//! it*. Cargo lets a user rename a dependency
//! (`ad = { package = "adiff", .. }`), and then `::adiff` does not resolve.
//! So each expansion looks the name up in the user's `Cargo.toml` with
//! `proc-macro-crate`, and a crate that re-exports `adiff` under another
//! path can say where with `#[jvp(crate = "my::path")]`, as serde's
//! `#[serde(crate = "..")]` does.
//!
//! The root is kept per thread for the length of one expansion: codegen
//! names the runtime in a dozen places and the forward transformation
//! emits a check that names it too, and none of them otherwise needs to
//! know which crate is being compiled.

use std::cell::RefCell;

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// The facade crate's package name, which `Cargo.toml` files depend on.
const FACADE: &str = "adiff";

thread_local! {
    static ROOT: RefCell<Option<TokenStream>> = const { RefCell::new(None) };
}

/// The facade's path for this expansion: the user's `crate = ".."` when
/// given, else the name under which `Cargo.toml` depends on the facade,
/// else `::adiff`.
pub fn resolve(over: Option<&syn::Path>) -> TokenStream {
    if let Some(path) = over {
        return quote!(#path);
    }
    use proc_macro_crate::FoundCrate;
    match proc_macro_crate::crate_name(FACADE) {
        // The facade's own doc tests, integration tests and examples:
        // they reach the library under its own name (the facade declares
        // `extern crate self as adiff`, so this holds inside it too).
        Ok(FoundCrate::Itself) | Err(_) => quote!(::adiff),
        Ok(FoundCrate::Name(name)) => {
            let id = syn::Ident::new(&name, Span::call_site());
            quote!(::#id)
        }
    }
}

/// Runs `f` with `root` as the facade's path; restores the previous root
/// afterwards, so nested or failed expansions leave nothing behind.
pub fn with_root<R>(root: TokenStream, f: impl FnOnce() -> R) -> R {
    let old = ROOT.with(|r| r.replace(Some(root)));
    let out = f();
    ROOT.with(|r| *r.borrow_mut() = old);
    out
}

/// `<facade>::__rt`, the module generated code calls into. Outside an
/// expansion (the macro crate's own unit tests) it is `::adiff::__rt`.
pub fn path() -> TokenStream {
    ROOT.with(|r| match &*r.borrow() {
        Some(root) => quote!(#root::__rt),
        None => quote!(::adiff::__rt),
    })
}

/// [`path`] with every token spanned at `span`, for calls whose rustc
/// errors should point at the user's code (the constant checks) rather
/// than at the attribute.
pub fn path_at(span: Span) -> TokenStream {
    path()
        .into_iter()
        .map(|mut tt| {
            tt.set_span(span);
            tt
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_path_wins_and_is_restored() {
        let given: syn::Path = syn::parse_quote!(my::reexport);
        let inner = with_root(resolve(Some(&given)), path);
        assert_eq!(inner.to_string(), "my :: reexport :: __rt");
        assert_eq!(path().to_string(), ":: adiff :: __rt");
    }

    #[test]
    fn the_macro_crate_finds_the_facade_among_its_dev_dependencies() {
        // `adiff-macros` dev-depends on `adiff` under its own name.
        assert_eq!(resolve(None).to_string(), ":: adiff");
    }
}
