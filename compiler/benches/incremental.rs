//! The library path of incremental rebuilds, with no file system in the loop: a corpus is
//! loaded into memory, built once, then edited through `Compiler::set_file_text` and rebuilt.
//! Prints medians (and min–max) of: a cold build, a rebuild with no change, a body edit (a
//! string literal in one leaf module), the same edit after a pause, an export-changing
//! edit of the same module, and a module created beside it and imported, then deleted.
//! The compilers are made without the query log, as the command line makes them; one more
//! compiler counts the memos a body edit confirms.
//!
//! The pause is `VERDE_BENCH_PAUSE_MS` (300, as `tests/bench/body-edit.mjs` waits before
//! each edit). A rebuild after a pause is what watch mode sees while someone types, and it
//! costs more than one right after another: most of a body edit is confirming memos, which
//! is reading memory scattered over the whole database, and a pause leaves it out of the
//! caches (docs/benchmarks.md, "Why a body edit costs what it costs").
//!
//!     cargo bench --bench incremental            # three.js x10 (3,871 modules)
//!     VERDE_BENCH_CORPUS=three cargo bench --bench incremental
//!
//! The corpora are installed from the npm registry by `../shared/bench/corpora.sh` the first
//! time. Speed targets live here and in `docs/benchmarks.md`, never in tests.

#![allow(clippy::print_stdout)]

#[path = "../../tests/common/mod.rs"]
mod common;

use std::{
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use verde::{BuildOptions, Compiler, MemorySystem};

fn load(directory: &Path, system: &MemorySystem) -> usize {
    let mut count = 0;
    for entry in std::fs::read_dir(directory).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            count += load(&path, system);
        } else if path.extension().is_some_and(|ext| ext == "js") {
            system.write(&path, std::fs::read(&path).unwrap());
            count += 1;
        }
    }
    count
}

fn summary(name: &str, times: Vec<Duration>) {
    let runs = times.len();
    let (median, min, max) = common::median_min_max_ms(times);
    println!("| {name} | {median:.1} | {min:.1}–{max:.1} | {runs} |");
}

