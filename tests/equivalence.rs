//! Incremental output equals a clean build. Long, seeded sequences of random edits (body
//! edits, comments, whitespace, exports added and removed, new modules imported, imports
//! removed, files deleted and re-created, syntax errors and their fixes, new locals and new
//! global reads in function bodies, including ones that collide with the bundle's names,
//! files saved unchanged) go through one long-lived compiler;
//! after every step its output and diagnostics must be byte-identical to a fresh compiler's
//! build of the same files. A failure prints the seed and the edit sequence;
//! `VERDE_EQUIVALENCE_SEED=<seed>` replays one seed, `VERDE_EQUIVALENCE_STEPS=<n>` lengthens
//! the runs.

mod common;

use std::{collections::BTreeMap, fmt::Write as _, path::Path, sync::Arc};

use verde::{BuildOptions, Compiler, MemorySystem};

/// The project under edit: path -> text, and the edits applied so far.
struct Session {
    files: BTreeMap<String, String>,
    compiler: Compiler,
    options: BuildOptions,
    root: String,
    log: Vec<String>,
    /// Files deleted by an edit, to re-create later.
    deleted: Vec<(String, String)>,
    added_exports: Vec<(String, String)>,
    counter: usize,
}

impl Session {
    fn new(root: &str, files: BTreeMap<String, String>, entry: &str) -> Session {
        let mut compiler = Compiler::with_system(root, Arc::new(MemorySystem::new()));
        for (path, text) in &files {
            compiler.set_file_text(path, text.as_str());
        }
        Session {
            files,
            compiler,
            options: BuildOptions {
                entries: vec![entry.into()],
                ..BuildOptions::default()
            },
            root: root.to_owned(),
            log: Vec::new(),
            deleted: Vec::new(),
            added_exports: Vec::new(),
            counter: 0,
        }
    }

    fn set(&mut self, path: &str, text: String) {
        self.compiler.set_file_text(path, text.as_str());
        self.files.insert(path.to_owned(), text);
    }

    /// Compares the incremental build with a clean one.
    fn check(&mut self, seed: u64) {
        let incremental = self.compiler.build(&self.options);
        let mut clean = Compiler::with_system(&self.root, Arc::new(MemorySystem::new()));
        for (path, text) in &self.files {
            clean.set_file_text(path, text.as_str());
        }
        let expected = clean.build(&self.options);
        // The text, and the source maps too when the options ask for them.
        let same_code = incremental.code.as_ref().map(ToString::to_string)
            == expected.code.as_ref().map(ToString::to_string)
            && incremental.code == expected.code;
        if !same_code || incremental.diagnostics != expected.diagnostics {
            let mut report =
                format!("incremental output differs from a clean build (seed {seed}); edits:\n");
            for (step, edit) in self.log.iter().enumerate() {
                let _ = writeln!(report, "  {step}: {edit}");
            }
            let _ = writeln!(
                report,
                "incremental diagnostics: {:?}",
                incremental.diagnostics
            );
            let _ = writeln!(report, "clean diagnostics: {:?}", expected.diagnostics);
            panic!("{report}");
        }
    }

