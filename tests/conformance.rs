//! Rollup's function tests (`../shared/conformance`), bundled by the real binary and run in
//! node. The list of passing samples is a snapshot: any regression changes it and fails.
//! Samples still failing are listed with their reasons in `docs/conformance.md`.

#![allow(clippy::print_stderr)]

mod common;

use std::process::Command;

#[test]
fn rollup_function_samples() {
    assert_pass_list("conformance", "");
}

/// With source maps on, every sample passes that passes without: object code that carries
/// segments renders the same code.
#[test]
fn rollup_function_samples_with_source_maps() {
    assert_pass_list("conformance-sourcemap", " --sourcemap");
}

/// Minified, with source maps: printing without whitespace, joining the items without
/// separators, compressing and mangling change no sample's behaviour but the two that read
/// a function's or class's `.name`, which minifying renames (as esbuild's and terser's do).
#[test]
fn rollup_function_samples_minified() {
    assert_pass_list_as(
        "conformance-minified",
        " --minify --sourcemap",
        "conformance_minified",
    );
}

/// Minified with `--keep-names`: every sample passes, `.name` included.
#[test]
fn rollup_function_samples_minified_keeping_names() {
    assert_pass_list("conformance-minified-keep-names", " --minify --keep-names");
}

/// Runs every sample through `verde build ... {flags}` and compares the pass list with the
/// snapshot of all of them passing.
fn assert_pass_list(scratch: &str, flags: &str) {
    assert_pass_list_as(scratch, flags, "conformance");
}

/// Runs every sample through `verde build ... {flags}` and compares the pass list with the
/// snapshot `snapshot`.
fn assert_pass_list_as(scratch: &str, flags: &str, snapshot: &str) {
    let shared = common::shared_dir();
    let conformance = shared.join("conformance");
    let results = common::scratch_dir(scratch).join("results.json");
    let bundler = format!(
        "'{}' build {{entry}} --format {{format}} --outfile {{out}}{flags} [[--external {{externals}}]]",
        common::verde_binary().display()
    );
    let report = common::run_pass_list(
        common::with_module_cache(&mut Command::new("node"))
            .arg(conformance.join("run.mjs"))
            .args(["--bundler", &bundler])
            .arg("--samples")
            .arg(conformance.join("samples"))
            .arg("--json")
            .arg(&results)
            .args(["--allow-fail", "--quiet"]),
        &results,
    );
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(snapshot, report);
    });
}
