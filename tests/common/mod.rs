//! Helpers shared by the end-to-end tests: the multi-file fixture format, paths to the real
//! binary and to `../shared`, and running bundles in node.

#![allow(dead_code)]

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
    sync::OnceLock,
    time::Duration,
};

/// The `verde` binary cargo built for these tests.
pub fn verde_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_verde"))
}

/// A command that runs [`verde_binary`] with the module cache of this test binary (see
/// [`module_cache_dir`]).
pub fn verde() -> Command {
    let mut command = Command::new(verde_binary());
    with_module_cache(&mut command);
    command
}

/// Gives `command`, and every verde it starts, this test binary's module cache: through
/// `VERDE_CACHE_DIR`, which the processes it starts inherit (the conformance runner's, the
/// editor's language server).
pub fn with_module_cache(command: &mut Command) -> &mut Command {
    command.env("VERDE_CACHE_DIR", module_cache_dir())
}

/// The module cache of the verde processes this test binary starts, emptied when the binary
/// first asks for it. Without it, a build whose entry has no `package.json` above it would use
/// the temporary directory's cache, shared with every other run on the machine: a test's
/// result could depend on another run's entries, and a debug build reads through a big store
/// at every start (docs/ARCHITECTURE.md, "The module cache").
pub fn module_cache_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("module-cache")
            .join(env!("CARGO_CRATE_NAME"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the test's module cache directory is creatable");
        dir
    })
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("compiler/ has a parent")
        .to_path_buf()
}

/// `../shared` beside the repository: the conformance suite and the benchmark scripts.
pub fn shared_dir() -> PathBuf {
    let shared = repo_root().join("../shared");
    assert!(
        shared.join("conformance").is_dir(),
        "expected the shared directory (conformance suite, bench scripts) at {}",
        shared.display()
    );
    shared.canonicalize().expect("shared dir canonicalizes")
}

/// A fresh scratch directory under cargo's temporary directory for tests.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir is creatable");
    dir
}

/// Several files in one text, as rust-analyzer writes its fixtures:
///
/// ```text
/// // format: cjs
/// // external: node:path
/// //- /main.js
/// import { a } from './a.js';
/// //- /a.js
/// export const a = 1;
/// ```
///
/// Directive lines before the first file set options; the first file is the entry unless
/// `// entry: /path` (or `// entries: /a.js, /b.js`) says otherwise; `// splitting` splits
/// the output into chunks.
#[derive(Debug)]
pub struct Fixture {
    pub files: Vec<(String, String)>,
    pub format: String,
    pub externals: Vec<String>,
    pub entry: String,
    /// `// entries: /a.js, /b.js`: several entries (the first is `entry`).
    pub entries: Vec<String>,
    /// `// splitting`: split into chunks, which node runs entry after entry.
    pub splitting: bool,
    pub name: Option<String>,
    /// Whether node can run the modules unbundled, to compare what they print with what the
    /// bundle prints (`// unbundled: skip` says it cannot: missing externals, errors).
    pub runs_unbundled: bool,
    /// `// loader: .js=jsx` (repeatable).
    pub loaders: Vec<String>,
    /// `// jsx: automatic|classic|preserve`.
    pub jsx: Option<String>,
    /// `// jsx-import-source: package`.
    pub jsx_import_source: Option<String>,
    /// `// jsx-dev`.
    pub jsx_dev: bool,
    /// `// tsconfig: /path/to/tsconfig.json`.
    pub tsconfig: Option<String>,
    /// `// platform: browser|node|neutral`.
    pub platform: Option<String>,
    /// `// define: KEY=VALUE` (repeatable).
    pub defines: Vec<String>,
    /// `// charset: utf8` (else `ascii`, the default).
    pub charset_utf8: bool,
}

