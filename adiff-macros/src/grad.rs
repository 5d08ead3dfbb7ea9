//! `f_grad` as a call to `f_vjp`, when the gradient is taken with respect
//! to every differentiable parameter (no `wrt(..)` subset).
//!
//! `#[grad]` makes both functions. Deriving `f_grad` as a second reverse
//! transformation would repeat the whole of `f_vjp`'s body in the output
//! and double the expansion time; instead `f_grad` starts each gradient
//! entry from zero, calls `f_vjp` with them and the cotangent 1, and
//! returns the value with the entries:
//!
//! ```text
//! fn f_grad(x: &[f64], c: f64) -> (f64, (Vec<f64>, f64)) {
//!     let mut x_bar = zero_vec(x);
//!     let mut c_bar = 0.0;
//!     let t0 = f_vjp(x, &mut x_bar, c, &mut c_bar, 1.0);
//!     (t0, (x_bar, c_bar))
//! }
//! ```
//!
//! With a `wrt(..)` subset the gradient is still derived on its own, since
//! `f_vjp` would also compute the adjoints of the parameters left out.

use proc_macro2::Span;

use crate::convention::{self, Kind};
use crate::ir::{Arg, Atom, Callee, Func, Op, Origin, Pat, Place, Stmt, VarInfo};

/// Whether `f_grad` of `ir` (whose parameters have their `wrt` flags set)
/// is a call to `f_vjp`: every differentiable parameter is in the gradient.
pub fn calls_vjp(ir: &Func) -> bool {
    ir.params
        .iter()
        .all(|p| !p.role.is_differentiable() || p.role.is_wrt())
}

/// `f_grad` of `primal`, named `name`, as a call to `name_vjp`.
pub fn via_vjp(primal: &Func, name: &syn::Ident) -> Func {
    let mut f = primal.clone();
    let mut body = Vec::new();
    let mut args = Vec::new();
    let mut grads = Vec::new();
    for p in &primal.params {
        args.push(Arg::Value(Atom::Var(p.var)));
        if !p.role.is_differentiable() {
            continue;
        }
        let info = f.info(p.var).clone();
        let init = convention::gradient_zero(&info.ty, p.var);
        let b = f.new_var(VarInfo {
            name: String::new(),
            origin: Origin::Adjoint(p.var),
            mutable: true,
            declared: None,
            ..info
        });
        body.push(Stmt::Let {
            pat: Pat::Var(b),
            init: Some(init),
            span: Span::call_site(),
        });
        args.push(Arg::RefMut(Place::var(b)));
        grads.push(Atom::Var(b));
    }
    args.push(Arg::Value(Atom::float(1.0)));
    let ret_ty = primal
        .ret
        .as_ref()
        .map_or(crate::ty::Ty::Unit, crate::ty::Ty::from_syn);
    let value = f.temp(ret_ty, Span::call_site());
    let vjp = Callee {
        path: primal.own_path(name),
        derivative: Some(Kind::Vjp),
        opaque: false,
    };
    body.push(Stmt::Let {
        pat: Pat::Var(value),
        init: Some(Op::Call(vjp, args)),
        span: Span::call_site(),
    });
    let grad = if grads.len() == 1 {
        grads[0].clone()
    } else {
        let t = f.temp(
            crate::ty::Ty::Tuple(
                grads
                    .iter()
                    .map(|g| crate::typing::atom_ty(&f, g))
                    .collect(),
            ),
            Span::call_site(),
        );
        body.push(Stmt::Let {
            pat: Pat::Var(t),
            init: Some(Op::Tuple(grads)),
            span: Span::call_site(),
        });
        Atom::Var(t)
    };
    body.push(Stmt::Return(Some(Op::Tuple(vec![Atom::Var(value), grad]))));
    f.body = body;
    f
}
