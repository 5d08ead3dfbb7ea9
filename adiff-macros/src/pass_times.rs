//! Where expansion time goes, per stage, on a function of the user's
//! choosing: `ADIFF_PASS_TIMES=path/to/fn.rs cargo test --release -p
//! adiff-macros pass_times -- --nocapture`. The file holds one `fn`. It
//! prints one line per stage and derivative kind. Without the variable the
//! test does nothing: it is a measuring tool, not a check.

use std::time::Instant;

use crate::convention::Kind;
use crate::diag::Diags;
use crate::options::Knobs;
use crate::pipeline;

fn time<R>(label: &str, f: impl FnOnce() -> R) -> R {
    let t = Instant::now();
    let r = f();
    eprintln!("{label:>28}: {:>9.2} ms", t.elapsed().as_secs_f64() * 1e3);
    r
}

#[test]
fn pass_times() {
    let Ok(path) = std::env::var("ADIFF_PASS_TIMES") else {
        return;
    };
    let src = std::fs::read_to_string(&path).expect("ADIFF_PASS_TIMES names a readable file");
    let func: syn::ItemFn = time("parse", || syn::parse_str(&src)).expect("the file holds one fn");
    let mut diags = Diags::default();
    let sig = crate::sig::parse(&func.sig, &[], &mut diags).expect("a supported signature");
    let wrt: Vec<bool> = sig.params.iter().map(|p| p.differentiable).collect();
    let ir = time("lower", || pipeline::lower(&sig, &func.block, &mut diags))
        .unwrap_or_else(|_| panic!("lowering failed: {}", diags.to_compile_errors()));
    for kind in [Kind::Jvp, Kind::Vjp, Kind::Grad] {
        let name = kind.attr_name();
        let d = time(&format!("{name}: derive"), || {
            pipeline::derive(&ir, kind, &wrt, &Knobs::default(), None, &mut diags)
        })
        .unwrap_or_else(|_| panic!("{name} failed"));
        let shell = crate::convention::shell(kind, &func, &sig, &wrt);
        time(&format!("{name}: codegen"), || {
            crate::codegen::function(&d, &shell)
        });
    }
    time("whole #[grad] #[jvp] expansion", || {
        let item: proc_macro2::TokenStream = src.parse().unwrap_or_default();
        let out = crate::expand::expand(Kind::Grad, Default::default(), item.clone());
        let out2 = crate::expand::expand(Kind::Jvp, Default::default(), item);
        (out, out2)
    });
}
