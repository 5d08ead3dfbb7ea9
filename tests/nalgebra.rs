//! nalgebra values (feature `nalgebra`): `DVector`/`DMatrix`/`SVector`
//! parameters, differentiated whole-matrix by the linear-algebra rules.

use adiff::nalgebra::{DMatrix, DVector};
use adiff::{grad, jvp};
use approx::assert_relative_eq;

#[jvp]
#[grad]
fn layer(w: &DMatrix<f64>, b: &DVector<f64>, x: &DVector<f64>, v: &DVector<f64>) -> f64 {
    let z = w * x + b;
    let h = z.map(|t| t.tanh());
    let y = v.dot(&h);
    0.5 * y * y + h.norm_squared()
}

#[test]
fn smoke() {
    let w = DMatrix::from_fn(3, 2, |i, j| 0.3 * i as f64 - 0.2 * j as f64 + 0.1);
    let b = DVector::from_vec(vec![0.1, -0.2, 0.3]);
    let x = DVector::from_vec(vec![0.5, -1.0]);
    let v = DVector::from_vec(vec![1.0, 2.0, -1.0]);
    let (f, (gw, gb, gx, gv)) = layer_grad(&w, &b, &x, &v);
    let h = 1e-6;
    let mut w2 = w.clone();
    w2[(1, 0)] += h;
    let mut w3 = w.clone();
    w3[(1, 0)] -= h;
    let fd = (layer(&w2, &b, &x, &v) - layer(&w3, &b, &x, &v)) / (2.0 * h);
    assert_relative_eq!(gw[(1, 0)], fd, epsilon = 1e-7);
    assert_relative_eq!(f, layer(&w, &b, &x, &v));
    let _ = (gb, gx, gv);
}
