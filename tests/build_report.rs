//! What a build tells people and tools about itself: the list of written files with their
//! sizes, `--log-level`, `--analyze`, and `--metafile` in esbuild's JSON shape, checked
//! against the files on disk and read back by esbuild's own metafile analyzer.

mod common;

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde_json::Value;

/// A project under `src/` of a scratch directory, built into `out/`.
struct Project {
    dir: PathBuf,
}

impl Project {
    fn new(name: &str, files: &[(&str, &str)]) -> Self {
        let dir = common::scratch_dir(&format!("build-report-{name}"));
        for (path, text) in files {
            let path = dir.join("src").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Project { dir }
    }

    fn build(&self, args: &[&str]) -> Output {
        common::verde()
            .current_dir(&self.dir)
            .arg("build")
            .args(args)
            .output()
            .expect("verde runs")
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Two entries sharing a module, a route loaded by `import()`, a CommonJS dependency and
/// an external.
const APP: &[(&str, &str)] = &[
    (
        "a.js",
        "import { shared } from './shared.js';\nimport big from './big.cjs';\nimport 'node:fs';\nconsole.log(shared, big.length);\nimport('./route.js').then((route) => console.log(route.page));\nexport const a = 1;\n",
    ),
    (
        "b.js",
        "import { shared } from './shared.js';\nconsole.log('b', shared);\n",
    ),
    ("shared.js", "export const shared = 'shared';\n"),
    (
        "big.cjs",
        "module.exports = 'a long string that makes this the largest input of its output file, by far';\n",
    ),
    (
        "route.js",
        "import { shared } from './shared.js';\nexport const page = 'route of ' + shared;\n",
    ),
];

#[test]
fn a_build_lists_the_files_it_wrote_with_their_sizes() {
    let project = Project::new("summary", APP);
    let build = project.build(&["src/a.js", "src/b.js", "--outdir", "out", "--sourcemap"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let printed = stderr(&build);
    let mut listed = 0;
    for entry in std::fs::read_dir(project.path("out")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let bytes = std::fs::metadata(project.path("out").join(&name))
            .unwrap()
            .len() as usize;
        let line = printed
            .lines()
            .find(|line| line.trim_start().starts_with(&format!("out/{name} ")))
            .unwrap_or_else(|| panic!("out/{name} is not listed:\n{printed}"));
        assert!(
            line.ends_with(&verde::metafile::human_size(bytes)),
            "{line} does not end with the size of out/{name}, {bytes} bytes"
        );
        listed += 1;
    }
    // a.js, b.js, the route, the shared chunk, and their maps.
    assert_eq!(listed, 8, "{printed}");
    assert!(printed.contains("\nDone in "), "{printed}");
}

#[test]
fn the_log_level_says_what_is_printed() {
    let project = Project::new(
        "log-level",
        &[
            ("main.cjs", "require('pkg');\nconsole.log('main');\n"),
            // A package whose optional dependency is missing: a warning.
            (
                "node_modules/pkg/index.js",
                "try { require('an-optional-package'); } catch {}\n",
            ),
            ("node_modules/pkg/package.json", "{ \"name\": \"pkg\" }\n"),
        ],
    );
    let build = |level: &str| project.build(&["src/main.cjs", "--outfile", "out.js", level]);
    let info = build("--log-level=info");
    assert!(info.status.success());
    assert!(
        stderr(&info).contains("UNRESOLVED_REQUIRE"),
        "{}",
        stderr(&info)
    );
    assert!(stderr(&info).contains("out.js"), "{}", stderr(&info));

    let warning = build("--log-level=warning");
    assert!(warning.status.success());
    assert!(stderr(&warning).contains("UNRESOLVED_REQUIRE"));
    assert!(!stderr(&warning).contains("out.js"), "{}", stderr(&warning));

    for quiet in ["--log-level=error", "--log-level=silent"] {
        let build = build(quiet);
        assert!(build.status.success());
        assert_eq!(stderr(&build), "", "{quiet}");
    }

    // An error is printed at `error`, and nothing at `silent`, where only the exit code
    // says the build failed.
    std::fs::write(project.path("src/main.cjs"), "console.log(;\n").unwrap();
    let error = build("--log-level=error");
    assert_eq!(error.status.code(), Some(1));
    assert!(
        stderr(&error).contains("main.cjs:1:13"),
        "{}",
        stderr(&error)
    );
    let silent = build("--log-level=silent");
    assert_eq!(silent.status.code(), Some(1));
    assert_eq!(stderr(&silent), "");

    let bad = build("--log-level=loud");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn analyze_lists_each_outputs_largest_inputs_first() {
    let project = Project::new("analyze", APP);
    let build = project.build(&["src/a.js", "src/b.js", "--outdir", "out", "--analyze"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let printed = stderr(&build);
    // a.js holds its own code and the CommonJS module, which is larger.
    let block: Vec<&str> = printed
        .split("\n\n")
        .find(|block| block.trim_start().starts_with("out/a.js"))
        .unwrap_or_else(|| panic!("no block for out/a.js:\n{printed}"))
        .trim_start_matches('\n')
        .lines()
        .collect();
    assert!(block[0].trim_end().ends_with("100.0%"), "{}", block[0]);
    assert!(block[1].contains("├ src/big.cjs"), "{printed}");
    assert!(block[2].contains("└ src/a.js"), "{printed}");
    let share = |line: &str| -> f64 {
        line.split_whitespace()
            .last()
            .unwrap()
            .trim_end_matches('%')
            .parse()
            .unwrap()
    };
    assert!(share(block[1]) > share(block[2]), "{printed}");
    assert!(share(block[1]) + share(block[2]) <= 100.0, "{printed}");
}

#[test]
fn the_metafile_describes_every_input_and_output_as_esbuild_does() {
    let project = Project::new("metafile", APP);
    for (flags, minified) in [(&[][..], false), (&["--minify", "--sourcemap"][..], true)] {
        let _ = std::fs::remove_dir_all(project.path("out"));
        let mut args = vec![
            "src/a.js",
            "src/b.js",
            "--outdir",
            "out",
            "--metafile",
            "meta.json",
        ];
        args.extend_from_slice(flags);
        let build = project.build(&args);
        assert!(build.status.success(), "{}", stderr(&build));
        let text = std::fs::read_to_string(project.path("meta.json")).unwrap();
        let meta: Value = serde_json::from_str(&text).unwrap();
        check_metafile(&project, &meta, minified);
        analyze_with_esbuild(&project.path("meta.json"), &meta);
    }

    // Without splitting too: one output holding every input it bundles.
    let build = project.build(&["src/b.js", "--outfile", "one.js", "--metafile=one.json"]);
    assert!(build.status.success(), "{}", stderr(&build));
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(project.path("one.json")).unwrap()).unwrap();
    let outputs = meta["outputs"].as_object().unwrap();
    assert_eq!(outputs.keys().collect::<Vec<_>>(), ["one.js"]);
    let held: Vec<&String> = outputs["one.js"]["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(held, ["src/b.js", "src/shared.js"]);
}

/// Checks the metafile against the files: sizes, what each output holds (its modules'
/// `// path` headers, unless minified), what it imports, and the entries.
fn check_metafile(project: &Project, meta: &Value, minified: bool) {
    let inputs = meta["inputs"].as_object().unwrap();
    let mut names: Vec<&String> = inputs.keys().collect();
    names.sort();
    assert_eq!(
        names,
        [
            "src/a.js",
            "src/b.js",
            "src/big.cjs",
            "src/route.js",
            "src/shared.js"
        ]
    );
    for (path, input) in inputs {
        let size = std::fs::metadata(project.path(path)).unwrap().len();
        assert_eq!(input["bytes"], size, "{path}");
    }
    let a_imports = &inputs["src/a.js"]["imports"];
    let expected = serde_json::json!([
        { "path": "src/shared.js", "kind": "import-statement", "original": "./shared.js" },
        { "path": "src/big.cjs", "kind": "import-statement", "original": "./big.cjs" },
        { "path": "node:fs", "kind": "import-statement", "external": true, "original": "node:fs" },
        { "path": "src/route.js", "kind": "dynamic-import", "original": "./route.js" },
    ]);
    assert_eq!(a_imports, &expected);
    assert_eq!(inputs["src/big.cjs"]["format"], "cjs");
    assert_eq!(inputs["src/shared.js"]["format"], "esm");

    let outputs = meta["outputs"].as_object().unwrap();
    let mut on_disk: Vec<String> = std::fs::read_dir(project.path("out"))
        .unwrap()
        .map(|entry| format!("out/{}", entry.unwrap().file_name().to_string_lossy()))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = outputs.keys().cloned().collect();
    listed.sort();
    assert_eq!(listed, on_disk);
    let mut holders: Vec<(&str, &str)> = Vec::new();
    for (path, output) in outputs {
        let text = std::fs::read_to_string(project.path(path)).unwrap();
        assert_eq!(output["bytes"], text.len(), "{path}");
        if path.ends_with(".map") {
            assert_eq!(output["inputs"], serde_json::json!({}));
            continue;
        }
        let held = output["inputs"].as_object().unwrap();
        let in_output: u64 = held
            .values()
            .map(|input| input["bytesInOutput"].as_u64().unwrap())
            .sum();
        assert!(in_output <= text.len() as u64, "{path}");
        for input in held.keys() {
            holders.push((input, path));
            if !minified {
                let header = format!("// {input}\n");
                assert!(
                    text.contains(&header),
                    "{path} does not hold {input}:\n{text}"
                );
            }
        }
        // What it imports is what its code names.
        for import in output["imports"].as_array().unwrap() {
            let target = import["path"].as_str().unwrap();
            let named = match import["external"].as_bool() {
                Some(true) => target.to_owned(),
                _ => format!("./{}", target.trim_start_matches("out/")),
            };
            let kind = import["kind"].as_str().unwrap();
            let written = match kind {
                "dynamic-import" => format!("import(\"{named}\")"),
                _ => format!("\"{named}\""),
            };
            assert!(
                text.contains(&written),
                "{path} does not {kind} {named}:\n{text}"
            );
        }
        let chunk_imports = text.matches("from\"./").count() + text.matches("from \"./").count();
        let listed_static = output["imports"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|import| {
                import["kind"] == "import-statement" && import["external"].as_bool() != Some(true)
            })
            .count();
        assert_eq!(chunk_imports, listed_static, "{path}:\n{text}");
    }
    // Each input is in exactly one output.
    holders.sort();
    let held: Vec<&str> = holders.iter().map(|(input, _)| *input).collect();
    assert_eq!(
        held,
        [
            "src/a.js",
            "src/b.js",
            "src/big.cjs",
            "src/route.js",
            "src/shared.js"
        ]
    );
    let entry_of = |file: &str| outputs[file]["entryPoint"].as_str().map(str::to_owned);
    assert_eq!(entry_of("out/a.js").as_deref(), Some("src/a.js"));
    assert_eq!(entry_of("out/b.js").as_deref(), Some("src/b.js"));
    let exports = &outputs["out/a.js"]["exports"];
    assert!(
        exports.as_array().unwrap().contains(&Value::from("a")),
        "{exports}"
    );
}

/// esbuild's `analyzeMetafile` reads it and names every output and what it holds.
fn analyze_with_esbuild(path: &Path, meta: &Value) {
    let script = "import { analyzeMetafile } from 'esbuild';\n\
                  import { readFileSync } from 'node:fs';\n\
                  console.log(await analyzeMetafile(readFileSync(process.argv[2], 'utf8')));\n";
    let runner = common::node_tools_dir().join("analyze-metafile.mjs");
    std::fs::write(&runner, script).unwrap();
    let run = common::run_successfully(
        Command::new("node").arg(&runner).arg(path),
        "esbuild's analyzeMetafile",
    );
    let analysis = String::from_utf8_lossy(&run.stdout);
    for (output, contents) in meta["outputs"].as_object().unwrap() {
        if output.ends_with(".map") {
            continue;
        }
        assert!(analysis.contains(output.as_str()), "{output}:\n{analysis}");
        for input in contents["inputs"].as_object().unwrap().keys() {
            assert!(analysis.contains(input.as_str()), "{input}:\n{analysis}");
        }
    }
}
