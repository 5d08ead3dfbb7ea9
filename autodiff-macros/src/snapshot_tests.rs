//! Expansion snapshots, one per construct family.
