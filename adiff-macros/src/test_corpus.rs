//! The behaviour tests in `tests/` as a corpus of source items, with their
//! `macro_rules!` suites expanded.
//!
//! Each behaviour test is written once as `macro_rules! suite { ($F:ident,
//! $h:ident) => { ... } }` and instantiated as `suite!(f64, f64h)` and
//! `suite!(f32, f32h)`; the tables of elementary functions are macros too.
//! `syn::parse_file` sees neither the functions inside a macro body nor the
//! ones an invocation produces. [`expand_macros`] does what rustc does with
//! them, for the `macro_rules!` macros defined in the file itself: it
//! matches each item-position invocation against the macro's rules, binds
//! the metavariables, transcribes the rule's body (repetitions included)
//! and parses the result as items, recursively. Invocations of macros it
//! does not know (such as `rev_dot!` from `tests/common`) stay as they are.

use std::collections::HashMap;
use std::rc::Rc;

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};

/// The `macro_rules!` macros in textual scope, by name.
type Scope = HashMap<String, Rc<Vec<Rule>>>;

/// One rule of a `macro_rules!` macro: `(matcher) => { body }`.
struct Rule {
    matcher: Vec<M>,
    body: Vec<TokenTree>,
}

/// A parsed matcher.
enum M {
    /// A token that must occur as is.
    Tok(TokenTree),
    /// A delimited group of matchers.
    Group(Delimiter, Vec<M>),
    /// `$name:fragment`.
    Var(String, String),
    /// `$( ... ) sep op`.
    Rep(Vec<M>, Option<TokenTree>, char),
}

/// What a metavariable is bound to: tokens, or one binding per repetition.
#[derive(Clone)]
enum Binding {
    One(Vec<TokenTree>),
    Seq(Vec<Binding>),
}

type Bindings = HashMap<String, Binding>;

/// Invocations nested deeper than this are left unexpanded.
const MAX_DEPTH: usize = 32;

/// `file` with every invocation of a `macro_rules!` macro defined in it
/// replaced by the items it expands to.
pub(crate) fn expand_macros(file: syn::File) -> syn::File {
    let mut scope = Scope::new();
    syn::File {
        items: expand_items(file.items, &mut scope, 0),
        ..file
    }
}

fn expand_items(items: Vec<syn::Item>, scope: &mut Scope, depth: usize) -> Vec<syn::Item> {
    let mut out = Vec::new();
    for item in items {
        match item {
            syn::Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {
                if let (Some(name), Some(rules)) = (&m.ident, parse_rules(m.mac.tokens.clone())) {
                    scope.insert(name.to_string(), Rc::new(rules));
                }
                out.push(syn::Item::Macro(m));
            }
            syn::Item::Macro(m) => match expand_call(&m.mac, scope, depth) {
                Some(items) => out.extend(expand_items(items, scope, depth + 1)),
                None => out.push(syn::Item::Macro(m)),
            },
            syn::Item::Mod(mut m) => {
                if let Some((brace, items)) = m.content.take() {
                    // Textual scope reaches into the module, not back out.
                    let mut inner = scope.clone();
                    m.content = Some((brace, expand_items(items, &mut inner, depth)));
                }
                out.push(syn::Item::Mod(m));
            }
            syn::Item::Fn(mut f) => {
                expand_block(&mut f.block, scope.clone(), depth);
                out.push(syn::Item::Fn(f));
            }
            other => out.push(other),
        }
    }
    out
}

/// Expands the item and item-macro statements of a function body.
fn expand_block(block: &mut syn::Block, mut scope: Scope, depth: usize) {
    let mut stmts = Vec::new();
    for stmt in std::mem::take(&mut block.stmts) {
        match stmt {
            syn::Stmt::Item(item) => stmts.extend(
                expand_items(vec![item], &mut scope, depth)
                    .into_iter()
                    .map(syn::Stmt::Item),
            ),
            syn::Stmt::Macro(m) => match expand_call(&m.mac, &scope, depth) {
                Some(items) => stmts.extend(
                    expand_items(items, &mut scope, depth + 1)
                        .into_iter()
                        .map(syn::Stmt::Item),
                ),
                None => stmts.push(syn::Stmt::Macro(m)),
            },
            other => stmts.push(other),
        }
    }
    block.stmts = stmts;
}

