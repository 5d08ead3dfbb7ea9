//! The entry point of every macro: runs the stages and assembles the output.
//!
//! On any error the user's function is still emitted unchanged, together
//! with stubs of the derivatives with the right signatures, so the only
//! errors the user sees are ours.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::codegen::{self, FnShell};
use crate::diag::Diags;
use crate::ir::Func;
use crate::options::{self, Options};
use crate::reverse::Target;
use crate::sig::{self, Signature};
use crate::ty::Ty;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Jvp,
    Vjp,
    Grad,
}

impl Mode {
    fn attr_name(self) -> &'static str {
        match self {
            Mode::Jvp => "jvp",
            Mode::Vjp => "vjp",
            Mode::Grad => "grad",
        }
    }
    fn options(self) -> &'static [&'static str] {
        match self {
            Mode::Jvp => &["constant"],
            Mode::Vjp => &["tape", "constant"],
            Mode::Grad => &["wrt", "tape", "constant"],
        }
    }
}

/// One generated function.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Output {
    Jvp,
    Vjp,
    Grad,
}

/// Replaces each invisible group that holds just a block with the block.
///
/// `macro_rules!` passes a `$body:block` fragment as an invisible group;
/// syn then reads `$body s += 1.0;` as one expression and fails, where
/// rustc sees a block statement followed by another. A lone block means
/// the same with or without the group, so unwrapping it is safe.
fn unwrap_block_groups(ts: TokenStream) -> TokenStream {
    use proc_macro2::{Delimiter, Group, TokenTree};
    ts.into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                match inner.as_slice() {
                    [TokenTree::Group(b)]
                        if g.delimiter() == Delimiter::None
                            && b.delimiter() == Delimiter::Brace =>
                    {
                        let mut block =
                            Group::new(Delimiter::Brace, unwrap_block_groups(b.stream()));
                        block.set_span(b.span());
                        TokenTree::Group(block)
                    }
                    _ => {
                        let mut out = Group::new(g.delimiter(), unwrap_block_groups(g.stream()));
                        out.set_span(g.span());
                        TokenTree::Group(out)
                    }
                }
            }
            other => other,
        })
        .collect()
}

/// Expands `#[mode(attr)] item` with no source file to consult. Callable on
/// `proc_macro2` tokens, so unit tests and the corpus test can run it.
#[cfg(test)]
pub fn expand(mode: Mode, attr: TokenStream, item: TokenStream) -> TokenStream {
    expand_in(mode, attr, item, None)
}

