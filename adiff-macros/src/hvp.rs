//! Second order by composition: `f_jvp_vjp` is reverse mode applied to
//! forward mode's output, and `f_hvp` is a call to it.
//!
//! For `y = f(x)`, `f_jvp` computes `(y, y_dot)` with `y_dot = ∇f(x) · x_dot`.
//! Its VJP with cotangent `(0, 1)` gives, in the adjoint of `x_dot`, the
//! gradient `∇f(x)`, and in the adjoint of `x`, `∇ₓ(∇f(x) · x_dot) = H · x_dot`:
//! the value, the gradient and the Hessian-vector product in one sweep,
//! without forming `H`. The two transformations are the ordinary ones; this
//! module only turns forward mode's output into input for reverse mode
//! ([`redifferentiable`]) and writes `f_hvp` ([`via_jvp_vjp`]):
//!
//! ```text
//! fn f_hvp(x: &[f64], x_dot: &[f64], c: f64, c_dot: f64) -> (f64, (Vec<f64>, f64), (Vec<f64>, f64)) {
//!     let mut x_bar = zero_vec(x);  let mut x_dot_bar = zero_vec(x_dot);
//!     let mut c_bar = 0.0;          let mut c_dot_bar = 0.0;
//!     let t0 = (0.0, 1.0);
//!     let t1 = f_jvp_vjp(x, &mut x_bar, x_dot, &mut x_dot_bar, c, &mut c_bar, c_dot, &mut c_dot_bar, t0);
//!     ((t1.0), (x_dot_bar, c_dot_bar), (x_bar, c_bar))
//! }
//! ```
//!
//! Reverse over forward rather than forward over reverse: forward mode's
//! output is ordinary IR (loops, branches, loads and stores of tangents),
//! which reverse mode already takes whole, tapes and early exits included,
//! while forward over reverse would need tangent rules for every tape
//! operation. Both cost a small multiple of one gradient.

use proc_macro2::Span;

use crate::convention::{self, Kind};
use crate::diag::Diags;
use crate::ir::{
    Arg, Atom, Block, Callee, Func, Op, Origin, Param, Pat, Place, Proj, Role, Stmt, VarId, VarInfo,
};
use crate::ty::Ty;

/// `ir` with every differentiable parameter outside `wrt` made a constant:
/// `#[hvp(wrt(..))]` takes directions only for the parameters in `wrt`, so
/// the others get no tangent, and then no adjoint either.
pub fn only_wrt(ir: &Func, wrt: &[bool]) -> Func {
    let mut ir = ir.clone();
    for (i, p) in ir.params.iter_mut().enumerate() {
        if p.role.is_differentiable() && !wrt.get(i).copied().unwrap_or(false) {
            p.role = Role::Constant;
        }
    }
    ir
}

/// Reports each differentiable `&mut` parameter of `ir` that [`only_wrt`]
/// made a constant (scratch space left out of `wrt(..)`) but into which a
/// value depending on the `wrt` parameters is stored: its contents would
/// carry a derivative that a constant cannot.
pub fn reject_varied_scratch(ir: &Func, wrt: &[bool], diags: &mut Diags) {
    let scratch = only_wrt(ir, wrt);
    // Inputs are the `wrt` parameters (a gradient's analysis: no `&mut`
    // outputs). Its own reports come again from forward mode; only whether
    // a parameter is varied matters here.
    let act = crate::activity::for_derivative(&scratch, Kind::Grad, true, &mut Diags::default());
    for (before, after) in ir.params.iter().zip(&scratch.params) {
        let mutable = matches!(Ty::from_syn(&before.ty), Ty::Ref(true, _));
        if before.role.is_differentiable()
            && !after.role.is_differentiable()
            && mutable
            && act.is_varied(after.var)
        {
            let name = &ir.info(before.var).name;
            diags.error_at(
                &before.ty,
                format!("`{name}` is left out of `wrt(..)`, so `#[hvp]` and `#[hessian]` take it as a constant, but a value that depends on the parameters in `wrt(..)` is stored into it: compute that value into a local buffer instead (`let mut tmp = vec![0.0; n];`)"),
            );
        }
    }
}

