//! Linear combinations spelled as arithmetic, so that a derivative can be
//! differentiated again.
//!
//! The transformations write tangents and adjoint updates as [`Op::Lin`]
//! (`± value · mul / div ± ...`), which codegen prints compactly and which
//! no derivative rule covers: the rules apply to the user's operations, and
//! `Lin` is made after them. A second-order derivative differentiates the
//! output of a transformation, where `Lin` is everywhere, and its scale
//! atoms are primal values whose own derivatives matter (`t3_dot = t2_dot ·
//! cos t2` depends on `t2` through `cos t2`). This pass rewrites every
//! `Lin` into the `*`, `/`, `+`, `-` and negation it stands for, in
//! A-normal form, so the ordinary rules differentiate it:
//!
//! ```text
//! t3_dot = lin(+t2_dot * t4, -t1_dot / c)
//!   ⟶  let l0 = t2_dot * t4;  let l1 = t1_dot / c;  t3_dot = l0 - l1;
//! ```
//!
//! The result is valid IR of the same meaning: each term is one product
//! and one quotient, evaluated left to right as codegen prints them. A
//! `return` of an operation (`return (s, s_dot);`, as forward mode writes
//! its result) becomes a `let` and a `return` of the variable, as
//! lowering writes it, so that reverse mode seeds the cotangent there.

use proc_macro2::Span;

use crate::ir::{Atom, BinOp, Block, Func, Op, Pat, Stmt, Term, UnOp};

/// Rewrites every linear combination in `func` into arithmetic.
pub fn expand(func: &mut Func) {
    let mut body = std::mem::take(&mut func.body);
    block(func, &mut body);
    func.body = body;
}

fn block(func: &mut Func, b: &mut Block) {
    let old = std::mem::take(b);
    for mut s in old {
        for inner in s.blocks_mut() {
            block(func, inner);
        }
        match s {
            Stmt::Let {
                pat: Pat::Var(v),
                init: Some(Op::Lin(terms)),
                span,
            } => {
                let op = combine(func, &terms, span, b);
                b.push(Stmt::Let {
                    pat: Pat::Var(v),
                    init: Some(op),
                    span,
                });
            }
            Stmt::Assign {
                place,
                op: Op::Lin(terms),
                span,
            } => {
                let mut op = combine(func, &terms, span, b);
                let reads_target = crate::ir::op_reads(&op).contains(&place.base);
                if reads_target && !crate::ir::may_read_target(&op, place.base) {
                    // `s = -s` is not A-normal form's `Assign`: compute first.
                    op = Op::Use(bind(func, op, span, b));
                }
                b.push(Stmt::Assign { place, op, span });
            }
            Stmt::Accum {
                place,
                op: Op::Lin(terms),
                span,
            } => {
                let op = combine(func, &terms, span, b);
                b.push(Stmt::Accum { place, op, span });
            }
            Stmt::Return(Some(op)) if !matches!(op, Op::Use(_)) => {
                // Lowering returns atoms (`let t = (s, q); return t;`), and
                // reverse mode seeds the cotangent through that `let`.
                let span = Span::call_site();
                let op = match op {
                    Op::Lin(terms) => combine(func, &terms, span, b),
                    op => op,
                };
                let t = bind(func, op, span, b);
                b.push(Stmt::Return(Some(Op::Use(t))));
            }
            mut other => {
                // A `Lin` anywhere else (a tuple `let`, an `Eval`) is bound
                // to a temporary first.
                if let Some(op) = lin_op_mut(&mut other) {
                    let terms = match std::mem::replace(op, Op::Default) {
                        Op::Lin(terms) => terms,
                        _ => Vec::new(),
                    };
                    let span = Span::call_site();
                    let value = combine(func, &terms, span, b);
                    let t = bind(func, value, span, b);
                    *op = Op::Use(t);
                }
                b.push(other);
            }
        }
    }
}

