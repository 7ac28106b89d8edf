//! Real code: the corpora of `../shared/bench/corpora.sh` (three.js, three.js x10, lodash-es,
//! rxjs, date-fns, and rxjs and zod from their TypeScript sources, installed from the npm
//! registry), bundled by the real binary and
//! exercised in node by `../shared/bench/check-bundle.mjs` (`new Vector3(1, 2, 3).length()`,
//! `chunk`, `camelCase`, rxjs pipelines, date formatting with a locale, ...).

mod common;

use std::process::Command;

/// Bundles the corpus plain, then with `--minify-whitespace`, and runs each in node.
fn bundle_and_check(corpus: &str, entry: &str) {
    bundle_and_check_with(corpus, entry, &[]);
    bundle_and_check_with(corpus, entry, &["--minify"]);
}

fn bundle_and_check_with(corpus: &str, entry: &str, flags: &[&str]) {
    let dir = common::corpora_dir();
    let out = common::scratch_dir(&format!("corpus-{corpus}{}", flags.concat())).join("bundle.mjs");
    let build = common::verde()
        .args(["build", entry, "--format", "esm", "--outfile"])
        .arg(&out)
        .args(flags)
        .current_dir(dir)
        .output()
        .expect("verde runs");
    assert!(
        build.status.success(),
        "verde failed on {corpus} {flags:?}:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let check = Command::new("node")
        .arg(common::shared_dir().join("bench/check-bundle.mjs"))
        .arg(corpus)
        .arg(&out)
        .output()
        .expect("node runs check-bundle.mjs");
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success() && stdout.trim() == "ok",
        "the {corpus} bundle {flags:?} does not work: {stdout}{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn three() {
    bundle_and_check("three", "three/entry.js");
}

#[test]
fn three_times_ten() {
    bundle_and_check("three10", "three10/entry.js");
}

#[test]
fn lodash_es() {
    bundle_and_check("lodash-es", "lodash-es/entry.js");
}

#[test]
fn rxjs() {
    bundle_and_check("rxjs", "rxjs/entry.js");
}

#[test]
fn date_fns() {
    bundle_and_check("date-fns", "date-fns/entry.js");
}

/// rxjs from its TypeScript sources: extensionless imports, and re-exports of interfaces
/// without `type`.
#[test]
fn rxjs_from_typescript() {
    bundle_and_check("rxjs-ts", "rxjs-ts/entry.ts");
}

/// zod from its TypeScript sources: `./x.js` imports of `.ts` files.
#[test]
fn zod_from_typescript() {
    bundle_and_check("zod-ts", "zod-ts/entry.ts");
}
