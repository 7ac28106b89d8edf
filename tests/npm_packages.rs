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
    let report = common::run_pass_list(
        Command::new("node")
            .arg(npm_install::npm_suite_dir().join("compare.mjs"))
            .args(["--bundler", &bundler])
            .arg("--dir")
            .arg(install)
            .arg("--out")
            .arg(&out)
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
        insta::assert_snapshot!("npm_packages", report);
    });
}
