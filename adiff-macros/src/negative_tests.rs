//! The negative half of differential testing: generated functions with one
//! unsupported construct injected (`adiff_fuzz::negatives`) must get a
//! compile error, never a derivative.
//!
//! For each seed and each attribute (`#[jvp]`, `#[vjp]`, `#[grad]`), the
//! expansion must:
//! - not panic, and be valid Rust syntax;
//! - hold a `compile_error!` whose message names the construct, spanned on
//!   the injected line;
//! - hold no internal error;
//! - keep the user's function unchanged.
//!
//! `ADIFF_FUZZ_NEGATIVES=N` sets the number of programs (default 200) and
//! `ADIFF_FUZZ_SEED` the first seed. The test prints
//! `negatives: N programs, M failures` and a count per construct.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::str::FromStr;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

use crate::convention::Kind;
use crate::expand::expand;

/// The messages of the `compile_error!`s in `tokens`, with the line each
/// is spanned on.
fn compile_errors(tokens: TokenStream, out: &mut Vec<(String, usize)>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, t) in trees.iter().enumerate() {
        match t {
            TokenTree::Ident(id) if id == "compile_error" => {
                let Some(TokenTree::Group(g)) = trees.get(i + 2) else {
                    continue;
                };
                let Some(TokenTree::Literal(lit)) = g.stream().into_iter().next() else {
                    continue;
                };
                let line = lit.span().start().line;
                if let Ok(s) = syn::parse_str::<syn::LitStr>(&lit.to_string()) {
                    out.push((s.value(), line));
                }
            }
            TokenTree::Group(g) => compile_errors(g.stream(), out),
            _ => {}
        }
    }
}

/// Checks one expansion of `neg` with `kind`; `Err` says what is wrong.
fn check(neg: &adiff_fuzz::negatives::Negative, kind: Kind) -> Result<(), String> {
    let item = TokenStream::from_str(&neg.source).map_err(|e| format!("unparsable: {e}"))?;
    let input = syn::parse2::<syn::ItemFn>(item.clone()).map_err(|e| format!("not a fn: {e}"))?;
    let output = std::panic::catch_unwind(|| expand(kind, TokenStream::new(), item))
        .map_err(|_| "the macro panicked".to_owned())?;
    let file = syn::parse2::<syn::File>(output.clone())
        .map_err(|e| format!("the expansion is not valid Rust: {e}"))?;
    let mut errors = Vec::new();
    compile_errors(output, &mut errors);
    if let Some((m, _)) = errors.iter().find(|(m, _)| m.contains("internal error")) {
        return Err(format!("internal error: {m}"));
    }
    let want = neg.construct.message;
    if !errors
        .iter()
        .any(|(m, l)| m.contains(want) && *l == neg.line)
    {
        return Err(format!(
            "no error containing {want:?} on line {}; errors: {errors:?}",
            neg.line
        ));
    }
    let kept = file.items.iter().any(|i| match i {
        syn::Item::Fn(f) => {
            f.sig.ident == neg.name
                && f.to_token_stream().to_string() == input.to_token_stream().to_string()
        }
        _ => false,
    });
    if !kept {
        return Err("the user's function is not in the expansion unchanged".to_owned());
    }
    Ok(())
}

#[test]
fn unsupported_constructs_get_spanned_errors() {
    let programs = adiff_fuzz::env_number("FUZZ_NEGATIVES").unwrap_or(200);
    let first = adiff_fuzz::env_number("FUZZ_SEED").unwrap_or(1);
    let mut failures = 0;
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for seed in first..first + programs {
        let neg = adiff_fuzz::negatives::negative(seed);
        *seen.entry(neg.construct.name).or_default() += 1;
        for kind in [Kind::Jvp, Kind::Vjp, Kind::Grad] {
            if let Err(e) = check(&neg, kind) {
                failures += 1;
                eprintln!(
                    "NEGATIVE FAILURE seed {seed}, #[{}], {}: {e}\n{}",
                    kind.attr_name(),
                    neg.construct.name,
                    neg.source
                );
            }
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "negatives: {programs} programs, {failures} failures; constructs: {seen:?}"
    );
    assert_eq!(failures, 0, "see the failures above");
    // Every construct is drawn, so none silently stops being checked.
    if programs >= 100 {
        assert_eq!(seen.len(), adiff_fuzz::negatives::CONSTRUCTS.len());
    }
}
