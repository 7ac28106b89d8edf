//! Source maps, checked the way a debugger reads them: every identifier the map points at
//! in the output must start, at the original position it gives, the same name in the
//! original source (or the original name the map's `names` records for a renamed
//! binding). Decoded with oxc_sourcemap; zero misses allowed, on the real corpora and
//! through TypeScript lowering. Stack traces through `node --enable-source-maps` land on
//! the original `.ts` lines.

mod common;

use std::{path::Path, process::Command};

use oxc_sourcemap::SourceMap;

/// A segment whose generated identifier is not what its original position holds.
#[derive(Debug)]
#[expect(
    dead_code,
    reason = "the fields are read in failure messages, through Debug"
)]
struct Miss {
    generated: String,
    original: String,
    source: String,
    line: u32,
    column: u32,
}

/// A text's lines, for looking positions up: each line's byte offsets by UTF-16 column,
/// made when the line is first asked about (minified output is one long line).
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
    columns: std::collections::HashMap<u32, Vec<usize>>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        let mut index = 0;
        while index < bytes.len() {
            let length = match bytes[index] {
                b'\r' if bytes.get(index + 1) == Some(&b'\n') => Some(2),
                b'\n' | b'\r' => Some(1),
                0xE2 if matches!(bytes.get(index + 1..index + 3), Some([0x80, 0xA8 | 0xA9])) => {
                    Some(3)
                }
                _ => None,
            };
            match length {
                Some(length) => {
                    index += length;
                    starts.push(index);
                }
                None => index += 1,
            }
        }
        Lines {
            text,
            starts,
            columns: Default::default(),
        }
    }

    /// Byte offset of a zero-based line and UTF-16 column, if there is such a position.
    fn offset(&mut self, line: u32, column: u32) -> Option<usize> {
        let start = *self.starts.get(line as usize)?;
        let text = self.text;
        let columns = self.columns.entry(line).or_insert_with(|| {
            let mut columns = Vec::new();
            for (index, character) in text[start..].char_indices() {
                if matches!(character, '\n' | '\r' | '\u{2028}' | '\u{2029}') {
                    columns.push(start + index);
                    return columns;
                }
                for _ in 0..character.len_utf16() {
                    columns.push(start + index);
                }
            }
            columns.push(text.len());
            columns
        });
        columns.get(column as usize).copied()
    }
}

/// The identifier (not a keyword) that starts `text`, if one does.
fn identifier_at(text: &str) -> Option<&str> {
    let mut characters = text.char_indices();
    let (_, first) = characters.next()?;
    if !(first == '$' || first == '_' || first.is_alphabetic()) {
        return None;
    }
    let end = characters
        .find(|(_, c)| !(*c == '$' || *c == '_' || c.is_alphanumeric() || *c == '\u{200c}'))
        .map_or(text.len(), |(index, _)| index);
    let word = &text[..end];
    (!is_keyword(word)).then_some(word)
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "break"
            | "case"
            | "catch"
            | "class"
            | "const"
            | "continue"
            | "debugger"
            | "default"
            | "delete"
            | "do"
            | "else"
            | "export"
            | "extends"
            | "finally"
            | "for"
            | "function"
            | "if"
            | "import"
            | "in"
            | "instanceof"
            | "new"
            | "return"
            | "super"
            | "switch"
            | "this"
            | "throw"
            | "try"
            | "typeof"
            | "var"
            | "void"
            | "while"
            | "with"
            | "yield"
            | "let"
            | "static"
            | "await"
            | "async"
            | "null"
            | "true"
            | "false"
            | "of"
            | "get"
            | "set"
    )
}

/// Checks the map of `output` (read from `output.map`) and returns the misses, and how
/// many identifiers were checked.
fn check_map(output: &Path) -> (Vec<Miss>, usize) {
    let code = std::fs::read_to_string(output).unwrap();
    let map_path = format!("{}.map", output.display());
    let json = std::fs::read_to_string(&map_path).unwrap();
    let map = SourceMap::from_json_string(&json).expect("the map decodes");
    let mut code_lines = Lines::new(&code);
    let contents: Vec<String> = map
        .get_source_contents()
        .map(|content| content.expect("sourcesContent is written").to_string())
        .collect();
    let mut sources: Vec<Lines<'_>> = contents.iter().map(|content| Lines::new(content)).collect();
    let mut misses = Vec::new();
    let mut checked = 0;
    for token in map.get_tokens() {
        let Some(at) = code_lines.offset(token.get_dst_line(), token.get_dst_col()) else {
            continue;
        };
        let Some(generated) = identifier_at(&code[at..]) else {
            continue;
        };
        checked += 1;
        let source_id = token.get_source_id().expect("every segment has a source");
        let lines = &mut sources[source_id as usize];
        let original_at = lines.offset(token.get_src_line(), token.get_src_col());
        let content = lines.text;
        let expected = token
            .get_name_id()
            .and_then(|id| map.get_name(id))
            .unwrap_or(generated);
        let found = original_at.map_or("", |at| &content[at..]);
        if !found.starts_with(expected) {
            misses.push(Miss {
                generated: generated.to_owned(),
                original: found.chars().take(24).collect(),
                source: map.get_source(source_id).unwrap_or("?").to_owned(),
                line: token.get_src_line() + 1,
                column: token.get_src_col(),
            });
        }
    }
    (misses, checked)
}

