//! Unit tests of the pipeline, run on the functions of the behaviour tests
//! in `tests/` and on hand-made IR.

use std::path::Path;

use syn::visit::Visit;

use crate::convention::Kind;
use crate::diag::{Diags, Stop};
use crate::expand::expand;
use crate::ir::{Atom, Func, Op, Origin, Pat, Place, Stmt, VarId, VarInfo};
use crate::options::Knobs;
use crate::pipeline;
use crate::ty::Ty;

/// Every `fn` carrying `#[jvp]` in the workspace's `tests/` directory,
/// with the differentiable structs of its file.
fn corpus() -> Vec<(syn::ItemFn, std::rc::Rc<crate::structs::Structs>)> {
    struct Collect(Vec<syn::ItemFn>);
    impl<'ast> Visit<'ast> for Collect {
        fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
            let ours =
                |a: &syn::Attribute| a.path().is_ident("jvp") || a.path().is_ident("jacobian");
            if f.attrs.iter().any(ours) {
                let mut f = f.clone();
                f.attrs.retain(|a| !ours(a));
                self.0.push(f);
            }
            syn::visit::visit_item_fn(self, f);
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.sort();
    for p in paths {
        if p.extension().is_some_and(|e| e == "rs") {
            let src = std::fs::read_to_string(&p).unwrap_or_default();
            if let Ok(file) = syn::parse_file(&src) {
                // The suites are `macro_rules!` bodies instantiated per float type.
                let mut c = Collect(Vec::new());
                c.visit_file(&crate::test_corpus::expand_macros(file));
                let structs = crate::structs::in_file(Some(&p), None);
                out.extend(c.0.into_iter().map(|f| (f, std::rc::Rc::clone(&structs))));
            }
        }
    }
    out
}

/// Runs the pipeline for each kind of derivative; the pipeline verifies
/// the IR after every pass.
fn run_pipeline(f: &syn::ItemFn) -> Result<(), String> {
    let float = crate::generic::float_param(&f.sig.generics, None, false, &mut Diags::default());
    crate::ty::with_float_param(float, || run_pipeline_in(f))
}

fn run_pipeline_in(f: &syn::ItemFn) -> Result<(), String> {
    let mut diags = Diags::default();
    let sig = crate::sig::parse(&f.sig, &[], &mut diags).ok_or("signature rejected")?;
    let ir = pipeline::lower(&sig, &f.block, &mut diags).map_err(|e| stop(e, &diags))?;
    let wrt: Vec<bool> = sig.params.iter().map(|p| p.differentiable).collect();
    let knobs = Knobs {
        tape: 8,
        ..Knobs::default()
    };
    pipeline::derive(&ir, Kind::Jvp, &wrt, &knobs, None, &mut diags)
        .map_err(|e| stop(e, &diags))?;
    match pipeline::derive(&ir, Kind::JvpW, &wrt, &knobs, None, &mut diags) {
        // Vector mode rejects nalgebra values with a clear error.
        Ok(_) | Err(Stop::Reported) => diags = Diags::default(),
        Err(e) => return Err(stop(e, &diags)),
    }
    match pipeline::derive(&ir, Kind::Vjp, &wrt, &knobs, None, &mut diags) {
        Ok(_) => {}
        Err(Stop::Reported) => return Ok(()),
        Err(e) => return Err(stop(e, &diags)),
    }
    // Reverse mode over forward mode's output (`f_jvp_vjp` of `#[hvp]`).
    match pipeline::derive(&ir, Kind::JvpVjp, &wrt, &knobs, None, &mut diags) {
        Ok(_) => Ok(()),
        // A construct reverse mode rejects with a clear error (such as a
        // reference chosen at run time): nothing more to check.
        Err(Stop::Reported) => Ok(()),
        Err(e) => Err(stop(e, &diags)),
    }
}

fn stop(e: Stop, diags: &Diags) -> String {
    match e {
        Stop::Reported => diags.to_compile_errors().to_string(),
        Stop::Broken { pass, msg, ir } => format!("after {pass}: {msg}\n{ir}"),
    }
}

#[test]
fn every_pass_verifies_on_the_behaviour_tests() {
    let fns = corpus();
    assert!(
        fns.len() > 100,
        "expected the behaviour tests' functions, found {}",
        fns.len()
    );
    for (f, structs) in &fns {
        let run = crate::ty::with_structs(std::rc::Rc::clone(structs), || run_pipeline(f));
        if let Err(e) = run {
            panic!("`{}`: {e}", f.sig.ident);
        }
    }
}

fn var(func: &mut Func, name: &str) -> VarId {
    func.new_var(VarInfo {
        name: name.into(),
        span: proc_macro2::Span::call_site(),
        ty: Ty::Float(None),
        mutable: true,
        origin: Origin::User,
        declared: None,
    })
}

#[test]
fn verifier_rejects_broken_invariants() {
    let span = proc_macro2::Span::call_site();
    let mut func = Func {
        vars: Vec::new(),
        params: Vec::new(),
        ret: None,
        body: Vec::new(),
        checkpoints: Vec::new(),
    };
    let x = var(&mut func, "x");
    let y = var(&mut func, "y");
    // Use before declaration.
    func.body = vec![Stmt::Let {
        pat: Pat::Var(x),
        init: Some(Op::Use(Atom::Var(y))),
        span,
    }];
    assert!(crate::verify::verify(&func).is_err());
    // Declared twice.
    func.body = vec![
        Stmt::Let {
            pat: Pat::Var(x),
            init: Some(Op::Use(Atom::float(1.0))),
            span,
        },
        Stmt::Let {
            pat: Pat::Var(x),
            init: Some(Op::Use(Atom::float(1.0))),
            span,
        },
    ];
    assert!(crate::verify::verify(&func).is_err());
    // An assignment whose non-linear operation reads its own target.
    func.body = vec![
        Stmt::Let {
            pat: Pat::Var(x),
            init: Some(Op::Use(Atom::float(1.0))),
            span,
        },
        Stmt::Assign {
            place: Place::var(x),
            op: Op::Bin(crate::ir::BinOp::Mul, Atom::Var(x), Atom::Var(x)),
            span,
        },
    ];
    assert!(crate::verify::verify(&func).is_err());
    // `break` outside a loop.
    func.body = vec![Stmt::Break(None)];
    assert!(crate::verify::verify(&func).is_err());
    // And a well-formed body passes.
    func.body = vec![
        Stmt::Let {
            pat: Pat::Var(x),
            init: Some(Op::Use(Atom::float(1.0))),
            span,
        },
        Stmt::Assign {
            place: Place::var(x),
            op: Op::Bin(crate::ir::BinOp::Add, Atom::Var(x), Atom::float(2.0)),
            span,
        },
    ];
    assert_eq!(crate::verify::verify(&func), Ok(()));
}

fn expand_str(src: &str) -> String {
    let item: proc_macro2::TokenStream = src.parse().unwrap_or_default();
    expand(Kind::Jvp, proc_macro2::TokenStream::new(), item).to_string()
}

#[test]
fn inactive_values_get_no_tangent() {
    let out = expand_str(
        "fn f(x: f64, c: f64, n: usize) -> f64 {
            let unused = c.sin();
            let k = n as f64 * 2.0;
            let mut s = 0.0;
            for i in 0..n { s += x * (i as f64); }
            s * k
        }",
    );
    assert!(out.contains("fn f_jvp"), "{out}");
    assert!(!out.contains("unused_dot"), "{out}");
    assert!(!out.contains("k_dot"), "{out}");
    assert!(out.contains("s_dot"), "{out}");
}

