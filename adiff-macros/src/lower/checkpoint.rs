//! `#[checkpoint(..)]` on a `for` loop: the schedule the user asks reverse
//! mode to reverse the loop with. The attribute is read here, and removed
//! from the function the macro emits ([`strip`]): rustc knows no such
//! attribute, and the primal function runs the loop as written.

use proc_macro2::Span;
use syn::visit_mut::VisitMut;

use super::{Lowerer, Val};
use crate::ir::{Atom, BinOp, Block, Checkpoint, Op, Pat, Place, Stmt, VarId};

const ATTR: &str = "checkpoint";

const USAGE: &str = "write `#[checkpoint(snapshots = S)]` (binomial checkpointing with S stored states), `#[checkpoint(memory = BYTES)]` (binomial, with as many states as BYTES hold) or `#[checkpoint(periodic)]` (a snapshot every √T iterations)";

fn is_checkpoint(a: &syn::Attribute) -> bool {
    a.path().is_ident(ATTR)
}

/// What the attribute says, before the snapshot count is lowered.
enum Parsed {
    Snapshots(Box<syn::Expr>),
    Memory(Box<syn::Expr>),
    Periodic,
}

fn parse(attr: &syn::Attribute) -> syn::Result<Parsed> {
    let syn::Meta::List(list) = &attr.meta else {
        return Err(syn::Error::new_spanned(
            attr,
            format!("`#[checkpoint]` needs a schedule: {USAGE}"),
        ));
    };
    list.parse_args_with(|input: syn::parse::ParseStream| {
        let key: syn::Ident = input.parse()?;
        let parsed = if key == "periodic" {
            Parsed::Periodic
        } else if key == "snapshots" {
            input.parse::<syn::Token![=]>()?;
            Parsed::Snapshots(Box::new(input.parse()?))
        } else if key == "memory" {
            input.parse::<syn::Token![=]>()?;
            Parsed::Memory(Box::new(input.parse()?))
        } else {
            return Err(syn::Error::new(
                key.span(),
                format!("unknown option `{key}` for `#[checkpoint]`: {USAGE}"),
            ));
        };
        if !input.is_empty() {
            return Err(input.error(format!("`#[checkpoint]` takes one option: {USAGE}")));
        }
        Ok(parsed)
    })
}

impl Lowerer<'_> {
    /// The schedule a `for` loop's attributes ask for. The snapshot count is
    /// lowered here, before the loop, so it is evaluated once.
    pub(super) fn checkpoint_of(
        &mut self,
        attrs: &[syn::Attribute],
        out: &mut Block,
    ) -> Option<(Checkpoint, Span)> {
        let mut found = None;
        for attr in attrs.iter().filter(|a| is_checkpoint(a)) {
            if found.is_some() {
                self.diags
                    .error_at(attr, "a loop takes one `#[checkpoint(..)]` attribute");
                continue;
            }
            match parse(attr) {
                Err(e) => self.diags.error(e.span(), e.to_string()),
                Ok(Parsed::Periodic) => found = Some((Checkpoint::Periodic, span_of(attr))),
                Ok(Parsed::Snapshots(e)) => {
                    if let Val::Atom(a) = self.lower_expr(&e, out) {
                        found = Some((Checkpoint::Binomial(a), span_of(attr)));
                    }
                }
                Ok(Parsed::Memory(e)) => {
                    if let Val::Atom(a) = self.lower_expr(&e, out) {
                        found = Some((Checkpoint::Memory(a), span_of(attr)));
                    }
                }
            }
        }
        found
    }

    /// Records that the loop with index `var` is checkpointed.
    pub(super) fn mark_checkpoint(&mut self, var: VarId, ck: Option<(Checkpoint, Span)>) {
        if let Some((ck, span)) = ck {
            self.func.checkpoints.push((var, ck, span));
        }
    }

    /// Reports `#[checkpoint]` on a loop it does not apply to.
    pub(super) fn reject_checkpoint(&mut self, attrs: &[syn::Attribute], what: &str) {
        for attr in attrs.iter().filter(|a| is_checkpoint(a)) {
            self.diags.error_at(
                attr,
                format!("`#[checkpoint]` does not apply to {what}; write the loop as `for` over a range or a collection, or as `while`/`loop`"),
            );
        }
    }

    /// A checkpointed `while` or `loop` counts the iterations it starts
    /// (`let mut k = 0;` before it, `k = k + 1;` first in its body), which
    /// the reverse sweep's schedule needs; the counter is the mark.
    pub(super) fn count_iterations(
        &mut self,
        ck: Option<(Checkpoint, Span)>,
        body: &mut Block,
        out: &mut Block,
    ) {
        let Some((ck, span)) = ck else { return };
        let k = self.func.temp(crate::ty::Ty::Int, span);
        self.func.vars[k.0].name = "iterations".into();
        self.func.vars[k.0].mutable = true;
        let zero = super::buffers::lit(0);
        out.push(Stmt::Let {
            pat: Pat::Var(k),
            init: Some(Op::Use(zero)),
            span,
        });
        body.insert(
            0,
            Stmt::Assign {
                place: Place::var(k),
                op: Op::Bin(BinOp::Add, Atom::Var(k), super::buffers::lit(1)),
                span,
            },
        );
        self.func.checkpoints.push((k, ck, span));
    }
}

/// Where errors about the loop point: the attribute's name (a span
/// covering the whole attribute needs nightly's `Span::join`).
fn span_of(attr: &syn::Attribute) -> Span {
    attr.path()
        .segments
        .last()
        .map_or_else(Span::call_site, |s| s.ident.span())
}

/// The function without its `#[checkpoint]` attributes, as the macro emits
/// it. A snapshot count that is an expression stays evaluated, as
/// `let _ = S;` before the loop, so a parameter that only the attribute
/// names is not reported unused.
pub(crate) fn strip(f: &syn::ItemFn) -> syn::ItemFn {
    struct Strip;
    impl VisitMut for Strip {
        fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
            syn::visit_mut::visit_expr_mut(self, e);
            let syn::Expr::ForLoop(l) = e else { return };
            let counts: Vec<syn::Expr> = l
                .attrs
                .iter()
                .filter(|a| is_checkpoint(a))
                .filter_map(|a| match parse(a) {
                    Ok(Parsed::Snapshots(n) | Parsed::Memory(n)) => Some(*n),
                    _ => None,
                })
                .collect();
            l.attrs.retain(|a| !is_checkpoint(a));
            if !counts.is_empty() {
                let l = l.clone();
                *e = syn::parse_quote!({ #(let _ = #counts;)* #l });
            }
        }
        fn visit_expr_while_mut(&mut self, e: &mut syn::ExprWhile) {
            e.attrs.retain(|a| !is_checkpoint(a));
            syn::visit_mut::visit_expr_while_mut(self, e);
        }
        fn visit_expr_loop_mut(&mut self, e: &mut syn::ExprLoop) {
            e.attrs.retain(|a| !is_checkpoint(a));
            syn::visit_mut::visit_expr_loop_mut(self, e);
        }
    }
    let mut f = f.clone();
    Strip.visit_item_fn_mut(&mut f);
    f
}