/// Makes forward mode's output `jvp` (the IR of `f_jvp`) the input of
/// another transformation, as if the user had written `f_jvp`:
/// - each tangent parameter takes the role of its primal parameter;
/// - the result type is `(y, y_dot)`;
/// - linear combinations become arithmetic (`linear.rs`).
pub fn redifferentiable(jvp: &mut Func) {
    let mut prev = Role::Constant;
    for p in &mut jvp.params {
        if p.role == Role::Derived {
            p.role = prev;
        }
        prev = p.role;
    }
    jvp.ret = jvp.ret.take().map(|t| syn::parse_quote!((#t, #t)));
    crate::linear::expand(jvp);
    let mut body = std::mem::take(&mut jvp.body);
    bind_call_results(jvp, &mut body);
    jvp.body = body;
}

/// `let (y, y_dot) = g_jvp(..);` becomes `let t = g_jvp(..); let y = t.0;
/// let y_dot = t.1;`: reverse mode then sees a call with one result, `t`,
/// whose cotangent `t_bar = (y_bar, y_dot_bar)` is `g_jvp_vjp`'s `out_bar`,
/// as for any other call, and two field reads.
fn bind_call_results(f: &mut Func, b: &mut Block) {
    let old = std::mem::take(b);
    for mut s in old {
        for inner in s.blocks_mut() {
            bind_call_results(f, inner);
        }
        match s {
            Stmt::Let {
                pat: Pat::Tuple(parts),
                init: Some(op @ Op::Call(..)),
                span,
            } if parts.len() == 2 && parts[0].is_some() => {
                let y = parts[0].expect("checked above");
                let ty = f.info(y).ty.clone();
                let t = f.temp(Ty::Tuple(vec![ty.clone(), ty]), span);
                f.vars[t.0].name = format!("{}_pair", f.info(y).name);
                b.push(Stmt::Let {
                    pat: Pat::Var(t),
                    init: Some(op),
                    span,
                });
                for (k, part) in parts.into_iter().enumerate() {
                    if let Some(v) = part {
                        let mut place = Place::var(t);
                        place.proj.push(Proj::Field(k));
                        b.push(Stmt::Let {
                            pat: Pat::Var(v),
                            init: Some(Op::Load(place)),
                            span,
                        });
                    }
                }
            }
            other => b.push(other),
        }
    }
}

/// `f_hvp` of `primal` (whose parameters outside `wrt` are constants, see
/// [`only_wrt`]), named `name`, as a call to `name_jvp_vjp`.
pub fn via_jvp_vjp(primal: &Func, name: &syn::Ident) -> Func {
    let mut f = primal.clone();
    let span = Span::call_site();
    let mut params = Vec::new();
    let mut body = Vec::new();
    let mut args = Vec::new();
    let (mut grads, mut hvs) = (Vec::new(), Vec::new());
    for p in &primal.params {
        params.push(p.clone());
        args.push(Arg::Value(Atom::Var(p.var)));
        if !p.role.is_differentiable() {
            continue;
        }
        let info = f.info(p.var).clone();
        let dot = f.new_var(VarInfo {
            name: String::new(),
            origin: Origin::Tangent(p.var),
            mutable: false,
            declared: None,
            ..info.clone()
        });
        params.push(Param {
            var: dot,
            ty: convention::tangent_type(&p.ty),
            role: Role::Derived,
        });
        let bar = zeroed(&mut f, p.var, Origin::Adjoint(p.var), &mut body);
        let dot_bar = zeroed(&mut f, dot, Origin::Adjoint(dot), &mut body);
        args.push(Arg::RefMut(Place::var(bar)));
        args.push(Arg::Value(Atom::Var(dot)));
        args.push(Arg::RefMut(Place::var(dot_bar)));
        hvs.push(Atom::Var(bar));
        grads.push(Atom::Var(dot_bar));
    }
    let seed = f.temp(Ty::Tuple(vec![Ty::Float(None); 2]), span);
    body.push(Stmt::Let {
        pat: Pat::Var(seed),
        init: Some(Op::Tuple(vec![Atom::float(0.0), Atom::float(1.0)])),
        span,
    });
    args.push(Arg::Value(Atom::Var(seed)));
    let ret_ty = primal.ret.as_ref().map_or(Ty::Unit, Ty::from_syn);
    let out = call_jvp_vjp(&mut f, name, args, &mut body);
    let value = f.temp(ret_ty, span);
    body.push(Stmt::Let {
        pat: Pat::Var(value),
        init: Some(Op::Load(Place {
            base: out,
            proj: vec![Proj::Field(0)],
        })),
        span,
    });
    let grad = entries(&mut f, grads, &mut body);
    let hv = entries(&mut f, hvs, &mut body);
    body.push(Stmt::Return(Some(Op::Tuple(vec![
        Atom::Var(value),
        grad,
        hv,
    ]))));
    f.params = params;
    f.body = body;
    f
}

/// The call `name_jvp_vjp(args)` bound to a new `(y, y_dot)` pair.
pub(crate) fn call_jvp_vjp(
    f: &mut Func,
    name: &syn::Ident,
    args: Vec<Arg>,
    body: &mut Vec<Stmt>,
) -> VarId {
    let span = Span::call_site();
    let ret_ty = f.ret.as_ref().map_or(Ty::Unit, Ty::from_syn);
    let out = f.temp(Ty::Tuple(vec![ret_ty.clone(), ret_ty]), span);
    let callee = Callee {
        path: f.own_path(name),
        derivative: Some(Kind::JvpVjp),
        opaque: false,
    };
    body.push(Stmt::Let {
        pat: Pat::Var(out),
        init: Some(Op::Call(callee, args)),
        span,
    });
    out
}

/// A `let mut` of the zero gradient entry for `of`, with origin `origin`.
pub(crate) fn zeroed(f: &mut Func, of: VarId, origin: Origin, body: &mut Vec<Stmt>) -> VarId {
    let info = f.info(of).clone();
    let init = convention::gradient_zero(&info.ty, of);
    let v = f.new_var(VarInfo {
        name: String::new(),
        origin,
        mutable: true,
        declared: None,
        ..info
    });
    body.push(Stmt::Let {
        pat: Pat::Var(v),
        init: Some(init),
        span: Span::call_site(),
    });
    v
}

/// One entry alone, or a tuple of several.
pub(crate) fn entries(f: &mut Func, xs: Vec<Atom>, body: &mut Vec<Stmt>) -> Atom {
    if xs.len() == 1 {
        return xs[0].clone();
    }
    let ty = Ty::Tuple(xs.iter().map(|a| crate::typing::atom_ty(f, a)).collect());
    let t = f.temp(ty, Span::call_site());
    body.push(Stmt::Let {
        pat: Pat::Var(t),
        init: Some(Op::Tuple(xs)),
        span: Span::call_site(),
    });
    Atom::Var(t)
}
