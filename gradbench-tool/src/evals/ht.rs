//! ht (§2.9): ADBench's hand tracking. A 26-parameter pose drives a
//! skinned hand mesh; the residuals are the distances from observed points
//! to their corresponding mesh points.

use std::hint::black_box;

use adiff::{jvp, Lanes};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{flatten, measure, nest, parse, unknown_function, Evaluated};

/// Pose parameters: global rotation (3), translation (3), then 4 per finger.
const THETA: usize = 26;

/// The lanes of the Jacobian's one forward sweep: 26 theta columns and 2
/// `us` columns (unused in the simple variant).
const LANES: usize = THETA + 2;

#[derive(Deserialize)]
struct Input {
    theta: Vec<f64>,
    data: Data,
    us: Vec<[f64; 2]>,
}

#[derive(Deserialize)]
struct Data {
    model: Model,
    correspondences: Vec<usize>,
    points: Vec<[f64; 3]>,
}

#[derive(Deserialize)]
struct Model {
    bone_count: usize,
    parents: Vec<i64>,
    base_relatives: Vec<[[f64; 4]; 4]>,
    inverse_base_absolutes: Vec<[[f64; 4]; 4]>,
    base_positions: Vec<[f64; 4]>,
    weights: Vec<Vec<f64>>,
    triangles: Vec<[usize; 3]>,
    is_mirrored: bool,
}

/// The skinning transform `M_b = Abs_b · inverse_base_absolutes[b]` of every
/// bone, 4×4 row-major each, written into `transforms`.
///
/// Bone b's joint rotation is Rz(az)·Rx(ax), with angles taken from `theta`
/// for the three outer bones of each finger and zero elsewhere. Its posed
/// relative transform is `base_relatives[b]` with that rotation applied on
/// the right, and its absolute transform chains the relative transforms
/// from the root (`parents[b] < 0`); a parent precedes its children.
#[allow(clippy::needless_range_loop)]
#[jvp(vector)]
pub fn bone_transforms(
    theta: &[f64],
    parents: &[i64],
    base_relatives: &[f64],
    inverse_base_absolutes: &[f64],
    transforms: &mut [f64],
) {
    let bones = parents.len();
    let mut absolutes = vec![0.0; 16 * bones];
    let mut relative = [0.0; 16];
    for b in 0..bones {
        // Bones 2 + 4f, 3 + 4f and 4 + 4f are the outer bones of finger f;
        // 5 + 4f is the next finger's first bone (or the forearm).
        let mut ax = 0.0;
        let mut az = 0.0;
        if b >= 2 && (b - 2) / 4 < 5 {
            let f = (b - 2) / 4;
            match (b - 2) % 4 {
                0 => {
                    ax = theta[6 + 4 * f];
                    az = theta[7 + 4 * f];
                }
                1 => ax = theta[8 + 4 * f],
                2 => ax = theta[9 + 4 * f],
                _ => {}
            }
        }
        let (cx, sx, cz, sz) = (ax.cos(), ax.sin(), az.cos(), az.sin());
        // Rz(az)·Ry(0)·Rx(ax), row-major.
        let rotation = [cz, -sz * cx, sz * sx, sz, cz * cx, -cz * sx, 0.0, sx, cx];
        let base = 16 * b;
        for r in 0..4 {
            for c in 0..3 {
                let mut s = 0.0;
                for k in 0..3 {
                    s += base_relatives[base + 4 * r + k] * rotation[3 * k + c];
                }
                relative[4 * r + c] = s;
            }
            relative[4 * r + 3] = base_relatives[base + 4 * r + 3];
        }
        let parent = parents[b];
        for r in 0..4 {
            for c in 0..4 {
                if parent < 0 {
                    absolutes[base + 4 * r + c] = relative[4 * r + c];
                } else {
                    let p = 16 * parent as usize;
                    let mut s = 0.0;
                    for k in 0..4 {
                        s += absolutes[p + 4 * r + k] * relative[4 * k + c];
                    }
                    absolutes[base + 4 * r + c] = s;
                }
            }
        }
        for r in 0..4 {
            for c in 0..4 {
                let mut s = 0.0;
                for k in 0..4 {
                    s += absolutes[base + 4 * r + k] * inverse_base_absolutes[base + 4 * k + c];
                }
                transforms[base + 4 * r + c] = s;
            }
        }
    }
}

