//! Compile-fail tests: each case in `tests/ui/` must fail with exactly the
//! diagnostics in its `.stderr` snapshot. Regenerate snapshots with
//! `TRYBUILD=overwrite cargo test -p autodiff-ui-tests` and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
