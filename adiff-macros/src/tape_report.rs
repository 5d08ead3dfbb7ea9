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
//!
//! A checkpointed loop's tapes hold one iteration at a time (binomial) or
//! one segment of `⌈√T⌉` iterations (periodic), which is what their sizes
//! say; its snapshots are listed as one more entry, `checkpoints`.

use std::collections::HashMap;

use quote::ToTokens;

use crate::ir::{Atom, Block, CkOp, Const, Func, Op, Pat, Range, RangeAdapter, Stmt, VarId};
use crate::names::Names;
use crate::ty::Ty;

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
    } else if s.headers[0].starts_with("snapshots") {
        s.headers[0].clone()
    } else {
        // A header with its own quotes carries a remark after the code.
        let quote = |h: &String| {
            if h.contains('`') {
                h.clone()
            } else {
                format!("`{h}`")
            }
        };
        let loops: Vec<String> = s.headers.iter().rev().map(quote).collect();
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
                } => match self.turn_of(&range.start) {
                    Some((op, args)) => {
                        let span = self.span_text(&args[0], &args[1]);
                        let (what, trips) = match op {
                            CkOp::Binomial | CkOp::Within => {
                                ("one iteration at a time", "1".to_owned())
                            }
                            _ => ("one segment at a time", format!("⌈√{span}⌉")),
                        };
                        let header = format!(
                            "`for {} in {}..{}` (checkpointed: {what})",
                            self.names.get(*var),
                            self.atom(&args[0]),
                            self.atom(&args[1])
                        );
                        self.looped(f, header, trips, body);
                    }
                    None => {
                        let header =
                            format!("for {} in {}", self.names.get(*var), self.range(range));
                        let trips = self.trips(range);
                        self.looped(f, header, trips, body);
                    }
                },
                // A checkpointed loop's schedule: its turn is the loop.
                Stmt::Loop { body, .. } if self.schedule_of(body).is_some() => {
                    for s in body {
                        if let Stmt::Match { arms, .. } = s {
                            for (_, b) in arms {
                                self.block(f, b);
                            }
                        }
                    }
                }
                Stmt::Eval {
                    op: Op::Ck(CkOp::Save, xs),
                    ..
                } => self.snapshots(f, xs),
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

    /// The schedule a checkpointed loop's driver (`loop { let action =
    /// checkpoints.next_action(); match .. }`) follows, as its constructor.
    fn schedule_of(&self, body: &Block) -> Option<(CkOp, Vec<Atom>)> {
        match body.first() {
            Some(Stmt::Let {
                init: Some(Op::Ck(CkOp::Next, xs)),
                ..
            }) => self.schedule_atom(xs.first()?),
            _ => None,
        }
    }

    /// The constructor of the schedule variable `a`.
    fn schedule_atom(&self, a: &Atom) -> Option<(CkOp, Vec<Atom>)> {
        match self.defs.get(&a.var()?) {
            Some(Op::Ck(op @ (CkOp::Binomial | CkOp::Periodic | CkOp::Within), xs)) => {
                Some((*op, xs.clone()))
            }
            _ => None,
        }
    }

    /// The schedule whose `lo()` atom `a` is, for a turn's range.
    fn turn_of(&self, a: &Atom) -> Option<(CkOp, Vec<Atom>)> {
        match self.defs.get(&a.var()?) {
            Some(Op::Ck(CkOp::Lo, xs)) => self.schedule_atom(xs.first()?),
            _ => None,
        }
    }

    /// The snapshots a schedule stores, as one more entry.
    fn snapshots(&mut self, f: &Func, xs: &[Atom]) {
        let (Some(ck), Some(state)) = (xs.first(), xs.get(1)) else {
            return;
        };
        let Some((op, args)) = self.schedule_atom(ck) else {
            return;
        };
        let Some(v) = ck.var() else { return };
        let (start, end) = (&args[0], &args[1]);
        let header = format!(
            "checkpointed `for _ in {}..{}`",
            self.atom(start),
            self.atom(end)
        );
        let trips = self.span_text(start, end);
        let count = match op {
            CkOp::Binomial => args.get(2).map_or("S".to_owned(), |a| self.atom(a)),
            CkOp::Within => format!(
                "max(1, {} bytes ÷ one snapshot's)",
                args.get(2).map_or("B".to_owned(), |a| self.atom(a))
            ),
            _ => format!("⌈√{trips}⌉"),
        };
        let site = Site {
            headers: vec![format!("snapshots of the state of {header}")],
            trips: vec![format!("≤ {count}")],
            conditional: false,
        };
        if !self.tapes.iter().any(|(t, ..)| *t == v) {
            let elem = ty_name(&crate::typing::atom_ty(f, state));
            self.tapes.push((v, elem, vec![site]));
        }
    }

    /// `end - start` as a formula.
    fn span_text(&self, start: &Atom, end: &Atom) -> String {
        match self.atom(start).as_str() {
            "0" => self.atom(end),
            s => format!("({} - {s})", self.atom(end)),
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
            Atom::Const(Const::Float(x) | Const::FloatT(x)) => format!("{x:?}"),
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
        Ty::Float(Some(p)) => p.name(),
        Ty::Float(None) => "float".to_owned(),
        Ty::Int => "integer".to_owned(),
        Ty::Bool => "bool".to_owned(),
        Ty::Unit => "()".to_owned(),
        Ty::Array(e) => format!("[{}; _]", ty_name(e)),
        Ty::Slice(e) => format!("[{}]", ty_name(e)),
        Ty::Vec(e) => format!("Vec<{}>", ty_name(e)),
        Ty::La(p) => format!("nalgebra matrix of {}", p.name()),
        Ty::Tuple(es) => format!(
            "({})",
            es.iter().map(ty_name).collect::<Vec<_>>().join(", ")
        ),
        Ty::Ref(m, e) => format!("&{}{}", if *m { "mut " } else { "" }, ty_name(e)),
        Ty::Struct(s) => s.name.clone(),
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
