//! The benchmark objectives that both `adiff-bench` (the report and
//! criterion suite, `benches/`) and `adiff-gradbench` (the GradBench
//! tool, `gradbench-tool/`) use, defined once so that the two cannot drift
//! apart.
//!
//! Each function is plain Rust over flat slices with its derivative from
//! `#[vjp]` or `#[grad]`, so a caller imports the function together with
//! its generated `_vjp` (and `_grad`) and calls them as if they were its
//! own.
//!
//! - [`lstm`]: ADBench's diagonal LSTM loss ([`lstm::lstm_objective`]) and
//!   its helpers [`lstm::sigmoid`] and [`lstm::lstm_model`]. The instance
//!   data is identical in ADBench and GradBench, so the whole objective is
//!   shared.
//! - [`gmm`]: the helpers of the Gaussian-mixture objectives,
//!   [`gmm::logsumexp`] and [`gmm::wishart_constant`]. The objectives
//!   themselves stay with their callers: ADBench's takes one `icf` array per
//!   component and GradBench's separate `q` and `l`, and GradBench flips the
//!   sign of the log-prior.

pub mod gmm;
pub mod lstm;
