//! An external oracle: test functions of the `argmin_testfunctions` crate
//! (0.3.0), which ships hand-written derivatives, differentiated by our
//! macros and compared with those derivatives.
//!
//! Each function below is the crate's source copied verbatim except for the
//! number type, mechanically: the generic `T` (with its `where` clause)
//! becomes `f64`, `T::from_f64(c).unwrap()` becomes `c`, and
//! `T::from_usize(n).unwrap()` becomes `n as f64`, and a `.sum()` that is
//! an operand of `*` or `+` gets `::<f64>` (rustc cannot infer the sum's
//! type next to a concrete `f64`, which has several `Mul` impls, where it
//! can next to `T: Float`). Closures in iterator
//! chains, `zip`/`skip`, `let [x1, x2] = *param;` and `.sum()` are kept as
//! written. Of the crate's 23 functions with derivatives, 17 are here; the
//! others need Rust the macros do not take yet: `levy` (a sub-slice
//! `param[1..n - 1]`), `picheny` (`<[T; 2]>::map` with a closure),
//! `cross_in_tray` (`.into()` between float types), `schaffer_n4`,
//! `levy_n13` and `zero` (kept out: the first two have kinks at the crate's
//! test points, the last is trivial).
//!
//! Each is checked three ways: `f_grad` against the crate's `_derivative`,
//! the dot-product test between `f_jvp` and `f_grad`, and a central finite
//! difference along the same direction.

#![allow(clippy::excessive_precision, clippy::neg_multiply, clippy::precedence)]

use adiff::{grad, jvp};
use approx::assert_relative_eq;
use std::f64::consts::PI;

#[jvp]
#[grad(wrt(param))]
pub fn rosenbrock_ab(param: &[f64], a: f64, b: f64) -> f64 {
    param
        .iter()
        .zip(param.iter().skip(1))
        .map(|(&xi, &xi1)| (a - xi).powi(2) + b * (xi1 - xi.powi(2)).powi(2))
        .sum()
}

#[jvp]
#[grad(wrt(param))]
pub fn ackley_abc(param: &[f64], a: f64, b: f64, c: f64) -> f64 {
    let num1 = 1.0;
    let n = param.len() as f64;
    -a * (-b * ((num1 / n) * param.iter().map(|x| x.powi(2)).sum::<f64>()).sqrt()).exp()
        - ((num1 / n) * param.iter().map(|x| (c * *x).cos()).sum::<f64>()).exp()
        + a
        + num1.exp()
}

#[jvp]
#[grad(wrt(param))]
pub fn rastrigin_a(param: &[f64], a: f64) -> f64 {
    a * param.len() as f64
        + param
            .iter()
            .map(|&x| x.powi(2) - a * ((2.0 * PI) * x).cos())
            .sum::<f64>()
}

#[jvp]
#[grad]
pub fn sphere(param: &[f64]) -> f64 {
    param.iter().map(|x| x.powi(2)).sum()
}

#[jvp]
#[grad]
pub fn styblinski_tang(param: &[f64]) -> f64 {
    0.5 * param
        .iter()
        .map(|x| x.powi(4) - 16.0 * x.powi(2) + 5.0 * *x)
        .sum::<f64>()
}

#[jvp]
#[grad]
pub fn beale(param: &[f64; 2]) -> f64 {
    let [x1, x2] = *param;
    (1.5 - x1 + x1 * x2).powi(2)
        + (2.25 - x1 + x1 * (x2.powi(2))).powi(2)
        + (2.625 - x1 + x1 * (x2.powi(3))).powi(2)
}

#[jvp]
#[grad]
pub fn booth(param: &[f64; 2]) -> f64 {
    let n2 = 2.0;
    let n5 = 5.0;
    let n7 = 7.0;

    let [x1, x2] = *param;
    (x1 + n2 * x2 - n7).powi(2) + (n2 * x1 + x2 - n5).powi(2)
}

#[jvp]
#[grad]
pub fn bukin_n6(param: &[f64; 2]) -> f64 {
    let [x1, x2] = *param;
    let n001 = 0.01;
    let n10 = 10.0;
    let n100 = 100.0;
    n100 * (x2 - n001 * x1.powi(2)).abs().sqrt() + n001 * (x1 + n10).abs()
}

#[jvp]
#[grad]
pub fn easom(param: &[f64; 2]) -> f64 {
    let [x1, x2] = *param;
    let pi = PI;
    -x1.cos() * x2.cos() * (-(x1 - pi).powi(2) - (x2 - pi).powi(2)).exp()
}

