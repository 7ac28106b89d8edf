//! Watch mode end to end: the real binary with `--watch`, files edited on disk, and the
//! rebuilt output awaited with bounded waits (never a fixed sleep as an assertion).

mod common;

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

const TIMEOUT: Duration = Duration::from_secs(20);

struct Watcher {
    child: Child,
    lines: mpsc::Receiver<String>,
    dir: PathBuf,
}

impl Watcher {
    fn start(dir: &Path) -> Watcher {
        let mut child = common::verde()
            .args([
                "build",
                "main.js",
                "--outfile",
                "out/bundle.js",
                "--format",
                "cjs",
                "--watch",
            ])
            .current_dir(dir)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("verde starts");
        let lines = common::stderr_lines(&mut child);
        Watcher {
            child,
            lines,
            dir: dir.to_path_buf(),
        }
    }

    /// Waits for the rebuild whose summary line satisfies `wanted`, and returns that line
    /// and the diagnostics printed before it. Earlier rebuilds are skipped: a write can reach
    /// the watcher as two events (truncate, then write), and so cause two rebuilds.
    fn rebuild_where(&self, wanted: impl Fn(&str, &str) -> bool) -> (String, String) {
        let deadline = Instant::now() + TIMEOUT;
        let mut before = String::new();
        let mut seen = String::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self.lines.recv_timeout(left).unwrap_or_else(|_| {
                panic!("no such rebuild within {TIMEOUT:?}; output so far:\n{seen}{before}")
            });
            if line.starts_with("[verde]") {
                if wanted(&line, &before) {
                    return (line, before);
                }
                seen.push_str(&before);
                seen.push_str(&line);
                seen.push('\n');
                before.clear();
            } else {
                before.push_str(&line);
                before.push('\n');
            }
        }
    }

    /// Waits for a rebuild that wrote an output containing `text`.
    fn wrote(&self, text: &str) -> String {
        let (line, _) =
            self.rebuild_where(|line, _| line.contains("wrote") && self.output().contains(text));
        line
    }

    /// Waits for a failed rebuild whose diagnostics mention `needle`.
    fn failed_with(&self, needle: &str) -> String {
        let (line, diagnostics) = self.rebuild_where(|line, diagnostics| {
            line.contains("kept the previous output") && diagnostics.contains(needle)
        });
        assert!(line.contains("kept the previous output"));
        diagnostics
    }

    fn output(&self) -> String {
        std::fs::read_to_string(self.dir.join("out/bundle.js")).unwrap_or_default()
    }

    fn write(&self, path: &str, text: &str) {
        std::fs::write(self.dir.join(path), text).unwrap();
    }

    /// Replaces a file in one step (a temporary file renamed over it), so the watcher never
    /// sees it truncated: an in-place write can reach it as an empty file first, and the
    /// failed rebuild that causes changes what the next rebuild must redo.
    fn replace(&self, path: &str, text: &str) {
        let temporary = self.dir.join(format!("{path}.tmp"));
        std::fs::write(&temporary, text).unwrap();
        std::fs::rename(temporary, self.dir.join(path)).unwrap();
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn interrupt(child: &Child) {
    // SIGINT, as Ctrl-C sends it.
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

#[test]
fn watch_rebuilds_on_edits_and_survives_errors() {
    let dir = common::scratch_dir("watch");
    std::fs::write(
        dir.join("main.js"),
        "import { value } from './dep.js';\nexport { value };\n",
    )
    .unwrap();
    std::fs::write(dir.join("dep.js"), "export const value = 'first';\n").unwrap();
    let mut watcher = Watcher::start(&dir);

    let line = watcher.wrote("\"first\"");
    assert!(line.contains("initial build"), "{line}");

    // A body edit, the file's first and then its second: each re-parses one module,
    // re-renders one and reuses the link. (The parse may have been done by a build that the
    // second event of the write stopped, which prints no line: then this one parses none.)
    for value in ["almost", "second"] {
        watcher.replace("dep.js", &format!("export const value = '{value}';\n"));
        let line = watcher.wrote(&format!("\"{value}\""));
        assert!(
            line.contains("changed dep.js")
                && (line.contains("1 module re-parsed") || line.contains("0 modules re-parsed"))
                && line.contains("1 module re-rendered")
                && line.contains("link reused"),
            "{line}"
        );
    }

    // A comment changes nothing in the bundle: the file is left as it was, mtime included.
    let modified = || {
        std::fs::metadata(dir.join("out/bundle.js"))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before = modified();
    watcher.replace("dep.js", "// a comment\nexport const value = 'second';\n");
    let (line, _) = watcher.rebuild_where(|line, _| line.contains("changed dep.js"));
    assert!(line.contains("unchanged: out/bundle.js"), "{line}");
    assert_eq!(modified(), before);

    // A syntax error is reported with its position; the previous output stays.
    watcher.write("dep.js", "export const value = ;\n");
    let diagnostics = watcher.failed_with("SYNTAX_ERROR");
    assert!(diagnostics.contains("dep.js:1:22"), "{diagnostics}");
    assert!(watcher.output().contains("\"second\""));

    // Fixing it rebuilds.
    watcher.write("dep.js", "export const value = 'third';\n");
    watcher.wrote("\"third\"");

    // A bug in verde (a panic while linking or rendering, injected) is an internal error:
    // watch mode keeps running and the next edit builds again.
    for phase in ["link", "render"] {
        let previous = watcher.output();
        watcher.write(
            "dep.js",
            &format!("export const value = '__verde_fault_{phase}__';\n"),
        );
        watcher.failed_with("INTERNAL_ERROR");
        assert_eq!(watcher.output(), previous);
        watcher.write(
            "dep.js",
            &format!("export const value = 'after {phase}';\n"),
        );
        watcher.wrote(&format!("\"after {phase}\""));
    }

    // Deleting the file is an error; creating it again rebuilds.
    std::fs::remove_file(dir.join("dep.js")).unwrap();
    watcher.failed_with("UNRESOLVED_IMPORT");
    watcher.write("dep.js", "export const value = 'fourth';\n");
    watcher.wrote("\"fourth\"");

    // An editor's save: write a temporary file, then rename it over the original.
    watcher.write("dep.js.swp", "export const value = 'fifth';\n");
    std::fs::rename(dir.join("dep.js.swp"), dir.join("dep.js")).unwrap();
    watcher.wrote("\"fifth\"");

    // A renamed module: the import breaks, and following the new name fixes it.
    std::fs::rename(dir.join("dep.js"), dir.join("renamed.js")).unwrap();
    watcher.failed_with("UNRESOLVED_IMPORT");
    watcher.write(
        "main.js",
        "import { value } from './renamed.js';\nexport { value, value as again };\n",
    );
    watcher.wrote("again");

    // A new file where the resolver looked is picked up.
    watcher.write(
        "main.js",
        "import { value } from './renamed.js';\nimport { extra } from './extra.js';\nexport { value, extra };\n",
    );
    watcher.failed_with("extra.js");
    watcher.write("extra.js", "export const extra = 'sixth';\n");
    watcher.wrote("\"sixth\"");

    // Ctrl-C exits cleanly, leaving no temporary files.
    interrupt(&watcher.child);
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = watcher.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "verde did not exit after SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "bundle.js")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A directory created where the resolver looked (one it probed, on the way to a module)
/// builds again, and is watched from then on; one created elsewhere builds nothing.
#[test]
fn a_directory_created_where_an_import_looked_is_watched() {
    let dir = common::scratch_dir("watch-directory");
    std::fs::write(
        dir.join("main.js"),
        "import { value } from './lib/deep/value.js';\nexport { value };\n",
    )
    .unwrap();
    let watcher = Watcher::start(&dir);
    watcher.failed_with("lib/deep/value.js");
    std::fs::create_dir(dir.join("unrelated")).unwrap();
    std::fs::create_dir_all(dir.join("lib/deep")).unwrap();
    let (line, _) = watcher.rebuild_where(|line, _| line.contains("changed"));
    assert!(
        line.contains("changed lib") && !line.contains("unrelated"),
        "{line}"
    );
    watcher.write("lib/deep/value.js", "export const value = 'found';\n");
    watcher.wrote("\"found\"");
    watcher.replace("lib/deep/value.js", "export const value = 'edited';\n");
    watcher.wrote("\"edited\"");
}

/// An edit made while the first build runs, after it read the file and before watch mode
/// watches it, sends no event; watch mode finds it by its modification time and builds
/// again. (The graph is large enough that the first build is still running when the
/// entry, which it reads first, is edited.)
#[test]
fn an_edit_during_the_first_build_is_not_lost() {
    let dir = common::scratch_dir("watch-edit-during-build");
    let modules = 1500;
    let mut main = String::new();
    for index in 0..modules {
        main.push_str(&format!("import {{ v{index} }} from './m{index}.js';\n"));
        std::fs::write(
            dir.join(format!("m{index}.js")),
            format!(
                "export const v{index} = {index};\nexport function f{index}(x) {{ return x * {index}; }}\n"
            ),
        )
        .unwrap();
    }
    let sum: Vec<String> = (0..modules).map(|index| format!("v{index}")).collect();
    std::fs::write(
        dir.join("main.js"),
        format!("{main}console.log('first', {});\n", sum.join(" + ")),
    )
    .unwrap();
    let watcher = Watcher::start(&dir);
    // The entry is read as soon as the build starts; the build takes far longer.
    std::thread::sleep(Duration::from_millis(100));
    watcher.write(
        "main.js",
        &format!("{main}console.log('edited', {});\n", sum.join(" + ")),
    );
    watcher.wrote("\"edited\"");
}
