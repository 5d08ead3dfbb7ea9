//! Regression tests: minimal reproducers of bugs found by the differential
//! tests and by reviews, each checked with the dot-product test between
//! `_jvp` and `_vjp` (and, where it applies, against a closed form).

#![allow(
    clippy::needless_range_loop,
    clippy::self_assignment,
    unused_assignments
)]

use adiff::{grad, jvp, vjp};
use approx::assert_relative_eq;

/// ⟨w, J·u⟩ = ⟨Jᵀ·w, u⟩ for `fn(x, v, buf) -> f64` shaped functions.
macro_rules! dot_check {
    ($f:ident, $jvp:ident, $vjp:ident, $x:expr, $v:expr, $buf:expr) => {{
        let (x, v, buf0): (f64, Vec<f64>, Vec<f64>) = ($x, $v, $buf);
        let ux = 0.7;
        let uv: Vec<f64> = (0..v.len()).map(|i| (i as f64 * 1.3 + 0.2).sin()).collect();
        let ub: Vec<f64> = (0..buf0.len())
            .map(|i| (i as f64 * 0.9 - 0.4).cos())
            .collect();
        let wr = -0.6;
        let wb: Vec<f64> = (0..buf0.len())
            .map(|i| (i as f64 * 2.1 + 0.5).sin())
            .collect();
        let mut b = buf0.clone();
        let y = $f(x, &v, &mut b);
        let (mut b, mut bd) = (buf0.clone(), ub.clone());
        let (y1, yd) = $jvp(x, ux, &v, &uv, &mut b, &mut bd);
        assert_eq!(y1, y);
        let lhs = wr * yd + wb.iter().zip(&bd).map(|(a, b)| a * b).sum::<f64>();
        let (mut b, mut bb, mut xb, mut vb) = (buf0.clone(), wb.clone(), 0.0, vec![0.0; v.len()]);
        let y2 = $vjp(x, &mut xb, &v, &mut vb, &mut b, &mut bb, wr);
        assert_eq!(y2, y);
        let rhs = xb * ux
            + vb.iter().zip(&uv).map(|(a, b)| a * b).sum::<f64>()
            + bb.iter().zip(&ub).map(|(a, b)| a * b).sum::<f64>();
        assert_relative_eq!(lhs, rhs, max_relative = 1e-12, epsilon = 1e-14);
    }};
}

/// Differential testing, seeds 20/33/52: `return x` from inside a loop with
/// no other reverse work gave an empty reverse for that exit, so `x_bar`
/// missed `out_bar`.
#[jvp]
#[vjp]
fn return_from_quiet_loop(x: f64, v: &[f64], buf: &mut [f64]) -> f64 {
    let mut k = 0;
    while k < 3 {
        k += 1;
        if buf[2] > v[0] {
            return x;
        }
    }
    buf[0]
}

#[test]
fn return_inside_loop_seeds_its_adjoint() {
    for b2 in [-1.0, 1.0] {
        dot_check!(
            return_from_quiet_loop,
            return_from_quiet_loop_jvp,
            return_from_quiet_loop_vjp,
            0.4,
            vec![0.1, 0.2],
            vec![0.5, 0.3, b2]
        );
    }
    let (mut xb, mut vb, mut bb) = (0.0, [0.0; 2], [0.0; 3]);
    return_from_quiet_loop_vjp(
        0.4,
        &mut xb,
        &[0.1, 0.2],
        &mut vb,
        &mut [0.5, 0.3, 1.0],
        &mut bb,
        1.0,
    );
    assert_eq!(xb, 1.0);
}

/// Behaviour tests: a `&mut` parameter passed straight on to a callee
/// (`g(v)`, not `g(&mut a)`) was not recorded before the call, so the
/// callee's `_vjp` ran on the final contents.
#[jvp]
#[vjp]
fn scale_rest(x: f64, v: &[f64], buf: &mut [f64]) {
    for i in 1..buf.len() {
        buf[i] *= buf[i - 1] + x * v[0];
    }
}

#[jvp]
#[vjp]
fn passes_buffer_on(x: f64, v: &[f64], buf: &mut [f64]) -> f64 {
    buf[0] *= x;
    scale_rest(x, v, buf);
    buf[2] * buf[1]
}

#[test]
fn mut_parameter_passed_to_callee() {
    dot_check!(
        passes_buffer_on,
        passes_buffer_on_jvp,
        passes_buffer_on_vjp,
        0.8,
        vec![0.3],
        vec![0.9, 1.1, -0.7, 0.4]
    );
}

/// Differential testing: `s = s;` made an assignment that read its own
/// target (an internal error).
#[allow(dead_code)]
#[jvp]
#[vjp]
fn self_assignment(x: f64, v: &[f64], buf: &mut [f64]) -> f64 {
    let mut s = x * v[0];
    s = s;
    s * s + buf[0]
}

#[test]
fn self_assignment_is_fine() {
    dot_check!(
        self_assignment,
        self_assignment_jvp,
        self_assignment_vjp,
        0.8,
        vec![0.3],
        vec![0.9]
    );
}