#[test]
fn expansion_never_panics_on_odd_input() {
    let inputs = [
        "fn f(r#type: f64) -> f64 { r#type * 2.0 }",
        "fn f(x: f64) -> f64 { loop {} }",
        "fn f(x: f64) -> f64 { return x; }",
        "fn f(x: f64) { }",
        "fn f() -> f64 { 1.0 }",
        "fn f(x: f64) -> f64 { x.foo().bar() }",
        "fn f(x: f64) -> f64 { match x { _ => x } }",
        "fn f(x: f64) -> f64 { let [a, b] = [x, x]; a }",
        "fn f(x: f64) -> f64 { 'a: { x } }",
        "fn f((a, b): (f64, f64)) -> f64 { a }",
        "fn f(x: f64) -> f64 { x.sin(1.0) }",
        "fn f(x: f64) -> f64 { f64::sin() }",
        "fn f(x: f64) -> f64 { break; x }",
        "fn f(x: f64) -> f64 { x[..] }",
        "struct S;",
        "",
    ];
    for src in inputs {
        for mode in [Kind::Jvp, Kind::Vjp, Kind::Grad] {
            let r = std::panic::catch_unwind(|| {
                let item: proc_macro2::TokenStream = src.parse().unwrap_or_default();
                expand(mode, proc_macro2::TokenStream::new(), item).to_string()
            });
            assert!(r.is_ok(), "{mode:?} panicked on {src}");
        }
    }
}
