//! `#[derive(Differentiable)]` structs: parameters of a model as one
//! struct, gradients returned as the same struct. A 2-layer MLP whose loss
//! is a `&self` method is checked against hand-written backprop
//! (`dL/dW = δ hᵀ`, `δ_h = Wᵀ δ ⊙ σ'`), central differences, and forward
//! against reverse; smaller cases cover nested structs, integer fields,
//! `&mut` struct outputs and `f32`.

#![allow(clippy::needless_range_loop)]

use adiff::{grad, jvp, vjp, Differentiable};
use approx::assert_relative_eq;

/// `y = w2 · tanh(W1 x + b1) + b2`, `W1` row-major `hidden × inputs`.
#[derive(Differentiable, Clone, Debug, PartialEq)]
pub struct Mlp {
    pub w1: Vec<f64>,
    pub b1: Vec<f64>,
    pub w2: Vec<f64>,
    pub b2: f64,
    pub inputs: usize,
}

impl Mlp {
    /// Half the squared error on one example.
    #[jvp]
    #[grad]
    pub fn loss(&self, x: &[f64], target: f64) -> f64 {
        let hidden = self.b1.len();
        let mut y = self.b2;
        for j in 0..hidden {
            let mut z = self.b1[j];
            for i in 0..self.inputs {
                z += self.w1[j * self.inputs + i] * x[i];
            }
            y += self.w2[j] * z.tanh();
        }
        0.5 * (y - target).powi(2)
    }

    /// Hand-written backprop of `loss`: the seed's formulas.
    fn backprop(&self, x: &[f64], target: f64) -> (Mlp, Vec<f64>) {
        let hidden = self.b1.len();
        let h: Vec<f64> = (0..hidden)
            .map(|j| {
                let z = self.b1[j]
                    + (0..self.inputs)
                        .map(|i| self.w1[j * self.inputs + i] * x[i])
                        .sum::<f64>();
                z.tanh()
            })
            .collect();
        let y = self.b2 + (0..hidden).map(|j| self.w2[j] * h[j]).sum::<f64>();
        let delta = y - target;
        let mut g = Mlp {
            w1: vec![0.0; self.w1.len()],
            b1: vec![0.0; hidden],
            w2: h.iter().map(|hj| delta * hj).collect(),
            b2: delta,
            inputs: 0,
        };
        let mut gx = vec![0.0; self.inputs];
        for j in 0..hidden {
            let dh = self.w2[j] * delta * (1.0 - h[j] * h[j]);
            g.b1[j] = dh;
            for i in 0..self.inputs {
                g.w1[j * self.inputs + i] = dh * x[i];
                gx[i] += self.w1[j * self.inputs + i] * dh;
            }
        }
        (g, gx)
    }
}

fn mlp() -> Mlp {
    Mlp {
        w1: vec![0.5, -0.3, 0.8, 0.1, -0.7, 0.4],
        b1: vec![0.05, -0.1],
        w2: vec![1.2, -0.6],
        b2: 0.3,
        inputs: 3,
    }
}

fn flat(m: &Mlp) -> Vec<f64> {
    [m.w1.clone(), m.b1.clone(), m.w2.clone(), vec![m.b2]].concat()
}

fn unflat(v: &[f64], like: &Mlp) -> Mlp {
    let (a, b, c) = (like.w1.len(), like.b1.len(), like.w2.len());
    Mlp {
        w1: v[..a].to_vec(),
        b1: v[a..a + b].to_vec(),
        w2: v[a + b..a + b + c].to_vec(),
        b2: v[a + b + c],
        inputs: like.inputs,
    }
}