/// The skinned position of every vertex, `Σ_b weights[v][b]·(M_b·base_v)`,
/// mirrored in x if asked, written into `vertices` (3 per vertex).
#[allow(clippy::needless_range_loop)]
#[jvp(vector)]
pub fn skin(
    transforms: &[f64],
    base_positions: &[f64],
    weights: &[f64],
    is_mirrored: bool,
    vertices: &mut [f64],
) {
    let bones = transforms.len() / 16;
    let count = base_positions.len() / 4;
    for v in 0..count {
        let mut position = [0.0; 3];
        for b in 0..bones {
            let w = weights[v * bones + b];
            for r in 0..3 {
                let mut s = 0.0;
                for k in 0..4 {
                    s += transforms[16 * b + 4 * r + k] * base_positions[4 * v + k];
                }
                position[r] += w * s;
            }
        }
        if is_mirrored {
            position[0] = -position[0];
        }
        for r in 0..3 {
            vertices[3 * v + r] = position[r];
        }
    }
}

/// Rotates every vertex by the angle-axis vector theta[0..3] and moves it
/// by theta[3..6]. Rotations by less than 1e-4 radians count as none.
#[allow(clippy::needless_range_loop)]
#[jvp(vector)]
pub fn place(theta: &[f64], vertices: &mut [f64]) {
    let norm = (theta[0] * theta[0] + theta[1] * theta[1] + theta[2] * theta[2]).sqrt();
    let mut g = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0];
    if norm >= 1e-4 {
        let (x, y, z) = (theta[0] / norm, theta[1] / norm, theta[2] / norm);
        let (s, c) = (norm.sin(), norm.cos());
        g = [
            x * x + (1.0 - x * x) * c,
            x * y * (1.0 - c) - z * s,
            x * z * (1.0 - c) + y * s,
            x * y * (1.0 - c) + z * s,
            y * y + (1.0 - y * y) * c,
            y * z * (1.0 - c) - x * s,
            x * z * (1.0 - c) - y * s,
            y * z * (1.0 - c) + x * s,
            z * z + (1.0 - z * z) * c,
        ];
    }
    for v in 0..vertices.len() / 3 {
        let p = [vertices[3 * v], vertices[3 * v + 1], vertices[3 * v + 2]];
        for r in 0..3 {
            vertices[3 * v + r] =
                g[3 * r] * p[0] + g[3 * r + 1] * p[1] + g[3 * r + 2] * p[2] + theta[3 + r];
        }
    }
}

/// The residuals `err` (3 per point) of the hand posed by `theta`.
///
/// With `us` empty (the simple variant) point i corresponds to vertex
/// `correspondences[i]`; otherwise to the point with barycentric
/// coordinates (`us[2i]`, `us[2i+1]`, 1 − both) on triangle
/// `correspondences[i]`.
#[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
#[jvp(vector)]
pub fn hand_objective(
    theta: &[f64],
    us: &[f64],
    parents: &[i64],
    base_relatives: &[f64],
    inverse_base_absolutes: &[f64],
    base_positions: &[f64],
    weights: &[f64],
    is_mirrored: bool,
    triangles: &[usize],
    correspondences: &[usize],
    points: &[f64],
    err: &mut [f64],
) {
    let mut transforms = vec![0.0; 16 * parents.len()];
    bone_transforms(
        theta,
        parents,
        base_relatives,
        inverse_base_absolutes,
        &mut transforms,
    );
    let mut vertices = vec![0.0; base_positions.len() / 4 * 3];
    skin(
        &transforms,
        base_positions,
        weights,
        is_mirrored,
        &mut vertices,
    );
    place(theta, &mut vertices);
    for i in 0..correspondences.len() {
        let target = correspondences[i];
        for j in 0..3 {
            if us.is_empty() {
                err[3 * i + j] = points[3 * i + j] - vertices[3 * target + j];
            } else {
                let (a, b, d) = (
                    triangles[3 * target],
                    triangles[3 * target + 1],
                    triangles[3 * target + 2],
                );
                let (u0, u1) = (us[2 * i], us[2 * i + 1]);
                err[3 * i + j] = points[3 * i + j]
                    - (u0 * vertices[3 * a + j]
                        + u1 * vertices[3 * b + j]
                        + (1.0 - u0 - u1) * vertices[3 * d + j]);
            }
        }
    }
}

/// The hand model and observations in flat buffers.
#[derive(Clone)]
struct Problem {
    theta: Vec<f64>,
    us: Vec<f64>,
    parents: Vec<i64>,
    base_relatives: Vec<f64>,
    inverse_base_absolutes: Vec<f64>,
    base_positions: Vec<f64>,
    weights: Vec<f64>,
    is_mirrored: bool,
    triangles: Vec<usize>,
    correspondences: Vec<usize>,
    points: Vec<f64>,
}

