//! Cold builds in process (divan): each corpus of `../shared/bench/corpora.sh` loaded into a
//! `MemorySystem` once, then built from scratch by a fresh `Compiler` per sample, so the
//! figures are verde's work alone, without disk reads or process start-up. The CLI figures
//! next to esbuild and rolldown come from `tests/bench/peers.sh`.
//!
//!     cargo bench --bench cold
//!     cargo bench --bench cold -- three10      # one corpus (divan filters by name)

#[path = "../../tests/common/mod.rs"]
mod common;

use std::{
    path::Path,
    sync::{Arc, OnceLock},
};

use divan::Bencher;
use verde::{BuildOptions, Compiler, MemorySystem};

fn main() {
    divan::main();
}

/// The corpora by name (each has `entry.js`, or `entry.ts` for the TypeScript ones).
const CORPORA: [&str; 7] = [
    "three",
    "three10",
    "lodash-es",
    "rxjs",
    "date-fns",
    "rxjs-ts",
    "zod-ts",
];

fn load(directory: &Path, system: &MemorySystem) {
    for entry in std::fs::read_dir(directory).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            load(&path, system);
        } else if path.extension().is_some_and(|ext| {
            ["js", "mjs", "json", "ts"]
                .iter()
                .any(|known| ext == *known)
        }) {
            system.write(&path, std::fs::read(&path).unwrap());
        }
    }
}

/// Every corpus (and the `node_modules` the npm ones live in), in memory.
fn corpora_in_memory() -> Arc<MemorySystem> {
    static SYSTEM: OnceLock<Arc<MemorySystem>> = OnceLock::new();
    SYSTEM
        .get_or_init(|| {
            let system = Arc::new(MemorySystem::new());
            load(common::corpora_dir(), &system);
            system
        })
        .clone()
}

/// `threads`: `None` for the default (every core, or `VERDE_THREADS`).
fn cold_build(bencher: Bencher, corpus: &str, threads: Option<usize>) {
    let system = corpora_in_memory();
    let entry = if corpus.ends_with("-ts") {
        "entry.ts"
    } else {
        "entry.js"
    };
    let options = BuildOptions {
        entries: vec![format!("{corpus}/{entry}").into()],
        ..BuildOptions::default()
    };
    bencher
        .with_inputs(|| {
            let mut compiler =
                Compiler::with_system(common::corpora_dir(), system.clone()).without_query_log();
            if let Some(threads) = threads {
                compiler.set_threads(threads);
            }
            compiler
        })
        .bench_local_values(|mut compiler| {
            let output = compiler.build(&options);
            assert!(!output.has_errors(), "{:?}", output.diagnostics);
            // Returned, so that divan frees them after the timed part (the CLI does not free
            // the database at all).
            (output, compiler)
        });
}

/// A cold build with the default threads (every core, or `VERDE_THREADS`).
#[divan::bench(args = CORPORA, sample_count = 10, sample_size = 1)]
fn all_cores(bencher: Bencher, corpus: &str) {
    cold_build(bencher, corpus, None);
}

/// A cold build on one thread: with `all_cores`, the parallel speed-up.
#[divan::bench(args = CORPORA, sample_count = 10, sample_size = 1)]
fn one_thread(bencher: Bencher, corpus: &str) {
    cold_build(bencher, corpus, Some(1));
}
