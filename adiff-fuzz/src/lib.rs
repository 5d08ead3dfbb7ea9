//! Random functions in the differentiable subset, deterministic from a seed.
//!
//! Each generated program is a list of functions `g0, g1, ...` with the
//! signature `fn gK(x: f64, v: &[f64], n: usize, buf: &mut [f64]) -> f64`.
//! `gK` may call `gJ` for `J < K`. Bodies mix nested loops with
//! data-dependent bounds, `break`, `continue`, early `return`, branches on
//! float comparisons, repeated reassignment, array reads and writes with
//! computed indices, writes to the `&mut` buffer, calls, and every
//! elementary function with its argument kept inside its domain; and, from a
//! second random stream, `rem_euclid`, closures (local and in iterator chains: `map`,
//! `zip`, `fold`, `for_each`, `fold(.., f64::max)`) and loops counted by
//! every integer type with `rev`, `step_by`, `break` and `continue`; and,
//! from a third stream, sub-slices (`&v[1..]`, `&mut buf[..]`, as call
//! arguments, loops, chains and `let` bindings) and calls to helpers
//! `tupK(p: (f64, f64), w: &[f64]) -> f64` with a tuple parameter
//! ([`Program::helpers`]); and, from a fourth stream, iterator chains
//! with adapters before and after `map` and `filter`, `windows`/`chunks`
//! loops and array destructuring (`chains.rs`). Each program also has helpers `hK` returning a
//! local `Vec<f64>` (early returns, `break` values, `Vec` locals of loops;
//! see `vecs.rs`), which the functions call with constant method results
//! as arguments.
//!
//! ```
//! let p = adiff_fuzz::program(7, 3);
//! assert_eq!(p.functions.len(), 3);
//! assert!(p.functions[2].source.starts_with("fn g2(x: f64, v: &[f64], n: usize, buf: &mut [f64]) -> f64"));
//! assert_eq!(p, adiff_fuzz::program(7, 3)); // deterministic
//! ```

use std::fmt::Write;

mod buffers;
mod chains;
pub mod linalg;
pub mod negatives;
mod slices;
mod vecs;

/// The number in environment variable `ADIFF_<name>` (say `FUZZ_SEED`),
/// or in `AUTODIFF_<name>`, the name it had before the crate was renamed,
/// so commands recorded with the old names still reproduce their runs.
///
/// ```
/// assert_eq!(adiff_fuzz::env_number("FUZZ_NO_SUCH_KNOB"), None);
/// ```
#[must_use]
pub fn env_number(name: &str) -> Option<u64> {
    ["ADIFF_", "AUTODIFF_"]
        .iter()
        .find_map(|prefix| std::env::var(format!("{prefix}{name}")).ok())
        .and_then(|s| s.parse().ok())
}

/// A small, fast, deterministic generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        lo + (hi - lo) * u
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// One generated function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    /// The whole item, `fn gK(...) -> f64 { ... }`, without attributes.
    pub source: String,
}

/// A generated program: functions in call order (each may call earlier ones).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    pub functions: Vec<Function>,
    /// Functions of other signatures that the `functions` call, in call
    /// order: `hK(x: f64, v: &[f64], n: usize) -> Vec<f64>` (`gK` may call
    /// `h0..=hK`, see `vecs.rs`) and `tupK(p: (f64, f64), w: &[f64]) -> f64`
    /// (a tuple parameter, see `slices.rs`). They are compiled with the
    /// functions and checked through them. Empty for [`base_program`].
    pub helpers: Vec<Function>,
}

/// Inputs for one evaluation of a generated function.
#[derive(Clone, Debug)]
pub struct Inputs {
    pub x: f64,
    pub v: Vec<f64>,
    pub n: usize,
    pub buf: Vec<f64>,
}

/// Random inputs for the generated signature.
#[must_use]
pub fn inputs(rng: &mut Rng) -> Inputs {
    let len = 2 + rng.below(4);
    Inputs {
        x: rng.uniform(-1.5, 1.5),
        v: (0..len).map(|_| rng.uniform(-1.5, 1.5)).collect(),
        n: rng.below(5),
        buf: (0..BUF).map(|_| rng.uniform(-1.0, 1.0)).collect(),
    }
}

/// The length of the `buf` argument the generator assumes.
pub const BUF: usize = 4;

/// The generated program for `seed`, with `count` functions.
#[must_use]
pub fn program(seed: u64, count: usize) -> Program {
    generate(seed, count, true)
}