impl Fixture {
    /// Writes the fixture's files under `root` (their paths are absolute in the fixture).
    pub fn write_to(&self, root: &Path) {
        for (path, text) in &self.files {
            let file = root.join(path.trim_start_matches('/'));
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
    }
}

pub fn parse_fixture(text: &str) -> Fixture {
    let mut files: Vec<(String, String)> = Vec::new();
    let mut format = "esm".to_owned();
    let mut externals = Vec::new();
    let mut entry = None;
    let mut entries: Vec<String> = Vec::new();
    let mut splitting = false;
    let mut name = None;
    let mut runs_unbundled = true;
    let mut loaders = Vec::new();
    let mut jsx = None;
    let mut jsx_import_source = None;
    let mut jsx_dev = false;
    let mut tsconfig = None;
    let mut platform = None;
    let mut charset_utf8 = false;
    let mut defines = Vec::new();
    for line in text.lines() {
        if let Some(path) = line.strip_prefix("//- ") {
            files.push((path.trim().to_owned(), String::new()));
            continue;
        }
        if let Some((_, contents)) = files.last_mut() {
            contents.push_str(line);
            contents.push('\n');
            continue;
        }
        let directive = line.trim_start_matches("//").trim();
        if let Some(value) = directive.strip_prefix("format:") {
            format = value.trim().to_owned();
        } else if let Some(value) = directive.strip_prefix("external:") {
            externals.extend(value.split(',').map(|s| s.trim().to_owned()));
        } else if let Some(value) = directive.strip_prefix("entry:") {
            entry = Some(value.trim().to_owned());
        } else if let Some(value) = directive.strip_prefix("entries:") {
            entries.extend(value.split(',').map(|s| s.trim().to_owned()));
        } else if directive == "splitting" {
            splitting = true;
        } else if let Some(value) = directive.strip_prefix("name:") {
            name = Some(value.trim().to_owned());
        } else if let Some(value) = directive.strip_prefix("unbundled:") {
            runs_unbundled = !value.trim().starts_with("skip");
        } else if let Some(value) = directive.strip_prefix("loader:") {
            loaders.push(value.trim().to_owned());
        } else if let Some(value) = directive.strip_prefix("jsx-import-source:") {
            jsx_import_source = Some(value.trim().to_owned());
        } else if directive == "jsx-dev" {
            jsx_dev = true;
        } else if let Some(value) = directive.strip_prefix("jsx:") {
            jsx = Some(value.trim().to_owned());
        } else if let Some(value) = directive.strip_prefix("tsconfig:") {
            tsconfig = Some(value.trim().to_owned());
        } else if let Some(value) = directive.strip_prefix("platform:") {
            platform = Some(value.trim().to_owned());
        } else if let Some(value) = directive.strip_prefix("define:") {
            defines.push(value.trim().to_owned());
        } else if let Some(value) = directive.strip_prefix("charset:") {
            charset_utf8 = value.trim() == "utf8";
        }
    }
    assert!(
        !files.is_empty(),
        "a fixture needs at least one `//- /path` file"
    );
    let entry = entry
        .or_else(|| entries.first().cloned())
        .unwrap_or_else(|| files[0].0.clone());
    if entries.is_empty() {
        entries.push(entry.clone());
    }
    Fixture {
        files,
        format,
        externals,
        entry,
        entries,
        splitting,
        name,
        runs_unbundled,
        loaders,
        jsx,
        jsx_import_source,
        jsx_dev,
        tsconfig,
        platform,
        defines,
        charset_utf8,
    }
}

/// Node packages the tests run against, installed once per test run under cargo's temporary
/// directory (pinned: an `npm install` of what is there already is quick): TypeScript (the
/// oracle for TypeScript fixtures), preact and preact-render-to-string (a JSX application),
/// esbuild (whose metafile analyzer reads verde's metafiles), playwright-core (which drives
/// Chromium in the browser test).
pub fn node_tools_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("node-tools");
        std::fs::create_dir_all(&dir).expect("the tools directory is creatable");
        if !dir.join("package.json").exists() {
            std::fs::write(
                dir.join("package.json"),
                r#"{ "name": "verde-test-tools", "private": true, "type": "module" }"#,
            )
            .unwrap();
        }
        run_successfully(
            Command::new("npm").current_dir(&dir).args([
                "install",
                "--no-audit",
                "--no-fund",
                "--save-exact",
                "typescript@5.9.3",
                "preact@11.2.0",
                "preact-render-to-string@6.8.2",
                "esbuild@0.28.2",
                "playwright-core@1.65.1",
            ]),
            "npm install (it needs the npm registry)",
        );
        dir
    })
}

/// `tests/node/`: the scripts that run TypeScript projects in node unbundled.
pub fn node_scripts_dir() -> PathBuf {
    repo_root().join("tests/node")
}

