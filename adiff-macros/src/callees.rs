//! A clear error for a call to a function that has no derivative.
//!
//! The derivative of `f` calls `g_jvp` (or `g_vjp`) for each call to `g`.
//! When that function does not exist, rustc's own error says only "cannot
//! find function `g_jvp`", and may suggest `f_jvp` instead. Stable Rust
//! offers no way to add a note to that error or to fall back when a name
//! is missing, so the macro looks for itself: it reads the source file it
//! was invoked from (`proc_macro::Span::local_file`) and, only when it can
//! be sure, reports the missing derivative and how to provide it.
//!
//! Sure means: `g` is a free function defined in this file, every
//! definition of it has only attributes that make no derivatives of the
//! kind needed, the file has no glob `use` (which could bring `g_vjp` in
//! unseen), and the name `g_vjp` appears nowhere in the file. Otherwise the
//! call is left to rustc.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::SystemTime;

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

use crate::convention::Kind;
use crate::diag::Diags;
use crate::ir::{Block, Func, Op};

/// Attributes that define no derivative; any other attribute on `g` might
/// (a user macro, `cfg_attr`), so the check then stays silent.
const INERT: &[&str] = &[
    "doc",
    "inline",
    "cold",
    "must_use",
    "allow",
    "warn",
    "deny",
    "forbid",
    "expect",
    "deprecated",
    "track_caller",
    "cfg",
    "jvp",
    "vjp",
    "grad",
    "hvp",
    "hessian",
    "jvp(nested)",
    "grad(nested)",
];

/// Reports every function that the derivative `ir` (of kind `kind`) of
/// `body` calls through a derivative that surely does not exist, once, at
/// its first call in `body`.
pub fn check(ir: &Func, kind: Kind, body: &syn::Block, file: Option<&Path>, diags: &mut Diags) {
    let mut derived = Vec::new();
    collect_calls(&ir.body, &mut derived);
    if derived.is_empty() {
        return;
    }
    let Some(index) = file.and_then(FileIndex::cached) else {
        return;
    };
    let derived: HashSet<String> = derived.iter().map(ToString::to_string).collect();
    let mut calls = CallsInOrder::default();
    calls.visit_block(body);
    let mut reported = HashSet::new();
    // A derivative of a derivative calls `g_jvp` in its forward sweep and
    // `g_jvp_vjp` in its reverse sweep.
    let needs_all = match kind.of_callees() {
        Kind::JvpVjp => vec![Kind::Jvp, Kind::JvpVjp],
        needs => vec![needs],
    };
    for ident in calls.0 {
        let name = ident.to_string();
        if !derived.contains(&name) {
            continue;
        }
        for &needs in &needs_all {
            let wanted = format!("{name}{}", needs.suffix());
            // A call to a generated `g_jvp` or `g_grad`: its derivative is
            // made by `g`'s attribute with `nested`.
            let (defined, needs) = match derivative_of(&name, needs) {
                Some((base, nested)) => (base, nested),
                None => (name.as_str(), needs),
            };
            if index.surely_missing(defined, &wanted, needs) && reported.insert(name.clone()) {
                report(&ident, defined, &wanted, needs, kind, diags);
            }
        }
    }
}

/// For a callee named like a generated derivative (`g_jvp`, `g_grad`) and
/// the kind `needs` its caller calls: the function it derives (`g`) and the
/// kind of the derivative of the derivative (`g_jvp_jvp` is a
/// [`Kind::JvpJvp`]).
fn derivative_of(name: &str, needs: Kind) -> Option<(&str, Kind)> {
    let pairs = [
        (Kind::Jvp, Kind::Jvp, Kind::JvpJvp),
        (Kind::Jvp, Kind::Vjp, Kind::JvpVjp),
        (Kind::Grad, Kind::Jvp, Kind::GradJvp),
        (Kind::Grad, Kind::Vjp, Kind::GradVjp),
    ];
    pairs.iter().find_map(|&(inner, outer, nested)| {
        let base = name.strip_suffix(inner.suffix())?;
        (outer == needs && !base.is_empty()).then_some((base, nested))
    })
}

