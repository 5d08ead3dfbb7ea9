//! Annotated functions as [argmin](https://argmin-rs.org) problems, without
//! glue code (feature `argmin`; `nalgebra` adds `DVector<f64>` parameters).
//!
//! `#[grad]` on `fn f(x: &[f64]) -> f64` generates
//! `fn f_grad(x: &[f64]) -> (f64, Vec<f64>)`. [`Problem::new`] pairs the two
//! into a value implementing argmin's [`CostFunction`] and [`Gradient`] for
//! the parameter type `Vec<f64>`, so it can be handed straight to
//! [`Executor::new`](::argmin::core::Executor::new) with any gradient-based
//! solver (L-BFGS, BFGS, nonlinear CG, steepest descent).
//!
//! ```toml
//! [dependencies]
//! adiff = { version = "0.1", features = ["argmin"] }   # or ["nalgebra"]
//! argmin = "0.11"
//! ```
//!
//! The features also switch on the `vec` (and, with `nalgebra`,
//! `nalgebra_v0_34`) backend of `argmin-math`, which provides the vector
//! arithmetic argmin's solvers need for these parameter types.
//!
//! ```
//! use adiff::argmin::Problem;
//! use adiff::grad;
//! use argmin::core::{Executor, State};
//! use argmin::solver::linesearch::MoreThuenteLineSearch;
//! use argmin::solver::quasinewton::LBFGS;
//!
//! /// A shifted quadratic bowl: minimum 0 at x = (1, 2, 3).
//! #[grad]
//! fn bowl(x: &[f64]) -> f64 {
//!     let mut s = 0.0;
//!     for i in 0..x.len() {
//!         let d = x[i] - (i as f64 + 1.0);
//!         s += (i as f64 + 1.0) * d * d;
//!     }
//!     s
//! }
//!
//! let solver = LBFGS::new(MoreThuenteLineSearch::new(), 5);
//! let result = Executor::new(Problem::new(bowl, bowl_grad), solver)
//!     .configure(|state| state.param(vec![0.0; 3]).max_iters(100))
//!     .run()?;
//! let best = result.state().get_best_param().unwrap();
//! for (i, xi) in best.iter().enumerate() {
//!     assert!((xi - (i as f64 + 1.0)).abs() < 1e-8);
//! }
//! # Ok::<(), argmin::core::Error>(())
//! ```
//!
//! Newton-type solvers get second derivatives from `#[hvp]`: a
//! [`NewtonProblem`] also implements argmin's [`Hessian`], whose value is a
//! [`HessianAt`], the Hessian at a point as an operator. argmin's
//! Newton-CG only multiplies the Hessian by vectors (in its conjugate
//! gradient inner loop), so each product is one `f_hvp` sweep and the
//! `n × n` matrix is never formed.
//!
//! Only scalar cost functions of one slice are covered, and argmin's
//! `Jacobian` trait is not implemented yet. A function with more
//! parameters (data, hyperparameters) is wrapped in closures that fix
//! them, as in [`Problem::new`]'s example.

use std::marker::PhantomData;

use ::argmin::core::{CostFunction, Error, Gradient, Hessian};
/// argmin's product trait, which [`HessianAt`] implements: `h.dot(&v)`.
pub use argmin_math::ArgminDot;

/// A cost function and its gradient, as an argmin problem over parameters
/// of type `P`: `Vec<f64>` (from [`Problem::new`]) or, with the `nalgebra`
/// feature, `nalgebra::DVector<f64>` (from [`Problem::dvector`]).
///
/// `cost` is `fn(&[f64]) -> f64` and `gradient` is
/// `fn(&[f64]) -> (f64, Vec<f64>)`, the signatures `#[grad]` gives a
/// function of one slice and its `_grad`. Both are called through `Fn`, so
/// closures capturing data work too.
///
/// argmin asks for the cost and the gradient separately (a line search
/// evaluates the cost alone at trial points), so the problem keeps both:
/// the cost is computed by the plain function, without the reverse sweep.
pub struct Problem<F, G, P = Vec<f64>> {
    cost: F,
    gradient: G,
    // `fn(&P)` keeps `Problem` `Send` and `Sync` whenever `F` and `G` are,
    // whatever `P` is; it only selects the trait impls.
    param: PhantomData<fn(&P)>,
}