/// Whether `path` is TypeScript or JSX source, which node cannot run as written.
pub fn needs_transpiling(path: &str) -> bool {
    [".ts", ".tsx", ".mts", ".cts", ".jsx"]
        .iter()
        .any(|extension| path.ends_with(extension))
}

/// Runs `command` and returns its output; panics with its stderr if it fails.
pub fn run_successfully(command: &mut Command, what: &str) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{what} did not start: {error}"));
    assert!(
        output.status.success(),
        "{what} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Runs `node file` and returns stdout, plus stderr and the exit status when it failed.
pub fn run_node(file: &Path) -> String {
    let output = Command::new("node")
        .arg(file)
        .output()
        .expect("node runs (it is installed with the machine)");
    describe_output(&output)
}

pub fn describe_output(output: &Output) -> String {
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        // Node's stack traces mention temporary paths; the first error line is the point.
        let first_error = stderr
            .lines()
            .find(|line| line.contains("Error"))
            .unwrap_or("")
            .to_owned();
        text.push_str(&format!("{}\n{first_error}\n", output.status));
    }
    text
}

/// The real corpora of `../shared/bench/corpora.sh` (three.js, lodash-es, rxjs, date-fns...),
/// installed once per test run under cargo's temporary directory (an `npm install` of pinned
/// versions: quick when they are already there).
pub fn corpora_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpora");
        run_successfully(
            Command::new("bash")
                .arg(shared_dir().join("bench/corpora.sh"))
                .arg(&dir),
            "corpora.sh (it needs npm and the npm registry)",
        );
        dir
    })
}