/// The items an invocation of a macro in `scope` expands to, if it is one
/// and its expansion parses as items.
fn expand_call(mac: &syn::Macro, scope: &Scope, depth: usize) -> Option<Vec<syn::Item>> {
    if depth >= MAX_DEPTH {
        return None;
    }
    let rules = scope.get(&mac.path.get_ident()?.to_string())?;
    let input: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
    let tokens = rules.iter().find_map(|rule| {
        let mut b = Bindings::new();
        let mut pos = 0;
        (match_seq(&rule.matcher, &input, &mut pos, &mut b) && pos == input.len())
            .then(|| transcribe(&rule.body, &b, &[]))
    })?;
    let items = |input: ParseStream| -> syn::Result<Vec<syn::Item>> {
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(input.parse::<syn::Item>()?);
        }
        Ok(items)
    };
    items.parse2(tokens).ok()
}

/// The rules of `macro_rules! name { (m) => { b }; ... }`.
fn parse_rules(tokens: TokenStream) -> Option<Vec<Rule>> {
    let toks: Vec<TokenTree> = tokens.into_iter().collect();
    let mut rules = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let (TokenTree::Group(m), TokenTree::Punct(p1), TokenTree::Punct(p2), TokenTree::Group(b)) = (
            &toks[i],
            toks.get(i + 1)?,
            toks.get(i + 2)?,
            toks.get(i + 3)?,
        ) else {
            return None;
        };
        if p1.as_char() != '=' || p2.as_char() != '>' {
            return None;
        }
        rules.push(Rule {
            matcher: parse_matcher(&m.stream().into_iter().collect::<Vec<_>>())?,
            body: b.stream().into_iter().collect(),
        });
        i += 4;
        if matches!(toks.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
            i += 1;
        }
    }
    Some(rules)
}

fn parse_matcher(toks: &[TokenTree]) -> Option<Vec<M>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            TokenTree::Punct(p) if p.as_char() == '$' => match toks.get(i + 1)? {
                TokenTree::Ident(name) => {
                    let (TokenTree::Punct(colon), TokenTree::Ident(frag)) =
                        (toks.get(i + 2)?, toks.get(i + 3)?)
                    else {
                        return None;
                    };
                    if colon.as_char() != ':' {
                        return None;
                    }
                    out.push(M::Var(name.to_string(), frag.to_string()));
                    i += 4;
                }
                TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => {
                    let inner = parse_matcher(&g.stream().into_iter().collect::<Vec<_>>())?;
                    let (sep, op, used) = rep_suffix(&toks[i + 2..])?;
                    out.push(M::Rep(inner, sep, op));
                    i += 2 + used;
                }
                _ => return None,
            },
            TokenTree::Group(g) => {
                let inner = parse_matcher(&g.stream().into_iter().collect::<Vec<_>>())?;
                out.push(M::Group(g.delimiter(), inner));
                i += 1;
            }
            t => {
                out.push(M::Tok(t.clone()));
                i += 1;
            }
        }
    }
    Some(out)
}

/// The separator and operator after `$( ... )`, and how many tokens they take.
fn rep_suffix(toks: &[TokenTree]) -> Option<(Option<TokenTree>, char, usize)> {
    let op = |t: Option<&TokenTree>| match t {
        Some(TokenTree::Punct(p)) if matches!(p.as_char(), '*' | '+' | '?') => Some(p.as_char()),
        _ => None,
    };
    if let Some(c) = op(toks.first()) {
        return Some((None, c, 1));
    }
    Some((Some(toks.first()?.clone()), op(toks.get(1))?, 2))
}

fn same_token(a: &TokenTree, b: &TokenTree) -> bool {
    match (a, b) {
        (TokenTree::Punct(x), TokenTree::Punct(y)) => x.as_char() == y.as_char(),
        (TokenTree::Ident(x), TokenTree::Ident(y)) => x == y,
        (TokenTree::Literal(x), TokenTree::Literal(y)) => x.to_string() == y.to_string(),
        _ => false,
    }
}

