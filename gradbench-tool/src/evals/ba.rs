//! ba (§2.8): ADBench's bundle adjustment. Every observation has a 2-vector
//! reprojection error and a weight error; the Jacobian is sparse, one 2×15
//! block and one weight entry per observation.

use std::hint::black_box;

use adiff::{grad, jacobian};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::{measure, parse, unknown_function, Evaluated};

/// Parameters per camera: rotation (3), centre (3), focal length, principal
/// point (2), radial distortion (2).
const CAM: usize = 11;
/// Entries stored per reprojection row: camera, point, weight.
const BLOCK: usize = CAM + 3 + 1;

#[derive(Deserialize)]
struct Input {
    n: usize,
    m: usize,
    p: usize,
    cam: [f64; CAM],
    x: [f64; 3],
    w: f64,
    feat: [f64; 2],
}

/// The problem after replicating the input's camera, point, weight and
/// feature, with observation i using camera i mod n and point i mod m.
struct Problem {
    n: usize,
    m: usize,
    p: usize,
    cams: Vec<f64>,
    points: Vec<f64>,
    weights: Vec<f64>,
    features: Vec<f64>,
    obs: Vec<(usize, usize)>,
}

impl Problem {
    fn new(input: &Input) -> Problem {
        let Input { n, m, p, .. } = *input;
        Problem {
            n,
            m,
            p,
            cams: input.cam.repeat(n),
            points: input.x.repeat(m),
            weights: vec![input.w; p],
            features: input.feat.repeat(p),
            obs: (0..p).map(|i| (i % n, i % m)).collect(),
        }
    }

    fn camera(&self, i: usize) -> &[f64; CAM] {
        let j = self.obs[i].0;
        array(&self.cams[CAM * j..CAM * (j + 1)])
    }

    fn point(&self, i: usize) -> &[f64; 3] {
        let k = self.obs[i].1;
        array(&self.points[3 * k..3 * (k + 1)])
    }

    fn feature(&self, i: usize) -> &[f64; 2] {
        array(&self.features[2 * i..2 * (i + 1)])
    }
}

/// A slice of known length as an array, so that the sizes are in the
/// types and `f_jacobian` picks its mode at compile time.
fn array<const N: usize>(s: &[f64]) -> &[f64; N] {
    s.try_into().expect("the slice has the array's length")
}

/// `p` rotated by the angle-axis vector `r` (Rodrigues' formula; to first
/// order at r = 0, where the formula divides by zero). `#[jacobian]` also
/// makes the sweeps `reprojection_error_jacobian` calls it through.
#[jacobian]
pub fn rotate(r: [f64; 3], p: [f64; 3]) -> [f64; 3] {
    let theta2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
    if theta2 != 0.0 {
        let theta = theta2.sqrt();
        let (cos, sin) = (theta.cos(), theta.sin());
        let u = [r[0] / theta, r[1] / theta, r[2] / theta];
        let cross = [
            u[1] * p[2] - u[2] * p[1],
            u[2] * p[0] - u[0] * p[2],
            u[0] * p[1] - u[1] * p[0],
        ];
        let along = (u[0] * p[0] + u[1] * p[1] + u[2] * p[2]) * (1.0 - cos);
        [
            p[0] * cos + cross[0] * sin + u[0] * along,
            p[1] * cos + cross[1] * sin + u[1] * along,
            p[2] * cos + cross[2] * sin + u[2] * along,
        ]
    } else {
        [
            p[0] + r[1] * p[2] - r[2] * p[1],
            p[1] + r[2] * p[0] - r[0] * p[2],
            p[2] + r[0] * p[1] - r[1] * p[0],
        ]
    }
}

