//! Rollup's function tests (`../shared/conformance`), bundled by the real binary and run in
//! node. The list of passing samples is a snapshot: any regression changes it and fails.
//! Samples still failing are listed with their reasons in `docs/conformance.md`.

#![allow(clippy::print_stderr)]

mod common;

use std::process::Command;

#[test]
fn rollup_function_samples() {
    let shared = common::shared_dir();
    let conformance = shared.join("conformance");
    let results = common::scratch_dir("conformance").join("results.json");
    let bundler = format!(
        "'{}' build {{entry}} --format {{format}} --outfile {{out}} [[--external {{externals}}]]",
        common::verde_binary().display()
    );
    let report = common::run_pass_list(
        Command::new("node")
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
        insta::assert_snapshot!("conformance", report);
    });
}
