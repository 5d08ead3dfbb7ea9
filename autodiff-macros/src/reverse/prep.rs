//! Preparation passes that make a function reversible, IR to IR.
//!
//! - A `&mut` (or `&`) local pointing into a place is replaced by the place
//!   itself, so the reverse sweep can address the matching adjoint place
//!   without holding two mutable borrows.
//! - A `let y;` initialised later gets an initial value, so that every path
//!   through the forward sweep can record `y` (a join variable of an `if`
//!   expression is read by the reverse sweep even where it was never set).

use std::collections::{HashMap, HashSet};

use crate::diag::Diags;
use crate::ir::{Arg, Atom, Block, Const, Func, Op, Pat, Place, Proj, Stmt, VarId};
use crate::ty::Ty;

/// Variables that `prep` initialised and that are assigned at most once per
/// path: writing them never needs the old value restored.
pub type SingleAssign = HashSet<VarId>;

pub fn prepare(func: &Func, diags: &mut Diags) -> (Func, SingleAssign) {
    let mut out = func.clone();
    let mut refs = HashMap::new();
    collect_refs(&func.body, &mut refs);
    let written = super::analysis::written(&func.body);
    for (r, p) in &refs {
        if p.index_vars_any(|v| written.contains(&v)) {
            diags.error(
                func.info(*r).span,
                "reverse mode needs the index of a reference (`&mut a[i]`) to stay fixed while the reference lives; copy the index into a new `let`",
            );
        }
    }
    let mut single = HashSet::new();
    out.body = rewrite(&func.body, &refs, &mut out, &mut single, diags);
    (out, single)
}

impl Place {
    fn index_vars_any(&self, mut f: impl FnMut(VarId) -> bool) -> bool {
        self.proj.iter().any(|p| match p {
            Proj::Index(Atom::Var(v)) => f(*v),
            _ => false,
        })
    }
}

fn collect_refs(b: &Block, refs: &mut HashMap<VarId, Place>) {
    for s in b {
        match s {
            Stmt::Let {
                pat: Pat::Var(r),
                init: Some(Op::Ref(p, _)),
                ..
            } => {
                let p = resolve(p, refs);
                refs.insert(*r, p);
            }
            Stmt::If { then, els, .. } => {
                collect_refs(then, refs);
                collect_refs(els, refs);
            }
            Stmt::For { body, .. } | Stmt::Loop { body, .. } => collect_refs(body, refs),
            _ => {}
        }
    }
}

/// `*r` and `r[i]` become the place `r` points to.
fn resolve(p: &Place, refs: &HashMap<VarId, Place>) -> Place {
    match refs.get(&p.base) {
        Some(target) => {
            let mut out = target.clone();
            let rest = match p.proj.first() {
                Some(Proj::Deref) => &p.proj[1..],
                _ => &p.proj[..],
            };
            out.proj.extend(rest.iter().cloned());
            out
        }
        None => p.clone(),
    }
}

fn rewrite(
    b: &Block,
    refs: &HashMap<VarId, Place>,
    func: &mut Func,
    single: &mut SingleAssign,
    diags: &mut Diags,
) -> Block {
    let mut out = Vec::new();
    for s in b {
        let s = match s {
            Stmt::Let {
                pat: Pat::Var(r),
                init: Some(Op::Ref(..)),
                ..
            } if refs.contains_key(r) => continue,
            Stmt::Let {
                pat: Pat::Var(v),
                init: None,
                span,
            } => {
                let info = &mut func.vars[v.0];
                if !info.mutable {
                    single.insert(*v);
                }
                info.mutable = true;
                let init = match &info.ty {
                    Ty::Float(_) => Op::Use(Atom::float(0.0)),
                    Ty::Bool => Op::Use(Atom::Const(Const::Lit(syn::parse_quote!(false)))),
                    _ => Op::Default,
                };
                Stmt::Let {
                    pat: Pat::Var(*v),
                    init: Some(init),
                    span: *span,
                }
            }
            Stmt::Let { pat, init, span } => Stmt::Let {
                pat: pat.clone(),
                init: init.as_ref().map(|op| op_refs(op, refs, func, diags)),
                span: *span,
            },
            Stmt::Assign { place, op, span } => Stmt::Assign {
                place: resolve(place, refs),
                op: op_refs(op, refs, func, diags),
                span: *span,
            },
            Stmt::Eval { op, span } => Stmt::Eval {
                op: op_refs(op, refs, func, diags),
                span: *span,
            },
            Stmt::Return(Some(op)) => Stmt::Return(Some(op_refs(op, refs, func, diags))),
            Stmt::If { cond, then, els } => Stmt::If {
                cond: cond.clone(),
                then: rewrite(then, refs, func, single, diags),
                els: rewrite(els, refs, func, single, diags),
            },
            Stmt::For {
                var,
                range,
                body,
                label,
            } => Stmt::For {
                var: *var,
                range: range.clone(),
                body: rewrite(body, refs, func, single, diags),
                label: label.clone(),
            },
            Stmt::Loop { body, label } => Stmt::Loop {
                body: rewrite(body, refs, func, single, diags),
                label: label.clone(),
            },
            other => other.clone(),
        };
        out.push(s);
    }
    out
}

fn op_refs(op: &Op, refs: &HashMap<VarId, Place>, func: &Func, diags: &mut Diags) -> Op {
    if refs.is_empty() {
        return op.clone();
    }
    let mut bad = false;
    let mut check = |a: &Atom| {
        if a.var().is_some_and(|v| refs.contains_key(&v)) {
            bad = true;
        }
    };
    let op = match op {
        Op::Load(p) => Op::Load(resolve(p, refs)),
        Op::Len(p) => Op::Len(resolve(p, refs)),
        Op::Ref(p, m) => Op::Ref(resolve(p, refs), *m),
        Op::Call(c, args) => Op::Call(
            c.clone(),
            args.iter()
                .map(|a| match a {
                    Arg::Value(Atom::Var(v)) if refs.contains_key(v) => {
                        let p = resolve(
                            &Place {
                                base: *v,
                                proj: vec![Proj::Deref],
                            },
                            refs,
                        );
                        if matches!(func.info(*v).ty, Ty::Ref(true, _)) {
                            Arg::RefMut(p)
                        } else {
                            Arg::Ref(p)
                        }
                    }
                    Arg::Ref(p) => Arg::Ref(resolve(p, refs)),
                    Arg::RefMut(p) => Arg::RefMut(resolve(p, refs)),
                    other => other.clone(),
                })
                .collect(),
        ),
        other => {
            crate::ir::op_atoms(other, &mut check);
            other.clone()
        }
    };
    if bad {
        diags.error(
            proc_macro2::Span::call_site(),
            "reverse mode supports references to places only through `*r`, `r[i]` and passing `r` to a function",
        );
    }
    op
}
