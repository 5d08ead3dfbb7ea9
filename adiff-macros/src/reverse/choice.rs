//! References chosen at run time, for reverse mode.
//!
//! `let r = if c { &mut a } else { &mut b }; *r += x;` has no fixed place for
//! the reverse sweep to address. This pass replaces `r` by the index of the
//! choice (`r_choice = 0` or `1`), and each statement that uses `r` by a
//! branch over the places it can point to. The result is ordinary IR.

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;

use crate::diag::Diags;
use crate::ir::{
    Arg, Atom, BinOp, Block, Const, Func, Op, Origin, Pat, Place, Proj, Stmt, VarId, VarInfo,
};
use crate::ty::Ty;

/// The places each chosen reference may point to, and whether it is `&mut`.
type Choices = HashMap<VarId, (Vec<Place>, bool)>;

pub fn split(func: &mut Func, diags: &mut Diags) {
    let mut choices = Choices::new();
    collect(&func.body, &mut choices);
    // Only references declared without a value and set by `r = &place`.
    let deferred = deferred_vars(&func.body);
    choices.retain(|r, _| deferred.contains(r));
    if choices.is_empty() {
        return;
    }
    let written = crate::ir::written(&func.body);
    for (r, (places, _)) in &choices {
        if places.iter().any(|p| {
            p.proj
                .iter()
                .flat_map(Proj::atoms)
                .any(|a| matches!(a, Atom::Var(v) if written.contains(v)))
        }) {
            diags.error(
                func.info(*r).span,
                "reverse mode needs the index of a reference (`&mut a[i]`) to stay fixed while the reference lives; copy the index into a new `let`",
            );
        }
    }
    let tags: HashMap<VarId, VarId> = choices
        .keys()
        .map(|r| {
            let info = func.info(*r).clone();
            let tag = func.new_var(VarInfo {
                name: format!("{}_choice", info.name),
                span: info.span,
                ty: Ty::Int,
                mutable: true,
                origin: Origin::User,
                declared: None,
            });
            (*r, tag)
        })
        .collect();
    let body = std::mem::take(&mut func.body);
    let mut next = HashMap::new();
    func.body = rewrite(&body, &choices, &tags, &mut next, func, diags);
}

fn deferred_vars(b: &Block) -> HashSet<VarId> {
    let mut out = HashSet::new();
    for s in b {
        match s {
            Stmt::Let {
                pat: Pat::Var(v),
                init: None,
                ..
            } => {
                out.insert(*v);
            }
            Stmt::If { then, els, .. } => {
                out.extend(deferred_vars(then));
                out.extend(deferred_vars(els));
            }
            Stmt::For { body, .. } | Stmt::Loop { body, .. } => out.extend(deferred_vars(body)),
            _ => {}
        }
    }
    out
}

fn collect(b: &Block, out: &mut Choices) {
    for s in b {
        match s {
            Stmt::Assign {
                place,
                op: Op::Ref(p, m),
                ..
            } if place.proj.is_empty() => {
                let e = out.entry(place.base).or_insert((Vec::new(), *m));
                e.0.push(p.clone());
            }
            Stmt::If { then, els, .. } => {
                collect(then, out);
                collect(els, out);
            }
            Stmt::For { body, .. } | Stmt::Loop { body, .. } => collect(body, out),
            _ => {}
        }
    }
}

fn lit(k: usize) -> Atom {
    Atom::Const(Const::Lit(syn::Lit::Int(syn::LitInt::new(
        &format!("{k}usize"),
        Span::call_site(),
    ))))
}

/// The chosen reference a statement uses, if any.
fn uses_choice(s: &Stmt, choices: &Choices) -> Option<VarId> {
    let reads = match s {
        Stmt::Let { init: Some(op), .. } | Stmt::Eval { op, .. } | Stmt::Return(Some(op)) => {
            crate::ir::op_reads(op)
        }
        Stmt::Assign { place, op, .. } => {
            let mut r = crate::ir::op_reads(op);
            r.push(place.base);
            r
        }
        _ => Vec::new(),
    };
    reads.into_iter().find(|v| choices.contains_key(v))
}

/// `next` counts the `r = &place` assignments seen, in the same pre-order as
/// `collect`, so the k-th assignment sets choice k.
fn rewrite(
    b: &Block,
    choices: &Choices,
    tags: &HashMap<VarId, VarId>,
    next: &mut HashMap<VarId, usize>,
    func: &mut Func,
    diags: &mut Diags,
) -> Block {
    let mut out = Vec::new();
    for s in b {
        match s {
            Stmt::Let {
                pat: Pat::Var(r),
                init: None,
                span,
            } if choices.contains_key(r) => {
                out.push(Stmt::Let {
                    pat: Pat::Var(tags[r]),
                    init: Some(Op::Use(lit(0))),
                    span: *span,
                });
            }
            Stmt::Assign {
                place,
                op: Op::Ref(..),
                span,
            } if place.proj.is_empty() && choices.contains_key(&place.base) => {
                let counter = next.entry(place.base).or_insert(0);
                let k = *counter;
                *counter += 1;
                out.push(Stmt::Assign {
                    place: Place::var(tags[&place.base]),
                    op: Op::Use(lit(k)),
                    span: *span,
                });
            }
            Stmt::If { cond, then, els } => out.push(Stmt::If {
                cond: cond.clone(),
                then: rewrite(then, choices, tags, next, func, diags),
                els: rewrite(els, choices, tags, next, func, diags),
            }),
            Stmt::For {
                var,
                range,
                body,
                label,
            } => out.push(Stmt::For {
                var: *var,
                range: range.clone(),
                body: rewrite(body, choices, tags, next, func, diags),
                label: label.clone(),
            }),
            Stmt::Loop { body, label } => out.push(Stmt::Loop {
                body: rewrite(body, choices, tags, next, func, diags),
                label: label.clone(),
            }),
            s => match uses_choice(s, choices) {
                None => out.push(s.clone()),
                Some(r) => dispatch(s, r, choices, tags, func, diags, &mut out),
            },
        }
    }
    out
}

