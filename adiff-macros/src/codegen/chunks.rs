//! Long blocks split into nested blocks of bounded length.
//!
//! Every `let` opens a lexical scope inside the previous one, and rustc's
//! debug info recurses through those scopes: a derivative with thousands
//! of `let`s in one block (a long straight-line function, in A-normal
//! form) overflowed rustc's stack in a debug build. So a block longer
//! than [`CHUNK`] statements is emitted as a sequence of plain blocks of
//! about √n statements each. A `let` whose variable is used after its
//! chunk is declared before the chunk, all of them in one `let (a, mut b);`,
//! and initialised inside it (`a = ...;`), so the nesting depth is about
//! 2√n instead of n, and short blocks (all the code people read) are
//! emitted unchanged.
//!
//! Uses are found in the tokens: every generated name is unique in the
//! function (see `names`), so a later statement mentions a variable
//! exactly when its tokens contain the variable's name. A false match only
//! hoists a declaration that did not need it.

use std::collections::HashMap;

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

use super::Writer;
use crate::ir::{Pat, Stmt};

/// Blocks with at most this many statements are emitted as they are.
pub const CHUNK: usize = 64;

/// A statement's tokens, and what to emit instead when its declaration is
/// hoisted out of its chunk.
pub struct Emitted {
    pub tokens: TokenStream,
    /// For a `let`: the names it declares (with `mut` when needed and a
    /// declared type if any) and the assignment that replaces it.
    pub deferred: Option<Deferred>,
}

pub struct Deferred {
    /// `(mut name, declared type)` of each variable.
    pub decls: Vec<(TokenStream, TokenStream)>,
    /// The names, to look for in later statements.
    pub names: Vec<String>,
    /// `name = op;` or `(a, _) = op;`; empty for `let x;`.
    pub assign: TokenStream,
}

impl Writer<'_> {
    /// The tokens of `s`, with its deferred form when it is a `let`.
    pub(super) fn emitted(&self, s: &Stmt) -> Emitted {
        if self.folds.is_folded_let(s) {
            return Emitted {
                tokens: TokenStream::new(),
                deferred: None,
            };
        }
        let deferred = match s {
            Stmt::Let { pat, init, span } => {
                let vars: Vec<_> = match pat {
                    Pat::Var(v) => vec![Some(*v)],
                    Pat::Tuple(vs) => vs.clone(),
                };
                let decls = vars
                    .iter()
                    .flatten()
                    .map(|v| {
                        let (m, name) = (self.mut_token(*v), self.ident(*v));
                        let ty = match (&self.func.info(*v).declared, pat) {
                            (Some(t), Pat::Var(_)) => quote!(#t),
                            _ => quote!(_),
                        };
                        (quote!(#m #name), ty)
                    })
                    .collect();
                let names = vars.iter().flatten().map(|v| self.ident(*v).to_string());
                let target = match pat {
                    Pat::Var(v) => {
                        let name = self.ident(*v);
                        quote!(#name)
                    }
                    Pat::Tuple(vs) => {
                        let parts = vs.iter().map(|v| match v {
                            Some(v) => {
                                let name = self.ident(*v);
                                quote!(#name)
                            }
                            None => quote!(_),
                        });
                        quote!((#(#parts),*))
                    }
                };
                // The operation's tokens serve both forms: making them is
                // most of codegen's time on a long function.
                let op = init.as_ref().map(|op| self.init(pat, op, *span));
                let (assign, tokens) = match &op {
                    Some(op) => {
                        let p = self.pat(pat);
                        (
                            quote::quote_spanned!(*span=> #target = #op;),
                            quote::quote_spanned!(*span=> let #p = #op;),
                        )
                    }
                    None => (TokenStream::new(), self.stmt(s)),
                };
                return Emitted {
                    tokens,
                    deferred: Some(Deferred {
                        decls,
                        names: names.collect(),
                        assign,
                    }),
                };
            }
            _ => None,
        };
        Emitted {
            tokens: self.stmt(s),
            deferred,
        }
    }
}

/// The statements of a block, split into chunks when there are many,
/// followed by the block's tail expression.
pub fn join(stmts: Vec<Emitted>, tail: Option<TokenStream>) -> TokenStream {
    let n = stmts.len();
    // The last statement mentioning each name; the tail counts as after
    // every chunk.
    let mut last: HashMap<String, usize> = HashMap::new();
    for (i, s) in stmts.iter().enumerate() {
        idents(&s.tokens, &mut |id| {
            last.insert(id, i);
        });
    }
    if let Some(t) = &tail {
        idents(t, &mut |id| {
            last.insert(id, n);
        });
    }
    let size = n.isqrt().max(CHUNK / 2);
    let mut out = TokenStream::new();
    let mut stmts = stmts.into_iter().enumerate().peekable();
    while stmts.peek().is_some() {
        let chunk: Vec<(usize, Emitted)> = stmts.by_ref().take(size).collect();
        let end = chunk.last().map_or(0, |(i, _)| *i + 1);
        let mut decls = Vec::new();
        let mut body = TokenStream::new();
        for (_, s) in chunk {
            match s.deferred {
                Some(d)
                    if d.names
                        .iter()
                        .any(|x| last.get(x).is_some_and(|&l| l >= end)) =>
                {
                    decls.extend(d.decls);
                    body.extend(d.assign);
                }
                _ => body.extend(s.tokens),
            }
        }
        if !decls.is_empty() {
            let (pats, tys): (Vec<_>, Vec<_>) = decls.into_iter().unzip();
            // `let (a, b);` leaves the types to inference, as `(_, _)` would.
            if tys.iter().all(|t| t.to_string() == "_") {
                out.extend(quote!(let (#(#pats,)*);));
            } else {
                out.extend(quote!(let (#(#pats,)*): (#(#tys,)*);));
            }
        }
        out.extend(quote!({ #body }));
    }
    out.extend(tail);
    out
}

/// Calls `f` with every identifier in `ts`, nested groups included.
fn idents(ts: &TokenStream, f: &mut impl FnMut(String)) {
    for tt in ts.clone() {
        match tt {
            TokenTree::Ident(id) => f(id.to_string()),
            TokenTree::Group(g) => idents(&g.stream(), f),
            _ => {}
        }
    }
}