/// `verde build ENTRY --outfile OUT --sourcemap FLAGS...` in `dir`, which must succeed.
fn build_with_map(dir: &Path, entry: &str, out: &Path, flags: &[&str]) {
    build(dir, entry, out, &[&["--sourcemap"], flags].concat());
}

/// `verde build ENTRY --outfile OUT FLAGS...` in `dir`, which must succeed.
fn build(dir: &Path, entry: &str, out: &Path, flags: &[&str]) {
    common::run_successfully(
        common::verde()
            .args(["build", entry, "--outfile"])
            .arg(out)
            .args(flags)
            .current_dir(dir),
        &format!("verde build {entry} {flags:?}"),
    );
}

/// What `node --enable-source-maps FILE` prints on stderr (where a stack trace goes).
fn stack_trace(file: &Path) -> String {
    let run = Command::new("node")
        .arg("--enable-source-maps")
        .arg(file)
        .output()
        .expect("node runs");
    String::from_utf8_lossy(&run.stderr).into_owned()
}

fn assert_accurate(corpus: &str, entry: &str) {
    assert_accurate_with(corpus, entry, &[]);
}

fn assert_accurate_with(corpus: &str, entry: &str, flags: &[&str]) {
    let out =
        common::scratch_dir(&format!("sourcemap-{corpus}{}", flags.concat())).join("bundle.js");
    build_with_map(common::corpora_dir(), entry, &out, flags);
    let (misses, checked) = check_map(&out);
    assert!(
        checked > 1000,
        "only {checked} identifiers mapped in {corpus}"
    );
    assert!(
        misses.is_empty(),
        "{} of {checked} identifiers in the {corpus} bundle map elsewhere, first: {:#?}",
        misses.len(),
        &misses[..misses.len().min(10)]
    );
}

#[test]
fn three_maps_every_identifier_to_its_original() {
    assert_accurate("three", "three/entry.js");
}

/// Minified output is one long line: the columns must hold there too.
#[test]
fn minified_three_and_zod_map_every_identifier_to_its_original() {
    assert_accurate_with("three", "three/entry.js", &["--minify"]);
    assert_accurate_with("zod-ts", "zod-ts/entry.ts", &["--minify"]);
}

#[test]
fn lodash_es_maps_every_identifier_to_its_original() {
    assert_accurate("lodash-es", "lodash-es/entry.js");
}

#[test]
fn rxjs_maps_every_identifier_to_its_original() {
    assert_accurate("rxjs", "rxjs/entry.js");
}

#[test]
fn date_fns_maps_every_identifier_to_its_original() {
    assert_accurate("date-fns", "date-fns/entry.js");
}

/// Through TypeScript lowering: the map points into the `.ts` sources.
#[test]
fn rxjs_from_typescript_maps_every_identifier_to_its_original() {
    assert_accurate("rxjs-ts", "rxjs-ts/entry.ts");
}

#[test]
fn zod_from_typescript_maps_every_identifier_to_its_original() {
    assert_accurate("zod-ts", "zod-ts/entry.ts");
}