impl<F, G> Problem<F, G, Vec<f64>>
where
    F: Fn(&[f64]) -> f64,
    G: Fn(&[f64]) -> (f64, Vec<f64>),
{
    /// A problem over `Vec<f64>` parameters from a cost function and its
    /// `#[grad]` gradient.
    ///
    /// ```
    /// use adiff::argmin::Problem;
    /// use adiff::grad;
    /// use argmin::core::{CostFunction, Gradient};
    ///
    /// /// Least squares: ½ Σ (a·x − b)² over rows of `a`, a constant.
    /// #[grad(wrt(x))]
    /// fn residual(x: &[f64], a: &[[f64; 2]], b: &[f64]) -> f64 {
    ///     let mut s = 0.0;
    ///     for i in 0..b.len() {
    ///         let r = a[i][0] * x[0] + a[i][1] * x[1] - b[i];
    ///         s += 0.5 * r * r;
    ///     }
    ///     s
    /// }
    ///
    /// let a = [[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]];
    /// let b = [1.0, 2.0, 2.0];
    /// // Closures fix the data; the problem sees functions of `x` alone.
    /// let problem = Problem::new(
    ///     |x: &[f64]| residual(x, &a, &b),
    ///     |x: &[f64]| residual_grad(x, &a, &b),
    /// );
    /// let x = vec![0.5, 0.25];
    /// assert_eq!(problem.cost(&x)?, residual(&x, &a, &b));
    /// // d/dx0 = Σ r_i a_i0 with r = (-0.5, -1.25, -1.0).
    /// assert!((problem.gradient(&x)?[0] - (-2.75)).abs() < 1e-12);
    /// # Ok::<(), argmin::core::Error>(())
    /// ```
    pub fn new(cost: F, gradient: G) -> Self {
        Problem {
            cost,
            gradient,
            param: PhantomData,
        }
    }
}

/// The gradient's length must be the parameter's: a `_grad` of a function
/// of one slice always returns one, but a hand-written closure may not.
fn checked(gradient: Vec<f64>, len: usize) -> Result<Vec<f64>, Error> {
    if gradient.len() == len {
        Ok(gradient)
    } else {
        Err(Error::msg(format!(
            "adiff::argmin: the gradient has {} entries for a parameter of {len}",
            gradient.len()
        )))
    }
}

impl<F, G> CostFunction for Problem<F, G, Vec<f64>>
where
    F: Fn(&[f64]) -> f64,
{
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, param: &Vec<f64>) -> Result<f64, Error> {
        Ok((self.cost)(param))
    }
}

impl<F, G> Gradient for Problem<F, G, Vec<f64>>
where
    G: Fn(&[f64]) -> (f64, Vec<f64>),
{
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, param: &Vec<f64>) -> Result<Vec<f64>, Error> {
        checked((self.gradient)(param).1, param.len())
    }
}

#[cfg(feature = "nalgebra")]
mod dvector {
    use super::{checked, Problem};
    use ::argmin::core::{CostFunction, Error, Gradient};
    use nalgebra::DVector;
    use std::marker::PhantomData;