/// The weighted reprojection error of point `x` seen by camera `cam` at
/// feature `feat`. Its 2×15 Jacobian block (camera, point, weight) comes
/// from `reprojection_error_jacobian`, by two reverse sweeps. The mode is
/// forced: the cost model predicts two width-8 forward sweeps cheaper
/// (3.8 runs against 4.6), but on the GradBench sample they took 10.9 ms
/// against 4.3 ms for the reverse sweeps (one run each): the model's
/// constants were measured on larger functions.
#[jacobian(wrt(cam, x, w), mode = reverse)]
pub fn reprojection_error(cam: &[f64; CAM], x: &[f64; 3], w: f64, feat: &[f64; 2]) -> [f64; 2] {
    let centred = [x[0] - cam[3], x[1] - cam[4], x[2] - cam[5]];
    let xcam = rotate([cam[0], cam[1], cam[2]], centred);
    let px = xcam[0] / xcam[2];
    let py = xcam[1] / xcam[2];
    let rho = px * px + py * py;
    let distortion = 1.0 + cam[9] * rho + cam[10] * rho * rho;
    [
        w * (px * distortion * cam[6] + cam[7] - feat[0]),
        w * (py * distortion * cam[6] + cam[8] - feat[1]),
    ]
}

/// The weight error 1 − w².
#[grad]
pub fn weight_error(w: f64) -> f64 {
    1.0 - w * w
}

/// All residuals: 2 per observation, then 1 per observation.
fn residuals(problem: &Problem) -> (Vec<f64>, Vec<f64>) {
    let mut reproj = vec![0.0; 2 * problem.p];
    let mut w_err = vec![0.0; problem.p];
    for i in 0..problem.p {
        let e = reprojection_error(
            problem.camera(i),
            problem.point(i),
            problem.weights[i],
            problem.feature(i),
        );
        reproj[2 * i] = e[0];
        reproj[2 * i + 1] = e[1];
        w_err[i] = weight_error(problem.weights[i]);
    }
    (reproj, w_err)
}

/// The Jacobian of all residuals in compressed sparse rows.
struct Sparse {
    rows: Vec<usize>,
    cols: Vec<usize>,
    vals: Vec<f64>,
}

/// The whole Jacobian: per observation, the 2×15 block from
/// `reprojection_error_jacobian`, and the weight error's derivative.
fn jacobian(problem: &Problem) -> Sparse {
    let Problem { n, m, p, .. } = *problem;
    let nnz = 2 * BLOCK * p + p;
    let mut rows = Vec::with_capacity(3 * p + 1);
    let mut cols = Vec::with_capacity(nnz);
    let mut vals = Vec::with_capacity(nnz);
    rows.push(0);
    for i in 0..p {
        let (j, k) = problem.obs[i];
        let (_, block) = reprojection_error_jacobian(
            problem.camera(i),
            problem.point(i),
            problem.weights[i],
            problem.feature(i),
        );
        for row in 0..2 {
            cols.extend(CAM * j..CAM * (j + 1));
            cols.extend(CAM * n + 3 * k..CAM * n + 3 * (k + 1));
            cols.push(CAM * n + 3 * m + i);
            vals.extend_from_slice(block.row(row));
            rows.push(cols.len());
        }
    }
    for i in 0..p {
        cols.push(CAM * n + 3 * m + i);
        vals.push(weight_error_grad(problem.weights[i]).1);
        rows.push(cols.len());
    }
    Sparse { rows, cols, vals }
}

#[derive(Serialize)]
struct Objective {
    reproj_error: Repeated<[f64; 2]>,
    w_err: RepeatedElement,
}

#[derive(Serialize)]
struct Repeated<T> {
    elements: T,
    repeated: usize,
}

#[derive(Serialize)]
struct RepeatedElement {
    element: f64,
    repeated: usize,
}

/// The first 30 entries and the last one of each array, as the eval asks.
#[derive(Serialize)]
struct SparseSlice {
    rows: Vec<usize>,
    cols: Vec<usize>,
    vals: Vec<f64>,
}

fn head_and_last<T: Copy>(v: &[T]) -> Vec<T> {
    let mut out: Vec<T> = v.iter().take(30).copied().collect();
    out.extend(v.last());
    out
}

