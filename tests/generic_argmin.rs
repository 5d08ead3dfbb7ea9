//! The generic functions of `argmin_testfunctions` 0.3.0, ported without
//! changing them (only the `use` of `num::` is `num_traits::`, which `num`
//! re-exports), annotated with `#[jvp]` and `#[grad]`, and checked at
//! `T = f64` and `T = f32` against the crate's hand-written derivatives,
//! against central differences, and forward against reverse.

use adiff::{grad, jvp};
use num_traits::{Float, FromPrimitive};
use std::f64::consts::PI;
use std::iter::Sum;

// argmin_testfunctions 0.3.0, src/ackley.rs, unchanged.
#[jvp]
#[grad]
pub fn ackley<T>(param: &[T]) -> T
where
    T: Float + FromPrimitive + Sum,
{
    ackley_abc(
        param,
        T::from_f64(20.0).unwrap(),
        T::from_f64(0.2).unwrap(),
        T::from_f64(2.0 * PI).unwrap(),
    )
}

// argmin_testfunctions 0.3.0, src/ackley.rs, unchanged.
#[jvp]
#[grad(wrt(param))]
pub fn ackley_abc<T>(param: &[T], a: T, b: T, c: T) -> T
where
    T: Float + FromPrimitive + Sum,
{
    let num1 = T::from_f64(1.0).unwrap();
    let n = T::from_usize(param.len()).unwrap();
    -a * (-b * ((num1 / n) * param.iter().map(|x| x.powi(2)).sum()).sqrt()).exp()
        - ((num1 / n) * param.iter().map(|x| (c * *x).cos()).sum()).exp()
        + a
        + num1.exp()
}

// argmin_testfunctions 0.3.0, src/beale.rs, unchanged.
#[jvp]
#[grad]
pub fn beale<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive,
{
    let [x1, x2] = *param;
    (T::from_f64(1.5).unwrap() - x1 + x1 * x2).powi(2)
        + (T::from_f64(2.25).unwrap() - x1 + x1 * (x2.powi(2))).powi(2)
        + (T::from_f64(2.625).unwrap() - x1 + x1 * (x2.powi(3))).powi(2)
}

// argmin_testfunctions 0.3.0, src/booth.rs, unchanged.
#[jvp]
#[grad]
pub fn booth<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive,
{
    let n2 = T::from_f64(2.0).unwrap();
    let n5 = T::from_f64(5.0).unwrap();
    let n7 = T::from_f64(7.0).unwrap();

    let [x1, x2] = *param;
    (x1 + n2 * x2 - n7).powi(2) + (n2 * x1 + x2 - n5).powi(2)
}

// argmin_testfunctions 0.3.0, src/bukin.rs, unchanged.
#[jvp]
#[grad]
pub fn bukin_n6<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive,
{
    let [x1, x2] = *param;
    let n001 = T::from_f64(0.01).unwrap();
    let n10 = T::from_f64(10.0).unwrap();
    let n100 = T::from_f64(100.0).unwrap();
    n100 * (x2 - n001 * x1.powi(2)).abs().sqrt() + n001 * (x1 + n10).abs()
}

// argmin_testfunctions 0.3.0, src/crossintray.rs, unchanged.
#[jvp]
#[grad]
pub fn cross_in_tray<T>(param: &[T; 2]) -> T
where
    T: Float + Into<f64> + FromPrimitive,
{
    let x1: f64 = param[0].into();
    let x2: f64 = param[1].into();
    T::from_f64(
        -0.0001
            * ((x1.sin() * x2.sin() * (100.0 - (x1.powi(2) + x2.powi(2)).sqrt() / PI).abs().exp())
                .abs()
                + 1.0)
                .powf(0.1),
    )
    .unwrap()
}

// argmin_testfunctions 0.3.0, src/easom.rs, unchanged.
#[jvp]
#[grad]
pub fn easom<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive,
{
    let [x1, x2] = *param;
    let pi = T::from_f64(PI).unwrap();
    -x1.cos() * x2.cos() * (-(x1 - pi).powi(2) - (x2 - pi).powi(2)).exp()
}

