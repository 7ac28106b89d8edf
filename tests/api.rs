//! The library API, used the way an embedder would: only `verde`'s public items, files in
//! memory, reads on other threads.

mod common;

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use verde::{
    BuildOptions, Cancelled, Compiler, MemorySystem, RenameError, Severity, Snapshot, SymbolKind,
    TextRange,
};

const A: &str = "export const answer = 42;\nexport function unused() { return 0; }\n";
const B: &str = "export * from './a.js';\nexport { answer as alias } from './a.js';\n";
const MAIN: &str = "import { answer, alias } from './b.js';\nconsole.log(answer, alias);\n";

fn project() -> (Compiler, BuildOptions) {
    let system = MemorySystem::new();
    system.write("/p/a.js", A);
    system.write("/p/b.js", B);
    system.write("/p/main.js", MAIN);
    let compiler = Compiler::with_system("/p", Arc::new(system));
    let options = BuildOptions {
        entries: vec!["main.js".into()],
        ..BuildOptions::default()
    };
    (compiler, options)
}

fn files() -> Vec<PathBuf> {
    ["/p/a.js", "/p/b.js", "/p/main.js"]
        .into_iter()
        .map(PathBuf::from)
        .collect()
}

/// The byte offset of the `nth` occurrence of `needle` in `text`.
fn offset(text: &str, needle: &str, nth: usize) -> u32 {
    text.match_indices(needle).nth(nth).expect("needle").0 as u32
}

fn range(text: &str, needle: &str, nth: usize) -> TextRange {
    let start = offset(text, needle, nth);
    TextRange {
        start,
        end: start + needle.len() as u32,
    }
}

#[test]
fn builds_from_memory_and_reports_structured_diagnostics() {
    let (mut compiler, options) = project();
    let output = compiler.build(&options);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
    let code = output.code.expect("code").to_string();
    assert!(code.contains("const answer = 42;"));
    assert!(!code.contains("unused"), "tree shaking drops it:\n{code}");

    compiler.set_file_text(
        "/p/main.js",
        "import { nope } from './b.js';\nconsole.log(nope);\n",
    );
    let output = compiler.build(&options);
    assert!(output.code.is_none());
    let [diagnostic] = output.diagnostics.as_slice() else {
        panic!("one diagnostic: {:?}", output.diagnostics);
    };
    assert_eq!(diagnostic.severity, Severity::Error);
    assert_eq!(diagnostic.code, "MISSING_EXPORT");
    assert_eq!(diagnostic.file.as_deref(), Some(Path::new("/p/main.js")));
    assert_eq!(
        diagnostic.range,
        Some(range("import { nope } from './b.js';", "nope", 0))
    );
    assert!(
        diagnostic.message.contains("\"nope\""),
        "{}",
        diagnostic.message
    );
}

#[test]
fn writes_bundles_atomically_and_never_a_failed_one() {
    let (mut compiler, options) = project();
    let path = common::scratch_dir("api-write").join("out/bundle.js");
    let output = compiler.build(&options);
    output.write(&path).expect("written");
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, output.code.unwrap().to_string());

    compiler.set_file_text("/p/main.js", "import { nope } from './b.js';\n");
    let failed = compiler.build(&options);
    assert!(failed.write(&path).is_err());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        written,
        "the old bundle stays"
    );
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["bundle.js"], "no temporary file is left behind");
}

#[test]
fn snapshot_answers_on_another_thread() {
    let (mut compiler, options) = project();
    let snapshot: Snapshot = compiler.snapshot(&options);
    let answers = std::thread::spawn(move || {
        let definition = snapshot
            .definition("/p/main.js", offset(MAIN, "answer", 1))
            .unwrap()
            .expect("a definition");
        let alias = snapshot
            .definition("/p/main.js", offset(MAIN, "alias", 1))
            .unwrap()
            .expect("a definition");
        let references = snapshot
            .references("/p/a.js", offset(A, "answer", 0), &files())
            .unwrap();
        let hover = snapshot
            .hover("/p/main.js", offset(MAIN, "answer", 1))
            .unwrap()
            .expect("hover");
        let unused = snapshot
            .hover("/p/a.js", offset(A, "unused", 0))
            .unwrap()
            .expect("hover");
        let symbols = snapshot.symbols("/p/a.js").unwrap();
        (definition, alias, references, hover, unused, symbols)
    });
    let (definition, alias, references, hover, unused, symbols) = answers.join().unwrap();

    // Through `export *` and through a renaming re-export, to the declaration.
    assert_eq!(definition.path, Path::new("/p/a.js"));
    assert_eq!(definition.range, range(A, "answer", 0));
    assert_eq!(alias, definition);

    let found: Vec<(String, TextRange)> = references
        .iter()
        .map(|location| (location.path.display().to_string(), location.range))
        .collect();
    assert_eq!(
        found,
        vec![
            ("/p/a.js".to_owned(), range(A, "answer", 0)),
            ("/p/b.js".to_owned(), range(B, "answer", 0)),
            ("/p/b.js".to_owned(), range(B, "alias", 0)),
            ("/p/main.js".to_owned(), range(MAIN, "answer", 0)),
            ("/p/main.js".to_owned(), range(MAIN, "alias", 0)),
            ("/p/main.js".to_owned(), range(MAIN, "answer", 1)),
            ("/p/main.js".to_owned(), range(MAIN, "alias", 1)),
        ]
    );

    assert_eq!(hover.declaration, "export const answer = 42;");
    assert_eq!(hover.kind, SymbolKind::Constant);
    assert_eq!(hover.path, Path::new("/p/a.js"));
    assert_eq!(hover.included, Some(true));
    assert_eq!(unused.kind, SymbolKind::Function);
    assert_eq!(unused.included, Some(false), "tree-shaken");

    let names: Vec<&str> = symbols.iter().map(|symbol| symbol.name.as_str()).collect();
    assert_eq!(names, ["answer", "unused"]);
    assert_eq!(symbols[1].selection_range, range(A, "unused", 0));
}