    impl<F, G> Problem<F, G, DVector<f64>>
    where
        F: Fn(&[f64]) -> f64,
        G: Fn(&[f64]) -> (f64, Vec<f64>),
    {
        /// A problem over nalgebra's `DVector<f64>` (nalgebra 0.34, the
        /// version argmin-math's `nalgebra_v0_34` backend implements).
        /// The vector's storage is passed to `cost` and `gradient` as a
        /// slice, without copying.
        ///
        /// ```
        /// use adiff::argmin::Problem;
        /// use adiff::grad;
        /// use argmin::core::{Executor, State};
        /// use argmin::solver::linesearch::MoreThuenteLineSearch;
        /// use argmin::solver::quasinewton::LBFGS;
        /// use nalgebra::DVector;
        ///
        /// #[grad]
        /// fn rosenbrock(x: &[f64]) -> f64 {
        ///     let mut s = 0.0;
        ///     for i in 0..x.len() - 1 {
        ///         s += 100.0 * (x[i + 1] - x[i] * x[i]).powi(2) + (1.0 - x[i]).powi(2);
        ///     }
        ///     s
        /// }
        ///
        /// let problem = Problem::dvector(rosenbrock, rosenbrock_grad);
        /// let solver = LBFGS::new(MoreThuenteLineSearch::new(), 7);
        /// let result = Executor::new(problem, solver)
        ///     .configure(|state| state.param(DVector::from_element(4, -1.2)).max_iters(200))
        ///     .run()?;
        /// let best: &DVector<f64> = result.state().get_best_param().unwrap();
        /// assert!(best.iter().all(|xi| (xi - 1.0).abs() < 1e-6));
        /// # Ok::<(), argmin::core::Error>(())
        /// ```
        pub fn dvector(cost: F, gradient: G) -> Self {
            Problem {
                cost,
                gradient,
                param: PhantomData,
            }
        }
    }

    impl<F, G> CostFunction for Problem<F, G, DVector<f64>>
    where
        F: Fn(&[f64]) -> f64,
    {
        type Param = DVector<f64>;
        type Output = f64;

        fn cost(&self, param: &DVector<f64>) -> Result<f64, Error> {
            Ok((self.cost)(param.as_slice()))
        }
    }

    impl<F, G> Gradient for Problem<F, G, DVector<f64>>
    where
        G: Fn(&[f64]) -> (f64, Vec<f64>),
    {
        type Param = DVector<f64>;
        type Gradient = DVector<f64>;

        fn gradient(&self, param: &DVector<f64>) -> Result<DVector<f64>, Error> {
            let g = checked((self.gradient)(param.as_slice()).1, param.len())?;
            Ok(DVector::from_vec(g))
        }
    }
}

/// A cost function, its gradient and its Hessian-vector product, as an
/// argmin problem over `Vec<f64>` for Newton-type solvers.
///
/// `cost`, `gradient` and `hvp` have the signatures `#[grad]` and `#[hvp]`
/// give a function of one slice and its `_grad` and `_hvp`:
/// `fn(&[f64]) -> f64`, `fn(&[f64]) -> (f64, Vec<f64>)` and
/// `fn(&[f64], &[f64]) -> (f64, Vec<f64>, Vec<f64>)` (the point, the
/// direction; the value, the gradient, `H · direction`). argmin's
/// [`Hessian`] then returns a [`HessianAt`] the point, which multiplies by
/// vectors through `hvp` (argmin's `ArgminDot`), for solvers that only
/// need products, such as `NewtonCG`.
///
/// ```
/// use adiff::argmin::NewtonProblem;
/// use adiff::{grad, hvp};
/// use argmin::core::{Executor, State};
/// use argmin::solver::linesearch::MoreThuenteLineSearch;
/// use argmin::solver::newton::NewtonCG;
///
/// /// A convex bowl with quartic walls: minimum 0 at x = (1, ..., 1).
/// #[grad]
/// #[hvp]
/// fn bowl(x: &[f64]) -> f64 {
///     let mut s = 0.0;
///     for i in 0..x.len() {
///         let d = x[i] - 1.0;
///         s += (i as f64 + 1.0) * d * d + d * d * d * d;
///     }
///     s
/// }
///
/// let problem = NewtonProblem::new(bowl, bowl_grad, bowl_hvp);
/// let solver = NewtonCG::new(MoreThuenteLineSearch::new());
/// let result = Executor::new(problem, solver)
///     .configure(|state| state.param(vec![-2.0, 3.0, 0.5, 4.0]).max_iters(100))
///     .run()?;
/// let best = result.state().get_best_param().unwrap();
/// assert!(best.iter().all(|xi| (xi - 1.0).abs() < 1e-6), "{best:?}");
/// # Ok::<(), argmin::core::Error>(())
/// ```
pub struct NewtonProblem<F, G, H> {
    first: Problem<F, G, Vec<f64>>,
    hvp: std::sync::Arc<H>,
}

