//! Error paths of the real binary: each bad input gets a message with file:line:column and a
//! code frame, a non-zero exit, and no output file (an existing one is left untouched).

mod common;

use std::{
    path::{Path, PathBuf},
    process::Output,
};

struct Run {
    output: Output,
    stderr: String,
}

fn verde(dir: &Path, args: &[&str]) -> Run {
    let output = common::verde()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("verde runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    Run { output, stderr }
}

fn project(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = common::scratch_dir(&format!("cli-{name}"));
    for (path, contents) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

/// Builds `main.js` of a project that must fail, and checks the common promises.
fn assert_build_fails(name: &str, files: &[(&str, &[u8])], expected: &[&str]) -> Run {
    let dir = project(name, files);
    let run = verde(&dir, &["build", "main.js", "--outfile", "out/bundle.js"]);
    assert_eq!(
        run.output.status.code(),
        Some(1),
        "exit code; stderr:\n{}",
        run.stderr
    );
    for needle in expected {
        assert!(
            run.stderr.contains(needle),
            "stderr should contain {needle:?}:\n{}",
            run.stderr
        );
    }
    assert!(
        !dir.join("out/bundle.js").exists(),
        "no output file after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
    run
}

#[test]
fn missing_entry_is_reported() {
    assert_build_fails(
        "missing-entry",
        &[],
        &["main.js", "file not found", "error[UNREADABLE_FILE]"],
    );
}

#[test]
fn unresolvable_import_points_at_the_specifier() {
    let run = assert_build_fails(
        "unresolved",
        &[
            (
                "main.js",
                b"import './ok.js';\nimport x from './nope.js';\nconsole.log(x);\n",
            ),
            ("ok.js", b""),
        ],
        &[
            "main.js:2:15: error[UNRESOLVED_IMPORT]",
            "could not resolve \"./nope.js\"",
        ],
    );
    assert!(
        run.stderr.contains("import x from './nope.js';"),
        "code frame shows the line:\n{}",
        run.stderr
    );
}

#[test]
fn unresolvable_package_suggests_external() {
    assert_build_fails(
        "unresolved-package",
        &[(
            "main.js",
            b"import React from 'react';\nconsole.log(React);\n",
        )],
        &["main.js:1:19", "--external react"],
    );
}

#[test]
fn missing_export_points_at_the_import() {
    let run = assert_build_fails(
        "missing-export",
        &[
            (
                "main.js",
                b"import { a, b } from './dep.js';\nconsole.log(a, b);\n",
            ),
            ("dep.js", b"export const a = 1;\n"),
        ],
        &[
            "main.js:1:13: error[MISSING_EXPORT]",
            "\"b\" is not exported by \"dep.js\"",
        ],
    );
    assert!(
        run.stderr.contains("import { a, b } from './dep.js';"),
        "{}",
        run.stderr
    );
}

#[test]
fn syntax_error_in_a_dependency() {
    let run = assert_build_fails(
        "syntax-error",
        &[
            ("main.js", b"import './broken.js';\n"),
            ("broken.js", b"const a = 1;\nlet = = 2;\n"),
        ],
        &["broken.js:2:", "error[SYNTAX_ERROR]"],
    );
    assert!(run.stderr.contains("let = = 2;"), "{}", run.stderr);
}

#[test]
fn binary_file_is_not_parsed() {
    assert_build_fails(
        "binary",
        &[
            ("main.js", b"import './image.js';\n"),
            ("image.js", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ],
        &["main.js:1:8: error[UNREADABLE_FILE]", "binary file"],
    );
}

#[test]
fn circular_reexport_is_an_error() {
    assert_build_fails(
        "circular-reexport",
        &[
            ("main.js", b"import { x } from './a.js';\nconsole.log(x);\n"),
            ("a.js", b"export { x } from './b.js';\n"),
            ("b.js", b"export { x } from './a.js';\n"),
        ],
        &["error[CIRCULAR_REEXPORT]"],
    );
}

#[test]
fn failed_build_keeps_the_previous_output() {
    let dir = project("keeps-output", &[("main.js", b"export const a = 1;\n")]);
    assert!(
        verde(&dir, &["build", "main.js", "--outfile", "bundle.js"])
            .output
            .status
            .success()
    );
    let good = std::fs::read_to_string(dir.join("bundle.js")).unwrap();
    std::fs::write(dir.join("main.js"), "export const a = ;\n").unwrap();
    let run = verde(&dir, &["build", "main.js", "--outfile", "bundle.js"]);
    assert_eq!(run.output.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(dir.join("bundle.js")).unwrap(),
        good
    );
}

#[test]
fn refuses_to_overwrite_an_input() {
    let dir = project(
        "overwrite-input",
        &[
            ("main.js", b"import './dep.js';\n"),
            ("dep.js", b"console.log(1);\n"),
        ],
    );
    let run = verde(&dir, &["build", "main.js", "--outfile", "dep.js"]);
    assert_eq!(run.output.status.code(), Some(1));
    assert!(
        run.stderr.contains("refusing to overwrite"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("dep.js")).unwrap(),
        "console.log(1);\n"
    );
}

#[test]
fn bad_flags_are_usage_errors() {
    let dir = project("bad-flag", &[("main.js", b"")]);
    let run = verde(
        &dir,
        &["build", "main.js", "--outfile", "x.js", "--no-such-flag"],
    );
    assert_eq!(run.output.status.code(), Some(2));
    assert!(run.stderr.contains("--no-such-flag"), "{}", run.stderr);
    let run = verde(
        &dir,
        &["build", "main.js", "--outfile", "x.js", "--format", "amd"],
    );
    assert_eq!(run.output.status.code(), Some(2));
    assert!(run.stderr.contains("amd"), "{}", run.stderr);
    let run = verde(&dir, &["build", "main.js"]);
    assert_eq!(run.output.status.code(), Some(2));
    assert!(run.stderr.contains("--outfile"), "{}", run.stderr);
    let run = verde(
        &dir,
        &["build", "main.js", "--outfile", "x.js", "--threads", "0"],
    );
    assert_eq!(run.output.status.code(), Some(2));
    assert!(run.stderr.contains("--threads"), "{}", run.stderr);
    let run = verde(
        &dir,
        &["build", "main.js", "--outfile", "x.js", "--sourcemap=bogus"],
    );
    assert_eq!(run.output.status.code(), Some(2));
    assert!(
        run.stderr.contains("unknown source map mode 'bogus'"),
        "{}",
        run.stderr
    );
    assert!(!dir.join("x.js").exists());
    assert!(!dir.join("x.js.map").exists());
    let run = verde(
        &dir,
        &[
            "build",
            "main.js",
            "--outfile",
            "x.js",
            "--legal-comments=bogus",
        ],
    );
    assert_eq!(run.output.status.code(), Some(2));
    assert!(run.stderr.contains("--legal-comments"), "{}", run.stderr);
    assert!(!dir.join("x.js").exists());
}

#[test]
fn stats_report_phases_and_counts() {
    let dir = project(
        "stats",
        &[
            (
                "main.js",
                b"import { used } from './lib.js';\nconsole.log(used);\n",
            ),
            (
                "lib.js",
                b"export const used = 1;\nexport const unused = 2;\n",
            ),
        ],
    );
    let stats = |outfile: &str| {
        verde(
            &dir,
            &[
                "build",
                "main.js",
                "--outfile",
                outfile,
                "--stats",
                "--cache-dir",
                "cache",
            ],
        )
    };
    let run = stats("bundle.js");
    assert!(run.output.status.success(), "{}", run.stderr);
    let line = |phase: &str| {
        run.stderr
            .lines()
            .find(|line| line.starts_with(phase))
            .unwrap_or_else(|| panic!("no {phase} line in:\n{}", run.stderr))
            .to_owned()
    };
    // Two modules; three items (the import is not an item), two of them live.
    assert!(
        line("parse+scope").ends_with("2 modules, 3 items; 2 parsed, 0 from the cache"),
        "{}",
        run.stderr
    );
    // A second process finds both in the module cache.
    let second = stats("second.js");
    assert!(
        second
            .stderr
            .contains("2 modules, 3 items; 0 parsed, 2 from the cache"),
        "{}",
        second.stderr
    );
    assert!(line("link").ends_with("2 live items"), "{}", run.stderr);
    let bytes = std::fs::metadata(dir.join("bundle.js")).unwrap().len();
    assert!(
        line("write").ends_with(&format!("{:.2} MB", bytes as f64 / 1e6)),
        "{}",
        run.stderr
    );
    for phase in ["render", "total"] {
        assert!(line(phase).contains(" ms"), "{}", run.stderr);
    }
}

#[test]
fn ambiguous_import_is_an_error() {
    assert_build_fails(
        "ambiguous-import",
        &[
            (
                "main.js",
                b"import { shared } from './both.js';\nconsole.log(shared);\n",
            ),
            (
                "both.js",
                b"export * from './a.js';\nexport * from './b.js';\n",
            ),
            ("a.js", b"export const shared = 'a';\n"),
            ("b.js", b"export const shared = 'b';\n"),
        ],
        &[
            "main.js:1:10: error[AMBIGUOUS_EXPORT]",
            "\"a.js\" and \"b.js\"",
        ],
    );
}

#[test]
fn warnings_do_not_fail_the_build() {
    // `x` may come from either external `export *`: rollup guesses the first, with a warning.
    let dir = project(
        "ambiguous-external-warning",
        &[
            (
                "main.js",
                b"import { x } from './both.js';\nconsole.log(x);\n",
            ),
            (
                "both.js",
                b"export * from 'first';\nexport * from 'second';\n",
            ),
        ],
    );
    let run = verde(
        &dir,
        &[
            "build",
            "main.js",
            "--outfile",
            "bundle.js",
            "--format",
            "cjs",
            "--external",
            "first,second",
        ],
    );
    assert!(run.output.status.success(), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("main.js:1:10: warning[AMBIGUOUS_EXTERNAL_NAMESPACES]"),
        "{}",
        run.stderr
    );
    let bundle = std::fs::read_to_string(dir.join("bundle.js")).unwrap();
    assert!(bundle.contains("require(\"first\")"), "{bundle}");
}

#[test]
fn help_and_version() {
    let dir = project("help", &[]);
    let run = verde(&dir, &["--help"]);
    assert!(run.output.status.success());
    assert!(String::from_utf8_lossy(&run.output.stdout).contains("build"));
    let run = verde(&dir, &["--version"]);
    assert!(run.output.status.success());
    assert!(String::from_utf8_lossy(&run.output.stdout).contains(env!("CARGO_PKG_VERSION")));
}
