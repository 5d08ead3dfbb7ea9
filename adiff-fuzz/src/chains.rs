//! Iterator chains in every position, `windows`/`chunks`, and array
//! destructuring, drawn from the generator's fourth stream (`Gen::chains`),
//! so adding them leaves the other streams' draws, and so the programs of
//! earlier seeds' other statements, as they were.
//!
//! A chain is a source (`v.iter()`, `a.iter()`, `v.windows(2)`,
//! `a.chunks(3)`, ...), adapters before the first `map` (`rev`, `skip`,
//! `take`, `step_by`, then perhaps `enumerate` or `zip`), a `map` or
//! `filter`, stages after it (`map`, `filter`, `skip`, `take`, `step_by`,
//! `enumerate`, `rev`), and a consumer (`sum`, `product`, `fold`, `count`,
//! `for_each`, `collect`, `max_by`/`min_by`/`reduce` with `unwrap`, or a
//! `for` loop). Chains whose consumer unwraps are never empty: `v` has at
//! least two elements, and they use only `rev`, `step_by` and `map`.
//!
//! The statements read the scalars in scope but declare none that later
//! statements see, so the other streams' choices among scalars stay the
//! same.

use super::Gen;

/// What a chain yields at some point.
#[derive(Clone, Copy, PartialEq)]
enum Item {
    /// `&f64` (`x.iter()`).
    Ref,
    /// A sub-slice of at least this many elements.
    Slice(usize),
    /// `(usize, &f64)` from `enumerate`.
    Counted,
    /// `(&f64, &f64)` from `zip`.
    Pair,
}