#[test]
fn rename_sees_a_new_nested_binding_that_naming_does_not_need() {
    let (mut compiler, options) = project();
    compiler.build(&options);
    // A nested binding no bundle name collides with: the build does not publish it to
    // link (see `summary::publish_held_back`), but renaming must still see it.
    let a =
        "export const answer = 42;\nexport function unused() { const later = 1; return later; }\n";
    compiler.set_file_text("/p/a.js", a);
    assert!(!compiler.build(&options).has_errors());
    let snapshot = compiler.snapshot(&options);
    let refused = snapshot
        .rename("/p/a.js", offset(a, "answer", 0), "later", &files())
        .unwrap();
    assert!(
        matches!(&refused, Err(RenameError::Conflict { path, .. }) if path == Path::new("/p/a.js")),
        "{refused:?}"
    );
}

#[test]
fn rename_keeps_aliases_and_completions_list_exports() {
    let (mut compiler, options) = project();
    let snapshot = compiler.snapshot(&options);
    let edits = snapshot
        .rename("/p/main.js", offset(MAIN, "answer", 1), "value", &files())
        .unwrap()
        .unwrap();
    let edited: Vec<(String, TextRange)> = edits
        .iter()
        .map(|location| (location.path.display().to_string(), location.range))
        .collect();
    // `alias` stays: only the spelling of the binding's own name changes.
    assert_eq!(
        edited,
        vec![
            ("/p/a.js".to_owned(), range(A, "answer", 0)),
            ("/p/b.js".to_owned(), range(B, "answer", 0)),
            ("/p/main.js".to_owned(), range(MAIN, "answer", 0)),
            ("/p/main.js".to_owned(), range(MAIN, "answer", 1)),
        ]
    );
    assert_eq!(
        snapshot
            .rename(
                "/p/main.js",
                offset(MAIN, "answer", 1),
                "not a name",
                &files()
            )
            .unwrap(),
        Err(RenameError::InvalidName("not a name".to_owned()))
    );
    assert_eq!(
        snapshot
            .rename("/p/main.js", offset(MAIN, "console", 0), "x", &files())
            .unwrap(),
        Err(RenameError::NothingToRename)
    );
    // Names that would change what code means are refused: a binding of `main.js`, a
    // global `main.js` reads, and a name `b.js` already exports.
    for (new_name, clash_in) in [
        ("alias", "/p/main.js"),
        ("console", "/p/main.js"),
        ("unused", "/p/a.js"),
    ] {
        let refused = snapshot
            .rename("/p/main.js", offset(MAIN, "answer", 1), new_name, &files())
            .unwrap();
        match refused {
            Err(RenameError::Conflict { path, .. }) => {
                assert_eq!(path, Path::new(clash_in), "{new_name}")
            }
            other => panic!("renaming to {new_name}: {other:?}"),
        }
    }
    drop(snapshot);

    let typing = "import { an } from './b.js';\n";
    compiler.set_file_text("/p/main.js", typing);
    let snapshot = compiler.snapshot(&options);
    let names = snapshot
        .import_completions("/p/main.js", offset(typing, "an", 0) + 2)
        .unwrap();
    assert_eq!(names, ["alias", "answer", "unused"]);
    assert!(
        snapshot
            .import_completions("/p/main.js", offset(typing, "from", 0))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn diagnostics_of_one_module_include_cycles_that_would_throw() {
    let system = MemorySystem::new();
    // `main.js` runs first when the cycle is entered through `config.js`, and reads
    // `config.js`'s `const` before it exists.
    system.write(
        "/p/main.js",
        "import { limit } from './config.js';\nexport const doubled = limit * 2;\nexport function later() { return limit; }\n",
    );
    system.write(
        "/p/config.js",
        "import { doubled } from './main.js';\nexport const limit = 10;\nexport function show() { return doubled; }\n",
    );
    let mut compiler = Compiler::with_system("/p", Arc::new(system));
    let snapshot = compiler.snapshot(&BuildOptions::default());
    let diagnostics = snapshot.diagnostics("/p/main.js").unwrap();
    let [diagnostic] = diagnostics.as_slice() else {
        panic!("one diagnostic: {diagnostics:?}");
    };
    assert_eq!(diagnostic.code, "CIRCULAR_IMPORT_TDZ");
    assert_eq!(diagnostic.severity, Severity::Warning);
    let text = snapshot.file_text("/p/main.js").unwrap().unwrap();
    assert_eq!(diagnostic.range, Some(range(&text, "limit", 1)));
    // `config.js` reads `doubled` only inside a function: no hazard there.
    assert!(snapshot.diagnostics("/p/config.js").unwrap().is_empty());
}

#[test]
fn an_edit_cancels_reads_in_flight() {
    let (mut compiler, options) = project();
    let snapshot = compiler.snapshot(&options);
    let reader = std::thread::spawn(move || {
        // Read until the edit on the main thread cancels us; the edit waits for this
        // snapshot to be dropped, so it cannot finish first.
        for _ in 0..10_000_000 {
            if let Err(Cancelled) = snapshot.diagnostics("/p/main.js") {
                return true;
            }
        }
        false
    });
    compiler.set_file_text("/p/main.js", "import { nope } from './b.js';\n");
    assert!(
        reader.join().expect("no panic escapes"),
        "the read was cancelled"
    );
    let diagnostics = compiler
        .snapshot(&options)
        .diagnostics("/p/main.js")
        .unwrap();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, "MISSING_EXPORT");
}

/// A file system whose first read of `gated` waits until the gate opens.
#[derive(Debug)]
struct GatedSystem {
    files: MemorySystem,
    gated: PathBuf,
    /// Told when the gated read starts.
    entered: Mutex<Option<std::sync::mpsc::Sender<()>>>,
    /// Waited on by the gated read.
    gate: Mutex<Option<std::sync::mpsc::Receiver<()>>>,
}

impl verde::System for GatedSystem {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        if path == self.gated {
            let gate = self.gate.lock().unwrap().take();
            if let Some(gate) = gate {
                let entered = self.entered.lock().unwrap().take();
                entered.expect("one gated read").send(()).unwrap();
                gate.recv().unwrap();
            }
        }
        self.files.read(path)
    }
    fn metadata(&self, path: &Path) -> std::io::Result<verde::Metadata> {
        self.files.metadata(path)
    }
    fn symlink_metadata(&self, path: &Path) -> std::io::Result<verde::Metadata> {
        self.files.symlink_metadata(path)
    }
    fn read_link(&self, path: &Path) -> std::io::Result<PathBuf> {
        self.files.read_link(path)
    }
    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        self.files.canonicalize(path)
    }
}