impl Problem {
    fn new(input: Input) -> Result<Problem, String> {
        let Input { theta, data, us } = input;
        let model = data.model;
        let bones = model.bone_count;
        let vertices = model.base_positions.len();
        if theta.len() != THETA {
            return Err(format!("ht needs {THETA} thetas, got {}", theta.len()));
        }
        if model.parents.len() != bones
            || model.base_relatives.len() != bones
            || model.inverse_base_absolutes.len() != bones
            || model.weights.len() != vertices
        {
            return Err("ht: the model's bone and vertex counts disagree".to_string());
        }
        if model
            .parents
            .iter()
            .enumerate()
            .any(|(b, &p)| p >= b as i64)
        {
            return Err("ht: every parent must precede its bone".to_string());
        }
        let c = data.correspondences.len();
        if data.points.len() != c || !(us.is_empty() || us.len() == c) {
            return Err("ht: points and us need one entry per correspondence".to_string());
        }
        let targets = if us.is_empty() {
            vertices
        } else {
            model.triangles.len()
        };
        if data.correspondences.iter().any(|&t| t >= targets)
            || model.triangles.iter().flatten().any(|&v| v >= vertices)
        {
            return Err("ht: a correspondence or triangle is out of range".to_string());
        }
        let matrices =
            |m: &[[[f64; 4]; 4]]| -> Vec<f64> { m.iter().flatten().flatten().copied().collect() };
        Ok(Problem {
            theta,
            us: us.concat(),
            base_relatives: matrices(&model.base_relatives),
            inverse_base_absolutes: matrices(&model.inverse_base_absolutes),
            parents: model.parents,
            base_positions: model.base_positions.concat(),
            weights: flatten(&model.weights, bones, "weights")?,
            is_mirrored: model.is_mirrored,
            triangles: model.triangles.concat(),
            correspondences: data.correspondences,
            points: data.points.concat(),
        })
    }

    fn residuals(&self) -> usize {
        self.points.len()
    }

    fn objective(&self) -> Vec<f64> {
        let mut err = vec![0.0; self.residuals()];
        hand_objective(
            black_box(&self.theta),
            black_box(&self.us),
            &self.parents,
            &self.base_relatives,
            &self.inverse_base_absolutes,
            &self.base_positions,
            &self.weights,
            self.is_mirrored,
            &self.triangles,
            &self.correspondences,
            &self.points,
            &mut err,
        );
        err
    }

    /// The Jacobian, row-major with one row per residual: two `us` columns
    /// (complicated variant only), then the 26 theta columns. All columns
    /// come from one vector forward sweep (`hand_objective_jvpw`) of
    /// [`LANES`] lanes, so the objective runs once: lane k < 26 is theta's
    /// column k, and lanes 26 and 27 are the `us` columns. Residual i
    /// depends only on `us[i]`, so a tangent of 1 on every `us[·][0]` gives
    /// the first `us` column for all rows at once.
    fn jacobian(&self, zero: &ZeroTangents) -> (Vec<f64>, usize) {
        let rows = self.residuals();
        let us_columns = if self.us.is_empty() { 0 } else { 2 };
        let theta_dot: Vec<Lanes<f64, LANES>> = (0..THETA).map(Lanes::unit).collect();
        let us_dot: Vec<Lanes<f64, LANES>> = (0..self.us.len())
            .map(|i| Lanes::unit(THETA + i % 2))
            .collect();
        let mut err = vec![0.0; rows];
        let mut err_dot = vec![Lanes::zero(); rows];
        hand_objective_jvpw::<LANES>(
            black_box(&self.theta),
            &theta_dot,
            black_box(&self.us),
            &us_dot,
            &self.parents,
            &self.base_relatives,
            &zero.base_relatives,
            &self.inverse_base_absolutes,
            &zero.inverse_base_absolutes,
            &self.base_positions,
            &zero.base_positions,
            &self.weights,
            &zero.weights,
            self.is_mirrored,
            &self.triangles,
            &self.correspondences,
            &self.points,
            &zero.points,
            &mut err,
            &mut err_dot,
        );
        let width = us_columns + THETA;
        let jacobian = err_dot
            .iter()
            .flat_map(|d| {
                let (theta, us) = d.0.split_at(THETA);
                us[..us_columns].iter().chain(theta).copied()
            })
            .collect();
        (jacobian, width)
    }
}

/// The tangents of the model and observations in `hand_objective_jvpw`:
/// zero, since they are constants. They depend only on the input's sizes,
/// so they are made once per input, with the flat buffers, before timing.
#[derive(Clone)]
struct ZeroTangents {
    base_relatives: Vec<Lanes<f64, LANES>>,
    inverse_base_absolutes: Vec<Lanes<f64, LANES>>,
    base_positions: Vec<Lanes<f64, LANES>>,
    weights: Vec<Lanes<f64, LANES>>,
    points: Vec<Lanes<f64, LANES>>,
}

