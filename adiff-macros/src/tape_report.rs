//! What a reverse sweep records, read off the finished `_vjp` IR: each tape,
//! the type of the values it holds, where they are pushed, and how many
//! values that makes, as a formula in the loops' trip counts (`n·m f64`).
//!
//! The report is derived from the output of the transformation, not from
//! its decisions, so it describes exactly the code that runs. `expand`
//! puts it in the `_vjp`'s doc comment (which `cargo expand` and rustdoc
//! show) and in `<f>_vjp_tapes()`, the same figures as data.
//!
//! Trip counts are written from the loop headers: `n` for `for i in 0..n`,
//! `x.len()` for a loop over a slice, `⌈n / k⌉` with `step_by(k)`. A `loop`
//! or `while` has no header count, so its iterations are named `k1`, `k2`,
//! ... in order. A push inside a branch makes the size an upper bound (`≤`).

use std::collections::HashMap;

use quote::ToTokens;

use crate::ir::{Atom, Block, Const, Func, Op, Pat, Range, RangeAdapter, Stmt, VarId};
use crate::names::Names;
use crate::ty::{Prec, Ty};

/// One tape of a reverse sweep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TapeUse {
    /// The tape's name in the generated code (`s_tape`).
    pub tape: String,
    /// The type of the values pushed (`f64`, `Vec<f64>`).
    pub elem: String,
    /// Where values are pushed: `once per call`, or `per iteration of
    /// `for i in 0..n``, one entry per push site.
    pub pushed: Vec<String>,
    /// How many values, at most: `n·m`, `2`, `≤ k1`.
    pub count: String,
}

struct Walk<'a> {
    names: &'a Names,
    /// The definitions of single-`let` variables, to print a trip count
    /// from what a temporary stands for.
    defs: HashMap<VarId, Op>,
    /// The trip counts of the loops around the current statement.
    loops: Vec<(String, String)>,
    /// Whether the current statement is inside a branch.
    branch: usize,
    next_loop: usize,
    /// Per tape, in order of first push: its element type and push sites
    /// (loop headers, trip counts, whether conditional).
    tapes: Vec<(VarId, String, Vec<Site>)>,
}

struct Site {
    headers: Vec<String>,
    trips: Vec<String>,
    conditional: bool,
}

/// The tapes that the reverse-mode function `f` pushes to.
pub fn report(f: &Func, names: &Names) -> Vec<TapeUse> {
    let mut defs = HashMap::new();
    crate::ir::for_each_stmt(&f.body, &mut |s| {
        if let Stmt::Let {
            pat: Pat::Var(v),
            init: Some(op),
            ..
        } = s
        {
            defs.insert(*v, op.clone());
        }
    });
    let mut w = Walk {
        names,
        defs,
        loops: Vec::new(),
        branch: 0,
        next_loop: 0,
        tapes: Vec::new(),
    };
    w.block(f, &f.body);
    w.tapes
        .into_iter()
        .map(|(t, elem, sites)| TapeUse {
            tape: names.get(t),
            elem,
            pushed: sites.iter().map(where_pushed).collect(),
            count: count(&sites),
        })
        .collect()
}

fn where_pushed(s: &Site) -> String {
    let place = if s.headers.is_empty() {
        "once per call".to_owned()
    } else {
        let loops: Vec<String> = s.headers.iter().rev().map(|h| format!("`{h}`")).collect();
        format!("per iteration of {}", loops.join(" in "))
    };
    if s.conditional {
        format!("{place}, when a branch is taken")
    } else {
        place
    }
}

/// The sum over sites of the product of their trip counts.
fn count(sites: &[Site]) -> String {
    let mut terms: Vec<(String, usize)> = Vec::new();
    for s in sites {
        let term = if s.trips.is_empty() {
            "1".to_owned()
        } else {
            s.trips.join("·")
        };
        match terms.iter_mut().find(|(t, _)| *t == term) {
            Some((_, n)) => *n += 1,
            None => terms.push((term, 1)),
        }
    }
    let text: Vec<String> = terms
        .into_iter()
        .map(|(t, n)| match (t.as_str(), n) {
            (_, 1) => t,
            ("1", n) => n.to_string(),
            (t, n) => format!("{n}·{t}"),
        })
        .collect();
    let bound = if sites.iter().any(|s| s.conditional) {
        "≤ "
    } else {
        ""
    };
    format!("{bound}{}", text.join(" + "))
}

