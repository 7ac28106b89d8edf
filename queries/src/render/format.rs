//! The output formats: what each writes before and after the modules' code.

pub mod cjs;
pub mod esm;
pub mod iife;
