//! Derivatives of derivatives, for differentiated code that calls one:
//! `#[jvp(nested)]` and `#[grad(nested)]`.
//!
//! A call to `g_jvp` or `g_grad` inside a differentiated function is a
//! call like any other: forward mode calls `g_jvp_jvp` or `g_grad_jvp`,
//! reverse mode `g_jvp_vjp` or `g_grad_vjp` (the calling convention's
//! ordinary suffix rule). This module writes the two `g_grad_*`, each one
//! call to `g_jvp_vjp` (reverse over forward, `hvp.rs`); `g_jvp_jvp` is
//! forward mode applied to forward mode's output (`pipeline.rs`).
//!
//! For `y = g(x)` with gradient `∇g`:
//! - `g_grad_jvp(x, x_dot)` is `((y, ∇g), (∇g · x_dot, H · x_dot))`: one
//!   `g_jvp_vjp` with the direction `x_dot` and cotangent `(0, 1)`, which
//!   leaves `∇g` in `x_dot_bar` and `H · x_dot` in `x_bar`;
//! - `g_grad_vjp(x, x_bar, (y_bar, g_bar))` adds `y_bar · ∇g + Hᵀ · g_bar`
//!   into `x_bar`. `H` is symmetric, so that is one `g_jvp_vjp` with the
//!   direction `g_bar` and cotangent `(y_bar, 1)`, accumulating straight
//!   into the caller's `x_bar`, rather than reverse mode applied to reverse
//!   mode's output (which would tape the tapes).
//!
//! With `wrt(..)`, the gradient has entries only for the parameters in it,
//! but every differentiable parameter keeps its tangent or adjoint: the
//! caller's derivative flows through all of them. `g_jvp_vjp` is then over
//! all differentiable parameters, and the entries outside `wrt` are dropped
//! from the results (`g_grad_jvp`) or get a zero direction (`g_grad_vjp`).

use proc_macro2::Span;

use crate::convention::{self, Kind};
use crate::hvp::{call_jvp_vjp, entries, zeroed};
use crate::ir::{Arg, Atom, Func, Op, Origin, Param, Pat, Place, Proj, Role, Stmt, VarId};
use crate::ty::Ty;

/// The gradient's parameters: differentiable and in `wrt`.
fn in_wrt(primal: &Func, wrt: &[bool], i: usize) -> bool {
    primal.params[i].role.is_differentiable() && wrt.get(i).copied().unwrap_or(false)
}

/// `let t = base.k;` (a copy or a move of one field).
fn field(f: &mut Func, base: VarId, k: usize, ty: Ty, body: &mut Vec<Stmt>) -> VarId {
    let t = f.temp(ty, Span::call_site());
    body.push(Stmt::Let {
        pat: Pat::Var(t),
        init: Some(Op::Load(Place {
            base,
            proj: vec![Proj::Field(k)],
        })),
        span: Span::call_site(),
    });
    t
}

/// A new tangent parameter of `p`, of its type.
fn tangent_param(f: &mut Func, p: &Param) -> (VarId, Param) {
    let info = f.info(p.var).clone();
    let dot = f.new_var(crate::ir::VarInfo {
        name: String::new(),
        origin: Origin::Tangent(p.var),
        mutable: false,
        declared: None,
        ..info
    });
    let param = Param {
        var: dot,
        ty: convention::tangent_type(&p.ty),
        role: Role::Derived,
    };
    (dot, param)
}