    /// Names some module declares with `export const|let|function|class`.
    fn top_level_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for text in self.files.values() {
            for keyword in [
                "export const ",
                "export let ",
                "export function ",
                "export class ",
            ] {
                for (at, _) in text.match_indices(keyword) {
                    let rest = &text[at + keyword.len()..];
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$')
                        .collect();
                    if !name.is_empty() {
                        names.push(name);
                    }
                }
            }
        }
        names.sort();
        names.dedup();
        names
    }

    fn random_file(&self, rng: &mut fastrand::Rng) -> String {
        let paths: Vec<&String> = self.files.keys().filter(|p| p.ends_with(".js")).collect();
        paths[rng.usize(..paths.len())].clone()
    }

    /// Applies one random edit and records it.
    fn random_edit(&mut self, rng: &mut fastrand::Rng) {
        self.counter += 1;
        let n = self.counter;
        let path = self.random_file(rng);
        let text = self.files[&path].clone();
        let description = match rng.u8(..14) {
            0 => {
                // Change a number literal, as typing inside a function body would.
                let digits: Vec<usize> = text
                    .char_indices()
                    .filter(|(_, c)| c.is_ascii_digit())
                    .map(|(i, _)| i)
                    .collect();
                if digits.is_empty() {
                    return self.random_edit(rng);
                }
                let at = digits[rng.usize(..digits.len())];
                let mut edited = text.clone();
                edited.replace_range(at..at + 1, &rng.u8(0..10).to_string());
                self.set(&path, edited);
                format!("change a digit at byte {at} of {path}")
            }
            1 => {
                let line = rng.usize(..=text.lines().count());
                let mut lines: Vec<&str> = text.lines().collect();
                let comment = format!("// note {n}");
                lines.insert(line.min(lines.len()), &comment);
                self.set(&path, lines.join("\n") + "\n");
                format!("insert a comment at line {line} of {path}")
            }
            2 => {
                self.set(&path, text.replace(";\n", " ;  \n\n"));
                format!("reformat whitespace in {path}")
            }
            3 => {
                let name = format!("verdeAdded{n}");
                self.set(&path, format!("{text}\nexport const {name} = {n};\n"));
                self.added_exports.push((path.clone(), name.clone()));
                format!("add export {name} to {path}")
            }
            4 => {
                let Some((file, name)) = self.added_exports.pop() else {
                    return self.random_edit(rng);
                };
                let Some(current) = self.files.get(&file).cloned() else {
                    return self.random_edit(rng);
                };
                let line = format!("\nexport const {name} = ");
                let Some(start) = current.find(&line) else {
                    return self.random_edit(rng);
                };
                let end = current[start + 1..]
                    .find('\n')
                    .map_or(current.len(), |i| start + 2 + i);
                let mut edited = current.clone();
                edited.replace_range(start..end, "");
                self.set(&file, edited);
                format!("remove export {name} from {file}")
            }
            5 => {
                // A new module, imported and used.
                let directory = Path::new(&path)
                    .parent()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let new_path = format!("{directory}/verde_new_{n}.js");
                self.set(&new_path, format!("export const fresh{n} = {n};\n"));
                self.set(
                    &path,
                    format!("import {{ fresh{n} }} from './verde_new_{n}.js';\nglobalThis.__verde = fresh{n};\n{text}"),
                );
                format!("import new module {new_path} from {path}")
            }
            6 => {
                if let Some((deleted, contents)) = self.deleted.pop() {
                    self.set(&deleted, contents);
                    format!("re-create {deleted}")
                } else {
                    self.compiler.remove_file(&path);
                    self.files.remove(&path);
                    self.deleted.push((path.clone(), text));
                    format!("delete {path}")
                }
            }
            7 => {
                // A syntax error, fixed by the next edit of this kind.
                if let Some(broken) = text.strip_suffix("\nconst = ;\n") {
                    self.set(&path, broken.to_owned() + "\n");
                    format!("fix the syntax error in {path}")
                } else {
                    self.set(&path, format!("{text}\nconst = ;\n"));
                    format!("break the syntax of {path}")
                }
            }
            9 | 10 => {
                // A new local, or a new read of a global, at the start of a function body.
                let Some(body) = text.find(") {\n") else {
                    return self.random_edit(rng);
                };
                let line = if rng.bool() {
                    format!("  const verdeLocal{n} = {n};\n")
                } else {
                    format!("  void typeof verdeGlobal{n};\n")
                };
                let mut edited = text.clone();
                edited.insert_str(body + 4, &line);
                self.set(&path, edited);
                format!("insert {:?} in a function body of {path}", line.trim())
            }
            11 => {
                // A new local or global read spelled like a name the bundle may use (a
                // top-level name of some module, or its renamed form): naming must move.
                let Some(body) = text.find(") {\n") else {
                    return self.random_edit(rng);
                };
                let names = self.top_level_names();
                if names.is_empty() {
                    return self.random_edit(rng);
                }
                let name = &names[rng.usize(..names.len())];
                let line = match rng.u8(..3) {
                    0 => format!("  const {name}$1 = {n};\n"),
                    1 => format!("  void typeof {name};\n"),
                    _ => format!("  let {name} = {n};\n"),
                };
                let mut edited = text.clone();
                edited.insert_str(body + 4, &line);
                self.set(&path, edited);
                format!("insert {:?} in a function body of {path}", line.trim())
            }
            12 => {
                // Remove an import: what it bound becomes a global read.
                let Some(start) = text
                    .match_indices("import ")
                    .map(|(at, _)| at)
                    .find(|&at| at == 0 || text.as_bytes()[at - 1] == b'\n')
                else {
                    return self.random_edit(rng);
                };
                let end = text[start..]
                    .find(";\n")
                    .map_or(text.len(), |i| start + i + 2);
                let mut edited = text.clone();
                edited.replace_range(start..end, "");
                self.set(&path, edited);
                format!("remove the first import of {path}")
            }
            13 => {
                // Saved without a change, as editors often do.
                self.set(&path, text);
                format!("save {path} unchanged")
            }
            _ => {
                // Edit a string literal.
                let Some(quote) = text.find('\'') else {
                    return self.random_edit(rng);
                };
                let mut edited = text.clone();
                edited.insert_str(quote + 1, &format!("e{n}"));
                self.set(&path, edited);
                format!("edit a string literal of {path}")
            }
        };
        self.log.push(description);
    }
}

