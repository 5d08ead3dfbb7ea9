//! The nalgebra MLP: its `#[grad]` gradient (a `NaParams` struct) equals
//! the flat-slice version's, the hand-written backprop of the seed's
//! formulas (flat and nalgebra), and central differences.

use adiff_bench::mlp::{self, Params};
use adiff_bench::mlp_na::{backprop, NaParams};
use approx::assert_relative_eq;

#[test]
fn gradient_matches_flat_and_hand_written() {
    let (p, x, labels) = mlp::synthetic_data(3, 11);
    let (q, xs) = (NaParams::from_flat(&p), NaParams::samples(&x));
    let (v, g) = q.loss_grad(&xs, &labels);
    let (fv, fg) = mlp::mlp_loss_grad(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels);
    assert_relative_eq!(v, fv, max_relative = 1e-13);
    let g = g.to_flat();
    for (a, b) in [
        (&g.w1, &fg.0),
        (&g.b1, &fg.1),
        (&g.w2, &fg.2),
        (&g.b2, &fg.3),
    ] {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert_relative_eq!(x, y, epsilon = 1e-13, max_relative = 1e-10);
        }
    }
    let mut hand = Params::zeros();
    mlp::mlp_grad_by_hand(&p, &x, &labels, &mut hand);
    let mut na = NaParams::from_flat(&Params::zeros());
    backprop(&q, &xs, &labels, &mut na);
    for (a, b) in g.flat().iter().zip(hand.flat()) {
        assert_relative_eq!(*a, b, epsilon = 1e-13, max_relative = 1e-10);
    }
    for (a, b) in na.to_flat().flat().iter().zip(hand.flat()) {
        assert_relative_eq!(*a, b, epsilon = 1e-13, max_relative = 1e-10);
    }
}

#[test]
fn gradient_matches_central_differences() {
    let (p, x, labels) = mlp::synthetic_data(2, 12);
    let (q, xs) = (NaParams::from_flat(&p), NaParams::samples(&x));
    let (_, g) = q.loss_grad(&xs, &labels);
    let h = 1e-6;
    for (i, j) in [(0, 0), (5, 700), (127, 3)] {
        let (mut a, mut b) = (q.clone(), q.clone());
        a.w1[(i, j)] += h;
        b.w1[(i, j)] -= h;
        let fd = (a.loss(&xs, &labels) - b.loss(&xs, &labels)) / (2.0 * h);
        assert_relative_eq!(g.w1[(i, j)], fd, epsilon = 1e-8);
    }
    for o in [0, 9] {
        let (mut a, mut b) = (q.clone(), q.clone());
        a.b2[o] += h;
        b.b2[o] -= h;
        let fd = (a.loss(&xs, &labels) - b.loss(&xs, &labels)) / (2.0 * h);
        assert_relative_eq!(g.b2[o], fd, epsilon = 1e-8);
    }
}