// argmin_testfunctions 0.3.0, src/eggholder.rs, unchanged.
#[jvp]
#[grad]
pub fn eggholder<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive,
{
    let [x1, x2] = *param;
    let n47 = T::from_f64(47.0).unwrap();
    -(x2 + n47)
        * (x2 + x1 / T::from_f64(2.0).unwrap() + n47)
            .abs()
            .sqrt()
            .sin()
        - x1 * (x1 - (x2 + n47)).abs().sqrt().sin()
}

// argmin_testfunctions 0.3.0, src/goldsteinprice.rs, unchanged.
#[jvp]
#[grad]
pub fn goldsteinprice<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive,
{
    let [x1, x2] = *param;
    let n1 = T::from_f64(1.0).unwrap();
    let n2 = T::from_f64(2.0).unwrap();
    let n3 = T::from_f64(3.0).unwrap();
    let n6 = T::from_f64(6.0).unwrap();
    let n12 = T::from_f64(12.0).unwrap();
    let n14 = T::from_f64(14.0).unwrap();
    let n18 = T::from_f64(18.0).unwrap();
    let n19 = T::from_f64(19.0).unwrap();
    let n27 = T::from_f64(27.0).unwrap();
    let n30 = T::from_f64(30.0).unwrap();
    let n32 = T::from_f64(32.0).unwrap();
    let n36 = T::from_f64(36.0).unwrap();
    let n48 = T::from_f64(48.0).unwrap();
    (n1 + (x1 + x2 + n1).powi(2)
        * (n19 - n14 * (x1 + x2) + n3 * (x1.powi(2) + x2.powi(2)) + n6 * x1 * x2))
        * (n30
            + (n2 * x1 - n3 * x2).powi(2)
                * (n18 - n32 * x1 + n12 * x1.powi(2) + n48 * x2 - n36 * x1 * x2 + n27 * x2.powi(2)))
}

// argmin_testfunctions 0.3.0, src/himmelblau.rs, unchanged.
#[jvp]
#[grad]
pub fn himmelblau<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive,
{
    let [x1, x2] = *param;
    let n7 = T::from_f64(7.0).unwrap();
    let n11 = T::from_f64(11.0).unwrap();
    (x1.powi(2) + x2 - n11).powi(2) + (x1 + x2.powi(2) - n7).powi(2)
}

// argmin_testfunctions 0.3.0, src/holdertable.rs, unchanged.
#[jvp]
#[grad]
pub fn holder_table<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive,
{
    let [x1, x2] = *param;
    let pi = T::from_f64(PI).unwrap();
    let n1 = T::from_f64(1.0).unwrap();
    -(x1.sin() * x2.cos() * (n1 - (x1.powi(2) + x2.powi(2)).sqrt() / pi).abs().exp()).abs()
}

// argmin_testfunctions 0.3.0, src/levy.rs, unchanged.
#[jvp]
#[grad]
pub fn levy<T>(param: &[T]) -> T
where
    T: Float + FromPrimitive + Sum,
{
    let plen = param.len();
    assert!(plen >= 2);

    let n1 = T::from_f64(1.0).unwrap();
    let n2 = T::from_f64(2.0).unwrap();
    let n4 = T::from_f64(4.0).unwrap();
    let n10 = T::from_f64(10.0).unwrap();
    let pi = T::from_f64(PI).unwrap();

    let w = |x: T| n1 + (x - n1) / n4;

    (pi * w(param[0])).sin().powi(2)
        + param[1..(plen - 1)]
            .iter()
            .map(|x| w(*x))
            .map(|wi: T| (wi - n1).powi(2) * (n1 + n10 * (pi * wi + n1).sin().powi(2)))
            .sum()
        + (w(param[plen - 1]) - n1).powi(2) * (n1 + (n2 * pi * w(param[plen - 1])).sin().powi(2))
}

// argmin_testfunctions 0.3.0, src/levy.rs, unchanged.
#[jvp]
#[grad]
pub fn levy_n13<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive + Sum,
{
    let [x1, x2] = *param;

    let n1 = T::from_f64(1.0).unwrap();
    let n2 = T::from_f64(2.0).unwrap();
    let n3 = T::from_f64(3.0).unwrap();
    let pi = T::from_f64(PI).unwrap();

    (n3 * pi * x1).sin().powi(2)
        + (x1 - n1).powi(2) * (n1 + (n3 * pi * x2).sin().powi(2))
        + (x2 - n1).powi(2) * (n1 + (n2 * pi * x2).sin().powi(2))
}