fn run(seed: u64, steps: usize, make_session: &dyn Fn() -> Session) {
    let mut session = make_session();
    session.check(seed);
    let mut rng = fastrand::Rng::with_seed(seed);
    for _ in 0..steps {
        session.random_edit(&mut rng);
        session.check(seed);
    }
}

fn seeds(default: &[u64]) -> Vec<u64> {
    match std::env::var("VERDE_EQUIVALENCE_SEED") {
        Ok(seed) => vec![seed.parse().expect("VERDE_EQUIVALENCE_SEED is a number")],
        Err(_) => default.to_vec(),
    }
}

fn steps(default: usize) -> usize {
    std::env::var("VERDE_EQUIVALENCE_STEPS")
        .ok()
        .and_then(|steps| steps.parse().ok())
        .unwrap_or(default)
}

const PROJECT: &str = r#"
//- /src/main.js
import { area, Shape } from './shapes.js';
import * as format from './format.js';
import config from './config.js';
export { perimeter } from './shapes.js';
export * from './units.js';
const shape = new Shape('circle', 2);
console.log(format.number(area(2)), shape.describe(), config.precision);
export const lazy = import('./lazy.js').then((module) => module.value + 1);
export default shape;
//- /src/shapes.js
import { PI } from './constants.js';
import { unit } from './units.js';
export class Shape {
  constructor(kind, size) {
    this.kind = kind;
    this.size = size;
  }
  describe() {
    return this.kind + ' of ' + this.size + unit;
  }
}
export function area(r) {
  return PI * r * r;
}
export function perimeter(r) {
  return 2 * PI * r;
}
//- /src/constants.js
export const PI = 3.14159;
export const E = 2.71828;
//- /src/units.js
export const unit = 'cm';
export const scale = 10;
//- /src/format.js
import { scale } from './units.js';
export function number(value) {
  return (value * scale / 10).toFixed(2);
}
export const separator = ', ';
//- /src/config.js
export default { precision: 2, name: 'config' };
//- /src/lazy.js
import { E } from './constants.js';
export const value = E * 2;
"#;

/// A session over the fixture project.
fn fixture_session() -> Session {
    let fixture = common::parse_fixture(PROJECT);
    let files = fixture.files.into_iter().collect();
    Session::new("/", files, &fixture.entry)
}

#[test]
fn random_edits_of_a_fixture_match_clean_builds() {
    let make = fixture_session;
    // Seed 12 found a resolution left stale by a file deleted and re-created while nothing
    // imported it (its 104th step).
    for seed in seeds(&[1, 2, 3, 4, 12]) {
        run(seed, steps(120), &make);
    }
}

/// The same edits, minified and with source maps: the code and its maps match a clean
/// build's after every step.
#[test]
fn random_edits_minified_with_source_maps_match_clean_builds() {
    let make = || {
        let mut session = fixture_session();
        session.options.minify_whitespace = true;
        session.options.minify_identifiers = true;
        session.options.minify_syntax = true;
        session.options.source_maps = Some(verde::SourceMaps::default());
        session
    };
    for seed in seeds(&[1, 2, 3]) {
        run(seed, steps(120), &make);
    }
}

