//! The extended Rosenbrock function written for each peer crate, the way
//! that crate's documentation shows: generic over its number type, with the
//! crate's own driver computing the gradient.

use ad_trait::differentiable_function::{DifferentiableFunctionTrait, ReverseAD};
use ad_trait::function_engine::FunctionEngine;
use ad_trait::AD;
use nalgebra::{allocator::Allocator, DefaultAllocator, OVector};
use num_dual::{DualNum, Gradients};
use reverse::Gradient;

/// The extended Rosenbrock function for any num-dual number type.
///
/// ```
/// use num_dual::Dual64;
/// let x = [Dual64::new(0.5, 1.0), Dual64::new(0.3, 0.0)];
/// let y = autodiff_bench::rosenbrock::num_dual_rosenbrock(&x);
/// let (v, dv) = autodiff_bench::rosenbrock::rosenbrock_jvp(&[0.5, 0.3], &[1.0, 0.0]);
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
/// let (v, g) = autodiff_bench::rosenbrock::num_dual_gradient(&x);
/// assert_eq!((v, g.as_slice().to_vec()), autodiff_bench::rosenbrock::rosenbrock_grad(&[0.5, 0.3]));
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
/// assert_eq!(autodiff_bench::rosenbrock::ad_trait_rosenbrock(&x), autodiff_bench::rosenbrock::rosenbrock(&x));
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
/// let engine = autodiff_bench::rosenbrock::ad_trait_engine(2);
/// let (v, j) = engine.derivative(&[0.5, 0.3]);
/// let (v2, g) = autodiff_bench::rosenbrock::rosenbrock_grad(&[0.5, 0.3]);
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
/// let (v, g) = autodiff_bench::rosenbrock::reverse_gradient(&tape, &[0.5, 0.3]);
/// assert_eq!((v, g), autodiff_bench::rosenbrock::rosenbrock_grad(&[0.5, 0.3]));
/// ```
pub fn reverse_gradient(tape: &reverse::Tape, x: &[f64]) -> (f64, Vec<f64>) {
    tape.clear();
    let vars = tape.add_vars(x);
    let y = reverse_rosenbrock(&vars);
    (y.val(), y.grad().wrt(&vars))
}
