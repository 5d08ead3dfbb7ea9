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
    let mut chosen = func.clone();
    super::choice::split(&mut chosen, diags);
    let func = &chosen;
    let mut out = func.clone();
    let mut refs = HashMap::new();
    collect_refs(&func.body, &mut refs);
    // References used other than through `*r`, `r[i]` or as a call argument
    // stay as they are. In a method call, activity analysis reports them if
    // they matter; elsewhere reverse mode cannot follow them.
    let mut other_uses = HashMap::new();
    find_other_uses(&func.body, &refs, &mut other_uses);
    for (r, in_method) in other_uses {
        refs.remove(&r);
        if !in_method {
            diags.error(
                func.info(r).span,
                "reverse mode supports a reference (`let r = &mut a[i]`) only through `*r`, `r[i]` and passing `r` to a function",
            );
        }
    }
    let written = crate::ir::written(&func.body);
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
        self.proj
            .iter()
            .flat_map(Proj::atoms)
            .any(|a| a.var().is_some_and(&mut f))
    }
}

/// Reference variables read as plain values; `true` when only by methods.
fn find_other_uses(b: &Block, refs: &HashMap<VarId, Place>, out: &mut HashMap<VarId, bool>) {
    let note = |op: &Op, out: &mut HashMap<VarId, bool>| {
        // A nalgebra operation reads its operands by reference: reverse
        // mode sends their adjoints to the place (`adjoint.rs`).
        let in_method = matches!(op, Op::Method(..) | Op::La(..));
        let mut atoms = Vec::new();
        match op {
            // Places and call arguments are resolved.
            Op::Load(_) | Op::Len(_) | Op::Ref(..) | Op::Call(..) => {}
            other => crate::ir::op_atoms(other, &mut |a| atoms.extend(a.var())),
        }
        for v in atoms.into_iter().filter(|v| refs.contains_key(v)) {
            let e = out.entry(v).or_insert(true);
            *e = *e && in_method;
        }
    };
    for s in b {
        match s {
            Stmt::Let { init: Some(op), .. }
            | Stmt::Assign { op, .. }
            | Stmt::Eval { op, .. }
            | Stmt::Return(Some(op)) => {
                note(op, out);
            }
            Stmt::If { cond, then, els } => {
                if let Some(v) = cond.var().filter(|v| refs.contains_key(v)) {
                    out.insert(v, false);
                }
                find_other_uses(then, refs, out);
                find_other_uses(els, refs, out);
            }
            Stmt::For { body, .. } | Stmt::Loop { body, .. } => find_other_uses(body, refs, out),
            _ => {}
        }
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
                init: init.as_ref().map(|op| op_refs(op, refs, func)),
                span: *span,
            },
            Stmt::Assign {
                op: Op::Ref(p, _),
                span,
                ..
            } if matches!(p.proj.last(), Some(Proj::Slice(_))) => {
                diags.error(
                    *span,
                    "reverse mode does not support reassigning a reference to a sub-slice (`r = &x[a..b]`); bind each sub-slice with its own `let`, or take it where it is used (`g(&x[a..b])`, `for v in &x[a..b]`)",
                );
                s.clone()
            }
            Stmt::Assign {
                op: Op::Ref(..),
                span,
                ..
            } => {
                diags.error(
                    *span,
                    "reverse mode does not support a reference chosen at run time (`let r = if c { &mut a } else { &mut b }`); choose an index instead and write through it (`v[k] += ...`)",
                );
                s.clone()
            }
            Stmt::Assign { place, op, span } => Stmt::Assign {
                place: resolve(place, refs),
                op: op_refs(op, refs, func),
                span: *span,
            },
            Stmt::Eval { op, span } => Stmt::Eval {
                op: op_refs(op, refs, func),
                span: *span,
            },
            Stmt::Return(Some(op)) => Stmt::Return(Some(op_refs(op, refs, func))),
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

fn op_refs(op: &Op, refs: &HashMap<VarId, Place>, func: &Func) -> Op {
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
                    // A `&mut` parameter passed on (`g(v)`) is a buffer the
                    // callee writes, like `g(&mut a)`: make that explicit.
                    Arg::Value(Atom::Var(v)) if matches!(func.info(*v).ty, Ty::Ref(true, _)) => {
                        Arg::RefMut(Place {
                            base: *v,
                            proj: vec![Proj::Deref],
                        })
                    }
                    Arg::Ref(p) => Arg::Ref(resolve(p, refs)),
                    Arg::RefMut(p) => Arg::RefMut(resolve(p, refs)),
                    other => other.clone(),
                })
                .collect(),
        ),
        other => other.clone(),
    };
    op
}
