//! The reverse sweep of a call, in joint mode: the callee ran in the
//! forward sweep, and its `_vjp` runs here, after the `&mut` buffers it
//! wrote are put back to their contents before the call.

use proc_macro2::Span;

use super::forward_sweep::lit_usize;
use super::{Gen, TapeKind};
use crate::convention::Kind;
use crate::ir::StmtId;
use crate::ir::{
    Arg, Atom, BinOp, Block, Callee, Op, Place, Proj, Range, RangeAdapter, Stmt, VarId,
};
use crate::ty::Ty;

impl Gen<'_> {
    /// The reverse of a call (joint mode): restore the `&mut` arguments to
    /// their contents before the call, run the callee's `_vjp` with the
    /// result's adjoint, and restore them again if they are read later.
    pub(super) fn rev_call(
        &mut self,
        op: &Op,
        dst: Option<VarId>,
        at: StmtId,
        seed: Option<Atom>,
        seed_is_shape: bool,
        out: &mut Block,
    ) {
        let Op::Call(callee, args) = op else { return };
        let active = self.needs.call_active(op, dst);
        let mut restore_after = Vec::new();
        for a in args {
            if let Arg::RefMut(p) = a {
                let restore = self.needs.restore(p.base, at);
                if restore {
                    restore_after.push(p.clone());
                }
                if active && restore {
                    self.restore_buffer(p, true, out);
                } else if active {
                    self.restore_buffer(p, false, out);
                }
            }
        }
        if active {
            let mut new_args = Vec::new();
            // Adjoints that alias one another (`g(&x[1..], &x[..n - 1])`)
            // cannot be two `&mut` arguments: all but the first get a
            // scratch zero, added into the adjoint after the call.
            let mut adjoint_bases = Vec::new();
            let mut add_back = Vec::new();
            for a in args {
                let sa = self.sub_arg(a);
                new_args.push(sa.clone());
                if let Arg::ZeroOf(_) = a {
                    // A zero tangent forward mode passed to `g_jvp`: a
                    // differentiable parameter of `g_jvp`, so `g_jvp_vjp`
                    // takes an adjoint for it, which is discarded.
                    if let Arg::ZeroOf(inner) = &sa {
                        new_args.push(Arg::MutZeroOf(inner.clone()));
                    }
                    continue;
                }
                let (is_active, ty) = match a {
                    Arg::Value(x) => (
                        self.needs.active_atom(x),
                        crate::typing::atom_ty(&self.f, x),
                    ),
                    Arg::Ref(p) | Arg::RefMut(p) => (
                        self.needs.active(p.base),
                        crate::typing::place_ty(&self.f, p),
                    ),
                    _ => continue,
                };
                let adj = if is_active {
                    match a {
                        Arg::Value(Atom::Var(v)) => self.bar_arg_place(*v),
                        Arg::Ref(p) | Arg::RefMut(p) => self.bar_place(p),
                        _ => None,
                    }
                } else {
                    None
                };
                match adj {
                    Some(p) if adjoint_bases.contains(&p.base) => {
                        let scratch = self.scratch_adjoint(&sa, &ty, out);
                        new_args.push(Arg::RefMut(Place::var(scratch)));
                        add_back.push(Stmt::Accum {
                            place: p,
                            op: Op::Use(Atom::Var(scratch)),
                            span: Span::call_site(),
                        });
                    }
                    Some(p) => {
                        adjoint_bases.push(p.base);
                        new_args.push(Arg::RefMut(p));
                    }
                    None if ty.is_differentiable() || (is_active && !ty.is_constant()) => {
                        new_args.push(Arg::MutZeroOf(Box::new(sa)))
                    }
                    None if !ty.is_constant() => self.constant_arg(&sa, at, out),
                    None => {}
                }
            }
            if let Some(seed) = seed {
                let scalar = matches!(crate::typing::atom_ty(&self.f, &seed), Ty::Float(_));
                if seed_is_shape && scalar {
                    // The discarded result's cotangent: plain zero.
                    new_args.push(Arg::Value(Atom::float(0.0)));
                } else if seed_is_shape {
                    new_args.push(Arg::ZeroOf(Box::new(Arg::Value(seed))));
                } else {
                    new_args.push(Arg::Value(seed));
                }
            }
            // The VJP of a call to `g_jvp` (reverse over forward mode's
            // output) is `g_jvp_vjp`.
            let derivative = match callee.derivative {
                Some(Kind::Jvp) => Kind::JvpVjp,
                _ => Kind::Vjp,
            };
            let callee = Callee {
                path: callee.path.clone(),
                derivative: Some(derivative),
                opaque: false,
            };
            out.push(Stmt::Eval {
                op: Op::Call(callee, new_args),
                span: Span::call_site(),
            });
            out.extend(add_back);
        }
        for p in restore_after {
            self.restore_buffer(&p, false, out);
        }
    }

    /// `a` with the reverse sweep's names for the values it reads.
    fn sub_arg(&self, a: &Arg) -> Arg {
        match a {
            Arg::Value(x) => Arg::Value(self.sub_atom(x)),
            Arg::Ref(p) => Arg::Ref(self.sub_place(p)),
            Arg::RefMut(p) => Arg::RefMut(self.sub_place(p)),
            Arg::ZeroOf(inner) => Arg::ZeroOf(Box::new(self.sub_arg(inner))),
            Arg::MutZeroOf(inner) => Arg::MutZeroOf(Box::new(self.sub_arg(inner))),
        }
    }

    /// An inactive argument of a type the macro cannot tell (`m.bones()` on
    /// a constant `m`) gets no adjoint, as in forward mode; rustc checks
    /// that its type carries no derivative, with the same message.
    fn constant_arg(&mut self, a: &Arg, at: StmtId, out: &mut Block) {
        let span = match self.stmts.get(&at) {
            Some(Stmt::Let { span, .. } | Stmt::Assign { span, .. } | Stmt::Eval { span, .. }) => {
                *span
            }
            _ => Span::call_site(),
        };
        let v = match a {
            Arg::Value(Atom::Var(v)) => *v,
            Arg::Ref(p) | Arg::RefMut(p) => match self.temp(Op::Ref(p.clone(), false), out) {
                Atom::Var(v) => v,
                Atom::Const(_) => return,
            },
            _ => return,
        };
        out.push(crate::forward::constant_check(v, span));
    }

    /// A zero adjoint for the (reverse-sweep) argument `arg`, of type `ty`,
    /// owned by the reverse sweep: `0.0` for a scalar, a zero `Vec` for a
    /// slice, otherwise a zero shaped like the value.
    fn scratch_adjoint(&mut self, arg: &Arg, ty: &Ty, out: &mut Block) -> VarId {
        let init = match (arg, ty.deref()) {
            (Arg::Value(x), t) if matches!(ty, Ty::Ref(..)) => zero_of_ref(x.clone(), t),
            (Arg::Value(x), t) if !matches!(t, Ty::Float(_)) => Op::ZeroLike(x.clone()),
            (Arg::Ref(p) | Arg::RefMut(p), t) if !matches!(t, Ty::Float(_)) => {
                let r = self.temp(Op::Ref(p.clone(), false), out);
                zero_of_ref(r, t)
            }
            // Scalars (and the zero arguments, which never alias).
            _ => Op::Use(Atom::float(0.0)),
        };
        let v = self
            .f
            .temp(crate::typing::op_ty(&self.f, &init), Span::call_site());
        let info = &mut self.f.vars[v.0];
        info.mutable = true;
        info.name = "scratch_bar".into();
        out.push(Stmt::Let {
            pat: crate::ir::Pat::Var(v),
            init: Some(init),
            span: Span::call_site(),
        });
        v
    }

    /// Puts the recorded contents of `p` back. `peek` leaves them on the
    /// tape, for a second restore after the callee's `_vjp`; otherwise they
    /// are popped.
    pub(super) fn restore_buffer(&mut self, p: &Place, peek: bool, out: &mut Block) {
        let sp = self.sub_place(p);
        let ty = crate::typing::place_ty(&self.f, p);
        let t = self.tape(p.base, TapeKind::Buffer);
        if !matches!(ty.deref(), Ty::Slice(_) | Ty::Vec(_)) {
            let op = if peek {
                Op::TapePeek(t, lit_usize(0))
            } else {
                Op::TapePop(t)
            };
            out.push(Stmt::Assign {
                place: sp,
                op,
                span: Span::call_site(),
            });
            return;
        }
        // Element by element, as recorded, so restoring does not allocate.
        let len = self.temp(Op::Len(sp.clone()), out);
        let i = self.f.temp(Ty::Int, Span::call_site());
        self.f.vars[i.0].name = "i".into();
        let mut body = Vec::new();
        let op = if peek {
            let rest = self.temp(Op::Bin(BinOp::Sub, len.clone(), Atom::Var(i)), &mut body);
            Op::TapePeek(
                t,
                self.temp(Op::Bin(BinOp::Sub, rest, lit_usize(1)), &mut body),
            )
        } else {
            Op::TapePop(t)
        };
        let mut elem = sp;
        elem.proj.push(Proj::Index(Atom::Var(i)));
        body.push(Stmt::Assign {
            place: elem,
            op,
            span: Span::call_site(),
        });
        out.push(Stmt::For {
            var: i,
            range: Range {
                start: lit_usize(0),
                end: len,
                inclusive: false,
                adapters: if peek {
                    Vec::new()
                } else {
                    vec![RangeAdapter::Rev]
                },
            },
            body,
            label: None,
        });
    }
}

/// A zero shaped like the value `r` refers to (of type `target`).
fn zero_of_ref(r: Atom, target: &Ty) -> Op {
    if matches!(target, Ty::Slice(_) | Ty::Vec(_)) {
        Op::ZeroVec(r)
    } else {
        Op::ZeroLike(r)
    }
}
