//! Real npm packages (`tests/npm/packages.mjs`: CommonJS, dual and ES-module packages with
//! CommonJS dependencies, pinned in `tests/npm/package.json`), each bundled by the real binary
//! with `--platform node --format esm` and compared in node with node's own import of the
//! package by `tests/npm/compare.mjs`: export names, each export's typeof and length, the keys
//! of `default`, and one real call. Two entries per package: `export { <node's names> } from
//! 'pkg'` (named) and `export * from 'pkg'` (`[export *]`). The list of passing cases is a
//! snapshot: a regression changes it and fails. See docs/npm-packages.md.

#![allow(clippy::print_stderr)]

mod common;
#[path = "npm/install.rs"]
mod npm_install;

use std::process::Command;

#[test]
fn npm_packages_match_node() {
    let install = npm_install::npm_packages_dir();
    let out = common::scratch_dir("npm-packages-out");
    let results = out.join("results.json");
    let bundler = format!(
        "'{}' build {{entry}} --platform node --format esm --outfile {{out}}",
        common::verde_binary().display()
    );
    let output = Command::new("node")
        .arg(npm_install::npm_suite_dir().join("compare.mjs"))
        .args(["--bundler", &bundler])
        .arg("--dir")
        .arg(install)
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .arg(&results)
        .args(["--allow-fail", "--quiet"])
        .output()
        .expect("node runs compare.mjs");
    assert!(
        output.status.success(),
        "compare.mjs failed:\n{}",
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
            // Reasons go to stderr, not the snapshot: they name verde's messages, which change.
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
        for name in &failed {
            report.push_str(&format!("  {name}\n"));
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
        insta::assert_snapshot!("npm_packages", report);
    });
}
