//! Peak heap of a cold build, counted by a global allocator (the `heap-stats` feature), on
//! every JavaScript corpus of `../shared/bench/corpora.sh`. For each corpus: the source bytes
//! in the graph, the peak heap during the build, the heap the database keeps afterwards (what
//! watch mode and the language server hold on to), and the peak per byte of source.
//!
//!     cargo bench --features heap-stats --bench memory
//!     VERDE_BENCH_CORPUS=three10 VERDE_THREADS=1 cargo bench --features heap-stats --bench memory
//!
//! The corpora are installed from the npm registry the first time. Memory targets live here
//! and in `docs/benchmarks.md`, never in tests.

#![allow(clippy::print_stdout)]

#[path = "../../tests/common/mod.rs"]
mod common;

use verde::{
    BuildOptions, Compiler,
    heap::{CountingAllocator, current_heap, peak_heap, reset_peak},
};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// The JavaScript corpora, by name and entry.
const CORPORA: [(&str, &str); 5] = [
    ("three", "three/entry.js"),
    ("three10", "three10/entry.js"),
    ("lodash-es", "lodash-es/entry.js"),
    ("rxjs", "rxjs/entry.js"),
    ("date-fns", "date-fns/entry.js"),
];

fn megabytes(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn main() {
    let only = std::env::var("VERDE_BENCH_CORPUS").ok();
    let root = common::corpora_dir();
    println!(
        "| corpus | modules | source MB | peak heap MB | kept after build MB | peak B per source B |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, entry) in CORPORA {
        if only.as_deref().is_some_and(|only| only != name) {
            continue;
        }
        let before = current_heap().expect("the counting allocator is installed");
        reset_peak();
        let mut compiler = Compiler::new(root);
        let output = compiler.build(&BuildOptions {
            entries: vec![entry.into()],
            ..BuildOptions::default()
        });
        assert!(
            !output.has_errors() && output.code.is_some(),
            "{name}: {:?}",
            output.diagnostics
        );
        // The bundle itself is the caller's: measure what verde needed besides it.
        drop(output.code);
        let peak = peak_heap().unwrap() - before;
        let kept = current_heap().unwrap() - before;
        let source: u64 = output
            .inputs
            .iter()
            .map(|path| std::fs::metadata(path).map_or(0, |metadata| metadata.len()))
            .sum();
        println!(
            "| {name} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
            output.inputs.len(),
            megabytes(source as usize),
            megabytes(peak),
            megabytes(kept),
            peak as f64 / source as f64,
        );
        drop(compiler);
    }
}
