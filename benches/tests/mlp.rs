//! The MLP's generated gradient agrees with the hand-derived
//! backpropagation and with central finite differences.

use adiff_bench::mlp::*;
use approx::assert_relative_eq;

const BATCH: usize = 3;

#[test]
fn generated_gradient_matches_backpropagation() {
    let (p, x, labels) = synthetic_data(BATCH, 7);
    let value = mlp_loss(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels);

    let mut hand = Params::zeros();
    let hand_value = mlp_grad_by_hand(&p, &x, &labels, &mut hand);
    assert_relative_eq!(hand_value, value, max_relative = 1e-14);

    let (v, (w1, b1, w2, b2)) = mlp_loss_grad(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels);
    assert_relative_eq!(v, value, max_relative = 1e-14);
    let grad = Params { w1, b1, w2, b2 };
    assert_relative_eq!(
        &grad.flat()[..],
        &hand.flat()[..],
        max_relative = 1e-12,
        epsilon = 1e-15
    );

    let mut bar = Params::zeros();
    let mut x_bar = vec![0.0; x.len()];
    assert_relative_eq!(
        vjp(&p, &x, &mut x_bar, &labels, &mut bar),
        value,
        max_relative = 1e-14
    );
    assert_eq!(bar, grad);
}

fn block(q: &mut Params, b: usize) -> &mut Vec<f64> {
    match b {
        0 => &mut q.w1,
        1 => &mut q.b1,
        2 => &mut q.w2,
        _ => &mut q.b2,
    }
}

#[test]
fn gradient_matches_central_differences() {
    let (p, x, labels) = synthetic_data(BATCH, 8);
    let (_, (w1, b1, w2, b2)) = mlp_loss_grad(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels);
    let loss = |q: &Params| mlp_loss(&q.w1, &q.b1, &q.w2, &q.b2, &x, &labels);
    let h = 1e-5;
    for (b, grad) in [w1, b1, w2, b2].iter().enumerate() {
        // A few entries of each parameter block, spread over the block.
        for i in [0, grad.len() / 3, grad.len() - 1] {
            let mut q = p.clone();
            let base = block(&mut q, b)[i];
            block(&mut q, b)[i] = base + h;
            let up = loss(&q);
            block(&mut q, b)[i] = base - h;
            let down = loss(&q);
            let fd = (up - down) / (2.0 * h);
            assert_relative_eq!(grad[i], fd, max_relative = 1e-6, epsilon = 1e-9);
        }
    }
}

#[test]
fn report_case_checks_pass() {
    let case = case(BATCH);
    assert_eq!(case.runs[0].label, "f");
    for check in &case.checks {
        assert!(check.ends_with(" ok"), "{check}");
    }
}

/// `f_hvp` of the loss: its gradient is `f_grad`'s, `H·v` agrees with
/// central differences of `f_grad` along `v`, and `⟨u, H·v⟩ = ⟨H·u, v⟩`.
#[test]
fn hessian_vector_products() {
    let (p, x, labels) = synthetic_data(BATCH, 9);
    let (u, _, _) = synthetic_data(1, 10);
    let (v, _, _) = synthetic_data(1, 11);
    let (value, g, hv) = hvp(&p, &v, &x, &labels);
    assert_relative_eq!(
        value,
        mlp_loss(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels),
        max_relative = 1e-14
    );
    let (_, (w1, b1, w2, b2)) = mlp_loss_grad(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels);
    let grad = Params { w1, b1, w2, b2 };
    assert_relative_eq!(
        &g.flat()[..],
        &grad.flat()[..],
        max_relative = 1e-12,
        epsilon = 1e-15
    );
    let h = 1e-5;
    let grad_at = |t: f64| {
        let q = p.axpy(t, &v);
        let (_, (w1, b1, w2, b2)) = mlp_loss_grad(&q.w1, &q.b1, &q.w2, &q.b2, &x, &labels);
        Params { w1, b1, w2, b2 }.flat()
    };
    let fd: Vec<f64> = grad_at(h)
        .iter()
        .zip(grad_at(-h))
        .map(|(a, b)| (a - b) / (2.0 * h))
        .collect();
    assert_relative_eq!(&hv.flat()[..], &fd[..], max_relative = 1e-5, epsilon = 1e-8);
    let (_, _, hu) = hvp(&p, &u, &x, &labels);
    let dot =
        |a: &Params, b: &Params| -> f64 { a.flat().iter().zip(b.flat()).map(|(x, y)| x * y).sum() };
    assert_relative_eq!(dot(&u, &hv), dot(&hu, &v), max_relative = 1e-10);
}
