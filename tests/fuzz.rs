//! Fuzzing, bounded and seeded, so that `cargo test` runs it (docs/fuzzing.md has the long
//! runs). Two targets, both in `tests/fuzz/` (a cargo-fuzz project):
//!
//! - `differential`: generated valid module graphs (`tests/fuzz/src/graph.rs`) run in node
//!   unbundled and bundled (ESM, CommonJS, IIFE) must print the same. Here it runs from
//!   seeds, in process, several graphs at a time; a failure prints the seed and writes the
//!   graph to `tests/fuzz/reproducers/differential/`.
//! - `bundle`: libFuzzer over arbitrary multi-module text through parse, link and render in
//!   every format; a panic, abort, hang, internal error or invalid output is a crash. Here
//!   the cargo-fuzz project is built with the flags `cargo fuzz build -O -s none` uses (no
//!   nightly needed) and libFuzzer runs a fixed number of inputs from the committed corpus;
//!   crashes land in `tests/fuzz/reproducers/bundle/`. A short libFuzzer run of
//!   `differential` keeps that target working too.
//!
//! Every reproducer under `tests/fuzz/reproducers/` is replayed too. One whose file name
//! starts with `open-` is a bug not fixed yet: it must still fail, so that its fix is noticed
//! (then drop the prefix and it guards against regressions); every other one must pass.
//!
//! Deterministic: `VERDE_FUZZ_SEED` (default 1) seeds both, `VERDE_FUZZ_GRAPHS` (default 240)
//! is how many graphs the differential campaign runs, `VERDE_FUZZ_RUNS` (default 8000) how
//! many inputs libFuzzer runs through the `bundle` target (under a time cap,
//! `VERDE_FUZZ_SECONDS`, default 240).

// Each test reports its phases' times on stderr (`--nocapture` shows them).
#![allow(clippy::print_stderr)]

#[path = "fuzz/src/differential.rs"]
mod differential;
#[allow(dead_code)] // `FuzzBytes` is for the libFuzzer target.
#[path = "fuzz/src/graph.rs"]
mod graph;
#[path = "fuzz/src/modules.rs"]
mod modules;

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
    process::Command,
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Instant,
};

/// `tests/fuzz`, the cargo-fuzz project.
fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fuzz")
        .canonicalize()
        .expect("tests/fuzz exists")
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir is creatable");
    dir
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn is_open(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.starts_with("open-"))
}

/// What is wrong with a reproducer that `failed` (or not): `None` when it behaves as its
/// name says.
fn unexpected(path: &Path, failure: Option<String>) -> Option<String> {
    match (is_open(path), failure) {
        (false, Some(failure)) => Some(format!("{}: {failure}", path.display())),
        (true, None) => Some(format!(
            "{} passes now: rename it without the `open-` prefix",
            path.display()
        )),
        _ => None,
    }
}

