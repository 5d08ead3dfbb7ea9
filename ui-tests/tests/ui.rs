//! Compile-fail tests: each case in `tests/ui/` must fail with exactly the
//! diagnostics in its `.stderr` snapshot. Regenerate snapshots with
//! `TRYBUILD=overwrite cargo test -p adiff-ui-tests` and review the diff.
//!
//! rustc's own messages change between releases, so the snapshots are
//! pinned to one stable release; other compilers skip the comparison with
//! a message (update `PINNED` and the snapshots together).

/// The stable release the `.stderr` snapshots were made with.
const PINNED: &str = "rustc 1.95.";

#[test]
fn ui() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if !version.starts_with(PINNED) {
        println!(
            "ui tests skipped: snapshots are pinned to {PINNED}x, this is {}",
            version.trim()
        );
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