/// Differential testing: a recomputed local array lost its `[f64; 4]`
/// annotation, so `(a[0] * a[0]).recip()` did not type-check.
#[jvp]
#[vjp]
fn recomputed_literal_array(x: f64, v: &[f64], buf: &mut [f64]) -> f64 {
    let a: [f64; 2] = [0.25, -0.5];
    let mut s = x;
    for i in 0..v.len() {
        if v[i] > s {
            s += (a[0] * a[0] + x * x).recip() * v[i];
        }
    }
    s + buf[0]
}

#[test]
fn recomputed_locals_keep_their_type() {
    dot_check!(
        recomputed_literal_array,
        recomputed_literal_array_jvp,
        recomputed_literal_array_vjp,
        0.1,
        vec![0.3, -0.2, 0.9],
        vec![0.5]
    );
}

/// Differential testing: an inactive float result of a call that writes an
/// active buffer referred to the out-of-scope result for its zero cotangent.
#[jvp]
#[vjp]
fn bump(x: f64, v: &[f64], buf: &mut [f64]) -> f64 {
    buf[0] += x * v[0];
    1.0
}

#[jvp]
#[vjp]
fn discards_call_result(x: f64, v: &[f64], buf: &mut [f64]) -> f64 {
    if x > 0.0 {
        let mut _unused = bump(x, v, buf);
        _unused = 2.0;
    }
    buf[0] * x
}

#[test]
fn discarded_call_result_in_branch() {
    dot_check!(
        discards_call_result,
        discards_call_result_jvp,
        discards_call_result_vjp,
        0.5,
        vec![0.3],
        vec![0.9]
    );
}

/// Corpus test (libm `y0`): an integer result of a call with active
/// arguments (`lx = h(x)`) was treated as needing `h_vjp`.
fn exponent_bits(x: f64) -> u32 {
    (x.to_bits() >> 52) as u32
}

#[allow(clippy::needless_late_init)]
#[jvp]
#[vjp]
fn integer_call_result(x: f64, v: &[f64], buf: &mut [f64]) -> f64 {
    let e: u32;
    e = exponent_bits(x);
    if e > 5000 {
        return x;
    }
    x * v[0] + buf[0] + f64::from(e) * 0.0
}

#[test]
fn calls_returning_integers_need_no_derivative() {
    dot_check!(
        integer_call_result,
        integer_call_result_jvp,
        integer_call_result_vjp,
        1.5,
        vec![0.3],
        vec![0.9]
    );
}

/// Corpus test (statrs sampling): a `&mut` to a user type passed with an
/// active argument is a constant once the type says it carries no
/// derivative (`adiff::Constant`, checked by rustc).
struct Counter {
    calls: usize,
}

impl adiff::Constant for Counter {}

fn scaled(c: &mut Counter, p: f64) -> f64 {
    c.calls += 1;
    p * 2.0
}

fn scaled_jvp(c: &mut Counter, p: f64, p_dot: f64) -> (f64, f64) {
    (scaled(c, p), 2.0 * p_dot)
}

#[allow(dead_code)]
#[jvp]
fn user_type_argument(c: &mut Counter, p: f64) -> f64 {
    scaled(c, p) * p
}

#[test]
fn references_to_user_types_are_constants() {
    let mut c = Counter { calls: 0 };
    let (v, d) = user_type_argument_jvp(&mut c, 1.5, 1.0);
    assert_eq!(v, 4.5);
    assert_eq!(d, 6.0); // d(2p²)/dp
    assert_eq!(c.calls, 1);
}

/// Differential testing, seed 220: the peephole that declares an adjoint
/// with its first value moved `s0_bar`'s declaration after a read of it
/// (an internal error).
#[jvp]
#[vjp]
fn adjoint_read_before_first_value(x: f64, v: &[f64], buf: &mut [f64]) -> f64 {
    let mut s0: f64 = x * 0.5;
    s0 += s0.max(v[1]);
    if s0 > 1.0 {
        return x;
    }
    s0 + buf[0]
}

#[test]
fn adjoint_declared_before_use() {
    for x in [0.3, 2.5] {
        dot_check!(
            adjoint_read_before_first_value,
            adjoint_read_before_first_value_jvp,
            adjoint_read_before_first_value_vjp,
            x,
            vec![0.1, 0.2],
            vec![0.4]
        );
    }
}

/// Differential testing, seed 541: `hypot(0, 0)` gave NaN partials (0/0);
/// by the documented convention its derivative there is 0.
#[allow(clippy::eq_op)]
#[jvp]
#[vjp]
fn hypot_at_origin(x: f64, v: &[f64], buf: &mut [f64]) -> f64 {
    let a = x - x;
    let b = v[0] * 0.0;
    a.hypot(b) + buf[0]
}

#[test]
fn hypot_at_origin_has_zero_derivative() {
    let (y, dy) = hypot_at_origin_jvp(0.4, 1.0, &[0.3], &[1.0], &mut [0.0], &mut [0.0]);
    assert_eq!((y, dy), (0.0, 0.0));
    dot_check!(
        hypot_at_origin,
        hypot_at_origin_jvp,
        hypot_at_origin_vjp,
        0.4,
        vec![0.3],
        vec![0.0]
    );
}

