//! The checkpointing benchmark's functions give the plain tape's gradient,
//! which matches central differences.

use adiff_bench::checkpoint::{
    pendulum, pendulum_binomial_vjp, pendulum_periodic_vjp, pendulum_vjp,
};
use approx::assert_relative_eq;

fn grad(f: impl Fn(&mut f64, &mut f64) -> f64) -> (f64, f64, f64) {
    let (mut k_bar, mut c_bar) = (0.0, 0.0);
    let y = f(&mut k_bar, &mut c_bar);
    (y, k_bar, c_bar)
}

#[test]
fn every_scheme_gives_the_tape_gradient() {
    let (k, c) = (2.0, 0.1);
    for steps in [0, 1, 50, 2000] {
        let plain = grad(|kb, cb| pendulum_vjp(k, kb, c, cb, steps, 1.0));
        let periodic = grad(|kb, cb| pendulum_periodic_vjp(k, kb, c, cb, steps, 1.0));
        assert_eq!(plain, periodic, "periodic at {steps} steps");
        for s in [1, 2, 10, 20] {
            let binomial = grad(|kb, cb| pendulum_binomial_vjp(k, kb, c, cb, steps, s, 1.0));
            assert_eq!(plain, binomial, "S = {s} at {steps} steps");
        }
        let h = 1e-6;
        let fd_k = (pendulum(k + h, c, steps) - pendulum(k - h, c, steps)) / (2.0 * h);
        let fd_c = (pendulum(k, c + h, steps) - pendulum(k, c - h, steps)) / (2.0 * h);
        assert_relative_eq!(plain.1, fd_k, max_relative = 1e-6, epsilon = 1e-9);
        assert_relative_eq!(plain.2, fd_c, max_relative = 1e-6, epsilon = 1e-9);
    }
}
