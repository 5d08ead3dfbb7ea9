//! Random functions on nalgebra values, for the end-to-end differential
//! test (`differential/`): straight-line code and a counted loop over
//! 3-vectors and 3×3 matrices, using every operation that has a
//! whole-matrix rule, ending in a scalar.
//!
//! ```
//! let f = adiff_fuzz::linalg::function(5, "la5");
//! assert!(f.starts_with("fn la5(s: f64, x: &DVector<f64>, w: &DMatrix<f64>, n: usize) -> f64 {"));
//! assert_eq!(f, adiff_fuzz::linalg::function(5, "la5"));
//! ```

use std::fmt::Write;

use crate::Rng;

/// What a variable holds.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Scalar,
    Vector,
    Matrix,
}

struct Gen {
    rng: Rng,
    vars: Vec<(String, Kind)>,
    body: String,
}

impl Gen {
    fn pick(&mut self, k: Kind) -> String {
        let of: Vec<&String> = self
            .vars
            .iter()
            .filter(|(_, kk)| *kk == k)
            .map(|(n, _)| n)
            .collect();
        of[self.rng.below(of.len())].clone()
    }

    /// A borrowed operand: `&v` for a local, `v` for a reference parameter.
    fn r(&mut self, k: Kind) -> String {
        let v = self.pick(k);
        if v == "x" || v == "w" {
            v
        } else {
            format!("&{v}")
        }
    }

    fn map_closure(&mut self) -> &'static str {
        [
            "|t| t.tanh()",
            "f64::sin",
            "|t| 0.5 * t * t",
            "|t| t / (1.0 + t * t)",
        ][self.rng.below(4)]
    }

    fn vector_expr(&mut self) -> String {
        match self.rng.below(8) {
            0 => format!("{} * {}", self.r(Kind::Matrix), self.r(Kind::Vector)),
            1 => format!("{} + {}", self.r(Kind::Vector), self.r(Kind::Vector)),
            2 => format!("{} - {}", self.r(Kind::Vector), self.r(Kind::Vector)),
            3 => format!(
                "{}.component_mul({})",
                self.pick(Kind::Vector),
                self.r(Kind::Vector)
            ),
            4 => {
                let c = self.map_closure();
                format!("{}.map({c})", self.pick(Kind::Vector))
            }
            5 => format!("{} * {}", self.pick(Kind::Scalar), self.r(Kind::Vector)),
            6 => format!(
                "{} / (1.0 + {s} * {s})",
                self.r(Kind::Vector),
                s = self.pick(Kind::Scalar)
            ),
            _ => format!(
                "{}.transpose() * {}",
                self.pick(Kind::Matrix),
                self.r(Kind::Vector)
            ),
        }
    }

    fn matrix_expr(&mut self) -> String {
        match self.rng.below(6) {
            0 => format!("{} * {}", self.r(Kind::Matrix), self.r(Kind::Matrix)),
            1 => format!("{} + {}", self.r(Kind::Matrix), self.r(Kind::Matrix)),
            2 => format!("{}.transpose()", self.pick(Kind::Matrix)),
            3 => format!("-({} * 0.5)", self.r(Kind::Matrix)),
            4 => format!(
                "{} * {}.transpose()",
                self.r(Kind::Vector),
                self.pick(Kind::Vector)
            ),
            _ => {
                let c = self.map_closure();
                format!("{}.map({c})", self.pick(Kind::Matrix))
            }
        }
    }

    fn scalar_expr(&mut self) -> String {
        match self.rng.below(7) {
            0 => format!("{}.dot({})", self.pick(Kind::Vector), self.r(Kind::Vector)),
            1 => format!("{}.norm_squared()", self.pick(Kind::Vector)),
            2 => format!("(1.0 + {}.norm_squared()).sqrt()", self.pick(Kind::Matrix)),
            3 => format!("{}.sum()", self.pick(Kind::Vector)),
            4 => format!("{}.sum() * 0.1", self.pick(Kind::Matrix)),
            5 => format!("{}[{}]", self.pick(Kind::Vector), self.rng.below(3)),
            _ => format!(
                "{}[({}, {})]",
                self.pick(Kind::Matrix),
                self.rng.below(3),
                self.rng.below(3)
            ),
        }
    }

    fn stmt(&mut self, indent: &str) {
        let k = match self.rng.below(3) {
            0 => Kind::Scalar,
            1 => Kind::Vector,
            _ => Kind::Matrix,
        };
        let e = match k {
            Kind::Scalar => self.scalar_expr(),
            Kind::Vector => self.vector_expr(),
            Kind::Matrix => self.matrix_expr(),
        };
        let name = format!("t{}", self.vars.len());
        let _ = writeln!(self.body, "{indent}let {name} = {e};");
        self.vars.push((name, k));
    }
}

/// The function `name` for `seed`.
#[must_use]
pub fn function(seed: u64, name: &str) -> String {
    let mut g = Gen {
        rng: Rng::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x1a1a),
        vars: vec![
            ("s".into(), Kind::Scalar),
            ("x".into(), Kind::Vector),
            ("w".into(), Kind::Matrix),
        ],
        body: String::new(),
    };
    for _ in 0..2 + g.rng.below(5) {
        g.stmt("    ");
    }
    if g.rng.chance(50) {
        // A loop that overwrites a vector: reverse mode records it.
        let v = g.pick(Kind::Vector);
        let m = g.r(Kind::Matrix);
        let c = g.map_closure();
        let vv = if v == "x" {
            "x".to_owned()
        } else {
            format!("&{v}")
        };
        let _ = writeln!(g.body, "    let mut h = {v}.clone();");
        let _ = writeln!(g.body, "    for _ in 0..n {{");
        let _ = writeln!(g.body, "        let z = {m} * &h + {vv};");
        let _ = writeln!(g.body, "        h = z.map({c});");
        let _ = writeln!(g.body, "    }}");
        g.vars.push(("h".into(), Kind::Vector));
    }
    for _ in 0..1 + g.rng.below(3) {
        g.stmt("    ");
    }
    let mut terms = Vec::new();
    for (n, k) in g.vars.iter().skip(3) {
        terms.push(match k {
            Kind::Scalar => format!("({n}).tanh()"),
            Kind::Vector => format!("{n}.sum().sin()"),
            Kind::Matrix => format!("({n}.sum() * 0.1).sin()"),
        });
    }
    if terms.is_empty() {
        terms.push("s".into());
    }
    format!(
        "fn {name}(s: f64, x: &DVector<f64>, w: &DMatrix<f64>, n: usize) -> f64 {{\n{}    {}\n}}",
        g.body,
        terms.join(" + ")
    )
}
