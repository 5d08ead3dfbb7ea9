//! nalgebra values (feature `nalgebra`): `DVector`, `DMatrix`, `SVector`
//! and `SMatrix` parameters, struct fields and receivers, differentiated
//! whole-matrix by the linear-algebra rules. Each case is checked against
//! a closed form or central differences, and forward against reverse
//! (`⟨J v, w⟩ = ⟨v, Jᵀ w⟩`), at `f64` and `f32`.

use adiff::nalgebra::{DMatrix, DVector, Matrix2x3, SVector, Vector3};
use adiff::{grad, jvp, Differentiable};
use approx::assert_relative_eq;

/// A layer and a readout: `½ (v · tanh(W x + b))² + ‖tanh(W x + b)‖²`.
#[jvp]
#[grad]
fn layer(w: &DMatrix<f64>, b: &DVector<f64>, x: &DVector<f64>, v: &DVector<f64>) -> f64 {
    let z = w * x + b;
    let h = z.map(|t| t.tanh());
    let y = v.dot(&h);
    0.5 * y * y + h.norm_squared()
}

/// Every supported operation once: products of matrices, transposes,
/// differences, negation, element-wise products, scaling and division by
/// a scalar, `+=`, sums and norms.
#[jvp]
#[grad]
fn ops(a: &DMatrix<f64>, b: &DMatrix<f64>, x: &DVector<f64>, s: f64) -> f64 {
    let c = a * b; // 3×2 · 2×3
    let d = c.transpose() - b.transpose() * a.transpose();
    let mut e = -(&c * s) + d.transpose().component_mul(&c) / (s * s + 1.0);
    e += &c;
    let y = &e * x;
    y.norm() + e.sum() * 0.1 + (2.0 * &y).norm_squared() + y[1] * x[0]
}

/// Three steps of a recurrent update written as a loop over whole vectors:
/// reverse mode records each overwritten `h`.
#[jvp]
#[grad]
fn recurrent(w: &DMatrix<f64>, h0: &DVector<f64>, steps: usize) -> f64 {
    let mut h = h0.clone();
    for _ in 0..steps {
        let z = w * &h;
        h = z.map(f64::tanh);
    }
    h.sum()
}

/// Statically sized values, at `f32`.
#[jvp]
#[grad]
fn small(w: &Matrix2x3<f32>, x: &Vector3<f32>) -> f32 {
    let y = w * x;
    let h: SVector<f32, 2> = y.map(|t| t * t * 0.5);
    h.sum() + w.norm()
}

/// A model whose parameters are nalgebra matrices in a struct.
#[derive(Differentiable, Clone, Debug)]
pub struct Net {
    pub w1: DMatrix<f64>,
    pub b1: DVector<f64>,
    pub w2: DVector<f64>,
    pub b2: f64,
}

impl Net {
    /// Half the squared error of `w2 · tanh(W1 x + b1) + b2` against `t`.
    #[jvp]
    #[grad]
    pub fn loss(&self, x: &DVector<f64>, t: f64) -> f64 {
        let h = (&self.w1 * x + &self.b1).map(|z| z.tanh());
        let y = self.w2.dot(&h) + self.b2;
        0.5 * (y - t) * (y - t)
    }
}

fn mat(r: usize, c: usize, k: f64) -> DMatrix<f64> {
    DMatrix::from_fn(r, c, |i, j| ((i * 7 + j * 3) as f64 * 0.37 + k).sin() * 0.8)
}

fn vector(n: usize, k: f64) -> DVector<f64> {
    DVector::from_fn(n, |i, _| ((i * 5) as f64 * 0.61 + k).cos() * 0.9)
}

/// Central differences of `f` with respect to every entry of `m`.
fn fd(m: &DMatrix<f64>, f: impl Fn(&DMatrix<f64>) -> f64) -> DMatrix<f64> {
    let h = 1e-6;
    DMatrix::from_fn(m.nrows(), m.ncols(), |i, j| {
        let (mut p, mut q) = (m.clone(), m.clone());
        p[(i, j)] += h;
        q[(i, j)] -= h;
        (f(&p) - f(&q)) / (2.0 * h)
    })
}

fn fdv(v: &DVector<f64>, f: impl Fn(&DVector<f64>) -> f64) -> DVector<f64> {
    let m = DMatrix::from_column_slice(v.len(), 1, v.as_slice());
    let g = fd(&m, |m| f(&DVector::from_column_slice(m.as_slice())));
    DVector::from_column_slice(g.as_slice())
}

