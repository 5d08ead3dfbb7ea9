//! Buffer methods (issue 12, item 2), drawn from a stream of their own
//! ([`Stream`]), so the other streams draw as they did and the statements
//! they make stay the same.
//!
//! Each statement is a block: a local `Vec` grown and shrunk by `push`,
//! `pop`, `insert`, `remove`, `resize`, `truncate`, `clear` and
//! `extend_from_slice`, copied by `to_vec` and `clone`, permuted by `swap`
//! and `reverse`, written by `fill` and `copy_from_slice`; the function's
//! `a` and `buf` changed in place, through sub-slices and `split_at_mut`;
//! `std::mem::swap`/`replace`, `first`/`last` and `sin_cos`. A scalar in
//! scope takes the result, with factors that keep values bounded. Lengths
//! stay within what the function has: `v` has at least 2 elements, `a` and
//! `buf` exactly 4. Operands are read before `buf` is borrowed (`let f =
//! ..; buf[1..3].fill(f)`), as the borrow checker wants.

use crate::{Gen, Rng};

/// The buffer statements' random stream and the counter of their names.
pub(crate) struct Stream {
    rng: Rng,
    next: usize,
}

impl Stream {
    /// The stream of function `k` of the program for `seed`.
    pub(crate) fn new(seed: u64, k: usize) -> Self {
        Stream {
            rng: Rng::new(seed.wrapping_mul(0xD1B5_4A32_D192_ED03) ^ (k as u64 + 0xB0FF)),
            next: 0,
        }
    }

    /// Whether to emit a buffer statement before the next statement.
    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.rng.chance(percent)
    }
}

impl Gen<'_> {
    /// A term for a buffer statement: an input, an element or a scalar in
    /// scope other than `target`.
    fn buf_atom(&mut self, target: &str) -> String {
        let r = &mut self.bufs.rng;
        let others: Vec<&String> = self.scalars.iter().filter(|s| *s != target).collect();
        match r.below(6) {
            0 => "x".into(),
            1 => format!("v[{} % v.len()]", r.below(4)),
            2 => format!("a[{}]", r.below(4)),
            3 => format!("buf[{}]", r.below(4)),
            4 if !others.is_empty() => others[r.below(others.len())].clone(),
            _ => format!("{:.2}_f64", r.uniform(-1.5, 1.5)),
        }
    }

    fn below(&mut self, n: usize) -> usize {
        self.bufs.rng.below(n)
    }

    /// One statement with buffer methods, assigning a scalar in scope.
    pub(crate) fn buffer_statement(&mut self) {
        let pick = self.below(self.scalars.len());
        let target = self.scalars[pick].clone();
        let (p, q, r) = (
            self.buf_atom(&target),
            self.buf_atom(&target),
            self.buf_atom(&target),
        );
        let b = format!("b{}", self.bufs.next);
        self.bufs.next += 1;
        let body = match self.below(8) {
            0 => {
                let m = 1 + self.below(3);
                format!(
                    "let mut {b} = Vec::new(); for i in 0..{m} {{ {b}.push({p} * (i as f64 + 1.0) * 0.5); }} \
                     {b}.push({q}); let mut t = 0.0; for i in 0..{b}.len() {{ t += {b}[i] * {b}[i]; }} \
                     {target} = {target} * 0.5 + t * 0.1;"
                )
            }
            1 => {
                let (i, j) = (self.below(4), self.below(4));
                format!(
                    "let mut {b} = vec![{p}, {q}, {r}]; {b}.insert({i}, {target} * 0.5); let r = {b}.remove({j}); \
                     let p = {b}.pop().unwrap(); {b}.pop(); {target} = {target} * 0.5 + r * p * 0.25 + {b}[0] * 0.5;"
                )
            }
            2 => {
                let (m, k, lo) = (self.below(6), self.below(5), self.below(4));
                format!(
                    "let mut {b} = v.to_vec(); {b}.resize({m}, {p}); {b}.truncate({k}); {b}.extend_from_slice(&a[{lo}..]); \
                     let mut t = 0.0; for i in 0..{b}.len() {{ t += {b}[i] * (i as f64 + 0.5) * 0.25; }} \
                     {b}.clear(); {b}.push(t); {target} = {target} * 0.5 + {b}[0] * 0.25;"
                )
            }
            3 => {
                let (i, j, lo) = (self.below(4), self.below(4), self.below(4));
                format!(
                    "a.swap({i}, {j}); buf[{lo}..].reverse(); {target} = {target} * 0.5 + a[{i}] * buf[{j}] * 0.5;"
                )
            }
            4 => {
                let (lo, k) = (self.below(3), self.below(4));
                format!(
                    "let f = {p} * 0.5; buf[{lo}..{lo} + 2].fill(f); a[..2].copy_from_slice(&buf[2..]); \
                     let mut {b} = a.to_vec(); {b}.reverse(); let c = {b}.clone(); \
                     {target} = {target} * 0.5 + c[{k}] * {b}[0] * 0.5;"
                )
            }
            5 => {
                let i = self.below(4);
                format!(
                    "let mut {b} = {p}; let q = std::mem::replace(&mut {b}, {q} * 0.5); \
                     std::mem::swap(&mut a[{i}], &mut {b}); {target} = {target} * 0.5 + {b} * q * 0.5;"
                )
            }
            6 => format!(
                "let ({b}, c) = ({p}).sin_cos(); \
                 {target} = {target} * 0.5 + {b} * c + *v.first().unwrap() * v.last().copied().unwrap() * 0.25;"
            ),
            _ => {
                let k = 1 + self.below(3);
                format!(
                    "let f = {p}; let (l, r) = buf.split_at_mut({k}); l[0] = l[0] * 0.5 + r[0] * f * 0.5; \
                     let (h, t) = v.split_at(1); {target} = {target} * 0.5 + h[0] * t[t.len() - 1] * 0.25;"
                )
            }
        };
        self.line(&format!("{{ {body} }}"));
    }
}