/// `s` once per place `r` may point to, selected by `r`'s choice.
fn dispatch(
    s: &Stmt,
    r: VarId,
    choices: &Choices,
    tags: &HashMap<VarId, VarId>,
    func: &mut Func,
    diags: &mut Diags,
    out: &mut Block,
) {
    let (places, mutable) = &choices[&r];
    // `let t = f(*r)` becomes `let t;` and an assignment in each branch.
    let stmt = match s {
        Stmt::Let {
            pat: Pat::Var(t),
            init: Some(op),
            span,
        } => {
            out.push(Stmt::Let {
                pat: Pat::Var(*t),
                init: None,
                span: *span,
            });
            Stmt::Assign {
                place: Place::var(*t),
                op: op.clone(),
                span: *span,
            }
        }
        other => other.clone(),
    };
    let mut branches: Vec<Block> = Vec::new();
    for p in places {
        let one = subst_stmt(&stmt, r, p, *mutable, diags);
        // A statement may use a second chosen reference (a call given
        // `r` and, in a derivative of a derivative, its tangent `r_dot`):
        // each branch then dispatches on that one too.
        let mut branch = Vec::new();
        match uses_choice(&one, choices) {
            Some(r2) if r2 != r => dispatch(&one, r2, choices, tags, func, diags, &mut branch),
            _ => branch.push(one),
        }
        branches.push(branch);
    }
    let mut chain = branches.pop().unwrap_or_default();
    for (k, branch) in branches.into_iter().enumerate().rev() {
        let c = func.temp(Ty::Bool, Span::call_site());
        let mut block = vec![Stmt::Let {
            pat: Pat::Var(c),
            init: Some(Op::Bin(BinOp::Eq, Atom::Var(tags[&r]), lit(k))),
            span: Span::call_site(),
        }];
        block.push(Stmt::If {
            cond: Atom::Var(c),
            then: branch,
            els: chain,
        });
        chain = block;
    }
    out.extend(chain);
}

fn resolve(p: &Place, r: VarId, target: &Place) -> Place {
    if p.base != r {
        return p.clone();
    }
    let mut out = target.clone();
    let rest = match p.proj.first() {
        Some(Proj::Deref) => &p.proj[1..],
        _ => &p.proj[..],
    };
    out.proj.extend(rest.iter().cloned());
    out
}

fn subst_stmt(s: &Stmt, r: VarId, target: &Place, mutable: bool, diags: &mut Diags) -> Stmt {
    match s {
        Stmt::Assign { place, op, span } => Stmt::Assign {
            place: resolve(place, r, target),
            op: subst_op(op, r, target, mutable, diags),
            span: *span,
        },
        Stmt::Eval { op, span } => Stmt::Eval {
            op: subst_op(op, r, target, mutable, diags),
            span: *span,
        },
        Stmt::Return(Some(op)) => Stmt::Return(Some(subst_op(op, r, target, mutable, diags))),
        other => other.clone(),
    }
}

fn subst_op(op: &Op, r: VarId, target: &Place, mutable: bool, diags: &mut Diags) -> Op {
    match op {
        Op::Load(p) => Op::Load(resolve(p, r, target)),
        Op::Len(p) => Op::Len(resolve(p, r, target)),
        Op::Ref(p, m) => Op::Ref(resolve(p, r, target), *m),
        Op::Call(c, args) => Op::Call(
            c.clone(),
            args.iter()
                .map(|a| match a {
                    Arg::Value(Atom::Var(v)) if *v == r => {
                        if mutable {
                            Arg::RefMut(target.clone())
                        } else {
                            Arg::Ref(target.clone())
                        }
                    }
                    Arg::Ref(p) => Arg::Ref(resolve(p, r, target)),
                    Arg::RefMut(p) => Arg::RefMut(resolve(p, r, target)),
                    other => other.clone(),
                })
                .collect(),
        ),
        other => {
            let mut uses_r = false;
            crate::ir::op_atoms(other, &mut |a| uses_r |= a.var() == Some(r));
            if uses_r {
                diags.error(
                    Span::call_site(),
                    "reverse mode supports a reference chosen at run time only through `*r`, `r[i]` and passing `r` to a function",
                );
            }
            other.clone()
        }
    }
}