#[test]
fn mlp_gradient_is_a_struct_equal_to_backprop() {
    let m = mlp();
    let (x, t) = ([0.4, -1.1, 0.7], 0.25);
    let (l, (g, gx, gt)) = m.loss_grad(&x, t);
    assert_eq!(l, m.loss(&x, t));
    let (want, want_x) = m.backprop(&x, t);
    for (a, b) in flat(&g).iter().zip(flat(&want)) {
        assert_relative_eq!(*a, b, max_relative = 1e-12, epsilon = 1e-15);
    }
    for (a, b) in gx.iter().zip(&want_x) {
        assert_relative_eq!(*a, *b, max_relative = 1e-12);
    }
    // The integer field's gradient entry is zero: it carries none.
    assert_eq!(g.inputs, 0);
    assert_relative_eq!(
        gt,
        -(flat(&want)[flat(&want).len() - 1]),
        max_relative = 1e-12
    );
}

#[test]
fn mlp_forward_against_reverse_and_differences() {
    let m = mlp();
    let (x, t) = ([0.4, -1.1, 0.7], 0.25);
    let (_, (g, _, _)) = m.loss_grad(&x, t);
    // A tangent of the parameters; its integer field is ignored.
    let dir: Vec<f64> = (0..flat(&m).len())
        .map(|k| ((k * 7 % 5) as f64 - 2.0) * 0.3)
        .collect();
    let mut m_dot = unflat(&dir, &m);
    m_dot.inputs = 99;
    let (_, dl) = m.loss_jvp(&m_dot, &x, &[0.0; 3], t, 0.0);
    let dot: f64 = flat(&g).iter().zip(&dir).map(|(a, b)| a * b).sum();
    assert_relative_eq!(dl, dot, max_relative = 1e-12);
    let h = 1e-6;
    let at = |s: f64| {
        let p: Vec<f64> = flat(&m).iter().zip(&dir).map(|(a, b)| a + s * b).collect();
        unflat(&p, &m).loss(&x, t)
    };
    assert_relative_eq!(dl, (at(h) - at(-h)) / (2.0 * h), max_relative = 1e-7);
}

/// Nested structs and a `&mut` struct output.
#[derive(Differentiable, Clone, Debug)]
pub struct Layer {
    pub w: [f64; 2],
    pub b: f64,
}

#[derive(Differentiable, Clone, Debug)]
pub struct Net {
    pub first: Layer,
    pub second: Layer,
    pub steps: u32,
}

#[jvp]
#[grad]
fn net_value(p: &Net, x: [f64; 2]) -> f64 {
    let h = (p.first.w[0] * x[0] + p.first.w[1] * x[1] + p.first.b).sin();
    let mut y = p.second.b;
    for _ in 0..p.steps {
        y = y * p.second.w[0] + h * p.second.w[1];
    }
    y
}

#[jvp]
#[vjp]
fn scale_layer(l: &Layer, k: f64, out: &mut Layer) {
    out.w[0] = l.w[0] * k;
    out.w[1] = l.w[1] * k * k;
    out.b = l.b + k;
}

#[test]
fn nested_struct_gradient() {
    let p = Net {
        first: Layer {
            w: [0.3, -0.5],
            b: 0.1,
        },
        second: Layer {
            w: [0.9, 0.4],
            b: 0.2,
        },
        steps: 3,
    };
    let x = [0.7, 1.3];
    let (y, (g, gx)) = net_value_grad(&p, x);
    assert_eq!(y, net_value(&p, x));
    assert_eq!(g.steps, 0);
    // Against central differences, one parameter at a time.
    let h = 1e-6;
    let check = |set: &dyn Fn(&mut Net, f64), analytic: f64| {
        let (mut a, mut b) = (p.clone(), p.clone());
        set(&mut a, h);
        set(&mut b, -h);
        let fd = (net_value(&a, x) - net_value(&b, x)) / (2.0 * h);
        assert_relative_eq!(analytic, fd, max_relative = 1e-6, epsilon = 1e-9);
    };
    check(&|n, d| n.first.w[1] += d, g.first.w[1]);
    check(&|n, d| n.first.b += d, g.first.b);
    check(&|n, d| n.second.w[0] += d, g.second.w[0]);
    check(&|n, d| n.second.b += d, g.second.b);
    // Forward against reverse along every parameter and input at once.
    let t = Net {
        first: Layer {
            w: [0.2, -0.1],
            b: 0.3,
        },
        second: Layer {
            w: [-0.4, 0.5],
            b: 0.6,
        },
        steps: 5,
    };
    let (_, dy) = net_value_jvp(&p, &t, x, [0.1, -0.2]);
    let dot = g.first.w[0] * 0.2 - g.first.w[1] * 0.1 + g.first.b * 0.3 - g.second.w[0] * 0.4
        + g.second.w[1] * 0.5
        + g.second.b * 0.6
        + gx[0] * 0.1
        - gx[1] * 0.2;
    assert_relative_eq!(dy, dot, max_relative = 1e-12);
}