#[jvp]
#[grad]
pub fn eggholder(param: &[f64; 2]) -> f64 {
    let [x1, x2] = *param;
    let n47 = 47.0;
    -(x2 + n47) * (x2 + x1 / 2.0 + n47).abs().sqrt().sin()
        - x1 * (x1 - (x2 + n47)).abs().sqrt().sin()
}

#[jvp]
#[grad]
pub fn goldsteinprice(param: &[f64; 2]) -> f64 {
    let [x1, x2] = *param;
    let n1 = 1.0;
    let n2 = 2.0;
    let n3 = 3.0;
    let n6 = 6.0;
    let n12 = 12.0;
    let n14 = 14.0;
    let n18 = 18.0;
    let n19 = 19.0;
    let n27 = 27.0;
    let n30 = 30.0;
    let n32 = 32.0;
    let n36 = 36.0;
    let n48 = 48.0;
    (n1 + (x1 + x2 + n1).powi(2)
        * (n19 - n14 * (x1 + x2) + n3 * (x1.powi(2) + x2.powi(2)) + n6 * x1 * x2))
        * (n30
            + (n2 * x1 - n3 * x2).powi(2)
                * (n18 - n32 * x1 + n12 * x1.powi(2) + n48 * x2 - n36 * x1 * x2 + n27 * x2.powi(2)))
}

#[jvp]
#[grad]
pub fn himmelblau(param: &[f64; 2]) -> f64 {
    let [x1, x2] = *param;
    let n7 = 7.0;
    let n11 = 11.0;
    (x1.powi(2) + x2 - n11).powi(2) + (x1 + x2.powi(2) - n7).powi(2)
}

#[jvp]
#[grad]
pub fn holder_table(param: &[f64; 2]) -> f64 {
    let [x1, x2] = *param;
    let pi = PI;
    let n1 = 1.0;
    -(x1.sin() * x2.cos() * (n1 - (x1.powi(2) + x2.powi(2)).sqrt() / pi).abs().exp()).abs()
}

#[jvp]
#[grad]
pub fn matyas(param: &[f64; 2]) -> f64 {
    let [x1, x2] = *param;

    let n026 = 0.26;
    let n048 = 0.48;

    n026 * (x1.powi(2) + x2.powi(2)) - n048 * x1 * x2
}

#[jvp]
#[grad]
pub fn mccormick(param: &[f64; 2]) -> f64 {
    let [x1, x2] = *param;
    (x1 + x2).sin() + (x1 - x2).powi(2) - 1.5 * x1 + 2.5 * x2 + 1.0
}

#[jvp]
#[grad]
pub fn schaffer_n2(param: &[f64; 2]) -> f64 {
    let [x1, x2] = *param;

    let n0_001 = 0.001;
    let n0_5 = 0.5;
    let n1 = 1.0;

    n0_5 + ((x1.powi(2) - x2.powi(2)).sin().powi(2) - n0_5)
        / (n1 + n0_001 * (x1.powi(2) + x2.powi(2))).powi(2)
}

#[jvp]
#[grad]
pub fn threehumpcamel(param: &[f64; 2]) -> f64 {
    let [x1, x2] = *param;

    2.0 * x1.powi(2) - 1.05 * x1.powi(4) + x1.powi(6) / 6.0 + x1 * x2 + x2.powi(2)
}

use argmin_testfunctions as oracle;

/// Points away from the kinks of `bukin_n6`, `eggholder` and `holder_table`.
const POINTS2: [[f64; 2]; 4] = [[0.7, -1.3], [-2.1, 0.4], [1.9, 2.6], [-0.45, -0.8]];
const U2: [f64; 2] = [0.6, -0.35];
const POINTS4: [[f64; 4]; 3] = [
    [0.3, -0.9, 1.4, 0.55],
    [-1.2, 0.25, 0.8, -0.6],
    [1.1, 1.05, -0.3, 2.2],
];
const U4: [f64; 4] = [0.5, -0.25, 0.75, 0.1];

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The three checks at one point: `g` against the crate's `reference`,
/// `dy` (the tangent along `u`) against `⟨g, u⟩`, and a central difference.
fn check(f: &dyn Fn(&[f64]) -> f64, x: &[f64], u: &[f64], g: &[f64], dy: f64, reference: &[f64]) {
    for i in 0..x.len() {
        assert_relative_eq!(g[i], reference[i], max_relative = 1e-10, epsilon = 1e-9);
    }
    assert_relative_eq!(dy, dot(g, u), max_relative = 1e-10, epsilon = 1e-9);
    let h = 1e-6;
    let xp: Vec<f64> = x.iter().zip(u).map(|(a, b)| a + h * b).collect();
    let xm: Vec<f64> = x.iter().zip(u).map(|(a, b)| a - h * b).collect();
    let fd = (f(&xp) - f(&xm)) / (2.0 * h);
    assert_relative_eq!(dy, fd, max_relative = 1e-6, epsilon = 1e-6);
}

