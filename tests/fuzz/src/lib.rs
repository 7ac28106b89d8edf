//! verde's fuzzing code, shared by the libFuzzer targets in `fuzz_targets/` and by the
//! seeded campaign in `tests/fuzz.rs` (which includes `modules.rs`, `graph.rs` and
//! `differential.rs` by path, as modules of the same names). See docs/fuzzing.md.

pub mod bundle;
pub mod differential;
pub mod graph;
pub mod modules;