/// The error for the call of `ident`, which needs `wanted` (of kind
/// `needs`) for the derivative of kind `kind`.
/// `defined` is the function whose attribute would make `wanted`: `ident`
/// itself, or `g` for a call to the generated `g_grad`.
fn report(
    ident: &syn::Ident,
    defined: &str,
    wanted: &str,
    needs: Kind,
    kind: Kind,
    diags: &mut Diags,
) {
    let (mode, also) = match needs {
        Kind::JvpW => ("vector forward", " (or `#[jacobian]`)"),
        Kind::JvpVjp => ("second-order", ""),
        Kind::JvpJvp | Kind::GradJvp | Kind::GradVjp => ("second-order", ""),
        _ if needs.is_reverse() => ("reverse", " (or `#[grad]`)"),
        _ => ("forward", ""),
    };
    let attr = match needs {
        Kind::JvpW => "#[jvp(vector)]".to_owned(),
        Kind::JvpJvp => "#[jvp(nested)]".to_owned(),
        Kind::GradJvp | Kind::GradVjp => "#[grad(nested)]".to_owned(),
        _ => format!("#[{}]", needs.attr_name()),
    };
    // `#[hvp]` on a caller needs both of the callee's `_jvp` and `_jvp_vjp`.
    let both = if kind.of_callees() == Kind::JvpVjp {
        " (a function called from `#[hvp]` or `#[hessian]` code needs its `_jvp` and its `_jvp_vjp`: `#[jvp]` with `#[hvp]`, or `#[jvp(nested)]` alone)"
    } else if needs == Kind::JvpVjp {
        " (or `#[jvp(nested)]`)"
    } else {
        ""
    };
    diags.error(
        ident.span(),
        format!(
            "`{ident}` has no {mode} derivative: this call needs `{wanted}`; annotate \
             `fn {defined}` with `{attr}`{also}{both}, or write `fn {wanted}` by hand (see \
             \"The calling convention\" in adiff's crate docs)"
        ),
    );
}

/// The single-segment callees of calls that go to a derivative.
fn collect_calls(b: &Block, out: &mut Vec<syn::Ident>) {
    crate::ir::for_each_stmt(b, &mut |s| {
        if let Some(Op::Call(callee, _)) = s.op() {
            if callee.derivative.is_some() && callee.path.segments.len() == 1 {
                out.push(callee.path.segments[0].ident.clone());
            }
        }
    });
}

/// Single-identifier callees in source order.
#[derive(Default)]
struct CallsInOrder(Vec<syn::Ident>);

impl<'ast> Visit<'ast> for CallsInOrder {
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            if let Some(ident) = p.path.get_ident() {
                self.0.push(ident.clone());
            }
        }
        syn::visit::visit_expr_call(self, c);
    }
}

/// What the check needs to know about one source file.
struct FileIndex {
    /// For each free function name, the last path segments of the
    /// attributes of each of its definitions.
    fns: HashMap<String, Vec<Vec<String>>>,
    /// Every identifier in the file, macro bodies included.
    idents: HashSet<String>,
    has_glob: bool,
}

/// The file an index was made from: its path, modification time and length.
type FileKey = (PathBuf, Option<SystemTime>, u64);

thread_local! {
    /// The index of the file read last. A crate's expansions in one file
    /// (600 in the differential tests' generated file) then read and parse
    /// it once instead of once each. The key holds the modification time
    /// and length, so a long-lived macro server (rust-analyzer) reads an
    /// edited file again.
    static LAST: RefCell<Option<(FileKey, Rc<FileIndex>)>> = const { RefCell::new(None) };
}

impl FileIndex {
    /// The index of `path`, from the cache when the file has not changed.
    fn cached(path: &Path) -> Option<Rc<FileIndex>> {
        let meta = std::fs::metadata(path).ok()?;
        let key = (path.to_owned(), meta.modified().ok(), meta.len());
        if let Some(hit) = LAST.with(|c| {
            c.borrow()
                .as_ref()
                .filter(|(k, _)| *k == key)
                .map(|(_, i)| Rc::clone(i))
        }) {
            return Some(hit);
        }
        let index = Rc::new(FileIndex::read(path)?);
        LAST.with(|c| *c.borrow_mut() = Some((key, Rc::clone(&index))));
        Some(index)
    }

    fn read(path: &Path) -> Option<FileIndex> {
        let src = std::fs::read_to_string(path).ok()?;
        let tokens: TokenStream = src.parse().ok()?;
        let mut idents = HashSet::new();
        collect_idents(tokens.clone(), &mut idents);
        let file: syn::File = syn::parse2(tokens).ok()?;
        let mut v = Visitor::default();
        v.visit_file(&file);
        Some(FileIndex {
            fns: v.fns,
            idents,
            has_glob: v.has_glob,
        })
    }

    fn surely_missing(&self, name: &str, wanted: &str, needs: Kind) -> bool {
        if self.has_glob || self.idents.contains(wanted) {
            return false;
        }
        let Some(defs) = self.fns.get(name) else {
            return false;
        };
        defs.iter().all(|attrs| {
            attrs
                .iter()
                .all(|a| INERT.contains(&a.as_str()) && !needs.makers().contains(&a.as_str()))
        })
    }
}

