//! Numbered statement identities, for analyses that attach facts to
//! statements of an IR that no longer changes (reverse mode's prepared IR).
//!
//! Statements are numbered in textual pre-order (a statement before the
//! ones inside it), so numbers are small, deterministic from one build to
//! the next, and ordered like the source: `a < b` when `a` comes first.
//!
//! The IR's statements carry no id field: about five hundred construction
//! sites build statements, and transformations make new ones all the time.
//! Instead [`StmtIds`] borrows the function it numbers, so the borrow
//! checker guarantees that no statement is moved or changed while its
//! number is in use; a statement's address then identifies it, and that
//! lookup is confined to this module.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use super::{for_each_stmt, Func, Stmt};

/// The number of a statement in a [`StmtIds`] numbering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StmtId(pub u32);

impl fmt::Display for StmtId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s{}", self.0)
    }
}

/// The numbering of one function's statements.
///
/// ```ignore
/// let ids = StmtIds::number(&func);
/// let first = ids.of(&func.body[0]); // StmtId(0), printed `s0`
/// ```
pub struct StmtIds<'a> {
    by_addr: RefCell<HashMap<usize, StmtId>>,
    _func: PhantomData<&'a Func>,
}

impl<'a> StmtIds<'a> {
    /// Numbers every statement of `func`, nested blocks included, in
    /// pre-order from 0.
    pub fn number(func: &'a Func) -> Self {
        let mut by_addr = HashMap::new();
        let mut next = 0u32;
        for_each_stmt(&func.body, &mut |s| {
            by_addr.insert(addr(s), StmtId(next));
            next += 1;
        });
        StmtIds {
            by_addr: RefCell::new(by_addr),
            _func: PhantomData,
        }
    }

    /// The number of `s`. A statement outside the numbered function (one a
    /// transformation built) gets a fresh number above the function's own,
    /// the same every time it is asked, so identities never collide.
    pub fn of(&self, s: &Stmt) -> StmtId {
        let mut map = self.by_addr.borrow_mut();
        // Every number below `map.len()` is taken.
        let fresh = StmtId(u32::try_from(map.len()).unwrap_or(u32::MAX));
        *map.entry(addr(s)).or_insert(fresh)
    }
}

fn addr(s: &Stmt) -> usize {
    std::ptr::from_ref(s) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Atom, Op, Pat, VarId};
    use proc_macro2::Span;

    fn leaf(v: usize) -> Stmt {
        Stmt::Let {
            pat: Pat::Var(VarId(v)),
            init: Some(Op::Use(Atom::float(1.0))),
            span: Span::call_site(),
        }
    }

    #[test]
    fn statements_are_numbered_in_pre_order() {
        let f = Func {
            vars: Vec::new(),
            params: Vec::new(),
            ret: None,
            body: vec![
                leaf(0),
                Stmt::If {
                    cond: Atom::Var(VarId(0)),
                    then: vec![leaf(1)],
                    els: vec![leaf(2)],
                },
                leaf(3),
            ],
            checkpoints: Vec::new(),
        };
        let ids = StmtIds::number(&f);
        let Stmt::If { then, els, .. } = &f.body[1] else {
            unreachable!()
        };
        let got = [
            ids.of(&f.body[0]),
            ids.of(&f.body[1]),
            ids.of(&then[0]),
            ids.of(&els[0]),
            ids.of(&f.body[2]),
        ];
        assert_eq!(got.map(|i| i.0), [0, 1, 2, 3, 4]);
        assert_eq!(ids.of(&f.body[1]).to_string(), "s1");
        // A statement outside the function gets a fresh, stable number.
        let outside = leaf(9);
        let n = ids.of(&outside);
        assert!(n.0 >= 5);
        assert_eq!(ids.of(&outside), n);
    }
}
