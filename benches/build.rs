//! Records the version of the compiler building this crate, for the
//! report's header (the `rustc` on `PATH` at run time may be another one).

use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or_else(
            || "rustc (version unknown)".to_string(),
            |s| s.trim().to_string(),
        );
    println!("cargo:rustc-env=ADIFF_BENCH_RUSTC={version}");
    println!("cargo:rerun-if-env-changed=RUSTC");
    println!("cargo:rerun-if-changed=build.rs");
}
