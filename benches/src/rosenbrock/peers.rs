//! The extended Rosenbrock function written for each peer crate, the way
//! that crate's documentation shows: generic over its number type, with the
//! crate's own driver computing the gradient; and the report's runs and
//! checks of the peers. Built only with the `peers` feature.

use std::hint::black_box;

use ad_trait::differentiable_function::{DifferentiableFunctionTrait, ReverseAD};
use ad_trait::function_engine::FunctionEngine;
use ad_trait::AD;
use nalgebra::{allocator::Allocator, DVector, DefaultAllocator, OVector, SVector};
use nalgebra::{Const, Dyn};
use num_dual::{Dual2Vec, Dual64, DualNum, Gradients, HyperDual64};
use reverse::Gradient;

use super::NUM_DUAL_MAX_N;
use crate::compare::{check_line, rel_diff};
use crate::Run;

/// The extended Rosenbrock function for any num-dual number type.
///
/// ```
/// use num_dual::Dual64;
/// let x = [Dual64::new(0.5, 1.0), Dual64::new(0.3, 0.0)];
/// let y = adiff_bench::rosenbrock::num_dual_rosenbrock(&x);
/// let (v, dv) = adiff_bench::rosenbrock::rosenbrock_jvp(&[0.5, 0.3], &[1.0, 0.0]);
/// assert_eq!((y.re, y.eps), (v, dv));
/// ```
pub fn num_dual_rosenbrock<D: DualNum<Primitive = f64> + Copy>(x: &[D]) -> D {
    let mut s = D::zero();
    for i in 0..x.len() / 2 {
        let a = x[2 * i];
        let b = x[2 * i + 1];
        let t = b - a * a;
        let u = -a + 1.0;
        s += t * t * 100.0 + u * u;
    }
    s
}

/// Value and gradient by num-dual's [`Gradients::gradient`]: one sweep with
/// a vector dual number for a static dimension (`SVector`), one sweep per
/// input with `Dual64` for a dynamic one (`DVector`).
///
/// ```
/// let x = nalgebra::SVector::<f64, 2>::from([0.5, 0.3]);
/// let (v, g) = adiff_bench::rosenbrock::num_dual_gradient(&x);
/// assert_eq!((v, g.as_slice().to_vec()), adiff_bench::rosenbrock::rosenbrock_grad(&[0.5, 0.3]));
/// ```
pub fn num_dual_gradient<N: Gradients>(x: &OVector<f64, N>) -> (f64, OVector<f64, N>)
where
    DefaultAllocator: Allocator<N>,
{
    N::gradient(
        |x: OVector<N::Dual<f64>, N>, _: &()| num_dual_rosenbrock(x.as_slice()),
        x,
        &(),
    )
}

/// The extended Rosenbrock function for any ad_trait number type.
///
/// ```
/// let x = [0.5, 0.3];
/// assert_eq!(adiff_bench::rosenbrock::ad_trait_rosenbrock(&x), adiff_bench::rosenbrock::rosenbrock(&x));
/// ```
pub fn ad_trait_rosenbrock<T: AD>(x: &[T]) -> T {
    let mut s = T::constant(0.0);
    for i in 0..x.len() / 2 {
        let a = x[2 * i];
        let b = x[2 * i + 1];
        let t = b - a * a;
        let u = T::constant(1.0) - a;
        s += T::constant(100.0) * t * t + u * u;
    }
    s
}

/// The extended Rosenbrock function as an ad_trait differentiable function
/// of `n` inputs.
#[derive(Clone, Copy, Debug)]
pub struct AdTraitRosenbrock {
    /// Number of inputs.
    pub n: usize,
}

impl<T: AD> DifferentiableFunctionTrait<T> for AdTraitRosenbrock {
    const NAME: &'static str = "Rosenbrock";

    fn call(&self, inputs: &[T], _freeze: bool) -> Vec<T> {
        vec![ad_trait_rosenbrock(inputs)]
    }

    fn num_inputs(&self) -> usize {
        self.n
    }

    fn num_outputs(&self) -> usize {
        1
    }
}

/// ad_trait's reverse-mode engine for [`AdTraitRosenbrock`]; its
/// `derivative(&x)` returns the value and the 1 × n Jacobian.
pub type AdTraitEngine = FunctionEngine<AdTraitRosenbrock, AdTraitRosenbrock, ReverseAD>;

