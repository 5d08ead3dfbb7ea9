//! Elementary functions added to the rule table after `tests/elementary.rs`
//! was written (they move into its table when the two are merged). Each is
//! checked against a closed form, central finite differences, and the
//! dot-product test between its `_jvp` and its `_vjp`, in `f64` and `f32`,
//! as a method and as an associated function.
//!
//! `rem_euclid(a, b)`: `r = a - q·b` with `q = a.div_euclid(b)` constant on
//! each piece, so `dr = da - q·db`. At a jump (`a / b` an integer) the
//! derivative is that of the piece the result lies on.

macro_rules! rem_euclid_tests {
    ($m:ident, $R:ident, h: $h:expr, exact: $exact:expr, fd: $fd:expr, dot: $dot:expr) => {
        mod $m {
            use approx::assert_relative_eq;
            use autodiff::{jvp, vjp};

            #[jvp]
            #[vjp]
            fn method(a: $R, b: $R) -> $R {
                a.rem_euclid(b) * 1.5 + a
            }

            #[jvp]
            #[vjp]
            fn path(a: $R, b: $R) -> $R {
                $R::rem_euclid(a, b) * 1.5 + a
            }

            /// `∂/∂a` and `∂/∂b` of `method` and `path`.
            fn closed_form(a: $R, b: $R) -> ($R, $R) {
                (1.5 + 1.0, -1.5 * a.div_euclid(b))
            }

            /// Away from jumps by much more than the step: quotients 2, -2,
            /// -2 and 0.
            const POINTS: [($R, $R); 4] = [(5.3, 2.0), (-1.7, 1.5), (7.0, -3.0), (0.4, 3.0)];
            const DIRS: [($R, $R); 3] = [(1.0, 0.0), (0.0, 1.0), (0.6, -0.8)];

            fn central(f: impl Fn($R) -> $R) -> $R {
                let h: $R = $h;
                (f(h) - f(-h)) / (2.0 * h)
            }

            #[test]
            fn tangent_matches_closed_form_and_finite_differences() {
                for (a, b) in POINTS {
                    let (ga, gb) = closed_form(a, b);
                    for (da, db) in DIRS {
                        let exact = ga * da + gb * db;
                        let fd_m = central(|s| method(a + s * da, b + s * db));
                        let fd_p = central(|s| path(a + s * da, b + s * db));
                        assert_relative_eq!(fd_m, exact, epsilon = $fd, max_relative = $fd);
                        let (v, t) = method_jvp(a, da, b, db);
                        assert_eq!(v, method(a, b));
                        assert_relative_eq!(t, exact, epsilon = $exact, max_relative = $exact);
                        assert_relative_eq!(t, fd_m, epsilon = $fd, max_relative = $fd);
                        let (v, t) = path_jvp(a, da, b, db);
                        assert_eq!(v, path(a, b));
                        assert_relative_eq!(t, exact, epsilon = $exact, max_relative = $exact);
                        assert_relative_eq!(t, fd_p, epsilon = $fd, max_relative = $fd);
                    }
                }
            }

            #[test]
            fn gradient_matches_closed_form() {
                for (a, b) in POINTS {
                    let (ga, gb) = closed_form(a, b);
                    for vjp in [method_vjp, path_vjp] {
                        let (mut a_bar, mut b_bar) = (0.0, 0.0);
                        let v = vjp(a, &mut a_bar, b, &mut b_bar, 1.0);
                        assert_eq!(v, method(a, b));
                        assert_relative_eq!(a_bar, ga, epsilon = $exact, max_relative = $exact);
                        assert_relative_eq!(b_bar, gb, epsilon = $exact, max_relative = $exact);
                    }
                }
            }

            /// ⟨w, J·u⟩ from the `_jvp` equals ⟨Jᵀ·w, u⟩ from the `_vjp`.
            #[test]
            fn forward_and_reverse_agree() {
                let ws: [$R; 3] = [1.0, -0.35, 2.5];
                for ((a, b), w) in POINTS.into_iter().zip(ws.into_iter().cycle()) {
                    for (da, db) in DIRS {
                        let (_, t) = method_jvp(a, da, b, db);
                        let (mut a_bar, mut b_bar) = (0.0, 0.0);
                        method_vjp(a, &mut a_bar, b, &mut b_bar, w);
                        let lhs = f64::from(w) * f64::from(t);
                        let rhs =
                            f64::from(a_bar) * f64::from(da) + f64::from(b_bar) * f64::from(db);
                        assert_relative_eq!(lhs, rhs, epsilon = $dot, max_relative = $dot);
                    }
                }
            }

            /// At `a / b = 2` the result is 0, on the piece with `q = 2`.
            #[test]
            fn at_a_jump_follows_the_piece_of_the_result() {
                let (a, b): ($R, $R) = (4.0, 2.0);
                let (_, t) = method_jvp(a, 0.0, b, 1.0);
                assert_relative_eq!(t, -3.0, epsilon = $exact, max_relative = $exact);
                let (mut a_bar, mut b_bar) = (0.0, 0.0);
                path_vjp(a, &mut a_bar, b, &mut b_bar, 1.0);
                assert_relative_eq!(a_bar, 2.5, epsilon = $exact, max_relative = $exact);
                assert_relative_eq!(b_bar, -3.0, epsilon = $exact, max_relative = $exact);
            }

            /// On integers `rem_euclid` stays an integer operation.
            #[jvp]
            #[vjp]
            fn integer_index(x: $R, n: i64) -> $R {
                let k = (n - 7).rem_euclid(3);
                x * (k as $R + 1.0)
            }

            #[test]
            fn integer_operands_carry_no_derivative() {
                // (5 - 7).rem_euclid(3) = 1, so the factor is 2.
                let (v, t) = integer_index_jvp(1.25, 0.5, 5);
                assert_eq!(v, integer_index(1.25, 5));
                assert_eq!(v, 2.5);
                assert_relative_eq!(t, 1.0, epsilon = $exact, max_relative = $exact);
                let mut x_bar = 0.0;
                integer_index_vjp(1.25, &mut x_bar, 5, 1.0);
                assert_relative_eq!(x_bar, 2.0, epsilon = $exact, max_relative = $exact);
            }
        }
    };
}

// The function is linear on each piece, so central differences are exact
// up to round-off: about 1e-10 in f64 at step 1e-6, and 1e-4 in f32 at step
// 1e-2 (values up to 10, machine epsilon 1.2e-7).
rem_euclid_tests!(double, f64, h: 1e-6, exact: 1e-12, fd: 1e-7, dot: 1e-12);
rem_euclid_tests!(single, f32, h: 1e-2, exact: 1e-6, fd: 1e-3, dot: 1e-6);