#[test]
fn struct_output_forward_against_reverse() {
    let l = Layer {
        w: [0.3, -0.5],
        b: 0.1,
    };
    let k = 1.7;
    let mut out = Layer {
        w: [0.0; 2],
        b: 0.0,
    };
    let mut out_dot = Layer {
        w: [0.0; 2],
        b: 0.0,
    };
    let l_dot = Layer {
        w: [0.2, 0.4],
        b: -0.3,
    };
    scale_layer_jvp(&l, &l_dot, k, 0.5, &mut out, &mut out_dot);
    let mut plain = Layer {
        w: [0.0; 2],
        b: 0.0,
    };
    scale_layer(&l, k, &mut plain);
    assert_eq!(plain.w, out.w);
    assert_relative_eq!(out.w[1], -0.5 * k * k, max_relative = 1e-15);
    assert_relative_eq!(
        out_dot.w[1],
        0.4 * k * k + -0.5 * 2.0 * k * 0.5,
        max_relative = 1e-12
    );
    // ⟨w, J t⟩ = ⟨Jᵀ w, t⟩ with a cotangent `w` on `out`.
    let mut l_bar = Layer {
        w: [0.0; 2],
        b: 0.0,
    };
    let mut k_bar = 0.0;
    let mut out2 = Layer {
        w: [0.0; 2],
        b: 0.0,
    };
    let mut out_bar = Layer {
        w: [1.1, -0.7],
        b: 0.4,
    };
    let w = out_bar.clone();
    scale_layer_vjp(&l, &mut l_bar, k, &mut k_bar, &mut out2, &mut out_bar);
    let lhs = w.w[0] * out_dot.w[0] + w.w[1] * out_dot.w[1] + w.b * out_dot.b;
    let rhs = l_bar.w[0] * 0.2 + l_bar.w[1] * 0.4 - l_bar.b * 0.3 + k_bar * 0.5;
    assert_relative_eq!(lhs, rhs, max_relative = 1e-12);
}

/// `f32` fields.
#[derive(Differentiable, Clone, Debug)]
pub struct Quad32 {
    pub a: f32,
    pub c: Vec<f32>,
}

#[jvp]
#[grad]
fn quad32(q: &Quad32, x: f32) -> f32 {
    let mut s = q.a * x * x;
    for i in 0..q.c.len() {
        s += q.c[i] * (x * (i as f32 + 1.0)).cos();
    }
    s
}

#[test]
fn f32_struct() {
    let q = Quad32 {
        a: 0.5,
        c: vec![1.0, -2.0],
    };
    let x = 0.8_f32;
    let (y, (g, gx)) = quad32_grad(&q, x);
    assert_eq!(y, quad32(&q, x));
    assert_relative_eq!(g.a, x * x, max_relative = 1e-6);
    assert_relative_eq!(g.c[1], (2.0 * x).cos(), max_relative = 1e-6);
    let want_x = 2.0 * 0.5 * x - 1.0 * x.sin() + 2.0 * 2.0 * (2.0 * x).sin();
    assert_relative_eq!(gx, want_x, max_relative = 1e-5);
    let t = Quad32 {
        a: 0.3,
        c: vec![0.1, 0.2],
    };
    let (_, d) = quad32_jvp(&q, &t, x, 0.4);
    let dot = g.a * 0.3 + g.c[0] * 0.1 + g.c[1] * 0.2 + gx * 0.4;
    assert_relative_eq!(d, dot, max_relative = 1e-5);
}