#[test]
fn layer_against_closed_form_and_differences() {
    let (w, b, x, v) = (
        mat(4, 3, 0.1),
        vector(4, 0.2),
        vector(3, 0.3),
        vector(4, 0.4),
    );
    let (f, (gw, gb, gx, gv)) = layer_grad(&w, &b, &x, &v);
    assert_relative_eq!(f, layer(&w, &b, &x, &v), epsilon = 1e-14);
    // Backprop by hand: δ = (y v + 2 h) ⊙ (1 − h²), dW = δ xᵀ, dx = Wᵀ δ.
    let h = (&w * &x + &b).map(f64::tanh);
    let y = v.dot(&h);
    let delta = (&v * y + &h * 2.0).component_mul(&h.map(|t| 1.0 - t * t));
    assert_relative_eq!(gw, &delta * x.transpose(), epsilon = 1e-12);
    assert_relative_eq!(gb, delta.clone(), epsilon = 1e-12);
    assert_relative_eq!(gx, w.transpose() * &delta, epsilon = 1e-12);
    assert_relative_eq!(gv, &h * y, epsilon = 1e-12);
    assert_relative_eq!(gw, fd(&w, |w| layer(w, &b, &x, &v)), epsilon = 1e-7);
    assert_relative_eq!(gx, fdv(&x, |x| layer(&w, &b, x, &v)), epsilon = 1e-7);
}

#[test]
fn layer_forward_against_reverse() {
    let (w, b, x, v) = (
        mat(4, 3, 0.1),
        vector(4, 0.2),
        vector(3, 0.3),
        vector(4, 0.4),
    );
    let (dw, db, dx, dv) = (
        mat(4, 3, 1.1),
        vector(4, 1.2),
        vector(3, 1.3),
        vector(4, 1.4),
    );
    let (f, df) = layer_jvp(&w, &dw, &b, &db, &x, &dx, &v, &dv);
    let (f2, (gw, gb, gx, gv)) = layer_grad(&w, &b, &x, &v);
    assert_relative_eq!(f, f2, epsilon = 1e-14);
    let dot = gw.dot(&dw) + gb.dot(&db) + gx.dot(&dx) + gv.dot(&dv);
    assert_relative_eq!(df, dot, epsilon = 1e-12);
}

#[test]
fn every_operation() {
    let (a, b, x, s) = (mat(3, 2, 0.5), mat(2, 3, 0.9), vector(3, 0.7), 0.8);
    let (f, (ga, gb, gx, gs)) = ops_grad(&a, &b, &x, s);
    assert_relative_eq!(f, ops(&a, &b, &x, s), epsilon = 1e-14);
    assert_relative_eq!(ga, fd(&a, |a| ops(a, &b, &x, s)), epsilon = 1e-6);
    assert_relative_eq!(gb, fd(&b, |b| ops(&a, b, &x, s)), epsilon = 1e-6);
    assert_relative_eq!(gx, fdv(&x, |x| ops(&a, &b, x, s)), epsilon = 1e-6);
    let h = 1e-6;
    let fs = (ops(&a, &b, &x, s + h) - ops(&a, &b, &x, s - h)) / (2.0 * h);
    assert_relative_eq!(gs, fs, epsilon = 1e-6);
    let (da, db, dx, ds) = (mat(3, 2, 2.0), mat(2, 3, 2.5), vector(3, 2.2), -0.3);
    let (_, df) = ops_jvp(&a, &da, &b, &db, &x, &dx, s, ds);
    let dot = ga.dot(&da) + gb.dot(&db) + gx.dot(&dx) + gs * ds;
    assert_relative_eq!(df, dot, epsilon = 1e-10);
}

#[test]
fn loops_over_whole_vectors() {
    let (w, h0) = (mat(3, 3, 0.2), vector(3, 0.1));
    let (f, (gw, gh)) = recurrent_grad(&w, &h0, 3);
    assert_relative_eq!(f, recurrent(&w, &h0, 3), epsilon = 1e-14);
    assert_relative_eq!(gw, fd(&w, |w| recurrent(w, &h0, 3)), epsilon = 1e-7);
    assert_relative_eq!(gh, fdv(&h0, |h| recurrent(&w, h, 3)), epsilon = 1e-7);
    let (dw, dh) = (mat(3, 3, 1.0), vector(3, 1.5));
    let (_, df) = recurrent_jvp(&w, &dw, &h0, &dh, 3);
    assert_relative_eq!(df, gw.dot(&dw) + gh.dot(&dh), epsilon = 1e-12);
}

