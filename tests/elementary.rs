//! Elementary functions, each called both as a method (`x.sin()`) and as an
//! associated function (`f64::sin(x)`), with the documented conventions at
//! kinks of the non-smooth ones.

// These tests exercise the macros on the styles numeric code is written in
// (index loops, manual copies, `&Vec` parameters, literal casts, early
// returns), so the lints against those styles are off in this file.
#![allow(
    clippy::needless_range_loop,
    clippy::manual_memcpy,
    clippy::ptr_arg,
    clippy::assign_op_pattern,
    clippy::useless_vec,
    clippy::unnecessary_cast,
    clippy::let_and_return,
    clippy::manual_swap,
    clippy::approx_constant,
    clippy::excessive_precision,
    clippy::needless_return,
    clippy::needless_late_init,
    clippy::identity_op,
    clippy::erasing_op,
    clippy::neg_multiply,
    clippy::manual_range_contains,
    clippy::never_loop,
    clippy::unused_unit,
    clippy::let_unit_value,
    clippy::collapsible_if,
    clippy::collapsible_else_if,
    clippy::too_many_arguments,
    clippy::type_complexity,
    unreachable_code,
    unused_assignments
)]

mod common;

mod double {
    use crate::common::f64h::*;
    use autodiff::{jvp, vjp};

    /// Generates a test for a unary `f` with closed-form derivative `d(x)`:
    /// compares `f_jvp(x, dx)` with `d(x) * dx` and finite differences, for
    /// every point and two tangent seeds.
    macro_rules! unary_test {
        ($test:ident, $f:ident, $fj:ident, |$x:ident| $d:expr, [$($p:expr),* $(,)?]) => {
            #[test]
            fn $test() {
                for &$x in &[$($p),*] {
                    for &dx in &[1.0, -0.7] {
                        let (v, t) = $fj($x, dx);
                        assert_eq!(v, $f($x), "primal value");
                        let exact: f64 = $d * dx;
                        check(t, exact, fd(|s| $f($x + s * dx)));
                    }
                }
            }
        };
    }

    /// Reverse mode of a unary `f`: the dot-product test between `f_jvp` and
    /// `f_vjp`, and `f_vjp` with `out_bar = 1` against the closed form `d(x)`.
    macro_rules! unary_rev_test {
        ($test:ident, $f:ident, $fj:ident, $fv:ident, |$x:ident| $d:expr, [$($p:expr),* $(,)?]) => {
            #[test]
            fn $test() {
                for (i, &$x) in [$($p),*].iter().enumerate() {
                    rev_dot!($f, $fj, $fv, i as u64; val $x);
                    let exact: f64 = $d;
                    check_exact(rev_grad!($fv; val $x), exact);
                }
            }
        };
    }

    #[jvp]
    #[vjp]
    fn m_sin(x: f64) -> f64 {
        (1.25 * x).sin()
    }

    #[jvp]
    #[vjp]
    fn p_sin(x: f64) -> f64 {
        f64::sin(x)
    }