// argmin_testfunctions 0.3.0, src/matyas.rs, unchanged.
#[jvp]
#[grad]
pub fn matyas<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive,
{
    let [x1, x2] = *param;

    let n026 = T::from_f64(0.26).unwrap();
    let n048 = T::from_f64(0.48).unwrap();

    n026 * (x1.powi(2) + x2.powi(2)) - n048 * x1 * x2
}

// argmin_testfunctions 0.3.0, src/mccormick.rs, unchanged.
#[jvp]
#[grad]
pub fn mccormick<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive,
{
    let [x1, x2] = *param;
    (x1 + x2).sin() + (x1 - x2).powi(2) - T::from_f64(1.5).unwrap() * x1
        + T::from_f64(2.5).unwrap() * x2
        + T::from_f64(1.0).unwrap()
}

// argmin_testfunctions 0.3.0, src/picheny.rs, unchanged.
#[jvp]
#[grad]
pub fn picheny<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive,
{
    let n1 = T::from_f64(1.0).unwrap();
    let n2 = T::from_f64(2.0).unwrap();
    let n3 = T::from_f64(3.0).unwrap();
    let n4 = T::from_f64(4.0).unwrap();
    let n6 = T::from_f64(6.0).unwrap();
    let n12 = T::from_f64(12.0).unwrap();
    let n14 = T::from_f64(14.0).unwrap();
    let n18 = T::from_f64(18.0).unwrap();
    let n19 = T::from_f64(19.0).unwrap();
    let n27 = T::from_f64(27.0).unwrap();
    let n30 = T::from_f64(30.0).unwrap();
    let n32 = T::from_f64(32.0).unwrap();
    let n36 = T::from_f64(36.0).unwrap();
    let n48 = T::from_f64(48.0).unwrap();

    let [x1, x2] = param.map(|x| n4 * x - n2);

    T::from_f64(1.0 / 2.427).unwrap()
        * (((n1
            + (x1 + x2 + n1).powi(2)
                * (n19 - n14 * (x1 + x2) + n3 * (x1.powi(2) + x2.powi(2)) + n6 * x1 * x2))
            * (n30
                + (n2 * x1 - n3 * x2).powi(2)
                    * (n18 - n32 * x1 + n12 * x1.powi(2) + n48 * x2 - n36 * x1 * x2
                        + n27 * x2.powi(2))))
        .log10()
            - T::from_f64(8.693).unwrap())
}

// argmin_testfunctions 0.3.0, src/rastrigin.rs, unchanged.
#[jvp]
#[grad]
pub fn rastrigin<T>(param: &[T]) -> T
where
    T: Float + FromPrimitive + Sum,
{
    rastrigin_a(param, T::from_f64(10.0).unwrap())
}

// argmin_testfunctions 0.3.0, src/rastrigin.rs, unchanged.
#[jvp]
#[grad(wrt(param))]
pub fn rastrigin_a<T>(param: &[T], a: T) -> T
where
    T: Float + FromPrimitive + Sum,
{
    a * T::from_usize(param.len()).unwrap()
        + param
            .iter()
            .map(|&x| x.powi(2) - a * (T::from_f64(2.0 * PI).unwrap() * x).cos())
            .sum()
}

// argmin_testfunctions 0.3.0, src/rosenbrock.rs, unchanged.
#[jvp]
#[grad]
pub fn rosenbrock<T>(param: &[T]) -> T
where
    T: Float + FromPrimitive + Sum,
{
    rosenbrock_ab(
        param,
        T::from_f64(1.0).unwrap(),
        T::from_f64(100.0).unwrap(),
    )
}

// argmin_testfunctions 0.3.0, src/rosenbrock.rs, unchanged.
#[jvp]
#[grad(wrt(param))]
pub fn rosenbrock_ab<T>(param: &[T], a: T, b: T) -> T
where
    T: Float + FromPrimitive + Sum,
{
    param
        .iter()
        .zip(param.iter().skip(1))
        .map(|(&xi, &xi1)| (a - xi).powi(2) + b * (xi1 - xi.powi(2)).powi(2))
        .sum()
}

