//! Generic float code beyond the argmin suite: accumulators started at
//! `T::zero()`, `T::one()` and `T::epsilon()` as constants, branches on
//! `T` comparisons, `max`, calls between generic annotated functions, a
//! `&mut [T]` output, and `#[hvp]`. Each is checked at `f64` against a
//! closed form, a central difference and forward against reverse, and at
//! `f32` against the closed form.

use adiff::{grad, hvp, jvp, vjp};
use approx::assert_relative_eq;
use num_traits::Float;

/// `Σ (x_i³ + sin 2x_i)`, accumulated from `T::zero()`.
#[jvp]
#[hvp]
#[grad]
fn cubic<T: Float>(x: &[T]) -> T {
    let mut s = T::zero();
    for &v in x {
        s = s + v * v * v + (v * T::from(2.0).unwrap()).sin();
    }
    s
}

/// A smoothed absolute value with a branch: `sqrt(x² + ε)` where `|x| < 1`,
/// `|x|` beyond, scaled by `T::one() + ` a weight.
#[jvp]
#[grad]
fn soft_abs<T: Float>(x: T, w: T) -> T {
    let e = T::epsilon().sqrt();
    let r = if x.abs() < T::one() {
        (x * x + e).sqrt()
    } else {
        x.abs().max(e)
    };
    r * (T::one() + w * w)
}

/// Calls `cubic` and `soft_abs`: generic calls to generic derivatives.
#[jvp]
#[grad]
fn composite<T: Float>(x: &[T], w: T) -> T {
    cubic(x) * soft_abs(x[0], w)
}

/// `out_i = w · x_i² + x_{i-1}`: a `&mut [T]` output.
#[jvp]
#[vjp]
fn stencil<T: Float>(x: &[T], w: T, out: &mut [T]) {
    out[0] = w * x[0] * x[0];
    for i in 1..x.len() {
        out[i] = w * x[i] * x[i] + x[i - 1];
    }
}

const X: [f64; 3] = [0.3, -0.7, 1.4];
const U: [f64; 3] = [0.5, -0.25, 0.75];

fn dot<T: Float>(a: &[T], b: &[T]) -> T {
    a.iter().zip(b).fold(T::zero(), |s, (x, y)| s + *x * *y)
}

fn cubic_exact_grad(x: &[f64]) -> Vec<f64> {
    x.iter()
        .map(|v| 3.0 * v * v + 2.0 * (2.0 * v).cos())
        .collect()
}

fn cubic_exact_hess_diag(x: &[f64]) -> Vec<f64> {
    x.iter().map(|v| 6.0 * v - 4.0 * (2.0 * v).sin()).collect()
}

fn fd(f: &dyn Fn(&[f64]) -> f64, x: &[f64], u: &[f64]) -> f64 {
    let h = 1e-6;
    let xp: Vec<f64> = x.iter().zip(u).map(|(a, b)| a + h * b).collect();
    let xm: Vec<f64> = x.iter().zip(u).map(|(a, b)| a - h * b).collect();
    (f(&xp) - f(&xm)) / (2.0 * h)
}

#[test]
fn cubic_grad_jvp_and_hvp() {
    let (y, g) = cubic_grad(&X);
    assert_eq!(y, cubic(&X));
    for (a, b) in g.iter().zip(cubic_exact_grad(&X)) {
        assert_relative_eq!(*a, b, max_relative = 1e-12);
    }
    let (_, dy) = cubic_jvp(&X, &U);
    assert_relative_eq!(dy, dot(&g, &U), max_relative = 1e-12);
    assert_relative_eq!(dy, fd(&cubic, &X, &U), max_relative = 1e-7);

    let (_, g2, hv) = cubic_hvp(&X, &U);
    for (a, b) in g2.iter().zip(&g) {
        assert_relative_eq!(*a, *b, max_relative = 1e-14);
    }
    let diag = cubic_exact_hess_diag(&X);
    for i in 0..3 {
        assert_relative_eq!(hv[i], diag[i] * U[i], max_relative = 1e-12);
        // Against a central difference of the gradient along `U`.
        let grad_at = |p: &[f64]| cubic_grad(p).1[i];
        assert_relative_eq!(
            hv[i],
            fd(&grad_at, &X, &U),
            max_relative = 1e-6,
            epsilon = 1e-8
        );
    }

    let x32 = X.map(|v| v as f32);
    let u32_ = U.map(|v| v as f32);
    let (_, g) = cubic_grad(&x32);
    let (_, _, hv) = cubic_hvp(&x32, &u32_);
    let (exact, diag) = (cubic_exact_grad(&X), cubic_exact_hess_diag(&X));
    for i in 0..3 {
        assert_relative_eq!(g[i], exact[i] as f32, max_relative = 1e-5);
        assert_relative_eq!(hv[i], (diag[i] * U[i]) as f32, max_relative = 1e-4);
    }
}

/// `soft_abs`'s gradient in closed form, with the `ε` of the precision.
fn soft_abs_exact(x: f64, w: f64, e: f64) -> (f64, f64) {
    let scale = 1.0 + w * w;
    let (dx, r) = if x.abs() < 1.0 {
        let r = (x * x + e).sqrt();
        (x / r * scale, r)
    } else {
        (x.signum() * scale, x.abs())
    };
    (dx, 2.0 * w * r)
}