impl Gen<'_> {
    /// A number for this statement's names. It is the length of the output
    /// so far, so it is unique and leaves `Gen::next`, which names the
    /// other streams' locals, as it was.
    fn fresh(&self) -> usize {
        self.out.len()
    }

    /// A term from the fourth stream: never the scalar `target`.
    fn chain_atom(&mut self, target: &str) -> String {
        crate::term(&mut self.chains, &self.scalars, target, false)
    }

    /// One statement with a chain, a `windows`/`chunks` loop, or an array
    /// destructuring.
    pub(crate) fn chain_statement(&mut self) {
        let target = self.scalars[self.chains.below(self.scalars.len())].clone();
        match self.chains.below(6) {
            0 => self.destructure(&target),
            1 => self.slices_loop(&target),
            2 => self.extremum(&target),
            _ => self.chain(&target),
        }
    }

    /// `let [p, q] = [x, s];` or `let [p, q, r, s] = *ra;` with `ra = &a`.
    fn destructure(&mut self, target: &str) {
        let k = self.fresh();
        let names: Vec<String> = if self.chains.chance(50) {
            let (p, q) = (self.chain_atom(target), self.chain_atom(target));
            self.line(&format!("let [mut d{k}a, mut d{k}b] = [{p}, {q} * 0.5];"));
            vec![format!("d{k}a"), format!("d{k}b")]
        } else {
            self.line(&format!("let ra{k} = &a;"));
            // `[f64; N]::map` with a closure that captures scalars.
            let source = if self.chains.chance(40) {
                let (p, q) = (self.chain_atom(target), self.chain_atom(target));
                format!("ra{k}.map(|e| e * {p} + ({q}).sin())")
            } else {
                format!("*ra{k}")
            };
            self.line(&format!(
                "let [mut d{k}a, _, mut d{k}c, mut d{k}d] = {source};"
            ));
            vec![format!("d{k}a"), format!("d{k}c"), format!("d{k}d")]
        };
        let first = names[0].clone();
        let b = self.chain_atom(target);
        self.line(&format!("{first} = {first} * {b} + {target} * 0.25;"));
        self.line(&format!(
            "{target} = {target} * 0.5 + {} * 0.5;",
            names.join(" * ")
        ));
    }

    /// A `for` loop over `windows`, `chunks` or `chunks_exact`.
    fn slices_loop(&mut self, target: &str) {
        let k = self.fresh();
        let a = self.chain_atom(target);
        let (source, len) = self.slice_source();
        if self.chains.chance(50) {
            self.line(&format!("for (j{k}, w{k}) in {source}.enumerate() {{"));
            self.indent += 1;
            self.line(&format!(
                "{target} = {target} * 0.5 + (w{k}[0] - w{k}[w{k}.len() - 1] * {a}).sin() * (j{k} as f64 + 1.0) * 0.2;"
            ));
        } else {
            self.line(&format!("for w{k} in {source} {{"));
            self.indent += 1;
            let last = len - 1;
            self.line(&format!(
                "{target} += (w{k}[{last}] - w{k}[0] * {a}).powi(2) * 0.1 + w{k}.iter().map(|t| t * 0.1).sum::<f64>();"
            ));
        }
        self.indent -= 1;
        self.line("}");
    }

    /// A source of sub-slices, with the length every one has at least.
    fn slice_source(&mut self) -> (String, usize) {
        match self.chains.below(6) {
            0 => ("v.windows(2)".into(), 2),
            1 => ("a.windows(3)".into(), 3),
            2 => ("v.chunks(2)".into(), 1),
            3 => ("a.chunks(3)".into(), 1),
            4 => ("a.chunks_exact(2)".into(), 2),
            _ => ("v.chunks_exact(1)".into(), 1),
        }
    }

    /// `max_by`, `min_by` or `reduce` over a chain that is never empty.
    fn extremum(&mut self, target: &str) {
        let a = self.chain_atom(target);
        let mut chain = ["v.iter()", "a.iter()"][self.chains.below(2)].to_owned();
        if self.chains.chance(40) {
            chain.push_str(".rev()");
        }
        if self.chains.chance(30) {
            chain.push_str(&format!(".step_by({})", 1 + self.chains.below(3)));
        }
        chain.push_str(&format!(".map(|t| (t * {a}).sin() + t * 0.5)"));
        let consumer = match self.chains.below(5) {
            0 => ".max_by(|p, q| p.total_cmp(q)).unwrap()",
            1 => ".min_by(|p, q| p.partial_cmp(q).unwrap()).unwrap()",
            2 => ".max_by(f64::total_cmp).unwrap()",
            3 => ".reduce(f64::max).unwrap()",
            _ => ".reduce(|p, q| p * 0.5 + q).unwrap()",
        };
        self.line(&format!("{target} = {target} * 0.5 + {chain}{consumer};"));
    }

    /// A chain with adapters before and after its first `map`/`filter`.
    fn chain(&mut self, target: &str) {
        let a = self.chain_atom(target);
        let (mut chain, mut item) = if self.chains.chance(25) {
            let (s, len) = self.slice_source();
            (s, Item::Slice(len))
        } else {
            (
                ["v.iter()", "a.iter()"][self.chains.below(2)].to_owned(),
                Item::Ref,
            )
        };
        for _ in 0..self.chains.below(3) {
            chain.push_str(&match self.chains.below(4) {
                0 => ".rev()".to_owned(),
                1 => format!(".skip({})", self.chains.below(3)),
                2 => format!(".take({})", self.chains.below(4)),
                _ => format!(".step_by({})", 1 + self.chains.below(3)),
            });
        }
        // `rev` after an `enumerate` or `zip` that follows `rev` or
        // `step_by` is rejected (see `adapters.rs`).
        let moved = chain.contains(".rev()") || chain.contains(".step_by(");
        let mut counted = false;
        if item == Item::Ref {
            counted = moved;
            match self.chains.below(4) {
                0 => {
                    chain.push_str(".enumerate()");
                    item = Item::Counted;
                }
                1 => {
                    chain.push_str(".zip(a.iter().skip(1))");
                    item = Item::Pair;
                }
                _ => counted = false,
            }
        }
        // The first stage turns the item into a value (or filters it).
        let first = match item {
            Item::Ref if self.chains.chance(30) => {
                let l = self.chains.uniform(-1.0, 1.0);
                format!(".filter(|t| **t > {l:.2}).map(|&t| (t * {a}).tanh())")
            }
            Item::Ref => format!(".map(|t| (t * {a}).sin())"),
            Item::Slice(len) => format!(".map(|w| w[0] * {a} - w[{}] * 0.5)", len - 1),
            Item::Counted => format!(".map(|(j, t)| t * (j as f64 * 0.3 + {a}))"),
            Item::Pair => format!(".map(|(p, q)| p * q * {a})"),
        };
        chain.push_str(&first);
        let mut filtered = first.contains("filter");
        for _ in 0..self.chains.below(3) {
            let stage = match self.chains.below(7) {
                0 => {
                    filtered = true;
                    format!(".filter(|u| *u > {:.2})", self.chains.uniform(-0.8, 0.8))
                }
                1 => format!(".map(|u| (u * {a}).cos() * 0.5 + u)"),
                2 => format!(".skip({})", self.chains.below(3)),
                3 => format!(".take({})", self.chains.below(4)),
                4 => format!(".step_by({})", 1 + self.chains.below(2)),
                5 => ".enumerate().map(|(j, u)| u * (j as f64 + 1.0) * 0.5)".to_owned(),
                _ if !counted => ".rev()".to_owned(),
                _ => ".map(|u| u * 0.75)".to_owned(),
            };
            counted |= [".skip", ".take", ".step_by", ".enumerate"]
                .iter()
                .any(|s| stage.starts_with(s));
            chain.push_str(&stage);
        }
        self.consume(target, &chain, filtered);
    }

    /// A statement consuming `chain` into `target`.
    fn consume(&mut self, target: &str, chain: &str, filtered: bool) {
        let k = self.fresh();
        match self.chains.below(if filtered { 6 } else { 7 }) {
            0 => self.line(&format!(
                "{target} = {chain}.sum::<f64>() * 0.5 + {target};"
            )),
            1 => self.line(&format!(
                "{target} += {chain}.map(|u| 1.0 + 0.2 * u.tanh()).product::<f64>() * 0.25;"
            )),
            2 => self.line(&format!(
                "{target} = {chain}.fold({target} * 0.5, |acc, u| acc * 0.75 + u * 0.5);"
            )),
            3 => self.line(&format!(
                "{target} = {target} * 0.5 + {chain}.count() as f64 * 0.1;"
            )),
            4 => self.line(&format!("{chain}.for_each(|u| {target} += u * 0.25);")),
            5 => {
                self.line(&format!("for u{k} in {chain} {{"));
                self.indent += 1;
                self.line(&format!("{target} = {target} * 0.5 + u{k} * 0.5;"));
                self.indent -= 1;
                self.line("}");
            }
            _ => {
                self.line(&format!("let cv{k}: Vec<f64> = {chain}.collect();"));
                self.line(&format!(
                    "{target} += cv{k}.iter().sum::<f64>() * 0.5 + cv{k}.len() as f64 * 0.01;"
                ));
            }
        }
    }
}
