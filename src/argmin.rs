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
//! Only scalar cost functions of one slice are covered: argmin's
//! `Hessian` and `Jacobian` traits will be implemented here when adiff has
//! those modes. A function with more parameters (data, hyperparameters) is
//! wrapped in closures that fix them, as in [`Problem::new`]'s example.

use std::marker::PhantomData;

use ::argmin::core::{CostFunction, Error, Gradient};

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