fn collect_idents(tokens: TokenStream, out: &mut HashSet<String>) {
    for t in tokens {
        match t {
            TokenTree::Ident(i) => {
                out.insert(i.to_string());
            }
            TokenTree::Group(g) => collect_idents(g.stream(), out),
            TokenTree::Punct(_) | TokenTree::Literal(_) => {}
        }
    }
}

#[derive(Default)]
struct Visitor {
    fns: HashMap<String, Vec<Vec<String>>>,
    has_glob: bool,
}

impl<'ast> Visit<'ast> for Visitor {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        // `#[jvp(nested)]` also stands as `jvp(nested)`: it makes more.
        let mut attrs = Vec::new();
        for a in &f.attrs {
            let Some(last) = a.path().segments.last() else {
                continue;
            };
            let name = last.ident.to_string();
            if let syn::Meta::List(list) = &a.meta {
                let nested = list
                    .tokens
                    .clone()
                    .into_iter()
                    .any(|t| matches!(t, TokenTree::Ident(ref i) if i == "nested"));
                if nested {
                    attrs.push(format!("{name}(nested)"));
                }
            }
            attrs.push(name);
        }
        self.fns
            .entry(f.sig.ident.to_string())
            .or_default()
            .push(attrs);
        syn::visit::visit_item_fn(self, f);
    }
    fn visit_use_glob(&mut self, _: &'ast syn::UseGlob) {
        self.has_glob = true;
    }
}

#[cfg(test)]
mod tests {
    use crate::convention::Kind;
    use crate::expand::expand_in;

    /// Expands `#[jvp]`/`#[vjp]` on `caller` as if it were in a file with
    /// `rest` around it, and returns the compile errors it reports.
    fn errors(mode: Kind, rest: &str) -> String {
        let caller = "fn f(x: f64) -> f64 { g(x) * 2.0 }";
        let dir = std::env::temp_dir().join(format!("adiff-callees-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let path = dir.join(format!(
            "{:x}.rs",
            rest.len() * 31 + rest.bytes().map(usize::from).sum::<usize>()
        ));
        std::fs::write(&path, format!("{rest}\n#[adiff::jvp]\n{caller}\n")).unwrap_or_default();
        let out = expand_in(
            mode,
            proc_macro2::TokenStream::new(),
            caller.parse().unwrap_or_default(),
            Some(&path),
        );
        out.to_string()
            .split("compile_error")
            .skip(1)
            .map(|e| e.chars().take(120).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn an_unannotated_function_in_the_same_file_is_reported() {
        let e = errors(Kind::Jvp, "fn g(x: f64) -> f64 { x.sin() }");
        assert!(e.contains("`g` has no forward derivative"), "{e}");
    }

    #[test]
    fn vector_mode_asks_for_the_vector_attribute() {
        let e = errors(Kind::JvpW, "fn g(x: f64) -> f64 { x.sin() }");
        assert!(e.contains("`g` has no vector forward derivative"), "{e}");
        assert!(e.contains("needs `g_jvpw`"), "{e}");
    }

    #[test]
    fn a_forward_derivative_does_not_satisfy_reverse_mode() {
        let e = errors(Kind::Vjp, "#[jvp] fn g(x: f64) -> f64 { x.sin() }");
        assert!(e.contains("`g` has no reverse derivative"), "{e}");
        assert!(errors(Kind::Vjp, "#[grad] fn g(x: f64) -> f64 { x.sin() }").is_empty());
        assert!(errors(Kind::Jvp, "#[adiff::jvp] fn g(x: f64) -> f64 { x.sin() }").is_empty());
    }

    #[test]
    fn anything_that_might_provide_the_derivative_keeps_it_silent() {
        let silent = [
            // written by hand, or imported by name
            "fn g(x: f64) -> f64 { x } fn g_jvp(x: f64, d: f64) -> (f64, f64) { (x, d) }",
            "use other::g_jvp; fn g(x: f64) -> f64 { x }",
            // a glob import could bring it in
            "use other::*; fn g(x: f64) -> f64 { x }",
            // an unknown attribute might generate it
            "#[my_derivatives] fn g(x: f64) -> f64 { x }",
            "#[cfg_attr(feature = \"ad\", adiff::jvp)] fn g(x: f64) -> f64 { x }",
            // `g` is not defined in this file
            "use other::g;",
        ];
        for rest in silent {
            assert!(errors(Kind::Jvp, rest).is_empty(), "{rest}");
        }
    }
}
