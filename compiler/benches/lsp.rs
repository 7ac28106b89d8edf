//! Editor latency: `verde lsp` with three.js open, timed from the client's side of the pipe
//! (JSON-RPC encoding and the pipe included). Medians over 50 of each:
//!
//! - diagnostics after a one-character edit (didChange until publishDiagnostics of that
//!   version);
//! - go to definition of an imported class;
//! - find references of `Vector3`, used all over the project.
//!
//! Run it with:
//!
//! ```sh
//! cargo bench --bench lsp                                # three.js
//! VERDE_BENCH_CORPUS=three10 cargo bench --bench lsp     # three.js x10 (3,871 modules)
//! ```
//!
//! The corpus is installed from the npm registry by `../shared/bench/corpora.sh` the first
//! time. Targets (diagnostics < 20 ms, definition < 5 ms, references < 50 ms) live here and
//! in `docs/benchmarks.md`, never in tests.

#![allow(clippy::print_stdout)]

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "../../tests/common/lsp_client.rs"]
mod lsp_client;

use std::time::{Duration, Instant};

use lsp_client::Client;
use serde_json::json;

const RUNS: usize = 50;

fn main() {
    let corpus = std::env::var("VERDE_BENCH_CORPUS").unwrap_or_else(|_| "three".to_owned());
    let file = match corpus.as_str() {
        "three" => "src/math/Vector3.js",
        "three10" => "copy1/math/Vector3.js",
        other => panic!("no LSP benchmark for corpus {other}"),
    };
    let root = common::corpora_dir().join(&corpus);
    let mut client = Client::start(&root, json!({ "entries": ["entry.js"] }));
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    let started = Instant::now();
    client.open(file, 1);
    client.diagnostics(file, 1);
    println!(
        "open {file}, first diagnostics: {:.1} ms",
        common::ms(started.elapsed())
    );

    // Where things are: the line of `_quaternion = /*@__PURE__*/ new Quaternion()`, and the
    // class declaration.
    let (use_line, use_column) = find(&text, "new Quaternion()", "new ".len());
    let (class_line, class_column) = find(&text, "class Vector3", "class ".len());
    let mut references = client.position(file, class_line, class_column);
    references["context"] = json!({ "includeDeclaration": true });

    let started = Instant::now();
    let found = client.result("textDocument/references", references.clone());
    println!(
        "first find-references of Vector3: {} locations, {:.1} ms (indexes the project)",
        found.as_array().map_or(0, Vec::len),
        common::ms(started.elapsed())
    );

    // Diagnostics after a one-character edit: add, then remove, a space at the end of the
    // file, version after version.
    let mut times = Vec::with_capacity(RUNS);
    for run in 0..RUNS {
        let version = run as i32 + 2;
        let edited = if run % 2 == 0 {
            format!("{text} ")
        } else {
            text.clone()
        };
        let started = Instant::now();
        client.change(file, version, &edited);
        let diagnostics = client.diagnostics(file, version);
        times.push(started.elapsed());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }
    report("diagnostics after a one-character edit", times);

    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let definition = client.result(
            "textDocument/definition",
            client.position(file, use_line, use_column),
        );
        times.push(started.elapsed());
        assert!(
            definition["uri"]
                .as_str()
                .is_some_and(|uri| uri.ends_with("/Quaternion.js")),
            "{definition}"
        );
    }
    report("go to definition", times);

    let mut times = Vec::with_capacity(RUNS);
    let mut count = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let found = client.result("textDocument/references", references.clone());
        times.push(started.elapsed());
        count = found.as_array().map_or(0, Vec::len);
    }
    report(&format!("find references ({count} locations)"), times);
    if let Some(peak) = client.peak_rss_mb() {
        println!("server peak RSS: {peak:.1} MB");
    }
    client.shutdown();
}

/// The 0-based line and UTF-16 column of `needle` plus `skip` bytes.
fn find(text: &str, needle: &str, skip: usize) -> (u32, u32) {
    let offset = text.find(needle).expect("needle in the file") + skip;
    let line_start = text[..offset].rfind('\n').map_or(0, |index| index + 1);
    let line = text[..offset].matches('\n').count() as u32;
    let column = text[line_start..offset].encode_utf16().count() as u32;
    (line, column)
}

fn report(name: &str, times: Vec<Duration>) {
    let runs = times.len();
    let (median, min, max) = common::median_min_max_ms(times);
    println!("{name}: median {median:.2} ms (min {min:.2}, max {max:.2}, {runs} runs)");
}