    unary_test!(
        sin_method,
        m_sin,
        m_sin_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.cos())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        sin_method_reverse,
        m_sin,
        m_sin_jvp,
        m_sin_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.cos())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        sin_path,
        p_sin,
        p_sin_jvp,
        |x| {
            let a = x;
            a.cos()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        sin_path_reverse,
        p_sin,
        p_sin_jvp,
        p_sin_vjp,
        |x| {
            let a = x;
            a.cos()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_cos(x: f64) -> f64 {
        (1.25 * x).cos()
    }

    #[jvp]
    #[vjp]
    fn p_cos(x: f64) -> f64 {
        f64::cos(x)
    }

    unary_test!(
        cos_method,
        m_cos,
        m_cos_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (-a.sin())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        cos_method_reverse,
        m_cos,
        m_cos_jvp,
        m_cos_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (-a.sin())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        cos_path,
        p_cos,
        p_cos_jvp,
        |x| {
            let a = x;
            -a.sin()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        cos_path_reverse,
        p_cos,
        p_cos_jvp,
        p_cos_vjp,
        |x| {
            let a = x;
            -a.sin()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_tan(x: f64) -> f64 {
        (1.25 * x).tan()
    }

    #[jvp]
    #[vjp]
    fn p_tan(x: f64) -> f64 {
        f64::tan(x)
    }

    unary_test!(
        tan_method,
        m_tan,
        m_tan_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a.cos() * a.cos()))
        },
        [-1.0, 0.3, 1.1]
    );
    unary_rev_test!(
        tan_method_reverse,
        m_tan,
        m_tan_jvp,
        m_tan_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a.cos() * a.cos()))
        },
        [-1.0, 0.3, 1.1]
    );
    unary_test!(
        tan_path,
        p_tan,
        p_tan_jvp,
        |x| {
            let a = x;
            1.0 / (a.cos() * a.cos())
        },
        [-1.0, 0.3, 1.1]
    );
    unary_rev_test!(
        tan_path_reverse,
        p_tan,
        p_tan_jvp,
        p_tan_vjp,
        |x| {
            let a = x;
            1.0 / (a.cos() * a.cos())
        },
        [-1.0, 0.3, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_asin(x: f64) -> f64 {
        (1.25 * x).asin()
    }

    #[jvp]
    #[vjp]
    fn p_asin(x: f64) -> f64 {
        f64::asin(x)
    }

    unary_test!(
        asin_method,
        m_asin,
        m_asin_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 - a * a).sqrt())
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_rev_test!(
        asin_method_reverse,
        m_asin,
        m_asin_jvp,
        m_asin_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 - a * a).sqrt())
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_test!(
        asin_path,
        p_asin,
        p_asin_jvp,
        |x| {
            let a = x;
            1.0 / (1.0 - a * a).sqrt()
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_rev_test!(
        asin_path_reverse,
        p_asin,
        p_asin_jvp,
        p_asin_vjp,
        |x| {
            let a = x;
            1.0 / (1.0 - a * a).sqrt()
        },
        [-0.7, -0.1, 0.5, 0.7]
    );

    #[jvp]
    #[vjp]
    fn m_acos(x: f64) -> f64 {
        (1.25 * x).acos()
    }

    #[jvp]
    #[vjp]
    fn p_acos(x: f64) -> f64 {
        f64::acos(x)
    }

    unary_test!(
        acos_method,
        m_acos,
        m_acos_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (-1.0 / (1.0 - a * a).sqrt())
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_rev_test!(
        acos_method_reverse,
        m_acos,
        m_acos_jvp,
        m_acos_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (-1.0 / (1.0 - a * a).sqrt())
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_test!(
        acos_path,
        p_acos,
        p_acos_jvp,
        |x| {
            let a = x;
            -1.0 / (1.0 - a * a).sqrt()
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_rev_test!(
        acos_path_reverse,
        p_acos,
        p_acos_jvp,
        p_acos_vjp,
        |x| {
            let a = x;
            -1.0 / (1.0 - a * a).sqrt()
        },
        [-0.7, -0.1, 0.5, 0.7]
    );

    #[jvp]
    #[vjp]
    fn m_atan(x: f64) -> f64 {
        (1.25 * x).atan()
    }

    #[jvp]
    #[vjp]
    fn p_atan(x: f64) -> f64 {
        f64::atan(x)
    }

    unary_test!(
        atan_method,
        m_atan,
        m_atan_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 + a * a))
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        atan_method_reverse,
        m_atan,
        m_atan_jvp,
        m_atan_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 + a * a))
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        atan_path,
        p_atan,
        p_atan_jvp,
        |x| {
            let a = x;
            1.0 / (1.0 + a * a)
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        atan_path_reverse,
        p_atan,
        p_atan_jvp,
        p_atan_vjp,
        |x| {
            let a = x;
            1.0 / (1.0 + a * a)
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_sinh(x: f64) -> f64 {
        (1.25 * x).sinh()
    }

    #[jvp]
    #[vjp]
    fn p_sinh(x: f64) -> f64 {
        f64::sinh(x)
    }

    unary_test!(
        sinh_method,
        m_sinh,
        m_sinh_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.cosh())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        sinh_method_reverse,
        m_sinh,
        m_sinh_jvp,
        m_sinh_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.cosh())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        sinh_path,
        p_sinh,
        p_sinh_jvp,
        |x| {
            let a = x;
            a.cosh()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        sinh_path_reverse,
        p_sinh,
        p_sinh_jvp,
        p_sinh_vjp,
        |x| {
            let a = x;
            a.cosh()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_cosh(x: f64) -> f64 {
        (1.25 * x).cosh()
    }

    #[jvp]
    #[vjp]
    fn p_cosh(x: f64) -> f64 {
        f64::cosh(x)
    }

    unary_test!(
        cosh_method,
        m_cosh,
        m_cosh_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.sinh())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        cosh_method_reverse,
        m_cosh,
        m_cosh_jvp,
        m_cosh_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.sinh())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        cosh_path,
        p_cosh,
        p_cosh_jvp,
        |x| {
            let a = x;
            a.sinh()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        cosh_path_reverse,
        p_cosh,
        p_cosh_jvp,
        p_cosh_vjp,
        |x| {
            let a = x;
            a.sinh()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_tanh(x: f64) -> f64 {
        (1.25 * x).tanh()
    }

    #[jvp]
    #[vjp]
    fn p_tanh(x: f64) -> f64 {
        f64::tanh(x)
    }

    unary_test!(
        tanh_method,
        m_tanh,
        m_tanh_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 - a.tanh() * a.tanh())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        tanh_method_reverse,
        m_tanh,
        m_tanh_jvp,
        m_tanh_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 - a.tanh() * a.tanh())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        tanh_path,
        p_tanh,
        p_tanh_jvp,
        |x| {
            let a = x;
            1.0 - a.tanh() * a.tanh()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        tanh_path_reverse,
        p_tanh,
        p_tanh_jvp,
        p_tanh_vjp,
        |x| {
            let a = x;
            1.0 - a.tanh() * a.tanh()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_asinh(x: f64) -> f64 {
        (1.25 * x).asinh()
    }

    #[jvp]
    #[vjp]
    fn p_asinh(x: f64) -> f64 {
        f64::asinh(x)
    }

    unary_test!(
        asinh_method,
        m_asinh,
        m_asinh_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * a + 1.0).sqrt())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        asinh_method_reverse,
        m_asinh,
        m_asinh_jvp,
        m_asinh_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * a + 1.0).sqrt())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        asinh_path,
        p_asinh,
        p_asinh_jvp,
        |x| {
            let a = x;
            1.0 / (a * a + 1.0).sqrt()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        asinh_path_reverse,
        p_asinh,
        p_asinh_jvp,
        p_asinh_vjp,
        |x| {
            let a = x;
            1.0 / (a * a + 1.0).sqrt()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_acosh(x: f64) -> f64 {
        (1.25 * x).acosh()
    }

    #[jvp]
    #[vjp]
    fn p_acosh(x: f64) -> f64 {
        f64::acosh(x)
    }

    unary_test!(
        acosh_method,
        m_acosh,
        m_acosh_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * a - 1.0).sqrt())
        },
        [1.1, 1.5, 3.0]
    );
    unary_rev_test!(
        acosh_method_reverse,
        m_acosh,
        m_acosh_jvp,
        m_acosh_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * a - 1.0).sqrt())
        },
        [1.1, 1.5, 3.0]
    );
    unary_test!(
        acosh_path,
        p_acosh,
        p_acosh_jvp,
        |x| {
            let a = x;
            1.0 / (a * a - 1.0).sqrt()
        },
        [1.1, 1.5, 3.0]
    );
    unary_rev_test!(
        acosh_path_reverse,
        p_acosh,
        p_acosh_jvp,
        p_acosh_vjp,
        |x| {
            let a = x;
            1.0 / (a * a - 1.0).sqrt()
        },
        [1.1, 1.5, 3.0]
    );

    #[jvp]
    #[vjp]
    fn m_atanh(x: f64) -> f64 {
        (1.25 * x).atanh()
    }

    #[jvp]
    #[vjp]
    fn p_atanh(x: f64) -> f64 {
        f64::atanh(x)
    }

    unary_test!(
        atanh_method,
        m_atanh,
        m_atanh_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 - a * a))
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_rev_test!(
        atanh_method_reverse,
        m_atanh,
        m_atanh_jvp,
        m_atanh_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 - a * a))
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_test!(
        atanh_path,
        p_atanh,
        p_atanh_jvp,
        |x| {
            let a = x;
            1.0 / (1.0 - a * a)
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_rev_test!(
        atanh_path_reverse,
        p_atanh,
        p_atanh_jvp,
        p_atanh_vjp,
        |x| {
            let a = x;
            1.0 / (1.0 - a * a)
        },
        [-0.7, -0.1, 0.5, 0.7]
    );

    #[jvp]
    #[vjp]
    fn m_exp(x: f64) -> f64 {
        (1.25 * x).exp()
    }

    #[jvp]
    #[vjp]
    fn p_exp(x: f64) -> f64 {
        f64::exp(x)
    }

    unary_test!(
        exp_method,
        m_exp,
        m_exp_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.exp())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        exp_method_reverse,
        m_exp,
        m_exp_jvp,
        m_exp_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.exp())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        exp_path,
        p_exp,
        p_exp_jvp,
        |x| {
            let a = x;
            a.exp()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        exp_path_reverse,
        p_exp,
        p_exp_jvp,
        p_exp_vjp,
        |x| {
            let a = x;
            a.exp()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_exp2(x: f64) -> f64 {
        (1.25 * x).exp2()
    }

    #[jvp]
    #[vjp]
    fn p_exp2(x: f64) -> f64 {
        f64::exp2(x)
    }

    unary_test!(
        exp2_method,
        m_exp2,
        m_exp2_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.exp2() * std::f64::consts::LN_2)
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        exp2_method_reverse,
        m_exp2,
        m_exp2_jvp,
        m_exp2_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.exp2() * std::f64::consts::LN_2)
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        exp2_path,
        p_exp2,
        p_exp2_jvp,
        |x| {
            let a = x;
            a.exp2() * std::f64::consts::LN_2
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        exp2_path_reverse,
        p_exp2,
        p_exp2_jvp,
        p_exp2_vjp,
        |x| {
            let a = x;
            a.exp2() * std::f64::consts::LN_2
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_exp_m1(x: f64) -> f64 {
        (1.25 * x).exp_m1()
    }

    #[jvp]
    #[vjp]
    fn p_exp_m1(x: f64) -> f64 {
        f64::exp_m1(x)
    }

    unary_test!(
        exp_m1_method,
        m_exp_m1,
        m_exp_m1_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.exp())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        exp_m1_method_reverse,
        m_exp_m1,
        m_exp_m1_jvp,
        m_exp_m1_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.exp())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        exp_m1_path,
        p_exp_m1,
        p_exp_m1_jvp,
        |x| {
            let a = x;
            a.exp()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        exp_m1_path_reverse,
        p_exp_m1,
        p_exp_m1_jvp,
        p_exp_m1_vjp,
        |x| {
            let a = x;
            a.exp()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_ln(x: f64) -> f64 {
        (1.25 * x).ln()
    }

    #[jvp]
    #[vjp]
    fn p_ln(x: f64) -> f64 {
        f64::ln(x)
    }

    unary_test!(
        ln_method,
        m_ln,
        m_ln_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / a)
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        ln_method_reverse,
        m_ln,
        m_ln_jvp,
        m_ln_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / a)
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_test!(
        ln_path,
        p_ln,
        p_ln_jvp,
        |x| {
            let a = x;
            1.0 / a
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        ln_path_reverse,
        p_ln,
        p_ln_jvp,
        p_ln_vjp,
        |x| {
            let a = x;
            1.0 / a
        },
        [0.3, 1.0, 2.7, 10.0]
    );

    #[jvp]
    #[vjp]
    fn m_log2(x: f64) -> f64 {
        (1.25 * x).log2()
    }

    #[jvp]
    #[vjp]
    fn p_log2(x: f64) -> f64 {
        f64::log2(x)
    }

    unary_test!(
        log2_method,
        m_log2,
        m_log2_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * std::f64::consts::LN_2))
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        log2_method_reverse,
        m_log2,
        m_log2_jvp,
        m_log2_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * std::f64::consts::LN_2))
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_test!(
        log2_path,
        p_log2,
        p_log2_jvp,
        |x| {
            let a = x;
            1.0 / (a * std::f64::consts::LN_2)
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        log2_path_reverse,
        p_log2,
        p_log2_jvp,
        p_log2_vjp,
        |x| {
            let a = x;
            1.0 / (a * std::f64::consts::LN_2)
        },
        [0.3, 1.0, 2.7, 10.0]
    );

    #[jvp]
    #[vjp]
    fn m_log10(x: f64) -> f64 {
        (1.25 * x).log10()
    }

    #[jvp]
    #[vjp]
    fn p_log10(x: f64) -> f64 {
        f64::log10(x)
    }

    unary_test!(
        log10_method,
        m_log10,
        m_log10_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * std::f64::consts::LN_10))
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        log10_method_reverse,
        m_log10,
        m_log10_jvp,
        m_log10_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * std::f64::consts::LN_10))
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_test!(
        log10_path,
        p_log10,
        p_log10_jvp,
        |x| {
            let a = x;
            1.0 / (a * std::f64::consts::LN_10)
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        log10_path_reverse,
        p_log10,
        p_log10_jvp,
        p_log10_vjp,
        |x| {
            let a = x;
            1.0 / (a * std::f64::consts::LN_10)
        },
        [0.3, 1.0, 2.7, 10.0]
    );

    #[jvp]
    #[vjp]
    fn m_ln_1p(x: f64) -> f64 {
        (1.25 * x).ln_1p()
    }

    #[jvp]
    #[vjp]
    fn p_ln_1p(x: f64) -> f64 {
        f64::ln_1p(x)
    }

    unary_test!(
        ln_1p_method,
        m_ln_1p,
        m_ln_1p_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 + a))
        },
        [-0.5, 0.2, 3.0]
    );
    unary_rev_test!(
        ln_1p_method_reverse,
        m_ln_1p,
        m_ln_1p_jvp,
        m_ln_1p_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 + a))
        },
        [-0.5, 0.2, 3.0]
    );
    unary_test!(
        ln_1p_path,
        p_ln_1p,
        p_ln_1p_jvp,
        |x| {
            let a = x;
            1.0 / (1.0 + a)
        },
        [-0.5, 0.2, 3.0]
    );
    unary_rev_test!(
        ln_1p_path_reverse,
        p_ln_1p,
        p_ln_1p_jvp,
        p_ln_1p_vjp,
        |x| {
            let a = x;
            1.0 / (1.0 + a)
        },
        [-0.5, 0.2, 3.0]
    );

    #[jvp]
    #[vjp]
    fn m_sqrt(x: f64) -> f64 {
        (1.25 * x).sqrt()
    }

    #[jvp]
    #[vjp]
    fn p_sqrt(x: f64) -> f64 {
        f64::sqrt(x)
    }

    unary_test!(
        sqrt_method,
        m_sqrt,
        m_sqrt_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (0.5 / a.sqrt())
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        sqrt_method_reverse,
        m_sqrt,
        m_sqrt_jvp,
        m_sqrt_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (0.5 / a.sqrt())
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_test!(
        sqrt_path,
        p_sqrt,
        p_sqrt_jvp,
        |x| {
            let a = x;
            0.5 / a.sqrt()
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        sqrt_path_reverse,
        p_sqrt,
        p_sqrt_jvp,
        p_sqrt_vjp,
        |x| {
            let a = x;
            0.5 / a.sqrt()
        },
        [0.3, 1.0, 2.7, 10.0]
    );

    #[jvp]
    #[vjp]
    fn m_cbrt(x: f64) -> f64 {
        (1.25 * x).cbrt()
    }

    #[jvp]
    #[vjp]
    fn p_cbrt(x: f64) -> f64 {
        f64::cbrt(x)
    }

    unary_test!(
        cbrt_method,
        m_cbrt,
        m_cbrt_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (3.0 * a.cbrt() * a.cbrt()))
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        cbrt_method_reverse,
        m_cbrt,
        m_cbrt_jvp,
        m_cbrt_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (3.0 * a.cbrt() * a.cbrt()))
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        cbrt_path,
        p_cbrt,
        p_cbrt_jvp,
        |x| {
            let a = x;
            1.0 / (3.0 * a.cbrt() * a.cbrt())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        cbrt_path_reverse,
        p_cbrt,
        p_cbrt_jvp,
        p_cbrt_vjp,
        |x| {
            let a = x;
            1.0 / (3.0 * a.cbrt() * a.cbrt())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_recip(x: f64) -> f64 {
        (1.25 * x).recip()
    }

    #[jvp]
    #[vjp]
    fn p_recip(x: f64) -> f64 {
        f64::recip(x)
    }

    unary_test!(
        recip_method,
        m_recip,
        m_recip_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (-1.0 / (a * a))
        },
        [-2.0, -0.4, 0.5, 3.0]
    );
    unary_rev_test!(
        recip_method_reverse,
        m_recip,
        m_recip_jvp,
        m_recip_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (-1.0 / (a * a))
        },
        [-2.0, -0.4, 0.5, 3.0]
    );
    unary_test!(
        recip_path,
        p_recip,
        p_recip_jvp,
        |x| {
            let a = x;
            -1.0 / (a * a)
        },
        [-2.0, -0.4, 0.5, 3.0]
    );
    unary_rev_test!(
        recip_path_reverse,
        p_recip,
        p_recip_jvp,
        p_recip_vjp,
        |x| {
            let a = x;
            -1.0 / (a * a)
        },
        [-2.0, -0.4, 0.5, 3.0]
    );

    #[jvp]
    #[vjp]
    fn m_abs(x: f64) -> f64 {
        (1.25 * x).abs()
    }

    #[jvp]
    #[vjp]
    fn p_abs(x: f64) -> f64 {
        f64::abs(x)
    }

    unary_test!(
        abs_method,
        m_abs,
        m_abs_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.signum())
        },
        [-1.5, -0.3, 0.2, 2.0]
    );
    unary_rev_test!(
        abs_method_reverse,
        m_abs,
        m_abs_jvp,
        m_abs_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.signum())
        },
        [-1.5, -0.3, 0.2, 2.0]
    );
    unary_test!(
        abs_path,
        p_abs,
        p_abs_jvp,
        |x| {
            let a = x;
            a.signum()
        },
        [-1.5, -0.3, 0.2, 2.0]
    );
    unary_rev_test!(
        abs_path_reverse,
        p_abs,
        p_abs_jvp,
        p_abs_vjp,
        |x| {
            let a = x;
            a.signum()
        },
        [-1.5, -0.3, 0.2, 2.0]
    );

    // `floor` has a zero derivative; the product rule leaves `floor(..)`.
    #[jvp]
    #[vjp]
    fn m_floor(x: f64) -> f64 {
        (1.25 * x).floor() * x
    }

    #[jvp]
    #[vjp]
    fn p_floor(x: f64) -> f64 {
        f64::floor(x) * x
    }

    unary_test!(
        floor_method,
        m_floor,
        m_floor_jvp,
        |x| (1.25 * x).floor(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        floor_method_reverse,
        m_floor,
        m_floor_jvp,
        m_floor_vjp,
        |x| (1.25 * x).floor(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_test!(
        floor_path,
        p_floor,
        p_floor_jvp,
        |x| x.floor(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        floor_path_reverse,
        p_floor,
        p_floor_jvp,
        p_floor_vjp,
        |x| x.floor(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );

    // `ceil` has a zero derivative; the product rule leaves `ceil(..)`.
    #[jvp]
    #[vjp]
    fn m_ceil(x: f64) -> f64 {
        (1.25 * x).ceil() * x
    }

    #[jvp]
    #[vjp]
    fn p_ceil(x: f64) -> f64 {
        f64::ceil(x) * x
    }

    unary_test!(
        ceil_method,
        m_ceil,
        m_ceil_jvp,
        |x| (1.25 * x).ceil(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        ceil_method_reverse,
        m_ceil,
        m_ceil_jvp,
        m_ceil_vjp,
        |x| (1.25 * x).ceil(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_test!(
        ceil_path,
        p_ceil,
        p_ceil_jvp,
        |x| x.ceil(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        ceil_path_reverse,
        p_ceil,
        p_ceil_jvp,
        p_ceil_vjp,
        |x| x.ceil(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );

    // `round` has a zero derivative; the product rule leaves `round(..)`.
    #[jvp]
    #[vjp]
    fn m_round(x: f64) -> f64 {
        (1.25 * x).round() * x
    }

    #[jvp]
    #[vjp]
    fn p_round(x: f64) -> f64 {
        f64::round(x) * x
    }

    unary_test!(
        round_method,
        m_round,
        m_round_jvp,
        |x| (1.25 * x).round(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        round_method_reverse,
        m_round,
        m_round_jvp,
        m_round_vjp,
        |x| (1.25 * x).round(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_test!(
        round_path,
        p_round,
        p_round_jvp,
        |x| x.round(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        round_path_reverse,
        p_round,
        p_round_jvp,
        p_round_vjp,
        |x| x.round(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );

    // `trunc` has a zero derivative; the product rule leaves `trunc(..)`.
    #[jvp]
    #[vjp]
    fn m_trunc(x: f64) -> f64 {
        (1.25 * x).trunc() * x
    }

    #[jvp]
    #[vjp]
    fn p_trunc(x: f64) -> f64 {
        f64::trunc(x) * x
    }

    unary_test!(
        trunc_method,
        m_trunc,
        m_trunc_jvp,
        |x| (1.25 * x).trunc(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        trunc_method_reverse,
        m_trunc,
        m_trunc_jvp,
        m_trunc_vjp,
        |x| (1.25 * x).trunc(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_test!(
        trunc_path,
        p_trunc,
        p_trunc_jvp,
        |x| x.trunc(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        trunc_path_reverse,
        p_trunc,
        p_trunc_jvp,
        p_trunc_vjp,
        |x| x.trunc(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );

    // `signum` has a zero derivative; the product rule leaves `signum(..)`.
    #[jvp]
    #[vjp]
    fn m_signum(x: f64) -> f64 {
        (1.25 * x).signum() * x
    }

    #[jvp]
    #[vjp]
    fn p_signum(x: f64) -> f64 {
        f64::signum(x) * x
    }

    unary_test!(
        signum_method,
        m_signum,
        m_signum_jvp,
        |x| (1.25 * x).signum(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        signum_method_reverse,
        m_signum,
        m_signum_jvp,
        m_signum_vjp,
        |x| (1.25 * x).signum(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_test!(
        signum_path,
        p_signum,
        p_signum_jvp,
        |x| x.signum(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        signum_path_reverse,
        p_signum,
        p_signum_jvp,
        p_signum_vjp,
        |x| x.signum(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );

    // ---- functions of several arguments -------------------------------

    const DIRS2: [(f64, f64); 3] = [(1.0, 0.0), (0.0, 1.0), (0.55, -0.8)];
    const DIRS3: [(f64, f64, f64); 4] = [
        (1.0, 0.0, 0.0),
        (0.0, 1.0, 0.0),
        (0.0, 0.0, 1.0),
        (0.3, -0.6, 0.9),
    ];

    #[jvp]
    #[vjp]
    fn m_atan2(y: f64, x: f64) -> f64 {
        y.atan2(x)
    }

    #[jvp]
    #[vjp]
    fn p_atan2(y: f64, x: f64) -> f64 {
        f64::atan2(y, x)
    }

    #[test]
    fn atan2_both_forms() {
        for &(y, x) in &[(0.5, 1.2), (-0.8, 0.3), (1.1, -0.9), (-0.4, -1.5)] {
            for &(dy, dx) in &DIRS2 {
                let exact = (x * dy - y * dx) / (x * x + y * y);
                let (v, t) = m_atan2_jvp(y, dy, x, dx);
                assert_eq!(v, m_atan2(y, x));
                check(t, exact, fd(|s| m_atan2(y + s * dy, x + s * dx)));
                let (v, t) = p_atan2_jvp(y, dy, x, dx);
                assert_eq!(v, p_atan2(y, x));
                check(t, exact, fd(|s| p_atan2(y + s * dy, x + s * dx)));
            }
        }
    }

    #[test]
    fn atan2_both_forms_reverse() {
        for (i, &(y, x)) in [(0.5, 1.2), (-0.8, 0.3), (1.1, -0.9), (-0.4, -1.5)]
            .iter()
            .enumerate()
        {
            let i = i as u64;
            rev_dot!(m_atan2, m_atan2_jvp, m_atan2_vjp, i; val y, val x);
            rev_dot!(p_atan2, p_atan2_jvp, p_atan2_vjp, i; val y, val x);
            let r2 = x * x + y * y;
            for (gy, gx) in [
                rev_grad!(m_atan2_vjp; val y, val x),
                rev_grad!(p_atan2_vjp; val y, val x),
            ] {
                check_exact(gy, x / r2);
                check_exact(gx, -y / r2);
            }
        }
    }

    #[jvp]
    #[vjp]
    fn m_log(x: f64, b: f64) -> f64 {
        x.log(b) + x.log(3.0)
    }

    #[jvp]
    #[vjp]
    fn p_log(x: f64, b: f64) -> f64 {
        f64::log(x, b) + f64::log(x, 3.0)
    }

    #[test]
    fn log_both_forms() {
        for &(x, b) in &[(0.7f64, 2.0f64), (3.5, 10.0), (5.0, 0.5)] {
            for &(dx, db) in &DIRS2 {
                let lb = b.ln();
                let exact = dx / (x * lb) - x.ln() * db / (b * lb * lb) + dx / (x * 3.0f64.ln());
                let (v, t) = m_log_jvp(x, dx, b, db);
                assert_eq!(v, m_log(x, b));
                check(t, exact, fd(|s| m_log(x + s * dx, b + s * db)));
                let (v, t) = p_log_jvp(x, dx, b, db);
                assert_eq!(v, p_log(x, b));
                check(t, exact, fd(|s| p_log(x + s * dx, b + s * db)));
            }
        }
    }

    #[test]
    fn log_both_forms_reverse() {
        for (i, &(x, b)) in [(0.7f64, 2.0f64), (3.5, 10.0), (5.0, 0.5)]
            .iter()
            .enumerate()
        {
            let i = i as u64;
            rev_dot!(m_log, m_log_jvp, m_log_vjp, i; val x, val b);
            rev_dot!(p_log, p_log_jvp, p_log_vjp, i; val x, val b);
            let lb = b.ln();
            for (gx, gb) in [
                rev_grad!(m_log_vjp; val x, val b),
                rev_grad!(p_log_vjp; val x, val b),
            ] {
                check_exact(gx, 1.0 / (x * lb) + 1.0 / (x * 3.0f64.ln()));
                check_exact(gb, -x.ln() / (b * lb * lb));
            }
        }
    }

    #[jvp]
    #[vjp]
    fn m_powf(x: f64, y: f64) -> f64 {
        x.powf(y)
    }

    #[jvp]
    #[vjp]
    fn p_powf(x: f64, y: f64) -> f64 {
        f64::powf(x, y)
    }

    #[test]
    fn powf_both_forms() {
        for &(x, y) in &[(0.6f64, 2.5f64), (1.7, -1.3), (2.2, 0.5)] {
            for &(dx, dy) in &DIRS2 {
                let p = x.powf(y);
                let exact = y * x.powf(y - 1.0) * dx + p * x.ln() * dy;
                let (v, t) = m_powf_jvp(x, dx, y, dy);
                assert_eq!(v, m_powf(x, y));
                check(t, exact, fd(|s| m_powf(x + s * dx, y + s * dy)));
                let (v, t) = p_powf_jvp(x, dx, y, dy);
                assert_eq!(v, p_powf(x, y));
                check(t, exact, fd(|s| p_powf(x + s * dx, y + s * dy)));
            }
        }
    }

    #[test]
    fn powf_both_forms_reverse() {
        for (i, &(x, y)) in [(0.6f64, 2.5f64), (1.7, -1.3), (2.2, 0.5)]
            .iter()
            .enumerate()
        {
            let i = i as u64;
            rev_dot!(m_powf, m_powf_jvp, m_powf_vjp, i; val x, val y);
            rev_dot!(p_powf, p_powf_jvp, p_powf_vjp, i; val x, val y);
            for (gx, gy) in [
                rev_grad!(m_powf_vjp; val x, val y),
                rev_grad!(p_powf_vjp; val x, val y),
            ] {
                check_exact(gx, y * x.powf(y - 1.0));
                check_exact(gy, x.powf(y) * x.ln());
            }
        }
    }

    #[jvp]
    #[vjp]
    fn m_powi(x: f64, n: i32) -> f64 {
        x.powi(n) + x.powi(3)
    }

    #[jvp]
    #[vjp]
    fn p_powi(x: f64, n: i32) -> f64 {
        f64::powi(x, n) + f64::powi(x, 3)
    }

    #[test]
    fn powi_both_forms() {
        for &x in &[-1.4f64, 0.6, 2.1] {
            for n in [-2, 0, 1, 4] {
                let exact = n as f64 * x.powi(n - 1) + 3.0 * x * x;
                let (v, t) = m_powi_jvp(x, 1.0, n);
                assert_eq!(v, m_powi(x, n));
                check(t, exact, fd(|s| m_powi(x + s, n)));
                let (v, t) = p_powi_jvp(x, 1.0, n);
                assert_eq!(v, p_powi(x, n));
                check(t, exact, fd(|s| p_powi(x + s, n)));
            }
        }
    }

    #[test]
    fn powi_both_forms_reverse() {
        for &x in &[-1.4f64, 0.6, 2.1] {
            for n in [-2, 0, 1, 4] {
                rev_dot!(m_powi, m_powi_jvp, m_powi_vjp, n as u64; val x, c n);
                rev_dot!(p_powi, p_powi_jvp, p_powi_vjp, n as u64; val x, c n);
                let exact = n as f64 * x.powi(n - 1) + 3.0 * x * x;
                check_exact(rev_grad!(m_powi_vjp; val x, c n), exact);
                check_exact(rev_grad!(p_powi_vjp; val x, c n), exact);
            }
        }
    }

    #[jvp]
    #[vjp]
    fn m_hypot(x: f64, y: f64) -> f64 {
        x.hypot(y)
    }

    #[jvp]
    #[vjp]
    fn p_hypot(x: f64, y: f64) -> f64 {
        f64::hypot(x, y)
    }

    #[test]
    fn hypot_both_forms() {
        for &(x, y) in &[(3.0, 4.0), (-0.5, 1.2), (0.9, -0.1)] {
            for &(dx, dy) in &DIRS2 {
                let exact = (x * dx + y * dy) / x.hypot(y);
                let (v, t) = m_hypot_jvp(x, dx, y, dy);
                assert_eq!(v, m_hypot(x, y));
                check(t, exact, fd(|s| m_hypot(x + s * dx, y + s * dy)));
                let (v, t) = p_hypot_jvp(x, dx, y, dy);
                assert_eq!(v, p_hypot(x, y));
                check(t, exact, fd(|s| p_hypot(x + s * dx, y + s * dy)));
            }
        }
    }

    #[test]
    fn hypot_both_forms_reverse() {
        for (i, &(x, y)) in [(3.0, 4.0), (-0.5, 1.2), (0.9, -0.1)].iter().enumerate() {
            let i = i as u64;
            rev_dot!(m_hypot, m_hypot_jvp, m_hypot_vjp, i; val x, val y);
            rev_dot!(p_hypot, p_hypot_jvp, p_hypot_vjp, i; val x, val y);
            let h = x.hypot(y);
            for (gx, gy) in [
                rev_grad!(m_hypot_vjp; val x, val y),
                rev_grad!(p_hypot_vjp; val x, val y),
            ] {
                check_exact(gx, x / h);
                check_exact(gy, y / h);
            }
        }
    }

    #[jvp]
    #[vjp]
    fn m_mul_add(a: f64, b: f64, c: f64) -> f64 {
        a.mul_add(b, c)
    }

    #[jvp]
    #[vjp]
    fn p_mul_add(a: f64, b: f64, c: f64) -> f64 {
        f64::mul_add(a, b, c)
    }

    #[test]
    fn mul_add_both_forms() {
        for &(a, b, c) in &[(0.5, -1.5, 2.0), (-1.2, 0.7, 0.3)] {
            for &(da, db, dc) in &DIRS3 {
                let exact = da * b + a * db + dc;
                let (v, t) = m_mul_add_jvp(a, da, b, db, c, dc);
                assert_eq!(v, m_mul_add(a, b, c));
                check(
                    t,
                    exact,
                    fd(|s| m_mul_add(a + s * da, b + s * db, c + s * dc)),
                );
                let (v, t) = p_mul_add_jvp(a, da, b, db, c, dc);
                assert_eq!(v, p_mul_add(a, b, c));
                check(
                    t,
                    exact,
                    fd(|s| p_mul_add(a + s * da, b + s * db, c + s * dc)),
                );
            }
        }
    }

    #[test]
    fn mul_add_both_forms_reverse() {
        for (i, &(a, b, c)) in [(0.5, -1.5, 2.0), (-1.2, 0.7, 0.3)].iter().enumerate() {
            let i = i as u64;
            rev_dot!(m_mul_add, m_mul_add_jvp, m_mul_add_vjp, i; val a, val b, val c);
            rev_dot!(p_mul_add, p_mul_add_jvp, p_mul_add_vjp, i; val a, val b, val c);
            for (ga, gb, gc) in [
                rev_grad!(m_mul_add_vjp; val a, val b, val c),
                rev_grad!(p_mul_add_vjp; val a, val b, val c),
            ] {
                check_exact(ga, b);
                check_exact(gb, a);
                check_exact(gc, 1.0);
            }
        }
    }

    #[jvp]
    #[vjp]
    fn m_max(a: f64, b: f64) -> f64 {
        a.max(b)
    }

    #[jvp]
    #[vjp]
    fn p_max(a: f64, b: f64) -> f64 {
        f64::max(a, b)
    }

    #[jvp]
    #[vjp]
    fn m_min(a: f64, b: f64) -> f64 {
        a.min(b)
    }

    #[jvp]
    #[vjp]
    fn p_min(a: f64, b: f64) -> f64 {
        f64::min(a, b)
    }

    #[test]
    fn max_min_away_from_ties() {
        for &(a, b) in &[(0.9, 0.2), (-1.0, 0.5), (2.0, -3.0), (-0.4, -0.1)] {
            for &(da, db) in &DIRS2 {
                let dmax = if a > b { da } else { db };
                let dmin = if a < b { da } else { db };
                let (v, t) = m_max_jvp(a, da, b, db);
                assert_eq!(v, m_max(a, b));
                check(t, dmax, fd(|s| m_max(a + s * da, b + s * db)));
                let (v, t) = p_max_jvp(a, da, b, db);
                assert_eq!(v, p_max(a, b));
                check(t, dmax, fd(|s| p_max(a + s * da, b + s * db)));
                let (v, t) = m_min_jvp(a, da, b, db);
                assert_eq!(v, m_min(a, b));
                check(t, dmin, fd(|s| m_min(a + s * da, b + s * db)));
                let (v, t) = p_min_jvp(a, da, b, db);
                assert_eq!(v, p_min(a, b));
                check(t, dmin, fd(|s| p_min(a + s * da, b + s * db)));
            }
        }
    }

    #[test]
    fn max_min_away_from_ties_reverse() {
        for (i, &(a, b)) in [(0.9, 0.2), (-1.0, 0.5), (2.0, -3.0), (-0.4, -0.1)]
            .iter()
            .enumerate()
        {
            let i = i as u64;
            rev_dot!(m_max, m_max_jvp, m_max_vjp, i; val a, val b);
            rev_dot!(p_max, p_max_jvp, p_max_vjp, i; val a, val b);
            rev_dot!(m_min, m_min_jvp, m_min_vjp, i; val a, val b);
            rev_dot!(p_min, p_min_jvp, p_min_vjp, i; val a, val b);
            let gmax = if a > b { (1.0, 0.0) } else { (0.0, 1.0) };
            let gmin = if a < b { (1.0, 0.0) } else { (0.0, 1.0) };
            for g in [
                rev_grad!(m_max_vjp; val a, val b),
                rev_grad!(p_max_vjp; val a, val b),
            ] {
                check_exact(g.0, gmax.0);
                check_exact(g.1, gmax.1);
            }
            for g in [
                rev_grad!(m_min_vjp; val a, val b),
                rev_grad!(p_min_vjp; val a, val b),
            ] {
                check_exact(g.0, gmin.0);
                check_exact(g.1, gmin.1);
            }
        }
    }

    #[test]
    fn max_min_tie_convention() {
        // At a tie, `a.max(b)` and `a.min(b)` follow `a`.
        for &c in &[0.0, 1.5, -2.0] {
            let (v, t) = m_max_jvp(c, 0.3, c, -0.9);
            assert_eq!(v, c);
            check_exact(t, 0.3);
            let (_, t) = p_max_jvp(c, 0.3, c, -0.9);
            check_exact(t, 0.3);
            let (v, t) = m_min_jvp(c, -0.4, c, 0.8);
            assert_eq!(v, c);
            check_exact(t, -0.4);
            let (_, t) = p_min_jvp(c, -0.4, c, 0.8);
            check_exact(t, -0.4);
        }
    }

    #[test]
    fn max_min_tie_convention_reverse() {
        // At a tie the whole adjoint goes to `a`, as the tangent follows `a`.
        for (i, &c) in [0.0, 1.5, -2.0].iter().enumerate() {
            let (a, b) = (c, c);
            let i = i as u64;
            rev_dot!(m_max, m_max_jvp, m_max_vjp, i; val a, val b);
            rev_dot!(p_max, p_max_jvp, p_max_vjp, i; val a, val b);
            rev_dot!(m_min, m_min_jvp, m_min_vjp, i; val a, val b);
            rev_dot!(p_min, p_min_jvp, p_min_vjp, i; val a, val b);
            for g in [
                rev_grad!(m_max_vjp; val a, val b),
                rev_grad!(p_max_vjp; val a, val b),
                rev_grad!(m_min_vjp; val a, val b),
                rev_grad!(p_min_vjp; val a, val b),
            ] {
                check_exact(g.0, 1.0);
                check_exact(g.1, 0.0);
            }
        }
    }

    // max/min against a constant (ReLU / clipping), mixed forms.
    #[jvp]
    #[vjp]
    fn relu_mix(x: f64) -> f64 {
        x.max(0.0) + f64::min(x, 1.0) * 2.0
    }

    #[test]
    fn relu_mix_matches() {
        for &x in &[-0.8, 0.4, 1.6] {
            let (v, t) = relu_mix_jvp(x, 1.0);
            assert_eq!(v, relu_mix(x));
            let exact = (if x > 0.0 { 1.0 } else { 0.0 }) + (if x < 1.0 { 2.0 } else { 0.0 });
            check(t, exact, fd(|s| relu_mix(x + s)));
        }
        // ReLU at exactly 0: `x.max(0.0)` with x == 0 follows x (a >= b).
        let (_, t) = relu_mix_jvp(0.0, 1.0);
        check_exact(t, 1.0 + 2.0);
    }

    #[test]
    fn relu_mix_reverse() {
        for (i, &x) in [-0.8, 0.4, 1.6, 0.0].iter().enumerate() {
            rev_dot!(relu_mix, relu_mix_jvp, relu_mix_vjp, i as u64; val x);
            // At x == 0 `x.max(0.0)` follows x (a >= b).
            let exact = (if x >= 0.0 { 1.0 } else { 0.0 }) + (if x < 1.0 { 2.0 } else { 0.0 });
            check_exact(rev_grad!(relu_mix_vjp; val x), exact);
        }
    }

    #[jvp]
    #[vjp]
    fn m_clamp(x: f64, lo: f64, hi: f64) -> f64 {
        x.clamp(lo, hi)
    }

    #[jvp]
    #[vjp]
    fn p_clamp(x: f64, lo: f64, hi: f64) -> f64 {
        f64::clamp(x, lo, hi)
    }

    #[test]
    fn clamp_both_forms() {
        for &(x, lo, hi) in &[
            (0.3, -1.0, 1.0),
            (-2.0, -1.0, 1.0),
            (1.8, -1.0, 1.0),
            (0.5, 0.2, 0.6),
        ] {
            for &(dx, dlo, dhi) in &DIRS3 {
                let exact = if x < lo {
                    dlo
                } else if x > hi {
                    dhi
                } else {
                    dx
                };
                let (v, t) = m_clamp_jvp(x, dx, lo, dlo, hi, dhi);
                assert_eq!(v, m_clamp(x, lo, hi));
                check(
                    t,
                    exact,
                    fd(|s| m_clamp(x + s * dx, lo + s * dlo, hi + s * dhi)),
                );
                let (v, t) = p_clamp_jvp(x, dx, lo, dlo, hi, dhi);
                assert_eq!(v, p_clamp(x, lo, hi));
                check(
                    t,
                    exact,
                    fd(|s| p_clamp(x + s * dx, lo + s * dlo, hi + s * dhi)),
                );
            }
        }
    }

    #[test]
    fn clamp_both_forms_reverse() {
        for (i, &(x, lo, hi)) in [
            (0.3, -1.0, 1.0),
            (-2.0, -1.0, 1.0),
            (1.8, -1.0, 1.0),
            (0.5, 0.2, 0.6),
        ]
        .iter()
        .enumerate()
        {
            let i = i as u64;
            rev_dot!(m_clamp, m_clamp_jvp, m_clamp_vjp, i; val x, val lo, val hi);
            rev_dot!(p_clamp, p_clamp_jvp, p_clamp_vjp, i; val x, val lo, val hi);
            let exact = if x < lo {
                (0.0, 1.0, 0.0)
            } else if x > hi {
                (0.0, 0.0, 1.0)
            } else {
                (1.0, 0.0, 0.0)
            };
            for g in [
                rev_grad!(m_clamp_vjp; val x, val lo, val hi),
                rev_grad!(p_clamp_vjp; val x, val lo, val hi),
            ] {
                check_exact(g.0, exact.0);
                check_exact(g.1, exact.1);
                check_exact(g.2, exact.2);
            }
        }
    }

    #[test]
    fn clamp_boundary_convention() {
        // `x.clamp(lo, hi)` follows x when lo <= x <= hi, so at either bound
        // the tangent is x's.
        for &(x, lo, hi) in &[(-1.0, -1.0, 1.0), (1.0, -1.0, 1.0), (0.5, 0.5, 0.5)] {
            let (v, t) = m_clamp_jvp(x, 0.7, lo, -0.2, hi, 0.9);
            assert_eq!(v, x);
            check_exact(t, 0.7);
            let (_, t) = p_clamp_jvp(x, 0.7, lo, -0.2, hi, 0.9);
            check_exact(t, 0.7);
        }
    }

    #[test]
    fn clamp_boundary_convention_reverse() {
        for (i, &(x, lo, hi)) in [(-1.0, -1.0, 1.0), (1.0, -1.0, 1.0), (0.5, 0.5, 0.5)]
            .iter()
            .enumerate()
        {
            let i = i as u64;
            rev_dot!(m_clamp, m_clamp_jvp, m_clamp_vjp, i; val x, val lo, val hi);
            rev_dot!(p_clamp, p_clamp_jvp, p_clamp_vjp, i; val x, val lo, val hi);
            for g in [
                rev_grad!(m_clamp_vjp; val x, val lo, val hi),
                rev_grad!(p_clamp_vjp; val x, val lo, val hi),
            ] {
                check_exact(g.0, 1.0);
                check_exact(g.1, 0.0);
                check_exact(g.2, 0.0);
            }
        }
    }

    #[test]
    fn abs_signum_at_zero_convention() {
        // abs'(0) = 0 and signum' = 0 everywhere.
        for &dx in &[1.0, -2.5] {
            let (v, t) = m_abs_jvp(0.0, dx);
            assert_eq!(v, 0.0);
            check_exact(t, 0.0);
            let (_, t) = p_abs_jvp(0.0, dx);
            check_exact(t, 0.0);
            let (_, t) = m_signum_jvp(0.0, dx);
            // (1.25 x).signum() * x at x = 0: signum(0.0) = 1.0, so the
            // product rule gives signum(0) * dx.
            check_exact(t, 0.0f64.signum() * dx);
        }
    }

    #[test]
    fn abs_signum_at_zero_convention_reverse() {
        let x = 0.0;
        rev_dot!(m_abs, m_abs_jvp, m_abs_vjp, 0; val x);
        rev_dot!(p_abs, p_abs_jvp, p_abs_vjp, 0; val x);
        rev_dot!(m_signum, m_signum_jvp, m_signum_vjp, 0; val x);
        check_exact(rev_grad!(m_abs_vjp; val x), 0.0);
        check_exact(rev_grad!(p_abs_vjp; val x), 0.0);
        check_exact(rev_grad!(m_signum_vjp; val x), 0.0f64.signum());
    }

    #[test]
    fn floor_family_has_zero_derivative_at_integers() {
        // Even exactly at a jump the convention is a zero derivative of the
        // rounding function itself: d(floor(x) * x) = floor(x) dx.
        for &x in &[1.0, 2.0, -3.0] {
            let (_, t) = p_floor_jvp(x, 1.0);
            check_exact(t, x.floor());
            let (_, t) = p_ceil_jvp(x, 1.0);
            check_exact(t, x.ceil());
            let (_, t) = p_trunc_jvp(x, 1.0);
            check_exact(t, x.trunc());
        }
        let (_, t) = p_round_jvp(0.5, 1.0);
        check_exact(t, 0.5f64.round());
    }

    #[test]
    fn floor_family_has_zero_derivative_at_integers_reverse() {
        for (i, &x) in [1.0, 2.0, -3.0].iter().enumerate() {
            let i = i as u64;
            rev_dot!(p_floor, p_floor_jvp, p_floor_vjp, i; val x);
            rev_dot!(p_ceil, p_ceil_jvp, p_ceil_vjp, i; val x);
            rev_dot!(p_trunc, p_trunc_jvp, p_trunc_vjp, i; val x);
            check_exact(rev_grad!(p_floor_vjp; val x), x.floor());
            check_exact(rev_grad!(p_ceil_vjp; val x), x.ceil());
            check_exact(rev_grad!(p_trunc_vjp; val x), x.trunc());
        }
        let x = 0.5;
        rev_dot!(p_round, p_round_jvp, p_round_vjp, 0; val x);
        check_exact(rev_grad!(p_round_vjp; val x), 0.5f64.round());
    }

    // ---- compositions ---------------------------------------------------

    #[jvp]
    #[vjp]
    fn composite(x: f64, y: f64) -> f64 {
        let r = (x * x + y * y).sqrt();
        let a = (x.sin() * y.exp()).atan();
        let b = f64::ln(r) * f64::tanh(y);
        let c = (x / r).acos() + (x * 0.3).asinh().cosh();
        a + b + c.powi(2) + f64::hypot(a, b).exp2()
    }

    #[test]
    fn composite_matches() {
        for &(x, y) in &[(0.7, 0.4), (-1.1, 0.9), (0.3, -1.6)] {
            for &(dx, dy) in &DIRS2 {
                let (v, t) = composite_jvp(x, dx, y, dy);
                assert_eq!(v, composite(x, y));
                let r = (x * x + y * y).sqrt();
                let dr = (x * dx + y * dy) / r;
                let q = x.sin() * y.exp();
                let dq = x.cos() * y.exp() * dx + q * dy;
                let a = q.atan();
                let da = dq / (1.0 + q * q);
                let b = r.ln() * y.tanh();
                let db = dr / r * y.tanh() + r.ln() * (1.0 - y.tanh() * y.tanh()) * dy;
                let w = x / r;
                let dw = (dx * r - x * dr) / (r * r);
                let z = x * 0.3;
                let c = w.acos() + z.asinh().cosh();
                let dc =
                    -dw / (1.0 - w * w).sqrt() + z.asinh().sinh() / (z * z + 1.0).sqrt() * 0.3 * dx;
                let hh = a.hypot(b);
                let dh = (a * da + b * db) / hh;
                let exact = da + db + 2.0 * c * dc + hh.exp2() * std::f64::consts::LN_2 * dh;
                check(t, exact, fd(|s| composite(x + s * dx, y + s * dy)));
            }
        }
    }

    #[test]
    fn composite_reverse() {
        for (i, &(x, y)) in [(0.7, 0.4), (-1.1, 0.9), (0.3, -1.6)].iter().enumerate() {
            rev_dot!(composite, composite_jvp, composite_vjp, i as u64; val x, val y);
            let (gx, gy) = rev_grad!(composite_vjp; val x, val y);
            // The forward test's closed form, per direction.
            let exact = |dx: f64, dy: f64| {
                let r = (x * x + y * y).sqrt();
                let dr = (x * dx + y * dy) / r;
                let q = x.sin() * y.exp();
                let dq = x.cos() * y.exp() * dx + q * dy;
                let a = q.atan();
                let da = dq / (1.0 + q * q);
                let b = r.ln() * y.tanh();
                let db = dr / r * y.tanh() + r.ln() * (1.0 - y.tanh() * y.tanh()) * dy;
                let w = x / r;
                let dw = (dx * r - x * dr) / (r * r);
                let z = x * 0.3;
                let c = w.acos() + z.asinh().cosh();
                let dc =
                    -dw / (1.0 - w * w).sqrt() + z.asinh().sinh() / (z * z + 1.0).sqrt() * 0.3 * dx;
                let hh = a.hypot(b);
                let dh = (a * da + b * db) / hh;
                da + db + 2.0 * c * dc + hh.exp2() * std::f64::consts::LN_2 * dh
            };
            check_exact(gx, exact(1.0, 0.0));
            check_exact(gy, exact(0.0, 1.0));
        }
    }
} // mod double

// The f32 tests below are a mechanical copy of `mod double` with every
// `f64` replaced by `f32` (helpers come from `common::f32h`, which has
// f32-appropriate finite-difference steps and tolerances).
mod single {
    use crate::common::f32h::*;
    use autodiff::{jvp, vjp};

    /// Generates a test for a unary `f` with closed-form derivative `d(x)`:
    /// compares `f_jvp(x, dx)` with `d(x) * dx` and finite differences, for
    /// every point and two tangent seeds.
    macro_rules! unary_test {
        ($test:ident, $f:ident, $fj:ident, |$x:ident| $d:expr, [$($p:expr),* $(,)?]) => {
            #[test]
            fn $test() {
                for &$x in &[$($p),*] {
                    for &dx in &[1.0, -0.7] {
                        let (v, t) = $fj($x, dx);
                        assert_eq!(v, $f($x), "primal value");
                        let exact: f32 = $d * dx;
                        check(t, exact, fd(|s| $f($x + s * dx)));
                    }
                }
            }
        };
    }

    /// Reverse mode of a unary `f`: the dot-product test between `f_jvp` and
    /// `f_vjp`, and `f_vjp` with `out_bar = 1` against the closed form `d(x)`.
    macro_rules! unary_rev_test {
        ($test:ident, $f:ident, $fj:ident, $fv:ident, |$x:ident| $d:expr, [$($p:expr),* $(,)?]) => {
            #[test]
            fn $test() {
                for (i, &$x) in [$($p),*].iter().enumerate() {
                    rev_dot!($f, $fj, $fv, i as u64; val $x);
                    let exact: f32 = $d;
                    check_exact(rev_grad!($fv; val $x), exact);
                }
            }
        };
    }

    #[jvp]
    #[vjp]
    fn m_sin(x: f32) -> f32 {
        (1.25 * x).sin()
    }

    #[jvp]
    #[vjp]
    fn p_sin(x: f32) -> f32 {
        f32::sin(x)
    }

    unary_test!(
        sin_method,
        m_sin,
        m_sin_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.cos())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        sin_method_reverse,
        m_sin,
        m_sin_jvp,
        m_sin_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.cos())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        sin_path,
        p_sin,
        p_sin_jvp,
        |x| {
            let a = x;
            a.cos()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        sin_path_reverse,
        p_sin,
        p_sin_jvp,
        p_sin_vjp,
        |x| {
            let a = x;
            a.cos()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_cos(x: f32) -> f32 {
        (1.25 * x).cos()
    }

    #[jvp]
    #[vjp]
    fn p_cos(x: f32) -> f32 {
        f32::cos(x)
    }

    unary_test!(
        cos_method,
        m_cos,
        m_cos_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (-a.sin())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        cos_method_reverse,
        m_cos,
        m_cos_jvp,
        m_cos_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (-a.sin())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        cos_path,
        p_cos,
        p_cos_jvp,
        |x| {
            let a = x;
            -a.sin()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        cos_path_reverse,
        p_cos,
        p_cos_jvp,
        p_cos_vjp,
        |x| {
            let a = x;
            -a.sin()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_tan(x: f32) -> f32 {
        (1.25 * x).tan()
    }

    #[jvp]
    #[vjp]
    fn p_tan(x: f32) -> f32 {
        f32::tan(x)
    }

    unary_test!(
        tan_method,
        m_tan,
        m_tan_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a.cos() * a.cos()))
        },
        [-1.0, 0.3, 1.1]
    );
    unary_rev_test!(
        tan_method_reverse,
        m_tan,
        m_tan_jvp,
        m_tan_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a.cos() * a.cos()))
        },
        [-1.0, 0.3, 1.1]
    );
    unary_test!(
        tan_path,
        p_tan,
        p_tan_jvp,
        |x| {
            let a = x;
            1.0 / (a.cos() * a.cos())
        },
        [-1.0, 0.3, 1.1]
    );
    unary_rev_test!(
        tan_path_reverse,
        p_tan,
        p_tan_jvp,
        p_tan_vjp,
        |x| {
            let a = x;
            1.0 / (a.cos() * a.cos())
        },
        [-1.0, 0.3, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_asin(x: f32) -> f32 {
        (1.25 * x).asin()
    }

    #[jvp]
    #[vjp]
    fn p_asin(x: f32) -> f32 {
        f32::asin(x)
    }

    unary_test!(
        asin_method,
        m_asin,
        m_asin_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 - a * a).sqrt())
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_rev_test!(
        asin_method_reverse,
        m_asin,
        m_asin_jvp,
        m_asin_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 - a * a).sqrt())
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_test!(
        asin_path,
        p_asin,
        p_asin_jvp,
        |x| {
            let a = x;
            1.0 / (1.0 - a * a).sqrt()
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_rev_test!(
        asin_path_reverse,
        p_asin,
        p_asin_jvp,
        p_asin_vjp,
        |x| {
            let a = x;
            1.0 / (1.0 - a * a).sqrt()
        },
        [-0.7, -0.1, 0.5, 0.7]
    );

    #[jvp]
    #[vjp]
    fn m_acos(x: f32) -> f32 {
        (1.25 * x).acos()
    }

    #[jvp]
    #[vjp]
    fn p_acos(x: f32) -> f32 {
        f32::acos(x)
    }

    unary_test!(
        acos_method,
        m_acos,
        m_acos_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (-1.0 / (1.0 - a * a).sqrt())
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_rev_test!(
        acos_method_reverse,
        m_acos,
        m_acos_jvp,
        m_acos_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (-1.0 / (1.0 - a * a).sqrt())
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_test!(
        acos_path,
        p_acos,
        p_acos_jvp,
        |x| {
            let a = x;
            -1.0 / (1.0 - a * a).sqrt()
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_rev_test!(
        acos_path_reverse,
        p_acos,
        p_acos_jvp,
        p_acos_vjp,
        |x| {
            let a = x;
            -1.0 / (1.0 - a * a).sqrt()
        },
        [-0.7, -0.1, 0.5, 0.7]
    );

    #[jvp]
    #[vjp]
    fn m_atan(x: f32) -> f32 {
        (1.25 * x).atan()
    }

    #[jvp]
    #[vjp]
    fn p_atan(x: f32) -> f32 {
        f32::atan(x)
    }

    unary_test!(
        atan_method,
        m_atan,
        m_atan_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 + a * a))
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        atan_method_reverse,
        m_atan,
        m_atan_jvp,
        m_atan_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 + a * a))
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        atan_path,
        p_atan,
        p_atan_jvp,
        |x| {
            let a = x;
            1.0 / (1.0 + a * a)
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        atan_path_reverse,
        p_atan,
        p_atan_jvp,
        p_atan_vjp,
        |x| {
            let a = x;
            1.0 / (1.0 + a * a)
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_sinh(x: f32) -> f32 {
        (1.25 * x).sinh()
    }

    #[jvp]
    #[vjp]
    fn p_sinh(x: f32) -> f32 {
        f32::sinh(x)
    }

    unary_test!(
        sinh_method,
        m_sinh,
        m_sinh_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.cosh())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        sinh_method_reverse,
        m_sinh,
        m_sinh_jvp,
        m_sinh_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.cosh())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        sinh_path,
        p_sinh,
        p_sinh_jvp,
        |x| {
            let a = x;
            a.cosh()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        sinh_path_reverse,
        p_sinh,
        p_sinh_jvp,
        p_sinh_vjp,
        |x| {
            let a = x;
            a.cosh()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_cosh(x: f32) -> f32 {
        (1.25 * x).cosh()
    }

    #[jvp]
    #[vjp]
    fn p_cosh(x: f32) -> f32 {
        f32::cosh(x)
    }

    unary_test!(
        cosh_method,
        m_cosh,
        m_cosh_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.sinh())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        cosh_method_reverse,
        m_cosh,
        m_cosh_jvp,
        m_cosh_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.sinh())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        cosh_path,
        p_cosh,
        p_cosh_jvp,
        |x| {
            let a = x;
            a.sinh()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        cosh_path_reverse,
        p_cosh,
        p_cosh_jvp,
        p_cosh_vjp,
        |x| {
            let a = x;
            a.sinh()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_tanh(x: f32) -> f32 {
        (1.25 * x).tanh()
    }

    #[jvp]
    #[vjp]
    fn p_tanh(x: f32) -> f32 {
        f32::tanh(x)
    }

    unary_test!(
        tanh_method,
        m_tanh,
        m_tanh_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 - a.tanh() * a.tanh())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        tanh_method_reverse,
        m_tanh,
        m_tanh_jvp,
        m_tanh_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 - a.tanh() * a.tanh())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        tanh_path,
        p_tanh,
        p_tanh_jvp,
        |x| {
            let a = x;
            1.0 - a.tanh() * a.tanh()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        tanh_path_reverse,
        p_tanh,
        p_tanh_jvp,
        p_tanh_vjp,
        |x| {
            let a = x;
            1.0 - a.tanh() * a.tanh()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_asinh(x: f32) -> f32 {
        (1.25 * x).asinh()
    }

    #[jvp]
    #[vjp]
    fn p_asinh(x: f32) -> f32 {
        f32::asinh(x)
    }

    unary_test!(
        asinh_method,
        m_asinh,
        m_asinh_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * a + 1.0).sqrt())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        asinh_method_reverse,
        m_asinh,
        m_asinh_jvp,
        m_asinh_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * a + 1.0).sqrt())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        asinh_path,
        p_asinh,
        p_asinh_jvp,
        |x| {
            let a = x;
            1.0 / (a * a + 1.0).sqrt()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        asinh_path_reverse,
        p_asinh,
        p_asinh_jvp,
        p_asinh_vjp,
        |x| {
            let a = x;
            1.0 / (a * a + 1.0).sqrt()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_acosh(x: f32) -> f32 {
        (1.25 * x).acosh()
    }

    #[jvp]
    #[vjp]
    fn p_acosh(x: f32) -> f32 {
        f32::acosh(x)
    }

    unary_test!(
        acosh_method,
        m_acosh,
        m_acosh_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * a - 1.0).sqrt())
        },
        [1.1, 1.5, 3.0]
    );
    unary_rev_test!(
        acosh_method_reverse,
        m_acosh,
        m_acosh_jvp,
        m_acosh_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * a - 1.0).sqrt())
        },
        [1.1, 1.5, 3.0]
    );
    unary_test!(
        acosh_path,
        p_acosh,
        p_acosh_jvp,
        |x| {
            let a = x;
            1.0 / (a * a - 1.0).sqrt()
        },
        [1.1, 1.5, 3.0]
    );
    unary_rev_test!(
        acosh_path_reverse,
        p_acosh,
        p_acosh_jvp,
        p_acosh_vjp,
        |x| {
            let a = x;
            1.0 / (a * a - 1.0).sqrt()
        },
        [1.1, 1.5, 3.0]
    );

    #[jvp]
    #[vjp]
    fn m_atanh(x: f32) -> f32 {
        (1.25 * x).atanh()
    }

    #[jvp]
    #[vjp]
    fn p_atanh(x: f32) -> f32 {
        f32::atanh(x)
    }

    unary_test!(
        atanh_method,
        m_atanh,
        m_atanh_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 - a * a))
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_rev_test!(
        atanh_method_reverse,
        m_atanh,
        m_atanh_jvp,
        m_atanh_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 - a * a))
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_test!(
        atanh_path,
        p_atanh,
        p_atanh_jvp,
        |x| {
            let a = x;
            1.0 / (1.0 - a * a)
        },
        [-0.7, -0.1, 0.5, 0.7]
    );
    unary_rev_test!(
        atanh_path_reverse,
        p_atanh,
        p_atanh_jvp,
        p_atanh_vjp,
        |x| {
            let a = x;
            1.0 / (1.0 - a * a)
        },
        [-0.7, -0.1, 0.5, 0.7]
    );

    #[jvp]
    #[vjp]
    fn m_exp(x: f32) -> f32 {
        (1.25 * x).exp()
    }

    #[jvp]
    #[vjp]
    fn p_exp(x: f32) -> f32 {
        f32::exp(x)
    }

    unary_test!(
        exp_method,
        m_exp,
        m_exp_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.exp())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        exp_method_reverse,
        m_exp,
        m_exp_jvp,
        m_exp_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.exp())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        exp_path,
        p_exp,
        p_exp_jvp,
        |x| {
            let a = x;
            a.exp()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        exp_path_reverse,
        p_exp,
        p_exp_jvp,
        p_exp_vjp,
        |x| {
            let a = x;
            a.exp()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_exp2(x: f32) -> f32 {
        (1.25 * x).exp2()
    }

    #[jvp]
    #[vjp]
    fn p_exp2(x: f32) -> f32 {
        f32::exp2(x)
    }

    unary_test!(
        exp2_method,
        m_exp2,
        m_exp2_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.exp2() * std::f32::consts::LN_2)
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        exp2_method_reverse,
        m_exp2,
        m_exp2_jvp,
        m_exp2_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.exp2() * std::f32::consts::LN_2)
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        exp2_path,
        p_exp2,
        p_exp2_jvp,
        |x| {
            let a = x;
            a.exp2() * std::f32::consts::LN_2
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        exp2_path_reverse,
        p_exp2,
        p_exp2_jvp,
        p_exp2_vjp,
        |x| {
            let a = x;
            a.exp2() * std::f32::consts::LN_2
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_exp_m1(x: f32) -> f32 {
        (1.25 * x).exp_m1()
    }

    #[jvp]
    #[vjp]
    fn p_exp_m1(x: f32) -> f32 {
        f32::exp_m1(x)
    }

    unary_test!(
        exp_m1_method,
        m_exp_m1,
        m_exp_m1_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.exp())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        exp_m1_method_reverse,
        m_exp_m1,
        m_exp_m1_jvp,
        m_exp_m1_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.exp())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        exp_m1_path,
        p_exp_m1,
        p_exp_m1_jvp,
        |x| {
            let a = x;
            a.exp()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        exp_m1_path_reverse,
        p_exp_m1,
        p_exp_m1_jvp,
        p_exp_m1_vjp,
        |x| {
            let a = x;
            a.exp()
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_ln(x: f32) -> f32 {
        (1.25 * x).ln()
    }

    #[jvp]
    #[vjp]
    fn p_ln(x: f32) -> f32 {
        f32::ln(x)
    }

    unary_test!(
        ln_method,
        m_ln,
        m_ln_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / a)
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        ln_method_reverse,
        m_ln,
        m_ln_jvp,
        m_ln_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / a)
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_test!(
        ln_path,
        p_ln,
        p_ln_jvp,
        |x| {
            let a = x;
            1.0 / a
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        ln_path_reverse,
        p_ln,
        p_ln_jvp,
        p_ln_vjp,
        |x| {
            let a = x;
            1.0 / a
        },
        [0.3, 1.0, 2.7, 10.0]
    );

    #[jvp]
    #[vjp]
    fn m_log2(x: f32) -> f32 {
        (1.25 * x).log2()
    }

    #[jvp]
    #[vjp]
    fn p_log2(x: f32) -> f32 {
        f32::log2(x)
    }

    unary_test!(
        log2_method,
        m_log2,
        m_log2_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * std::f32::consts::LN_2))
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        log2_method_reverse,
        m_log2,
        m_log2_jvp,
        m_log2_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * std::f32::consts::LN_2))
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_test!(
        log2_path,
        p_log2,
        p_log2_jvp,
        |x| {
            let a = x;
            1.0 / (a * std::f32::consts::LN_2)
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        log2_path_reverse,
        p_log2,
        p_log2_jvp,
        p_log2_vjp,
        |x| {
            let a = x;
            1.0 / (a * std::f32::consts::LN_2)
        },
        [0.3, 1.0, 2.7, 10.0]
    );

    #[jvp]
    #[vjp]
    fn m_log10(x: f32) -> f32 {
        (1.25 * x).log10()
    }

    #[jvp]
    #[vjp]
    fn p_log10(x: f32) -> f32 {
        f32::log10(x)
    }

    unary_test!(
        log10_method,
        m_log10,
        m_log10_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * std::f32::consts::LN_10))
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        log10_method_reverse,
        m_log10,
        m_log10_jvp,
        m_log10_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (a * std::f32::consts::LN_10))
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_test!(
        log10_path,
        p_log10,
        p_log10_jvp,
        |x| {
            let a = x;
            1.0 / (a * std::f32::consts::LN_10)
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        log10_path_reverse,
        p_log10,
        p_log10_jvp,
        p_log10_vjp,
        |x| {
            let a = x;
            1.0 / (a * std::f32::consts::LN_10)
        },
        [0.3, 1.0, 2.7, 10.0]
    );

    #[jvp]
    #[vjp]
    fn m_ln_1p(x: f32) -> f32 {
        (1.25 * x).ln_1p()
    }

    #[jvp]
    #[vjp]
    fn p_ln_1p(x: f32) -> f32 {
        f32::ln_1p(x)
    }

    unary_test!(
        ln_1p_method,
        m_ln_1p,
        m_ln_1p_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 + a))
        },
        [-0.5, 0.2, 3.0]
    );
    unary_rev_test!(
        ln_1p_method_reverse,
        m_ln_1p,
        m_ln_1p_jvp,
        m_ln_1p_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (1.0 + a))
        },
        [-0.5, 0.2, 3.0]
    );
    unary_test!(
        ln_1p_path,
        p_ln_1p,
        p_ln_1p_jvp,
        |x| {
            let a = x;
            1.0 / (1.0 + a)
        },
        [-0.5, 0.2, 3.0]
    );
    unary_rev_test!(
        ln_1p_path_reverse,
        p_ln_1p,
        p_ln_1p_jvp,
        p_ln_1p_vjp,
        |x| {
            let a = x;
            1.0 / (1.0 + a)
        },
        [-0.5, 0.2, 3.0]
    );

    #[jvp]
    #[vjp]
    fn m_sqrt(x: f32) -> f32 {
        (1.25 * x).sqrt()
    }

    #[jvp]
    #[vjp]
    fn p_sqrt(x: f32) -> f32 {
        f32::sqrt(x)
    }

    unary_test!(
        sqrt_method,
        m_sqrt,
        m_sqrt_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (0.5 / a.sqrt())
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        sqrt_method_reverse,
        m_sqrt,
        m_sqrt_jvp,
        m_sqrt_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (0.5 / a.sqrt())
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_test!(
        sqrt_path,
        p_sqrt,
        p_sqrt_jvp,
        |x| {
            let a = x;
            0.5 / a.sqrt()
        },
        [0.3, 1.0, 2.7, 10.0]
    );
    unary_rev_test!(
        sqrt_path_reverse,
        p_sqrt,
        p_sqrt_jvp,
        p_sqrt_vjp,
        |x| {
            let a = x;
            0.5 / a.sqrt()
        },
        [0.3, 1.0, 2.7, 10.0]
    );

    #[jvp]
    #[vjp]
    fn m_cbrt(x: f32) -> f32 {
        (1.25 * x).cbrt()
    }

    #[jvp]
    #[vjp]
    fn p_cbrt(x: f32) -> f32 {
        f32::cbrt(x)
    }

    unary_test!(
        cbrt_method,
        m_cbrt,
        m_cbrt_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (3.0 * a.cbrt() * a.cbrt()))
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        cbrt_method_reverse,
        m_cbrt,
        m_cbrt_jvp,
        m_cbrt_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (1.0 / (3.0 * a.cbrt() * a.cbrt()))
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_test!(
        cbrt_path,
        p_cbrt,
        p_cbrt_jvp,
        |x| {
            let a = x;
            1.0 / (3.0 * a.cbrt() * a.cbrt())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );
    unary_rev_test!(
        cbrt_path_reverse,
        p_cbrt,
        p_cbrt_jvp,
        p_cbrt_vjp,
        |x| {
            let a = x;
            1.0 / (3.0 * a.cbrt() * a.cbrt())
        },
        [-1.3, -0.2, 0.4, 1.1]
    );

    #[jvp]
    #[vjp]
    fn m_recip(x: f32) -> f32 {
        (1.25 * x).recip()
    }

    #[jvp]
    #[vjp]
    fn p_recip(x: f32) -> f32 {
        f32::recip(x)
    }

    unary_test!(
        recip_method,
        m_recip,
        m_recip_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (-1.0 / (a * a))
        },
        [-2.0, -0.4, 0.5, 3.0]
    );
    unary_rev_test!(
        recip_method_reverse,
        m_recip,
        m_recip_jvp,
        m_recip_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (-1.0 / (a * a))
        },
        [-2.0, -0.4, 0.5, 3.0]
    );
    unary_test!(
        recip_path,
        p_recip,
        p_recip_jvp,
        |x| {
            let a = x;
            -1.0 / (a * a)
        },
        [-2.0, -0.4, 0.5, 3.0]
    );
    unary_rev_test!(
        recip_path_reverse,
        p_recip,
        p_recip_jvp,
        p_recip_vjp,
        |x| {
            let a = x;
            -1.0 / (a * a)
        },
        [-2.0, -0.4, 0.5, 3.0]
    );

    #[jvp]
    #[vjp]
    fn m_abs(x: f32) -> f32 {
        (1.25 * x).abs()
    }

    #[jvp]
    #[vjp]
    fn p_abs(x: f32) -> f32 {
        f32::abs(x)
    }

    unary_test!(
        abs_method,
        m_abs,
        m_abs_jvp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.signum())
        },
        [-1.5, -0.3, 0.2, 2.0]
    );
    unary_rev_test!(
        abs_method_reverse,
        m_abs,
        m_abs_jvp,
        m_abs_vjp,
        |x| {
            let a = 1.25 * x;
            1.25 * (a.signum())
        },
        [-1.5, -0.3, 0.2, 2.0]
    );
    unary_test!(
        abs_path,
        p_abs,
        p_abs_jvp,
        |x| {
            let a = x;
            a.signum()
        },
        [-1.5, -0.3, 0.2, 2.0]
    );
    unary_rev_test!(
        abs_path_reverse,
        p_abs,
        p_abs_jvp,
        p_abs_vjp,
        |x| {
            let a = x;
            a.signum()
        },
        [-1.5, -0.3, 0.2, 2.0]
    );

    // `floor` has a zero derivative; the product rule leaves `floor(..)`.
    #[jvp]
    #[vjp]
    fn m_floor(x: f32) -> f32 {
        (1.25 * x).floor() * x
    }

    #[jvp]
    #[vjp]
    fn p_floor(x: f32) -> f32 {
        f32::floor(x) * x
    }

    unary_test!(
        floor_method,
        m_floor,
        m_floor_jvp,
        |x| (1.25 * x).floor(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        floor_method_reverse,
        m_floor,
        m_floor_jvp,
        m_floor_vjp,
        |x| (1.25 * x).floor(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_test!(
        floor_path,
        p_floor,
        p_floor_jvp,
        |x| x.floor(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        floor_path_reverse,
        p_floor,
        p_floor_jvp,
        p_floor_vjp,
        |x| x.floor(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );

    // `ceil` has a zero derivative; the product rule leaves `ceil(..)`.
    #[jvp]
    #[vjp]
    fn m_ceil(x: f32) -> f32 {
        (1.25 * x).ceil() * x
    }

    #[jvp]
    #[vjp]
    fn p_ceil(x: f32) -> f32 {
        f32::ceil(x) * x
    }

    unary_test!(
        ceil_method,
        m_ceil,
        m_ceil_jvp,
        |x| (1.25 * x).ceil(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        ceil_method_reverse,
        m_ceil,
        m_ceil_jvp,
        m_ceil_vjp,
        |x| (1.25 * x).ceil(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_test!(
        ceil_path,
        p_ceil,
        p_ceil_jvp,
        |x| x.ceil(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        ceil_path_reverse,
        p_ceil,
        p_ceil_jvp,
        p_ceil_vjp,
        |x| x.ceil(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );

    // `round` has a zero derivative; the product rule leaves `round(..)`.
    #[jvp]
    #[vjp]
    fn m_round(x: f32) -> f32 {
        (1.25 * x).round() * x
    }

    #[jvp]
    #[vjp]
    fn p_round(x: f32) -> f32 {
        f32::round(x) * x
    }

    unary_test!(
        round_method,
        m_round,
        m_round_jvp,
        |x| (1.25 * x).round(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        round_method_reverse,
        m_round,
        m_round_jvp,
        m_round_vjp,
        |x| (1.25 * x).round(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_test!(
        round_path,
        p_round,
        p_round_jvp,
        |x| x.round(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        round_path_reverse,
        p_round,
        p_round_jvp,
        p_round_vjp,
        |x| x.round(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );

    // `trunc` has a zero derivative; the product rule leaves `trunc(..)`.
    #[jvp]
    #[vjp]
    fn m_trunc(x: f32) -> f32 {
        (1.25 * x).trunc() * x
    }

    #[jvp]
    #[vjp]
    fn p_trunc(x: f32) -> f32 {
        f32::trunc(x) * x
    }

    unary_test!(
        trunc_method,
        m_trunc,
        m_trunc_jvp,
        |x| (1.25 * x).trunc(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        trunc_method_reverse,
        m_trunc,
        m_trunc_jvp,
        m_trunc_vjp,
        |x| (1.25 * x).trunc(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_test!(
        trunc_path,
        p_trunc,
        p_trunc_jvp,
        |x| x.trunc(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        trunc_path_reverse,
        p_trunc,
        p_trunc_jvp,
        p_trunc_vjp,
        |x| x.trunc(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );

    // `signum` has a zero derivative; the product rule leaves `signum(..)`.
    #[jvp]
    #[vjp]
    fn m_signum(x: f32) -> f32 {
        (1.25 * x).signum() * x
    }

    #[jvp]
    #[vjp]
    fn p_signum(x: f32) -> f32 {
        f32::signum(x) * x
    }

    unary_test!(
        signum_method,
        m_signum,
        m_signum_jvp,
        |x| (1.25 * x).signum(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        signum_method_reverse,
        m_signum,
        m_signum_jvp,
        m_signum_vjp,
        |x| (1.25 * x).signum(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_test!(
        signum_path,
        p_signum,
        p_signum_jvp,
        |x| x.signum(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );
    unary_rev_test!(
        signum_path_reverse,
        p_signum,
        p_signum_jvp,
        p_signum_vjp,
        |x| x.signum(),
        [-1.3, -0.2, 0.3, 1.7, 2.2]
    );

    // ---- functions of several arguments -------------------------------

    const DIRS2: [(f32, f32); 3] = [(1.0, 0.0), (0.0, 1.0), (0.55, -0.8)];
    const DIRS3: [(f32, f32, f32); 4] = [
        (1.0, 0.0, 0.0),
        (0.0, 1.0, 0.0),
        (0.0, 0.0, 1.0),
        (0.3, -0.6, 0.9),
    ];

    #[jvp]
    #[vjp]
    fn m_atan2(y: f32, x: f32) -> f32 {
        y.atan2(x)
    }

    #[jvp]
    #[vjp]
    fn p_atan2(y: f32, x: f32) -> f32 {
        f32::atan2(y, x)
    }

    #[test]
    fn atan2_both_forms() {
        for &(y, x) in &[(0.5, 1.2), (-0.8, 0.3), (1.1, -0.9), (-0.4, -1.5)] {
            for &(dy, dx) in &DIRS2 {
                let exact = (x * dy - y * dx) / (x * x + y * y);
                let (v, t) = m_atan2_jvp(y, dy, x, dx);
                assert_eq!(v, m_atan2(y, x));
                check(t, exact, fd(|s| m_atan2(y + s * dy, x + s * dx)));
                let (v, t) = p_atan2_jvp(y, dy, x, dx);
                assert_eq!(v, p_atan2(y, x));
                check(t, exact, fd(|s| p_atan2(y + s * dy, x + s * dx)));
            }
        }
    }

    #[test]
    fn atan2_both_forms_reverse() {
        for (i, &(y, x)) in [(0.5, 1.2), (-0.8, 0.3), (1.1, -0.9), (-0.4, -1.5)]
            .iter()
            .enumerate()
        {
            let i = i as u64;
            rev_dot!(m_atan2, m_atan2_jvp, m_atan2_vjp, i; val y, val x);
            rev_dot!(p_atan2, p_atan2_jvp, p_atan2_vjp, i; val y, val x);
            let r2 = x * x + y * y;
            for (gy, gx) in [
                rev_grad!(m_atan2_vjp; val y, val x),
                rev_grad!(p_atan2_vjp; val y, val x),
            ] {
                check_exact(gy, x / r2);
                check_exact(gx, -y / r2);
            }
        }
    }

    #[jvp]
    #[vjp]
    fn m_log(x: f32, b: f32) -> f32 {
        x.log(b) + x.log(3.0)
    }

    #[jvp]
    #[vjp]
    fn p_log(x: f32, b: f32) -> f32 {
        f32::log(x, b) + f32::log(x, 3.0)
    }

    #[test]
    fn log_both_forms() {
        for &(x, b) in &[(0.7f32, 2.0f32), (3.5, 10.0), (5.0, 0.5)] {
            for &(dx, db) in &DIRS2 {
                let lb = b.ln();
                let exact = dx / (x * lb) - x.ln() * db / (b * lb * lb) + dx / (x * 3.0f32.ln());
                let (v, t) = m_log_jvp(x, dx, b, db);
                assert_eq!(v, m_log(x, b));
                check(t, exact, fd(|s| m_log(x + s * dx, b + s * db)));
                let (v, t) = p_log_jvp(x, dx, b, db);
                assert_eq!(v, p_log(x, b));
                check(t, exact, fd(|s| p_log(x + s * dx, b + s * db)));
            }
        }
    }

    #[test]
    fn log_both_forms_reverse() {
        for (i, &(x, b)) in [(0.7f32, 2.0f32), (3.5, 10.0), (5.0, 0.5)]
            .iter()
            .enumerate()
        {
            let i = i as u64;
            rev_dot!(m_log, m_log_jvp, m_log_vjp, i; val x, val b);
            rev_dot!(p_log, p_log_jvp, p_log_vjp, i; val x, val b);
            let lb = b.ln();
            for (gx, gb) in [
                rev_grad!(m_log_vjp; val x, val b),
                rev_grad!(p_log_vjp; val x, val b),
            ] {
                check_exact(gx, 1.0 / (x * lb) + 1.0 / (x * 3.0f32.ln()));
                check_exact(gb, -x.ln() / (b * lb * lb));
            }
        }
    }

    #[jvp]
    #[vjp]
    fn m_powf(x: f32, y: f32) -> f32 {
        x.powf(y)
    }

    #[jvp]
    #[vjp]
    fn p_powf(x: f32, y: f32) -> f32 {
        f32::powf(x, y)
    }

    #[test]
    fn powf_both_forms() {
        for &(x, y) in &[(0.6f32, 2.5f32), (1.7, -1.3), (2.2, 0.5)] {
            for &(dx, dy) in &DIRS2 {
                let p = x.powf(y);
                let exact = y * x.powf(y - 1.0) * dx + p * x.ln() * dy;
                let (v, t) = m_powf_jvp(x, dx, y, dy);
                assert_eq!(v, m_powf(x, y));
                check(t, exact, fd(|s| m_powf(x + s * dx, y + s * dy)));
                let (v, t) = p_powf_jvp(x, dx, y, dy);
                assert_eq!(v, p_powf(x, y));
                check(t, exact, fd(|s| p_powf(x + s * dx, y + s * dy)));
            }
        }
    }

    #[test]
    fn powf_both_forms_reverse() {
        for (i, &(x, y)) in [(0.6f32, 2.5f32), (1.7, -1.3), (2.2, 0.5)]
            .iter()
            .enumerate()
        {
            let i = i as u64;
            rev_dot!(m_powf, m_powf_jvp, m_powf_vjp, i; val x, val y);
            rev_dot!(p_powf, p_powf_jvp, p_powf_vjp, i; val x, val y);
            for (gx, gy) in [
                rev_grad!(m_powf_vjp; val x, val y),
                rev_grad!(p_powf_vjp; val x, val y),
            ] {
                check_exact(gx, y * x.powf(y - 1.0));
                check_exact(gy, x.powf(y) * x.ln());
            }
        }
    }

    #[jvp]
    #[vjp]
    fn m_powi(x: f32, n: i32) -> f32 {
        x.powi(n) + x.powi(3)
    }

    #[jvp]
    #[vjp]
    fn p_powi(x: f32, n: i32) -> f32 {
        f32::powi(x, n) + f32::powi(x, 3)
    }

    #[test]
    fn powi_both_forms() {
        for &x in &[-1.4f32, 0.6, 2.1] {
            for n in [-2, 0, 1, 4] {
                let exact = n as f32 * x.powi(n - 1) + 3.0 * x * x;
                let (v, t) = m_powi_jvp(x, 1.0, n);
                assert_eq!(v, m_powi(x, n));
                check(t, exact, fd(|s| m_powi(x + s, n)));
                let (v, t) = p_powi_jvp(x, 1.0, n);
                assert_eq!(v, p_powi(x, n));
                check(t, exact, fd(|s| p_powi(x + s, n)));
            }
        }
    }

    #[test]
    fn powi_both_forms_reverse() {
        for &x in &[-1.4f32, 0.6, 2.1] {
            for n in [-2, 0, 1, 4] {
                rev_dot!(m_powi, m_powi_jvp, m_powi_vjp, n as u64; val x, c n);
                rev_dot!(p_powi, p_powi_jvp, p_powi_vjp, n as u64; val x, c n);
                let exact = n as f32 * x.powi(n - 1) + 3.0 * x * x;
                check_exact(rev_grad!(m_powi_vjp; val x, c n), exact);
                check_exact(rev_grad!(p_powi_vjp; val x, c n), exact);
            }
        }
    }

    #[jvp]
    #[vjp]
    fn m_hypot(x: f32, y: f32) -> f32 {
        x.hypot(y)
    }

    #[jvp]
    #[vjp]
    fn p_hypot(x: f32, y: f32) -> f32 {
        f32::hypot(x, y)
    }

    #[test]
    fn hypot_both_forms() {
        for &(x, y) in &[(3.0, 4.0), (-0.5, 1.2), (0.9, -0.1)] {
            for &(dx, dy) in &DIRS2 {
                let exact = (x * dx + y * dy) / x.hypot(y);
                let (v, t) = m_hypot_jvp(x, dx, y, dy);
                assert_eq!(v, m_hypot(x, y));
                check(t, exact, fd(|s| m_hypot(x + s * dx, y + s * dy)));
                let (v, t) = p_hypot_jvp(x, dx, y, dy);
                assert_eq!(v, p_hypot(x, y));
                check(t, exact, fd(|s| p_hypot(x + s * dx, y + s * dy)));
            }
        }
    }

    #[test]
    fn hypot_both_forms_reverse() {
        for (i, &(x, y)) in [(3.0, 4.0), (-0.5, 1.2), (0.9, -0.1)].iter().enumerate() {
            let i = i as u64;
            rev_dot!(m_hypot, m_hypot_jvp, m_hypot_vjp, i; val x, val y);
            rev_dot!(p_hypot, p_hypot_jvp, p_hypot_vjp, i; val x, val y);
            let h = x.hypot(y);
            for (gx, gy) in [
                rev_grad!(m_hypot_vjp; val x, val y),
                rev_grad!(p_hypot_vjp; val x, val y),
            ] {
                check_exact(gx, x / h);
                check_exact(gy, y / h);
            }
        }
    }

    #[jvp]
    #[vjp]
    fn m_mul_add(a: f32, b: f32, c: f32) -> f32 {
        a.mul_add(b, c)
    }

    #[jvp]
    #[vjp]
    fn p_mul_add(a: f32, b: f32, c: f32) -> f32 {
        f32::mul_add(a, b, c)
    }

    #[test]
    fn mul_add_both_forms() {
        for &(a, b, c) in &[(0.5, -1.5, 2.0), (-1.2, 0.7, 0.3)] {
            for &(da, db, dc) in &DIRS3 {
                let exact = da * b + a * db + dc;
                let (v, t) = m_mul_add_jvp(a, da, b, db, c, dc);
                assert_eq!(v, m_mul_add(a, b, c));
                check(
                    t,
                    exact,
                    fd(|s| m_mul_add(a + s * da, b + s * db, c + s * dc)),
                );
                let (v, t) = p_mul_add_jvp(a, da, b, db, c, dc);
                assert_eq!(v, p_mul_add(a, b, c));
                check(
                    t,
                    exact,
                    fd(|s| p_mul_add(a + s * da, b + s * db, c + s * dc)),
                );
            }
        }
    }

    #[test]
    fn mul_add_both_forms_reverse() {
        for (i, &(a, b, c)) in [(0.5, -1.5, 2.0), (-1.2, 0.7, 0.3)].iter().enumerate() {
            let i = i as u64;
            rev_dot!(m_mul_add, m_mul_add_jvp, m_mul_add_vjp, i; val a, val b, val c);
            rev_dot!(p_mul_add, p_mul_add_jvp, p_mul_add_vjp, i; val a, val b, val c);
            for (ga, gb, gc) in [
                rev_grad!(m_mul_add_vjp; val a, val b, val c),
                rev_grad!(p_mul_add_vjp; val a, val b, val c),
            ] {
                check_exact(ga, b);
                check_exact(gb, a);
                check_exact(gc, 1.0);
            }
        }
    }

    #[jvp]
    #[vjp]
    fn m_max(a: f32, b: f32) -> f32 {
        a.max(b)
    }

    #[jvp]
    #[vjp]
    fn p_max(a: f32, b: f32) -> f32 {
        f32::max(a, b)
    }

    #[jvp]
    #[vjp]
    fn m_min(a: f32, b: f32) -> f32 {
        a.min(b)
    }

    #[jvp]
    #[vjp]
    fn p_min(a: f32, b: f32) -> f32 {
        f32::min(a, b)
    }

    #[test]
    fn max_min_away_from_ties() {
        for &(a, b) in &[(0.9, 0.2), (-1.0, 0.5), (2.0, -3.0), (-0.4, -0.1)] {
            for &(da, db) in &DIRS2 {
                let dmax = if a > b { da } else { db };
                let dmin = if a < b { da } else { db };
                let (v, t) = m_max_jvp(a, da, b, db);
                assert_eq!(v, m_max(a, b));
                check(t, dmax, fd(|s| m_max(a + s * da, b + s * db)));
                let (v, t) = p_max_jvp(a, da, b, db);
                assert_eq!(v, p_max(a, b));
                check(t, dmax, fd(|s| p_max(a + s * da, b + s * db)));
                let (v, t) = m_min_jvp(a, da, b, db);
                assert_eq!(v, m_min(a, b));
                check(t, dmin, fd(|s| m_min(a + s * da, b + s * db)));
                let (v, t) = p_min_jvp(a, da, b, db);
                assert_eq!(v, p_min(a, b));
                check(t, dmin, fd(|s| p_min(a + s * da, b + s * db)));
            }
        }
    }

    #[test]
    fn max_min_away_from_ties_reverse() {
        for (i, &(a, b)) in [(0.9, 0.2), (-1.0, 0.5), (2.0, -3.0), (-0.4, -0.1)]
            .iter()
            .enumerate()
        {
            let i = i as u64;
            rev_dot!(m_max, m_max_jvp, m_max_vjp, i; val a, val b);
            rev_dot!(p_max, p_max_jvp, p_max_vjp, i; val a, val b);
            rev_dot!(m_min, m_min_jvp, m_min_vjp, i; val a, val b);
            rev_dot!(p_min, p_min_jvp, p_min_vjp, i; val a, val b);
            let gmax = if a > b { (1.0, 0.0) } else { (0.0, 1.0) };
            let gmin = if a < b { (1.0, 0.0) } else { (0.0, 1.0) };
            for g in [
                rev_grad!(m_max_vjp; val a, val b),
                rev_grad!(p_max_vjp; val a, val b),
            ] {
                check_exact(g.0, gmax.0);
                check_exact(g.1, gmax.1);
            }
            for g in [
                rev_grad!(m_min_vjp; val a, val b),
                rev_grad!(p_min_vjp; val a, val b),
            ] {
                check_exact(g.0, gmin.0);
                check_exact(g.1, gmin.1);
            }
        }
    }

    #[test]
    fn max_min_tie_convention() {
        // At a tie, `a.max(b)` and `a.min(b)` follow `a`.
        for &c in &[0.0, 1.5, -2.0] {
            let (v, t) = m_max_jvp(c, 0.3, c, -0.9);
            assert_eq!(v, c);
            check_exact(t, 0.3);
            let (_, t) = p_max_jvp(c, 0.3, c, -0.9);
            check_exact(t, 0.3);
            let (v, t) = m_min_jvp(c, -0.4, c, 0.8);
            assert_eq!(v, c);
            check_exact(t, -0.4);
            let (_, t) = p_min_jvp(c, -0.4, c, 0.8);
            check_exact(t, -0.4);
        }
    }

    #[test]
    fn max_min_tie_convention_reverse() {
        // At a tie the whole adjoint goes to `a`, as the tangent follows `a`.
        for (i, &c) in [0.0, 1.5, -2.0].iter().enumerate() {
            let (a, b) = (c, c);
            let i = i as u64;
            rev_dot!(m_max, m_max_jvp, m_max_vjp, i; val a, val b);
            rev_dot!(p_max, p_max_jvp, p_max_vjp, i; val a, val b);
            rev_dot!(m_min, m_min_jvp, m_min_vjp, i; val a, val b);
            rev_dot!(p_min, p_min_jvp, p_min_vjp, i; val a, val b);
            for g in [
                rev_grad!(m_max_vjp; val a, val b),
                rev_grad!(p_max_vjp; val a, val b),
                rev_grad!(m_min_vjp; val a, val b),
                rev_grad!(p_min_vjp; val a, val b),
            ] {
                check_exact(g.0, 1.0);
                check_exact(g.1, 0.0);
            }
        }
    }

    // max/min against a constant (ReLU / clipping), mixed forms.
    #[jvp]
    #[vjp]
    fn relu_mix(x: f32) -> f32 {
        x.max(0.0) + f32::min(x, 1.0) * 2.0
    }

    #[test]
    fn relu_mix_matches() {
        for &x in &[-0.8, 0.4, 1.6] {
            let (v, t) = relu_mix_jvp(x, 1.0);
            assert_eq!(v, relu_mix(x));
            let exact = (if x > 0.0 { 1.0 } else { 0.0 }) + (if x < 1.0 { 2.0 } else { 0.0 });
            check(t, exact, fd(|s| relu_mix(x + s)));
        }
        // ReLU at exactly 0: `x.max(0.0)` with x == 0 follows x (a >= b).
        let (_, t) = relu_mix_jvp(0.0, 1.0);
        check_exact(t, 1.0 + 2.0);
    }

    #[test]
    fn relu_mix_reverse() {
        for (i, &x) in [-0.8, 0.4, 1.6, 0.0].iter().enumerate() {
            rev_dot!(relu_mix, relu_mix_jvp, relu_mix_vjp, i as u64; val x);
            // At x == 0 `x.max(0.0)` follows x (a >= b).
            let exact = (if x >= 0.0 { 1.0 } else { 0.0 }) + (if x < 1.0 { 2.0 } else { 0.0 });
            check_exact(rev_grad!(relu_mix_vjp; val x), exact);
        }
    }

    #[jvp]
    #[vjp]
    fn m_clamp(x: f32, lo: f32, hi: f32) -> f32 {
        x.clamp(lo, hi)
    }

    #[jvp]
    #[vjp]
    fn p_clamp(x: f32, lo: f32, hi: f32) -> f32 {
        f32::clamp(x, lo, hi)
    }

    #[test]
    fn clamp_both_forms() {
        for &(x, lo, hi) in &[
            (0.3, -1.0, 1.0),
            (-2.0, -1.0, 1.0),
            (1.8, -1.0, 1.0),
            (0.5, 0.2, 0.6),
        ] {
            for &(dx, dlo, dhi) in &DIRS3 {
                let exact = if x < lo {
                    dlo
                } else if x > hi {
                    dhi
                } else {
                    dx
                };
                let (v, t) = m_clamp_jvp(x, dx, lo, dlo, hi, dhi);
                assert_eq!(v, m_clamp(x, lo, hi));
                check(
                    t,
                    exact,
                    fd(|s| m_clamp(x + s * dx, lo + s * dlo, hi + s * dhi)),
                );
                let (v, t) = p_clamp_jvp(x, dx, lo, dlo, hi, dhi);
                assert_eq!(v, p_clamp(x, lo, hi));
                check(
                    t,
                    exact,
                    fd(|s| p_clamp(x + s * dx, lo + s * dlo, hi + s * dhi)),
                );
            }
        }
    }

    #[test]
    fn clamp_both_forms_reverse() {
        for (i, &(x, lo, hi)) in [
            (0.3, -1.0, 1.0),
            (-2.0, -1.0, 1.0),
            (1.8, -1.0, 1.0),
            (0.5, 0.2, 0.6),
        ]
        .iter()
        .enumerate()
        {
            let i = i as u64;
            rev_dot!(m_clamp, m_clamp_jvp, m_clamp_vjp, i; val x, val lo, val hi);
            rev_dot!(p_clamp, p_clamp_jvp, p_clamp_vjp, i; val x, val lo, val hi);
            let exact = if x < lo {
                (0.0, 1.0, 0.0)
            } else if x > hi {
                (0.0, 0.0, 1.0)
            } else {
                (1.0, 0.0, 0.0)
            };
            for g in [
                rev_grad!(m_clamp_vjp; val x, val lo, val hi),
                rev_grad!(p_clamp_vjp; val x, val lo, val hi),
            ] {
                check_exact(g.0, exact.0);
                check_exact(g.1, exact.1);
                check_exact(g.2, exact.2);
            }
        }
    }

    #[test]
    fn clamp_boundary_convention() {
        // `x.clamp(lo, hi)` follows x when lo <= x <= hi, so at either bound
        // the tangent is x's.
        for &(x, lo, hi) in &[(-1.0, -1.0, 1.0), (1.0, -1.0, 1.0), (0.5, 0.5, 0.5)] {
            let (v, t) = m_clamp_jvp(x, 0.7, lo, -0.2, hi, 0.9);
            assert_eq!(v, x);
            check_exact(t, 0.7);
            let (_, t) = p_clamp_jvp(x, 0.7, lo, -0.2, hi, 0.9);
            check_exact(t, 0.7);
        }
    }

    #[test]
    fn clamp_boundary_convention_reverse() {
        for (i, &(x, lo, hi)) in [(-1.0, -1.0, 1.0), (1.0, -1.0, 1.0), (0.5, 0.5, 0.5)]
            .iter()
            .enumerate()
        {
            let i = i as u64;
            rev_dot!(m_clamp, m_clamp_jvp, m_clamp_vjp, i; val x, val lo, val hi);
            rev_dot!(p_clamp, p_clamp_jvp, p_clamp_vjp, i; val x, val lo, val hi);
            for g in [
                rev_grad!(m_clamp_vjp; val x, val lo, val hi),
                rev_grad!(p_clamp_vjp; val x, val lo, val hi),
            ] {
                check_exact(g.0, 1.0);
                check_exact(g.1, 0.0);
                check_exact(g.2, 0.0);
            }
        }
    }

    #[test]
    fn abs_signum_at_zero_convention() {
        // abs'(0) = 0 and signum' = 0 everywhere.
        for &dx in &[1.0, -2.5] {
            let (v, t) = m_abs_jvp(0.0, dx);
            assert_eq!(v, 0.0);
            check_exact(t, 0.0);
            let (_, t) = p_abs_jvp(0.0, dx);
            check_exact(t, 0.0);
            let (_, t) = m_signum_jvp(0.0, dx);
            // (1.25 x).signum() * x at x = 0: signum(0.0) = 1.0, so the
            // product rule gives signum(0) * dx.
            check_exact(t, 0.0f32.signum() * dx);
        }
    }

    #[test]
    fn abs_signum_at_zero_convention_reverse() {
        let x = 0.0;
        rev_dot!(m_abs, m_abs_jvp, m_abs_vjp, 0; val x);
        rev_dot!(p_abs, p_abs_jvp, p_abs_vjp, 0; val x);
        rev_dot!(m_signum, m_signum_jvp, m_signum_vjp, 0; val x);
        check_exact(rev_grad!(m_abs_vjp; val x), 0.0);
        check_exact(rev_grad!(p_abs_vjp; val x), 0.0);
        check_exact(rev_grad!(m_signum_vjp; val x), 0.0f32.signum());
    }

    #[test]
    fn floor_family_has_zero_derivative_at_integers() {
        // Even exactly at a jump the convention is a zero derivative of the
        // rounding function itself: d(floor(x) * x) = floor(x) dx.
        for &x in &[1.0, 2.0, -3.0] {
            let (_, t) = p_floor_jvp(x, 1.0);
            check_exact(t, x.floor());
            let (_, t) = p_ceil_jvp(x, 1.0);
            check_exact(t, x.ceil());
            let (_, t) = p_trunc_jvp(x, 1.0);
            check_exact(t, x.trunc());
        }
        let (_, t) = p_round_jvp(0.5, 1.0);
        check_exact(t, 0.5f32.round());
    }

    #[test]
    fn floor_family_has_zero_derivative_at_integers_reverse() {
        for (i, &x) in [1.0, 2.0, -3.0].iter().enumerate() {
            let i = i as u64;
            rev_dot!(p_floor, p_floor_jvp, p_floor_vjp, i; val x);
            rev_dot!(p_ceil, p_ceil_jvp, p_ceil_vjp, i; val x);
            rev_dot!(p_trunc, p_trunc_jvp, p_trunc_vjp, i; val x);
            check_exact(rev_grad!(p_floor_vjp; val x), x.floor());
            check_exact(rev_grad!(p_ceil_vjp; val x), x.ceil());
            check_exact(rev_grad!(p_trunc_vjp; val x), x.trunc());
        }
        let x = 0.5;
        rev_dot!(p_round, p_round_jvp, p_round_vjp, 0; val x);
        check_exact(rev_grad!(p_round_vjp; val x), 0.5f32.round());
    }

    // ---- compositions ---------------------------------------------------

    #[jvp]
    #[vjp]
    fn composite(x: f32, y: f32) -> f32 {
        let r = (x * x + y * y).sqrt();
        let a = (x.sin() * y.exp()).atan();
        let b = f32::ln(r) * f32::tanh(y);
        let c = (x / r).acos() + (x * 0.3).asinh().cosh();
        a + b + c.powi(2) + f32::hypot(a, b).exp2()
    }

    #[test]
    fn composite_matches() {
        for &(x, y) in &[(0.7, 0.4), (-1.1, 0.9), (0.3, -1.6)] {
            for &(dx, dy) in &DIRS2 {
                let (v, t) = composite_jvp(x, dx, y, dy);
                assert_eq!(v, composite(x, y));
                let r = (x * x + y * y).sqrt();
                let dr = (x * dx + y * dy) / r;
                let q = x.sin() * y.exp();
                let dq = x.cos() * y.exp() * dx + q * dy;
                let a = q.atan();
                let da = dq / (1.0 + q * q);
                let b = r.ln() * y.tanh();
                let db = dr / r * y.tanh() + r.ln() * (1.0 - y.tanh() * y.tanh()) * dy;
                let w = x / r;
                let dw = (dx * r - x * dr) / (r * r);
                let z = x * 0.3;
                let c = w.acos() + z.asinh().cosh();
                let dc =
                    -dw / (1.0 - w * w).sqrt() + z.asinh().sinh() / (z * z + 1.0).sqrt() * 0.3 * dx;
                let hh = a.hypot(b);
                let dh = (a * da + b * db) / hh;
                let exact = da + db + 2.0 * c * dc + hh.exp2() * std::f32::consts::LN_2 * dh;
                check(t, exact, fd(|s| composite(x + s * dx, y + s * dy)));
            }
        }
    }

    #[test]
    fn composite_reverse() {
        for (i, &(x, y)) in [(0.7, 0.4), (-1.1, 0.9), (0.3, -1.6)].iter().enumerate() {
            rev_dot!(composite, composite_jvp, composite_vjp, i as u64; val x, val y);
            let (gx, gy) = rev_grad!(composite_vjp; val x, val y);
            // The forward test's closed form, per direction.
            let exact = |dx: f32, dy: f32| {
                let r = (x * x + y * y).sqrt();
                let dr = (x * dx + y * dy) / r;
                let q = x.sin() * y.exp();
                let dq = x.cos() * y.exp() * dx + q * dy;
                let a = q.atan();
                let da = dq / (1.0 + q * q);
                let b = r.ln() * y.tanh();
                let db = dr / r * y.tanh() + r.ln() * (1.0 - y.tanh() * y.tanh()) * dy;
                let w = x / r;
                let dw = (dx * r - x * dr) / (r * r);
                let z = x * 0.3;
                let c = w.acos() + z.asinh().cosh();
                let dc =
                    -dw / (1.0 - w * w).sqrt() + z.asinh().sinh() / (z * z + 1.0).sqrt() * 0.3 * dx;
                let hh = a.hypot(b);
                let dh = (a * da + b * db) / hh;
                da + db + 2.0 * c * dc + hh.exp2() * std::f32::consts::LN_2 * dh
            };
            check_exact(gx, exact(1.0, 0.0));
            check_exact(gy, exact(0.0, 1.0));
        }
    }
} // mod single