/// Builds the reverse-mode engine for `n` inputs.
///
/// ```
/// let engine = adiff_bench::rosenbrock::ad_trait_engine(2);
/// let (v, j) = engine.derivative(&[0.5, 0.3]);
/// let (v2, g) = adiff_bench::rosenbrock::rosenbrock_grad(&[0.5, 0.3]);
/// assert_eq!(v[0], v2);
/// assert!((j[(0, 0)] - g[0]).abs() < 1e-12 && (j[(0, 1)] - g[1]).abs() < 1e-12);
/// ```
#[must_use]
pub fn ad_trait_engine(n: usize) -> AdTraitEngine {
    let f = AdTraitRosenbrock { n };
    FunctionEngine::new(f, f, ReverseAD::new())
}

/// The extended Rosenbrock function on variables of the `reverse` crate's
/// tape.
pub fn reverse_rosenbrock<'a>(x: &[reverse::Var<'a>]) -> reverse::Var<'a> {
    (0..x.len() / 2)
        .map(|i| {
            let a = x[2 * i];
            let b = x[2 * i + 1];
            let t = b - a * a;
            let u = 1.0 - a;
            100.0 * t * t + u * u
        })
        .sum()
}

/// Value and gradient with the `reverse` crate, on a tape the caller
/// provides (cleared first, so its capacity is reused across calls).
///
/// ```
/// let tape = reverse::Tape::new();
/// let (v, g) = adiff_bench::rosenbrock::reverse_gradient(&tape, &[0.5, 0.3]);
/// assert_eq!((v, g), adiff_bench::rosenbrock::rosenbrock_grad(&[0.5, 0.3]));
/// ```
pub fn reverse_gradient(tape: &reverse::Tape, x: &[f64]) -> (f64, Vec<f64>) {
    tape.clear();
    let vars = tape.add_vars(x);
    let y = reverse_rosenbrock(&vars);
    (y.val(), y.grad().wrt(&vars))
}

/// The peers' runs of one Rosenbrock case, in the report's order.
pub(super) struct PeerRuns {
    /// Timed after `adiff f_grad`: num-dual's gradient (up to
    /// [`NUM_DUAL_MAX_N`]), ad_trait, reverse.
    pub gradient: Vec<Run>,
    /// Timed after `adiff f_jvp`: num-dual's `Dual64` in direction `dir`.
    pub jvp: Run,
}

/// Checks every peer against adiff's results at `x` (`value`, the
/// gradient `grad`, and the `tangent` in direction `dir`), appending one
/// line each to `checks`, and builds the peers' runs.
pub(super) fn runs(
    x: &[f64],
    dir: &[f64],
    value: f64,
    tangent: f64,
    grad: &[f64],
    checks: &mut Vec<String>,
) -> PeerRuns {
    let duals: Vec<Dual64> = x
        .iter()
        .zip(dir)
        .map(|(&a, &d)| Dual64::new(a, d))
        .collect();
    let y = num_dual_rosenbrock(&duals);
    checks.push(check_line(
        "num-dual Dual64 vs f_jvp (value, tangent)",
        rel_diff(&[y.re, y.eps], &[value, tangent]),
        1e-14,
    ));

    let engine = ad_trait_engine(x.len());
    let (ad_value, jacobian) = engine.derivative(x);
    let ad_grad: Vec<f64> = jacobian.iter().copied().collect();
    checks.push(check_line(
        "ad_trait vs f_grad (value and gradient)",
        rel_diff(
            &[&ad_value[..], &ad_grad].concat(),
            &[&[value][..], grad].concat(),
        ),
        1e-14,
    ));
    let tape = reverse::Tape::new();
    let (rev_value, rev_grad) = reverse_gradient(&tape, x);
    checks.push(check_line(
        "reverse vs f_grad (value and gradient)",
        rel_diff(
            &[&[rev_value][..], &rev_grad].concat(),
            &[&[value][..], grad].concat(),
        ),
        1e-14,
    ));

    let mut gradient = Vec::new();
    if let Some((run, check)) = num_dual_gradient_run(x, grad) {
        gradient.push(run);
        checks.push(check);
    }
    gradient.push(Run::new("ad_trait", {
        let x = x.to_vec();
        move || {
            let (v, j) = engine.derivative(black_box(&x));
            v[0] + j[(0, 0)]
        }
    }));
    gradient.push(Run::new("reverse", {
        let x = x.to_vec();
        move || {
            let (v, g) = reverse_gradient(&tape, black_box(&x));
            v + g[0]
        }
    }));
    let jvp = Run::new("num-dual Dual64", {
        let (x, dir) = (x.to_vec(), dir.to_vec());
        let mut duals = duals;
        move || {
            for ((d, &a), &v) in duals.iter_mut().zip(black_box(&x)).zip(black_box(&dir)) {
                *d = Dual64::new(a, v);
            }
            let y = num_dual_rosenbrock(&duals);
            y.re + y.eps
        }
    });
    PeerRuns { gradient, jvp }
}

