//! A textual form of the IR, for verifier errors and IR snapshots in tests.
//!
//! It reads like the Rust it stands for, with the IR's own operations
//! spelled as functions (`select(c, a, b)`, `lin(x_dot * t0)`, `pop(t)`),
//! and uses the names codegen would give (`x_dot`, `t3`).

use std::fmt::Write;

use quote::ToTokens;

use super::{
    Arg, Atom, BinOp, Block, Const, Func, Op, Pat, Place, Proj, RangeAdapter, Role, Stmt, UnOp,
};
use crate::names::Names;

/// `func` as text, one statement per line.
pub fn print(func: &Func) -> String {
    let p = Printer {
        names: crate::names::assign(func),
        mutable: func
            .vars
            .iter()
            .enumerate()
            .filter(|(_, v)| v.mutable)
            .map(|(i, _)| super::VarId(i))
            .collect(),
    };
    let params: Vec<String> = func
        .params
        .iter()
        .map(|q| {
            let ty = q.ty.to_token_stream().to_string();
            format!("{}: {ty} [{}]", p.names.get(q.var), role(q.role))
        })
        .collect();
    let ret = func
        .ret
        .as_ref()
        .map(|t| format!(" -> {}", t.to_token_stream()))
        .unwrap_or_default();
    let mut out = format!("fn({}){ret} {{\n", params.join(", "));
    p.block(&func.body, 1, &mut out);
    out.push_str("}\n");
    out
}

struct Printer {
    names: Names,
    mutable: std::collections::HashSet<super::VarId>,
}

impl Printer {
    fn block(&self, b: &Block, depth: usize, out: &mut String) {
        for s in b {
            self.stmt(s, depth, out);
        }
    }

    fn line(&self, depth: usize, text: &str, out: &mut String) {
        let _ = writeln!(out, "{}{text}", "    ".repeat(depth));
    }

    fn nested(&self, head: &str, b: &Block, depth: usize, out: &mut String) {
        self.line(depth, &format!("{head} {{"), out);
        self.block(b, depth + 1, out);
        self.line(depth, "}", out);
    }

    fn stmt(&self, s: &Stmt, d: usize, out: &mut String) {
        let text = match s {
            Stmt::Let { pat, init, .. } => {
                let pat = match pat {
                    Pat::Var(v) if self.mutable.contains(v) => {
                        format!("mut {}", self.names.get(*v))
                    }
                    Pat::Var(v) => self.names.get(*v),
                    Pat::Tuple(vs) => {
                        let vs: Vec<String> = vs
                            .iter()
                            .map(|v| v.map_or("_".to_owned(), |v| self.names.get(v)))
                            .collect();
                        format!("({})", vs.join(", "))
                    }
                };
                match init {
                    Some(op) => format!("let {pat} = {};", self.op(op)),
                    None => format!("let {pat};"),
                }
            }
            Stmt::Assign { place, op, .. } => format!("{} = {};", self.place(place), self.op(op)),
            Stmt::Accum { place, op, .. } => format!("{} += {};", self.place(place), self.op(op)),
            Stmt::Eval { op, .. } => format!("{};", self.op(op)),
            Stmt::TapePush { tape, value } => {
                format!("push({}, {});", self.names.get(*tape), self.atom(value))
            }
            Stmt::Break(l) => format!("break{};", label(l.as_ref())),
            Stmt::Continue(l) => format!("continue{};", label(l.as_ref())),
            Stmt::Return(op) => match op {
                Some(op) => format!("return {};", self.op(op)),
                None => "return;".to_owned(),
            },
            Stmt::Assert { mac, args, .. } => {
                let args: Vec<String> = args.iter().map(|a| self.atom(a)).collect();
                format!("{}!({}, ..);", mac.to_token_stream(), args.join(", "))
            }
            Stmt::If { cond, then, els } => {
                self.nested(&format!("if {}", self.atom(cond)), then, d, out);
                if !els.is_empty() {
                    self.nested("else", els, d, out);
                }
                return;
            }
            Stmt::For {
                var,
                range,
                body,
                label: l,
            } => {
                let dots = if range.inclusive { "..=" } else { ".." };
                let mut iter = format!(
                    "({}{dots}{})",
                    self.atom(&range.start),
                    self.atom(&range.end)
                );
                for a in &range.adapters {
                    match a {
                        RangeAdapter::Rev => iter.push_str(".rev()"),
                        RangeAdapter::StepBy(k) => {
                            let _ = write!(iter, ".step_by({})", self.atom(k));
                        }
                        RangeAdapter::Take(k) => {
                            let _ = write!(iter, ".take({})", self.atom(k));
                        }
                        RangeAdapter::Skip(k) => {
                            let _ = write!(iter, ".skip({})", self.atom(k));
                        }
                    }
                }
                let head = format!(
                    "{}for {} in {iter}",
                    prefix(l.as_ref()),
                    self.names.get(*var)
                );
                return self.nested(&head, body, d, out);
            }
            Stmt::Loop { body, label: l } => {
                return self.nested(&format!("{}loop", prefix(l.as_ref())), body, d, out);
            }
            Stmt::Block { label: l, body } => {
                return self.nested(&format!("{l}:"), body, d, out);
            }
            Stmt::Match { scrut, arms } => {
                self.line(d, &format!("match {} {{", self.atom(scrut)), out);
                for (k, b) in arms {
                    self.nested(&format!("{k} =>"), b, d + 1, out);
                }
                self.line(d, "}", out);
                return;
            }
        };
        self.line(d, &text, out);
    }

