//! The compact expansion (issue 18): codegen folds single-use temporaries
//! into the expressions that read them, and reverse mode drops the adjoint
//! zero/re-add of self-updates and restores nothing reads. Each test is a
//! function where one of those rewrites would change a value if it were
//! applied where its condition fails: an operand written between a
//! temporary and its use, an operator whose parentheses matter, an adjoint
//! read between its zeroing and its re-add, a restore that is read. Values
//! are compared with the plain function to the bit, derivatives with closed
//! forms, central differences and the forward/reverse dot product.

// The self-updates are written `c = e + c` on purpose: that is the shape
// whose reverse the peephole rewrites.
#![allow(clippy::assign_op_pattern)]

use adiff::{grad, jvp, vjp};
use approx::assert_relative_eq;

fn fd(f: impl Fn(f64) -> f64, x: f64) -> f64 {
    let h = 1e-6;
    (f(x + h) - f(x - h)) / (2.0 * h)
}

/// `a.sin()` is computed before `mem::replace` writes `a`: folding it into
/// the sum after the write would read the new `a`.
#[jvp]
#[grad]
fn read_before_write(x: f64) -> f64 {
    let mut a = x;
    a.sin() + std::mem::replace(&mut a, 2.0 * x) + a
}

#[test]
fn a_temporary_does_not_move_past_a_write_of_its_operand() {
    for x in [0.3f64, -1.2, 2.5] {
        let exact = x.sin() + x + 2.0 * x;
        assert_eq!(read_before_write(x), exact);
        let (y, dy) = read_before_write_jvp(x, 1.0);
        assert_eq!(y, exact);
        assert_relative_eq!(dy, x.cos() + 3.0, max_relative = 1e-14);
        let (y, g) = read_before_write_grad(x);
        assert_eq!(y, exact);
        assert_relative_eq!(g, x.cos() + 3.0, max_relative = 1e-14);
    }
}

/// Operators whose grouping changes the value: the folded expressions
/// must keep the parentheses the A-normal form implied.
#[jvp]
#[vjp]
fn grouping(x: f64, y: f64, n: usize) -> f64 {
    let a = x - (y - x * 0.5);
    let b = (x + y) * (x - y);
    let c = -(x * y + 1.0) / (y * y + 2.0);
    let d = ((n + 1) as f64) * x / ((n * 2) as f64);
    let e = if (x < y) == (y < 1.0) { x } else { y };
    let f = (x + y).sin() - (x - y).exp() * 0.1;
    a + b * 0.3 + c + d + e + f
}

#[test]
fn folded_expressions_keep_the_grouping_of_the_operations() {
    let value = |x: f64, y: f64, n: usize| {
        let a = x - (y - x * 0.5);
        let b = (x + y) * (x - y);
        let c = -(x * y + 1.0) / (y * y + 2.0);
        let d = ((n + 1) as f64) * x / ((n * 2) as f64);
        let e = if (x < y) == (y < 1.0) { x } else { y };
        let f = (x + y).sin() - (x - y).exp() * 0.1;
        a + b * 0.3 + c + d + e + f
    };
    for (x, y) in [(0.4, 1.7), (2.0, -0.5), (-1.1, 0.2)] {
        let f0 = value(x, y, 3);
        assert_eq!(grouping(x, y, 3), f0);
        let (v, dx) = grouping_jvp(x, 1.0, y, 0.0, 3);
        assert_eq!(v, f0);
        let (_, dy) = grouping_jvp(x, 0.0, y, 1.0, 3);
        assert_relative_eq!(dx, fd(|x| value(x, y, 3), x), max_relative = 1e-7);
        assert_relative_eq!(dy, fd(|y| value(x, y, 3), y), max_relative = 1e-7);
        let (mut xb, mut yb) = (0.0, 0.0);
        let v = grouping_vjp(x, &mut xb, y, &mut yb, 3, 1.0);
        assert_eq!(v, f0);
        assert_relative_eq!(xb, dx, max_relative = 1e-13);
        assert_relative_eq!(yb, dy, max_relative = 1e-13);
    }
}

