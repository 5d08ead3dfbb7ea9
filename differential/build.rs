//! Writes generated functions, each with `#[jvp(vector)]` (so also the
//! vector mode `f_jvpw`) and `#[vjp]`, into
//! `$OUT_DIR/generated.rs`, so the real macros and rustc compile them. The
//! `Vec`-returning helpers of a program are compiled with it; only the
//! `gK` functions are cases.
//!
//! `ADIFF_FUZZ_CASES` sets the number of programs (3 functions each) and
//! `ADIFF_FUZZ_SEED` the first seed.

use std::fmt::Write;

fn main() {
    for name in ["FUZZ_CASES", "FUZZ_SEED", "FUZZ_LINALG"] {
        println!("cargo:rerun-if-env-changed=ADIFF_{name}");
        println!("cargo:rerun-if-env-changed=AUTODIFF_{name}");
    }
    println!("cargo:rerun-if-changed=../adiff-fuzz/src");
    let programs = adiff_fuzz::env_number("FUZZ_CASES").unwrap_or(40);
    let seed = adiff_fuzz::env_number("FUZZ_SEED").unwrap_or(1);
    let mut out = String::new();
    let mut cases = String::new();
    for p in 0..programs {
        let program = adiff_fuzz::program(seed + p, 3);
        let _ = writeln!(
            out,
            "#[cfg(not(clippy))]\npub mod p{p} {{\n    use adiff::{{jvp, vjp}};"
        );
        // Helpers (`hK`, with a tuple parameter) are checked through the
        // functions that call them.
        for f in &program.helpers {
            let _ = writeln!(
                out,
                "    #[jvp(vector)]\n    #[vjp]\n    pub {}\n",
                f.source.replace('\n', "\n    ")
            );
        }
        for f in &program.functions {
            let _ = writeln!(
                out,
                "    #[jvp(vector)]\n    #[vjp]\n    pub {}\n",
                f.source.replace('\n', "\n    ")
            );
            let name = &f.name;
            let _ = writeln!(
                cases,
                "    Case {{ name: \"seed {s} {name}\", source: {src:?}, f: p{p}::{name}, jvp: p{p}::{name}_jvp, jvpw: p{p}::{name}_jvpw::<LANES>, vjp: p{p}::{name}_vjp }},",
                s = seed + p,
                src = f.source
            );
        }
        out.push_str("}\n");
    }
    // nalgebra values (`adiff_fuzz::linalg`): `#[jvp]` and `#[vjp]`.
    let la = adiff_fuzz::env_number("FUZZ_LINALG").unwrap_or(24);
    let mut la_cases = String::new();
    let _ = writeln!(
        out,
        "#[cfg(not(clippy))]\npub mod la {{\n    use adiff::{{jvp, vjp}};\n    use adiff::nalgebra::{{DMatrix, DVector}};"
    );
    for k in 0..la {
        let name = format!("la{k}");
        let src = adiff_fuzz::linalg::function(seed + k, &name);
        let _ = writeln!(
            out,
            "    #[jvp]\n    #[vjp]\n    pub {}\n",
            src.replace('\n', "\n    ")
        );
        let _ = writeln!(
            la_cases,
            "    LaCase {{ name: \"seed {s} {name}\", source: {src:?}, f: la::{name}, jvp: la::{name}_jvp, vjp: la::{name}_vjp }},",
            s = seed + k,
        );
    }
    out.push_str("}\n");
    let _ = writeln!(
        out,
        "#[cfg(not(clippy))]\npub static LA_CASES: &[LaCase] = &[\n{la_cases}];\n#[cfg(clippy)]\npub static LA_CASES: &[LaCase] = &[];"
    );
    // Clippy allows every lint on the generated code (see `src/lib.rs`), so
    // it skips the code altogether instead of expanding all the functions
    // again for nothing: that was the largest unit of CI's clippy step.
    let _ = writeln!(
        out,
        "#[cfg(not(clippy))]\npub static CASES: &[Case] = &[\n{cases}];\n#[cfg(clippy)]\npub static CASES: &[Case] = &[];"
    );
    let path =
        std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("generated.rs");
    if let Err(e) = std::fs::write(&path, out) {
        panic!("cannot write {}: {e}", path.display());
    }
}