// argmin_testfunctions 0.3.0, src/schaffer.rs, unchanged.
#[jvp]
#[grad]
pub fn schaffer_n2<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive,
{
    let [x1, x2] = *param;

    let n0_001 = T::from_f64(0.001).unwrap();
    let n0_5 = T::from_f64(0.5).unwrap();
    let n1 = T::from_f64(1.0).unwrap();

    n0_5 + ((x1.powi(2) - x2.powi(2)).sin().powi(2) - n0_5)
        / (n1 + n0_001 * (x1.powi(2) + x2.powi(2))).powi(2)
}

// argmin_testfunctions 0.3.0, src/schaffer.rs, unchanged.
#[jvp]
#[grad]
pub fn schaffer_n4<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive,
{
    let [x1, x2] = *param;
    let n05 = T::from_f64(0.5).unwrap();
    let n1 = T::from_f64(1.0).unwrap();
    let n0001 = T::from_f64(0.001).unwrap();
    n05 + ((x1.powi(2) - x2.powi(2)).abs().sin().cos().powi(2) - n05)
        / (n1 + n0001 * (x1.powi(2) + x2.powi(2))).powi(2)
}

// argmin_testfunctions 0.3.0, src/sphere.rs, unchanged.
#[jvp]
#[grad]
pub fn sphere<T>(param: &[T]) -> T
where
    T: Float + FromPrimitive + Sum,
{
    param.iter().map(|x| x.powi(2)).sum()
}

// argmin_testfunctions 0.3.0, src/styblinskitang.rs, unchanged.
#[jvp]
#[grad]
pub fn styblinski_tang<T>(param: &[T]) -> T
where
    T: Float + FromPrimitive + Sum,
{
    T::from_f64(0.5).unwrap()
        * param
            .iter()
            .map(|x| {
                x.powi(4) - T::from_f64(16.0).unwrap() * x.powi(2) + T::from_f64(5.0).unwrap() * *x
            })
            .sum()
}

// argmin_testfunctions 0.3.0, src/threehumpcamel.rs, unchanged.
#[jvp]
#[grad]
pub fn threehumpcamel<T>(param: &[T; 2]) -> T
where
    T: Float + FromPrimitive,
{
    let [x1, x2] = *param;

    T::from_f64(2.0).unwrap() * x1.powi(2) - T::from_f64(1.05).unwrap() * x1.powi(4)
        + x1.powi(6) / T::from_f64(6.0).unwrap()
        + x1 * x2
        + x2.powi(2)
}

// argmin_testfunctions 0.3.0, src/zero.rs, unchanged.
#[jvp]
#[grad(wrt(_param))]
pub fn zero<T>(_param: &[T]) -> T
where
    T: Float + FromPrimitive,
{
    T::from_f64(0.0).unwrap()
}

// ---------------------------------------------------------------------
// The checks.

use approx::assert_relative_eq;
use argmin_testfunctions as oracle;

/// Points away from the kinks of `bukin_n6`, `eggholder`, `holder_table`,
/// `cross_in_tray` and `schaffer_n4`.
const POINTS2: [[f64; 2]; 4] = [[0.7, -1.3], [-2.1, 0.4], [1.9, 2.6], [-0.45, -0.8]];
const U2: [f64; 2] = [0.6, -0.35];
const POINTS4: [[f64; 4]; 3] = [
    [0.3, -0.9, 1.4, 0.55],
    [-1.2, 0.25, 0.8, -0.6],
    [1.1, 1.05, -0.3, 2.2],
];
const U4: [f64; 4] = [0.5, -0.25, 0.75, 0.1];

fn dot<T: Float>(a: &[T], b: &[T]) -> T {
    a.iter().zip(b).fold(T::zero(), |s, (x, y)| s + *x * *y)
}

fn to32<const N: usize>(x: &[f64; N]) -> [f32; N] {
    x.map(|v| v as f32)
}

