//! Sub-slices and tuple parameters, drawn from the generator's third
//! stream (`Gen::sub`).
//!
//! Every sub-slice keeps the lengths the callees rely on: `v` has at least
//! two elements, so the `v` given to a `gK` does too (its own sub-slices
//! drop at most one), and the `w` given to a helper is non-empty; `buf`
//! arguments have length [`BUF`](crate::BUF) (callees index `buf[0..4]`).

use super::{Function, Gen};

impl Gen<'_> {
    /// A term from the third stream: never the scalar `target`.
    fn sub_atom(&mut self, target: &str) -> String {
        crate::term(&mut self.sub, &self.scalars, target, false)
    }

    /// A lower bound for a sub-slice of `v`, at most 1 (so `v[lo..]` is
    /// never empty), depending on a loop variable when there is one.
    fn sub_lo(&mut self) -> String {
        match self.sub.below(3) {
            0 if !self.loop_vars.is_empty() => {
                let i = self.sub.below(self.loop_vars.len());
                format!("({} % 2)", self.loop_vars[i])
            }
            1 => "(n % 2)".into(),
            _ => "1".into(),
        }
    }

    /// A non-empty sub-slice place (`v[1..]`; borrow it with `&`).
    fn sub_slice_of_v(&mut self, allow_a: bool) -> String {
        let lo = self.sub_lo();
        match self.sub.below(if allow_a { 6 } else { 4 }) {
            0 => format!("v[{lo}..]"),
            1 => "v[..v.len() - 1]".into(),
            2 => "v[..=1]".into(),
            3 => format!("v[{lo}..v.len()]"),
            4 => "a[1..3]".into(),
            _ => format!("a[{lo}..]"),
        }
    }

    /// A sub-slice for the `v` of a call to `gK`: at least 2 long, as `v`
    /// is, so the callee's own sub-slices of `v` stay non-empty.
    fn call_slice(&mut self, allow_a: bool) -> String {
        let lo = self.sub_lo();
        match self.sub.below(if allow_a { 5 } else { 3 }) {
            0 => "v[..]".into(),
            1 => "v[0..v.len()]".into(),
            2 => "v[..=1]".into(),
            3 => "a[1..3]".into(),
            _ => format!("a[{lo}..]"),
        }
    }

    /// A call of this function's tuple helper, so it is always used.
    pub(crate) fn call_helper(&mut self, name: &str) {
        let w = self.sub_slice_of_v(true);
        self.line(&format!("s0 = s0 * 0.5 + {name}((x, s0), &{w}) * 0.25;"));
    }

    /// One statement using sub-slices, or a call to the tuple helper.
    pub(crate) fn slice_statement(&mut self) {
        let target = self.scalars[self.sub.below(self.scalars.len())].clone();
        let a = self.sub_atom(&target);
        let name = format!("w{}", self.next);
        self.next += 1;
        match self.sub.below(8) {
            0 if self.callable > 0 => {
                let k = self.sub.below(self.callable);
                // `&mut a[..]` lets the callee write the local array; then
                // `v` must not borrow `a` too.
                let write_a = self.sub.chance(30);
                let w = self.call_slice(!write_a);
                let b = match (write_a, self.sub.below(3)) {
                    (true, 0) => "&mut a[0..=3]",
                    (true, _) => "&mut a[..]",
                    (false, 0) => "&mut buf[0..4]",
                    (false, _) => "&mut buf[..]",
                };
                self.line(&format!(
                    "{target} = {target} * 0.5 + g{k}({a}, &{w}, n, {b}) * 0.25;"
                ));
            }
            1 => {
                let w = self.sub_slice_of_v(true);
                self.line(&format!("for {name} in &{w} {{"));
                self.line(&format!("    {target} += {name} * ({a}).tanh() * 0.1;"));
                self.line("}");
            }
            2 => {
                let lo = self.sub_lo();
                self.line(&format!(
                    "for ({name}, t) in a[{lo}..].iter().enumerate() {{ {target} = {target} * 0.75 + t * ({name} as f64 + {a}) * 0.1; }}"
                ));
            }
            3 => {
                let hi = 2 + self.sub.below(3);
                self.line(&format!(
                    "for t in buf[1..{hi}].iter_mut() {{ *t = *t * 0.5 + ({a}).sin() * 0.1; }}"
                ));
            }
            4 => {
                let w = self.sub_slice_of_v(true);
                self.line(&format!(
                    "{target} += {w}.iter().zip(&a[..3]).map(|(p, q)| p * q).sum::<f64>() * 0.1;"
                ));
            }
            5 => {
                let w = self.sub_slice_of_v(true);
                self.line(&format!("let {name} = &{w};"));
                self.line(&format!(
                    "{target} = {target} * 0.5 + {name}[{name}.len() - 1] * {name}[0] * ({a}).tanh();"
                ));
            }
            6 => {
                self.line(&format!("let {name} = &mut buf[1..];"));
                self.line(&format!("{name}[0] += ({a}).cos() * 0.1;"));
            }
            _ if self.helper.is_some() => {
                let k = self
                    .helper
                    .as_ref()
                    .map(|h| h.name.clone())
                    .unwrap_or_default();
                let b = self.sub_atom(&target);
                let w = self.sub_slice_of_v(true);
                self.line(&format!(
                    "{target} = {target} * 0.5 + {k}(({a}, {b}), &{w}) * 0.25;"
                ));
            }
            _ => self.line(&format!(
                "{target} += a[2..].iter().sum::<f64>() * ({a}).tanh() * 0.1;"
            )),
        }
    }

    /// `tupK(p: (f64, f64), w: &[f64]) -> f64`: fields, destructuring and a
    /// copy of the tuple parameter, and sub-slices of `w` (non-empty).
    pub(crate) fn tuple_helper(&mut self, k: usize) -> Function {
        let name = format!("tup{k}");
        let c = self.sub.uniform(0.5, 1.5);
        let body = match self.sub.below(4) {
            0 => format!(
                "    let (a, b) = p;\n    (a * {c:.2}).sin() * b + p.1 * w[0]"
            ),
            1 => format!(
                "    let q = p;\n    q.0 * q.1 + (p.0 * {c:.2}).tanh() * w[w.len() - 1]"
            ),
            2 => format!(
                "    let mut s = p.0 * {c:.2};\n    for t in &w[..] {{\n        s = s * 0.5 + t * p.1;\n    }}\n    s"
            ),
            _ => format!(
                "    let (a, _) = p;\n    a * w[1..].iter().sum::<f64>() + (p.1 * {c:.2}).cos()"
            ),
        };
        Function {
            name: name.clone(),
            source: format!("fn {name}(p: (f64, f64), w: &[f64]) -> f64 {{\n{body}\n}}"),
        }
    }
}