/// The files of a reproducer directory, sorted.
fn reproducers(target: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fuzz_dir().join("reproducers").join(target))
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.is_file() && !path.ends_with("README.md"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn differential_reproducers_run_the_same_bundled() {
    let dir = scratch_dir("fuzz-differential-reproducers");
    let mut failures = String::new();
    for path in reproducers("differential") {
        let text = std::fs::read_to_string(&path).expect("the reproducer is readable");
        let modules = modules::parse(&text);
        let failure = differential::check(&modules, &dir).err();
        if let Some(problem) = unexpected(&path, failure.map(|f| f.to_string())) {
            writeln!(failures, "{problem}\n").unwrap();
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn differential_campaign_finds_no_mismatch() {
    let base = setting("VERDE_FUZZ_SEED", 1);
    let graphs = setting("VERDE_FUZZ_GRAPHS", 240);
    let workers = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .min(4);
    let next = AtomicU64::new(0);
    let failures: Mutex<Vec<(u64, graph::Graph, Box<differential::Failure>)>> =
        Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for worker in 0..workers {
            let (next, failures) = (&next, &failures);
            scope.spawn(move || {
                let dir = scratch_dir(&format!("fuzz-differential-{worker}"));
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    // Stop early after a few failures: they are likely the same bug.
                    if index >= graphs || failures.lock().unwrap().len() >= 3 {
                        return;
                    }
                    let seed = base.wrapping_mul(1_000_003).wrapping_add(index);
                    let graph = graph::generate(&mut graph::Seeded::new(seed));
                    if let Err(failure) = differential::check(&graph.modules, &dir) {
                        failures.lock().unwrap().push((seed, graph, failure));
                    }
                }
            });
        }
    });
    let elapsed = started.elapsed();
    eprintln!(
        "differential: {} graphs in {elapsed:.0?}",
        next.load(Ordering::Relaxed).min(graphs)
    );
    let failures = failures.into_inner().unwrap();
    let Some((seed, _, first)) = failures.first() else {
        return;
    };
    let mut report = format!(
        "{} of the graphs failed ({} checked in {:.0?}); reproducers written:\n",
        failures.len(),
        next.load(Ordering::Relaxed).min(graphs),
        elapsed
    );
    for (seed, graph, failure) in &failures {
        let path = write_differential_reproducer(*seed, graph, failure);
        writeln!(
            report,
            "  seed {seed}: {} -> {}",
            failure.summary(),
            path.display()
        )
        .unwrap();
    }
    write!(report, "\nseed {seed}: {first}").unwrap();
    panic!("{report}");
}

fn write_differential_reproducer(
    seed: u64,
    graph: &graph::Graph,
    failure: &differential::Failure,
) -> PathBuf {
    let dir = fuzz_dir().join("reproducers/differential");
    std::fs::create_dir_all(&dir).expect("the reproducer directory is creatable");
    let path = dir.join(format!("seed-{seed}.js"));
    let comment = format!(
        "Differential reproducer: generated from seed {seed} (tests/fuzz/src/graph.rs).\n{}",
        failure.summary()
    );
    std::fs::write(&path, modules::render(&comment, &graph.modules))
        .expect("the reproducer is writable");
    path
}

/// The host's target triple, as `cargo fuzz` passes it.
fn host_triple() -> String {
    let output = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_owned()
}

/// The RUSTFLAGS `cargo fuzz build -O -s none --codegen-units 16` sets (cargo-fuzz 0.13.2,
/// `src/project.rs`): coverage instrumentation for libFuzzer and `cfg(fuzzing)`; the debug
/// assertions come from the project's release profile. All of it works on stable Rust;
/// only sanitizers need nightly.
const FUZZ_RUSTFLAGS: &str = "-Cpasses=sancov-module \
     -Cllvm-args=-sanitizer-coverage-level=4 \
     -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
     -Cllvm-args=-sanitizer-coverage-pc-table \
     -Cllvm-args=-sanitizer-coverage-trace-compares \
     --cfg fuzzing \
     -Cllvm-args=-simplifycfg-branch-fold-threshold=0 \
     -Cllvm-args=-sanitizer-coverage-stack-depth \
     -Ccodegen-units=16";

/// Builds the libFuzzer binaries exactly as `cargo fuzz build -O -s none --codegen-units 16`
/// would (same target directory and flags, so either reuses the other's build) and returns
/// their directory.
fn build_fuzz_targets() -> PathBuf {
    let triple = host_triple();
    let target_dir = fuzz_dir().join("target");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["build", "--release", "--bins", "--manifest-path"])
        .arg(fuzz_dir().join("Cargo.toml"))
        .args([
            "--config",
            "profile.release.debug=\"line-tables-only\"",
            "--target",
            &triple,
        ])
        .env("RUSTFLAGS", FUZZ_RUSTFLAGS)
        .env("CARGO_TARGET_DIR", &target_dir)
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("CARGO_BUILD_TARGET")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "building the fuzz targets failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    target_dir.join(triple).join("release")
}