/// At `f64`: the gradient `g` against the crate's `reference`, the tangent
/// `dy` along `u` against `⟨g, u⟩` (forward against reverse), and `dy`
/// against a central difference of `f`.
fn check64(f: &dyn Fn(&[f64]) -> f64, x: &[f64], u: &[f64], g: &[f64], dy: f64, reference: &[f64]) {
    assert_eq!(g.len(), x.len());
    for (gi, ri) in g.iter().zip(reference) {
        assert_relative_eq!(*gi, *ri, max_relative = 1e-10, epsilon = 1e-9);
    }
    assert_relative_eq!(dy, dot(g, u), max_relative = 1e-10, epsilon = 1e-9);
    let h = 1e-6;
    let xp: Vec<f64> = x.iter().zip(u).map(|(a, b)| a + h * b).collect();
    let xm: Vec<f64> = x.iter().zip(u).map(|(a, b)| a - h * b).collect();
    let fd = (f(&xp) - f(&xm)) / (2.0 * h);
    assert_relative_eq!(dy, fd, max_relative = 1e-6, epsilon = 1e-6);
}

/// At `f32`: the gradient against the crate's `f32` reference (the two
/// round differently, so the tolerance is `f32`'s, scaled by the size of
/// the gradient), and forward against reverse.
fn check32(g: &[f32], dy: f32, u: &[f32], reference: &[f32]) {
    assert_eq!(g.len(), reference.len());
    let scale = reference.iter().fold(1.0_f32, |m, r| m.max(r.abs()));
    for (gi, ri) in g.iter().zip(reference) {
        assert_relative_eq!(*gi, *ri, max_relative = 1e-4, epsilon = 1e-5 * scale);
    }
    assert_relative_eq!(dy, dot(g, u), max_relative = 1e-4, epsilon = 1e-5 * scale);
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
                check64(&f, &x, &U2, &g, dy, &$reference(&x));

                let (x32, u32_) = (to32(&x), to32(&U2));
                let (y, g) = $grad(&x32);
                assert_eq!(y, $f(&x32));
                let (_, dy) = $jvp(&x32, &u32_);
                check32(&g, dy, &u32_, &$reference(&x32));
            }
        }
    )*};
}

two_d! {
    beale_matches: beale, beale_jvp, beale_grad, oracle::beale_derivative;
    booth_matches: booth, booth_jvp, booth_grad, oracle::booth_derivative;
    bukin_n6_matches: bukin_n6, bukin_n6_jvp, bukin_n6_grad, oracle::bukin_n6_derivative;
    cross_in_tray_matches: cross_in_tray, cross_in_tray_jvp, cross_in_tray_grad, oracle::cross_in_tray_derivative;
    easom_matches: easom, easom_jvp, easom_grad, oracle::easom_derivative;
    eggholder_matches: eggholder, eggholder_jvp, eggholder_grad, oracle::eggholder_derivative;
    goldsteinprice_matches: goldsteinprice, goldsteinprice_jvp, goldsteinprice_grad, oracle::goldsteinprice_derivative;
    himmelblau_matches: himmelblau, himmelblau_jvp, himmelblau_grad, oracle::himmelblau_derivative;
    holder_table_matches: holder_table, holder_table_jvp, holder_table_grad, oracle::holder_table_derivative;
    levy_n13_matches: levy_n13, levy_n13_jvp, levy_n13_grad, oracle::levy_n13_derivative;
    matyas_matches: matyas, matyas_jvp, matyas_grad, oracle::matyas_derivative;
    mccormick_matches: mccormick, mccormick_jvp, mccormick_grad, oracle::mccormick_derivative;
    picheny_matches: picheny, picheny_jvp, picheny_grad, oracle::picheny_derivative;
    schaffer_n2_matches: schaffer_n2, schaffer_n2_jvp, schaffer_n2_grad, oracle::schaffer_n2_derivative;
    schaffer_n4_matches: schaffer_n4, schaffer_n4_jvp, schaffer_n4_grad, oracle::schaffer_n4_derivative;
    threehumpcamel_matches: threehumpcamel, threehumpcamel_jvp, threehumpcamel_grad, oracle::threehumpcamel_derivative;
}