/// `f_grad_jvp` of `primal`, named `name`: see the module docs.
pub fn grad_jvp(primal: &Func, name: &syn::Ident, wrt: &[bool]) -> Func {
    let mut f = primal.clone();
    let (mut params, mut body, mut args) = (Vec::new(), Vec::new(), Vec::new());
    let (mut grads, mut hvs) = (Vec::new(), Vec::new());
    for (i, p) in primal.params.iter().enumerate() {
        params.push(p.clone());
        args.push(Arg::Value(Atom::Var(p.var)));
        if !p.role.is_differentiable() {
            continue;
        }
        let (dot, dot_param) = tangent_param(&mut f, p);
        params.push(dot_param);
        let bar = zeroed(&mut f, p.var, Origin::Adjoint(p.var), &mut body);
        let dot_bar = zeroed(&mut f, dot, Origin::Adjoint(dot), &mut body);
        args.push(Arg::RefMut(Place::var(bar)));
        args.push(Arg::Value(Atom::Var(dot)));
        args.push(Arg::RefMut(Place::var(dot_bar)));
        if in_wrt(primal, wrt, i) {
            hvs.push(Atom::Var(bar));
            grads.push(Atom::Var(dot_bar));
        }
    }
    args.push(Arg::Value(seed(&mut f, Atom::float(0.0), &mut body)));
    let out = call_jvp_vjp(&mut f, name, args, &mut body);
    let ret_ty = f.ret.as_ref().map_or(Ty::Unit, Ty::from_syn);
    let value = field(&mut f, out, 0, ret_ty.clone(), &mut body);
    let value_dot = field(&mut f, out, 1, ret_ty, &mut body);
    let grad = entries(&mut f, grads, &mut body);
    let hv = entries(&mut f, hvs, &mut body);
    let primal_out = pair(&mut f, Atom::Var(value), grad.clone(), &mut body);
    let tangent_out = pair(&mut f, Atom::Var(value_dot), hv, &mut body);
    body.push(Stmt::Return(Some(Op::Tuple(vec![primal_out, tangent_out]))));
    f.params = params;
    f.body = body;
    f
}

