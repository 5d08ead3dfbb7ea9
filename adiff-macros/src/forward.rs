//! Forward mode: the JVP transformation, IR to IR.
//!
//! Each statement that defines an active variable is followed by the
//! statement that defines its tangent, so the output reads as the primal
//! program with tangent lines interleaved. Calls with active arguments
//! become calls to the callee's `_jvp`, following the calling convention.

use std::collections::HashMap;

use proc_macro2::Span;

use crate::activity::Activity;
use crate::convention::{self, Kind};
use crate::diag::{Diags, Stop};
use crate::ir::{
    Arg, Atom, Block, Callee, Func, Op, Origin, Param, Pat, Place, Role, Scale, Stmt, Term, VarId,
    VarInfo,
};
use crate::options::Knobs;
use crate::rules::{self, Emit, Rule};
use crate::ty::Ty;
use crate::typing::{atom_ty, place_ty};

struct Fwd<'a> {
    func: Func,
    act: &'a Activity,
    /// Variables of the primal function; later ones are new temporaries.
    n_primal: usize,
    dot: HashMap<VarId, VarId>,
    diags: &'a mut Diags,
    /// `Kind::Jvp`, or `Kind::JvpW` for vector mode, whose tangents are
    /// `Lanes`: no literal `0.0` tangents, and lanes tangent types.
    kind: Kind,
}

/// Builds the JVP of `primal`: its parameters are the primal parameters,
/// each differentiable one followed by its tangent; it returns
/// `(value, tangent)` (or `()` for a function returning `()`). Runs its own
/// activity analysis. `kind` is [`Kind::Jvp`] or, for vector mode (the
/// same statements over `Lanes` tangents), [`Kind::JvpW`].
pub fn transform(
    primal: &Func,
    kind: Kind,
    knobs: &Knobs,
    diags: &mut Diags,
) -> Result<Func, Stop> {
    let act = crate::activity::for_derivative(primal, Kind::Jvp, knobs.activity, diags);
    if !diags.is_empty() {
        return Err(Stop::Reported);
    }
    let mut t = Fwd {
        func: primal.clone(),
        act: &act,
        n_primal: primal.vars.len(),
        dot: HashMap::new(),
        diags,
        kind,
    };
    let mut params = Vec::new();
    for p in &primal.params {
        params.push(p.clone());
        if p.role.is_differentiable() {
            let d = t.dot(p.var);
            params.push(Param {
                var: d,
                ty: convention::tangent_type_of(kind, &p.ty),
                role: Role::Derived,
            });
        }
    }
    let body = t.block(&primal.body);
    t.func.params = params;
    t.func.body = body;
    if t.diags.is_empty() {
        Ok(t.func)
    } else {
        Err(Stop::Reported)
    }
}

/// Where a definition stores its value.
enum Target {
    Let(VarId),
    Place(Place),
}

