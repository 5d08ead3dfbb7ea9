//! Adjoints of single operations: given the adjoint `seed` of `r = op(..)`,
//! add each operand's share into its adjoint, using the rule table.

use proc_macro2::Span;

use super::Gen;
use crate::ir::{Atom, Block, Op, Place, Proj, Range, Scale, Stmt, Term, VarId};
use crate::rules::{self, Emit, Gather, Rule};
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

    /// Whether the adjoint of `a` receives a share: it is active and not
    /// `skip`.
    fn receives(&self, a: &Atom, skip: Option<VarId>) -> bool {
        a.var()
            .is_some_and(|v| self.needs.active(v) && Some(v) != skip)
    }

    /// Propagates `seed`, the adjoint of `r = op`, to the operands of `op`,
    /// following the rule table. `skip` is an operand whose share is already
    /// in place (`s = s + t` leaves `s_bar` unchanged).
    pub(super) fn adjoint_op(
        &mut self,
        op: &Op,
        r: &Atom,
        seed: &Atom,
        skip: Option<VarId>,
        out: &mut Block,
    ) {
        match rules::rule(op) {
            Rule::Scalar(sc) => {
                let active: Vec<bool> = sc.args.iter().map(|a| self.receives(a, skip)).collect();
                // The rules read the values the reverse sweep has.
                let at: Vec<Atom> = sc.args.iter().map(|a| self.sub_atom(a)).collect();
                let mut em = Emit::new(&mut self.f, out, Span::call_site(), r);
                let partials = sc.partials(&at, r, &active, &mut em);
                self.scatter(partials, seed, out);
            }
            Rule::Copy(a) if self.receives(a, skip) => self.acc(a, Op::Use(seed.clone()), out),
            Rule::Convert(a) => self.acc_cast(a, seed, out),
            Rule::Load(p) if self.needs.active(p.base) => {
                if let Some(place) = self.bar_place(p) {
                    out.push(Stmt::Accum {
                        place,
                        op: Op::Use(seed.clone()),
                        span: Span::call_site(),
                    });
                }
            }
            Rule::Gather(kind, xs) => self.adjoint_gather(kind, xs, seed, skip, out),
            Rule::Repeat(a) if self.receives(a, skip) => self.adjoint_repeat(a, seed, out),
            Rule::Select { cond, then, els } => {
                let mut then_acc = Vec::new();
                let mut els_acc = Vec::new();
                if self.receives(then, skip) {
                    self.acc(then, Op::Use(seed.clone()), &mut then_acc);
                }
                if self.receives(els, skip) {
                    self.acc(els, Op::Use(seed.clone()), &mut els_acc);
                }
                if !then_acc.is_empty() || !els_acc.is_empty() {
                    out.push(Stmt::If {
                        cond: self.sub_atom(cond),
                        then: then_acc,
                        els: els_acc,
                    });
                }
            }
            Rule::La(l, args) => {
                let need: Vec<bool> = args.iter().map(|a| self.receives(a, skip)).collect();
                if !need.contains(&true) {
                    return;
                }
                let at: Vec<Atom> = args.iter().map(|a| self.sub_atom(a)).collect();
                let scalar: Vec<bool> = args
                    .iter()
                    .map(|a| matches!(atom_ty(&self.f, a).deref(), Ty::Float(_)))
                    .collect();
                let r_at = self.sub_atom(r);
                let mut em = Emit::new(&mut self.f, out, Span::call_site(), r);
                let shares = rules::linalg::adjoints(l, &at, &r_at, seed, &need, &scalar, &mut em);
                for (i, share) in shares {
                    // `&w` as an operand: the share goes to `w`'s adjoint.
                    let target = match args[i].var().and_then(|v| self.ref_target(v)) {
                        Some(p) => p,
                        None => match args[i].var() {
                            Some(v) => Place::var(v),
                            None => continue,
                        },
                    };
                    if !self.needs.active(target.base) {
                        continue;
                    }
                    let Some(mut place) = self.bar_place(&target) else {
                        continue;
                    };
                    // A `&mut` adjoint parameter is added into through `*`.
                    if place.proj.is_empty() && self.bar_is_ref.contains(&place.base) {
                        place.proj.push(Proj::Deref);
                    }
                    out.push(Stmt::Accum {
                        place,
                        op: share,
                        span: Span::call_site(),
                    });
                }
            }
            Rule::Copy(_) | Rule::Load(_) | Rule::Repeat(_) | Rule::Ref(..) | Rule::None => {}
        }
    }

    /// The place `v` borrows, when it is `let v = &place;`.
    fn ref_target(&self, v: VarId) -> Option<Place> {
        self.stmts.values().find_map(|s| match s {
            Stmt::Let {
                pat: crate::ir::Pat::Var(r),
                init: Some(Op::Ref(p, _)),
                ..
            } if *r == v => Some(p.clone()),
            _ => None,
        })
    }

    /// `x_k_bar += seed.k` (or `seed[k]`) for `seed` the adjoint of a tuple,
    /// array or `Vec` built from the `xs`.
    fn adjoint_gather(
        &mut self,
        kind: Gather,
        xs: &[Atom],
        seed: &Atom,
        skip: Option<VarId>,
        out: &mut Block,
    ) {
        let Some(sv) = seed.var() else { return };
        for (k, x) in xs.iter().enumerate() {
            if self.receives(x, skip) {
                let proj = match kind {
                    Gather::Field => Proj::Field(k),
                    Gather::Index => {
                        Proj::Index(Atom::Const(crate::ir::Const::Lit(syn::parse_quote!(#k))))
                    }
                };
                let part = Op::Load(Place {
                    base: sv,
                    proj: vec![proj],
                });
                if super::holds_vec(&atom_ty(&self.f, x)) {
                    // Added from its place: a `Vec` cannot be moved out of
                    // an array, and the seed may be read again.
                    self.acc(x, part, out);
                } else {
                    let part = self.temp(part, out);
                    self.acc(x, Op::Use(part), out);
                }
            }
        }
    }

    /// `a_bar += seed[i]` for every `i`, for `seed` the adjoint of `[a; n]`.
    fn adjoint_repeat(&mut self, a: &Atom, seed: &Atom, out: &mut Block) {
        let Some(sv) = seed.var() else { return };
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
                start: super::forward_sweep::lit_usize(0),
                end: len,
                inclusive: false,
                adapters: Vec::new(),
            },
            body,
            label: None,
        });
    }

    /// `a_bar += seed` converted to `a`'s precision.
    fn acc_cast(&mut self, a: &Atom, seed: &Atom, out: &mut Block) {
        let prec = atom_ty(&self.f, a).prec().unwrap_or(Prec::F64);
        self.acc(a, Op::CastPrec(seed.clone(), prec), out);
    }

    /// `arg_i_bar += partial_i · seed` for each partial, one statement per
    /// operand (`b * b` gives `b_bar += s * b + s * b`).
    fn scatter(&mut self, partials: Vec<(&Atom, Scale)>, seed: &Atom, out: &mut Block) {
        let mut groups: Vec<(Atom, Vec<Term>)> = Vec::new();
        for (a, scale) in partials {
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
        for (a, terms) in groups {
            self.acc(&a, Op::Lin(terms), out);
        }
    }
}