/// num-dual's gradient as the user would call it for this size: a static
/// `SVector` for n = 10, a `DVector` up to [`NUM_DUAL_MAX_N`], none above.
fn num_dual_gradient_run(x: &[f64], reference: &[f64]) -> Option<(Run, String)> {
    let check =
        |g: &[f64]| check_line("num-dual gradient vs f_grad", rel_diff(g, reference), 1e-14);
    match x.len() {
        10 => {
            let xs = SVector::<f64, 10>::from_column_slice(x);
            let line = check(num_dual_gradient(&xs).1.as_slice());
            let run = Run::new("num-dual gradient", move || {
                let (v, g) = num_dual_gradient(black_box(&xs));
                v + g[0]
            });
            Some((run, line))
        }
        n if n <= NUM_DUAL_MAX_N => {
            let xd = DVector::from_column_slice(x);
            let line = check(num_dual_gradient(&xd).1.as_slice());
            let run = Run::new("num-dual gradient", move || {
                let (v, g) = num_dual_gradient(black_box(&xd));
                v + g[0]
            });
            Some((run, line))
        }
        _ => None,
    }
}

/// num-dual's dense Hessians of the extended Rosenbrock function, timed
/// against `f_hessian`: hyper-dual numbers through `Dyn` (one evaluation
/// per entry of the upper triangle) at every size, and `Dual2Vec` through
/// a static dimension (one evaluation carrying the whole Hessian) at
/// n = 10. Each is checked against the hand-written Hessian `reference`.
pub fn num_dual_hessian_runs(
    x: &[f64],
    reference: &adiff::Matrix<f64>,
    checks: &mut Vec<String>,
) -> Vec<Run> {
    let n = x.len();
    let diff = |h: &[f64]| -> f64 {
        // nalgebra is column-major; the Hessian is symmetric, so the
        // layouts agree entry for entry.
        let scale = reference
            .as_slice()
            .iter()
            .fold(0.0_f64, |m, v| m.max(v.abs()));
        h.iter()
            .zip(reference.as_slice())
            .fold(0.0_f64, |m, (a, b)| m.max((a - b).abs()))
            / scale
    };
    let mut runs = Vec::new();
    let xd = DVector::from_column_slice(x);
    let dynamic = |x: &DVector<f64>| {
        Dyn::hessian(
            |x: DVector<HyperDual64>, _: &()| num_dual_rosenbrock(x.as_slice()),
            x,
            &(),
        )
    };
    checks.push(check_line(
        "num-dual hessian (HyperDual, Dyn) vs hand",
        diff(dynamic(&xd).2.as_slice()),
        1e-14,
    ));
    runs.push(Run::new("num-dual hessian HyperDual", move || {
        let (v, g, h) = dynamic(black_box(&xd));
        v + g[0] + h[(0, 0)]
    }));
    if n == 10 {
        let xs = SVector::<f64, 10>::from_column_slice(x);
        let fixed = |x: &SVector<f64, 10>| {
            Const::<10>::hessian(
                |x: SVector<Dual2Vec<f64, Const<10>>, 10>, _: &()| {
                    num_dual_rosenbrock(x.as_slice())
                },
                x,
                &(),
            )
        };
        checks.push(check_line(
            "num-dual hessian (Dual2Vec, static) vs hand",
            diff(fixed(&xs).2.as_slice()),
            1e-14,
        ));
        runs.push(Run::new("num-dual hessian Dual2Vec", move || {
            let (v, g, h) = fixed(black_box(&xs));
            v + g[0] + h[(0, 0)]
        }));
    }
    runs
}
