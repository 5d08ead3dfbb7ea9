//! Parsing the attribute's arguments: `#[vjp(tape = 256)]`,
//! `#[grad(wrt(x, y))]`, `#[jvp(crate = "my::adiff")]`.

use crate::diag::Diags;
use crate::sig::Signature;

/// The default inline capacity of each tape, in elements.
pub const DEFAULT_TAPE: usize = 64;

/// The settings of one transformation: the user's `tape = N`, and the
/// switches the IR tests turn to check that results do not depend on the
/// analyses.
#[derive(Clone, Debug)]
pub struct Knobs {
    /// Inline capacity of each tape, in elements.
    pub tape: usize,
    /// Activity analysis; off, every variable is active.
    pub activity: bool,
    /// Reverse mode records every value it reads instead of recomputing.
    pub record_all: bool,
    /// Reverse mode checkpoints every loop it can, in turn binomially with
    /// this many snapshots, with one, and periodically (the differential
    /// tests' mode).
    pub checkpoint_all: Option<usize>,
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            tape: DEFAULT_TAPE,
            activity: true,
            record_all: false,
            checkpoint_all: None,
        }
    }
}

#[derive(Default)]
pub struct Options {
    /// Inline capacity of each tape.
    pub tape: Option<usize>,
    /// `wrt(...)`: the parameters to differentiate with respect to.
    pub wrt: Option<Vec<syn::Ident>>,
    /// `constant(...)`: parameters the user declares to carry no derivative.
    pub constant: Vec<syn::Ident>,
    /// `crate = "path"`: where the facade is, for crates that re-export it.
    pub krate: Option<syn::Path>,
    /// `float(T)`: the function's float type parameter, for a bound the
    /// macro does not recognise (a user trait implying `num_traits::Float`).
    pub float: Option<syn::Ident>,
    /// `vector`: `#[jvp]` also makes `f_jvpw`, vector forward mode.
    pub vector: bool,
    /// `nested`: also the derivatives of the derivative, for differentiated
    /// callers of `f_jvp` (`f_jvp_jvp`, `f_jvp_vjp`) or of `f_grad`
    /// (`f_jvp_vjp`, `f_grad_jvp`, `f_grad_vjp`).
    pub nested: bool,
    /// `mode = forward | reverse | auto`: how `f_jacobian` sweeps.
    pub mode: crate::convention::JacMode,
}

/// Parses `tokens` for attribute `name`, which accepts the options `allowed`.
pub fn parse(
    name: &str,
    tokens: proc_macro2::TokenStream,
    allowed: &[&str],
    diags: &mut Diags,
) -> Options {
    let mut opts = Options::default();
    if tokens.is_empty() {
        return opts;
    }
    let parser = syn::meta::parser(|meta| {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        if !allowed.contains(&key.as_str()) {
            let supported = if allowed.is_empty() {
                "it takes no options".to_owned()
            } else {
                format!(
                    "supported: {}",
                    allowed
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            return Err(meta.error(format!(
                "unknown option `{key}` for `#[{name}]`; {supported}"
            )));
        }
        match key.as_str() {
            "tape" => {
                let lit: syn::LitInt = meta.value()?.parse()?;
                let n: usize = lit.base10_parse()?;
                if n == 0 {
                    return Err(syn::Error::new(lit.span(), "`tape` must be at least 1"));
                }
                opts.tape = Some(n);
            }
            "wrt" | "constant" => {
                let mut names = Vec::new();
                meta.parse_nested_meta(|inner| {
                    match inner.path.get_ident() {
                        Some(id) => names.push(id.clone()),
                        None => return Err(inner.error("expected a parameter name")),
                    }
                    Ok(())
                })?;
                if key == "wrt" {
                    opts.wrt = Some(names);
                } else {
                    opts.constant.extend(names);
                }
            }
            "vector" => opts.vector = true,
            "nested" => opts.nested = true,
            "float" => {
                let content;
                syn::parenthesized!(content in meta.input);
                opts.float = Some(content.parse()?);
            }
            "mode" => {
                use crate::convention::JacMode;
                let id: syn::Ident = meta.value()?.parse()?;
                opts.mode = match id.to_string().as_str() {
                    "forward" => JacMode::Forward,
                    "reverse" => JacMode::Reverse,
                    "auto" => JacMode::Auto,
                    _ => {
                        return Err(syn::Error::new(
                            id.span(),
                            "`mode` is `forward`, `reverse` or `auto` (the default)",
                        ))
                    }
                };
            }
            "crate" => {
                let lit: syn::LitStr = meta.value()?.parse()?;
                opts.krate = Some(lit.parse().map_err(|_| {
                    syn::Error::new(
                        lit.span(),
                        "`crate` takes a path in a string, like `crate = \"my::adiff\"`",
                    )
                })?);
            }
            _ => {}
        }
        Ok(())
    });
    if let Err(e) = syn::parse::Parser::parse2(parser, tokens) {
        diags.push(e);
    }
    opts
}

/// Reports names in `constant(..)` that are not parameters.
pub fn check_constants(opts: &Options, func: &syn::Signature, diags: &mut Diags) {
    for n in &opts.constant {
        let known = func.inputs.iter().any(|a| {
            matches!(a, syn::FnArg::Typed(pt) if matches!(&*pt.pat, syn::Pat::Ident(pi) if pi.ident == *n))
        });
        if !known {
            diags.error(
                n.span(),
                format!("`{n}` is not a parameter of this function"),
            );
        }
    }
}

/// Which parameters `wrt` selects; reports unknown, duplicate and
/// non-differentiable names, each spanned on the name.
pub fn wrt_mask(opts: &Options, sig: &Signature, diags: &mut Diags) -> Vec<bool> {
    let Some(names) = &opts.wrt else {
        return sig.params.iter().map(|p| p.differentiable).collect();
    };
    let mut mask = vec![false; sig.params.len()];
    for n in names {
        match sig.params.iter().position(|p| p.ident == *n) {
            None => diags.error(n.span(), format!("`{n}` is not a parameter of this function")),
            Some(i) if !sig.params[i].differentiable => diags.error(
                n.span(),
                format!("`{n}` is not differentiable: only `f32`/`f64` parameters, arrays, slices and `Vec`s of them, and references to these have gradients"),
            ),
            Some(i) if mask[i] => diags.error(n.span(), format!("`{n}` appears twice in `wrt`")),
            Some(i) => mask[i] = true,
        }
    }
    mask
}