/// Review: `#[grad]` with `&[S; N]`, `&mut [S; N]` and `&Vec<S>` parameters
/// made zero adjoints with `zero_like(&a)` of a reference (did not compile).
#[allow(dead_code, clippy::ptr_arg)]
#[adiff::grad]
fn grad_of_referenced_arrays(a: &[f64; 3], m: &mut [f64; 2], v: &Vec<f64>) -> f64 {
    m[0] = a[0] * a[1];
    a[2] * m[0] + m[1] + v[0] * v[0]
}

#[test]
fn gradients_of_referenced_arrays() {
    let (value, (ga, gm, gv)) =
        grad_of_referenced_arrays_grad(&[1.0, 2.0, 3.0], &mut [0.5, 0.5], &vec![1.5]);
    assert_eq!(value, 3.0 * 2.0 + 0.5 + 2.25);
    assert_eq!(ga, [6.0, 3.0, 2.0]);
    // m[0] is overwritten before it is read: its initial value has no influence.
    assert_eq!(gm, [0.0, 1.0]);
    assert_eq!(gv, vec![3.0]);
}

/// Review of the fused final loop: a buffer written inside a nested block of
/// the loop carries a value into the next iteration, so the loop's adjoint
/// depends on iteration order and must not be fused (it was, and
/// `v_bar` came out shifted by one iteration).
#[jvp]
#[vjp]
fn carried_through_nested_write(x: f64, v: &[f64], buf: &mut [f64]) -> f64 {
    let mut s = x;
    for i in 0..v.len() {
        let t = buf[0];
        for _ in 0..1 {
            buf[0] = v[i];
        }
        s += t * t;
    }
    s
}

#[test]
fn final_loop_with_carried_buffer_is_not_fused() {
    let v = vec![1.0, 2.0, 3.0];
    let (mut b, mut bb, mut xb, mut vb) = (vec![0.5], vec![0.0], 0.0, vec![0.0; 3]);
    let y = carried_through_nested_write_vjp(0.0, &mut xb, &v, &mut vb, &mut b, &mut bb, 1.0);
    // s = 0.5² + 1² + 2²: v[2] never reaches s, buf[0] only through t.
    assert_relative_eq!(y, 5.25);
    assert_relative_eq!(vb.as_slice(), [2.0, 4.0, 0.0].as_slice());
    assert_relative_eq!(bb[0], 1.0);
    dot_check!(
        carried_through_nested_write,
        carried_through_nested_write_jvp,
        carried_through_nested_write_vjp,
        0.3,
        vec![1.0, -2.0, 0.5, 0.25],
        vec![0.5, 1.5]
    );
}

const WIDE: usize = 40;

/// Benchmark suite (MLP): a local array longer than 32 elements, recorded
/// per iteration, needed `[f64; 40]: Default`, which std does not provide,
/// so the gradient did not compile.
#[grad]
fn wide_local_array(w: &[f64], x: &[f64]) -> f64 {
    let mut total = 0.0;
    for s in 0..x.len() {
        let mut h = [0.0; WIDE];
        for j in 0..WIDE {
            h[j] = (w[j] * x[s]).tanh();
        }
        let mut y = 0.0;
        for j in 0..WIDE {
            y += w[j] * h[j];
        }
        total += y * y;
    }
    total / x.len() as f64
}

#[test]
fn arrays_longer_than_32_can_be_recorded() {
    let w: Vec<f64> = (0..WIDE).map(|j| (j as f64 * 0.37).sin() * 0.3).collect();
    let x = [0.5, -1.25, 2.0];
    let (v, g) = wide_local_array_grad(&w, &x);
    assert_relative_eq!(v, wide_local_array(&w, &x));
    let h = 1e-6;
    for j in [0, 17, WIDE - 1] {
        let (mut wp, mut wm) = (w.clone(), w.clone());
        wp[j] += h;
        wm[j] -= h;
        let fd = (wide_local_array(&wp, &x) - wide_local_array(&wm, &x)) / (2.0 * h);
        assert_relative_eq!(g.0[j], fd, max_relative = 1e-6, epsilon = 1e-9);
    }
}

#[jvp]
#[vjp]
fn add_into(x: f64, v: &[f64], buf: &mut [f64]) -> f64 {
    buf[1] += x * v[0];
    x.sin() * buf[0]
}

/// Differential testing (final accumulating loops), seed 88: a call result
/// stored into an element of an unused local array had its zero cotangent
/// built with the shape of the whole array, which did not compile.
#[jvp]
#[vjp]
fn result_into_unused_element(x: f64, v: &[f64], buf: &mut [f64]) -> f64 {
    let mut a: [f64; 4] = [0.25, -0.5, 0.75, 1.0];
    let s0 = x * 0.5 + v[0];
    let mut acc = 0.0;
    for i in 0..3 {
        a[0] = add_into(s0 * v[1], v, buf);
        acc += buf[i] * 0.5;
    }
    acc
}

#[test]
fn discarded_result_in_array_element() {
    dot_check!(
        result_into_unused_element,
        result_into_unused_element_jvp,
        result_into_unused_element_vjp,
        0.3,
        vec![1.0, 2.0, 3.0, 4.0],
        vec![0.5, 0.1, 0.2, 0.3]
    );
}