#[test]
fn soft_abs_both_branches() {
    let w = 0.6;
    for x in [0.4, -0.8, 1.7, -2.5] {
        let (y, (gx, gw)) = soft_abs_grad(x, w);
        assert_eq!(y, soft_abs(x, w));
        let (ex, ew) = soft_abs_exact(x, w, f64::EPSILON.sqrt());
        assert_relative_eq!(gx, ex, max_relative = 1e-12);
        assert_relative_eq!(gw, ew, max_relative = 1e-12);
        let (_, dy) = soft_abs_jvp(x, 0.3, w, -0.2);
        assert_relative_eq!(dy, 0.3 * gx - 0.2 * gw, max_relative = 1e-12);
        let f = |p: &[f64]| soft_abs(p[0], p[1]);
        assert_relative_eq!(dy, fd(&f, &[x, w], &[0.3, -0.2]), max_relative = 1e-6);

        let (_, (gx32, gw32)) = soft_abs_grad(x as f32, w as f32);
        let (ex, ew) = soft_abs_exact(x, w, f64::from(f32::EPSILON).sqrt());
        assert_relative_eq!(gx32, ex as f32, max_relative = 1e-4);
        assert_relative_eq!(gw32, ew as f32, max_relative = 1e-4);
    }
}

/// `composite`'s gradient by the product rule, from closed forms.
fn composite_exact(x: &[f64], w: f64, e: f64) -> (Vec<f64>, f64) {
    let c: f64 = x.iter().map(|v| v * v * v + (2.0 * v).sin()).sum();
    let s = {
        let scale = 1.0 + w * w;
        let r = if x[0].abs() < 1.0 {
            (x[0] * x[0] + e).sqrt()
        } else {
            x[0].abs()
        };
        r * scale
    };
    let (ds_dx0, ds_dw) = soft_abs_exact(x[0], w, e);
    let mut g: Vec<f64> = cubic_exact_grad(x).iter().map(|d| d * s).collect();
    g[0] += c * ds_dx0;
    (g, c * ds_dw)
}

#[test]
fn composite_calls_generic_derivatives() {
    let w = 0.6;
    let (y, (g, gw)) = composite_grad(&X, w);
    assert_eq!(y, composite(&X, w));
    let (exact, exact_w) = composite_exact(&X, w, f64::EPSILON.sqrt());
    for (a, b) in g.iter().zip(&exact) {
        assert_relative_eq!(*a, *b, max_relative = 1e-12);
    }
    assert_relative_eq!(gw, exact_w, max_relative = 1e-12);
    let (_, dy) = composite_jvp(&X, &U, w, 0.1);
    assert_relative_eq!(dy, dot(&g, &U) + 0.1 * gw, max_relative = 1e-12);
    let f = |p: &[f64]| composite(&p[..3], p[3]);
    let fdv = fd(&f, &[X[0], X[1], X[2], w], &[U[0], U[1], U[2], 0.1]);
    assert_relative_eq!(dy, fdv, max_relative = 1e-6);

    let x32 = X.map(|v| v as f32);
    let (_, (g32, gw32)) = composite_grad(&x32, w as f32);
    let (exact, exact_w) = composite_exact(&X, w, f64::from(f32::EPSILON).sqrt());
    for (a, b) in g32.iter().zip(&exact) {
        assert_relative_eq!(*a, *b as f32, max_relative = 1e-4);
    }
    assert_relative_eq!(gw32, exact_w as f32, max_relative = 1e-4);
}

#[test]
fn stencil_forward_against_reverse() {
    let w = 1.3;
    let mut out = [0.0; 3];
    stencil(&X, w, &mut out);
    // Forward: the tangent of `out` along (U, dw).
    let (mut o, mut o_dot) = ([0.0; 3], [0.0; 3]);
    stencil_jvp(&X, &U, w, 0.4, &mut o, &mut o_dot);
    assert_eq!(o, out);
    // Reverse with a cotangent `v` on `out`: ⟨v, J·t⟩ = ⟨Jᵀv, t⟩.
    let v = [0.2, -1.1, 0.7];
    let (mut xb, mut wb) = ([0.0; 3], 0.0);
    let mut o2 = [0.0; 3];
    let mut ob = v;
    stencil_vjp(&X, &mut xb, w, &mut wb, &mut o2, &mut ob);
    assert_relative_eq!(
        dot(&v, &o_dot),
        dot(&xb, &U) + wb * 0.4,
        max_relative = 1e-12
    );
    // Closed form of the tangent.
    for i in 0..3 {
        let mut t = 2.0 * w * X[i] * U[i] + 0.4 * X[i] * X[i];
        if i > 0 {
            t += U[i - 1];
        }
        assert_relative_eq!(o_dot[i], t, max_relative = 1e-12);
    }
    // At f32.
    let (mut o, mut o_dot) = ([0.0_f32; 3], [0.0_f32; 3]);
    stencil_jvp(
        &X.map(|v| v as f32),
        &U.map(|v| v as f32),
        w as f32,
        0.4,
        &mut o,
        &mut o_dot,
    );
    assert_relative_eq!(
        o_dot[1],
        (2.0 * w * X[1] * U[1] + 0.4 * X[1] * X[1] + U[0]) as f32,
        max_relative = 1e-5
    );
}
