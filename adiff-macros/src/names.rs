//! Readable, collision-free names for every variable of an IR function.
//!
//! User variables keep their names (a shadowed name gets a suffix, `x_2`),
//! tangents are `<name>_dot`, temporaries are numbered `t0, t1, ...` in order
//! of appearance, and temporaries with a hint (a loop index `i`, an
//! accumulator `sum`) use the hint. No generated name equals a name the user
//! wrote, so the expansion reads unambiguously.

use std::collections::{HashMap, HashSet};

use crate::convention::{ADJOINT_SUFFIX, TANGENT_SUFFIX};
use crate::ir::{Block, Func, Origin, Pat, Stmt, VarId};

pub struct Names {
    names: HashMap<VarId, String>,
}

impl Names {
    pub fn get(&self, v: VarId) -> String {
        self.names
            .get(&v)
            .cloned()
            .unwrap_or_else(|| format!("v{}", v.0))
    }
}

struct Alloc<'f> {
    func: &'f Func,
    taken: HashSet<String>,
    names: HashMap<VarId, String>,
    next_temp: usize,
}

pub fn assign(func: &Func) -> Names {
    let mut a = Alloc {
        func,
        taken: func
            .vars
            .iter()
            .filter(|v| v.origin == Origin::User)
            .map(|v| v.name.clone())
            .collect(),
        names: HashMap::new(),
        next_temp: 0,
    };
    let mut seen_user = HashSet::new();
    for p in &func.params {
        a.name(p.var, &mut seen_user);
    }
    a.block(&func.body, &mut seen_user);
    Names { names: a.names }
}

impl Alloc<'_> {
    fn fresh(&mut self, base: &str) -> String {
        if !self.taken.contains(base) {
            self.taken.insert(base.to_owned());
            return base.to_owned();
        }
        (2..)
            .map(|k| format!("{}_{k}", base.trim_start_matches("r#")))
            .find(|n| !self.taken.contains(n))
            .inspect(|n| {
                self.taken.insert(n.clone());
            })
            .unwrap_or_default()
    }

    fn name(&mut self, v: VarId, seen_user: &mut HashSet<String>) {
        if self.names.contains_key(&v) {
            return;
        }
        let info = &self.func.vars[v.0];
        let name = match &info.origin {
            Origin::User => {
                if seen_user.insert(info.name.clone()) {
                    info.name.clone()
                } else {
                    let base = info.name.clone();
                    self.fresh(&base)
                }
            }
            Origin::Temp if !info.name.is_empty() => {
                let base = info.name.clone();
                self.fresh(&base)
            }
            Origin::Temp => loop {
                let n = format!("t{}", self.next_temp);
                self.next_temp += 1;
                if !self.taken.contains(&n) {
                    self.taken.insert(n.clone());
                    break n;
                }
            },
            Origin::Copy(p) => {
                let p = *p;
                self.name(p, seen_user);
                self.names.get(&p).cloned().unwrap_or_default()
            }
            Origin::Tape(p) => {
                let suffix = format!("{}_tape", info.name);
                self.derived(*p, &suffix, seen_user)
            }
            Origin::Adjoint(p) => self.derived(*p, ADJOINT_SUFFIX, seen_user),
            Origin::Tangent(p) => self.derived(*p, TANGENT_SUFFIX, seen_user),
        };
        self.names.insert(v, name);
    }

    /// `<name of p><suffix>`, such as `x_dot` for the tangent of `x`.
    fn derived(&mut self, p: VarId, suffix: &str, seen_user: &mut HashSet<String>) -> String {
        self.name(p, seen_user);
        let primal = self
            .names
            .get(&p)
            .map_or("v", |n| n.trim_start_matches("r#"))
            .to_owned();
        self.fresh(&format!("{primal}{suffix}"))
    }

    /// Names every variable a statement of `b` declares, in order.
    fn block(&mut self, b: &Block, seen: &mut HashSet<String>) {
        let mut declared = Vec::new();
        crate::ir::for_each_stmt(b, &mut |s| match s {
            Stmt::Let {
                pat: Pat::Var(v), ..
            }
            | Stmt::For { var: v, .. } => declared.push(*v),
            Stmt::Let {
                pat: Pat::Tuple(vs),
                ..
            } => declared.extend(vs.iter().flatten()),
            _ => {}
        });
        for v in declared {
            self.name(v, seen);
        }
    }
}