/// Benchmark suite: `macro_rules!` passes a `$body:block` fragment as an
/// invisible group; followed by another statement, the macro could not
/// parse the function ("applies to a function item").
macro_rules! sum_with_body {
    ($name:ident, |$s:ident, $v:ident| $body:block) => {
        #[grad]
        fn $name(x: &[f64]) -> f64 {
            let mut $s = 0.0;
            for &$v in x {
                $body
                $s += 1.0;
            }
            $s
        }
    };
}

sum_with_body!(sum_of_squares_plus_count, |s, v| {
    s += v * v;
});

#[test]
fn block_fragment_from_macro_rules() {
    let (v, g) = sum_of_squares_plus_count_grad(&[1.0, 2.0]);
    assert_relative_eq!(v, 7.0);
    assert_relative_eq!(v, sum_of_squares_plus_count(&[1.0, 2.0]));
    assert_relative_eq!(g.as_slice(), [2.0, 4.0].as_slice());
}

/// The signature of the generator's functions (`adiff-fuzz`) and of
/// their derivatives.
type Generated = fn(f64, &[f64], usize, &mut [f64]) -> f64;
type GeneratedJvp = fn(f64, f64, &[f64], &[f64], usize, &mut [f64], &mut [f64]) -> (f64, f64);
type GeneratedVjp =
    fn(f64, &mut f64, &[f64], &mut [f64], usize, &mut [f64], &mut [f64], f64) -> f64;

/// Checks a function with the generator's signature at one point, as the
/// differential tests do, with the result and the final `buf` as outputs:
/// J·u from `_jvp` against a central difference of `f`, and the dot-product
/// test ⟨w, J·u⟩ = ⟨Jᵀ·w, u⟩ against `_vjp`. The point must be at least the
/// step away from branch switches and trip-count changes.
fn check_generated(
    (f, f_jvp, f_vjp): (Generated, GeneratedJvp, GeneratedVjp),
    x: f64,
    v: &[f64],
    n: usize,
    buf: &[f64],
) {
    let ux = 0.7;
    let uv: Vec<f64> = (0..v.len()).map(|i| (i as f64 * 1.3 + 0.2).sin()).collect();
    let ub: Vec<f64> = (0..buf.len())
        .map(|i| (i as f64 * 0.9 - 0.4).cos())
        .collect();
    let wr = -0.6;
    let wb: Vec<f64> = (0..buf.len())
        .map(|i| (i as f64 * 2.1 + 0.5).sin())
        .collect();
    let outputs = |t: f64| -> Vec<f64> {
        let vt: Vec<f64> = v.iter().zip(&uv).map(|(a, b)| a + t * b).collect();
        let mut bt: Vec<f64> = buf.iter().zip(&ub).map(|(a, b)| a + t * b).collect();
        let y = f(x + t * ux, &vt, n, &mut bt);
        std::iter::once(y).chain(bt).collect()
    };
    let y = outputs(0.0);
    let (mut b, mut bd) = (buf.to_vec(), ub.clone());
    let (y1, yd) = f_jvp(x, ux, v, &uv, n, &mut b, &mut bd);
    assert_eq!(y1, y[0]);
    let ju: Vec<f64> = std::iter::once(yd).chain(bd).collect();
    let h = 1e-6;
    let (plus, minus) = (outputs(h), outputs(-h));
    for (i, d) in ju.iter().enumerate() {
        let fd = (plus[i] - minus[i]) / (2.0 * h);
        assert_relative_eq!(*d, fd, max_relative = 1e-6, epsilon = 1e-8);
    }
    let lhs = wr * ju[0] + wb.iter().zip(&ju[1..]).map(|(a, b)| a * b).sum::<f64>();
    let (mut b, mut bb, mut xb, mut vb) = (buf.to_vec(), wb.clone(), 0.0, vec![0.0; v.len()]);
    let y2 = f_vjp(x, &mut xb, v, &mut vb, n, &mut b, &mut bb, wr);
    assert_eq!(y2, y[0]);
    let rhs = xb * ux
        + vb.iter().zip(&uv).map(|(a, b)| a * b).sum::<f64>()
        + bb.iter().zip(&ub).map(|(a, b)| a * b).sum::<f64>();
    assert_relative_eq!(lhs, rhs, max_relative = 1e-10, epsilon = 1e-12);
}

/// Issue 22, differential testing, seed 50595. The final loop of `g1`
/// updates two accumulators, `s1 -= t` and `acc += s1`, and was fused (its
/// reverse run inside the forward iterations). But `acc += s1` reads `s1`,
/// so `s1_bar` grows by `acc_bar` with every later iteration, and the fused
/// loop used the final `s1_bar` in every iteration. The accumulators' own
/// updates were exempt from the "read nowhere else" check, so one
/// accumulator's update reading another went unnoticed. The mismatch showed
/// in `g2` (the shrunk reproducer), whose loops carry `g1`'s result into
/// `buf`.
#[allow(warnings, clippy::all, clippy::pedantic)] // verbatim generator output
mod seed_50595 {
    use adiff::{jvp, vjp};