/// What a user sees: node, reading the map, reports the original `.ts` file, line and column
/// of a throw inside a renamed, TypeScript-lowered function, for every way of writing the map.
#[test]
fn node_reports_the_original_typescript_position_of_an_error() {
    let dir = common::scratch_dir("sourcemap-stack-trace");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("src/util.ts"),
        "export interface Point { x: number; y: number }\n\
         export function fail(message: string): never {\n\
         \x20 const prefix: string = 'failed: ';\n\
         \x20 throw new Error(prefix + message);\n\
         }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/main.ts"),
        "import { fail as stop } from './util';\n\
         type Unused = string;\n\
         const fail = (why: string) => stop(why);\n\
         fail('boom');\n",
    )
    .unwrap();
    for mode in ["linked", "inline", "both"] {
        let out = dir.join(format!("dist-{mode}/out.js"));
        build(&dir, "src/main.ts", &out, &[&format!("--sourcemap={mode}")]);
        let stderr = stack_trace(&out);
        let thrown_at = format!("{}:4:9", dir.join("src/util.ts").display());
        assert!(
            stderr.contains(&thrown_at) && stderr.contains("src/main.ts:3:"),
            "{mode}: no frame at {thrown_at} or in main.ts:\n{stderr}"
        );
    }
}

/// `--sourcemap=external` writes the map without naming it in the code;
/// `--sources-content=false` leaves the original texts out.
#[test]
fn external_maps_are_not_named_and_sources_content_can_be_left_out() {
    let dir = common::scratch_dir("sourcemap-external");
    std::fs::write(dir.join("main.js"), "console.log('hi');\n").unwrap();
    let out = dir.join("out.js");
    build(
        &dir,
        "main.js",
        &out,
        &["--sourcemap=external", "--sources-content=false"],
    );
    let code = std::fs::read_to_string(&out).unwrap();
    assert!(!code.contains("sourceMappingURL"), "{code}");
    let json = std::fs::read_to_string(dir.join("out.js.map")).unwrap();
    let map = SourceMap::from_json_string(&json).unwrap();
    assert_eq!(map.get_sources().collect::<Vec<_>>(), ["main.js"]);
    assert!(map.get_source_contents().all(|content| content.is_none()));
    assert!(map.get_tokens().count() > 0);
}

/// `--charset=ascii` prints a name outside ASCII with escapes (`caf\u00E9`): its segments
/// still start at the name, point at it in the source, and name it as written there.
#[test]
fn names_printed_as_escapes_map_to_their_originals() {
    let dir = common::scratch_dir("sourcemap-escaped-names");
    std::fs::write(
        dir.join("main.js"),
        "function run() {\n  const café = 'é';\n  return café + café;\n}\nconsole.log(run());\n",
    )
    .unwrap();
    let out = dir.join("out.js");
    build_with_map(&dir, "main.js", &out, &[]);
    let code = std::fs::read_to_string(&out).unwrap();
    assert!(code.is_ascii(), "{code}");
    let json = std::fs::read_to_string(dir.join("out.js.map")).unwrap();
    let map = SourceMap::from_json_string(&json).unwrap();
    let source = std::fs::read_to_string(dir.join("main.js")).unwrap();
    let mut code_lines = Lines::new(&code);
    let mut source_lines = Lines::new(&source);
    let mut escaped_names = 0;
    for token in map.get_tokens() {
        let Some(at) = code_lines.offset(token.get_dst_line(), token.get_dst_col()) else {
            continue;
        };
        if !code[at..].starts_with("caf\\u00E9") {
            continue;
        }
        escaped_names += 1;
        let original = source_lines
            .offset(token.get_src_line(), token.get_src_col())
            .map_or("", |at| &source[at..]);
        assert!(
            original.starts_with("café"),
            "a segment of `caf\\u00E9` points at {original:?}"
        );
        if let Some(name) = token.get_name_id().and_then(|id| map.get_name(id)) {
            assert_eq!(name, "café");
        }
    }
    assert_eq!(escaped_names, 3, "{code}");
}