macro_rules! two_d {
    ($($test:ident: $f:ident, $jvp:ident, $grad:ident, $reference:path;)*) => {$(
        #[test]
        fn $test() {
            for x in POINTS2 {
                let (y, g) = $grad(&x);
                assert_eq!(y, $f(&x));
                let (y2, dy) = $jvp(&x, &U2);
                assert_eq!(y2, y);
                let f = |p: &[f64]| $f(&[p[0], p[1]]);
                check(&f, &x, &U2, &g, dy, &$reference(&x));
            }
        }
    )*};
}

two_d! {
    beale_matches: beale, beale_jvp, beale_grad, oracle::beale_derivative;
    booth_matches: booth, booth_jvp, booth_grad, oracle::booth_derivative;
    bukin_n6_matches: bukin_n6, bukin_n6_jvp, bukin_n6_grad, oracle::bukin_n6_derivative;
    easom_matches: easom, easom_jvp, easom_grad, oracle::easom_derivative;
    eggholder_matches: eggholder, eggholder_jvp, eggholder_grad, oracle::eggholder_derivative;
    goldsteinprice_matches: goldsteinprice, goldsteinprice_jvp, goldsteinprice_grad, oracle::goldsteinprice_derivative;
    himmelblau_matches: himmelblau, himmelblau_jvp, himmelblau_grad, oracle::himmelblau_derivative;
    holder_table_matches: holder_table, holder_table_jvp, holder_table_grad, oracle::holder_table_derivative;
    matyas_matches: matyas, matyas_jvp, matyas_grad, oracle::matyas_derivative;
    mccormick_matches: mccormick, mccormick_jvp, mccormick_grad, oracle::mccormick_derivative;
    schaffer_n2_matches: schaffer_n2, schaffer_n2_jvp, schaffer_n2_grad, oracle::schaffer_n2_derivative;
    threehumpcamel_matches: threehumpcamel, threehumpcamel_jvp, threehumpcamel_grad, oracle::threehumpcamel_derivative;
}

#[test]
fn sphere_and_styblinski_tang_match() {
    for x in POINTS4 {
        let (y, g) = sphere_grad(&x);
        assert_eq!(y, sphere(&x));
        let (_, dy) = sphere_jvp(&x, &U4);
        check(&sphere, &x, &U4, &g, dy, &oracle::sphere_derivative(&x));
        let (y, g) = styblinski_tang_grad(&x);
        assert_eq!(y, styblinski_tang(&x));
        let (_, dy) = styblinski_tang_jvp(&x, &U4);
        check(
            &styblinski_tang,
            &x,
            &U4,
            &g,
            dy,
            &oracle::styblinski_tang_derivative(&x),
        );
    }
}

#[test]
fn rosenbrock_ackley_and_rastrigin_match() {
    let (a, b) = (1.0, 100.0);
    let (ca, cb, cc) = (20.0, 0.2, 2.0 * PI);
    for x in POINTS4 {
        let (y, g) = rosenbrock_ab_grad(&x, a, b);
        assert_eq!(y, rosenbrock_ab(&x, a, b));
        let (_, dy) = rosenbrock_ab_jvp(&x, &U4, a, 0.0, b, 0.0);
        let f = |p: &[f64]| rosenbrock_ab(p, a, b);
        check(
            &f,
            &x,
            &U4,
            &g,
            dy,
            &oracle::rosenbrock_ab_derivative(&x, a, b),
        );

        let (y, g) = ackley_abc_grad(&x, ca, cb, cc);
        assert_eq!(y, ackley_abc(&x, ca, cb, cc));
        let (_, dy) = ackley_abc_jvp(&x, &U4, ca, 0.0, cb, 0.0, cc, 0.0);
        let f = |p: &[f64]| ackley_abc(p, ca, cb, cc);
        check(
            &f,
            &x,
            &U4,
            &g,
            dy,
            &oracle::ackley_abc_derivative(&x, ca, cb, cc),
        );

        let (y, g) = rastrigin_a_grad(&x, 10.0);
        assert_eq!(y, rastrigin_a(&x, 10.0));
        let (_, dy) = rastrigin_a_jvp(&x, &U4, 10.0, 0.0);
        let f = |p: &[f64]| rastrigin_a(p, 10.0);
        check(
            &f,
            &x,
            &U4,
            &g,
            dy,
            &oracle::rastrigin_a_derivative(&x, 10.0),
        );
    }
}