/// The operation of `s` if it is a linear combination.
fn lin_op_mut(s: &mut Stmt) -> Option<&mut Op> {
    let op = match s {
        Stmt::Let { init: Some(op), .. }
        | Stmt::Assign { op, .. }
        | Stmt::Eval { op, .. }
        | Stmt::Accum { op, .. }
        | Stmt::Return(Some(op)) => op,
        _ => return None,
    };
    matches!(op, Op::Lin(_)).then_some(op)
}

/// The last operation of the arithmetic for `terms`, after the statements
/// that compute its operands (appended to `out`). Reads of the assigned
/// variable stay in those statements or in a final `+`/`-`, which an
/// `Assign` may read its target in.
fn combine(func: &mut Func, terms: &[Term], span: Span, out: &mut Block) -> Op {
    let parts: Vec<(bool, Atom)> = terms
        .iter()
        .map(|t| (t.scale.neg, scaled(func, t, span, out)))
        .collect();
    let mut parts = parts.into_iter();
    let Some((neg, first)) = parts.next() else {
        return Op::Use(Atom::float(0.0));
    };
    let mut acc = if neg {
        Op::Unary(UnOp::Neg, first)
    } else {
        Op::Use(first)
    };
    for (neg, p) in parts {
        let a = match acc {
            Op::Use(a) => a,
            op => bind(func, op, span, out),
        };
        acc = Op::Bin(if neg { BinOp::Sub } else { BinOp::Add }, a, p);
    }
    acc
}

/// `value · mul / div` of one term, without its sign.
fn scaled(func: &mut Func, t: &Term, span: Span, out: &mut Block) -> Atom {
    let mut a = t.value.clone();
    if let Some(m) = &t.scale.mul {
        a = bind(func, Op::Bin(BinOp::Mul, a, m.clone()), span, out);
    }
    if let Some(d) = &t.scale.div {
        a = bind(func, Op::Bin(BinOp::Div, a, d.clone()), span, out);
    }
    a
}

fn bind(func: &mut Func, op: Op, span: Span, out: &mut Block) -> Atom {
    let ty = crate::typing::op_ty(func, &op);
    let v = func.temp(ty, span);
    out.push(Stmt::Let {
        pat: Pat::Var(v),
        init: Some(op),
        span,
    });
    Atom::Var(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Origin, Place, Scale, VarInfo};
    use crate::ty::Ty;

    /// A parameter `name: f64`, so that the verifier sees it declared.
    fn var(f: &mut Func, name: &str) -> Atom {
        let v = f.new_var(VarInfo {
            name: name.into(),
            span: Span::call_site(),
            ty: Ty::Float(None),
            mutable: true,
            origin: Origin::User,
            declared: None,
        });
        f.params.push(crate::ir::Param {
            var: v,
            ty: syn::parse_quote!(f64),
            role: crate::ir::Role::Constant,
        });
        Atom::Var(v)
    }

    #[test]
    fn terms_become_products_sums_and_differences() {
        let mut f = Func {
            vars: Vec::new(),
            params: Vec::new(),
            ret: None,
            body: Vec::new(),
            checkpoints: Vec::new(),
        };
        let (a, b, m, d) = (
            var(&mut f, "a"),
            var(&mut f, "b"),
            var(&mut f, "m"),
            var(&mut f, "d"),
        );
        let s = a.var().unwrap_or(crate::ir::VarId(0));
        let terms = vec![
            Term {
                value: a.clone(),
                scale: Scale::neg(),
            },
            Term {
                value: b.clone(),
                scale: Scale {
                    neg: false,
                    mul: Some(m.clone()),
                    div: Some(d.clone()),
                },
            },
        ];
        f.body.push(Stmt::Assign {
            place: Place::var(s),
            op: Op::Lin(terms),
            span: Span::call_site(),
        });
        expand(&mut f);
        let text = crate::ir::print(&f);
        // -a + b · m / d, left to right, the assignment last.
        let expected = "fn(a: f64 [constant], b: f64 [constant], m: f64 [constant], d: f64 [constant]) {\n    let t0 = b * m;\n    let t1 = t0 / d;\n    let t2 = -a;\n    a = t2 + t1;\n}\n";
        assert_eq!(text, expected);
        assert!(crate::verify::after("test", &f).is_ok(), "{text}");
    }
}
