//! Code splitting (`--outdir` with ES module output), checked against node: seeded random
//! graphs of ES modules with several entries, `import()`s, cycles, side effects and live
//! bindings are split into chunks by the real binary, and importing the entries from the
//! chunks must print what importing the unbundled modules prints. Node is the oracle;
//! nothing expected is written down. A graph whose split would reorder side effects must be
//! refused with SPLITTING_ORDER, never built wrong.

mod common;

use std::{fmt::Write as _, path::Path, process::Command};

use common::Random;

/// Which bindings the graphs' modules export.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bindings {
    /// `export let v` and a `bump` that reassigns it: live bindings, which ES module
    /// chunks import as such.
    Live,
    /// `export const v`: what CommonJS chunks can share (they take copies).
    Constant,
}

/// Writes one graph of `m<i>.js` modules into `dir`; returns the entries and the graph's
/// description (printed when it fails).
fn write_graph(random: &mut Random, dir: &Path, bindings: Bindings) -> (Vec<String>, String) {
    let modules = 3 + random.below(8);
    let mut description = String::new();
    for index in 0..modules {
        let mut imports = String::new();
        let mut code = String::new();
        let effectful = random.chance(40);
        if effectful {
            let _ = writeln!(code, "console.log('m{index} runs');");
        }
        for other in 0..modules {
            if other == index {
                continue;
            }
            if other > index && random.chance(35) {
                // Later modules: a tree, whose values are ready when this one runs.
                let _ = writeln!(
                    imports,
                    "import {{ v{other}, get{other}, bump{other} }} from './m{other}.js';"
                );
                if effectful {
                    let _ = writeln!(code, "console.log('m{index} sees v{other} =', v{other});");
                }
                if bindings == Bindings::Live && random.chance(30) {
                    // A live binding: the other module's `v` changes, every importer sees it.
                    let _ = writeln!(code, "bump{other}();");
                    let _ = writeln!(
                        code,
                        "console.log('m{index} bumped', get{other}(), v{other});"
                    );
                }
                if random.chance(8) {
                    // Re-exports: an entry's file must export what another module declares
                    // (live, so that module cannot run from an initializer).
                    let _ = writeln!(
                        imports,
                        "export {{ v{other} as r{other} }} from './m{other}.js';"
                    );
                }
                if random.chance(5) {
                    let _ = writeln!(imports, "export * as ns{other} from './m{other}.js';");
                }
            } else if other < index && random.chance(10) {
                // An earlier module: a cycle; only its functions are used, later.
                let _ = writeln!(imports, "import {{ get{other} }} from './m{other}.js';");
                let _ = writeln!(
                    code,
                    "globalThis.late.push(() => 'm{index} reads m{other} late: ' + get{other}());"
                );
            }
        }
        if random.chance(25) {
            let target = random.below(modules);
            let _ = writeln!(
                code,
                "globalThis.pending.push(import('./m{target}.js').then((ns) => globalThis.late.push(() => 'm{index} imported m{target}: ' + Object.keys(ns).join() + ' v=' + ns.v{target})));"
            );
        }
        let _ = match bindings {
            Bindings::Live => writeln!(
                code,
                "export let v{index} = {index};\nexport function get{index}() {{ return v{index}; }}\nexport function bump{index}() {{ v{index} += 10; }}"
            ),
            Bindings::Constant => writeln!(
                code,
                "export const v{index} = {index};\nexport function get{index}() {{ return v{index}; }}\nexport function bump{index}() {{}}"
            ),
        };
        let text = format!("{imports}{code}");
        let _ = writeln!(description, "--- m{index}.js\n{text}");
        std::fs::write(dir.join(format!("m{index}.js")), text).unwrap();
    }
    let mut entries = vec!["m0.js".to_owned()];
    for index in 1..modules {
        if random.chance(30) {
            entries.push(format!("m{index}.js"));
        }
    }
    std::fs::write(dir.join("package.json"), r#"{ "type": "module" }"#).unwrap();
    (entries, description)
}

/// A script that imports each entry from `directory` in turn, waiting for the `import()`s
/// each starts, and prints what they left for later in a stable order (when two `import()`s
/// settle is up to the loader, in node as in the chunks).
fn driver(entries: &[String], directory: &str) -> String {
    let mut script = String::from(
        "globalThis.pending = [];\nglobalThis.late = [];\nasync function settle() {\n  while (globalThis.pending.length) await globalThis.pending.shift();\n  for (const line of globalThis.late.splice(0).map((f) => f()).sort()) console.log(line);\n}\n",
    );
    for entry in entries {
        let _ = writeln!(
            script,
            "{{ const ns = await import('./{directory}/{entry}'); console.log('{entry} exports', JSON.stringify(Object.entries(ns).map(([k, v]) => [k, typeof v === 'function' ? 'function' : v]))); await settle(); }}"
        );
    }
    script
}

/// [`driver`] for CommonJS chunks in `out/`: each entry's file is `require`d.
fn commonjs_driver(entries: &[String]) -> String {
    let driver = driver(entries, "out").replace("await import('./out/", "require('./out/");
    format!(
        "import {{ createRequire }} from 'node:module';\nconst require = createRequire(import.meta.url);\n{driver}"
    )
}

fn node_output(script: &Path) -> String {
    let output = Command::new("node")
        .arg(script)
        .current_dir(script.parent().unwrap())
        .output()
        .expect("node runs");
    common::describe_output(&output)
}

#[test]
fn random_split_graphs_run_as_the_unbundled_modules() {
    split_random_graphs("splitting-graphs", Bindings::Live, &[]);
}

#[test]
fn random_graphs_split_into_commonjs_chunks_run_as_the_unbundled_modules() {
    split_random_graphs("splitting-graphs-cjs", Bindings::Constant, &COMMONJS_SPLIT);
}

/// Splits 60 seeded random graphs with `flags` and runs each against its unbundled modules
/// in node; at least a third must split (the rest refused, never built wrong).
fn split_random_graphs(name: &str, bindings: Bindings, flags: &[&str]) {
    let root = common::scratch_dir(name);
    let commonjs = flags.contains(&"cjs");
    // `SPLITTING_SEED=n` runs other graphs (the failure message names the graph).
    let seed = std::env::var("SPLITTING_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or(0x5B11_7C4A_2025);
    let mut random = Random(seed);
    let mut failures = Vec::new();
    let mut built = 0;
    let mut refused = 0;
    let graphs = 60;
    for graph in 0..graphs {
        let dir = root.join(format!("graph{graph}"));
        let src = dir.join("src");
        std::fs::create_dir_all(&src).unwrap();
        let (entries, description) = write_graph(&mut random, &src, bindings);
        std::fs::write(dir.join("package.json"), r#"{ "type": "module" }"#).unwrap();
        std::fs::write(dir.join("unbundled.mjs"), driver(&entries, "src")).unwrap();
        let split_driver = match commonjs {
            true => commonjs_driver(&entries),
            false => driver(&entries, "out"),
        };
        std::fs::write(dir.join("split.mjs"), split_driver).unwrap();
        let build = common::verde()
            .current_dir(&src)
            .arg("build")
            .args(&entries)
            .args(["--outdir", "../out"])
            .args(flags)
            .output()
            .expect("verde runs");
        let stderr = String::from_utf8_lossy(&build.stderr);
        if !build.status.success() {
            let refusal =
                stderr.contains("SPLITTING_ORDER") || stderr.contains("SPLITTING_LIVE_BINDING");
            if refusal && !dir.join("out").exists() {
                refused += 1;
                continue;
            }
            failures.push(format!(
                "graph {graph}: the build failed:\n{stderr}\n{description}"
            ));
            continue;
        }
        built += 1;
        if commonjs {
            std::fs::write(dir.join("out/package.json"), r#"{ "type": "commonjs" }"#).unwrap();
        }
        let unbundled = node_output(&dir.join("unbundled.mjs"));
        let split = node_output(&dir.join("split.mjs"));
        if split != unbundled {
            failures.push(format!(
                "graph {graph} (entries {entries:?}):\n--- node, unbundled ---\n{unbundled}--- split ---\n{split}--- graph ---\n{description}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Refusing is allowed, not a way to pass. The graphs are hostile on purpose (entries
    // importing each other in cycles, which no wrapper can order for every entry, and
    // re-exporting shared modules' live bindings); a third of them must split.
    assert!(
        built * 3 >= graphs,
        "only {built} of {graphs} graphs were split ({refused} refused)"
    );
}

/// A project written to a scratch directory, split with `flags`, and each entry imported
/// in turn from the chunks and from the sources: both must print the same.
struct Project {
    dir: std::path::PathBuf,
    entries: Vec<String>,
}

impl Project {
    fn new(name: &str, files: &[(&str, &str)], entries: &[&str]) -> Project {
        let dir = common::scratch_dir(&format!("splitting-{name}"));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        for (path, text) in files {
            let path = dir.join("src").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::fs::write(dir.join("package.json"), r#"{ "type": "module" }"#).unwrap();
        std::fs::write(dir.join("src/package.json"), r#"{ "type": "module" }"#).unwrap();
        let entries: Vec<String> = entries.iter().map(|entry| entry.to_string()).collect();
        std::fs::write(dir.join("unbundled.mjs"), driver(&entries, "src")).unwrap();
        std::fs::write(dir.join("split.mjs"), driver(&entries, "out")).unwrap();
        Project { dir, entries }
    }

    fn build(&self, flags: &[&str]) -> std::process::Output {
        common::verde()
            .current_dir(self.dir.join("src"))
            .arg("build")
            .args(&self.entries)
            .args(["--outdir", "../out"])
            .args(flags)
            .output()
            .expect("verde runs")
    }

    /// Splits it and checks it runs as the sources do; returns the output files' names.
    fn split_and_run(&self, flags: &[&str]) -> Vec<String> {
        let _ = std::fs::remove_dir_all(self.dir.join("out"));
        let build = self.build(flags);
        assert!(
            build.status.success(),
            "{}",
            common::describe_output(&build)
        );
        let unbundled = node_output(&self.dir.join("unbundled.mjs"));
        let split = node_output(&self.dir.join("split.mjs"));
        assert_eq!(split, unbundled, "flags {flags:?}");
        self.files()
    }

    /// Splits it into CommonJS chunks and checks that requiring the entries in turn prints
    /// what importing the sources prints; returns the output files' names.
    fn split_and_run_commonjs(&self) -> Vec<String> {
        let _ = std::fs::remove_dir_all(self.dir.join("out"));
        let build = self.build(&COMMONJS_SPLIT);
        assert!(
            build.status.success(),
            "{}",
            common::describe_output(&build)
        );
        let files = self.files();
        std::fs::write(
            self.dir.join("out/package.json"),
            r#"{ "type": "commonjs" }"#,
        )
        .unwrap();
        std::fs::write(
            self.dir.join("split-commonjs.mjs"),
            commonjs_driver(&self.entries),
        )
        .unwrap();
        assert_eq!(
            node_output(&self.dir.join("split-commonjs.mjs")),
            node_output(&self.dir.join("unbundled.mjs"))
        );
        files
    }

    fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = std::fs::read_dir(self.dir.join("out"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            // What watch mode replaced, until its cleanup thread frees it.
            .filter(|name| !name.starts_with(".verde-old-"))
            .collect();
        files.sort();
        files
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.dir.join("out").join(file)).unwrap()
    }

    /// Replaces the source `path` (under `src/`) in one step, a temporary file renamed over
    /// it, as editors save: an in-place write can reach watch mode truncated first, and the
    /// empty module would fail a build of its own.
    fn write_source(&self, path: &str, text: &str) {
        let path = self.dir.join("src").join(path);
        let temporary = path.with_extension("tmp");
        std::fs::write(&temporary, text).unwrap();
        std::fs::rename(temporary, path).unwrap();
    }
}

/// Splitting into CommonJS chunks.
const COMMONJS_SPLIT: [&str; 3] = ["--format", "cjs", "--splitting"];

/// The file whose name starts with `prefix` and has a hash.
fn hashed<'f>(files: &'f [String], prefix: &str) -> &'f str {
    files
        .iter()
        .find(|file| file.starts_with(&format!("{prefix}-")) && file.ends_with(".js"))
        .unwrap_or_else(|| panic!("no {prefix}-[hash].js in {files:?}"))
}

const SHARED: &str = "console.log('shared runs');\n\
                      export let count = 0;\n\
                      export function bump() { count += 1; }\n";

#[test]
fn entries_share_one_copy_of_a_module_and_its_state() {
    let project = Project::new(
        "shared-state",
        &[
            (
                "a.js",
                "import { count, bump } from './shared.js';\nbump();\nconsole.log('a sees', count);\nexport { count };\n",
            ),
            (
                "b.js",
                "import { count, bump } from './shared.js';\nbump();\nconsole.log('b sees', count);\n",
            ),
            ("shared.js", SHARED),
        ],
        &["a.js", "b.js"],
    );
    for flags in [&[][..], &["--minify"][..], &["--minify", "--sourcemap"][..]] {
        let files = project.split_and_run(flags);
        let shared = hashed(&files, "chunk");
        // Its code is in one file, which both entries import.
        for entry in ["a.js", "b.js"] {
            let code = project.read(entry);
            assert!(
                code.contains(shared),
                "{entry} does not import {shared}:\n{code}"
            );
            assert!(!code.contains("shared runs"), "{entry} has a copy:\n{code}");
        }
        assert!(project.read(shared).contains("shared runs"));
        if flags.contains(&"--sourcemap") {
            assert!(files.contains(&format!("{shared}.map")), "{files:?}");
            assert!(files.contains(&"a.js.map".to_owned()), "{files:?}");
        }
    }
}

#[test]
fn an_import_loads_its_module_from_a_chunk_of_its_own_with_its_real_namespace() {
    let project = Project::new(
        "dynamic",
        &[
            (
                "main.js",
                "console.log('main runs');\nglobalThis.pending.push(import('./page.js').then((page) => console.log(Object.keys(page), page.title, page.default(), page[Symbol.toStringTag])));\nexport const name = 'main';\n",
            ),
            (
                "page.js",
                "import { helper } from './helper.js';\nconsole.log('page runs');\nexport const title = helper('page');\nexport default function () { return 'rendered'; }\n",
            ),
            (
                "helper.js",
                "export function helper(x) { return x.toUpperCase(); }\n",
            ),
        ],
        &["main.js"],
    );
    let files = project.split_and_run(&[]);
    let page = hashed(&files, "page");
    let main = project.read("main.js");
    // Loaded lazily: the entry names the chunk in an `import()`, and has none of its code.
    assert!(main.contains(&format!("import(\"./{page}\")")), "{main}");
    assert!(
        !main.contains("page runs") && !main.contains("toUpperCase"),
        "{main}"
    );
}

#[test]
fn a_polyfill_before_a_shared_import_still_runs_first() {
    // Loading `a` runs `polyfill` (a's own) before `shared` (shared with `b`); the shared
    // chunk loads before a's own code, so its module runs from an initializer `a` calls.
    let project = Project::new(
        "polyfill-order",
        &[
            (
                "a.js",
                "import './polyfill.js';\nimport { count, bump } from './shared.js';\nbump();\nconsole.log('a', count, globalThis.polyfilled);\n",
            ),
            (
                "b.js",
                "import { count } from './shared.js';\nconsole.log('b', count);\n",
            ),
            (
                "polyfill.js",
                "console.log('polyfill runs');\nglobalThis.polyfilled = true;\n",
            ),
            (
                "shared.js",
                "console.log('shared sees polyfill:', globalThis.polyfilled);\nexport let count = 0;\nexport function bump() { count += 1; }\n",
            ),
        ],
        &["a.js", "b.js"],
    );
    for flags in [&[][..], &["--minify"][..]] {
        project.split_and_run(flags);
    }
}

#[test]
fn a_split_that_would_reorder_side_effects_is_refused_not_built_wrong() {
    // `a` re-exports `shared`'s live binding, so `shared` cannot run from an initializer;
    // running it as its chunk loads would run it before `a`'s polyfill.
    let project = Project::new(
        "refused",
        &[
            (
                "a.js",
                "import './polyfill.js';\nexport { count } from './shared.js';\n",
            ),
            (
                "b.js",
                "import { count } from './shared.js';\nconsole.log('b', count);\n",
            ),
            ("polyfill.js", "console.log('polyfill runs');\n"),
            ("shared.js", SHARED),
        ],
        &["a.js", "b.js"],
    );
    let build = project.build(&[]);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[SPLITTING_ORDER]"), "{stderr}");
    assert!(
        stderr.contains("\"shared.js\" before \"polyfill.js\""),
        "{stderr}"
    );
    assert!(
        !project.dir.join("out").exists(),
        "a refused build writes nothing"
    );
}

#[test]
fn an_entry_another_entry_imports_gets_a_file_that_re_exports_it() {
    let project = Project::new(
        "entry-imports-entry",
        &[
            (
                "app.js",
                "import { version, bump } from './lib.js';\nbump();\nconsole.log('app sees', version);\n",
            ),
            (
                "lib.js",
                "console.log('lib runs');\nexport let version = 1;\nexport function bump() { version += 1; }\n",
            ),
        ],
        &["app.js", "lib.js"],
    );
    let files = project.split_and_run(&[]);
    // `lib.js` is the library's own file, with its exports, its code in the shared chunk.
    assert!(files.contains(&"lib.js".to_owned()), "{files:?}");
    let lib = project.read("lib.js");
    assert!(lib.contains("export {"), "{lib}");
}

#[test]
fn commonjs_shared_by_entries_runs_once() {
    let project = Project::new(
        "commonjs",
        &[
            (
                "a.js",
                "import lib from './lib.cjs';\nconsole.log('a', lib.next());\n",
            ),
            (
                "b.js",
                "import { next } from './lib.cjs';\nconsole.log('b', next());\n",
            ),
            (
                "lib.cjs",
                "console.log('lib runs');\nlet n = 0;\nexports.next = function () { return ++n; };\n",
            ),
        ],
        &["a.js", "b.js"],
    );
    project.split_and_run(&["--platform", "node"]);
}

#[test]
fn chunk_names_are_content_hashes_the_same_on_every_run_and_thread_count() {
    let files = [
        (
            "a.js",
            "import { helper } from './shared.js';\nconsole.log(helper());\nglobalThis.pending.push(import('./late.js').then((m) => globalThis.late.push(() => m.late)));\n",
        ),
        (
            "b.js",
            "import { helper } from './shared.js';\nconsole.log('b', helper());\n",
        ),
        ("shared.js", "export function helper() { return 'v1'; }\n"),
        ("late.js", "export const late = 'late';\n"),
    ];
    let project = Project::new("hashes", &files, &["a.js", "b.js"]);
    let first = project.split_and_run(&["--threads", "1"]);
    let bytes: Vec<String> = first.iter().map(|file| project.read(file)).collect();
    let second = project.split_and_run(&["--threads", "2"]);
    assert_eq!(first, second);
    assert_eq!(
        bytes,
        second
            .iter()
            .map(|file| project.read(file))
            .collect::<Vec<_>>()
    );

    // Changing the shared module changes its chunk's name, and the entries name the new one.
    project.write_source("shared.js", "export function helper() { return 'v2'; }\n");
    let third = project.split_and_run(&[]);
    let (old, new) = (hashed(&first, "chunk"), hashed(&third, "chunk"));
    assert_ne!(old, new);
    assert!(project.read("a.js").contains(new));
    // A chunk whose bytes did not change keeps its name.
    assert_eq!(hashed(&first, "late"), hashed(&third, "late"));
}

#[test]
fn splitting_needs_an_output_directory_and_es_modules() {
    let project = Project::new("usage", &[("a.js", "console.log(1);\n")], &["a.js"]);
    for (flags, message) in [
        (&["--splitting", "--outfile", "x.js"][..], "needs --outdir"),
        (
            &["--splitting", "--outdir", "o", "--format", "iife"][..],
            "an IIFE cannot load other chunks",
        ),
    ] {
        let run = common::verde()
            .current_dir(project.dir.join("src"))
            .args(["build", "a.js"])
            .args(flags)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{flags:?}: {stderr}");
        assert!(stderr.contains(message), "{flags:?}: {stderr}");
    }
}

#[test]
fn entry_and_chunk_names_follow_their_templates_and_import_each_other_across_directories() {
    let project = Project::new(
        "names",
        &[
            (
                "home.js",
                "import { shared } from './lib/shared.js';\nconsole.log('home', shared);\nglobalThis.pending.push(import('./admin/panel.js').then((m) => console.log(m.panel)));\n",
            ),
            (
                "admin/index.js",
                "import { shared } from '../lib/shared.js';\nconsole.log('admin', shared);\nexport { shared };\n",
            ),
            (
                "admin/panel.js",
                "import { shared } from '../lib/shared.js';\nexport const panel = 'panel ' + shared;\n",
            ),
            ("lib/shared.js", "export const shared = 'shared';\n"),
        ],
        &["home.js", "admin/index.js"],
    );
    for minify in [&[][..], &["--minify"][..]] {
        let mut flags = vec![
            "--entry-names=[dir]/[name]",
            "--chunk-names=chunks/[dir]/[name].[hash]",
        ];
        flags.extend_from_slice(minify);
        project.split_and_run(&flags);
        let out = project.dir.join("out");
        assert!(out.join("home.js").is_file());
        assert!(out.join("admin/index.js").is_file());
        let names = |dir: &str| -> Vec<String> {
            std::fs::read_dir(out.join(dir))
                .unwrap()
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        };
        let panel = names("chunks/admin");
        assert!(
            panel.len() == 1 && panel[0].starts_with("panel.") && panel[0].len() == 17,
            "{panel:?}"
        );
        let shared = names("chunks");
        assert!(
            shared.iter().any(|name| name.starts_with("chunk.")),
            "{shared:?}"
        );
    }

    // Entries that the template names alike are refused before anything is built.
    std::fs::create_dir_all(project.dir.join("src/home")).unwrap();
    project.write_source("home/index.js", "console.log(1);\n");
    let run = common::verde()
        .current_dir(project.dir.join("src"))
        .args([
            "build",
            "home/index.js",
            "admin/index.js",
            "--outdir",
            "../clash",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("would both be written to"), "{stderr}");
    assert!(!project.dir.join("clash").exists());
    for bad in [
        "--chunk-names=[name]",
        "--entry-names=../[name]",
        "--entry-names=[base]",
    ] {
        let run = project.build(&[bad]);
        assert_eq!(run.status.code(), Some(2), "{bad}");
    }
}

#[test]
fn commonjs_chunks_load_each_other_with_require_and_refuse_to_copy_a_live_binding() {
    let project = Project::new(
        "commonjs",
        &[
            (
                "a.js",
                "import { format } from './shared.js';\nconsole.log('a', format(1));\nglobalThis.pending.push(import('./route.js').then((route) => console.log(Object.keys(route), route.title)));\nexport const a = 'a';\n",
            ),
            (
                "b.js",
                "import { format } from './shared.js';\nconsole.log('b', format(2));\n",
            ),
            (
                "shared.js",
                "console.log('shared runs');\nexport function format(value) { return value.toFixed(1); }\n",
            ),
            (
                "route.js",
                "import { format } from './shared.js';\nexport const title = format(3);\nexport default 'route';\n",
            ),
        ],
        &["a.js", "b.js"],
    );
    let files = project.split_and_run_commonjs();
    let shared = hashed(&files, "chunk");
    let route = hashed(&files, "route");
    assert!(
        project
            .read("a.js")
            .contains(&format!("require(\"./{shared}\")"))
    );
    assert!(
        project
            .read("a.js")
            .contains(&format!("require(\"./{route}\")"))
    );
    for file in &files {
        let code = project.read(file);
        assert!(
            !code.contains("import ") && !code.contains("export "),
            "{file}:\n{code}"
        );
    }

    // A binding that changes after its chunk ran cannot be shared as a copy: refused.
    project.write_source(
        "shared.js",
        "export let count = 0;\nexport function format(value) { count += 1; return value.toFixed(count); }\n",
    );
    project.write_source(
        "b.js",
        "import { format, count } from './shared.js';\nconsole.log('b', format(2), count);\n",
    );
    let _ = std::fs::remove_dir_all(project.dir.join("out"));
    let build = project.build(&COMMONJS_SPLIT);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("SPLITTING_LIVE_BINDING"), "{stderr}");
    assert!(
        stderr.contains("\"count\" of \"shared.js\" is reassigned"),
        "{stderr}"
    );
    assert!(!project.dir.join("out").exists());
    // As ES modules, the same graph splits: chunks import live bindings.
    project.split_and_run(&[]);
}

#[test]
fn external_import_calls_stay_and_import_meta_works_in_every_chunk() {
    let meta = "console.log(MODULE, typeof import.meta, import.meta.url.startsWith('file:'), import.meta.url.endsWith('.js'));\n";
    let project = Project::new(
        "import-meta",
        &[
            (
                "a.js",
                &format!(
                    "import {{ shared }} from './shared.js';\n{}globalThis.pending.push(import('node:path').then((path) => globalThis.late.push(() => 'a ' + shared + ' ' + path.basename('/x/y.js'))));\nglobalThis.pending.push(import('./page.js').then((page) => console.log(page.title)));\n",
                    meta.replace("MODULE", "'a'")
                ),
            ),
            (
                "b.js",
                "import { shared } from './shared.js';\nconsole.log('b', shared);\n",
            ),
            (
                "shared.js",
                &format!(
                    "{}export const shared = 'shared';\n",
                    meta.replace("MODULE", "'shared'")
                ),
            ),
            (
                "page.js",
                &format!(
                    "{}export const title = 'page';\n",
                    meta.replace("MODULE", "'page'")
                ),
            ),
        ],
        &["a.js", "b.js"],
    );
    project.split_and_run(&[]);
    assert!(project.read("a.js").contains("import(\"node:path\")"));
    assert!(project.read("a.js").contains("import.meta.url"));
    // CommonJS output requires externals, as rollup's does (`import()` of CommonJS is
    // not always available where CommonJS runs).
    project.split_and_run_commonjs();
    assert!(project.read("a.js").contains("require(\"node:path\")"));
    assert!(project.read("a.js").contains("__filename"));
}

/// An in-memory project split through the library, as watch mode rebuilds it.
struct Incremental {
    compiler: verde::Compiler,
    options: verde::BuildOptions,
    files: Vec<(String, String)>,
}

impl Incremental {
    fn new(files: &[(&str, &str)], entries: &[&str]) -> Incremental {
        let mut compiler =
            verde::Compiler::with_system("/", std::sync::Arc::new(verde::MemorySystem::new()));
        for (path, text) in files {
            compiler.set_file_text(path, *text);
        }
        let options = verde::BuildOptions {
            entries: entries.iter().map(Into::into).collect(),
            splitting: true,
            ..verde::BuildOptions::default()
        };
        let mut project = Incremental {
            compiler,
            options,
            files: files
                .iter()
                .map(|(path, text)| (path.to_string(), text.to_string()))
                .collect(),
        };
        let output = project.compiler.build(&project.options);
        assert!(!output.has_errors(), "{:?}", output.diagnostics);
        project.compiler.take_query_log();
        project
    }

    fn set(&mut self, path: &str, text: &str) {
        self.files.retain(|(p, _)| p != path);
        self.files.push((path.to_owned(), text.to_owned()));
        self.compiler.set_file_text(path, text);
    }

    /// Rebuilds; checks every chunk (name and bytes) against a clean build; returns the
    /// query log and the chunks' names.
    fn rebuild(&mut self) -> (verde::QueryLog, Vec<String>) {
        let output = self.compiler.build(&self.options);
        let log = self.compiler.take_query_log();
        let mut clean =
            verde::Compiler::with_system("/", std::sync::Arc::new(verde::MemorySystem::new()));
        for (path, text) in &self.files {
            clean.set_file_text(path, text.as_str());
        }
        let expected = clean.build(&self.options);
        assert!(!output.has_errors(), "{:?}", output.diagnostics);
        assert_eq!(
            output.chunks, expected.chunks,
            "incremental chunks differ from a clean build"
        );
        let names = output
            .chunks
            .iter()
            .map(|chunk| chunk.file_name.clone())
            .collect();
        (log, names)
    }
}

const APP: [(&str, &str); 5] = [
    (
        "/a.js",
        "import { format } from './shared.js';\nconsole.log(format(1));\nimport('./page.js').then((page) => console.log(page.title));\n",
    ),
    (
        "/b.js",
        "import { format } from './shared.js';\nconsole.log('b', format(2));\n",
    ),
    (
        "/shared.js",
        "export function format(value) {\n  return value.toFixed(2);\n}\n",
    ),
    (
        "/page.js",
        "import { format } from './shared.js';\nexport const title = format(3);\n",
    ),
    ("/extra.js", "export const extra = 'extra';\n"),
];

#[test]
fn a_body_edit_renders_one_chunk_again_and_relinks_nothing() {
    let mut project = Incremental::new(&APP, &["/a.js", "/b.js"]);
    project.set(
        "/shared.js",
        "export function format(value) {\n  return value.toFixed(3);\n}\n",
    );
    let (log, _) = project.rebuild();
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    assert_eq!(log.count("rendered_module"), 1, "{log}");
    assert_eq!(log.count("render_chunk"), 1, "{log}");
    for query in [
        "liveness",
        "tentative_names",
        "chunk_graph",
        "chunk_boundaries",
        "chunk_plan",
    ] {
        assert_eq!(log.count(query), 0, "{query} re-ran: {log}");
    }
}

#[test]
fn adding_an_import_call_makes_a_chunk_and_renders_only_the_importer_again() {
    let mut project = Incremental::new(&APP, &["/a.js", "/b.js"]);
    let (_, before) = project.rebuild();
    project.set(
        "/b.js",
        "import { format } from './shared.js';\nconsole.log('b', format(2));\nimport('./extra.js').then((extra) => console.log(extra.extra));\n",
    );
    let (log, after) = project.rebuild();
    assert_eq!(after.len(), before.len() + 1, "{before:?} -> {after:?}");
    assert!(
        after.iter().any(|name| name.starts_with("extra-")),
        "{after:?}"
    );
    // The importer's chunk and the new one; the shared chunk and the other entry's are
    // not rendered again.
    assert_eq!(log.count("render_chunk"), 2, "{log}");
    assert_eq!(log.count("rendered_module"), 2, "{log}");
}

#[test]
fn a_module_reached_through_a_shared_index_runs_before_the_entry_that_uses_it() {
    // The index has side effects, so it is in the chunk both entries load; each class is
    // in the chunk of the one entry that uses it, behind the index, and must be defined
    // before that entry's code runs (three.js's `Three.js` is such an index).
    let project = Project::new(
        "shared-index",
        &[
            (
                "e1.js",
                "import { A } from './lib/index.js';\nconsole.log('e1', new A().name);\n",
            ),
            (
                "e2.js",
                "import { B } from './lib/index.js';\nconsole.log('e2', new B().name);\n",
            ),
            (
                "lib/index.js",
                "export { A } from './a.js';\nexport { B } from './b.js';\nconsole.log('index runs');\n",
            ),
            ("lib/a.js", "export class A { name = 'a'; }\n"),
            ("lib/b.js", "export class B { name = 'b'; }\n"),
        ],
        &["e1.js", "e2.js"],
    );
    for flags in [&[][..], &["--minify"][..]] {
        let files = project.split_and_run(flags);
        assert!(
            project.read(hashed(&files, "chunk")).contains("index runs"),
            "{files:?}"
        );
        // Class `A` (renamed when minifying), with its field's value.
        let e1 = project.read("e1.js");
        assert!(
            e1.contains("class ") && ["\"a\"", "'a'", "`a`"].iter().any(|a| e1.contains(a)),
            "{e1}"
        );
    }
}

#[test]
fn what_only_an_import_call_uses_of_a_package_index_stays_in_its_chunk() {
    // `a` and the page import from the package's index of re-exports; only the page uses
    // `heavy`, so it is in the page's chunk, not in what `a` loads.
    let project = Project::new(
        "package-index",
        &[
            (
                "a.js",
                "import { light } from 'pkg';\nconsole.log(light());\nglobalThis.pending.push(import('./page.js').then((page) => console.log(page.render())));\n",
            ),
            (
                "page.js",
                "import { heavy, light } from 'pkg';\nexport function render() { return heavy() + light(); }\n",
            ),
            (
                "node_modules/pkg/package.json",
                r#"{ "name": "pkg", "type": "module", "sideEffects": false, "main": "index.js" }"#,
            ),
            (
                "node_modules/pkg/index.js",
                "export { light } from './light.js';\nexport { heavy } from './heavy.js';\n",
            ),
            (
                "node_modules/pkg/light.js",
                "export function light() { return 'light'; }\n",
            ),
            (
                "node_modules/pkg/heavy.js",
                "export function heavy() { return 'HEAVY'.repeat(2); }\n",
            ),
        ],
        &["a.js"],
    );
    let files = project.split_and_run(&[]);
    let page = hashed(&files, "page");
    assert!(
        project.read(page).contains("HEAVY"),
        "{}",
        project.read(page)
    );
    for file in &files {
        if file != page {
            assert!(
                !project.read(file).contains("HEAVY"),
                "{file} has heavy: {files:?}"
            );
        }
    }
}

#[test]
fn watch_mode_rewrites_only_the_chunks_whose_bytes_changed() {
    let project = Project::new(
        "watch",
        &[
            (
                "a.js",
                "import { format } from './shared.js';\nconsole.log(format(1));\nglobalThis.pending.push(import('./page.js').then((page) => console.log(page.title)));\n",
            ),
            (
                "b.js",
                "import { format } from './shared.js';\nconsole.log('b', format(2));\n",
            ),
            (
                "shared.js",
                "export function format(value) {\n  return value.toFixed(2);\n}\n",
            ),
            ("page.js", "export const title = 'page';\n"),
        ],
        &["a.js", "b.js"],
    );
    /// Stops watch mode however the test ends.
    struct Watching(std::process::Child);
    impl Drop for Watching {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut watching = Watching(
        common::verde()
            .current_dir(project.dir.join("src"))
            .args(["build", "a.js", "b.js", "--outdir", "../out", "--watch"])
            .args(["--metafile", "../meta.json"])
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("verde starts"),
    );
    let lines = common::stderr_lines(&mut watching.0);
    let next_write = || loop {
        let line = lines
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("a rebuild within 20 s");
        if line.starts_with("[verde]") {
            assert!(line.contains("wrote 4 chunks"), "{line}");
            return line;
        }
    };
    // The metafile lists the files of the build just written.
    let metafile_outputs = || {
        let text = std::fs::read_to_string(project.dir.join("meta.json")).unwrap();
        let meta: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut outputs: Vec<String> = meta["outputs"]
            .as_object()
            .unwrap()
            .keys()
            .map(|path| path.trim_start_matches("../out/").to_owned())
            .collect();
        outputs.sort();
        outputs
    };
    next_write();
    let before = project.files();
    assert_eq!(metafile_outputs(), before);
    let page = hashed(&before, "page").to_owned();
    let modified = |file: &str| {
        std::fs::metadata(project.dir.join("out").join(file))
            .unwrap()
            .modified()
            .unwrap()
    };
    let page_written = modified(&page);

    project.write_source(
        "shared.js",
        "export function format(value) {\n  return value.toFixed(3);\n}\n",
    );
    let line = next_write();
    drop(watching);
    let after = project.files();
    assert_eq!(metafile_outputs(), after);
    // The shared chunk has a new name, the old file is gone, and the page's chunk (whose
    // bytes did not change) was not rewritten.
    assert_ne!(hashed(&before, "chunk"), hashed(&after, "chunk"), "{line}");
    assert_eq!(after.len(), before.len(), "{before:?} -> {after:?}");
    assert_eq!(modified(&page), page_written, "{line}");
    let unbundled = node_output(&project.dir.join("unbundled.mjs"));
    assert_eq!(node_output(&project.dir.join("split.mjs")), unbundled);
    assert!(unbundled.contains("1.000"), "{unbundled}");
}