/// Expands `#[mode(attr)] item`, for a function in the source file `file`
/// (when known), which is read to explain calls to functions without a
/// derivative. An ordinary function on `proc_macro2` tokens.
pub fn expand_in(
    mode: Mode,
    attr: TokenStream,
    item: TokenStream,
    file: Option<&std::path::Path>,
) -> TokenStream {
    let mut diags = Diags::default();
    let parsed = syn::parse2::<syn::ItemFn>(item.clone())
        .or_else(|_| syn::parse2::<syn::ItemFn>(unwrap_block_groups(item.clone())));
    let Ok(func) = parsed else {
        let msg = format!(
            "`#[{}]` applies to a function (`fn`) item",
            mode.attr_name()
        );
        let err = syn::Error::new(proc_macro2::Span::call_site(), msg).to_compile_error();
        return quote!(#err #item);
    };
    let opts = options::parse(mode.attr_name(), attr, mode.options(), &mut diags);
    options::check_constants(&opts, &func.sig, &mut diags);
    let Some(sig) = sig::parse(&func.sig, &opts.constant, &mut diags) else {
        let errors = diags.to_compile_errors();
        return quote!(#errors #func);
    };
    let outputs: &[Output] = match mode {
        Mode::Jvp => &[Output::Jvp],
        Mode::Vjp => &[Output::Vjp],
        Mode::Grad => &[Output::Vjp, Output::Grad],
    };
    let wrt = options::wrt_mask(&opts, &sig, &mut diags);
    if mode == Mode::Grad && !matches!(sig.ret.as_ref().map(Ty::from_syn), Some(Ty::Float(_))) {
        let msg = "`#[grad]` needs a function returning `f32` or `f64`; for other outputs use `#[vjp]` and pass the output's cotangent (`out_bar`) explicitly";
        match &sig.ret {
            Some(t) => diags.error_at(t, msg),
            None => diags.error_at(&func.sig.ident, msg),
        }
    }
    let mut tokens = TokenStream::new();
    if diags.is_empty() {
        for out in outputs {
            match derive(*out, &func, &sig, &opts, &wrt, file, &mut diags) {
                Some(t) => tokens.extend(t),
                None => break,
            }
        }
    }
    if diags.is_empty() {
        quote!(#func #tokens)
    } else {
        let errors = diags.to_compile_errors();
        let stubs: TokenStream = outputs
            .iter()
            .map(|o| stub(*o, &func, &sig, &wrt))
            .collect();
        quote!(#errors #func #stubs)
    }
}

/// Runs lowering, analysis, transformation and codegen for one output.
fn derive(
    out: Output,
    func: &syn::ItemFn,
    sig: &Signature,
    opts: &Options,
    wrt: &[bool],
    file: Option<&std::path::Path>,
    diags: &mut Diags,
) -> Option<TokenStream> {
    let ir = crate::lower::lower(sig, &func.block, diags);
    // Lowering continues past errors to report them all; its IR then has
    // holes, so no transformation runs on it.
    if !diags.is_empty() {
        return None;
    }
    check(&ir, out, diags)?;
    let mode_inputs: Vec<bool> = match out {
        Output::Grad => wrt.to_vec(),
        _ => sig.params.iter().map(|p| p.differentiable).collect(),
    };
    let (inputs, outputs) = crate::activity::seeds(&ir, sig, &mode_inputs, out != Output::Grad);
    let mut result = match out {
        Output::Jvp => {
            let act = crate::activity::analyze(&ir, &inputs, &outputs, diags);
            if !diags.is_empty() {
                return None;
            }
            crate::forward::transform(&ir, sig, &act, diags)
        }
        Output::Vjp | Output::Grad => {
            let (prepped, single) = crate::reverse::prep::prepare(&ir, diags);
            if !diags.is_empty() {
                return None;
            }
            check(&prepped, out, diags)?;
            let act = crate::activity::analyze(&prepped, &inputs, &outputs, diags);
            if !diags.is_empty() {
                return None;
            }
            let target = if out == Output::Grad {
                Target::Grad(wrt.to_vec())
            } else {
                Target::Vjp
            };
            let capacity = opts.tape.unwrap_or(options::DEFAULT_TAPE);
            crate::reverse::transform(&prepped, &single, sig, &act, &target, capacity, false)
        }
    };
    if !diags.is_empty() {
        return None;
    }
    check(&result, out, diags)?;
    let needs = match out {
        Output::Jvp => crate::callees::Needs::Jvp,
        Output::Vjp | Output::Grad => crate::callees::Needs::Vjp,
    };
    crate::callees::check(&result, needs, &func.block, file, diags);
    if !diags.is_empty() {
        return None;
    }
    crate::dce::remove_dead(&mut result);
    check(&result, out, diags)?;
    Some(codegen::function(&result, &shell(out, func, sig, wrt)))
}

fn check(ir: &Func, out: Output, diags: &mut Diags) -> Option<()> {
    match crate::verify::verify(ir) {
        Ok(()) => Some(()),
        Err(msg) => {
            let name = match out {
                Output::Jvp => "jvp",
                Output::Vjp => "vjp",
                Output::Grad => "grad",
            };
            diags.error(
                proc_macro2::Span::call_site(),
                format!("internal error in `#[{name}]`: {msg}; please report"),
            );
            None
        }
    }
}

/// The type of one gradient entry: `S` for a scalar, `[S; N]` for an array or
/// a reference to one, `Vec<S>` for a slice or `Vec`.
fn gradient_type(t: &syn::Type) -> syn::Type {
    let inner = match t {
        syn::Type::Reference(r) => &*r.elem,
        t => t,
    };
    match inner {
        syn::Type::Slice(s) => {
            let e = &s.elem;
            syn::parse_quote!(::std::vec::Vec<#e>)
        }
        t => t.clone(),
    }
}

/// The name, attributes, doc comment and return type of a generated function.
fn shell<'a>(out: Output, func: &'a syn::ItemFn, sig: &Signature, wrt: &[bool]) -> FnShell<'a> {
    let name = &sig.ident;
    let diff: Vec<String> = sig
        .params
        .iter()
        .filter(|p| p.differentiable)
        .map(|p| format!("`{}`", p.ident))
        .collect();
    let diff = if diff.is_empty() {
        "none".to_owned()
    } else {
        diff.join(", ")
    };
    let (suffix, doc, ret) = match out {
        Output::Jvp => (
            "jvp",
            format!(
                "Forward-mode derivative (JVP) of [`{name}`], generated by `#[jvp]`.\n\n\
                 Returns `({name}(..), tangent)`: the value and its directional derivative along the \
                 given tangents. Each differentiable parameter ({diff}) is followed by its tangent \
                 `<name>_dot` of the same type; other parameters are passed through unchanged."
            ),
            sig.ret.as_ref().map(|t| quote!((#t, #t))),
        ),
        Output::Vjp => (
            "vjp",
            format!(
                "Reverse-mode derivative (VJP) of [`{name}`], generated by `#[vjp]`/`#[grad]`.\n\n\
                 Returns `{name}(..)` and adds `Jᵀ · out_bar` into the adjoints. Each differentiable \
                 parameter ({diff}) is followed by its adjoint `<name>_bar: &mut T`, which is \
                 accumulated with `+=` (zero it first). `out_bar`, last, is the cotangent of the \
                 result. For a `&mut` parameter the adjoint holds the cotangent of the final contents \
                 on entry and of the initial contents on exit; the primal contents of `&mut` \
                 parameters after the call are unspecified."
            ),
            sig.ret.as_ref().map(|t| quote!(#t)),
        ),
        Output::Grad => {
            let tys: Vec<syn::Type> = sig.params.iter().zip(wrt).filter(|(_, w)| **w).map(|(p, _)| gradient_type(&p.ty)).collect();
            let names: Vec<String> = sig.params.iter().zip(wrt).filter(|(_, w)| **w).map(|(p, _)| format!("`{}`", p.ident)).collect();
            let g = if tys.len() == 1 { quote!(#(#tys)*) } else { quote!((#(#tys),*)) };
            let t = sig.ret.as_ref().map(|t| quote!((#t, #g)));
            (
                "grad",
                format!(
                    "Gradient of [`{name}`], generated by `#[grad]`.\n\n\
                     Returns `({name}(..), gradient)`, with the gradient with respect to {}: one \
                     entry per parameter, in order (a scalar, an array, or a `Vec` for a slice).",
                    names.join(", ")
                ),
                t,
            )
        }
    };
    let inline: Vec<&syn::Attribute> = func
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("inline"))
        .collect();
    let lints = lint_attrs(&func.attrs);
    let doc_lines = doc.lines().map(|l| format!(" {l}"));
    let attrs = quote! {
        #(#[doc = #doc_lines])*
        #(#inline)*
        #(#lints)*
        // The calling convention pairs each parameter with its tangent or
        // adjoint, and a derivative is longer than its function: neither is
        // the user's to fix. Rules name `LN_2` and the like when the float
        // type is known, and must write a literal when it is inferred.
        #[allow(clippy::too_many_arguments, clippy::too_many_lines, clippy::approx_constant)]
    };
    FnShell {
        attrs,
        vis: &func.vis,
        name: format_ident!("{}_{}", name, suffix),
        generics: &func.sig.generics,
        ret,
        prologue: constant_checks(sig),
    }
}

/// A parameter whose type the macro does not model is passed through as a
/// constant only if rustc proves that its type carries no derivative
/// (`autodiff::Constant`, whose `on_unimplemented` message says what to do).
/// Spanned on the parameter, so the error points at it.
fn constant_checks(sig: &Signature) -> TokenStream {
    sig.params
        .iter()
        .filter(|p| p.check_constant)
        .map(|p| {
            let id = &p.ident;
            quote::quote_spanned!(id.span()=> ::autodiff::__rt::assert_constant(&#id);)
        })
        .collect()
}

/// The user's lint levels, for the derivatives: they contain the same code,
/// so a lint the user silenced on `f` must stay silent on `f_jvp`. An
/// `#[expect]` becomes `#[allow]`, because the derivative may not trip the
/// lint the user expected.
fn lint_attrs(attrs: &[syn::Attribute]) -> Vec<TokenStream> {
    attrs
        .iter()
        .filter_map(|a| {
            let path = a.path();
            if path.is_ident("expect") {
                let syn::Meta::List(list) = &a.meta else {
                    return None;
                };
                let lints = &list.tokens;
                Some(quote!(#[allow(#lints)]))
            } else if ["allow", "warn", "deny", "forbid"]
                .iter()
                .any(|l| path.is_ident(l))
            {
                Some(quote!(#a))
            } else {
                None
            }
        })
        .collect()
}

/// A derivative with the right signature whose body is never reached, so a
/// failed expansion causes no further errors at call sites.
fn stub(out: Output, func: &syn::ItemFn, sig: &Signature, wrt: &[bool]) -> TokenStream {
    let FnShell {
        attrs,
        vis,
        name,
        generics,
        ret,
        ..
    } = shell(out, func, sig, wrt);
    let params = sig.params.iter().map(|p| {
        let (id, ty) = (&p.ident, &p.ty);
        match out {
            Output::Jvp if p.differentiable => {
                let dot = format_ident!("{}_dot", p.ident);
                quote!(#id: #ty, #dot: #ty)
            }
            Output::Vjp if p.differentiable => {
                let bar = format_ident!("{}_bar", p.ident);
                let inner = match ty {
                    syn::Type::Reference(r) => (*r.elem).clone(),
                    t => t.clone(),
                };
                quote!(#id: #ty, #bar: &mut #inner)
            }
            _ => quote!(#id: #ty),
        }
    });
    let out_bar = match (out, &sig.ret) {
        (Output::Vjp, Some(t)) => Some(quote!(out_bar: #t)),
        _ => None,
    };
    let params: Vec<TokenStream> = params.chain(out_bar).collect();
    let (_, _, where_clause) = generics.split_for_impl();
    let ret = ret.map(|r| quote!(-> #r));
    quote! {
        #attrs
        // The stub only stands in for the signature; the error above is the
        // one thing the user should see.
        #[allow(unused_variables)]
        #vis fn #name #generics (#(#params),*) #ret #where_clause {
            ::core::unreachable!("the derivative macro failed to expand; see the error above")
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Expands `#[jvp]` on `src` and pretty-prints the result.
    pub fn pretty(mode: Mode, attr: &str, src: &str) -> String {
        let attr: TokenStream = attr.parse().unwrap_or_default();
        let item: TokenStream = src.parse().unwrap_or_default();
        let out = expand(mode, attr, item);
        match syn::parse2::<syn::File>(out.clone()) {
            Ok(file) => prettyplease::unparse(&file),
            Err(_) => out.to_string(),
        }
    }

    #[test]
    fn debug_print() {
        if let Ok(src) = std::env::var("AUTODIFF_EXPAND") {
            let mode = match std::env::var("AUTODIFF_MODE").as_deref() {
                Ok("vjp") => Mode::Vjp,
                Ok("grad") => Mode::Grad,
                _ => Mode::Jvp,
            };
            let attr = std::env::var("AUTODIFF_ATTR").unwrap_or_default();
            println!("{}", pretty(mode, &attr, &src));
        }
    }
}
