//! Adjoints of single operations: given the adjoint `seed` of `r = op(..)`,
//! add each operand's share into its adjoint, using the rule table.

use proc_macro2::Span;

use super::Gen;
use crate::ir::{Atom, Block, Op, Place, Proj, Range, Scale, Stmt, Term, VarId};
use crate::rules::{self, Emit};
use crate::ty::{Prec, Ty};
use crate::typing::atom_ty;

impl Gen<'_> {
    /// `adjoint(a) += value`, if `a` is an active variable.
    pub(super) fn acc(&mut self, a: &Atom, value: Op, out: &mut Block) {
        let Some(v) = a.var() else { return };
        if !self.needs.active(v) {
            return;
        }
        if let Some(place) = self.bar_place(&Place::var(v)) {
            out.push(Stmt::Accum {
                place,
                op: value,
                span: Span::call_site(),
            });
        }
    }

    /// Propagates `seed`, the adjoint of `r = op`, to the operands of `op`.
    /// `skip` is an operand whose share is already in place (`s = s + t`
    /// leaves `s_bar` unchanged).
    pub(super) fn adjoint_op(
        &mut self,
        op: &Op,
        r: &Atom,
        seed: &Atom,
        skip: Option<VarId>,
        out: &mut Block,
    ) {
        let active = |g: &Self, a: &Atom| {
            a.var()
                .is_some_and(|v| g.needs.active(v) && Some(v) != skip)
        };
        match op {
            Op::Use(a) if active(self, a) => self.acc(a, Op::Use(seed.clone()), out),
            Op::Load(p) if self.needs.active(p.base) => {
                if let Some(bp) = self.bar_place(p) {
                    out.push(Stmt::Accum {
                        place: bp,
                        op: Op::Use(seed.clone()),
                        span: Span::call_site(),
                    });
                }
            }
            Op::Bin(b, x, y) => {
                let need = [active(self, x), active(self, y)];
                let (sx, sy, sr) = (self.sub_atom(x), self.sub_atom(y), r.clone());
                let prec = atom_ty(&self.f, &sr).prec();
                let mut em = Emit {
                    func: &mut self.f,
                    out,
                    span: Span::call_site(),
                    prec,
                };
                let partials = rules::bin_partials(*b, &sx, &sy, &sr, &need, &mut em);
                self.scatter(&[x.clone(), y.clone()], &need, partials, seed, out);
            }
            Op::Unary(u, x) => {
                let need = [active(self, x)];
                self.scatter(
                    std::slice::from_ref(x),
                    &need,
                    vec![rules::unary_partial(*u)],
                    seed,
                    out,
                );
            }
            Op::Elem(e, args, _) => {
                let diff = rules::elem_diff_args(*e, args.len());
                let need: Vec<bool> = args
                    .iter()
                    .zip(&diff)
                    .map(|(a, d)| *d && active(self, a))
                    .collect();
                if !need.iter().any(|n| *n) {
                    return;
                }
                let sargs: Vec<Atom> = args.iter().map(|a| self.sub_atom(a)).collect();
                let prec = atom_ty(&self.f, r).prec();
                let mut em = Emit {
                    func: &mut self.f,
                    out,
                    span: Span::call_site(),
                    prec,
                };
                let partials = rules::elem_partials(*e, &sargs, r, &need, &mut em);
                self.scatter(args, &need, partials, seed, out);
            }
            Op::Cast(a, t) if matches!(Ty::from_syn(t), Ty::Float(_)) => {
                self.acc_cast(a, seed, out)
            }
            Op::CastPrec(a, _) => self.acc_cast(a, seed, out),
            Op::Tuple(xs) | Op::Array(xs) | Op::VecList(xs) => {
                let Some(sv) = seed.var() else { return };
                for (k, x) in xs.iter().enumerate() {
                    if active(self, x) {
                        let proj = if matches!(op, Op::Tuple(_)) {
                            Proj::Field(k)
                        } else {
                            Proj::Index(Atom::Const(crate::ir::Const::Lit(syn::parse_quote!(#k))))
                        };
                        let part = self.temp(
                            Op::Load(Place {
                                base: sv,
                                proj: vec![proj],
                            }),
                            out,
                        );
                        self.acc(x, Op::Use(part), out);
                    }
                }
            }
            Op::Repeat(a, _) | Op::VecRepeat(a, _) => {
                let Some(sv) = seed.var() else { return };
                if !active(self, a) {
                    return;
                }
                let len = self.temp(Op::Len(Place::var(sv)), out);
                let i = self.f.temp(Ty::Int, Span::call_site());
                self.f.vars[i.0].name = "i".into();
                let mut body = Vec::new();
                let part = self.temp(
                    Op::Load(Place {
                        base: sv,
                        proj: vec![Proj::Index(Atom::Var(i))],
                    }),
                    &mut body,
                );
                self.acc(a, Op::Use(part), &mut body);
                out.push(Stmt::For {
                    var: i,
                    range: Range {
                        start: super::fwd::lit_usize(0),
                        end: len,
                        inclusive: false,
                        adapters: Vec::new(),
                    },
                    body,
                    label: None,
                });
            }
            Op::Select(c, a, b) => {
                let mut then = Vec::new();
                let mut els = Vec::new();
                if active(self, a) {
                    self.acc(a, Op::Use(seed.clone()), &mut then);
                }
                if active(self, b) {
                    self.acc(b, Op::Use(seed.clone()), &mut els);
                }
                if !then.is_empty() || !els.is_empty() {
                    out.push(Stmt::If {
                        cond: self.sub_atom(c),
                        then,
                        els,
                    });
                }
            }
            _ => {}
        }
    }

    /// `a_bar += seed` converted to `a`'s precision.
    fn acc_cast(&mut self, a: &Atom, seed: &Atom, out: &mut Block) {
        let prec = atom_ty(&self.f, a).prec().unwrap_or(Prec::F64);
        self.acc(a, Op::CastPrec(seed.clone(), prec), out);
    }

    /// `arg_i_bar += partial_i · seed` for the operands that need it, one
    /// statement per operand (`b * b` gives `b_bar += s * b + s * b`).
    fn scatter(
        &mut self,
        args: &[Atom],
        need: &[bool],
        partials: Vec<Option<Scale>>,
        seed: &Atom,
        out: &mut Block,
    ) {
        let mut groups: Vec<(Atom, Vec<Term>)> = Vec::new();
        for ((a, n), p) in args.iter().zip(need).zip(partials) {
            if let (true, Some(scale)) = (*n, p) {
                let term = Term {
                    value: seed.clone(),
                    scale,
                };
                match groups
                    .iter_mut()
                    .find(|(g, _)| g.var().is_some() && g.var() == a.var())
                {
                    Some((_, terms)) => terms.push(term),
                    None => groups.push((a.clone(), vec![term])),
                }
            }
        }
        for (a, terms) in groups {
            self.acc(&a, Op::Lin(terms), out);
        }
    }
}
