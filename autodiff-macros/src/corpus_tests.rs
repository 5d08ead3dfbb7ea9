//! The corpus test: every `fn` of real numeric crates through the macro entry point.
