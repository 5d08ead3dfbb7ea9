//! The generated `_jvp` keeps the visibility, generics and where-clause of
//! `f`, and `#[jvp]` works together with other attributes.

// Test functions are written in the styles users write (index loops,
// compound assignments), to exercise the macro on them.
#![allow(
    clippy::needless_range_loop,
    clippy::assign_op_pattern,
    clippy::ptr_arg
)]

mod common;

use adiff::jvp;
use approx::assert_relative_eq;

mod inner {
    use adiff::jvp;

    /// Public inside a private module: `norm2_jvp` must be reachable from
    /// the parent just like `norm2`.
    #[jvp]
    pub fn norm2<const N: usize>(x: [f64; N]) -> f64 {
        let mut s = 0.0;
        for xi in x {
            s += xi * xi;
        }
        s
    }

    #[jvp]
    pub(crate) fn scaled<const N: usize>(x: &[f32; N], k: f32) -> f32
    where
        [f32; N]: Copy,
    {
        let mut s = 0.0;
        for i in 0..N {
            s += k * x[i].sin();
        }
        s
    }
}

#[test]
fn const_generic_array_parameter() {
    let x = [1.0, -2.0, 0.5];
    for k in 0..3 {
        let mut dx = [0.0; 3];
        dx[k] = 1.0;
        let (y, dy) = inner::norm2_jvp(x, dx);
        assert_eq!(y, inner::norm2(x));
        assert_relative_eq!(dy, 2.0 * x[k], max_relative = 1e-15);
    }
}

#[test]
fn where_clause_and_f32() {
    let x = [0.3_f32, 1.2, -0.7, 2.0];
    let k = 1.7_f32;
    let dir = [0.5_f32, -1.0, 0.25, 2.0];
    let (y, dy) = inner::scaled_jvp(&x, &dir, k, 0.3);
    assert_eq!(y, inner::scaled(&x, k));
    let closed: f32 = (0..4)
        .map(|i| 0.3 * x[i].sin() + k * x[i].cos() * dir[i])
        .sum();
    let fd = common::f32h::fd(|t| {
        let xt: [f32; 4] = std::array::from_fn(|i| x[i] + t * dir[i]);
        inner::scaled(&xt, k + 0.3 * t)
    });
    common::f32h::check(dy, closed, fd);
}

/// Other attributes stay on `f`, and `#[inline]` carries over to `f_jvp`.
#[jvp]
#[inline]
#[allow(clippy::suboptimal_flops)]
#[must_use]
fn with_attributes(x: f64, y: f64) -> f64 {
    x * y + x.exp()
}

#[test]
fn other_attributes_are_kept() {
    let (v, d) = with_attributes_jvp(0.4, 1.0, 2.0, 0.0);
    assert_eq!(v, with_attributes(0.4, 2.0));
    let fd = common::f64h::fd(|t| with_attributes(0.4 + t, 2.0));
    common::f64h::check(d, 2.0 + 0.4_f64.exp(), fd);
}

/// A parameter literally named like a generated tangent does not collide.
#[jvp]
fn names_collide(x: f64, x_dot: f64) -> f64 {
    let t0 = x * x_dot;
    t0.sin() + x
}

#[test]
fn user_names_that_look_generated() {
    let (v, d) = names_collide_jvp(0.7, 1.0, 1.3, 0.0);
    assert_eq!(v, names_collide(0.7, 1.3));
    assert_relative_eq!(d, 1.3 * (0.7_f64 * 1.3).cos() + 1.0, max_relative = 1e-15);
    let (_, d2) = names_collide_jvp(0.7, 0.0, 1.3, 1.0);
    assert_relative_eq!(d2, 0.7 * (0.7_f64 * 1.3).cos(), max_relative = 1e-15);
}