/// A module that names an input map that cannot be used (missing, or not a source map) is
/// bundled all the same, mapped to its own text, with a warning pointing at the comment.
#[test]
fn an_input_map_that_cannot_be_used_is_a_warning() {
    let dir = common::scratch_dir("sourcemap-bad-input-map");
    std::fs::write(
        dir.join("main.js"),
        "import { f } from './lib.js';\nimport { g } from './other.js';\nconsole.log(f(), g());\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("lib.js"),
        "export function f() { return 1; }\n//# sourceMappingURL=lib.js.map\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("other.js"),
        "export function g() { return 2; }\n//# sourceMappingURL=data:application/json;base64,e30=\n",
    )
    .unwrap();
    let out = dir.join("out.mjs");
    let run = common::verde()
        .args(["build", "main.js", "--sourcemap", "--outfile"])
        .arg(&out)
        .current_dir(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    for (module, reason) in [
        ("lib.js", "lib.js.map cannot be read"),
        ("other.js", "not a source map"),
    ] {
        assert!(
            stderr.contains(&format!("{module}:2:1: warning[INPUT_SOURCE_MAP]"))
                && stderr.contains(reason),
            "{stderr}"
        );
    }
    assert_eq!(common::run_node(&out), "1 2\n");
    let json = std::fs::read_to_string(dir.join("out.mjs.map")).unwrap();
    let map = SourceMap::from_json_string(&json).unwrap();
    let sources: Vec<&str> = map.get_sources().collect();
    assert!(
        sources.contains(&"lib.js") && sources.contains(&"other.js"),
        "{sources:?}"
    );
}

/// Input maps are chained: a library compiled from TypeScript ships its `.js` with a map
/// (inline, or a file next to it); the app's bundle maps through it to the library's `.ts`,
/// and node's stack trace lands there. (The library is compiled by verde itself, an ES
/// module bundle with its map, as npm packages ship them.)
#[test]
fn input_maps_are_chained_to_the_original_sources() {
    let dir = common::scratch_dir("sourcemap-input-maps");
    std::fs::create_dir_all(dir.join("lib/src")).unwrap();
    std::fs::write(
        dir.join("lib/src/index.ts"),
        "export interface Options { loud: boolean }\n\
         export function shout(text: string, options: Options): string {\n\
         \x20 if (options.loud) throw new Error(text.toUpperCase());\n\
         \x20 return text;\n\
         }\n",
    )
    .unwrap();
    for mode in ["inline", "linked"] {
        let library = dir.join(format!("lib/dist-{mode}/index.js"));
        build(
            &dir,
            "lib/src/index.ts",
            &library,
            &[&format!("--sourcemap={mode}")],
        );
        std::fs::write(
            dir.join(format!("app-{mode}.js")),
            format!(
                "import {{ shout }} from './lib/dist-{mode}/index.js';\n\
                 shout('quiet', {{ loud: false }});\n\
                 shout('boom', {{ loud: true }});\n"
            ),
        )
        .unwrap();
        let out = dir.join(format!("dist/app-{mode}.js"));
        build_with_map(&dir, &format!("app-{mode}.js"), &out, &[]);
        let json = std::fs::read_to_string(format!("{}.map", out.display())).unwrap();
        let map = SourceMap::from_json_string(&json).unwrap();
        assert_eq!(
            map.get_sources().collect::<Vec<_>>(),
            ["../lib/src/index.ts", &format!("../app-{mode}.js")],
            "{mode}"
        );
        let (misses, checked) = check_map(&out);
        assert!(misses.is_empty() && checked > 5, "{mode}: {misses:#?}");
        let stderr = stack_trace(&out);
        let thrown_at = format!("{}:3:", dir.join("lib/src/index.ts").display());
        assert!(
            stderr.contains(&thrown_at),
            "{mode}: no frame at {thrown_at}:\n{stderr}"
        );
    }
}

/// rxjs ships its ES5 build with maps into its TypeScript sources: the bundle's map points
/// at those.
#[test]
fn rxjs_maps_through_its_shipped_maps_into_its_typescript() {
    let out = common::scratch_dir("sourcemap-rxjs-input").join("bundle.js");
    build_with_map(common::corpora_dir(), "rxjs/entry.js", &out, &[]);
    let json = std::fs::read_to_string(format!("{}.map", out.display())).unwrap();
    let map = SourceMap::from_json_string(&json).unwrap();
    let typescript = map
        .get_sources()
        .filter(|source| source.contains("node_modules/rxjs/src/") && source.ends_with(".ts"))
        .count();
    assert!(typescript > 100, "{typescript} TypeScript sources");
    assert!(map.get_source_contents().all(|content| content.is_some()));
}

/// The bundle and its map are replaced together: when the map cannot be written, the old
/// bundle stays as it was (never a new bundle naming a map that is not there).
#[test]
fn a_map_that_cannot_be_written_leaves_the_old_bundle() {
    let dir = common::scratch_dir("sourcemap-atomic");
    std::fs::write(dir.join("main.js"), "console.log('new');\n").unwrap();
    std::fs::write(dir.join("out.js"), "console.log('old');\n").unwrap();
    // A directory where the map would go: renaming the map onto it fails.
    std::fs::create_dir_all(dir.join("out.js.map/inside")).unwrap();
    let build = common::verde()
        .args(["build", "main.js", "--outfile", "out.js", "--sourcemap"])
        .current_dir(&dir)
        .output()
        .expect("verde runs");
    assert!(!build.status.success());
    assert!(
        String::from_utf8_lossy(&build.stderr).contains("out.js"),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("out.js")).unwrap(),
        "console.log('old');\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".verde-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
