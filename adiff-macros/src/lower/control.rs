//! Lowering of branches, `while`, `loop`, `break`, `continue` and `return`.

use std::collections::HashMap;

use crate::ir::{Atom, BinOp, Block, Const, Op, Pat, Place, Stmt, UnOp, VarId};
use crate::ty::Ty;

use super::{span_of, Binding, LoopCtx, Lowerer, Val};

/// Collects the value of each branch of an `if` or `match` into one
/// variable, created when the first branch yields a value.
#[derive(Default)]
pub(super) struct Join {
    result: Option<VarId>,
    diverges: bool,
}

impl Lowerer<'_> {
    /// Records a branch's value into the join variable.
    fn join_branch(
        &mut self,
        join: &mut Join,
        val: Val,
        span: proc_macro2::Span,
        block: &mut Block,
    ) {
        match val {
            Val::Never => {}
            Val::Atom(Atom::Const(Const::Unit)) => join.diverges = false,
            Val::Atom(a) => {
                join.diverges = false;
                let r = *join.result.get_or_insert_with(|| {
                    let v = self.func.temp(Ty::Unknown, span);
                    self.func.vars[v.0].mutable = false;
                    v
                });
                self.assign(Place::var(r), a, span, block);
            }
        }
    }

    fn finish_join(
        &mut self,
        join: &Join,
        at: usize,
        span: proc_macro2::Span,
        out: &mut Block,
    ) -> Val {
        if join.diverges {
            return Val::Never;
        }
        match join.result {
            Some(r) => {
                out.insert(
                    at,
                    Stmt::Let {
                        pat: Pat::Var(r),
                        init: None,
                        span,
                    },
                );
                Val::Atom(Atom::Var(r))
            }
            None => Val::Atom(Atom::Const(Const::Unit)),
        }
    }

    pub(super) fn lower_if(&mut self, e: &syn::ExprIf, out: &mut Block) -> Val {
        let at = out.len();
        let mut join = Join {
            result: None,
            diverges: true,
        };
        self.lower_if_into(e, &mut join, out);
        self.finish_join(&join, at, span_of(e), out)
    }

    fn lower_if_into(&mut self, e: &syn::ExprIf, join: &mut Join, out: &mut Block) {
        let span = span_of(e);
        let Val::Atom(cond) = self.lower_expr(&e.cond, out) else {
            return;
        };
        let mut then = Vec::new();
        let v = self.lower_block_scoped(&e.then_branch, &mut then);
        self.join_branch(join, v, span, &mut then);
        let mut els = Vec::new();
        match &e.else_branch {
            None => join.diverges = false,
            Some((_, else_expr)) => match &**else_expr {
                syn::Expr::If(inner) => self.lower_if_into(inner, join, &mut els),
                other => {
                    let v = self.lower_expr(other, &mut els);
                    self.join_branch(join, v, span, &mut els);
                }
            },
        }
        out.push(Stmt::If { cond, then, els });
    }

    /// `a && b` and `a || b`, evaluating `b` only when needed.
    pub(super) fn lower_short_circuit(&mut self, b: &syn::ExprBinary, out: &mut Block) -> Val {
        let span = span_of(b);
        let is_and = matches!(b.op, syn::BinOp::And(_));
        let Val::Atom(l) = self.lower_expr(&b.left, out) else {
            return Val::Never;
        };
        let r = self.func.temp(Ty::Bool, span);
        out.push(Stmt::Let {
            pat: Pat::Var(r),
            init: None,
            span,
        });
        let mut rhs_block = Vec::new();
        if let Val::Atom(ra) = self.lower_expr(&b.right, &mut rhs_block) {
            self.assign(Place::var(r), ra, span, &mut rhs_block);
        }
        let short = vec![Stmt::Assign {
            place: Place::var(r),
            op: Op::Use(Atom::Const(Const::Lit(syn::Lit::Bool(syn::LitBool::new(
                !is_and, span,
            ))))),
            span,
        }];
        let (then, els) = if is_and {
            (rhs_block, short)
        } else {
            (short, rhs_block)
        };
        out.push(Stmt::If { cond: l, then, els });
        Val::Atom(Atom::Var(r))
    }

    pub(super) fn lower_match(&mut self, m: &syn::ExprMatch, out: &mut Block) -> Val {
        let span = span_of(m);
        let Val::Atom(scrut) = self.lower_expr(&m.expr, out) else {
            return Val::Never;
        };
        let scrut = Atom::Var(self.materialize(scrut, span_of(&m.expr), out));
        let at = out.len();
        let mut join = Join {
            result: None,
            diverges: true,
        };
        let mut block = Vec::new();
        self.lower_arms(&m.arms, &scrut, &mut join, &mut block);
        out.extend(block);
        self.finish_join(&join, at, span, out)
    }

    fn lower_arms(&mut self, arms: &[syn::Arm], scrut: &Atom, join: &mut Join, out: &mut Block) {
        let Some((arm, rest)) = arms.split_first() else {
            return;
        };
        let span = span_of(&arm.body);
        self.scopes.push(HashMap::new());
        // syn 3 parses a guard as part of the arm's pattern.
        let (pat, guard) = match &arm.pat {
            syn::Pat::Guard(g) => (&*g.pat, Some(&*g.guard)),
            p => (p, None),
        };
        let test = self.pattern_test(pat, scrut, out);
        let cond = match (&test, guard) {
            (Some(t), Some(guard)) => Some(self.and_then(t.clone(), guard, out)),
            (None, Some(guard)) => match self.lower_expr(guard, out) {
                Val::Atom(g) => Some(g),
                Val::Never => None,
            },
            (Some(t), None) => Some(t.clone()),
            (None, None) => None,
        };
        match cond {
            None => {
                // An irrefutable arm: later arms are unreachable.
                let v = self.lower_expr(&arm.body, out);
                self.join_branch(join, v, span, out);
                self.scopes.pop();
            }
            Some(c) => {
                let mut then = Vec::new();
                let v = self.lower_expr(&arm.body, &mut then);
                self.join_branch(join, v, span, &mut then);
                self.scopes.pop();
                let mut els = Vec::new();
                if rest.is_empty() {
                    // rustc has already checked exhaustiveness on `f` itself.
                    els.push(Stmt::Assert {
                        mac: syn::parse_quote!(::core::unreachable),
                        args: Vec::new(),
                        rest: proc_macro2::TokenStream::new(),
                    });
                } else {
                    self.lower_arms(rest, scrut, join, &mut els);
                }
                out.push(Stmt::If { cond: c, then, els });
            }
        }
    }

    /// `test && guard`, evaluating the guard only when the test holds.
    fn and_then(&mut self, test: Atom, guard: &syn::Expr, out: &mut Block) -> Atom {
        let span = span_of(guard);
        let r = self.func.temp(Ty::Bool, span);
        out.push(Stmt::Let {
            pat: Pat::Var(r),
            init: None,
            span,
        });
        let mut then = Vec::new();
        if let Val::Atom(g) = self.lower_expr(guard, &mut then) {
            self.assign(Place::var(r), g, span, &mut then);
        }
        let els = vec![Stmt::Assign {
            place: Place::var(r),
            op: Op::Use(Atom::Const(Const::Lit(syn::Lit::Bool(syn::LitBool::new(
                false, span,
            ))))),
            span,
        }];
        out.push(Stmt::If {
            cond: test,
            then,
            els,
        });
        Atom::Var(r)
    }

    /// The condition under which `pat` matches, or `None` if it always does.
    /// Binds the names the pattern introduces.
    fn pattern_test(&mut self, pat: &syn::Pat, scrut: &Atom, out: &mut Block) -> Option<Atom> {
        let span = span_of(pat);
        match pat {
            syn::Pat::Wild(_) => None,
            // `None`, `K`: syn cannot tell a constant from a binding; Rust
            // names constants and variants in upper case, bindings in lower.
            syn::Pat::Ident(pi) if pi.subpat.is_none() && is_constant_name(&pi.ident) => {
                let path: syn::Path = pi.ident.clone().into();
                self.constant_pattern(&path, scrut, span, out)
            }
            syn::Pat::Path(p) => self.constant_pattern(&p.path, scrut, span, out),
            syn::Pat::TupleStruct(ts) => self.variant_pattern(ts, scrut, out),
            syn::Pat::Ident(pi) if pi.by_ref.is_none() => {
                let test = match &pi.subpat {
                    Some((_, sub)) => self.pattern_test(sub, scrut, out),
                    None => None,
                };
                if let Atom::Var(v) = scrut {
                    self.bind(&pi.ident.to_string(), Binding::Var(*v));
                }
                test
            }
            syn::Pat::Lit(l) => {
                if let syn::Lit::Bool(b) = &l.lit {
                    return Some(if b.value {
                        scrut.clone()
                    } else {
                        self.emit(Op::Unary(UnOp::Not, scrut.clone()), span, out)
                    });
                }
                let Val::Atom(lit) = self.lower_expr(&syn::Expr::Lit(l.clone()), out) else {
                    return None;
                };
                Some(self.emit(Op::Bin(BinOp::Eq, scrut.clone(), lit), span, out))
            }
            syn::Pat::Range(r) => {
                let mut end = |e: &Option<Box<syn::Expr>>, this: &mut Self| match e {
                    Some(e) => match this.lower_expr(e, out) {
                        Val::Atom(a) => Ok(Some(a)),
                        _ => Err(()),
                    },
                    None => Ok(None),
                };
                let (Ok(lo), Ok(hi)) = (end(&r.start, self), end(&r.end, self)) else {
                    // `lower_expr` has reported why.
                    return None;
                };
                let op = Op::InRange {
                    x: scrut.clone(),
                    lo,
                    hi,
                    inclusive: matches!(r.limits, syn::RangeLimits::Closed(_)),
                };
                Some(self.emit(op, span, out))
            }
            syn::Pat::Or(o) => {
                let mut acc: Option<Atom> = None;
                for case in &o.cases {
                    let t = self.pattern_test(case, scrut, out)?;
                    acc = Some(match acc {
                        Some(prev) => self.emit(Op::Bin(BinOp::BitOr, prev, t), span, out),
                        None => t,
                    });
                }
                acc
            }
            syn::Pat::Paren(p) => self.pattern_test(&p.pat, scrut, out),
            _ => {
                self.error(pat, "this `match` pattern is not supported; supported are literals, ranges, constants, `|`, `_`, names, guards, and `Some`/`None`/`Ok`/`Err` of constants");
                None
            }
        }
    }

    /// A constant pattern: `None` tests `is_none()`, any other constant `==`.
    fn constant_pattern(
        &mut self,
        path: &syn::Path,
        scrut: &Atom,
        span: proc_macro2::Span,
        out: &mut Block,
    ) -> Option<Atom> {
        if path.is_ident("None") {
            let m = syn::Ident::new("is_none", span);
            return Some(self.emit(Op::Method(scrut.clone(), m, Vec::new()), span, out));
        }
        let c = Atom::Const(Const::Path(path.clone()));
        Some(self.emit(Op::Bin(BinOp::Eq, scrut.clone(), c), span, out))
    }

    /// `Some(p)`, `Ok(p)`, `Err(p)` on an `Option` or `Result` that carries
    /// no derivative (a constant parameter, say): the variant's test, and
    /// `p` matched against its payload. The payload is read with
    /// `unwrap_or_default()`, which cannot panic, so it can be read before
    /// the test is known to hold (the arm uses it only when it does).
    fn variant_pattern(
        &mut self,
        ts: &syn::PatTupleStruct,
        scrut: &Atom,
        out: &mut Block,
    ) -> Option<Atom> {
        let span = span_of(ts);
        let name = ts.path.get_ident().map(ToString::to_string);
        let (test, via) = match name.as_deref() {
            Some("Some") => ("is_some", None),
            Some("Ok") => ("is_ok", Some("ok")),
            Some("Err") => ("is_err", Some("err")),
            _ => {
                self.error(ts, "this `match` pattern is not supported; tuple-struct patterns are supported for `Some`, `Ok` and `Err` of constants; for your own types, pass the fields as parameters");
                return None;
            }
        };
        let [inner] = ts.elems.iter().collect::<Vec<_>>()[..] else {
            self.error(ts, "`Some`, `Ok` and `Err` patterns take one pattern");
            return None;
        };
        let method = |n: &str| syn::Ident::new(n, span);
        let is = self.emit(
            Op::Method(scrut.clone(), method(test), Vec::new()),
            span,
            out,
        );
        let option = match via {
            Some(v) => self.emit(Op::Method(scrut.clone(), method(v), Vec::new()), span, out),
            None => scrut.clone(),
        };
        let payload = self.emit(
            Op::Method(option, method("unwrap_or_default"), Vec::new()),
            span,
            out,
        );
        match self.pattern_test(inner, &payload, out) {
            Some(t) => Some(self.emit(Op::Bin(BinOp::BitAnd, is, t), span, out)),
            None => Some(is),
        }
    }

    pub(super) fn label_name(label: Option<&syn::Label>) -> Option<String> {
        label.map(|l| l.name.ident.to_string())
    }

    pub(super) fn lower_while(&mut self, w: &syn::ExprWhile, out: &mut Block) -> Val {
        let checkpoint = self.checkpoint_of(&w.attrs, out);
        let mut body = Vec::new();
        if let Val::Atom(c) = self.lower_expr(&w.cond, &mut body) {
            let span = span_of(&w.cond);
            let stop = self.emit(Op::Unary(UnOp::Not, c), span, &mut body);
            body.push(Stmt::If {
                cond: stop,
                then: vec![Stmt::Break(None)],
                els: Vec::new(),
            });
        }
        self.loops.push(LoopCtx {
            label: Self::label_name(w.label.as_ref()),
            result: None,
            is_for: true,
        });
        self.lower_block_scoped(&w.body, &mut body);
        self.loops.pop();
        self.count_iterations(checkpoint, &mut body, out);
        out.push(Stmt::Loop {
            body,
            label: w.label.as_ref().map(|l| l.name.clone()),
        });
        Val::Atom(Atom::Const(Const::Unit))
    }

    pub(super) fn lower_loop(&mut self, l: &syn::ExprLoop, out: &mut Block) -> Val {
        let checkpoint = self.checkpoint_of(&l.attrs, out);
        let span = span_of(l);
        let at = out.len();
        self.loops.push(LoopCtx {
            label: Self::label_name(l.label.as_ref()),
            result: None,
            is_for: false,
        });
        let mut body = Vec::new();
        self.lower_block_scoped(&l.body, &mut body);
        let ctx = self.loops.pop();
        self.count_iterations(checkpoint, &mut body, out);
        out.push(Stmt::Loop {
            body,
            label: l.label.as_ref().map(|l| l.name.clone()),
        });
        match ctx.and_then(|c| c.result) {
            Some(r) => {
                out.insert(
                    at,
                    Stmt::Let {
                        pat: Pat::Var(r),
                        init: None,
                        span,
                    },
                );
                Val::Atom(Atom::Var(r))
            }
            // A `loop` without `break` never ends normally.
            None if !contains_break(&out[out.len() - 1]) => Val::Never,
            None => Val::Atom(Atom::Const(Const::Unit)),
        }
    }

    fn find_loop(&mut self, label: Option<&syn::Lifetime>) -> Option<usize> {
        match label {
            None => self.loops.len().checked_sub(1),
            Some(l) => {
                let name = l.ident.to_string();
                self.loops
                    .iter()
                    .rposition(|c| c.label.as_deref() == Some(name.as_str()))
            }
        }
    }

    pub(super) fn lower_break(&mut self, b: &syn::ExprBreak, out: &mut Block) -> Val {
        let Some(idx) = self.find_loop(b.label.as_ref()) else {
            return self.error(b, "`break` outside of a loop, or with an unknown label");
        };
        if let Some(e) = &b.expr {
            if self.loops[idx].is_for {
                return self.error(b, "`break` with a value is only allowed in `loop`");
            }
            let Val::Atom(a) = self.lower_expr(e, out) else {
                return Val::Never;
            };
            let span = span_of(e);
            let r = match self.loops[idx].result {
                Some(r) => r,
                None => {
                    let r = self.func.temp(Ty::Unknown, span);
                    self.loops[idx].result = Some(r);
                    r
                }
            };
            self.assign(Place::var(r), a, span, out);
        }
        out.push(Stmt::Break(b.label.clone()));
        Val::Never
    }

    pub(super) fn lower_continue(&mut self, c: &syn::ExprContinue, out: &mut Block) -> Val {
        if self.find_loop(c.label.as_ref()).is_none() {
            return self.error(c, "`continue` outside of a loop, or with an unknown label");
        }
        out.push(Stmt::Continue(c.label.clone()));
        Val::Never
    }

    pub(super) fn lower_return(&mut self, r: &syn::ExprReturn, out: &mut Block) -> Val {
        match &r.expr {
            None => out.push(Stmt::Return(None)),
            Some(e) => {
                let Val::Atom(a) = self.lower_expect(e, self.ret_prec(), out) else {
                    return Val::Never;
                };
                if self.self_ret == Ty::Unit {
                    // `return g(x, out);` in a function returning `()`.
                    super::discard_tail(out, &a);
                    out.push(Stmt::Return(None));
                } else {
                    out.push(Stmt::Return(Some(Op::Use(a))));
                }
            }
        }
        Val::Never
    }
}

/// Whether a statement contains a `break` that targets it or an outer loop.
fn contains_break(s: &Stmt) -> bool {
    fn block(b: &Block, depth: usize) -> bool {
        b.iter().any(|s| stmt(s, depth))
    }
    fn stmt(s: &Stmt, depth: usize) -> bool {
        match s {
            Stmt::Break(None) => depth == 0,
            Stmt::Break(Some(_)) => true,
            Stmt::If { then, els, .. } => block(then, depth) || block(els, depth),
            Stmt::Loop { body, .. } | Stmt::For { body, .. } => block(body, depth + 1),
            _ => false,
        }
    }
    match s {
        Stmt::Loop { body, .. } => block(body, 0),
        _ => true,
    }
}

/// Whether a pattern name is a constant or a variant (`None`, `MAX`) rather
/// than a new binding.
fn is_constant_name(id: &syn::Ident) -> bool {
    id.to_string().starts_with(|c: char| c.is_ascii_uppercase())
}
