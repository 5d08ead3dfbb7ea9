//! Negative programs: a generated function with one unsupported construct
//! injected, which the macros must reject with a spanned compile error
//! rather than differentiate.
//!
//! Each construct reads or writes a value that carries a derivative (`x`,
//! `s0`, an element of `v`, or the `&mut` buffer `buf`), and where it makes
//! a value, that value is added to the function's result, so the construct
//! is involved in the derivative: dropping it would be a silent wrong
//! derivative. The construct goes at a random statement boundary of the
//! function's top level, after `s0` is declared.
//!
//! ```
//! let neg = adiff_fuzz::negatives::negative(5);
//! let lines: Vec<&str> = neg.source.lines().collect();
//! assert!(lines[neg.line - 1].contains(neg.construct.snippet));
//! assert_eq!(neg, adiff_fuzz::negatives::negative(5)); // deterministic
//! ```

use crate::Rng;

/// One unsupported construct: the code it injects and what the error
/// message must name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Construct {
    /// What the construct is, for the summary (`"unsafe block"`).
    pub name: &'static str,
    /// Text that the injected line contains, for finding it.
    pub snippet: &'static str,
    /// Text the compile error's message must contain.
    pub message: &'static str,
    /// The statement, with `{a}` for a differentiable scalar and `{n}` for
    /// the name of the value it makes (`None`: a statement on `buf`).
    template: &'static str,
    makes_value: bool,
}

/// Every construct the generator injects. Each stays unsupported by
/// design (raw pointers, `unsafe`) or until a later feature adds it, in
/// which case it moves to the positive generator.
pub const CONSTRUCTS: &[Construct] = &[
    Construct {
        name: "method without a derivative rule",
        snippet: ".copysign(",
        message: "method `copysign` cannot be differentiated",
        template: "let {n}: f64 = ({a}).copysign(-1.0);",
        makes_value: true,
    },
    Construct {
        name: "user trait method",
        snippet: ".frob(",
        message: "method `frob` cannot be differentiated",
        template: "let {n}: f64 = ({a}).frob();",
        makes_value: true,
    },
    Construct {
        name: "unsafe block",
        snippet: "unsafe {",
        message: "`unsafe` blocks are not supported",
        template: "let {n}: f64 = unsafe { {a} * 2.0 };",
        makes_value: true,
    },
    Construct {
        name: "raw pointer",
        snippet: "*const f64",
        message: "raw pointers are not supported",
        template: "let {n}: f64 = {a}; let _p{n} = &{n} as *const f64;",
        makes_value: true,
    },
    Construct {
        name: "closure given to a function",
        snippet: "apply(|",
        message: "a closure is supported only",
        template: "let {n}: f64 = apply(|t: f64| t * {a});",
        makes_value: true,
    },
    Construct {
        name: "named struct field",
        snippet: "Pair {",
        message: "named fields are read only from constants",
        template: "let {n}: f64 = Pair { a: {a}, b: 1.0 }.a;",
        makes_value: true,
    },
    Construct {
        name: "formatting macro",
        snippet: "format!(",
        message: "macro `format!` is not supported",
        template: "let {n}: f64 = format!(\"{}\", {a}).parse().unwrap();",
        makes_value: true,
    },
    Construct {
        name: "item inside the function",
        snippet: "fn inner",
        message: "items inside a differentiated function are not supported",
        template: "fn inner(t: f64) -> f64 { t } let {n}: f64 = inner({a});",
        makes_value: true,
    },
    Construct {
        name: "return inside a closure",
        snippet: "return t",
        message: "`return` inside a closure is not supported",
        template: "let c{n} = |t: f64| -> f64 { return t * {a}; }; let {n}: f64 = c{n}(x);",
        makes_value: true,
    },
    Construct {
        name: "interior mutability",
        snippet: "Cell::new(",
        message: "method `get` cannot be differentiated",
        template: "let {n}: f64 = std::cell::Cell::new({a}).get();",
        makes_value: true,
    },
    Construct {
        name: "float rebuilt from bits",
        snippet: "from_bits(",
        message: "a float built from bits cannot be differentiated",
        template: "let {n}: f64 = f64::from_bits(({a}).to_bits() + 1);",
        makes_value: true,
    },
    Construct {
        name: "buffer method without a derivative rule",
        snippet: "rotate_left(",
        message: "method `rotate_left` may change `buf`",
        template: "buf[1] = {a}; buf.rotate_left(1);",
        makes_value: false,
    },
    Construct {
        name: "buffer method with a closure",
        snippet: "sort_by(",
        message: "a closure is supported only",
        template: "buf[1] = {a}; buf.sort_by(|p, q| p.total_cmp(q));",
        makes_value: false,
    },
];

/// A negative program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Negative {
    /// The function with the construct injected (`fn gK(...) -> f64`).
    pub source: String,
    /// Its name, `gK`.
    pub name: String,
    /// The construct.
    pub construct: Construct,
    /// The 1-based line of `source` that holds the construct.
    pub line: usize,
}

/// The negative program for `seed`: the last function of
/// [`crate::program`]`(seed, 2)` with one construct injected.
#[must_use]
pub fn negative(seed: u64) -> Negative {
    let program = crate::program(seed, 2);
    let f = program.functions.last().expect("a program has functions");
    let mut rng = Rng::new(seed ^ 0x4E45_4741_5449_5645);
    let construct = CONSTRUCTS[rng.below(CONSTRUCTS.len())];
    let mut lines: Vec<String> = f.source.lines().map(str::to_owned).collect();
    let at = boundaries(&lines);
    let line = at[rng.below(at.len())];
    let atoms = ["x", "s0", "v[0]", "(x * s0)"];
    let a = atoms[rng.below(atoms.len())];
    let n = format!("neg{}", rng.below(100));
    let stmt = construct.template.replace("{a}", a).replace("{n}", &n);
    lines.insert(line, format!("    {stmt}"));
    if construct.makes_value {
        // The trailing expression, the line before the closing brace.
        let tail = lines.len() - 2;
        lines[tail] = format!("    ({}) + {n} * 0.5", lines[tail].trim());
    }
    let mut source = lines.join("\n");
    source.push('\n');
    Negative {
        source,
        name: f.name.clone(),
        construct,
        line: line + 1,
    }
}

/// The indices of lines before which a statement can go at the function's
/// top level: after the declaration of `s0` (line 2), before a line that
/// starts at brace depth 1 (the generator's indentation does not always
/// show the depth) and does not close a block.
fn boundaries(lines: &[String]) -> Vec<usize> {
    let mut depth = 0i64;
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if i >= 3 && i + 1 < lines.len() && depth == 1 && !l.trim_start().starts_with('}') {
            out.push(i);
        }
        depth += l.matches('{').count() as i64 - l.matches('}').count() as i64;
    }
    if out.is_empty() {
        vec![lines.len() - 2]
    } else {
        out
    }
}