/// The program for `seed` without the constructs of the second stream
/// (closures, chains, integer types): the generator as it was when the
/// reproducers of earlier fuzz findings were recorded, so their seeds still
/// give the same programs.
#[must_use]
pub fn base_program(seed: u64, count: usize) -> Program {
    generate(seed, count, false)
}

fn generate(seed: u64, count: usize, extended: bool) -> Program {
    let mut rng = Rng::new(seed);
    let mut helpers = Vec::new();
    let functions = (0..count)
        .map(|k| {
            // Helpers and their calls draw from streams of their own.
            let mut vecs = Rng::new(seed.wrapping_mul(0x9E6C_63D0_676A_9A99) ^ (k as u64 + 0x7EC5));
            if extended {
                helpers.push(vecs::helper(k, &mut vecs));
            }
            let mut g = Gen {
                vecs,
                ext: Rng::new(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ (k as u64 + 0xC105)),
                sub: Rng::new(seed.wrapping_mul(0x9E6C_63D0_676A_9A99) ^ (k as u64 + 0x51CE)),
                chains: Rng::new(seed.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ (k as u64 + 0xC4A1)),
                bufs: buffers::Stream::new(seed, k),
                helper: None,
                extended,
                rng: &mut rng,
                scalars: Vec::new(),
                next: 0,
                loop_depth: 0,
                loop_vars: Vec::new(),
                callable: k,
                out: String::new(),
                indent: 1,
                budget: 14,
            };
            let f = g.function(k);
            helpers.extend(g.helper.take());
            f
        })
        .collect();
    Program { functions, helpers }
}

struct Gen<'r> {
    rng: &'r mut Rng,
    /// A second stream for the constructs added later (closures, iterator
    /// chains, loops over every integer type). Drawing them from their own
    /// stream leaves the statements of the main stream as they were.
    ext: Rng,
    /// The stream of the calls of `Vec`-returning helpers (`vecs.rs`).
    vecs: Rng,
    /// A third stream, for sub-slices and tuple parameters (`slices.rs`),
    /// so adding them leaves the other two streams' draws as they were.
    sub: Rng,
    /// A fourth stream, for iterator chains, `windows`/`chunks` and array
    /// destructuring (`chains.rs`).
    chains: Rng,
    /// The stream of buffer-method statements (`buffers.rs`).
    bufs: buffers::Stream,
    /// This function's helper with a tuple parameter, if it has one.
    helper: Option<Function>,
    extended: bool,
    /// Scalar locals in scope (all `f64`, all `mut`).
    scalars: Vec<String>,
    next: usize,
    loop_depth: usize,
    /// Integer loop variables in scope.
    loop_vars: Vec<String>,
    /// Functions `g0..callable` may be called.
    callable: usize,
    out: String,
    indent: usize,
    /// Statements left to generate (keeps functions small).
    budget: usize,
}