/// `f_grad_vjp` of `primal`, named `name`: see the module docs.
pub fn grad_vjp(primal: &Func, name: &syn::Ident, wrt: &[bool]) -> Func {
    let mut f = primal.clone();
    let span = Span::call_site();
    let ret_ty = f.ret.as_ref().map_or(Ty::Unit, Ty::from_syn);
    let n_grads = (0..primal.params.len())
        .filter(|&i| in_wrt(primal, wrt, i))
        .count();
    let grad_tys: Vec<Ty> = primal
        .params
        .iter()
        .enumerate()
        .filter(|&(i, _)| in_wrt(primal, wrt, i))
        .map(|(_, p)| gradient_ty(&f.info(p.var).ty))
        .collect();
    let grad_ty = if grad_tys.len() == 1 {
        grad_tys[0].clone()
    } else {
        Ty::Tuple(grad_tys)
    };
    // `out_bar: (y_bar, gradient_bar)`, the last parameter.
    let out_bar = f.temp(Ty::Tuple(vec![ret_ty.clone(), grad_ty.clone()]), span);
    f.vars[out_bar.0].name = convention::COTANGENT.into();
    let (mut params, mut body, mut args) = (Vec::new(), Vec::new(), Vec::new());
    let value_bar = field(&mut f, out_bar, 0, ret_ty.clone(), &mut body);
    let mut grads = Vec::new();
    let mut k = 0;
    for (i, p) in primal.params.iter().enumerate() {
        params.push(p.clone());
        args.push(Arg::Value(Atom::Var(p.var)));
        if !p.role.is_differentiable() {
            continue;
        }
        let info = f.info(p.var).clone();
        let bar = f.new_var(crate::ir::VarInfo {
            name: String::new(),
            origin: Origin::Adjoint(p.var),
            mutable: false,
            declared: None,
            ..info.clone()
        });
        params.push(Param {
            var: bar,
            ty: convention::adjoint_type(&p.ty),
            role: Role::Derived,
        });
        args.push(Arg::Value(Atom::Var(bar)));
        // The direction: this parameter's part of `gradient_bar`, or zero.
        let by_ref = matches!(info.ty, Ty::Ref(..));
        let dir = if in_wrt(primal, wrt, i) {
            let mut place = Place::var(out_bar);
            place.proj.push(Proj::Field(1));
            if n_grads > 1 {
                place.proj.push(Proj::Field(k));
            }
            k += 1;
            if by_ref {
                Arg::Ref(place)
            } else {
                let d = f.temp(info.ty.clone(), span);
                body.push(Stmt::Let {
                    pat: Pat::Var(d),
                    init: Some(Op::Load(place)),
                    span,
                });
                Arg::Value(Atom::Var(d))
            }
        } else {
            let z = zeroed(&mut f, p.var, Origin::Temp, &mut body);
            f.vars[z.0].mutable = false;
            if by_ref {
                Arg::Ref(Place::var(z))
            } else {
                Arg::Value(Atom::Var(z))
            }
        };
        args.push(dir);
        // The adjoint of the direction is the gradient (cotangent 1 on the
        // tangent of the value).
        let dot_bar = zeroed(&mut f, p.var, Origin::Temp, &mut body);
        args.push(Arg::RefMut(Place::var(dot_bar)));
        if in_wrt(primal, wrt, i) {
            grads.push(Atom::Var(dot_bar));
        }
    }
    args.push(Arg::Value(seed(&mut f, Atom::Var(value_bar), &mut body)));
    let ret_syn: syn::Type = primal.ret.clone().unwrap_or_else(|| syn::parse_quote!(()));
    let grad_syn: Vec<syn::Type> = primal
        .params
        .iter()
        .enumerate()
        .filter(|&(i, _)| in_wrt(primal, wrt, i))
        .map(|(_, p)| convention::gradient_type(&p.ty))
        .collect();
    let out_bar_ty: syn::Type = if grad_syn.len() == 1 {
        let g = &grad_syn[0];
        syn::parse_quote!((#ret_syn, #g))
    } else {
        syn::parse_quote!((#ret_syn, (#(#grad_syn),*)))
    };
    params.push(Param {
        var: out_bar,
        ty: out_bar_ty,
        role: Role::Derived,
    });
    let out = call_jvp_vjp(&mut f, name, args, &mut body);
    let value = field(&mut f, out, 0, ret_ty, &mut body);
    let grad = entries(&mut f, grads, &mut body);
    body.push(Stmt::Return(Some(Op::Tuple(vec![Atom::Var(value), grad]))));
    f.params = params;
    f.body = body;
    f
}

/// The gradient entry's type for a parameter of type `t`.
fn gradient_ty(t: &Ty) -> Ty {
    match t {
        Ty::Ref(_, inner) => match &**inner {
            Ty::Slice(e) | Ty::Vec(e) => Ty::Vec(e.clone()),
            other => other.clone(),
        },
        other => other.clone(),
    }
}

/// `let t = (value_bar, 1.0);`, the cotangent of `f_jvp`'s `(y, y_dot)`.
fn seed(f: &mut Func, value_bar: Atom, body: &mut Vec<Stmt>) -> Atom {
    let t = f.temp(Ty::Tuple(vec![Ty::Float(None); 2]), Span::call_site());
    body.push(Stmt::Let {
        pat: Pat::Var(t),
        init: Some(Op::Tuple(vec![value_bar, Atom::float(1.0)])),
        span: Span::call_site(),
    });
    Atom::Var(t)
}

/// `let t = (a, b);`.
fn pair(f: &mut Func, a: Atom, b: Atom, body: &mut Vec<Stmt>) -> Atom {
    let ty = Ty::Tuple(vec![
        crate::typing::atom_ty(f, &a),
        crate::typing::atom_ty(f, &b),
    ]);
    let t = f.temp(ty, Span::call_site());
    body.push(Stmt::Let {
        pat: Pat::Var(t),
        init: Some(Op::Tuple(vec![a, b])),
        span: Span::call_site(),
    });
    Atom::Var(t)
}

/// What `nested` does not take yet: each a spanned error.
pub fn check(
    mode: Kind,
    sig: &crate::sig::Signature,
    func: &syn::ItemFn,
    diags: &mut crate::diag::Diags,
) {
    let attr = mode.attr_name();
    if let Some(r) = func.sig.receiver() {
        diags.error_at(r, format!("`#[{attr}(nested)]` on a method is not supported yet; write a free function that takes the receiver as a parameter (`fn f(m: &Model, ..)`)"));
    }
    if let Some(t) = crate::ty::float_param() {
        diags.error_at(&t, format!("`#[{attr}(nested)]` on a function generic over its float type `{t}` is not supported yet; write the function for `f64` or `f32`"));
    }
    for p in sig.params.iter().filter(|p| p.differentiable) {
        if matches!(p.kind, Ty::Ref(true, _)) {
            diags.error_at(&p.ty, format!("`#[{attr}(nested)]` does not take a differentiable `&mut` parameter yet: its derivatives of derivatives (`_jvp_vjp`) are of the result alone; return the values instead, or fill a local buffer"));
        }
    }
}
