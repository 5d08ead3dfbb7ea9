//! Compile-fail tests live in `tests/ui.rs`; this crate has no code of its own.