#[test]
fn a_read_waiting_for_a_cancelled_read_is_cancelled_too() {
    let files = MemorySystem::new();
    files.write("/p/a.js", A);
    files.write("/p/b.js", B);
    files.write("/p/main.js", MAIN);
    let (entered, on_entered) = std::sync::mpsc::channel();
    let (open_gate, gate) = std::sync::mpsc::channel();
    let system = GatedSystem {
        files,
        gated: "/p/a.js".into(),
        entered: Mutex::new(Some(entered)),
        gate: Mutex::new(Some(gate)),
    };
    let mut compiler = Compiler::with_system("/p", Arc::new(system));
    let options = BuildOptions {
        entries: vec!["main.js".into()],
        ..BuildOptions::default()
    };
    // The first reader stops inside a query, reading `a.js`; the second asks for the same
    // queries and waits for the first.
    let first = compiler.snapshot(&options);
    let first = std::thread::spawn(move || first.diagnostics("/p/main.js"));
    on_entered.recv().unwrap();
    let second = compiler.snapshot(&options);
    let second = std::thread::spawn(move || second.diagnostics("/p/main.js"));
    std::thread::sleep(std::time::Duration::from_millis(300));
    // An edit cancels the first reader once its read returns; the second, waiting on it,
    // is cancelled as well, not told that the first one panicked. The gate opens once the
    // edit is pending: a third snapshot's reads are cancelled from then on.
    let watcher = compiler.snapshot(&options);
    let edit = std::thread::spawn(move || {
        compiler.set_file_text("/p/main.js", "import { nope } from './b.js';\n");
        compiler
    });
    while watcher.file_text("/p/b.js").is_ok() {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    drop(watcher);
    open_gate.send(()).unwrap();
    let first = first.join().expect("no panic escapes");
    let second = second.join().expect("no panic escapes");
    assert!(
        matches!(first, Err(Cancelled)),
        "the first read is cancelled: {first:?}"
    );
    assert!(
        matches!(second, Err(Cancelled)),
        "the read that waited for it is cancelled too: {second:?}"
    );
    let mut compiler = edit.join().unwrap();
    let diagnostics = compiler
        .snapshot(&options)
        .diagnostics("/p/main.js")
        .unwrap();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, "MISSING_EXPORT");
}