/// Objects whose members importers read in place (`--minify-syntax`, see
/// `parse::static_objects`): edits that make an object escape or stop escaping (a module
/// that lists it deleted and re-created, an import removed) flip every read of it between
/// the member's binding and the object. Removing the first import of `main.js` or of
/// `keep.js` leaves `tools` read only through its members.
const OBJECTS_PROJECT: &str = r#"
//- /src/main.js
import { keep } from './keep.js';
import tools from './tools.js';
import { api } from './api.js';
const measure = tools.area;
console.log(tools.unit, [1, 2].map(measure).join(), tools.perimeter === api.perimeter);
console.log(keep(), api.version, tools.area(2), api.perimeter(1));
//- /src/tools.js
import { area, perimeter } from './shapes.js';
import { unit } from './units.js';
export default { area, perimeter, unit };
//- /src/keep.js
import tools from './tools.js';
export function keep() {
  return Object.keys(tools).length;
}
//- /src/api.js
import { perimeter } from './shapes.js';
export const version = ['v1'];
export const api = { perimeter, version };
//- /src/shapes.js
export function area(r) {
  return 3 * r * r;
}
export function perimeter(r) {
  return 6 * r;
}
//- /src/units.js
export const unit = ['cm'];
"#;

#[test]
fn random_edits_of_imported_objects_minified_match_clean_builds() {
    let make = || minified_session(OBJECTS_PROJECT);
    for seed in seeds(&[1, 2, 3, 4]) {
        run(seed, steps(100), &make);
    }
}

/// A session over `project` (a fixture text), built with `--minify --sourcemap`.
fn minified_session(project: &str) -> Session {
    let fixture = common::parse_fixture(project);
    let files = fixture.files.into_iter().collect();
    let mut session = Session::new("/", files, &fixture.entry);
    session.options.minify_whitespace = true;
    session.options.minify_identifiers = true;
    session.options.minify_syntax = true;
    session.options.source_maps = Some(verde::SourceMaps::default());
    session
}

/// Long literals that importers read in place only where they are read once: the edits
/// (an import removed, a module deleted, a read added) move them between read in place and
/// declared.
const LITERALS_PROJECT: &str = r#"
//- /src/main.js
import chunk from './chunk.js';
import { title, note } from './strings.js';
import { again } from './again.js';
import { flags } from './flags.js';
import { describe, values, match } from './locale.js';
const locale = { describe, values, match };
console.log([chunk, title], again(), note.length, flags(8), locale.describe('soon'), locale.values.wide[1], locale.match.era('after'));
//- /src/locale.js
const phrases = { soon: 'in a moment' };
export const describe = (token) => phrases[token] + '!';
export const values = { wide: ['before', 'after'] };
function build(patterns) {
  return (text) => patterns.any.test(text);
}
const patterns = { any: /^a/ };
export const match = { era: build(patterns) };
//- /src/flags.js
import { note } from './strings.js';
var FLAG = 1,
  LONG_FLAG = 'a long flag read once here';
export function flags(mask) {
  return [mask | FLAG, LONG_FLAG, note.length];
}
//- /src/again.js
import { note } from './strings.js';
export function again() {
  return note + '!';
}
//- /src/strings.js
import { flags } from './flags.js';
export const flagged = () => flags(1);
export const title = 'a title longer than a name';
export const note = 'a note read by two modules';
//- /src/chunk.js
export default /* glsl */ `
#ifdef CHUNK
	gl_FragColor = vec4( 1.0 );
#endif
`;
"#;

/// Long literals read once or more, `var` constants (`flags.js`, in a cycle with
/// `strings.js` until an edit removes an import or deletes a file), and values written
/// where they are read (`locale.js`'s, in `main.js`).
#[test]
fn random_edits_of_long_literals_minified_match_clean_builds() {
    let make = || minified_session(LITERALS_PROJECT);
    for seed in seeds(&[1, 2, 3, 4]) {
        run(seed, steps(100), &make);
    }
}

#[test]
fn random_edits_of_three_js_match_clean_builds() {
    let source = common::corpora_dir().join("three/src");
    let mut files = BTreeMap::new();
    let mut stack = vec![source.clone()];
    while let Some(directory) = stack.pop() {
        for entry in std::fs::read_dir(&directory).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "js") {
                let relative = path
                    .strip_prefix(&source)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(
                    format!("/three/{relative}"),
                    std::fs::read_to_string(&path).unwrap(),
                );
            }
        }
    }
    let make = || Session::new("/", files.clone(), "/three/Three.js");
    for seed in seeds(&[7]) {
        run(seed, steps(8), &make);
    }
}