/// Self-updates (`c = e + c`), whose reverse zeroes `c`'s adjoint and adds
/// it back. In the second and third, `e` itself reads `c`, so `c_bar`
/// receives more between the zeroing and the re-add; in the fourth the
/// update is not of that shape (`c` twice).
#[jvp]
#[vjp]
fn self_updates(x: f64, y: f64) -> f64 {
    let mut c = x;
    let mut d = y;
    c = (0.5 * d).sin() + c;
    c = (c * 2.0).sin() + c;
    d = c * d + d;
    c = c * c + c;
    c + d
}

#[test]
fn self_updates_keep_their_adjoints() {
    let value = |x: f64, y: f64| {
        let mut c = x;
        let mut d = y;
        c += (0.5 * d).sin();
        c += (c * 2.0).sin();
        d += c * d;
        c += c * c;
        c + d
    };
    for (x, y) in [(0.3, 0.8), (-0.7, 1.4)] {
        let f0 = value(x, y);
        assert_eq!(self_updates(x, y), f0);
        let (_, dx) = self_updates_jvp(x, 1.0, y, 0.0);
        let (_, dy) = self_updates_jvp(x, 0.0, y, 1.0);
        assert_relative_eq!(dx, fd(|x| value(x, y), x), max_relative = 1e-7);
        assert_relative_eq!(dy, fd(|y| value(x, y), y), max_relative = 1e-7);
        let (mut xb, mut yb) = (0.0, 0.0);
        let w = -1.3;
        self_updates_vjp(x, &mut xb, y, &mut yb, w);
        // The dot product with directions (0.6, -0.2).
        let (_, t) = self_updates_jvp(x, 0.6, y, -0.2);
        assert_relative_eq!(w * t, xb * 0.6 + yb * -0.2, max_relative = 1e-13);
    }
}

/// Restores: `a` is overwritten three times. The reverse of the last
/// update needs the `a` before it (`a * b` reads it), so that restore must
/// stay; the restore before `a = a.exp()` is overwritten by the next one
/// before any read.
#[jvp]
#[vjp]
fn restores(x: f64, y: f64) -> f64 {
    let mut a = x;
    let mut b = y;
    a = a.sin() * 0.5 + a;
    b = a * b;
    a = a.exp() * 0.1;
    a = a * b + a;
    a + b
}

#[test]
fn only_unread_restores_go() {
    let value = |x: f64, y: f64| {
        let mut a = x;
        let mut b = y;
        a += a.sin() * 0.5;
        b *= a;
        a = a.exp() * 0.1;
        a += a * b;
        a + b
    };
    for (x, y) in [(0.3, 0.8), (1.7, -0.4)] {
        let f0 = value(x, y);
        assert_eq!(restores(x, y), f0);
        let (_, dx) = restores_jvp(x, 1.0, y, 0.0);
        let (_, dy) = restores_jvp(x, 0.0, y, 1.0);
        assert_relative_eq!(dx, fd(|x| value(x, y), x), max_relative = 1e-7);
        assert_relative_eq!(dy, fd(|y| value(x, y), y), max_relative = 1e-7);
        let (mut xb, mut yb) = (0.0, 0.0);
        restores_vjp(x, &mut xb, y, &mut yb, 1.0);
        assert_relative_eq!(xb, dx, max_relative = 1e-13);
        assert_relative_eq!(yb, dy, max_relative = 1e-13);
    }
}

/// `b * b` differentiates to `b_dot * b + b_dot * b`, printed doubled.
/// Doubling is exact, so the derivative equals the closed form `2 b b'`
/// computed the same way, to the bit.
#[jvp]
#[grad]
#[allow(dead_code)]
fn square(x: f64) -> f64 {
    let b = x.sin();
    b * b
}

#[test]
fn a_doubled_term_is_exact() {
    for x in [0.3f64, 1.1, -2.4] {
        let (b, db) = (x.sin(), x.cos());
        let (_, d) = square_jvp(x, 1.0);
        assert_eq!(d, db * b + db * b);
        let (_, g) = square_grad(x);
        assert_eq!(g, 2.0 * b * db);
    }
}
