//! The entry point of every macro: runs the stages and assembles the output.
//!
//! On any error the user's function is still emitted unchanged, together
//! with stubs of the derivatives with the right signatures, so the only
//! errors the user sees are ours.

use proc_macro2::TokenStream;
use quote::quote;

use crate::convention::{self, Kind};
use crate::diag::{Diags, Stop};
use crate::options::{self, Knobs};
use crate::pipeline::{self, Source};
use crate::sig;
use crate::ty::Ty;

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
pub fn expand(mode: Kind, attr: TokenStream, item: TokenStream) -> TokenStream {
    expand_in(mode, attr, item, None)
}

/// Expands `#[mode(attr)] item`, for a function in the source file `file`
/// (when known), which is read to explain calls to functions without a
/// derivative. An ordinary function on `proc_macro2` tokens.
pub fn expand_in(
    mode: Kind,
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
    let root = crate::runtime::resolve(opts.krate.as_ref());
    let in_impl = func.sig.receiver().is_some() || mentions_self(&func.sig);
    let float =
        crate::generic::float_param(&func.sig.generics, opts.float.as_ref(), in_impl, &mut diags);
    if let Some(t) = &float {
        crate::generic::reject_unsupported_modes(mode, opts.vector, t, &mut diags);
    }
    if let Some(r) = func.sig.receiver() {
        reject_method_modes(mode, opts.vector, r, &mut diags);
    }
    let method = func.sig.receiver().map(|_| &func.sig.ident);
    let structs = crate::structs::in_file(file, method);
    crate::runtime::with_root(root, || {
        crate::ty::with_structs(structs, || {
            crate::ty::with_float_param(float, || derive_all(mode, func, opts, file, diags))
        })
    })
}