/// Matches `ms` against `toks` from `*pos` on (not necessarily to the end).
fn match_seq(ms: &[M], toks: &[TokenTree], pos: &mut usize, b: &mut Bindings) -> bool {
    for m in ms {
        match m {
            M::Tok(t) => match toks.get(*pos) {
                Some(u) if same_token(t, u) => *pos += 1,
                _ => return false,
            },
            M::Group(delim, inner) => match toks.get(*pos) {
                Some(TokenTree::Group(g)) if g.delimiter() == *delim => {
                    let sub: Vec<TokenTree> = g.stream().into_iter().collect();
                    let mut p = 0;
                    if !(match_seq(inner, &sub, &mut p, b) && p == sub.len()) {
                        return false;
                    }
                    *pos += 1;
                }
                _ => return false,
            },
            M::Var(name, frag) => match match_fragment(frag, &toks[*pos..]) {
                Some((n, wrap)) => {
                    let got = toks[*pos..*pos + n].to_vec();
                    let got = if wrap {
                        let g = Group::new(Delimiter::None, got.into_iter().collect());
                        vec![TokenTree::Group(g)]
                    } else {
                        got
                    };
                    b.insert(name.clone(), Binding::One(got));
                    *pos += n;
                }
                None => return false,
            },
            M::Rep(inner, sep, op) => {
                let mut iters: Vec<Bindings> = Vec::new();
                loop {
                    let save = *pos;
                    if !iters.is_empty() {
                        if let Some(s) = sep {
                            match toks.get(*pos) {
                                Some(u) if same_token(s, u) => *pos += 1,
                                _ => break,
                            }
                        }
                    }
                    let start = *pos;
                    let mut one = Bindings::new();
                    if !match_seq(inner, toks, pos, &mut one) || *pos == start {
                        *pos = save;
                        break;
                    }
                    iters.push(one);
                    if *op == '?' {
                        break;
                    }
                }
                if *op == '+' && iters.is_empty() {
                    return false;
                }
                let mut names = Vec::new();
                var_names(inner, &mut names);
                for name in names {
                    let seq = iters
                        .iter()
                        .map(|one| one.get(&name).cloned().unwrap_or(Binding::Seq(Vec::new())))
                        .collect();
                    b.insert(name, Binding::Seq(seq));
                }
            }
        }
    }
    true
}

fn var_names(ms: &[M], out: &mut Vec<String>) {
    for m in ms {
        match m {
            M::Var(name, _) => out.push(name.clone()),
            M::Group(_, inner) | M::Rep(inner, _, _) => var_names(inner, out),
            M::Tok(_) => {}
        }
    }
}

/// How many token trees a fragment of kind `frag` takes at the start of
/// `toks`, and whether rustc hands it on wrapped in an invisible group.
fn match_fragment(frag: &str, toks: &[TokenTree]) -> Option<(usize, bool)> {
    let punct =
        |i: usize, c: char| matches!(toks.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
    match frag {
        "tt" => return (!toks.is_empty()).then_some((1, false)),
        "ident" => return matches!(toks.first(), Some(TokenTree::Ident(_))).then_some((1, false)),
        "lifetime" => {
            return (punct(0, '\'') && matches!(toks.get(1), Some(TokenTree::Ident(_))))
                .then_some((2, false))
        }
        "literal" => {
            return match (toks.first(), toks.get(1)) {
                (Some(TokenTree::Literal(_)), _) => Some((1, false)),
                (Some(TokenTree::Punct(p)), Some(TokenTree::Literal(_))) if p.as_char() == '-' => {
                    Some((2, false))
                }
                _ => None,
            }
        }
        _ => {}
    }
    let stream: TokenStream = toks.iter().cloned().collect();
    let kind = frag.to_string();
    let parser = move |input: ParseStream| -> syn::Result<usize> {
        match kind.as_str() {
            "expr" => {
                input.parse::<syn::Expr>()?;
            }
            "ty" => {
                input.parse::<syn::Type>()?;
            }
            "pat" => {
                syn::Pat::parse_multi_with_leading_vert(input)?;
            }
            "pat_param" => {
                syn::Pat::parse_single(input)?;
            }
            "path" => {
                input.parse::<syn::Path>()?;
            }
            "block" => {
                input.parse::<syn::Block>()?;
            }
            "stmt" => {
                input.parse::<syn::Stmt>()?;
            }
            "item" => {
                input.parse::<syn::Item>()?;
            }
            "vis" => {
                input.parse::<syn::Visibility>()?;
            }
            "meta" => {
                input.parse::<syn::Meta>()?;
            }
            _ => return Err(input.error("unknown fragment")),
        }
        let rest: TokenStream = input.parse()?;
        Ok(rest.into_iter().count())
    };
    let rest = parser.parse2(stream).ok()?;
    let n = toks.len() - rest;
    (n > 0 || frag == "vis").then_some((n, frag != "vis"))
}

/// The binding of a metavariable at the repetition indices `idx`.
fn lookup<'a>(b: &'a Binding, idx: &[usize]) -> Option<&'a Binding> {
    let mut cur = b;
    for &i in idx {
        match cur {
            Binding::One(_) => return Some(cur),
            Binding::Seq(v) => cur = v.get(i)?,
        }
    }
    Some(cur)
}

