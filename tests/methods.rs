//! `#[jvp]`, `#[vjp]` and `#[grad]` on methods whose receiver is a
//! constant (`impl adiff::Constant for Net {}`): `&self`, `&mut self` and
//! `self`, fields read (`self.w[i]`, `self.b`), calls between annotated
//! methods (`self.forward(x)`) and to associated functions
//! (`Self::act(z)`). Each is checked against the closed form, a central
//! difference, and forward against reverse, at `f64` and `f32`.

use adiff::{grad, jvp, vjp};
use approx::assert_relative_eq;

/// A one-neuron model: `tanh(b + Σ w_i x_i)`.
pub struct Net {
    pub w: Vec<f64>,
    pub b: f64,
    pub calls: usize,
}

impl adiff::Constant for Net {}

impl Net {
    #[jvp]
    #[vjp]
    fn act(z: f64) -> f64 {
        z.tanh()
    }

    #[jvp]
    #[vjp]
    fn forward(&self, x: &[f64]) -> f64 {
        let mut z = self.b;
        for (i, xi) in x.iter().enumerate() {
            z += self.w[i] * xi;
        }
        Self::act(z)
    }

    /// The squared error, through `forward`.
    #[jvp]
    #[grad]
    fn loss(&self, x: &[f64], target: f64) -> f64 {
        let y = self.forward(x);
        (y - target).powi(2)
    }

    /// `&mut self`, read only: the fields are constants.
    #[jvp]
    #[grad]
    fn scaled(&mut self, x: f64) -> f64 {
        x * self.b * self.calls as f64
    }
}

/// A receiver taken by value.
#[derive(Clone, Copy)]
pub struct Gain {
    pub k: f32,
}

impl adiff::Constant for Gain {}

impl Gain {
    #[jvp]
    #[grad]
    fn apply(self, x: f32, y: f32) -> f32 {
        self.k * (x * y).sin()
    }
}

const X: [f64; 3] = [0.3, 0.1, -0.4];
const U: [f64; 3] = [0.5, -0.25, 0.75];

fn net() -> Net {
    Net {
        w: vec![0.5, -1.0, 2.0],
        b: 0.1,
        calls: 3,
    }
}

/// `loss`'s gradient in closed form: `2 (y - t)(1 - y²) w`, and `∂/∂t`.
fn loss_exact(n: &Net, x: &[f64], t: f64) -> (Vec<f64>, f64) {
    let z = n.b + n.w.iter().zip(x).map(|(w, x)| w * x).sum::<f64>();
    let y = z.tanh();
    let d = 2.0 * (y - t) * (1.0 - y * y);
    (n.w.iter().map(|w| d * w).collect(), -2.0 * (y - t))
}

#[test]
fn loss_through_calls_between_methods() {
    let n = net();
    let t = 0.2;
    let (y, (g, gt)) = n.loss_grad(&X, t);
    assert_eq!(y, n.loss(&X, t));
    let (exact, exact_t) = loss_exact(&n, &X, t);
    for (a, b) in g.iter().zip(&exact) {
        assert_relative_eq!(*a, *b, max_relative = 1e-12);
    }
    assert_relative_eq!(gt, exact_t, max_relative = 1e-12);
    // Forward against reverse, and against a central difference.
    let (y2, dy) = n.loss_jvp(&X, &U, t, 0.3);
    assert_eq!(y2, y);
    let dot: f64 = g.iter().zip(&U).map(|(a, b)| a * b).sum::<f64>() + gt * 0.3;
    assert_relative_eq!(dy, dot, max_relative = 1e-12);
    let h = 1e-6;
    let at = |s: f64| {
        let x: Vec<f64> = X.iter().zip(&U).map(|(x, u)| x + s * u).collect();
        n.loss(&x, t + s * 0.3)
    };
    assert_relative_eq!(dy, (at(h) - at(-h)) / (2.0 * h), max_relative = 1e-7);
}

#[test]
fn forward_vjp_is_a_sibling_method() {
    let n = net();
    let mut x_bar = [0.0; 3];
    let y = n.forward_vjp(&X, &mut x_bar, 1.0);
    assert_eq!(y, n.forward(&X));
    let (_, dy) = n.forward_jvp(&X, &U);
    let dot: f64 = x_bar.iter().zip(&U).map(|(a, b)| a * b).sum();
    assert_relative_eq!(dy, dot, max_relative = 1e-12);
    let d = 1.0 - y * y;
    for (a, w) in x_bar.iter().zip(&n.w) {
        assert_relative_eq!(*a, d * w, max_relative = 1e-12);
    }
}

#[test]
fn mut_self_receiver_reads_fields() {
    let mut n = net();
    let (y, g) = n.scaled_grad(2.0);
    assert_eq!(y, n.scaled(2.0));
    assert_relative_eq!(y, 2.0 * 0.1 * 3.0, max_relative = 1e-15);
    assert_relative_eq!(g, 0.1 * 3.0, max_relative = 1e-15);
    let (_, dy) = n.scaled_jvp(2.0, 0.5);
    assert_relative_eq!(dy, 0.5 * g, max_relative = 1e-15);
    assert_eq!(n.calls, 3);
}

#[test]
fn value_receiver_at_f32() {
    let gain = Gain { k: 1.5 };
    let (x, y) = (0.7_f32, -0.4_f32);
    let (v, (gx, gy)) = gain.apply_grad(x, y);
    assert_eq!(v, gain.apply(x, y));
    let c = (x * y).cos();
    assert_relative_eq!(gx, 1.5 * y * c, max_relative = 1e-6);
    assert_relative_eq!(gy, 1.5 * x * c, max_relative = 1e-6);
    let (_, d) = gain.apply_jvp(x, 0.3, y, -0.2);
    assert_relative_eq!(d, 0.3 * gx - 0.2 * gy, max_relative = 1e-6);
    let h = 1e-3_f32;
    let fd =
        (gain.apply(x + 0.3 * h, y - 0.2 * h) - gain.apply(x - 0.3 * h, y + 0.2 * h)) / (2.0 * h);
    assert_relative_eq!(d, fd, max_relative = 1e-3);
}

/// A model generic over its float type at the `impl`: `float(T)` names
/// the `impl`'s parameter, which the attribute does not see.
pub struct Quad<T> {
    pub c: T,
}

impl<T> adiff::Constant for Quad<T> {}

impl<T: num_traits::Float> Quad<T> {
    #[jvp(float(T))]
    #[grad(float(T))]
    fn energy(&self, x: &[T]) -> T {
        let mut s = T::zero();
        for &v in x {
            s = s + self.c * v * v;
        }
        s
    }
}

#[test]
fn impl_generic_float_type() {
    let q = Quad { c: 0.5 };
    let (e, g) = q.energy_grad(&[1.0, -2.0]);
    assert_eq!(e, q.energy(&[1.0, -2.0]));
    assert_relative_eq!(g[0], 1.0, max_relative = 1e-15);
    assert_relative_eq!(g[1], -2.0, max_relative = 1e-15);
    let (_, d) = q.energy_jvp(&[1.0, -2.0], &[0.5, 0.75]);
    assert_relative_eq!(d, g[0] * 0.5 + g[1] * 0.75, max_relative = 1e-15);
    assert_relative_eq!(d, -1.0, max_relative = 1e-15);
    let q32 = Quad { c: 0.5_f32 };
    let (_, g32) = q32.energy_grad(&[1.0_f32, -2.0]);
    assert_relative_eq!(g32[1], -2.0, max_relative = 1e-6);
}
