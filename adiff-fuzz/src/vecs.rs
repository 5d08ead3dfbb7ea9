//! Functions that return a local `Vec`, and the statements of `gK` that
//! call them (issue 21).
//!
//! Each extended program gets helpers `hK(x: f64, v: &[f64], n: usize) ->
//! Vec<f64>`, generated before `gK` from a stream of their own, so the
//! other streams draw as they did. A helper builds its result in loops and
//! returns it early from a loop or from a branch (a `Vec` declared in the
//! branch), keeps `Vec` locals inside loops, takes a `Vec` as a `break`
//! value, and calls earlier helpers. `gK` calls them (the result annotated
//! or not) with constant method results as arguments (`n.min(2)`,
//! `v.len().min(n + 1)`), so the checks of `gK` run each helper's `_vjp`
//! with a `Vec` cotangent.

use crate::{Function, Gen, Rng};

/// Constant method results passed as the `n` argument of a call.
const SIZES: [&str; 5] = [
    "n",
    "n.min(2)",
    "v.len()",
    "n.max(1) - 1",
    "v.len().min(n + 1)",
];

/// The helper `hK`; it may call `h0..hK`.
pub(crate) fn helper(k: usize, rng: &mut Rng) -> Function {
    let name = format!("h{k}");
    let mut h = Helper {
        rng,
        k,
        out: String::new(),
        in_loop: false,
    };
    h.line("let mut w: Vec<f64> = vec![0.0; 3];");
    h.line("let mut t: f64 = x * 0.5 + v[0];");
    for _ in 0..2 + h.rng.below(3) {
        h.stmt();
    }
    h.line("w[2] = w[2] + t * 0.5;");
    let mut source = format!("fn {name}(x: f64, v: &[f64], n: usize) -> Vec<f64> {{\n");
    source.push_str(&h.out);
    source.push_str("    w\n}");
    Function { name, source }
}

struct Helper<'r> {
    rng: &'r mut Rng,
    /// Helpers `h0..k` may be called.
    k: usize,
    out: String,
    in_loop: bool,
}

impl Helper<'_> {
    fn line(&mut self, s: &str) {
        self.out.push_str("    ");
        self.out.push_str(s);
        self.out.push('\n');
    }

    /// A smooth term over `x`, `t`, `v` and `w` (and `i` in a loop).
    fn expr(&mut self) -> String {
        let j = if self.in_loop && self.rng.chance(50) {
            "i".to_owned()
        } else {
            self.rng.below(4).to_string()
        };
        match self.rng.below(5) {
            0 => "(x * t).sin()".into(),
            1 => format!("(t + v[{j} % v.len()]).tanh()"),
            2 => format!("x * w[{j} % 3] * 0.25 + t"),
            3 => format!("(w[{j} % 3] * x).cos() * t"),
            _ => format!("v[{j} % v.len()] * {:.2}", self.rng.uniform(-1.5, 1.5)),
        }
    }

    fn cond(&mut self) -> String {
        let c = self.rng.uniform(-1.0, 1.0);
        match self.rng.below(3) {
            0 => format!("t > {c:.2}"),
            1 => "w[0] < x".into(),
            _ => format!("x * t > {c:.2}"),
        }
    }

    fn bound(&mut self) -> &'static str {
        ["n.min(3) + 1", "v.len()", "3"][self.rng.below(3)]
    }

    fn stmt(&mut self) {
        match self.rng.below(5) {
            0 => {
                // The result built in a loop, returned early from it.
                let b = self.bound();
                self.line(&format!("for i in 0..{b} {{"));
                self.in_loop = true;
                let e = self.expr();
                let c = self.cond();
                self.in_loop = false;
                self.line(&format!("    w[i % 3] = w[i % 3] * 0.5 + {e};"));
                self.line(&format!("    if {c} {{ return w; }}"));
                self.line("}");
            }
            1 => {
                // A `Vec` local of the loop body, read by the reverse sweep.
                let b = self.bound();
                self.line(&format!("for i in 0..{b} {{"));
                self.in_loop = true;
                let (e1, e2) = (self.expr(), self.expr());
                self.in_loop = false;
                self.line("    let mut u: Vec<f64> = vec![0.0; 2];");
                self.line(&format!("    u[0] = {e1};"));
                self.line(&format!("    u[1] = u[0] * {e2};"));
                // `tanh` keeps `t` bounded: products of products grow fast, and an
                // infinite intermediate makes any adjoint through it NaN.
                self.line("    t = (t * 0.5 + u[1] * u[0]).tanh();");
                self.line("}");
            }
            2 => {
                // An early return of a `Vec` declared in the branch.
                let c = self.cond();
                let e = self.expr();
                self.line(&format!("if {c} {{"));
                self.line("    let mut r: Vec<f64> = vec![0.0; 3];");
                self.line(&format!("    r[0] = {e};"));
                self.line("    r[1] = t * r[0];");
                self.line("    r[2] = w[1] * t + x;");
                self.line("    return r;");
                self.line("}");
            }
            3 => {
                // A `Vec` as the `break` value of a `loop`.
                let last = 1 + self.rng.below(3);
                let e = self.expr();
                let c = self.cond();
                self.line("let mut q = 0;");
                self.line("let b = loop {");
                self.line("    let mut z: Vec<f64> = vec![0.0; 3];");
                self.line(&format!("    z[q % 3] = {e};"));
                self.line("    z[1] = z[1] + w[0] * t;");
                self.line("    q += 1;");
                if self.rng.chance(50) {
                    self.line(&format!("    if {c} {{ break z; }}"));
                }
                self.line(&format!("    if q >= {last} {{ break z; }}"));
                self.line("};");
                self.line("t = (t + b[0] * b[1] + b[2]).tanh();");
            }
            _ if self.k > 0 => {
                let j = self.rng.below(self.k);
                let e = self.expr();
                let size = SIZES[self.rng.below(SIZES.len())];
                self.line(&format!("let c = h{j}({e}, v, {size});"));
                self.line("t = (t * 0.5 + c[0] * c[2]).tanh();");
                self.line("w[1] = w[1] + c[1];");
            }
            _ => {
                let e = self.expr();
                self.line(&format!("w[0] = w[0] * t * 0.5 + {e};"));
            }
        }
    }
}

impl Gen<'_> {
    /// In `gK`: a call of a helper, its `Vec` result read (a local of the
    /// current block, annotated or not), or a call of an earlier `gJ` with
    /// a constant method result for `n`.
    pub(crate) fn vec_statement(&mut self) {
        let target = self.scalars[self.vecs.below(self.scalars.len())].clone();
        let size = SIZES[self.vecs.below(SIZES.len())];
        let arg = ["x", "v[1 % v.len()]", "a[2]"][self.vecs.below(3)];
        if self.callable > 0 && self.vecs.chance(30) {
            let k = self.vecs.below(self.callable);
            self.line(&format!(
                "{target} = {target} * 0.5 + g{k}({arg}, v, {size}, buf) * 0.25;"
            ));
            return;
        }
        let j = self.vecs.below(self.callable + 1);
        let name = format!("w{}", self.next);
        self.next += 1;
        let ann = if self.vecs.chance(50) {
            ": Vec<f64>"
        } else {
            ""
        };
        let (p, q) = (self.vecs.below(3), self.vecs.below(3));
        self.line(&format!("let {name}{ann} = h{j}({arg}, v, {size});"));
        self.line(&format!(
            "{target} = {target} * 0.5 + {name}[{p}] * {name}[{q}];"
        ));
    }
}