    #[jvp]
    #[vjp]
    pub fn g0(x: f64, v: &[f64], n: usize, buf: &mut [f64]) -> f64 {
        let mut a: [f64; 4] = [0.25, -0.5, 0.75, 1.0];
        let mut s0: f64 = x * 0.5 + v[0];
        for i0 in (0..v.len()).rev() {
            for i1 in 0..3 {
                let mut s1: f64 = s0;
                a[1] = x;
            }
            s0 = s0 * 0.5 + s0;
            a[(i0 + 3) % 4] = buf[(n + 1) % 4];
        }
        s0 -= ((s0 - v[(n + 1) % 4 % v.len()]) - ((s0).tanh() * 1.2).tan());
        if (buf[1] / (1.5 + a[0] * a[0]))
            <= (((buf[(n + 1) % 4]).tanh()) * ((buf[(n + 1) % 4]).tanh()) + 0.5).cbrt()
        {
            s0 = s0 * 0.5 + (x * (v[3 % v.len()] - s0));
            buf[2] += buf[1];
            for i0 in (0..v.len()).rev() {
                if (i0 as f64 * 0.5) > ((i0 as f64 * 0.5) * s0) {
                    continue;
                }
            }
        }
        for i0 in 0..v.len() {
            s0 += v[1 % v.len()];
        }
        let mut acc: f64 = 0.0;
        for i_acc in 0..n {
            if (x - a[3]) <= ((v[(i_acc + 2) % 4 % v.len()]).tanh() * 0.9).asin() {
                let mut s2: f64 = buf[(n + 0) % 4];
                let mut s3: f64 = (((x).atan()).tanh()).exp2();
            } else {
                let mut s4: f64 = (((x * x).ln_1p()).tanh()).exp2();
            }
            acc += (((0.66_f64).tanh()) * ((0.66_f64).tanh()) + 0.5).ln();
        }
        acc
    }

    #[jvp]
    #[vjp]
    pub fn g1(x: f64, v: &[f64], n: usize, buf: &mut [f64]) -> f64 {
        let mut a: [f64; 4] = [0.25, -0.5, 0.75, 1.0];
        let mut s0: f64 = x * 0.5 + v[0];
        a[2] = s0;
        let mut s1: f64 = a[2];
        if (a[3]).tanh() > (s0 * x) {
            a[3] = (x / (1.5 + v[(n + 0) % 4 % v.len()] * v[(n + 0) % 4 % v.len()]));
        }
        buf[0] += (s0 * buf[3]);
        if (s0 + s1) < x {
            let mut s2: f64 = (s1 * v[3 % v.len()]);
        } else {
            let mut s3: f64 = s1;
        }
        let mut k4 = 0;
        while k4 < 6 && s1 < 2.0 {
            k4 += 1;
            s1 += 0.3 + ((((x).tanh()) * ((x).tanh()) + 0.5).sqrt()).tanh() * 0.1;
            {
                for i1 in 0..n {
                    a[2] = (a[(i1 + 0) % 4] - 1.59_f64).min((k4 as f64 * 0.5));
                    let mut s5: f64 = ((x - -1.09_f64).tanh()).powi(2);
                }
                let mut s6: f64 = (buf[1] * g0(x, v, n, buf));
                buf[3] += (x).atan();
            }
        }
        let mut acc: f64 = 0.0;
        for i_acc in 0..n {
            s1 -= ((-0.49_f64 - s0) - buf[(i_acc + 3) % 4]);
            for i1 in (0..n).rev() {
                let mut s7: f64 = ((x * x).ln_1p()
                    / (1.5
                        + (((x).tanh()) * ((x).tanh()) + 0.5).powf(1.0)
                            * (((x).tanh()) * ((x).tanh()) + 0.5).powf(1.0)));
                let mut s8: f64 = (x + (v[(n + 0) % 4 % v.len()] / (1.5 + x * x)));
            }
            acc += s1;
        }
        acc
    }

    #[jvp]
    #[vjp]
    pub fn g2(x: f64, v: &[f64], n: usize, buf: &mut [f64]) -> f64 {
        let mut a: [f64; 4] = [0.25, -0.5, 0.75, 1.0];
        let mut s0: f64 = x * 0.5 + v[0];
        s0 *= (g1(((a[(n + 3) % 4]).tanh()).exp_m1(), v, n, buf)).tanh() * 0.5 + 1.0;
        for i0 in (0..n).rev() {
            for i1 in (0..((x * x * 2.0) as usize % 4 + 1)).rev() {
                buf[(i1 + 1) % 4] += s0;
                if (s0 * v[1 % v.len()]) > (i0 as f64 * 0.5) {
                    continue;
                }
            }
        }
        ((0.47_f64).tanh() * 1.2).tan() + a[1] * 0.5 + buf[0]
    }
}

#[test]
fn seed_50595_accumulator_read_by_accumulator() {
    use seed_50595::*;
    let v = [-0.6138234778728492, 1.393397545556513];
    let buf = [
        0.8424803765392179,
        -0.583270488080933,
        0.8582034011996384,
        -0.17948065618371567,
    ];
    // The input the fuzzer found, then `g1` alone at `g2`'s call (n = 2
    // or more gives the final loop a second iteration).
    check_generated((g2, g2_jvp, g2_vjp), -1.053715580043928, &v, 2, &buf);
    for n in [1, 2, 3] {
        check_generated((g1, g1_jvp, g1_vjp), (-0.5f64).tanh().exp_m1(), &v, n, &buf);
    }
}