#[test]
fn inputs_follow_the_graph_from_build_to_build() {
    let (mut compiler, options) = project();
    let inputs = |output: &verde::BuildOutput| {
        let mut inputs = output.inputs.to_vec();
        inputs.sort();
        inputs
    };
    assert_eq!(inputs(&compiler.build(&options)), files());
    // A body edit keeps the modules: the same list.
    compiler.set_file_text("/p/a.js", A.replace("42", "43"));
    assert_eq!(inputs(&compiler.build(&options)), files());
    // A module imported, then no longer.
    compiler.set_file_text("/p/c.js", "export const c = 1;\n");
    compiler.set_file_text("/p/main.js", format!("import './c.js';\n{MAIN}"));
    let mut with_c = files();
    with_c.insert(2, PathBuf::from("/p/c.js"));
    assert_eq!(inputs(&compiler.build(&options)), with_c);
    compiler.set_file_text("/p/main.js", MAIN);
    let held = compiler.build(&options);
    assert_eq!(inputs(&held), files());
    // Again, with the last build's output still held (its list is not given up).
    compiler.set_file_text("/p/main.js", format!("import './c.js';\n{MAIN}"));
    assert_eq!(inputs(&compiler.build(&options)), with_c);
    assert_eq!(inputs(&held), files());
}

#[test]
fn statistics_count_the_items_of_the_graph_from_build_to_build() {
    let (mut compiler, options) = project();
    let counts = |output: verde::BuildOutput| (output.stats.items, output.stats.live_items);
    // Items are statements with code: a.js's two declarations (one live), main.js's call
    // (imports and re-exports are none).
    assert_eq!(counts(compiler.build(&options)), (3, 2));
    // A body edit: the same items.
    compiler.set_file_text("/p/a.js", A.replace("return 0", "return 1"));
    assert_eq!(counts(compiler.build(&options)), (3, 2));
    // A statement added to a module, then a module of two unused constants imported.
    compiler.set_file_text("/p/a.js", format!("{A}console.log(1);\n"));
    assert_eq!(counts(compiler.build(&options)), (4, 3));
    compiler.set_file_text("/p/c.js", "export const c = 1;\nexport const d = 2;\n");
    compiler.set_file_text("/p/main.js", format!("import './c.js';\n{MAIN}"));
    assert_eq!(counts(compiler.build(&options)), (6, 3));
    // A syntax error stops the build before anything is counted.
    compiler.set_file_text("/p/c.js", "export const = ;\n");
    assert_eq!(counts(compiler.build(&options)), (0, 0));
}

#[test]
fn a_superseded_build_stops_and_loses_nothing_the_next_build_needs() {
    let (mut compiler, options) = project();
    // Out of date from the start: nothing is parsed, nothing is returned.
    assert!(
        compiler
            .build_unless_superseded(&options, &|| true)
            .is_none()
    );
    assert_eq!(compiler.take_query_log().count("parsed_module"), 0);
    let clean = compiler.build(&options).code.expect("a bundle").to_string();

    // Out of date partway: from the n-th time it asks on, for every n until the build
    // gets to the end. Each stopped build leaves memos the next one reuses; the next
    // build (with an edit in between, as in watch mode) is what a clean build gives.
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let mut stopped = 0;
    for n in 0.. {
        compiler.set_file_text("/p/a.js", A.replace("42", &n.to_string()));
        asked.store(0, std::sync::atomic::Ordering::SeqCst);
        let after_n = || asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= n;
        if compiler
            .build_unless_superseded(&options, &after_n)
            .is_some()
        {
            break;
        }
        stopped += 1;
        compiler.set_file_text("/p/a.js", A);
        assert_eq!(compiler.build(&options).code.unwrap().to_string(), clean);
    }
    // It stopped in discovery (once per module it walks: the edited one, as no file came
    // or went) and at each step after it.
    assert!(stopped > 5, "stopped {stopped} times");
}