impl Fwd<'_> {
    fn active(&self, v: VarId) -> bool {
        v.0 < self.n_primal && self.act.is_active(v)
    }

    fn active_atom(&self, a: &Atom) -> bool {
        a.var().is_some_and(|v| self.active(v))
    }

    /// The tangent variable of `v`, created on first use.
    fn dot(&mut self, v: VarId) -> VarId {
        if let Some(d) = self.dot.get(&v) {
            return *d;
        }
        let info = self.func.info(v).clone();
        let declared = info
            .declared
            .filter(|t| Ty::from_syn(t).is_differentiable())
            .map(|t| convention::tangent_type_of(self.kind, &t));
        let d = self.func.new_var(VarInfo {
            name: String::new(),
            span: info.span,
            ty: info.ty,
            mutable: info.mutable,
            origin: Origin::Tangent(v),
            declared,
        });
        self.dot.insert(v, d);
        d
    }

    fn dot_place(&mut self, p: &Place) -> Place {
        Place {
            base: self.dot(p.base),
            proj: p.proj.clone(),
        }
    }

    fn emit(&mut self, op: Op, span: Span, out: &mut Block) -> Atom {
        let ty = crate::typing::op_ty(&self.func, &op);
        let v = self.func.temp(ty, span);
        out.push(Stmt::Let {
            pat: Pat::Var(v),
            init: Some(op),
            span,
        });
        Atom::Var(v)
    }

    /// A zero tangent for `a`: the literal `0.0` for scalars, otherwise a
    /// zero of the same shape made at run time.
    fn zero_of(&mut self, a: &Atom, span: Span, out: &mut Block) -> Atom {
        match atom_ty(&self.func, a) {
            Ty::Float(_) if !self.kind.is_vector() => Atom::float(0.0),
            _ => self.emit(Op::ZeroLike(a.clone()), span, out),
        }
    }

    fn zero_op(&self, r: &Atom) -> Op {
        match atom_ty(&self.func, r) {
            Ty::Float(_) if !self.kind.is_vector() => Op::Use(Atom::float(0.0)),
            _ => Op::ZeroLike(r.clone()),
        }
    }

    fn dot_or_zero(&mut self, a: &Atom, span: Span, out: &mut Block) -> Atom {
        match a.var() {
            Some(v) if self.active(v) => Atom::Var(self.dot(v)),
            _ => self.zero_of(a, span, out),
        }
    }

    fn block(&mut self, block: &Block) -> Block {
        let mut out = Vec::new();
        for s in block {
            self.stmt(s, &mut out);
        }
        out
    }

    fn stmt(&mut self, s: &Stmt, out: &mut Block) {
        match s {
            Stmt::Let {
                pat: Pat::Var(d),
                init: Some(op),
                span,
            } => self.def(Target::Let(*d), op, *span, out),
            Stmt::Let {
                pat: Pat::Var(d),
                init: None,
                span,
            } => {
                out.push(s.clone());
                if self.active(*d) {
                    let dd = self.dot(*d);
                    out.push(Stmt::Let {
                        pat: Pat::Var(dd),
                        init: None,
                        span: *span,
                    });
                }
            }
            Stmt::Assign { place, op, span } => {
                self.def(Target::Place(place.clone()), op, *span, out)
            }
            Stmt::Eval {
                op: Op::Call(callee, args),
                span,
            } if self.call_active(callee, args, false) => {
                let call = self.jvp_call(callee, args, *span, out);
                out.push(Stmt::Eval {
                    op: call,
                    span: *span,
                });
            }
            // A `Vec` that grows or shrinks: its tangent does the same, so
            // the element stores next to it have their tangent places.
            Stmt::Eval {
                op: op @ (Op::Grow(p) | Op::Shrink(p)),
                span,
            } if self.active(p.base) => {
                out.push(s.clone());
                let dp = self.dot_place(p);
                let op = match op {
                    Op::Grow(_) => Op::Grow(dp),
                    _ => Op::Shrink(dp),
                };
                out.push(Stmt::Eval { op, span: *span });
            }
            Stmt::If { cond, then, els } => {
                let then = self.block(then);
                let els = self.block(els);
                out.push(Stmt::If {
                    cond: cond.clone(),
                    then,
                    els,
                });
            }
            Stmt::For {
                var,
                range,
                body,
                label,
            } => {
                let body = self.block(body);
                out.push(Stmt::For {
                    var: *var,
                    range: range.clone(),
                    body,
                    label: label.clone(),
                });
            }
            Stmt::Loop { body, label } => {
                let body = self.block(body);
                out.push(Stmt::Loop {
                    body,
                    label: label.clone(),
                });
            }
            Stmt::Return(Some(op)) => self.ret(op, out),
            Stmt::Accum { place, op, span } => {
                out.push(s.clone());
                if self.active(place.base) {
                    let r = Atom::Var(place.base);
                    let tan = self.tangent_op(op, &r, *span, out);
                    let dp = self.dot_place(place);
                    out.push(Stmt::Accum {
                        place: dp,
                        op: tan,
                        span: *span,
                    });
                }
            }
            Stmt::Match { scrut, arms } => {
                let arms = arms.iter().map(|(k, b)| (*k, self.block(b))).collect();
                out.push(Stmt::Match {
                    scrut: scrut.clone(),
                    arms,
                });
            }
            Stmt::Block { label, body } => {
                let body = self.block(body);
                out.push(Stmt::Block {
                    label: label.clone(),
                    body,
                });
            }
            Stmt::Let {
                pat: Pat::Tuple(_), ..
            }
            | Stmt::Eval { .. }
            | Stmt::Return(None)
            | Stmt::Break(_)
            | Stmt::Continue(_)
            | Stmt::TapePush { .. }
            | Stmt::Assert { .. } => out.push(s.clone()),
        }
    }

    /// Whether a call must be rewritten into its derivative: some argument
    /// is active. Opaque calls never are (activity analysis has rejected
    /// them if they receive active values).
    fn call_active(&self, callee: &Callee, args: &[Arg], result_active: bool) -> bool {
        if callee.opaque {
            return false;
        }
        // Only when something it writes carries a derivative: its result
        // (checked by the caller) or a `&mut` argument.
        let writes_active = crate::activity::mut_arg_bases(&self.func, args)
            .iter()
            .any(|b| self.active(*b));
        if !writes_active && !result_active {
            return false;
        }
        args.iter().any(|a| match a {
            Arg::Value(x) => self.active_atom(x),
            Arg::Ref(p) | Arg::RefMut(p) => self.active(p.base),
            Arg::ZeroOf(_) | Arg::MutZeroOf(_) => false,
        })
    }

    fn target_active(&self, t: &Target) -> bool {
        match t {
            Target::Let(d) => self.active(*d),
            Target::Place(p) => self.active(p.base),
        }
    }

    /// `g(args)` becomes `g_jvp(args with tangents)`.
    fn jvp_call(&mut self, callee: &Callee, args: &[Arg], span: Span, out: &mut Block) -> Op {
        let mut new_args = Vec::new();
        for a in args {
            new_args.push(a.clone());
            let (active, ty) = match a {
                Arg::Value(x) => (self.active_atom(x), atom_ty(&self.func, x)),
                Arg::Ref(p) | Arg::RefMut(p) => (self.active(p.base), place_ty(&self.func, p)),
                Arg::ZeroOf(_) | Arg::MutZeroOf(_) => continue,
            };
            if active {
                new_args.push(match a {
                    Arg::Value(Atom::Var(v)) => Arg::Value(Atom::Var(self.dot(*v))),
                    Arg::Ref(p) => Arg::Ref(self.dot_place(p)),
                    Arg::RefMut(p) => Arg::RefMut(self.dot_place(p)),
                    other => other.clone(),
                });
            } else if ty.is_differentiable() {
                new_args.push(Arg::ZeroOf(Box::new(a.clone())));
            } else if !ty.is_constant() && !matches!(a, Arg::Value(Atom::Const(_))) {
                if let Arg::Value(Atom::Var(v)) = a {
                    if !self.act.is_varied(*v) {
                        // A value of unknown type that depends on no input,
                        // such as `m.bones()` on a constant `m`: passed as a
                        // constant, and rustc checks that its type is one.
                        out.push(constant_check(*v, span));
                        continue;
                    }
                }
                let name = callee
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .unwrap_or_default();
                self.diags.error(
                    span,
                    format!("cannot tell whether an argument of this call to `{name}` is differentiable; give it a type annotation (for example `let y: f64 = ...;`)"),
                );
            }
        }
        // The JVP of a call to `g_jvp` (forward over forward mode's output)
        // is `g_jvp_jvp`.
        let derivative = match (callee.derivative, self.kind) {
            (Some(Kind::Jvp), Kind::Jvp) => Kind::JvpJvp,
            _ => self.kind,
        };
        Op::Call(
            Callee {
                path: callee.path.clone(),
                derivative: Some(derivative),
                opaque: false,
            },
            new_args,
        )
    }

    /// Emits a definition and, if the target is active, its tangent.
    fn def(&mut self, target: Target, op: &Op, span: Span, out: &mut Block) {
        if let Op::Call(callee, args) = op {
            if self.call_active(callee, args, self.target_active(&target)) {
                let call = self.jvp_call(callee, args, span, out);
                match target {
                    Target::Let(d) => {
                        let dd = self.active(d).then(|| self.dot(d));
                        out.push(Stmt::Let {
                            pat: Pat::Tuple(vec![Some(d), dd]),
                            init: Some(call),
                            span,
                        });
                    }
                    Target::Place(p) => {
                        let ty = place_ty(&self.func, &p);
                        let t = self.func.temp(ty.clone(), span);
                        let td = self.active(p.base).then(|| self.func.temp(ty, span));
                        out.push(Stmt::Let {
                            pat: Pat::Tuple(vec![Some(t), td]),
                            init: Some(call),
                            span,
                        });
                        out.push(Stmt::Assign {
                            place: p.clone(),
                            op: Op::Use(Atom::Var(t)),
                            span,
                        });
                        if let Some(td) = td {
                            let dp = self.dot_place(&p);
                            out.push(Stmt::Assign {
                                place: dp,
                                op: Op::Use(Atom::Var(td)),
                                span,
                            });
                        }
                    }
                }
                return;
            }
        }
        match target {
            Target::Let(d) => {
                out.push(Stmt::Let {
                    pat: Pat::Var(d),
                    init: Some(op.clone()),
                    span,
                });
                if self.active(d) {
                    let tan = self.tangent_op(op, &Atom::Var(d), span, out);
                    let dd = self.dot(d);
                    out.push(Stmt::Let {
                        pat: Pat::Var(dd),
                        init: Some(tan),
                        span,
                    });
                }
            }
            Target::Place(p) => {
                if !self.active(p.base) {
                    out.push(Stmt::Assign {
                        place: p,
                        op: op.clone(),
                        span,
                    });
                    return;
                }
                // Rules may read the result, so it must be an atom.
                let r = if p.proj.is_empty() {
                    out.push(Stmt::Assign {
                        place: p.clone(),
                        op: op.clone(),
                        span,
                    });
                    Atom::Var(p.base)
                } else if let Op::Use(a) = op {
                    out.push(Stmt::Assign {
                        place: p.clone(),
                        op: op.clone(),
                        span,
                    });
                    a.clone()
                } else {
                    let r = self.emit(op.clone(), span, out);
                    out.push(Stmt::Assign {
                        place: p.clone(),
                        op: Op::Use(r.clone()),
                        span,
                    });
                    r
                };
                let tan = self.tangent_op(op, &r, span, out);
                let dp = self.dot_place(&p);
                // `acc += 2.0` leaves the tangent as it was; `acc_dot = acc_dot` would be dead code.
                let is_self = |a: &Atom| matches!(a, Atom::Var(v) if *v == dp.base);
                let unchanged = dp.proj.is_empty()
                    && match &tan {
                        Op::Use(a) => is_self(a),
                        Op::Lin(terms) => matches!(terms.as_slice(), [t] if is_self(&t.value)
                            && !t.scale.neg && t.scale.mul.is_none() && t.scale.div.is_none()),
                        _ => false,
                    };
                if !unchanged {
                    out.push(Stmt::Assign {
                        place: dp,
                        op: tan,
                        span,
                    });
                }
            }
        }
    }

    /// The tangent of `r = op`, from the rule table.
    fn tangent_op(&mut self, op: &Op, r: &Atom, span: Span, out: &mut Block) -> Op {
        match rules::rule(op) {
            Rule::Scalar(sc) => {
                let active: Vec<bool> = sc.args.iter().map(|a| self.active_atom(a)).collect();
                let mut em = Emit::new(&mut self.func, out, span, r);
                let partials = sc.partials(&sc.operands(), r, &active, &mut em);
                self.lin(partials, r)
            }
            Rule::Load(p) if self.active(p.base) => Op::Load(self.dot_place(p)),
            Rule::Ref(p, m) => Op::Ref(self.dot_place(p), m),
            Rule::Convert(a) if !self.active_atom(a) => self.zero_op(r),
            Rule::Copy(_)
            | Rule::Convert(_)
            | Rule::Gather(..)
            | Rule::Repeat(_)
            | Rule::Select { .. } => rules::tangent_of(op, |a| self.dot_or_zero(a, span, out)),
            Rule::La(l, args) => {
                let tan: Vec<Option<Atom>> = args
                    .iter()
                    .map(|a| {
                        a.var()
                            .filter(|v| self.active(*v))
                            .map(|v| Atom::Var(self.dot(v)))
                    })
                    .collect();
                let mut em = Emit::new(&mut self.func, out, span, r);
                rules::linalg::tangent(l, args, r, &tan, &mut em).unwrap_or_else(|| self.zero_op(r))
            }
            Rule::Load(_) | Rule::None => self.zero_op(r),
        }
    }

    /// `Σ partial_i · arg_i_dot` over the active arguments.
    fn lin(&mut self, partials: Vec<(&Atom, Scale)>, r: &Atom) -> Op {
        let mut terms = Vec::new();
        for (a, scale) in partials {
            if let Some(v) = a.var() {
                terms.push(Term {
                    value: Atom::Var(self.dot(v)),
                    scale,
                });
            }
        }
        if terms.is_empty() {
            self.zero_op(r)
        } else {
            Op::Lin(terms)
        }
    }

    /// `return op` becomes `return (value, tangent)`.
    fn ret(&mut self, op: &Op, out: &mut Block) {
        let span = Span::call_site();
        let (value, tangent) = match op {
            Op::Use(a) => {
                let d = self.dot_or_zero(a, span, out);
                (a.clone(), d)
            }
            Op::Call(callee, args) if self.call_active(callee, args, true) => {
                let call = self.jvp_call(callee, args, span, out);
                let t = self.func.temp(Ty::Unknown, span);
                let td = self.func.temp(Ty::Unknown, span);
                out.push(Stmt::Let {
                    pat: Pat::Tuple(vec![Some(t), Some(td)]),
                    init: Some(call),
                    span,
                });
                (Atom::Var(t), Atom::Var(td))
            }
            _ => {
                let r = self.emit(op.clone(), span, out);
                let tan = self.tangent_op(op, &r, span, out);
                let d = self.emit(tan, span, out);
                (r, d)
            }
        };
        out.push(Stmt::Return(Some(Op::Tuple(vec![value, tangent]))));
    }
}

/// `assert_constant!(v)`: rustc proves that `v`'s type carries no
/// derivative (the runtime's `Constant` trait), so passing it without a
/// tangent is right; its message says to annotate the value otherwise.
/// `assert_constant!(v)`, spanned on the call: rustc proves that `v`, of a
/// type the macro cannot tell, carries no derivative.
pub(crate) fn constant_check(v: VarId, span: Span) -> Stmt {
    let rt = crate::runtime::path_at(span);
    let path: syn::Path = syn::parse_quote_spanned!(span=> #rt::assert_constant);
    Stmt::Assert {
        mac: path,
        args: vec![Atom::Var(v)],
        rest: proc_macro2::TokenStream::new(),
    }
}