/// Issue 22, minimal form of seed 50595: the final loop's two accumulators,
/// one read by the other's update. ∂acc/∂s0 is n, not 1 per iteration
/// summed the wrong way round.
#[jvp]
#[vjp]
fn accumulator_reads_accumulator(x: f64, v: &[f64], buf: &mut [f64]) -> f64 {
    let mut s1 = x * 0.5 + v[0];
    let mut acc = 0.0;
    for i in 0..3 {
        s1 -= buf[i] - x;
        acc += s1;
    }
    acc
}

/// The same loop before other statements: it is not fused, but its reverse
/// was still run in forward iteration order ("order-free"), which is wrong
/// for the same reason.
#[jvp]
#[vjp]
fn accumulator_reads_accumulator_mid(x: f64, v: &[f64], buf: &mut [f64]) -> f64 {
    let mut s1 = x * 0.5 + v[0];
    let mut acc = 0.0;
    for i in 0..3 {
        s1 -= buf[i] - x;
        acc += s1;
    }
    buf[3] = acc * x;
    acc.sin()
}

#[test]
fn accumulator_read_by_another_accumulator() {
    let v = vec![0.4, -1.1];
    let buf = vec![0.3, -0.2, 0.9, 0.5];
    // acc = Σ_{k=1..3} (s1₀ − Σ_{i<k} (buf[i] − x)) with s1₀ = x/2 + v[0]:
    // ∂acc/∂x = 3/2 + (1 + 2 + 3), ∂acc/∂v[0] = 3, ∂acc/∂buf = [−3, −2, −1].
    let (mut b, mut bb, mut xb, mut vb) = (buf.clone(), vec![0.0; 4], 0.0, vec![0.0; 2]);
    accumulator_reads_accumulator_vjp(0.2, &mut xb, &v, &mut vb, &mut b, &mut bb, 1.0);
    assert_relative_eq!(xb, 7.5, epsilon = 1e-12);
    assert_relative_eq!(vb.as_slice(), [3.0, 0.0].as_slice(), epsilon = 1e-12);
    assert_relative_eq!(
        bb.as_slice(),
        [-3.0, -2.0, -1.0, 0.0].as_slice(),
        epsilon = 1e-12
    );
    dot_check!(
        accumulator_reads_accumulator,
        accumulator_reads_accumulator_jvp,
        accumulator_reads_accumulator_vjp,
        0.2,
        v.clone(),
        buf.clone()
    );
    dot_check!(
        accumulator_reads_accumulator_mid,
        accumulator_reads_accumulator_mid_jvp,
        accumulator_reads_accumulator_mid_vjp,
        0.2,
        v,
        buf
    );
}

/// Issue 22: the shape the seed 50595 reproducer suggested, a call that
/// writes the buffer followed by reversed nested loops whose inner loop has
/// a run-time trip count and ends early. Its derivative was right; it is
/// kept because the suspicion is natural and the shape is otherwise
/// untested end to end.
#[jvp]
#[vjp]
fn call_then_reversed_loops_with_continue(x: f64, v: &[f64], n: usize, buf: &mut [f64]) -> f64 {
    let mut s0 = x * 0.5 + v[0];
    s0 *= add_into(s0, v, buf).tanh() * 0.5 + 1.0;
    for i0 in (0..n).rev() {
        for i1 in (0..((x * x * 2.0) as usize % 4 + 1)).rev() {
            buf[(i1 + 1) % 4] += s0 * buf[i1 % 4];
            if s0 * v[1] > i0 as f64 * 0.5 {
                continue;
            }
            s0 = s0.sin();
        }
    }
    s0 + buf[0]
}

#[test]
fn call_writing_buffer_then_reversed_loops_that_end_early() {
    let buf = [0.84, -0.58, 0.86, -0.18];
    // x = −1.05: three inner iterations; v[1] decides which take `continue`.
    for v1 in [1.39, -0.4] {
        let v = [-0.61, v1];
        check_generated(
            (
                call_then_reversed_loops_with_continue,
                call_then_reversed_loops_with_continue_jvp,
                call_then_reversed_loops_with_continue_vjp,
            ),
            -1.05,
            &v,
            2,
            &buf,
        );
    }
}

/// Issue 22, differential testing, seed 50480: the IR interpreter's fixed
/// step limit stopped the reverse sweep of `g2` (nine calls of `g1` in
/// nested loops, each calling `g0` in loops) with the analyses switched
/// off: the primal takes 143k steps, that reverse sweep over 500k. The
/// derivative was right and its cost a constant multiple of the primal's
/// (joint mode runs a callee once more per call level); the harness now
/// scales the limit with the primal. This checks the derivative end to end.
#[allow(warnings, clippy::all, clippy::pedantic)] // verbatim generator output
mod seed_50480 {
    use adiff::{jvp, vjp};