impl Walk<'_> {
    fn block(&mut self, f: &Func, b: &Block) {
        for s in b {
            match s {
                Stmt::TapePush { tape, value } => self.push(f, *tape, value),
                Stmt::For {
                    var, range, body, ..
                } => {
                    let header = format!("for {} in {}", self.names.get(*var), self.range(range));
                    let trips = self.trips(range);
                    self.looped(f, header, trips, body);
                }
                Stmt::Loop { body, .. } => {
                    self.next_loop += 1;
                    let k = format!("k{}", self.next_loop);
                    self.looped(f, format!("loop {k}"), k, body);
                }
                Stmt::If { then, els, .. } => {
                    self.branch += 1;
                    self.block(f, then);
                    self.block(f, els);
                    self.branch -= 1;
                }
                Stmt::Match { arms, .. } => {
                    self.branch += 1;
                    for (_, b) in arms {
                        self.block(f, b);
                    }
                    self.branch -= 1;
                }
                Stmt::Block { body, .. } => self.block(f, body),
                _ => {}
            }
        }
    }

    fn looped(&mut self, f: &Func, header: String, trips: String, body: &Block) {
        self.loops.push((header, trips));
        self.block(f, body);
        self.loops.pop();
    }

    fn push(&mut self, f: &Func, tape: VarId, value: &Atom) {
        let site = Site {
            headers: self.loops.iter().map(|(h, _)| h.clone()).collect(),
            trips: self.loops.iter().map(|(_, t)| t.clone()).collect(),
            conditional: self.branch > 0,
        };
        match self.tapes.iter_mut().find(|(t, ..)| *t == tape) {
            Some((.., sites)) => sites.push(site),
            None => {
                let elem = ty_name(&crate::typing::atom_ty(f, value));
                self.tapes.push((tape, elem, vec![site]));
            }
        }
    }

    /// The source-like text of `a`: a user name, a literal, or the
    /// expression a temporary stands for (`x.len()`).
    fn atom(&self, a: &Atom) -> String {
        match a {
            Atom::Const(Const::Float(x)) => format!("{x:?}"),
            Atom::Const(Const::Lit(l)) => l.to_token_stream().to_string(),
            Atom::Const(Const::Path(p)) => p.to_token_stream().to_string().replace(' ', ""),
            Atom::Const(Const::Unit) => "()".to_owned(),
            Atom::Var(v) => match self.defs.get(v) {
                Some(Op::Len(p)) => format!("{}.len()", self.names.get(p.base)),
                Some(Op::Use(inner)) => self.atom(inner),
                _ => self.names.get(*v),
            },
        }
    }

    fn range(&self, r: &Range) -> String {
        let dots = if r.inclusive { "..=" } else { ".." };
        let mut s = format!("{}{dots}{}", self.atom(&r.start), self.atom(&r.end));
        for a in &r.adapters {
            match a {
                RangeAdapter::Rev => s = format!("({s}).rev()"),
                RangeAdapter::StepBy(k) => s = format!("({s}).step_by({})", self.atom(k)),
                RangeAdapter::Take(k) => s = format!("({s}).take({})", self.atom(k)),
                RangeAdapter::Skip(k) => s = format!("({s}).skip({})", self.atom(k)),
            }
        }
        s
    }

    /// The number of iterations of a range loop, as a formula.
    fn trips(&self, r: &Range) -> String {
        let start = self.atom(&r.start);
        let end = self.atom(&r.end);
        let mut n = match (start.as_str(), r.inclusive) {
            ("0", false) => end,
            ("0", true) => format!("({end} + 1)"),
            (_, false) => format!("({end} - {start})"),
            (_, true) => format!("({end} - {start} + 1)"),
        };
        for a in &r.adapters {
            match a {
                RangeAdapter::Rev => {}
                RangeAdapter::StepBy(k) => n = format!("⌈{n} / {}⌉", self.atom(k)),
                RangeAdapter::Take(k) => n = format!("min({n}, {})", self.atom(k)),
                RangeAdapter::Skip(k) => n = format!("max({n} - {}, 0)", self.atom(k)),
            }
        }
        n
    }
}

fn ty_name(t: &Ty) -> String {
    match t {
        Ty::Float(Some(Prec::F32)) => "f32".to_owned(),
        Ty::Float(Some(Prec::F64)) => "f64".to_owned(),
        Ty::Float(None) => "float".to_owned(),
        Ty::Int => "integer".to_owned(),
        Ty::Bool => "bool".to_owned(),
        Ty::Unit => "()".to_owned(),
        Ty::Array(e) => format!("[{}; _]", ty_name(e)),
        Ty::Slice(e) => format!("[{}]", ty_name(e)),
        Ty::Vec(e) => format!("Vec<{}>", ty_name(e)),
        Ty::Tuple(es) => format!(
            "({})",
            es.iter().map(ty_name).collect::<Vec<_>>().join(", ")
        ),
        Ty::Ref(m, e) => format!("&{}{}", if *m { "mut " } else { "" }, ty_name(e)),
        Ty::Other | Ty::Opaque | Ty::Unknown => "value".to_owned(),
    }
}

/// The report as doc-comment text: a "What the reverse sweep records"
/// section with one line per tape.
pub fn doc(tapes: &[TapeUse]) -> String {
    let mut s = String::from("\n\n# What the reverse sweep records\n\n");
    if tapes.is_empty() {
        s.push_str("Nothing: every value the reverse sweep needs is recomputed or still live.");
        return s;
    }
    for t in tapes {
        s.push_str(&format!(
            "- `{}`: {} `{}` ({}).\n",
            t.tape,
            t.count,
            t.elem,
            t.pushed.join("; ")
        ));
    }
    s.pop();
    s
}
