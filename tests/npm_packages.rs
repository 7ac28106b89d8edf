//! Real npm packages (`tests/npm/packages.mjs`: CommonJS, dual and ES-module packages with
//! CommonJS dependencies, pinned in `tests/npm/package.json`), each bundled by the real binary
//! with `--platform node --format esm` (then again with `--minify`) and compared in node with node's own import of the
//! package by `tests/npm/compare.mjs`: export names, each export's typeof and length, the keys
//! of `default`, and one real call. Two entries per package: `export { <node's names> } from
//! 'pkg'` (named) and `export * from 'pkg'` (`[export *]`). The list of passing cases is a
//! snapshot (one per mode): a regression changes it and fails. See docs/npm-packages.md.

#![allow(clippy::print_stderr)]

mod common;
#[path = "npm/install.rs"]
mod npm_install;

use std::process::Command;

/// Plain, then minified: what the compressor, the mangler and link's rewrites (constants and
/// objects read in place, short names) do to real code must not change what it does. One
/// after the other: `compare.mjs` writes its entries into the shared install directory.
#[test]
fn npm_packages_match_node() {
    compare_with_node("", "npm-packages-out", "npm_packages");
    compare_with_node(
        " --minify",
        "npm-packages-out-minified",
        "npm_packages_minified",
    );
}

/// Bundles every package with `flags` added and compares the bundles with node's import;
/// the passing cases are the snapshot `snapshot`.
fn compare_with_node(flags: &str, scratch: &str, snapshot: &str) {
    let install = npm_install::npm_packages_dir();
    let out = common::scratch_dir(scratch);
    let results = out.join("results.json");
    let bundler = format!(
        "'{}' build {{entry}} --platform node --format esm{flags} --outfile {{out}}",
        common::verde_binary().display()
    );
    let report = common::run_pass_list(
        common::with_module_cache(&mut Command::new("node"))
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
        insta::assert_snapshot!(snapshot, report);
    });
}