impl Gen<'_> {
    fn function(&mut self, k: usize) -> Function {
        let name = format!("g{k}");
        self.line("let mut a: [f64; 4] = [0.25, -0.5, 0.75, 1.0];");
        self.line("let mut s0: f64 = x * 0.5 + v[0];");
        self.scalars.push("s0".into());
        self.next = 1;
        if self.extended && self.sub.chance(30) {
            let h = self.tuple_helper(k);
            self.call_helper(&h.name);
            self.helper = Some(h);
        }
        while self.budget > 0 {
            self.stmt(0);
        }
        // Often end in an accumulating loop whose total is returned as is:
        // the shape reverse mode fuses, when the body allows it.
        let tail = if self.rng.chance(40) {
            self.budget = 2 + self.rng.below(3);
            self.line("let mut acc: f64 = 0.0;");
            self.loop_depth += 1;
            self.loop_vars.push("i_acc".into());
            self.line("for i_acc in 0..n {");
            self.indent += 1;
            let scope = self.scalars.len();
            while self.budget > 0 {
                self.stmt(1);
            }
            let e = self.expr(2);
            self.line(&format!("acc += {e};"));
            self.scalars.truncate(scope);
            self.indent -= 1;
            self.line("}");
            self.loop_vars.pop();
            self.loop_depth -= 1;
            "acc".to_owned()
        } else {
            let e = self.expr(2);
            format!("{e} + a[1] * 0.5 + buf[0]")
        };
        let body = std::mem::take(&mut self.out);
        let mut source =
            format!("fn {name}(x: f64, v: &[f64], n: usize, buf: &mut [f64]) -> f64 {{\n");
        source.push_str(&body);
        let _ = writeln!(source, "    {tail}");
        source.push('}');
        Function { name, source }
    }

    fn line(&mut self, s: &str) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn scalar(&mut self) -> String {
        let i = self.rng.below(self.scalars.len());
        self.scalars[i].clone()
    }

    /// An integer index expression in `0..4`.
    fn index(&mut self) -> String {
        match self.rng.below(3) {
            0 if !self.loop_vars.is_empty() => {
                let i = self.rng.below(self.loop_vars.len());
                format!("({} + {}) % 4", self.loop_vars[i], self.rng.below(4))
            }
            1 => format!("(n + {}) % 4", self.rng.below(4)),
            _ => format!("{}", self.rng.below(4)),
        }
    }

    fn atom(&mut self) -> String {
        match self.rng.below(7) {
            0 => "x".into(),
            1 => format!("v[{} % v.len()]", self.index()),
            2 => format!("a[{}]", self.index()),
            3 => format!("buf[{}]", self.index()),
            4 => format!("{:.2}_f64", self.rng.uniform(-2.0, 2.0)),
            5 if !self.loop_vars.is_empty() => {
                let i = self.rng.below(self.loop_vars.len());
                format!("({} as f64 * 0.5)", self.loop_vars[i])
            }
            _ => self.scalar(),
        }
    }

    fn expr(&mut self, depth: usize) -> String {
        if depth == 0 || self.rng.chance(30) {
            return self.atom();
        }
        let a = self.expr(depth - 1);
        match self.rng.below(10) {
            0..=2 => {
                let b = self.expr(depth - 1);
                let op = ["+", "-", "*"][self.rng.below(3)];
                format!("({a} {op} {b})")
            }
            3 => {
                let b = self.expr(depth - 1);
                format!("({a} / (1.5 + {b} * {b}))")
            }
            4 if self.callable > 0 && self.rng.chance(40) => {
                let k = self.rng.below(self.callable);
                format!("g{k}({a}, v, n, buf)")
            }
            _ => self.elementary(&a, depth),
        }
    }

    /// An elementary function applied to `a`, with the argument mapped into
    /// its domain (and away from kinks where the function is not smooth).
    fn elementary(&mut self, a: &str, depth: usize) -> String {
        let b = self.expr(depth - 1);
        let t = format!("({a}).tanh()");
        // Bounded in [0.5, 1.5], so iterated powers cannot overflow (a
        // derivative through an infinite intermediate is NaN in any mode).
        let pos = format!("(({t}) * ({t}) + 0.5)");
        let k = self.rng.below(33);
        // Functions added since the reproducers were recorded come from the
        // second stream, after the first has drawn as it always did, so
        // base programs stay the same.
        if self.extended && self.ext.chance(4) {
            // `a / b` stays in (1.1, 1.8), away from the jumps of `rem_euclid`.
            return format!("(({t}) + 6.0).rem_euclid({pos} + 3.0)");
        }
        match k {
            0 => format!("({a}).sin()"),
            1 => format!("({a}).cos()"),
            2 => format!("({t} * 1.2).tan()"),
            3 => format!("({t} * 0.9).asin()"),
            4 => format!("({t} * 0.9).acos()"),
            5 => format!("({a}).atan()"),
            6 => format!("({a}).atan2({pos})"),
            7 => format!("({t}).sinh()"),
            8 => format!("({t}).cosh()"),
            9 => format!("({a}).tanh()"),
            10 => format!("({a}).asinh()"),
            11 => format!("({pos} + 1.0).acosh()"),
            12 => format!("({t} * 0.9).atanh()"),
            13 => format!("({t}).exp()"),
            14 => format!("({t}).exp2()"),
            15 => format!("({t}).exp_m1()"),
            16 => format!("{pos}.ln()"),
            17 => format!("{pos}.log({:.1})", self.rng.uniform(1.5, 4.0)),
            18 => format!("{pos}.log2()"),
            19 => format!("{pos}.log10()"),
            20 => format!("({a} * {a}).ln_1p()"),
            21 => format!("{pos}.sqrt()"),
            22 => format!("{pos}.cbrt()"),
            23 => format!("({t}).powi({})", 1 + self.rng.below(3)),
            24 => format!("{pos}.powf({:.1})", self.rng.uniform(0.5, 2.5)),
            25 => format!("{pos}.recip()"),
            26 => format!("({a} + 3.0).abs()"),
            27 => format!("({a}).hypot({b})"),
            28 => format!("({a}).mul_add({b}, 0.5)"),
            29 => format!("({a}).max({b})"),
            30 => format!("({a}).min({b})"),
            31 => format!("({a}).clamp(-0.8, 0.9)"),
            _ => format!("f64::sin({a}) * f64::floor({a} * 2.0)"),
        }
    }

    fn cond(&mut self) -> String {
        let a = self.expr(1);
        let b = self.expr(1);
        let op = ["<", ">", "<=", ">="][self.rng.below(4)];
        format!("{a} {op} {b}")
    }

    fn stmt(&mut self, depth: usize) {
        if self.budget == 0 {
            return;
        }
        if self.extended && self.ext.chance(12) {
            self.extension();
        }
        if self.extended && self.vecs.chance(10) {
            self.vec_statement();
        }
        if self.extended && self.sub.chance(10) {
            self.slice_statement();
        }
        if self.extended && self.chains.chance(10) {
            self.chain_statement();
        }
        if self.extended && self.bufs.chance(10) {
            self.buffer_statement();
        }
        self.budget -= 1;
        let choice = self.rng.below(if depth < 2 { 13 } else { 7 });
        match choice {
            0 | 1 => {
                let name = format!("s{}", self.next);
                self.next += 1;
                let e = self.expr(2);
                self.line(&format!("let mut {name}: f64 = {e};"));
                self.scalars.push(name);
            }
            2 => {
                let s = self.scalar();
                let e = self.expr(2);
                self.line(&format!("{s} = {e};"));
            }
            3 => {
                let s = self.scalar();
                let e = self.expr(2);
                let op = ["+=", "-=", "*="][self.rng.below(3)];
                let e = if op == "*=" {
                    format!("({e}).tanh() * 0.5 + 1.0")
                } else {
                    e
                };
                self.line(&format!("{s} {op} {e};"));
            }
            4 => {
                let i = self.index();
                let e = self.expr(2);
                self.line(&format!("a[{i}] = {e};"));
            }
            5 => {
                let i = self.index();
                let e = self.expr(1);
                self.line(&format!("buf[{i}] += {e};"));
            }
            6 if self.loop_depth > 0 => {
                let c = self.cond();
                let what = if self.rng.chance(50) {
                    "break"
                } else {
                    "continue"
                };
                self.line(&format!("if {c} {{ {what}; }}"));
            }
            6 | 7 => {
                let c = self.cond();
                self.block(&format!("if {c} {{"), depth);
                if self.rng.chance(50) {
                    self.block("} else {", depth);
                }
                self.line("}");
            }
            8 | 9 => {
                let i = format!("i{}", self.loop_depth);
                let bound = match self.rng.below(4) {
                    0 => "n".to_owned(),
                    1 => "v.len()".to_owned(),
                    2 => format!("{}", 1 + self.rng.below(4)),
                    _ => format!("((x * x * 2.0) as usize % 4 + {})", self.rng.below(2)),
                };
                let head = match self.rng.below(3) {
                    0 => format!("for {i} in (0..{bound}).rev() {{"),
                    _ => format!("for {i} in 0..{bound} {{"),
                };
                self.loop_depth += 1;
                self.loop_vars.push(i);
                self.block(&head, depth);
                self.loop_vars.pop();
                self.loop_depth -= 1;
                self.line("}");
            }
            10 => {
                // A while loop with a data-dependent trip count, bounded by a
                // counter incremented first (so `continue` cannot skip it).
                let k = format!("k{}", self.next);
                self.next += 1;
                let s = self.scalar();
                let limit = self.rng.uniform(0.5, 3.0);
                self.line(&format!("let mut {k} = 0;"));
                self.line(&format!("while {k} < 6 && {s} < {limit:.1} {{"));
                self.indent += 1;
                self.line(&format!("{k} += 1;"));
                let step = self.expr(1);
                self.line(&format!("{s} += 0.3 + ({step}).tanh() * 0.1;"));
                self.indent -= 1;
                self.loop_depth += 1;
                self.loop_vars.push(k.clone());
                self.block("{", depth);
                self.loop_vars.pop();
                self.loop_depth -= 1;
                self.line("}");
                self.line("}");
            }
            11 => {
                let c = self.cond();
                let e = self.expr(2);
                self.line(&format!("if {c} {{ return {e}; }}"));
            }
            _ => {
                let s = self.scalar();
                let e = self.expr(2);
                self.line(&format!("{s} = {s} * 0.5 + {e};"));
            }
        }
    }
    /// A term for the extension statements, from the extension stream:
    /// never the scalar `target` the statement assigns.
    fn ext_atom(&mut self, target: &str) -> String {
        term(&mut self.ext, &self.scalars, target, true)
    }

    /// One statement with a closure, an iterator chain, or a loop counted by
    /// an integer type other than `usize`.
    fn extension(&mut self) {
        let target = self.scalars[self.ext.below(self.scalars.len())].clone();
        let a = self.ext_atom(&target);
        let name = format!("c{}", self.next);
        self.next += 1;
        match self.ext.below(7) {
            0 => self.line(&format!(
                "{target} = v.iter().map(|t| (t * {a}).sin()).sum::<f64>() * 0.5 + {target};"
            )),
            1 => self.line(&format!(
                "{target} += v.iter().zip(a.iter()).map(|(p, q)| p * q * ({a}).tanh()).sum::<f64>();"
            )),
            2 => self.line(&format!(
                "{target} = v.iter().fold({target}, |acc, &t| acc * 0.5 + (t * {a}).tanh());"
            )),
            3 => self.line(&format!(
                "v.iter().enumerate().for_each(|(j, &t)| {target} += t * (j as f64) * 0.1 * ({a}).cos());"
            )),
            4 => {
                let b = self.ext_atom(&target);
                self.line(&format!("let {name} = |t: f64| (t * {a}).tanh() + 0.5;"));
                self.line(&format!(
                    "{target} = {name}({b}) * {name}({target}) * 0.5 + {target} * 0.5;"
                ));
            }
            5 => self.line(&format!(
                "{target} = v.iter().skip(1).map(|&t| t * {a}).map(|u| u * u).fold(f64::NEG_INFINITY, f64::max).max(-2.0) * 0.25 + {target};"
            )),
            _ => {
                const INTS: [&str; 11] = [
                    "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128", "isize",
                ];
                let t = INTS[self.ext.below(INTS.len())];
                let head = match self.ext.below(3) {
                    0 => format!("for {name} in 1..=(n as {t} + 1) {{"),
                    1 => format!("for {name} in (0..(n as {t} + 2)).rev() {{"),
                    _ => format!("for {name} in (0..(n as {t} + 2)).step_by(2) {{"),
                };
                self.line(&head);
                self.indent += 1;
                let exit = ["continue", "break"][self.ext.below(2)];
                let limit = self.ext.uniform(-1.0, 1.0);
                self.line(&format!(
                    "if {name} % 3 == 2 && {target} > {limit:.1} {{ {exit}; }}"
                ));
                self.line(&format!(
                    "{target} = {target} * 0.5 + ({name} as f64 * {a}).sin() * 0.1;"
                ));
                self.indent -= 1;
                self.line("}");
            }
        }
    }

    /// `head`, then an indented block of statements (scope-limited locals).
    fn block(&mut self, head: &str, depth: usize) {
        self.line(head);
        self.indent += 1;
        let scope = self.scalars.len();
        let n = 1 + self.rng.below(3);
        for _ in 0..n {
            self.stmt(depth + 1);
        }
        if self.out.ends_with("{\n") {
            self.line("s0 += 0.1;");
        }
        self.scalars.truncate(scope);
        self.indent -= 1;
    }
}

/// A term of a generated expression, drawn from `rng`: `x`, an element of
/// `v`, `a` or (with `with_buf`) `buf`, a scalar other than `target`, or a
/// literal. Each stream of the generator draws its terms here, so the
/// choices are made the same way in every stream and recorded seeds keep
/// their programs.
fn term(rng: &mut Rng, scalars: &[String], target: &str, with_buf: bool) -> String {
    let others: Vec<&String> = scalars.iter().filter(|s| *s != target).collect();
    let kind = rng.below(if with_buf { 6 } else { 5 });
    // Without `buf` the kinds after `a[..]` move down by one.
    let kind = if !with_buf && kind >= 3 {
        kind + 1
    } else {
        kind
    };
    match kind {
        0 => "x".into(),
        1 => format!("v[{} % v.len()]", rng.below(4)),
        2 => format!("a[{}]", rng.below(4)),
        3 => format!("buf[{}]", rng.below(4)),
        4 if !others.is_empty() => others[rng.below(others.len())].clone(),
        _ => format!("{:.2}_f64", rng.uniform(-1.5, 1.5)),
    }
}