/// The closure of a `map` on a nalgebra value, as the function items
/// `__adiff_map` and its `__adiff_map_jvp` (see `ir::MapFn`), which the
/// derivative of the `map` calls with a unit tangent; compile errors in
/// their place if the closure cannot be differentiated.
pub fn map_jvp(item: &syn::ItemFn) -> TokenStream {
    expand_in(Kind::Jvp, TokenStream::new(), quote!(#item), None)
}

/// The stages after the options: the signature, the derivatives, and the
/// output (the function and its derivatives, or errors and stubs).
fn derive_all(
    mode: Kind,
    func: syn::ItemFn,
    opts: options::Options,
    file: Option<&std::path::Path>,
    mut diags: Diags,
) -> TokenStream {
    options::check_constants(&opts, &func.sig, &mut diags);
    let Some(sig) = sig::parse(&func.sig, &opts.constant, &mut diags) else {
        let errors = diags.to_compile_errors();
        let func = crate::lower::strip_checkpoints(&func);
        return quote!(#errors #func);
    };
    let mut outputs = mode.outputs(opts.vector, opts.nested, opts.mode);
    let wrt = options::wrt_mask(&opts, &sig, &mut diags);
    // Every differentiable parameter: `f_jvp_jvp`, and the `f_jvp_vjp`
    // that `nested` makes, are over all of them.
    let all: Vec<bool> = sig.params.iter().map(|p| p.differentiable).collect();
    crate::siblings::drop_repeated(mode, &opts, &sig, &mut outputs, &func.attrs, &mut diags);
    if opts.nested {
        crate::nested::check(mode, &sig, &func, &mut diags);
    }
    if let (Kind::Jvp, false, Some(_)) = (mode, opts.nested, opts.tape) {
        diags.error(proc_macro2::Span::call_site(), "`tape` sizes the tapes of reverse mode, which `#[jvp]` makes only with `nested` (its `_jvp_vjp`); remove `tape = ..`, or add `nested`");
    }
    let wrt_of = |kind: Kind| -> &[bool] {
        if opts.nested && matches!(kind, Kind::JvpJvp | Kind::JvpVjp) {
            &all
        } else {
            &wrt
        }
    };
    if mode == Kind::Jacobian {
        crate::jacobian::check(&sig, &func, &mut diags);
    }
    if mode == Kind::Grad && !matches!(sig.ret.as_ref().map(Ty::from_syn), Some(Ty::Float(_))) {
        let msg = "`#[grad]` needs a function returning `f32` or `f64`; for other outputs use `#[vjp]` and pass the output's cotangent (`out_bar`) explicitly";
        match &sig.ret {
            Some(t) => diags.error_at(t, msg),
            None => diags.error_at(&func.sig.ident, msg),
        }
    }
    if matches!(mode, Kind::Hvp | Kind::Hessian) {
        crate::hessian::check(mode, &sig, &func, &wrt, &mut diags);
    }
    let mut tokens = TokenStream::new();
    // rustc knows no `#[checkpoint]`: what the macro emits goes without it.
    let plain = crate::lower::strip_checkpoints(&func);
    if diags.is_empty() {
        let knobs = Knobs {
            tape: opts.tape.unwrap_or(options::DEFAULT_TAPE),
            ..Knobs::default()
        };
        let source = Source {
            body: &func.block,
            file,
        };
        // `#[grad]` makes two functions from one lowering.
        match pipeline::lower(&sig, &func.block, &mut diags) {
            Err(stop) => internal(mode, outputs[0], &sig.ident, stop, &mut diags),
            Ok(ir) => {
                for &kind in &outputs {
                    if kind == Kind::Jacobian {
                        tokens.extend(jacobian_fn(&plain, &sig, &wrt, opts.mode));
                        continue;
                    }
                    if kind == Kind::Hessian {
                        tokens.extend(crate::hessian::function(&plain, &sig, &wrt));
                        continue;
                    }
                    let wrt = wrt_of(kind);
                    match pipeline::derive_named(
                        &ir,
                        kind,
                        &sig.ident,
                        wrt,
                        &knobs,
                        Some(source),
                        &mut diags,
                    ) {
                        Ok(d) => {
                            let mut shell = convention::shell(kind, &func, &sig, wrt);
                            if kind == Kind::Vjp {
                                let names = crate::names::assign(&d);
                                let tapes = crate::tape_report::report(&d, &names);
                                shell.attrs.extend(convention::tape_doc(&tapes));
                                tokens.extend(convention::tapes_fn(&func, &sig, &tapes));
                            }
                            tokens.extend(crate::codegen::function(&d, &shell));
                        }
                        Err(stop) => {
                            internal(mode, kind, &sig.ident, stop, &mut diags);
                            break;
                        }
                    }
                }
            }
        }
    }
    let func = plain;
    if diags.is_empty() {
        quote!(#func #tokens)
    } else {
        let errors = diags.to_compile_errors();
        let stubs: TokenStream = outputs
            .iter()
            .map(|&k| convention::stub(k, &func, &sig, wrt_of(k)))
            .collect();
        quote!(#errors #func #stubs)
    }
}

/// `f_jacobian`: the convention's shell around the driver of the sweeps.
fn jacobian_fn(
    func: &syn::ItemFn,
    sig: &sig::Signature,
    wrt: &[bool],
    mode: crate::convention::JacMode,
) -> TokenStream {
    let shell = convention::shell(Kind::Jacobian, func, sig, wrt);
    let params = sig.params.iter().map(|p| {
        let (id, ty) = (&p.ident, &p.ty);
        quote!(#id: #ty)
    });
    let body = crate::jacobian::body_of(sig, wrt, mode, &func.block);
    let crate::codegen::FnShell {
        attrs,
        vis,
        name,
        generics,
        ret,
        prologue,
        ..
    } = shell;
    let (_, _, where_clause) = generics.split_for_impl();
    let ret = ret.map(|r| quote!(-> #r));
    quote! {
        #attrs
        #vis fn #name #generics (#(#params),*) #ret #where_clause {
            #prologue
            #body
        }
    }
}

/// Turns a broken invariant into an internal error naming the attribute
/// and the function being generated; reported errors are already in `diags`.
fn internal(mode: Kind, kind: Kind, name: &syn::Ident, stop: Stop, diags: &mut Diags) {
    if let Stop::Broken { pass, msg, ir } = stop {
        diags.error(
            proc_macro2::Span::call_site(),
            format!(
                "internal error in `#[{}]` while generating `{}` (after {pass}): {msg}; please report, with this IR:\n{ir}",
                mode.attr_name(),
                kind.name_of(name)
            ),
        );
    }
}

/// Whether the signature names `Self`: an associated function of an `impl`.
fn mentions_self(sig: &syn::Signature) -> bool {
    fn walk(ts: TokenStream) -> bool {
        ts.into_iter().any(|tt| match tt {
            proc_macro2::TokenTree::Ident(id) => id == "Self",
            proc_macro2::TokenTree::Group(g) => walk(g.stream()),
            _ => false,
        })
    }
    walk(quote::ToTokens::to_token_stream(sig))
}

/// Methods take `#[jvp]`, `#[vjp]` and `#[grad]`; the drivers of the other
/// modes call free functions.
fn reject_method_modes(mode: Kind, vector: bool, r: &syn::Receiver, diags: &mut Diags) {
    let what = match mode {
        Kind::Jacobian => "`#[jacobian]`",
        Kind::Hessian => "`#[hessian]`",
        Kind::Hvp => "`#[hvp]`",
        Kind::Jvp if vector => "`#[jvp(vector)]`",
        _ => return,
    };
    diags.error_at(r, format!("{what} on a method is not supported yet (`#[jvp]`, `#[vjp]` and `#[grad]` are); write a free function that takes the receiver as a parameter (`fn f(m: &Model, ..)`) and annotate it"));
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Expands `#[mode]` on `src` and pretty-prints the result.
    pub fn pretty(mode: Kind, attr: &str, src: &str) -> String {
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
        if let Ok(src) = std::env::var("ADIFF_EXPAND") {
            let mode = match std::env::var("ADIFF_MODE").as_deref() {
                Ok("vjp") => Kind::Vjp,
                Ok("grad") => Kind::Grad,
                Ok("hvp") => Kind::Hvp,
                Ok("hessian") => Kind::Hessian,
                Ok("jvp_nested") => Kind::JvpJvp,
                Ok("jacobian") => Kind::Jacobian,
                _ => Kind::Jvp,
            };
            let attr = std::env::var("ADIFF_ATTR").unwrap_or_default();
            println!("{}", pretty(mode, &attr, &src));
        }
    }
}
