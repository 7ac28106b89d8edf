//! The differential check: node runs a module graph unbundled, then verde's bundles of it
//! (ESM, and CommonJS and IIFE where the graph allows, see [`formats`]); each must print the
//! same and exit the same way. Node is the oracle.

use std::{
    fmt, fs,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use verde::{BuildOptions, Compiler, MemorySystem, OutputFormat};

use crate::modules::Module;

/// How long one node run may take before it counts as a hang.
const NODE_TIMEOUT: Duration = Duration::from_secs(20);

/// What a node run printed and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    /// The exit code; `None` for a signal or a timeout.
    pub status: Option<i32>,
    pub stderr: String,
}

impl Outcome {
    fn same_as(&self, other: &Outcome) -> bool {
        self.stdout == other.stdout && self.status == other.status
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exit status {:?}\n{}", self.status, self.stdout)?;
        if !self.stderr.is_empty() {
            write!(f, "--- stderr ---\n{}", self.stderr)?;
        }
        Ok(())
    }
}

/// Why a graph failed the check.
#[derive(Clone, Debug)]
pub enum Failure {
    /// node failed on the unbundled graph: the generator (or a reproducer) is wrong.
    InvalidGraph(Outcome),
    /// verde reported an error (or an internal error) for a valid graph.
    Build {
        format: OutputFormat,
        diagnostics: String,
    },
    /// The bundle ran differently.
    Mismatch {
        format: OutputFormat,
        expected: Outcome,
        actual: Outcome,
        bundle: String,
    },
}

impl Failure {
    /// A one-line summary.
    pub fn summary(&self) -> String {
        match self {
            Failure::InvalidGraph(outcome) => {
                format!("node fails on the unbundled graph ({:?})", outcome.status)
            }
            Failure::Build { format, .. } => format!("the {format:?} build fails"),
            Failure::Mismatch { format, .. } => format!("the {format:?} bundle runs differently"),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::InvalidGraph(outcome) => {
                write!(f, "node fails on the unbundled graph:\n{outcome}")
            }
            Failure::Build {
                format,
                diagnostics,
            } => write!(f, "the {format:?} build fails:\n{diagnostics}"),
            Failure::Mismatch {
                format,
                expected,
                actual,
                bundle,
            } => {
                let expected_lines: Vec<&str> = expected.stdout.lines().collect();
                let actual_lines: Vec<&str> = actual.stdout.lines().collect();
                let line = (0..expected_lines.len().max(actual_lines.len()))
                    .find(|&i| expected_lines.get(i) != actual_lines.get(i));
                writeln!(f, "the {format:?} bundle runs differently")?;
                if let Some(line) = line {
                    writeln!(
                        f,
                        "first difference, output line {}: node prints {:?}, the bundle {:?}",
                        line + 1,
                        expected_lines.get(line).copied().unwrap_or("(nothing)"),
                        actual_lines.get(line).copied().unwrap_or("(nothing)")
                    )?;
                }
                write!(
                    f,
                    "--- unbundled ---\n{expected}\n--- bundled ---\n{actual}\n--- bundle ---\n{bundle}"
                )
            }
        }
    }
}

/// The formats a graph can run in: all three, but not IIFE when it imports a node built-in
/// (an IIFE takes externals from globals) and only ESM when the entry awaits at the top
/// level (the generator writes `await ` nowhere else).
pub fn formats(modules: &[Module]) -> Vec<OutputFormat> {
    if modules[0].text.contains("await ") {
        vec![OutputFormat::Esm]
    } else if modules.iter().any(|module| module.text.contains("\"node:")) {
        vec![OutputFormat::Esm, OutputFormat::Cjs]
    } else {
        vec![OutputFormat::Esm, OutputFormat::Cjs, OutputFormat::Iife]
    }
}

/// Checks `modules` (the first is the entry) in `dir`, which it empties first, in every
/// format of [`formats`].
pub fn check(modules: &[Module], dir: &Path) -> Result<(), Box<Failure>> {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).expect("the work directory is creatable");
    for module in modules {
        let path = dir.join(&module.name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("a module directory is creatable");
        }
        fs::write(&path, &module.text).expect("the module is writable");
    }
    let expected = run_node(dir, &modules[0].name);
    if expected.status != Some(0) {
        return Err(Box::new(Failure::InvalidGraph(expected)));
    }
    let mut compiler = Compiler::with_system("/g", Arc::new(MemorySystem::new()));
    compiler.set_threads(1);
    for module in modules {
        compiler.set_file_text(format!("/g/{}", module.name), module.text.as_str());
    }
    for format in formats(modules) {
        let output = compiler.build(&BuildOptions {
            entries: vec![modules[0].name.clone().into()],
            format,
            externals: Vec::new(),
            global_name: (format == OutputFormat::Iife).then(|| "bundle".to_owned()),
            ..BuildOptions::default()
        });
        let internal = output
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.code == "INTERNAL_ERROR");
        let Some(code) = output.code.filter(|_| !internal) else {
            let diagnostics = output
                .diagnostics
                .iter()
                .map(|diagnostic| compiler.render_diagnostic(diagnostic))
                .collect::<Vec<_>>()
                .join("\n");
            return Err(Box::new(Failure::Build {
                format,
                diagnostics,
            }));
        };
        let bundle = code.to_string();
        let name = match format {
            OutputFormat::Esm => "bundle.mjs",
            OutputFormat::Cjs => "bundle.cjs",
            OutputFormat::Iife => "bundle-iife.cjs",
        };
        fs::write(dir.join(name), &bundle).expect("the bundle is writable");
        let actual = run_node(dir, name);
        if !actual.same_as(&expected) {
            return Err(Box::new(Failure::Mismatch {
                format,
                expected,
                actual,
                bundle,
            }));
        }
    }
    Ok(())
}

/// Runs `node file` in `dir`, with output to files (no pipe to fill) and a time limit.
pub fn run_node(dir: &Path, file: &str) -> Outcome {
    let stdout_path = dir.join(".stdout");
    let stderr_path = dir.join(".stderr");
    let mut child = Command::new("node")
        .arg(file)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout_path).expect("stdout file"))
        .stderr(fs::File::create(&stderr_path).expect("stderr file"))
        .spawn()
        .expect("node runs (it must be on PATH)");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for node") {
            break status.code();
        }
        if started.elapsed() > NODE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let read =
        |path: &PathBuf| String::from_utf8_lossy(&fs::read(path).unwrap_or_default()).into_owned();
    let mut stderr = read(&stderr_path);
    if status.is_none() && started.elapsed() > NODE_TIMEOUT {
        stderr.push_str("(timed out)\n");
    }
    Outcome {
        stdout: read(&stdout_path),
        status,
        stderr,
    }
}