    fn atom(&self, a: &Atom) -> String {
        match a {
            Atom::Var(v) => self.names.get(*v),
            Atom::Const(Const::Float(x)) => format!("{x:?}"),
            Atom::Const(Const::FloatT(x)) => format!("{x:?}_T"),
            Atom::Const(Const::Lit(l)) => l.to_token_stream().to_string(),
            Atom::Const(Const::Path(p)) => p.to_token_stream().to_string().replace(' ', ""),
            Atom::Const(Const::Unit) => "()".to_owned(),
        }
    }

    fn atoms(&self, xs: &[Atom]) -> String {
        xs.iter()
            .map(|a| self.atom(a))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn place(&self, p: &Place) -> String {
        let mut s = self.names.get(p.base);
        for proj in &p.proj {
            match proj {
                Proj::Index(a) => {
                    let _ = write!(s, "[{}]", self.atom(a));
                }
                Proj::Slice(b) => {
                    let lo = b.lo.as_ref().map(|a| self.atom(a)).unwrap_or_default();
                    let hi = b.hi.as_ref().map(|a| self.atom(a)).unwrap_or_default();
                    let dots = if b.inclusive { "..=" } else { ".." };
                    let _ = write!(s, "[{lo}{dots}{hi}]");
                }
                Proj::Field(i) => {
                    let _ = write!(s, ".{i}");
                }
                Proj::Named(f) => {
                    let _ = write!(s, ".{f}");
                }
                Proj::Deref => s = format!("(*{s})"),
            }
        }
        s
    }

    fn arg(&self, a: &Arg) -> String {
        match a {
            Arg::Value(x) => self.atom(x),
            Arg::Ref(p) => format!("&{}", self.place(p)),
            Arg::RefMut(p) => format!("&mut {}", self.place(p)),
            Arg::ZeroOf(inner) => format!("zero_of({})", self.arg(inner)),
            Arg::MutZeroOf(inner) => format!("&mut zero_of({})", self.arg(inner)),
        }
    }

    fn op(&self, op: &Op) -> String {
        match op {
            Op::Use(a) => self.atom(a),
            Op::Load(p) => self.place(p),
            Op::Bin(b, x, y) => format!("{} {} {}", self.atom(x), bin(*b), self.atom(y)),
            Op::Unary(UnOp::Neg, x) => format!("-{}", self.atom(x)),
            Op::Unary(UnOp::Not, x) => format!("!{}", self.atom(x)),
            Op::Cast(x, t) => format!("{} as {}", self.atom(x), t.to_token_stream()),
            Op::CastPrec(x, p) => format!("{} as {}", self.atom(x), p.name()),
            Op::Elem(e, xs, _) => format!("{}({})", e.name(), self.atoms(xs)),
            Op::Method(r, m, xs) => format!("{}.{m}({})", self.atom(r), self.atoms(xs)),
            Op::La(l, xs) => format!("la::{}({})", l.name(), self.atoms(xs)),
            Op::Grow(p) => format!("grow({})", self.place(p)),
            Op::Shrink(p) => format!("shrink({})", self.place(p)),
            Op::Call(c, args) => {
                let mut path = c.path.to_token_stream().to_string().replace(' ', "");
                if let Some(k) = c.derivative {
                    path.push_str(k.suffix());
                }
                let args: Vec<String> = args.iter().map(|a| self.arg(a)).collect();
                format!("{path}({})", args.join(", "))
            }
            Op::Tuple(xs) => format!("({})", self.atoms(xs)),
            Op::Array(xs) => format!("[{}]", self.atoms(xs)),
            Op::Repeat(x, n) => format!("[{}; {}]", self.atom(x), n.to_token_stream()),
            Op::VecRepeat(x, n) => format!("vec![{}; {}]", self.atom(x), self.atom(n)),
            Op::VecList(xs) => format!("vec![{}]", self.atoms(xs)),
            Op::Len(p) => format!("len({})", self.place(p)),
            Op::Ref(p, m) => format!("&{}{}", if *m { "mut " } else { "" }, self.place(p)),
            Op::Select(c, a, b) => {
                format!("select({})", self.atoms(&[c.clone(), a.clone(), b.clone()]))
            }
            Op::InRange {
                x,
                lo,
                hi,
                inclusive,
            } => {
                let end = |a: &Option<Atom>| a.as_ref().map(|a| self.atom(a)).unwrap_or_default();
                let dots = if *inclusive { "..=" } else { ".." };
                format!("in_range({}, {}{dots}{})", self.atom(x), end(lo), end(hi))
            }
            Op::Lin(terms) => {
                let terms: Vec<String> = terms
                    .iter()
                    .map(|t| {
                        let mut s = format!(
                            "{}{}",
                            if t.scale.neg { "-" } else { "+" },
                            self.atom(&t.value)
                        );
                        if let Some(m) = &t.scale.mul {
                            let _ = write!(s, " * {}", self.atom(m));
                        }
                        if let Some(d) = &t.scale.div {
                            let _ = write!(s, " / {}", self.atom(d));
                        }
                        s
                    })
                    .collect();
                format!("lin({})", terms.join(", "))
            }
            Op::ZeroLike(a) => format!("zero_like({})", self.atom(a)),
            Op::ZeroVec(a) => format!("zero_vec({})", self.atom(a)),
            Op::Default => "default()".to_owned(),
            Op::TapeNew(cap) => format!("tape({cap})"),
            Op::TapeNewOwned => "tape(owned)".into(),
            Op::TapePop(t) => format!("pop({})", self.names.get(*t)),
            Op::TapePeek(t, d) => format!("peek({}, {})", self.names.get(*t), self.atom(d)),
            Op::Ck(op, xs) => {
                let xs: Vec<String> = xs.iter().map(|a| self.atom(a)).collect();
                format!("ck_{}({})", op.name(), xs.join(", "))
            }
        }
    }
}

fn role(r: Role) -> &'static str {
    match r {
        Role::Constant => "constant",
        Role::Differentiable {
            mut_ref: false,
            wrt: true,
        } => "differentiable",
        Role::Differentiable {
            mut_ref: true,
            wrt: true,
        } => "differentiable, output",
        Role::Differentiable {
            mut_ref: false,
            wrt: false,
        } => "differentiable, not in wrt",
        Role::Differentiable {
            mut_ref: true,
            wrt: false,
        } => "differentiable, output, not in wrt",
        Role::Derived => "derived",
    }
}

fn label(l: Option<&syn::Lifetime>) -> String {
    l.map(|l| format!(" {l}")).unwrap_or_default()
}

fn prefix(l: Option<&syn::Lifetime>) -> String {
    l.map(|l| format!("{l}: ")).unwrap_or_default()
}

fn bin(b: BinOp) -> &'static str {
    match b {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Rem => "%",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
        BinOp::Eq => "==",
        BinOp::Ne => "!=",
        BinOp::BitAnd => "&",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
        BinOp::Shl => "<<",
        BinOp::Shr => ">>",
    }
}
