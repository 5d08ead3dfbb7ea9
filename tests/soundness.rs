//! The soundness rule: every parameter is differentiable, known constant,
//! declared constant by the user, or checked by rustc; and methods that
//! write buffers without a derivative rule are compile errors (see the ui
//! cases `sound_buffer_methods` and `sound_param_types`). These tests show
//! the accepted side: constants declared by each route give the right
//! derivative, and writes into buffers that carry no derivative stay legal.

use adiff::{grad, jvp, vjp, Constant};
use approx::assert_relative_eq;
use std::cell::Cell;

/// A model parameter type of the user's: declared constant by the trait.
pub struct Config {
    pub power: i32,
}

impl Constant for Config {}

fn power_of(c: &Config) -> i32 {
    c.power
}

#[jvp]
#[grad]
fn by_trait(x: f64, c: &Config) -> f64 {
    let p: i32 = power_of(c);
    x.powi(p) + x
}

#[test]
fn a_type_implementing_constant_is_passed_through() {
    let c = Config { power: 3 };
    for x in [0.5, -1.2, 2.0] {
        let exact = 3.0 * x * x + 1.0;
        let (y, dy) = by_trait_jvp(x, 1.0, &c);
        assert_eq!(y, by_trait(x, &c));
        assert_relative_eq!(dy, exact, max_relative = 1e-14);
        let (y2, g) = by_trait_grad(x, &c);
        assert_eq!(y2, y);
        assert_relative_eq!(g, exact, max_relative = 1e-14);
        let h = 1e-6;
        let fd = (by_trait(x + h, &c) - by_trait(x - h, &c)) / (2.0 * h);
        assert_relative_eq!(dy, fd, max_relative = 1e-8);
    }
}

/// A foreign type (no `Constant` impl possible here): declared in the
/// attribute. `Cell<i32>::get` on it is a constant.
#[jvp(constant(k))]
#[grad(constant(k))]
fn by_attribute(x: f32, k: &Cell<i32>) -> f32 {
    x.powi(k.get()) * 2.0
}

#[test]
fn a_parameter_declared_constant_is_passed_through() {
    let k = Cell::new(4);
    for x in [0.5_f32, -1.5, 1.25] {
        let exact = 8.0 * x * x * x;
        let (_, dy) = by_attribute_jvp(x, 1.0, &k);
        assert_relative_eq!(dy, exact, max_relative = 1e-6);
        let (_, g) = by_attribute_grad(x, &k);
        assert_relative_eq!(g, dy, max_relative = 1e-6);
        let h = 1e-2_f32;
        let fd = (by_attribute(x + h, &k) - by_attribute(x - h, &k)) / (2.0 * h);
        assert_relative_eq!(dy, fd, max_relative = 1e-3);
    }
}

/// `&str`, `char` and `&[usize]` are known constants.
#[jvp]
#[vjp]
fn known_constants(x: f64, label: &str, c: char, idx: &[usize]) -> f64 {
    assert!(!label.is_empty());
    let mut s = 0.0;
    for &i in idx {
        s += x * (i as f64);
    }
    if c.is_alphabetic() {
        s *= x;
    }
    s
}

#[test]
fn strings_chars_and_index_slices_are_constants() {
    let idx = [1_usize, 2, 4];
    let x = 1.5;
    // s = 7x, then s·x = 7x² for a letter.
    let (y, d) = known_constants_jvp(x, 1.0, "a", 'q', &idx);
    assert_eq!(y, known_constants(x, "a", 'q', &idx));
    assert_relative_eq!(d, 14.0 * x, max_relative = 1e-14);
    let mut b = 0.0;
    known_constants_vjp(x, &mut b, "a", 'q', &idx, 1.0);
    assert_relative_eq!(b, d, max_relative = 1e-14);
    let (_, d) = known_constants_jvp(x, 1.0, "a", '7', &idx);
    assert_relative_eq!(d, 7.0, max_relative = 1e-14);
}

/// Buffers that carry no derivative may still be written by any method:
/// only writes into differentiable values need a rule.
#[jvp]
#[vjp]
fn constant_buffers(x: &[f64]) -> f64 {
    let mut order: Vec<usize> = Vec::new();
    for i in 0..x.len() {
        order.push(x.len() - 1 - i);
    }
    order.swap(0, 1);
    let mut weights = vec![1.0; 2];
    weights.push(3.0);
    weights.fill(2.0);
    let mut s = 0.0;
    for k in 0..order.len() {
        s += weights[k % weights.len()] * x[order[k]] * x[order[k]];
    }
    s
}

#[test]
fn writes_into_constant_buffers_are_allowed() {
    let x = [1.0, -2.0, 0.5];
    // s = 2 Σ x², gradient 4x.
    let mut g = [0.0; 3];
    let y = constant_buffers_vjp(&x, &mut g, 1.0);
    assert_eq!(y, constant_buffers(&x));
    assert_relative_eq!(y, 2.0 * (1.0 + 4.0 + 0.25), max_relative = 1e-14);
    for i in 0..3 {
        assert_relative_eq!(g[i], 4.0 * x[i], max_relative = 1e-14);
        let mut u = [0.0; 3];
        u[i] = 1.0;
        let (_, d) = constant_buffers_jvp(&x, &u);
        assert_relative_eq!(d, g[i], max_relative = 1e-14);
    }
}

/// A method result on a constant, passed straight to a call: a constant
/// (rustc checks its type is one), with no annotation needed.
pub struct Skeleton {
    bones: usize,
}

impl Constant for Skeleton {}

impl Skeleton {
    fn bones(&self) -> usize {
        self.bones
    }
}

fn spread(x: f64, n: usize) -> f64 {
    x * n as f64
}

fn spread_jvp(x: f64, x_dot: f64, n: usize) -> (f64, f64) {
    (spread(x, n), x_dot * n as f64)
}

fn spread_vjp(x: f64, x_bar: &mut f64, n: usize, out_bar: f64) -> f64 {
    *x_bar += out_bar * n as f64;
    spread(x, n)
}

#[jvp]
#[vjp]
fn rig(x: f64, m: &Skeleton) -> f64 {
    spread(x, m.bones()) * x
}

#[test]
fn method_results_on_constants_are_constant_arguments() {
    let m = Skeleton { bones: 5 };
    for x in [0.5, -2.0] {
        let (y, d) = rig_jvp(x, 1.0, &m);
        assert_eq!(y, rig(x, &m));
        assert_relative_eq!(d, 10.0 * x, max_relative = 1e-14);
        let mut b = 0.0;
        rig_vjp(x, &mut b, &m, 1.0);
        assert_relative_eq!(b, d, max_relative = 1e-14);
    }
}

/// Taking the bits of a differentiable value for a test (its sign here) is
/// fine: only rebuilding a float from such bits is an error (ui case
/// `sound_from_bits`).
#[jvp]
#[vjp]
fn sign_by_bits(x: f64) -> f64 {
    let negative = x.to_bits() >> 63 == 1;
    if negative {
        -x * x
    } else {
        x * x
    }
}

#[test]
fn bits_used_for_a_test_leave_the_derivative_alone() {
    for x in [1.5, -0.5] {
        let (y, d) = sign_by_bits_jvp(x, 1.0);
        assert_eq!(y, sign_by_bits(x));
        assert_relative_eq!(d, 2.0 * x.abs(), max_relative = 1e-14);
        let mut b = 0.0;
        sign_by_bits_vjp(x, &mut b, 1.0);
        assert_relative_eq!(b, d, max_relative = 1e-14);
    }
}
