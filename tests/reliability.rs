//! Robustness of the real binary (issue 9): no input spells a relocation, a bug is an
//! internal error and never a hang, no nesting node accepts overflows a stack, and bad
//! files and flags get clear errors. Every run has a deadline: a hang fails the test.

mod common;

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

const DEADLINE: Duration = Duration::from_secs(120);

struct Run {
    code: Option<i32>,
    stderr: String,
}

/// Runs `verde` in `dir` with `args` (and `env`), killing it if it outlives the deadline.
fn verde_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = common::verde();
    command
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("verde starts");
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("verde {args:?} hung for {DEADLINE:?} in {}", dir.display());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code(),
        stderr: reader.join().unwrap(),
    }
}

fn verde(dir: &Path, args: &[&str]) -> Run {
    verde_with_env(dir, args, &[])
}

fn project(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = common::scratch_dir(&format!("reliability-{name}"));
    for (path, contents) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    // Every `.js` file is an ES module, so node can run the project unbundled.
    std::fs::write(dir.join("package.json"), r#"{ "type": "module" }"#).unwrap();
    dir
}

/// Builds `main.js` and checks that node prints the same for the bundle as for the
/// modules as written.
fn assert_bundle_runs_like_the_modules(dir: &Path, extra_args: &[&str]) {
    let mut args = vec!["build", "main.js", "--outfile", "out/bundle.mjs"];
    args.extend_from_slice(extra_args);
    let run = verde(dir, &args);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let bundled = common::run_node(&dir.join("out/bundle.mjs"));
    let unbundled = common::run_node(&dir.join("main.js"));
    assert_eq!(bundled, unbundled, "in {}", dir.display());
}

#[test]
fn escaped_names_that_spell_a_marker_are_user_text() {
    let dir = project(
        "escaped-markers",
        &[(
            "main.js",
            "const a = 'top';\n\
             function f() { let \\u0024ᐸ0_ = 'inner'; return [\\u0024ᐸ0_, a]; }\n\
             class C { #$\\u1438 = 1; $\\u1438(p$\\u1438) { return this.#$\\u1438 + p$\\u1438; } }\n\
             const o = { $\\u1438: 2 };\n\
             l$\\u1438: for (;;) break l$\\u1438;\n\
             console.log(f(), new C().$\\u1438(o.$\\u1438));\n",
        )],
    );
    for threads in ["1", "2"] {
        assert_bundle_runs_like_the_modules(&dir, &["--threads", threads]);
    }
}

#[test]
fn a_panic_in_any_phase_is_an_internal_error_naming_the_module() {
    for phase in ["parse", "link", "render"] {
        for threads in ["1", "4"] {
            let dir = project(
                &format!("panic-{phase}-{threads}"),
                &[
                    (
                        "main.js",
                        "import { x } from './dep.js';\nconsole.log(x);\n",
                    ),
                    (
                        "dep.js",
                        &format!("export const x = '__verde_fault_{phase}__';\n"),
                    ),
                ],
            );
            let run = verde(
                &dir,
                &[
                    "build",
                    "main.js",
                    "--outfile",
                    "out.js",
                    "--threads",
                    threads,
                ],
            );
            assert_eq!(
                run.code,
                Some(70),
                "{phase}, {threads} threads: {}",
                run.stderr
            );
            // Linking `main.js` asks for the exports of `dep.js`: either task may be the
            // one that runs into the fault first.
            assert!(
                run.stderr.contains("dep.js: error[INTERNAL_ERROR]")
                    || phase == "link" && run.stderr.contains("main.js: error[INTERNAL_ERROR]"),
                "{phase}: {}",
                run.stderr
            );
            assert!(
                !dir.join("out.js").exists(),
                "no output after an internal error"
            );
        }
    }
}

#[test]
fn nesting_node_accepts_compiles_and_deeper_is_a_clean_error() {
    let shapes = [
        (
            "parens",
            format!(
                "console.log({}1{});\n",
                "(".repeat(1_300),
                ")".repeat(1_300)
            ),
        ),
        (
            "arrays",
            format!(
                "console.log({}1{}.length);\n",
                "[".repeat(1_300),
                "]".repeat(1_300)
            ),
        ),
        (
            "classes",
            format!(
                "console.log(typeof ({}Object{}));\n",
                "class extends ".repeat(880),
                "{}".repeat(880)
            ),
        ),
        ("sum", format!("console.log(1{});\n", " + 1".repeat(6_900))),
        (
            "long-sum",
            format!("console.log(1{});\n", " + 1".repeat(200_000)),
        ),
        ("nots", format!("console.log({}1);\n", "!".repeat(11_000))),
    ];
    for (name, main) in shapes {
        let dir = project(&format!("nesting-{name}"), &[("main.js", &main)]);
        assert_bundle_runs_like_the_modules(&dir, &[]);
    }
    let too_deep = format!(
        "console.log({}1{});\n",
        "(".repeat(200_000),
        ")".repeat(200_000)
    );
    let dir = project("nesting-too-deep", &[("main.js", &too_deep)]);
    let run = verde(&dir, &["build", "main.js", "--outfile", "out.js"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("main.js:1:100012: error[NESTING_TOO_DEEP]")
            && run.stderr.len() < 2_000,
        "{}",
        run.stderr
    );
}

#[test]
fn eighty_thousand_anonymous_statements_compile() {
    // They were all one key to salsa's tracked-struct map (24 s, quadratic); run it to be
    // sure they still come out in order.
    let main: String = (0..80_000)
        .map(|index| format!("if ({index} % 20000 === 0) console.log({index});\n"))
        .collect();
    let dir = project("anonymous-statements", &[("main.js", &main)]);
    assert_bundle_runs_like_the_modules(&dir, &[]);
}

#[test]
fn a_ten_thousand_module_export_star_chain_links() {
    let count = 10_000;
    let mut files: Vec<(String, String)> = (0..count)
        .map(|index| {
            let next = if index + 1 < count {
                format!("export * from './m{}.js';\n", index + 1)
            } else {
                String::new()
            };
            (
                format!("m{index}.js"),
                format!("{next}export const v{index} = {index};\n"),
            )
        })
        .collect();
    files.push((
        "main.js".to_owned(),
        format!(
            "import * as ns from './m0.js';\nimport {{ v{last} }} from './m0.js';\nconsole.log(Object.keys(ns).length, v{last});\n",
            last = count - 1
        ),
    ));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let dir = project("star-chain", &borrowed);
    // Node itself runs out of stack on this chain ("Maximum call stack size exceeded"), so
    // the expected output is written out.
    let run = verde(&dir, &["build", "main.js", "--outfile", "out/bundle.mjs"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        common::run_node(&dir.join("out/bundle.mjs")),
        format!("{count} {}\n", count - 1)
    );
}

#[test]
fn outputs_are_checked_by_real_path_and_name() {
    let dir = project(
        "outputs",
        &[
            ("main.js", "console.log('main');\n"),
            ("a/util.js", "console.log('a');\n"),
            ("b/util.js", "console.log('b');\n"),
        ],
    );
    // Building `entry` to `outfile` is refused, and `input` keeps its `text`.
    let refused = |entry: &str, outfile: &str, input: &str, text: &str| {
        let run = verde(&dir, &["build", entry, "--outfile", outfile]);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert!(
            run.stderr.contains("refusing to overwrite the input"),
            "{}",
            run.stderr
        );
        assert_eq!(std::fs::read_to_string(dir.join(input)).unwrap(), text);
    };
    // `link/main.js` is `main.js` when `link -> .`.
    std::os::unix::fs::symlink(".", dir.join("link")).unwrap();
    refused(
        "main.js",
        "link/main.js",
        "main.js",
        "console.log('main');\n",
    );
    // Nor is a module the entry imports, named another way.
    std::fs::write(dir.join("imports.js"), "import './a/util.js';\n").unwrap();
    refused(
        "imports.js",
        "link/a/../a/util.js",
        "a/util.js",
        "console.log('a');\n",
    );

    // Two entries with the same name cannot share an output file.
    let run = verde(
        &dir,
        &["build", "a/util.js", "b/util.js", "--outdir", "out"],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("would both be written to"),
        "{}",
        run.stderr
    );
    assert!(!dir.join("out").exists());

    // A name as long as the file system allows still has room for the temporary file.
    let long = format!("{}.js", "x".repeat(252));
    let run = verde(&dir, &["build", "main.js", "--outfile", &long]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(dir.join(&long).exists());

    // A replaced output keeps its permissions.
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(dir.join(&long), std::fs::Permissions::from_mode(0o751)).unwrap();
    let run = verde(&dir, &["build", "main.js", "--outfile", &long]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let mode = std::fs::metadata(dir.join(&long))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o751);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(".verde-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_fifo_is_refused_not_read() {
    let dir = project("fifo", &[("main.js", "import './pipe.js';\n")]);
    let status = Command::new("mkfifo")
        .arg(dir.join("pipe.js"))
        .status()
        .unwrap();
    assert!(status.success());
    // As an import, the resolver does not take it for a module.
    let run = verde(&dir, &["build", "main.js", "--outfile", "out.js"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("UNRESOLVED_IMPORT"), "{}", run.stderr);
    // As the entry, it is refused.
    let run = verde(&dir, &["build", "pipe.js", "--outfile", "out.js"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
}

#[test]
fn global_names_and_thread_counts_are_checked() {
    let dir = project("flags", &[("main.js", "export const a = 1;\n")]);
    for bad in ["my-lib", "class", "1abc", "", "a;alert(1)//", "a..b"] {
        let run = verde(
            &dir,
            &[
                "build",
                "main.js",
                "--outfile",
                "out.js",
                "--format",
                "iife",
                "--name",
                bad,
            ],
        );
        assert_eq!(run.code, Some(2), "--name {bad:?}: {}", run.stderr);
        assert!(run.stderr.contains("--name"), "{}", run.stderr);
    }
    // Dotted names are accepted, as esbuild accepts them.
    let run = verde(
        &dir,
        &[
            "build",
            "main.js",
            "--outfile",
            "out.js",
            "--format",
            "iife",
            "--name",
            "my.lib",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // An IIFE without a name would drop the exports.
    let run = verde(
        &dir,
        &[
            "build",
            "main.js",
            "--outfile",
            "out2.js",
            "--format",
            "iife",
        ],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("MISSING_NAME_OPTION_FOR_IIFE_EXPORT"),
        "{}",
        run.stderr
    );

    for bad in ["0", "65535", "abc", "-1"] {
        let run = verde(
            &dir,
            &["build", "main.js", "--outfile", "out.js", "--threads", bad],
        );
        assert_eq!(run.code, Some(2), "--threads {bad}: {}", run.stderr);
        let run = verde_with_env(
            &dir,
            &["build", "main.js", "--outfile", "out.js"],
            &[("VERDE_THREADS", bad)],
        );
        assert_eq!(run.code, Some(2), "VERDE_THREADS={bad}: {}", run.stderr);
        assert!(run.stderr.contains("VERDE_THREADS"), "{}", run.stderr);
    }
}