macro_rules! n_d {
    ($($test:ident: $f:ident, $jvp:ident, $grad:ident, $reference:path;)*) => {$(
        #[test]
        fn $test() {
            for x in POINTS4 {
                let (y, g) = $grad(&x);
                assert_eq!(y, $f(&x));
                let (y2, dy) = $jvp(&x, &U4);
                assert_eq!(y2, y);
                check64(&$f, &x, &U4, &g, dy, &$reference(&x));

                let (x32, u32_) = (to32(&x), to32(&U4));
                let (y, g) = $grad(&x32);
                assert_eq!(y, $f(&x32));
                let (_, dy) = $jvp(&x32, &u32_);
                check32(&g, dy, &u32_, &$reference(&x32));
            }
        }
    )*};
}

n_d! {
    ackley_matches: ackley, ackley_jvp, ackley_grad, oracle::ackley_derivative;
    levy_matches: levy, levy_jvp, levy_grad, oracle::levy_derivative;
    rastrigin_matches: rastrigin, rastrigin_jvp, rastrigin_grad, oracle::rastrigin_derivative;
    rosenbrock_matches: rosenbrock, rosenbrock_jvp, rosenbrock_grad, oracle::rosenbrock_derivative;
    sphere_matches: sphere, sphere_jvp, sphere_grad, oracle::sphere_derivative;
    styblinski_tang_matches: styblinski_tang, styblinski_tang_jvp, styblinski_tang_grad, oracle::styblinski_tang_derivative;
}

#[test]
fn zero_matches() {
    for x in POINTS4 {
        let (y, g) = zero_grad(&x);
        assert_eq!(y, 0.0);
        let (_, dy) = zero_jvp(&x, &U4);
        check64(&zero, &x, &U4, &g, dy, &oracle::zero_derivative(&x));
    }
}

/// The parameterised functions, with respect to `param` and, in forward
/// mode, to the scalars too (checked against a central difference in each).
#[test]
fn parameterised_functions_match() {
    let (a, b) = (1.0, 100.0);
    let (ca, cb, cc) = (20.0, 0.2, 2.0 * PI);
    let h = 1e-6;
    for x in POINTS4 {
        let (_, g) = rosenbrock_ab_grad(&x, a, b);
        let (_, dy) = rosenbrock_ab_jvp(&x, &U4, a, 0.0, b, 0.0);
        let f = |p: &[f64]| rosenbrock_ab(p, a, b);
        check64(
            &f,
            &x,
            &U4,
            &g,
            dy,
            &oracle::rosenbrock_ab_derivative(&x, a, b),
        );
        let (_, db) = rosenbrock_ab_jvp(&x, &[0.0; 4], a, 0.0, b, 1.0);
        let fd = (rosenbrock_ab(&x, a, b + h) - rosenbrock_ab(&x, a, b - h)) / (2.0 * h);
        assert_relative_eq!(db, fd, max_relative = 1e-6, epsilon = 1e-6);

        let (_, g) = ackley_abc_grad(&x, ca, cb, cc);
        let (_, dy) = ackley_abc_jvp(&x, &U4, ca, 0.0, cb, 0.0, cc, 0.0);
        let f = |p: &[f64]| ackley_abc(p, ca, cb, cc);
        check64(
            &f,
            &x,
            &U4,
            &g,
            dy,
            &oracle::ackley_abc_derivative(&x, ca, cb, cc),
        );
        let (_, dc) = ackley_abc_jvp(&x, &[0.0; 4], ca, 0.0, cb, 0.0, cc, 1.0);
        let fd = (ackley_abc(&x, ca, cb, cc + h) - ackley_abc(&x, ca, cb, cc - h)) / (2.0 * h);
        assert_relative_eq!(dc, fd, max_relative = 1e-6, epsilon = 1e-6);

        let (_, g) = rastrigin_a_grad(&x, 10.0);
        let (_, dy) = rastrigin_a_jvp(&x, &U4, 10.0, 0.0);
        let f = |p: &[f64]| rastrigin_a(p, 10.0);
        check64(
            &f,
            &x,
            &U4,
            &g,
            dy,
            &oracle::rastrigin_a_derivative(&x, 10.0),
        );

        let x32 = to32(&x);
        let (_, g) = rosenbrock_ab_grad(&x32, 1.0, 100.0);
        let (_, dy) = rosenbrock_ab_jvp(&x32, &to32(&U4), 1.0, 0.0, 100.0, 0.0);
        check32(
            &g,
            dy,
            &to32(&U4),
            &oracle::rosenbrock_ab_derivative(&x32, 1.0, 100.0),
        );
    }
}