    #[jvp]
    #[vjp]
    pub fn g0(x: f64, v: &[f64], n: usize, buf: &mut [f64]) -> f64 {
        let mut a: [f64; 4] = [0.25, -0.5, 0.75, 1.0];
        let mut s0: f64 = x * 0.5 + v[0];
        let mut k1 = 0;
        while k1 < 6 && s0 < 2.3 {
            k1 += 1;
            s0 += 0.3 + (v[(n + 3) % 4 % v.len()] - v[(n + 3) % 4 % v.len()]).tanh() * 0.1;
            {
                for i1 in 0..((x * x * 2.0) as usize % 4 + 1) {
                    let mut s2: f64 = (((i1 as f64 * 0.5) - x)
                        / (1.5
                            + (i1 as f64 * 0.5).min(buf[(n + 0) % 4])
                                * (i1 as f64 * 0.5).min(buf[(n + 0) % 4])));
                }
            }
        }
        if ((x).tanh()).cosh() <= (1.14_f64).sin() {
            if (s0 * v[1 % v.len()]) > (v[(n + 2) % 4 % v.len()] * v[1 % v.len()]) {
                a[2] = ((((v[1 % v.len()]).tanh()).exp_m1()).tanh() * 0.9).asin();
                s0 += (((buf[(n + 2) % 4]).tanh()).powi(3))
                    .hypot((((s0).tanh()) * ((s0).tanh()) + 0.5).log10());
                a[1] = ((0.72_f64 * x).tanh()).exp();
            } else {
                s0 -= ((((v[2 % v.len()] * v[2 % v.len()]).ln_1p()).tanh())
                    * (((v[2 % v.len()] * v[2 % v.len()]).ln_1p()).tanh())
                    + 0.5)
                    .log2();
                buf[0] += x;
                buf[3] += (((-1.66_f64).tanh()) * ((-1.66_f64).tanh()) + 0.5).recip();
            }
            s0 = s0 * 0.5 + (s0 - s0);
            s0 = s0 * 0.5
                + (((((x).tanh()).cosh()).tanh()) * ((((x).tanh()).cosh()).tanh()) + 0.5).powf(0.8);
        }
        for i0 in 0..n {
            s0 += 0.1;
        }
        let mut acc: f64 = 0.0;
        for i_acc in 0..n {
            a[2] = ((buf[3] * buf[(n + 0) % 4]) * (v[3 % v.len()] - -0.26_f64));
            if (0.12_f64 / (1.5 + 1.41_f64 * 1.41_f64)) <= (x).min(a[(i_acc + 1) % 4]) {
                return ((((buf[(i_acc + 3) % 4]).max(a[0])).tanh())
                    * (((buf[(i_acc + 3) % 4]).max(a[0])).tanh())
                    + 0.5)
                    .log10();
            }
            if ((((x).tanh()) * ((x).tanh()) + 0.5) + 1.0).acosh()
                > (((s0).tanh()) * ((s0).tanh()) + 0.5).sqrt()
            {
                s0 += 0.1;
            }
            acc += ((((i_acc as f64 * 0.5).tanh()) * ((i_acc as f64 * 0.5).tanh()) + 0.5).recip()
                * (x - x));
        }
        acc
    }

    #[jvp]
    #[vjp]
    pub fn g1(x: f64, v: &[f64], n: usize, buf: &mut [f64]) -> f64 {
        let mut a: [f64; 4] = [0.25, -0.5, 0.75, 1.0];
        let mut s0: f64 = x * 0.5 + v[0];
        let mut s1: f64 = s0;
        s0 -= g0(((a[0]).tanh()).cosh(), v, n, buf);
        if (v[3 % v.len()] / (1.5 + v[0 % v.len()] * v[0 % v.len()])) <= g0(x, v, n, buf) {
            return (0.23_f64 / (1.5 + s0 * s0)).clamp(-0.8, 0.9);
        }
        let mut k2 = 0;
        while k2 < 6 && s1 < 1.1 {
            k2 += 1;
            s1 += 0.3 + (x + a[0]).tanh() * 0.1;
            {
                for i1 in 0..((x * x * 2.0) as usize % 4 + 0) {
                    buf[(k2 + 3) % 4] += (v[(k2 + 0) % 4 % v.len()] * x);
                }
                s0 *= (((((x + 3.0).abs()).tanh()) * (((x + 3.0).abs()).tanh()) + 0.5).log(2.8))
                    .tanh()
                    * 0.5
                    + 1.0;
                for i1 in (0..v.len()).rev() {
                    a[(i1 + 1) % 4] = g0(a[(i1 + 1) % 4], v, n, buf);
                }
            }
        }
        if s1 <= g0(-0.24_f64, v, n, buf) {
            s1 += ((a[0]).tanh()).cosh();
        }
        let mut s3: f64 = (v[(n + 2) % 4 % v.len()] - (v[(n + 2) % 4 % v.len()] * a[3]));
        for i0 in (0..v.len()).rev() {
            if v[(n + 0) % 4 % v.len()] < (s0 * (i0 as f64 * 0.5)) {
                s0 += 0.1;
            }
        }
        let mut acc: f64 = 0.0;
        for i_acc in 0..n {
            buf[3] += (a[(i_acc + 3) % 4])
                .atan2((((a[(i_acc + 3) % 4]).tanh()) * ((a[(i_acc + 3) % 4]).tanh()) + 0.5));
            if (buf[(n + 0) % 4] + a[1]) > ((s0).tanh() * 0.9).atanh() {
                s3 -= ((s0 * buf[3]).tanh()).exp_m1();
                a[(i_acc + 2) % 4] =
                    ((((x).tanh()) * ((x).tanh()) + 0.5).log2()).max((a[2]).clamp(-0.8, 0.9));
            }
            acc += (x * (((s3).tanh()) * ((s3).tanh()) + 0.5).log(2.2));
        }
        acc
    }