fn main() {
    let corpus = std::env::var("VERDE_BENCH_CORPUS").unwrap_or_else(|_| "three10".to_owned());
    let iterations: usize = std::env::var("VERDE_BENCH_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(11);
    let root = common::corpora_dir();
    let (entry, leaf, needle) = match corpus.as_str() {
        "three" => ("three/entry.js", "three/src/constants.js", "'187'"),
        "three10" => ("three10/entry.js", "three10/copy1/constants.js", "'187'"),
        other => panic!("no incremental benchmark for corpus {other}"),
    };
    let system = Arc::new(MemorySystem::new());
    let files = load(&root.join(Path::new(entry).parent().unwrap()), &system);
    let options = BuildOptions {
        entries: vec![entry.into()],
        ..BuildOptions::default()
    };
    let leaf = root.join(leaf);
    let original = std::fs::read_to_string(&leaf).unwrap();
    println!("corpus {corpus}: {files} files in memory; {iterations} iterations\n");
    println!("| measurement | median ms | min–max ms | n |");
    println!("|---|---:|---:|---:|");

    let mut cold = Vec::new();
    for _ in 0..iterations.min(5) {
        let mut compiler = Compiler::with_system(root, system.clone()).without_query_log();
        let started = Instant::now();
        let output = compiler.build(&options);
        cold.push(started.elapsed());
        assert!(output.code.is_some(), "{:?}", output.diagnostics);
    }
    summary("cold build", cold);

    let mut compiler = Compiler::with_system(root, system.clone()).without_query_log();
    compiler.build(&options);
    // The first change of a file lowers its durability (see ARCHITECTURE "Durability"): warm up.
    compiler.set_file_text(&leaf, original.replace(needle, "'warm-up'"));
    compiler.build(&options);

    let mut unchanged = Vec::new();
    for _ in 0..iterations {
        let started = Instant::now();
        compiler.build(&options);
        unchanged.push(started.elapsed());
    }
    summary("rebuild, nothing changed", unchanged);

    let mut body = Vec::new();
    for i in 0..iterations {
        compiler.set_file_text(&leaf, original.replace(needle, &format!("'187-edit{i}'")));
        let started = Instant::now();
        let output = compiler.build(&options);
        body.push(started.elapsed());
        assert!(
            output
                .code
                .unwrap()
                .to_string()
                .contains(&format!("187-edit{i}"))
        );
    }
    summary("body edit (string literal in one leaf)", body);

    let pause = Duration::from_millis(
        std::env::var("VERDE_BENCH_PAUSE_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .unwrap_or(300),
    );
    let mut paused = Vec::new();
    for i in 0..iterations {
        compiler.set_file_text(&leaf, original.replace(needle, &format!("'187-pause{i}'")));
        std::thread::sleep(pause);
        let started = Instant::now();
        compiler.build(&options);
        paused.push(started.elapsed());
    }
    summary(
        &format!("body edit after a {} ms pause", pause.as_millis()),
        paused,
    );

    let mut export = Vec::new();
    for i in 0..iterations {
        compiler.set_file_text(
            &leaf,
            format!("{original}\nexport const benchExport{i} = {i};\n"),
        );
        let started = Instant::now();
        compiler.build(&options);
        export.push(started.elapsed());
    }
    summary("export-changing edit (export added to one leaf)", export);

    // Edits that change the graph: a module created and imported (its binding read), then
    // deleted with its import; the whole-bundle passes run again for both.
    let (mut created, mut deleted) = (Vec::new(), Vec::new());
    let fresh = leaf.with_file_name("verde_bench_fresh.js");
    for i in 0..iterations {
        compiler.set_file_text(&fresh, format!("export const benchFresh{i} = {i};\n"));
        compiler.set_file_text(
            &leaf,
            format!(
                "import {{ benchFresh{i} }} from './verde_bench_fresh.js';\n\
                 globalThis.benchFresh = benchFresh{i};\n{original}"
            ),
        );
        let started = Instant::now();
        let output = compiler.build(&options);
        created.push(started.elapsed());
        assert!(
            output
                .code
                .unwrap()
                .to_string()
                .contains(&format!("benchFresh{i} = {i}"))
        );
        compiler.set_file_text(&leaf, original.clone());
        compiler.remove_file(&fresh);
        let started = Instant::now();
        let output = compiler.build(&options);
        deleted.push(started.elapsed());
        assert!(!output.code.unwrap().to_string().contains("benchFresh"));
    }
    summary("module created and imported", created);
    summary("module deleted with its import", deleted);

    // What a body edit confirms: every per-module memo of the bundle, each a few reads of
    // memory that no other memo shares.
    let mut counting = Compiler::with_system(root, system.clone());
    counting.build(&options);
    counting.set_file_text(&leaf, original.replace(needle, "'count-1'"));
    counting.build(&options);
    counting.log_validations(true);
    counting.set_file_text(&leaf, original.replace(needle, "'count-2'"));
    let _ = counting.take_query_log();
    counting.build(&options);
    report_confirmed("A body edit", &counting.take_query_log());
    // What a module created and imported confirms: the link side's per-module memos too.
    counting.set_file_text(&fresh, "export const benchCounted = 1;\n".to_owned());
    counting.set_file_text(
        &leaf,
        format!("import {{ benchCounted }} from './verde_bench_fresh.js';\nglobalThis.benchCounted = benchCounted;\n{original}"),
    );
    let _ = counting.take_query_log();
    counting.build(&options);
    report_confirmed("A module created and imported", &counting.take_query_log());
}

fn report_confirmed(edit: &str, log: &verde::QueryLog) {
    let confirmed: usize = log.validations().values().sum();
    let executed: usize = log.counts().values().sum();
    println!("\n{edit} re-ran {executed} queries and confirmed {confirmed} memos:");
    let mut kinds: Vec<_> = log.validations().iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (query, count) in kinds.iter().take(14) {
        println!("  {query}: {count}");
    }
    let mut executed: Vec<_> = log.counts().iter().collect();
    executed.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let executed: Vec<String> = executed
        .iter()
        .map(|(query, count)| format!("{query} {count}"))
        .collect();
    println!("  re-ran: {}", executed.join(", "));
}
