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
    let output = Command::new("node")
        .arg(conformance.join("run.mjs"))
        .args(["--bundler", &bundler])
        .arg("--samples")
        .arg(conformance.join("samples"))
        .arg("--json")
        .arg(&results)
        .args(["--allow-fail", "--quiet"])
        .output()
        .expect("node runs the conformance runner");
    assert!(
        output.status.success(),
        "the runner failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    let mut passed = Vec::new();
    let mut failed = Vec::new();
    for result in summary["results"].as_array().unwrap() {
        let name = result["name"].as_str().unwrap().to_owned();
        if result["status"] == "PASS" {
            passed.push(name);
        } else {
            // Reasons go to stderr, not the snapshot: they may mention temporary paths.
            eprintln!("{name}: {}", result["reason"].as_str().unwrap_or(""));
            failed.push(name);
        }
    }
    passed.sort();
    failed.sort();
    let total = passed.len() + failed.len();
    let mut report = format!("passed {} of {total}\n", passed.len());
    if !failed.is_empty() {
        report.push_str("\nfailing:\n");
        for line in &failed {
            report.push_str(&format!("  {line}\n"));
        }
    }
    report.push_str("\npassing:\n");
    for name in &passed {
        report.push_str(&format!("  {name}\n"));
    }
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("conformance", report);
    });
}