impl ZeroTangents {
    fn new(p: &Problem) -> ZeroTangents {
        let zeros = |len: usize| vec![Lanes::zero(); len];
        ZeroTangents {
            base_relatives: zeros(p.base_relatives.len()),
            inverse_base_absolutes: zeros(p.inverse_base_absolutes.len()),
            base_positions: zeros(p.base_positions.len()),
            weights: zeros(p.weights.len()),
            points: zeros(p.points.len()),
        }
    }
}

/// Evaluates `objective` (3c residuals, flat) or `jacobian` (`[3c][28]`,
/// or `[3c][26]` in the simple variant).
pub fn evaluate(function: &str, input: &RawValue) -> Result<Evaluated, String> {
    let problem = Problem::new(parse(input)?)?;
    match function {
        "objective" => measure(input, || problem.objective(), |err| err),
        "jacobian" => {
            let zero = ZeroTangents::new(&problem);
            measure(
                input,
                || problem.jacobian(&zero),
                |(jacobian, width)| nest(&jacobian, problem.residuals(), width),
            )
        }
        other => Err(unknown_function("ht", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evals::testing::{central, values};

    /// A random hand with the data's bone hierarchy and a few vertices.
    fn small_problem(simple: bool) -> Problem {
        let parents = vec![
            -1, 0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11, 0, 13, 14, 15, 0, 17, 18, 19, 0,
        ];
        let bones = parents.len();
        let vertices = 7;
        let c = 5;
        let mut base_positions = values(3, 4 * vertices, -1.0, 1.0);
        for v in 0..vertices {
            base_positions[4 * v + 3] = 1.0;
        }
        let triangles = vec![0, 1, 2, 3, 4, 5, 6, 0, 3];
        Problem {
            theta: values(1, THETA, -1.0, 1.0),
            us: if simple {
                Vec::new()
            } else {
                values(2, 2 * c, 0.0, 0.5)
            },
            parents,
            base_relatives: values(4, 16 * bones, -1.0, 1.0),
            inverse_base_absolutes: values(5, 16 * bones, -1.0, 1.0),
            base_positions,
            weights: values(6, vertices * bones, 0.0, 0.1),
            is_mirrored: false,
            triangles,
            correspondences: if simple {
                vec![6, 0, 3, 3, 1]
            } else {
                vec![2, 0, 1, 1, 2]
            },
            points: values(7, 3 * c, -1.0, 1.0),
        }
    }

    /// Every Jacobian column against central differences of the objective:
    /// theta one coordinate at a time, and each `us` column by moving that
    /// coordinate of every correspondence at once.
    fn check(problem: &Problem) {
        let rows = problem.residuals();
        let (jacobian, width) = problem.jacobian(&ZeroTangents::new(problem));
        let us_columns = width - THETA;
        assert_eq!(us_columns, if problem.us.is_empty() { 0 } else { 2 });
        for column in 0..width {
            for r in 0..rows {
                let residual = |t: &[f64]| {
                    let mut moved = problem.clone();
                    if column < us_columns {
                        for i in (column..moved.us.len()).step_by(2) {
                            moved.us[i] = problem.us[i] + t[0];
                        }
                    } else {
                        moved.theta[column - us_columns] = t[0];
                    }
                    moved.objective()[r]
                };
                let at = if column < us_columns {
                    0.0
                } else {
                    problem.theta[column - us_columns]
                };
                let fd = central(residual, &[at], 0);
                let d = jacobian[r * width + column];
                assert!(
                    (d - fd).abs() <= 1e-6 * d.abs().max(1.0),
                    "row {r}, column {column}: jvp {d}, central difference {fd}"
                );
            }
        }
    }

    #[test]
    fn complicated_jacobian_matches_finite_differences() {
        check(&small_problem(false));
    }

    #[test]
    fn simple_jacobian_matches_finite_differences() {
        check(&small_problem(true));
    }

    #[test]
    fn no_global_rotation_below_the_threshold() {
        let mut problem = small_problem(true);
        problem.theta[..3].fill(0.0);
        let still = problem.objective();
        problem.theta[..3].copy_from_slice(&[1e-5, 0.0, 0.0]);
        assert_eq!(problem.objective(), still);
        let (jacobian, width) = problem.jacobian(&ZeroTangents::new(&problem));
        for r in 0..problem.residuals() {
            assert_eq!(jacobian[r * width], 0.0);
        }
    }
}