/// The lines `child` writes to its (piped) stderr, as they come, read on a thread of their
/// own (watch mode prints a line per rebuild).
pub fn stderr_lines(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead as _;
    let stderr = child.stderr.take().expect("stderr is piped");
    let (sender, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

/// A duration in milliseconds, for benchmark reports.
pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The median, minimum and maximum of `times` in milliseconds (benchmarks report these).
pub fn median_min_max_ms(mut times: Vec<Duration>) -> (f64, f64, f64) {
    times.sort();
    (
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
    )
}

/// Runs a differential runner (`node SCRIPT ARGS...`, which writes `{"results": [{"name",
/// "status", "reason"}]}` to `results`) and returns the pass list a snapshot keeps: how many
/// passed, the failing names and the passing names. Reasons go to stderr, not the report:
/// they mention temporary paths and messages that change.
#[allow(dead_code, clippy::print_stderr)]
pub fn run_pass_list(command: &mut Command, results: &Path) -> String {
    let output = command.output().expect("node runs the runner");
    assert!(
        output.status.success(),
        "the runner failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(results).unwrap()).unwrap();
    let mut passed = Vec::new();
    let mut failed = Vec::new();
    for result in summary["results"].as_array().unwrap() {
        let name = result["name"].as_str().unwrap().to_owned();
        if result["status"] == "PASS" {
            passed.push(name);
        } else {
            eprintln!("{name}: {}", result["reason"].as_str().unwrap_or(""));
            failed.push(name);
        }
    }
    passed.sort();
    failed.sort();
    let mut report = format!(
        "passed {} of {}\n",
        passed.len(),
        passed.len() + failed.len()
    );
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
    report
}

/// Compiles the TypeScript and JSX files under `dir` to JavaScript in place with
/// TypeScript's own `transpileModule` (`tests/node/transpile.mjs`), so that node can run
/// the project unbundled with `tests/node/register.mjs`.
#[allow(dead_code)]
pub fn transpile_in_place(dir: &Path) {
    run_successfully(
        Command::new("node")
            .arg(node_scripts_dir().join("transpile.mjs"))
            .arg(node_tools_dir())
            .arg(dir),
        "transpile.mjs",
    );
}

/// splitmix64, for seeded test inputs: the same sequence on every machine.
pub struct Random(pub u64);

impl Random {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `bound`.
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// The path of `binary` on `PATH` (or in the `sbin` directories daemons live in), installing
/// Debian's `package` when it is missing (as the corpora tests install their packages from
/// npm; `.ci/run` does it up front).
pub fn debian_binary(binary: &str, package: &str) -> Option<PathBuf> {
    let which = || {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let path = path.to_str().unwrap_or_default();
        path.split(':')
            .chain(["/usr/sbin", "/sbin"])
            .map(|dir| Path::new(dir).join(binary))
            .find(|path| path.is_file())
    };
    if let Some(path) = which() {
        return Some(path);
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0");
    let apt_get = |args: &[&str]| {
        let mut command = if is_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.args(["-n", "apt-get"]);
            sudo
        };
        command
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|status| status.success())
    };
    if apt_get(&["update", "-qq"]) && apt_get(&["install", "-y", "-qq", package]) {
        which()
    } else {
        None
    }
}

/// A TypeScript + JSX application with a CommonJS dependency and a JSON module, in a
/// package (so the default module cache is its `node_modules/.cache/verde`): what the module
/// cache tests build (`--jsx-import-source jsx-lite`). It prints `p:hello cache 13`.
pub fn cache_app(dir: &Path) {
    let files: &[(&str, &str)] = &[
        (
            "package.json",
            r#"{ "name": "app", "private": true, "type": "module" }"#,
        ),
        (
            "src/main.ts",
            "/*! app v1 | MIT */\n\
             import { greet } from 'dep';\n\
             import { view } from './view.tsx';\n\
             import data from './data.json';\n\
             interface Shown { text: string }\n\
             const shown: Shown = { text: view(greet(data.name)) };\n\
             export const length: number = shown.text.length;\n\
             console.log(shown.text, length);\n",
        ),
        (
            "src/view.tsx",
            "export function view(name: string): string {\n\
             \x20 const element = <p class=\"greeting\">{name}</p>;\n\
             \x20 return element.type + ':' + element.props.children;\n\
             }\n",
        ),
        ("src/data.json", r#"{ "name": "cache" }"#),
        (
            "node_modules/dep/package.json",
            r#"{ "name": "dep", "main": "index.js" }"#,
        ),
        (
            "node_modules/dep/index.js",
            "'use strict';\nexports.greet = function greet(name) { return 'hello ' + name; };\n",
        ),
        (
            "node_modules/jsx-lite/package.json",
            r#"{ "name": "jsx-lite", "exports": { "./jsx-runtime": "./jsx-runtime.js" } }"#,
        ),
        (
            "node_modules/jsx-lite/jsx-runtime.js",
            "export function jsx(type, props) { return { type, props }; }\n\
             export const jsxs = jsx;\n\
             export const Fragment = 'fragment';\n",
        ),
    ];
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// A `verde build --stats` run of the module cache tests: how it ended, what it printed, and
/// the files it wrote (the bundle, then its map if any).
pub struct CacheBuild {
    pub output: Output,
    pub stderr: String,
    pub files: Vec<Vec<u8>>,
}

impl CacheBuild {
    /// Runs `command`, a build writing `outfile` (and its map, if it has one).
    pub fn run(command: &mut Command, outfile: &Path) -> CacheBuild {
        let output = command.output().expect("verde runs");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let mut files = Vec::new();
        if output.status.success() {
            files.push(std::fs::read(outfile).unwrap());
            let mut map = outfile.as_os_str().to_owned();
            map.push(".map");
            if let Ok(map) = std::fs::read(map) {
                files.push(map);
            }
        }
        CacheBuild {
            output,
            stderr,
            files,
        }
    }

    /// (modules parsed, modules read from the cache), from `--stats`.
    pub fn parsed_and_restored(&self) -> (usize, usize) {
        let line = self
            .stderr
            .lines()
            .find(|line| line.starts_with("parse+scope"))
            .unwrap_or_else(|| panic!("no parse+scope line in:\n{}", self.stderr));
        let counts = line.rsplit(';').next().unwrap();
        let numbers: Vec<usize> = counts
            .split_whitespace()
            .filter_map(|word| word.parse().ok())
            .collect();
        assert_eq!(numbers.len(), 2, "{line}");
        (numbers[0], numbers[1])
    }

    /// The lines that are warnings.
    pub fn warnings(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|line| line.starts_with("warning"))
            .collect()
    }

    /// It succeeded, and nothing panicked (not even inside a guarded cache operation).
    pub fn assert_clean(&self) {
        assert!(self.output.status.success(), "{}", self.stderr);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
    }
}
