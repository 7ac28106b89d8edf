//! libFuzzer target: the input's bytes drive the graph generator (`verde_fuzz::graph`); the
//! graph runs in node unbundled and bundled, and both must print the same (see
//! `verde_fuzz::differential`). Slow per input (several node processes): it is for long
//! runs; `tests/fuzz.rs` runs the same generator from seeds.

#![no_main]

use libfuzzer_sys::fuzz_target;
use verde_fuzz::{differential, graph, modules};

fuzz_target!(|data: &[u8]| {
    let graph = graph::generate(&mut graph::FuzzBytes::new(data));
    let dir = std::env::temp_dir().join(format!("verde-fuzz-differential-{}", std::process::id()));
    if let Err(failure) = differential::check(&graph.modules, &dir) {
        let text = modules::render(&failure.summary(), &graph.modules);
        panic!("{failure}\n--- graph ---\n{text}");
    }
});