/// Evaluates `objective` (the first observation's residuals and counts) or
/// `jacobian` (a slice of the sparse Jacobian).
pub fn evaluate(function: &str, input: &RawValue) -> Result<Evaluated, String> {
    let data: Input = parse(input)?;
    if data.n == 0 || data.m == 0 || data.p == 0 {
        return Err("ba needs at least one camera, point and observation".to_string());
    }
    let problem = Problem::new(&data);
    match function {
        "objective" => measure(
            input,
            || residuals(black_box(&problem)),
            |(reproj, w_err)| Objective {
                reproj_error: Repeated {
                    elements: [reproj[0], reproj[1]],
                    repeated: problem.p,
                },
                w_err: RepeatedElement {
                    element: w_err[0],
                    repeated: problem.p,
                },
            },
        ),
        "jacobian" => measure(
            input,
            || jacobian(black_box(&problem)),
            |j| SparseSlice {
                rows: head_and_last(&j.rows),
                cols: head_and_last(&j.cols),
                vals: head_and_last(&j.vals),
            },
        ),
        other => Err(unknown_function("ba", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evals::testing::{assert_gradient, values};

    /// Checks both rows of the reprojection Jacobian at camera `cam`.
    fn check_block(cam: &[f64; CAM]) {
        let x = [0.3, -0.2, 4.0];
        let (w, feat) = (0.7, [0.1, 0.2]);
        // Camera, point and weight, one after the other.
        let all = [&cam[..], &x[..], &[w]].concat();
        let (value, block) = reprojection_error_jacobian(cam, &x, w, &feat);
        assert_eq!(value, reprojection_error(cam, &x, w, &feat));
        assert_eq!((block.rows(), block.cols()), (2, BLOCK));
        for row in 0..2 {
            let f = |v: &[f64]| {
                reprojection_error(array(&v[..CAM]), array(&v[CAM..CAM + 3]), v[CAM + 3], &feat)
                    [row]
            };
            assert_gradient(f, &all, block.row(row));
        }
    }

    #[test]
    fn reprojection_jacobian_matches_finite_differences() {
        let mut cam = values(1, CAM, -0.5, 0.5);
        cam[6] = 2.0;
        check_block(array(&cam));
    }

    #[test]
    fn zero_rotation_uses_the_first_order_formula() {
        let mut cam = values(2, CAM, -0.5, 0.5);
        cam[..3].fill(0.0);
        let p = [1.0, 2.0, 3.0];
        assert_eq!(rotate([0.0; 3], p), p);
        let mut r_bar = [0.0; 3];
        let mut p_bar = [0.0; 3];
        rotate_vjp([0.0; 3], &mut r_bar, p, &mut p_bar, [1.0, 0.0, 0.0]);
        // d(p + r × p)_x / dr = (0, p_z, −p_y).
        assert_eq!(r_bar, [0.0, 3.0, -2.0]);
    }

    #[test]
    fn jacobian_layout() {
        let input = Input {
            n: 2,
            m: 3,
            p: 4,
            cam: [0.1, 0.2, 0.3, 0.0, 0.0, -5.0, 2.0, 0.5, 0.5, 0.01, 0.001],
            x: [0.5, 0.5, 1.0],
            w: 0.9,
            feat: [1.0, 1.0],
        };
        let problem = Problem::new(&input);
        let j = jacobian(&problem);
        assert_eq!(j.rows.len(), 3 * 4 + 1);
        assert_eq!(*j.rows.last().unwrap(), 31 * 4);
        // Observation 3 uses camera 1 and point 0; its weight is column 11·2 + 3·3 + 3.
        let block = &j.cols[2 * BLOCK * 3..2 * BLOCK * 3 + BLOCK];
        let expected: Vec<usize> = (11..22).chain(22..25).chain([34]).collect();
        assert_eq!(block, &expected[..]);
        assert_eq!(*j.vals.last().unwrap(), -1.8);
    }
}