    #[jvp]
    #[vjp]
    pub fn g2(x: f64, v: &[f64], n: usize, buf: &mut [f64]) -> f64 {
        let mut a: [f64; 4] = [0.25, -0.5, 0.75, 1.0];
        for i0 in 0..n {
            for i1 in 0..((x * x * 2.0) as usize % 4 + 1) {
                if g1(buf[(n + 2) % 4], v, n, buf) <= buf[3] {
                    continue;
                }
            }
        }
        a[2] + a[1] * 0.5 + buf[0]
    }
}

#[test]
fn seed_50480_calls_in_nested_loops() {
    use seed_50480::*;
    let v = [
        -1.3189518411588623,
        -1.4434155495121122,
        1.0608881776668015,
        -0.29301524679612756,
        -0.3966543153662965,
    ];
    let buf = [
        -0.7861823305425026,
        0.16194231530256298,
        0.967480885369471,
        0.9225616316743093,
    ];
    check_generated((g2, g2_jvp, g2_vjp), -1.0964265324246147, &v, 3, &buf);
}

/// `#[grad(wrt(p))]` passing a parameter that `wrt` leaves out to a callee
/// gave the callee `&mut &zero` as that argument's adjoint, which rustc
/// rejected at the attribute (found writing `examples/mlp_train.rs`).
mod wrt_excluded_callee_argument {
    use super::*;

    #[jvp]
    #[vjp]
    pub fn inner(p: &[f64], x: &[f64; 2]) -> f64 {
        p[0] * x[0] + p[1] * x[1]
    }

    #[jvp]
    #[grad(wrt(p))]
    pub fn in_loop(p: &[f64], x: &[[f64; 2]]) -> f64 {
        let mut s = 0.0;
        for n in 0..x.len() {
            s = s * 0.5 + inner(p, &x[n]);
        }
        s
    }

    #[jvp]
    #[vjp]
    pub fn inner_slice(p: &[f64], x: &[f64]) -> f64 {
        p[0] * x[0] + p[1] * x[1]
    }

    #[jvp]
    #[grad(wrt(p))]
    pub fn whole_slice(p: &[f64], x: &[f64]) -> f64 {
        inner_slice(p, x).sin()
    }

    #[test]
    fn gradients_match_closed_forms_and_forward_mode() {
        let p = [0.3, -0.7];
        let x = [[1.0, 2.0], [-0.5, 0.25], [1.5, -1.0]];
        let (v, g) = in_loop_grad(&p, &x);
        assert_eq!(v, in_loop(&p, &x));
        // s = sum_n 0.5^(N-1-n) p.x_n.
        for j in 0..2 {
            let exact: f64 = (0..3).map(|n| 0.5f64.powi(2 - n as i32) * x[n][j]).sum();
            assert_relative_eq!(g[j], exact, max_relative = 1e-14);
            let mut u = [0.0; 2];
            u[j] = 1.0;
            let (_, t) = in_loop_jvp(&p, &u, &x, &[[0.0; 2]; 3]);
            assert_relative_eq!(g[j], t, max_relative = 1e-14);
        }
        let xs = [0.4, -1.2];
        let (v, g) = whole_slice_grad(&p, &xs);
        assert_eq!(v, whole_slice(&p, &xs));
        let c = (p[0] * xs[0] + p[1] * xs[1]).cos();
        assert_relative_eq!(g[0], c * xs[0], max_relative = 1e-14);
        assert_relative_eq!(g[1], c * xs[1], max_relative = 1e-14);
    }
}

/// `(0..40).map(|i| ..).collect()` over an integer literal range: the trip
/// count `max(40, 0)` was spelt `f64::max(40, 0)` and did not compile.
mod literal_range_collect {
    use super::*;

    #[jvp]
    #[vjp]
    fn spread(b: [f64; 2]) -> Vec<f64> {
        (0..40)
            .map(|i| {
                let t = i as f64 * 0.05;
                (b[0] * t).exp() * (b[1] + t).cos()
            })
            .collect()
    }

    #[test]
    fn closed_form_and_dot_product() {
        let b = [0.3, -0.2];
        let u = [0.7, -1.1];
        let (y, yd) = spread_jvp(b, u);
        assert_eq!(y, spread(b));
        assert_eq!(y.len(), 40);
        let w: Vec<f64> = (0..40).map(|i| (i as f64 * 0.37).sin()).collect();
        for i in 0..40 {
            let t = i as f64 * 0.05;
            let (e, c) = ((b[0] * t).exp(), (b[1] + t).cos());
            let exact = u[0] * t * e * c - u[1] * e * (b[1] + t).sin();
            assert_relative_eq!(yd[i], exact, max_relative = 1e-12, epsilon = 1e-14);
        }
        let mut b_bar = [0.0; 2];
        let y2 = spread_vjp(b, &mut b_bar, w.clone());
        assert_eq!(y2, y);
        let lhs: f64 = w.iter().zip(&yd).map(|(a, b)| a * b).sum();
        let rhs = b_bar[0] * u[0] + b_bar[1] * u[1];
        assert_relative_eq!(lhs, rhs, max_relative = 1e-12, epsilon = 1e-14);
    }
}