impl<F, G, H> NewtonProblem<F, G, H>
where
    F: Fn(&[f64]) -> f64,
    G: Fn(&[f64]) -> (f64, Vec<f64>),
    H: Fn(&[f64], &[f64]) -> (f64, Vec<f64>, Vec<f64>),
{
    /// A problem from a cost function, its `#[grad]` gradient and its
    /// `#[hvp]` Hessian-vector product.
    pub fn new(cost: F, gradient: G, hvp: H) -> Self {
        NewtonProblem {
            first: Problem::new(cost, gradient),
            hvp: std::sync::Arc::new(hvp),
        }
    }
}

impl<F, G, H> CostFunction for NewtonProblem<F, G, H>
where
    F: Fn(&[f64]) -> f64,
{
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, param: &Vec<f64>) -> Result<f64, Error> {
        self.first.cost(param)
    }
}

impl<F, G, H> Gradient for NewtonProblem<F, G, H>
where
    G: Fn(&[f64]) -> (f64, Vec<f64>),
{
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, param: &Vec<f64>) -> Result<Vec<f64>, Error> {
        self.first.gradient(param)
    }
}

impl<F, G, H> Hessian for NewtonProblem<F, G, H>
where
    H: Fn(&[f64], &[f64]) -> (f64, Vec<f64>, Vec<f64>),
{
    type Param = Vec<f64>;
    type Hessian = HessianAt<H>;

    fn hessian(&self, param: &Vec<f64>) -> Result<HessianAt<H>, Error> {
        Ok(HessianAt {
            point: param.clone(),
            hvp: std::sync::Arc::clone(&self.hvp),
        })
    }
}

/// The Hessian of a [`NewtonProblem`] at a point, as an operator: `h.dot(&v)`
/// (argmin's `ArgminDot`) is `H · v`, one call of the `#[hvp]` function.
/// Cloning it shares the function and copies the point, not a matrix.
///
/// ```
/// use adiff::argmin::NewtonProblem;
/// use adiff::{grad, hvp};
/// use argmin::core::Hessian;
/// use adiff::argmin::ArgminDot;
///
/// #[grad]
/// #[hvp]
/// fn f(x: &[f64]) -> f64 {
///     x[0] * x[0] * x[1]
/// }
///
/// let problem = NewtonProblem::new(f, f_grad, f_hvp);
/// let h = problem.hessian(&vec![3.0, 2.0])?;
/// // H = [[2·x1, 2·x0], [2·x0, 0]] = [[4, 6], [6, 0]].
/// assert_eq!(h.dot(&vec![1.0, 0.0]), vec![4.0, 6.0]);
/// assert_eq!(h.point(), &[3.0, 2.0]);
/// # Ok::<(), argmin::core::Error>(())
/// ```
pub struct HessianAt<H> {
    point: Vec<f64>,
    hvp: std::sync::Arc<H>,
}

impl<H> HessianAt<H> {
    /// The point the Hessian is taken at.
    pub fn point(&self) -> &[f64] {
        &self.point
    }
}

impl<H> Clone for HessianAt<H> {
    fn clone(&self) -> Self {
        HessianAt {
            point: self.point.clone(),
            hvp: std::sync::Arc::clone(&self.hvp),
        }
    }
}

impl<H> argmin_math::ArgminDot<Vec<f64>, Vec<f64>> for HessianAt<H>
where
    H: Fn(&[f64], &[f64]) -> (f64, Vec<f64>, Vec<f64>),
{
    /// `H · v`. A direction of the wrong length is a bug in the caller, not
    /// a value: the product is computed only for `point.len()` entries,
    /// and `ArgminDot` cannot fail, so it panics.
    fn dot(&self, v: &Vec<f64>) -> Vec<f64> {
        assert_eq!(
            v.len(),
            self.point.len(),
            "adiff::argmin: a Hessian-vector product with a direction of {} entries at a point of {}",
            v.len(),
            self.point.len()
        );
        (self.hvp)(&self.point, v).2
    }
}