#[test]
fn static_sizes_at_f32() {
    let w = Matrix2x3::new(0.5f32, -0.2, 0.1, 0.3, 0.8, -0.4);
    let x = Vector3::new(1.0f32, -0.5, 0.25);
    let (f, (gw, gx)) = small_grad(&w, &x);
    assert_relative_eq!(f, small(&w, &x), epsilon = 1e-6);
    // d/dW ½ Σ y² = y xᵀ, d/dx = Wᵀ y; ‖W‖ adds W / ‖W‖.
    let y = w * x;
    assert_relative_eq!(gw, y * x.transpose() + w / w.norm(), epsilon = 1e-5);
    assert_relative_eq!(gx, w.transpose() * y, epsilon = 1e-5);
    let (dw, dx) = (
        Matrix2x3::from_element(0.3f32),
        Vector3::new(0.1f32, 0.2, -0.3),
    );
    let (_, df) = small_jvp(&w, &dw, &x, &dx);
    assert_relative_eq!(df, gw.dot(&dw) + gx.dot(&dx), epsilon = 1e-5);
}

#[test]
fn struct_of_matrices_with_a_method() {
    let net = Net {
        w1: mat(5, 3, 0.3),
        b1: vector(5, 0.6),
        w2: vector(5, 0.9),
        b2: 0.1,
    };
    let x = vector(3, 1.7);
    let (f, (g, gx, gt)) = net.loss_grad(&x, 0.25);
    assert_relative_eq!(f, net.loss(&x, 0.25), epsilon = 1e-14);
    let h = (&net.w1 * &x + &net.b1).map(f64::tanh);
    let err = net.w2.dot(&h) + net.b2 - 0.25;
    let delta = (&net.w2 * err).component_mul(&h.map(|t| 1.0 - t * t));
    assert_relative_eq!(g.w1, &delta * x.transpose(), epsilon = 1e-12);
    assert_relative_eq!(g.b1, delta.clone(), epsilon = 1e-12);
    assert_relative_eq!(g.w2, &h * err, epsilon = 1e-12);
    assert_relative_eq!(g.b2, err, epsilon = 1e-12);
    assert_relative_eq!(gx, net.w1.transpose() * &delta, epsilon = 1e-12);
    assert_relative_eq!(gt, -err, epsilon = 1e-12);
    let tangent = Net {
        w1: mat(5, 3, 2.0),
        b1: vector(5, 2.1),
        w2: vector(5, 2.2),
        b2: -0.5,
    };
    let dx = vector(3, 0.4);
    let (_, df) = net.loss_jvp(&tangent, &x, &dx, 0.25, 0.0);
    let dot = g.w1.dot(&tangent.w1)
        + g.b1.dot(&tangent.b1)
        + g.w2.dot(&tangent.w2)
        + g.b2 * tangent.b2
        + gx.dot(&dx);
    assert_relative_eq!(df, dot, epsilon = 1e-12);
}

/// A gradient with respect to some parameters only (`f_grad` written
/// directly, with owned adjoints).
#[grad(wrt(w))]
fn partial(w: &DMatrix<f64>, x: &DVector<f64>) -> f64 {
    (w * x).norm_squared()
}

#[test]
fn gradient_with_respect_to_one_matrix() {
    let (w, x) = (mat(2, 3, 0.4), vector(3, 0.8));
    let (f, gw) = partial_grad(&w, &x);
    let y = &w * &x;
    assert_relative_eq!(f, partial(&w, &x), epsilon = 1e-14);
    assert_relative_eq!(f, y.norm_squared(), epsilon = 1e-14);
    assert_relative_eq!(gw, 2.0 * &y * x.transpose(), epsilon = 1e-12);
}

/// An outer product and a row times a matrix (found by the differential
/// fuzzer: their adjoints had no runtime update).
#[jvp]
#[grad]
fn outer(u: &DVector<f64>, v: &DVector<f64>, w: &DMatrix<f64>) -> f64 {
    let m = u * v.transpose();
    let r = u.transpose() * w;
    (&m * &m).sum() + r.norm_squared()
}

#[test]
fn outer_products_and_rows() {
    let (u, v, w) = (vector(3, 0.1), vector(3, 0.5), mat(3, 3, 0.7));
    let (f, (gu, gv, gw)) = outer_grad(&u, &v, &w);
    assert_relative_eq!(f, outer(&u, &v, &w), epsilon = 1e-14);
    assert_relative_eq!(gu, fdv(&u, |u| outer(u, &v, &w)), epsilon = 1e-7);
    assert_relative_eq!(gv, fdv(&v, |v| outer(&u, v, &w)), epsilon = 1e-7);
    assert_relative_eq!(gw, fd(&w, |w| outer(&u, &v, w)), epsilon = 1e-7);
    let (du, dv, dw) = (vector(3, 1.0), vector(3, 2.0), mat(3, 3, 3.0));
    let (_, df) = outer_jvp(&u, &du, &v, &dv, &w, &dw);
    assert_relative_eq!(df, gu.dot(&du) + gv.dot(&dv) + gw.dot(&dw), epsilon = 1e-10);
}