/// Runs a libFuzzer binary: `Err` with the end of its output when it found something.
fn run_libfuzzer(binary: &Path, arguments: &[String]) -> Result<(), String> {
    // A target's scratch files go to its own temporary directory, cleared on each run: the
    // process exits from inside libFuzzer, so the target cannot clean up after itself.
    let name = binary.file_name().unwrap_or_default().to_string_lossy();
    let temporary = scratch_dir(&format!("fuzz-{name}-tmp"));
    let output = Command::new(binary)
        .args(arguments)
        .env("TMPDIR", &temporary)
        .output()
        .expect("the fuzz target runs");
    if output.status.success() {
        return Ok(());
    }
    // The panic message (what went wrong), then libFuzzer's last words (where the input is).
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let panic = lines
        .iter()
        .position(|line| line.contains("panicked at"))
        .unwrap_or(lines.len());
    let tail = lines.len().saturating_sub(12).max(panic);
    let message = &lines[panic..lines.len().min(panic + 80)];
    Err(format!(
        "{} exited with {:?}\n{}\n...\n{}",
        binary.display(),
        output.status,
        message.join("\n"),
        lines[tail..].join("\n")
    ))
}

#[test]
fn libfuzzer_targets_find_no_crash() {
    let seed = setting("VERDE_FUZZ_SEED", 1);
    let runs = setting("VERDE_FUZZ_RUNS", 8000);
    let seconds = setting("VERDE_FUZZ_SECONDS", 240);
    let started = Instant::now();
    let bin = build_fuzz_targets();
    let fuzz = fuzz_dir();
    eprintln!("fuzz targets built in {:.0?}", started.elapsed());

    // Every committed reproducer, each in a process of its own (an abort ends the process).
    let mut problems = Vec::new();
    for path in reproducers("bundle") {
        let arguments = ["-timeout=10".to_owned(), path.display().to_string()];
        let failure = run_libfuzzer(&bin.join("bundle"), &arguments).err();
        problems.extend(unexpected(&path, failure));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));

    // The bounded campaign: new inputs go to a scratch corpus (the committed one is only
    // read), crashes to the reproducer directory.
    let work = scratch_dir("fuzz-bundle-corpus");
    let artifacts = fuzz.join("reproducers/bundle");
    std::fs::create_dir_all(&artifacts).unwrap();
    let arguments = vec![
        format!("-seed={seed}"),
        format!("-runs={runs}"),
        format!("-max_total_time={seconds}"),
        "-timeout=10".to_owned(),
        "-rss_limit_mb=4096".to_owned(),
        "-max_len=8192".to_owned(),
        "-print_final_stats=1".to_owned(),
        format!("-dict={}", fuzz.join("bundle.dict").display()),
        format!("-artifact_prefix={}/", artifacts.display()),
        work.display().to_string(),
        fuzz.join("corpus/bundle").display().to_string(),
    ];
    let started = Instant::now();
    let result = run_libfuzzer(&bin.join("bundle"), &arguments);
    eprintln!("bundle: {runs} runs in {:.0?}", started.elapsed());
    if let Err(output) = result {
        panic!(
            "the bundle target crashed (seed {seed}); the input is in {}:\n{output}",
            artifacts.display()
        );
    }

    // The differential target under libFuzzer: a short run, to keep it working.
    let work = scratch_dir("fuzz-differential-corpus");
    let arguments = vec![
        format!("-seed={seed}"),
        "-runs=16".to_owned(),
        "-timeout=120".to_owned(),
        format!(
            "-artifact_prefix={}/",
            scratch_dir("fuzz-differential-artifacts").display()
        ),
        work.display().to_string(),
        fuzz.join("corpus/differential").display().to_string(),
    ];
    let started = Instant::now();
    let result = run_libfuzzer(&bin.join("differential"), &arguments);
    eprintln!(
        "differential under libFuzzer: 16 runs in {:.0?}",
        started.elapsed()
    );
    if let Err(output) = result {
        panic!("the differential target found a mismatch (seed {seed}):\n{output}");
    }
}