/// The number of repetitions of `$( toks )` at `idx`: that of the first
/// metavariable inside that repeats at this depth.
fn repetitions(toks: &[TokenTree], b: &Bindings, idx: &[usize]) -> Option<usize> {
    for (i, t) in toks.iter().enumerate() {
        match t {
            TokenTree::Punct(p) if p.as_char() == '$' => {
                if let Some(TokenTree::Ident(name)) = toks.get(i + 1) {
                    if let Some(Binding::Seq(v)) =
                        b.get(&name.to_string()).and_then(|x| lookup(x, idx))
                    {
                        return Some(v.len());
                    }
                }
            }
            TokenTree::Group(g) => {
                let sub: Vec<TokenTree> = g.stream().into_iter().collect();
                if let Some(n) = repetitions(&sub, b, idx) {
                    return Some(n);
                }
            }
            _ => {}
        }
    }
    None
}

fn transcribe(toks: &[TokenTree], b: &Bindings, idx: &[usize]) -> TokenStream {
    let mut out = TokenStream::new();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            TokenTree::Punct(p) if p.as_char() == '$' => match toks.get(i + 1) {
                Some(TokenTree::Ident(name)) if name == "crate" => {
                    out.extend([TokenTree::Ident(Ident::new("crate", Span::call_site()))]);
                    i += 2;
                    continue;
                }
                Some(TokenTree::Ident(name)) => {
                    if let Some(Binding::One(t)) =
                        b.get(&name.to_string()).and_then(|x| lookup(x, idx))
                    {
                        out.extend(t.iter().cloned());
                        i += 2;
                        continue;
                    }
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    let sub: Vec<TokenTree> = g.stream().into_iter().collect();
                    if let Some(n) = repetitions(&sub, b, idx) {
                        let (sep, _, used) = rep_suffix(&toks[i + 2..]).unwrap_or((None, '*', 0));
                        for k in 0..n {
                            if k > 0 {
                                out.extend(sep.clone());
                            }
                            let mut inner = idx.to_vec();
                            inner.push(k);
                            out.extend(transcribe(&sub, b, &inner));
                        }
                        i += 2 + used;
                        continue;
                    }
                }
                _ => {}
            },
            TokenTree::Group(g) => {
                let sub: Vec<TokenTree> = g.stream().into_iter().collect();
                let mut ng = Group::new(g.delimiter(), transcribe(&sub, b, idx));
                ng.set_span(g.span());
                out.extend([TokenTree::Group(ng)]);
                i += 1;
                continue;
            }
            _ => {}
        }
        // A token of the body, or a `$` of a macro defined by the body.
        out.extend([toks[i].clone()]);
        i += 1;
    }
    out
}

#[test]
fn expands_a_suite_for_both_types() {
    let src = r#"
        macro_rules! table {
            ($F:ident; $($f:ident: [$($p:expr),* $(,)?];)*) => {
                $( mod $f { #[jvp] fn m(x: $F) -> $F { x.$f() } const P: &[$F] = &[$($p),*]; } )*
            };
        }
        macro_rules! suite {
            ($F:ident, $h:ident) => {
                use crate::common::$h::*;
                #[jvp]
                fn f(x: $F) -> $F { x * (2.0 as $F) }
                table! { $F; sin: [1.0, 2.0,]; cos: [3.0]; }
            };
        }
        mod double { suite!(f64, f64h); }
        mod single { suite!(f32, f32h); }
    "#;
    let file = expand_macros(syn::parse_file(src).unwrap());
    let text = quote::ToTokens::to_token_stream(&file).to_string();
    for want in [
        "fn f (x : f64) -> f64",
        "fn f (x : f32) -> f32",
        "use crate :: common :: f32h :: * ;",
        "mod sin { # [jvp] fn m (x : f32) -> f32 { x . sin () }",
        "mod cos { # [jvp] fn m (x : f64) -> f64 { x . cos () }",
    ] {
        assert!(text.contains(want), "`{want}` not in {text}");
    }
}
