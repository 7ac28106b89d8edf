//! Incrementality, asserted from salsa's log of executed queries (never from timing): for
//! each kind of edit, which queries re-run, and that the output equals a clean build.

mod common;

use std::sync::Arc;

use verde::{BuildOptions, Compiler, MemorySystem, QueryLog};

/// A compiler over an in-memory project, its build options, after one full build.
struct Project {
    compiler: Compiler,
    options: BuildOptions,
    files: Vec<(String, String)>,
}

impl Project {
    fn new(fixture: &str) -> Project {
        Project::with_options(fixture, BuildOptions::default())
    }

    /// A project built with `options` (its entry taken from the fixture).
    fn with_options(fixture: &str, options: BuildOptions) -> Project {
        let fixture = common::parse_fixture(fixture);
        let mut compiler = Compiler::with_system("/", Arc::new(MemorySystem::new()));
        compiler.log_validations(true);
        for (path, text) in &fixture.files {
            compiler.set_file_text(path, text.as_str());
        }
        let options = BuildOptions {
            entries: vec![fixture.entry.clone().into()],
            ..options
        };
        let mut project = Project {
            compiler,
            options,
            files: fixture.files,
        };
        let output = project.compiler.build(&project.options);
        assert!(!output.has_errors(), "{:?}", output.diagnostics);
        project.compiler.take_query_log();
        project
    }

    fn text(&self, path: &str) -> &str {
        &self
            .files
            .iter()
            .find(|(p, _)| p == path)
            .expect("file exists")
            .1
    }

    fn set(&mut self, path: &str, text: &str) {
        match self.files.iter_mut().find(|(p, _)| p == path) {
            Some((_, old)) => *old = text.to_owned(),
            None => self.files.push((path.to_owned(), text.to_owned())),
        }
        self.compiler.set_file_text(path, text);
    }

    fn edit(&mut self, path: &str, from: &str, to: &str) {
        let text = self.text(path);
        assert!(text.contains(from), "{path} does not contain {from:?}");
        let edited = text.replacen(from, to, 1);
        self.set(path, &edited);
    }

    /// The bundle as it is now (a build that must succeed).
    fn code(&mut self) -> String {
        let output = self.compiler.build(&self.options);
        output.code.expect("a bundle").to_string()
    }

    /// The bundle and its source map as they are now (a build that must succeed).
    fn code_with_map(&mut self) -> (String, String) {
        let output = self.compiler.build(&self.options);
        let code = output.code.expect("a bundle");
        let map = code.source_map(
            &verde::SourceMapOptions {
                file: Some("out.js"),
                sources_relative_to: std::path::Path::new("/"),
                sources_content: true,
            },
            &mut verde::SourceMapCache::default(),
        );
        (code.to_string(), map.to_string())
    }

    fn remove(&mut self, path: &str) {
        self.files.retain(|(p, _)| p != path);
        self.compiler.remove_file(path);
    }

    /// Rebuilds, checks the output against a clean build of the same files, and returns
    /// which queries executed.
    fn rebuild(&mut self) -> QueryLog {
        let output = self.compiler.build(&self.options);
        let log = self.compiler.take_query_log();
        let mut clean = Compiler::with_system("/", Arc::new(MemorySystem::new()));
        for (path, text) in &self.files {
            clean.set_file_text(path, text.as_str());
        }
        let expected = clean.build(&self.options);
        assert_eq!(
            output.code, expected.code,
            "incremental output differs from a clean build"
        );
        assert_eq!(output.diagnostics, expected.diagnostics);
        log
    }
}

/// The link queries, which an edit inside one module's code must not re-run.
const LINK_QUERIES: [&str; 6] = [
    "module_dependencies",
    "module_exports",
    "module_bindings",
    "liveness",
    "tentative_names",
    "linked_module",
];

/// One module parsed and rendered again, no link query re-run.
fn assert_one_module_rendered_nothing_linked(log: &QueryLog) {
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    assert_eq!(log.count("rendered_module"), 1, "{log}");
    for link_query in LINK_QUERIES {
        assert_eq!(log.count(link_query), 0, "{link_query} re-ran: {log}");
    }
    // What link decides with is as it was: not even its per-module memos are confirmed.
    assert_eq!(log.validated("module_bindings"), 0, "{log:?}");
}

const PROJECT: &str = r#"
//- /main.js
import { area, perimeter } from './shapes.js';
import { format } from './format.js';
console.log(format(area(2)), format(perimeter(2)));
//- /shapes.js
import { PI } from './constants.js';
export function area(r) {
  return PI * r * r;
}
export function perimeter(r) {
  return 2 * PI * r;
}
//- /constants.js
export const PI = 3.14;
//- /format.js
// Formats a number.
export function format(value) {
  return value.toFixed(2);
}
"#;

#[test]
fn rebuilding_without_changes_executes_nothing() {
    let mut project = Project::new(PROJECT);
    let log = project.rebuild();
    assert_eq!(log.counts().len(), 0, "{log}");
}

#[test]
fn typing_inside_a_function_reparses_and_renders_one_module() {
    let mut project = Project::new(PROJECT);
    project.edit("/shapes.js", "return PI * r * r;", "return PI * r * r * 1;");
    let log = project.rebuild();
    assert_one_module_rendered_nothing_linked(&log);
    assert_eq!(log.count("render_chunk"), 1, "{log}");
}

#[test]
fn comment_and_whitespace_edits_leave_object_code_unchanged() {
    let mut project = Project::new(PROJECT);
    project.edit(
        "/format.js",
        "// Formats a number.",
        "// Formats a number,\n\n// with two decimals.",
    );
    project.edit(
        "/format.js",
        "return value.toFixed(2);",
        "return   value.toFixed( 2 ) ;\n",
    );
    let log = project.rebuild();
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    // Every item's object code compared equal (backdated): nothing renders again.
    assert_eq!(log.count("rendered_module"), 0, "{log}");
    assert_eq!(log.count("render_chunk"), 0, "{log}");
    assert_eq!(log.count("liveness"), 0, "{log}");
}

fn with_source_maps() -> BuildOptions {
    BuildOptions {
        source_maps: Some(verde::SourceMaps::default()),
        ..BuildOptions::default()
    }
}

#[test]
fn with_source_maps_typing_inside_a_function_renders_one_module_and_its_map() {
    let mut project = Project::with_options(PROJECT, with_source_maps());
    project.edit("/shapes.js", "return PI * r * r;", "return PI * r * r * 1;");
    // `rebuild` compares the code and its maps with a clean build's.
    let log = project.rebuild();
    assert_one_module_rendered_nothing_linked(&log);
}

/// `--minify --sourcemap`.
fn minified_with_source_maps() -> BuildOptions {
    BuildOptions {
        minify_whitespace: true,
        minify_identifiers: true,
        minify_syntax: true,
        ..with_source_maps()
    }
}

#[test]
fn minified_with_source_maps_a_body_edit_reminifies_one_module() {
    let mut project = Project::with_options(PROJECT, minified_with_source_maps());
    // `format` is called twice: it stays in its module.
    project.edit("/format.js", "value.toFixed(2)", "value.toFixed(3)");
    // `rebuild` compares the code and its maps with a clean build's.
    let log = project.rebuild();
    assert_one_module_rendered_nothing_linked(&log);
    let (code, _) = project.code_with_map();
    assert!(code.contains("toFixed(3)"), "{code}");
}

/// `area` is called once, by `main.js`, which minified holds the function (see
/// `link::tree_shaking::single_use`): a body edit of it renders its reader again, and
/// links nothing. Its own module, which writes nothing of it, does not render again: it
/// reads its text (through its map sources) only when its map has segments.
#[test]
fn minified_a_body_edit_of_a_function_written_where_it_is_called_renders_its_reader() {
    let mut project = Project::with_options(PROJECT, minified_with_source_maps());
    project.edit("/shapes.js", "return PI * r * r;", "return PI * r * r * 1;");
    let log = project.rebuild();
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    assert_eq!(log.count("rendered_module"), 1, "{log}");
    for link_query in LINK_QUERIES {
        assert_eq!(log.count(link_query), 0, "{link_query} re-ran: {log}");
    }
    let (code, _) = project.code_with_map();
    assert!(code.contains("((e=>"), "{code}");
    assert!(code.contains("*e*e*1)(2)"), "{code}");
}

#[test]
fn with_source_maps_a_line_added_above_moves_one_module_map() {
    let mut project = Project::with_options(PROJECT, with_source_maps());
    project.edit(
        "/format.js",
        "// Formats a number.",
        "// Formats\n// a number.",
    );
    let log = project.rebuild();
    // The object code is the same text with segments one line further down: the module
    // renders again (its map changed), nothing is linked again.
    assert_one_module_rendered_nothing_linked(&log);
    let code = project.code_with_map();
    assert!(code.1.contains("// a number."), "{}", code.1);
}

#[test]
fn adding_an_export_rebinds_only_its_importers() {
    let mut project = Project::new(PROJECT);
    project.edit(
        "/shapes.js",
        "export function perimeter",
        "export function diameter(r) {\n  return 2 * r;\n}\nexport function perimeter",
    );
    let log = project.rebuild();
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    // shapes.js's export table changed; main.js imports from it and binds again.
    assert_eq!(log.count("module_exports"), 1, "{log}");
    assert_eq!(log.count("module_bindings"), 1, "{log}");
    // The new function is unused and tree-shaken; only shapes.js (whose item list changed)
    // renders again, not its importer.
    assert_eq!(log.count("rendered_module"), 1, "{log}");
}

#[test]
fn removing_an_export_rebinds_only_its_importers() {
    let mut project = Project::new(PROJECT);
    // constants.js is imported by shapes.js only.
    project.edit(
        "/constants.js",
        "export const PI = 3.14;",
        "export const PI = 3.14;\nexport const TAU = 6.28;",
    );
    project.rebuild();
    project.edit("/constants.js", "\nexport const TAU = 6.28;", "");
    let log = project.rebuild();
    assert_eq!(log.count("module_exports"), 1, "{log}");
    assert_eq!(log.count("module_bindings"), 1, "{log}");
}

#[test]
fn an_import_added_to_a_module_binds_only_its_own_imports_again() {
    let mut project = Project::new(PROJECT);
    // shapes.js, which main.js imports from, imports format.js too (its exports and kind
    // unchanged): main.js read only whether shapes.js is CommonJS, and binds nothing again.
    project.edit(
        "/shapes.js",
        "import { PI } from './constants.js';",
        "import { PI } from './constants.js';\nimport { format } from './format.js';\nformat(PI);",
    );
    let log = project.rebuild();
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    assert_eq!(log.count("module_bindings"), 1, "{log}");
    assert!(project.code().contains("format(PI)"));
}

#[test]
fn importing_a_new_module_parses_only_the_new_module_and_the_importer() {
    let mut project = Project::new(PROJECT);
    project.set("/units.js", "export const unit = 'cm';\n");
    project.edit(
        "/format.js",
        "// Formats a number.",
        "import { unit } from './units.js';\n// Formats a number.",
    );
    project.edit(
        "/format.js",
        "return value.toFixed(2);",
        "return value.toFixed(2) + unit;",
    );
    let log = project.rebuild();
    assert_eq!(log.count("parsed_module"), 2, "{log}");
    // The importer's resolutions (its list of specifiers changed) and the new module's.
    assert_eq!(log.count("resolve_imports"), 2, "{log}");
    assert_eq!(log.count("module_graph"), 1, "{log}");
}

#[test]
fn deleting_and_recreating_a_file_reruns_only_resolutions_that_looked_at_it() {
    let mut project = Project::new(PROJECT);
    let constants = project.text("/constants.js").to_owned();
    project.remove("/constants.js");
    let output = project.compiler.build(&project.options);
    assert!(
        output.has_errors(),
        "an import of a deleted file is an error"
    );
    let log = project.compiler.take_query_log();
    // Only shapes.js imports './constants.js'.
    assert_eq!(log.count("resolve_imports"), 1, "{log}");

    project.set("/constants.js", &constants);
    let log = project.rebuild();
    assert_eq!(log.count("resolve_imports"), 1, "{log}");
    // The same text as before the deletion: its old parse is reused.
    assert_eq!(log.count("parsed_module"), 0, "{log}");
}

const WITH_LIBRARY: &str = r#"
//- /main.js
import { pad } from 'lib';
console.log(pad('x'));
//- /node_modules/lib/package.json
{ "name": "lib", "module": "index.js" }
//- /node_modules/lib/index.js
export { pad } from './pad.js';
export { trim } from './trim.js';
//- /node_modules/lib/pad.js
import { repeat } from './repeat.js';
export function pad(s) { return repeat(' ', 2) + s; }
//- /node_modules/lib/repeat.js
export function repeat(s, n) { return s.repeat(n); }
//- /node_modules/lib/trim.js
export function trim(s) { return s.trim(); }
"#;

#[test]
fn a_project_edit_does_not_revalidate_library_files() {
    let mut project = Project::new(WITH_LIBRARY);
    project.edit("/main.js", "pad('x')", "pad('y')");
    let log = project.rebuild();
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    // Library files have high durability: the queries over them are found up to date
    // without walking down to the files. Only the edited file's text is checked.
    assert_eq!(log.validated("source_text"), 0, "{log:?}");
    assert_eq!(log.count("source_text"), 1, "{log}");
}

#[test]
fn an_edit_inside_node_modules_is_picked_up() {
    let mut project = Project::new(WITH_LIBRARY);
    project.edit(
        "/node_modules/lib/repeat.js",
        "s.repeat(n)",
        "s.repeat(n + 1)",
    );
    let log = project.rebuild();
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    assert_eq!(log.count("rendered_module"), 1, "{log}");
    assert_eq!(log.count("liveness"), 0, "{log}");
}

const TYPESCRIPT: &str = r#"
//- /main.tsx
import { total } from './cart';
import { Badge } from './badge';
console.log(total([{ price: 2 }, { price: 3 }]), Badge({ count: 2 }));
//- /cart.ts
import type { Item } from './types';
export function total(items: Item[]): number {
  return items.reduce((sum, item) => sum + item.price, 0);
}
//- /types.ts
export interface Item {
  price: number;
}
//- /badge.tsx
export function Badge(props: { count: number }) {
  return <b>{props.count}</b>;
}
//- /tsconfig.json
{ "compilerOptions": { "jsx": "react-jsx" } }
//- /node_modules/react/package.json
{ "name": "react", "type": "module", "exports": { "./jsx-runtime": "./jsx-runtime.js" } }
//- /node_modules/react/jsx-runtime.js
export function jsx(type, props) { return { type, props }; }
"#;

#[test]
fn a_type_annotation_edit_reparses_one_module_and_nothing_downstream() {
    let mut project = Project::new(TYPESCRIPT);
    project.edit(
        "/cart.ts",
        "export function total(items: Item[]): number {",
        "export function total(items: readonly Item[]): number | bigint {",
    );
    let log = project.rebuild();
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    // The lowered object code is the same, so the wave stops at the parse.
    for downstream in LINK_QUERIES
        .into_iter()
        .chain(["rendered_module", "render_chunk"])
    {
        assert_eq!(log.count(downstream), 0, "{downstream} re-ran: {log}");
    }
}

#[test]
fn a_tsconfig_jsx_edit_reparses_only_the_jsx_modules_under_it() {
    let mut project = Project::new(TYPESCRIPT);
    project.edit("/tsconfig.json", "react-jsx", "preserve");
    let log = project.rebuild();
    // main.tsx and badge.tsx; not cart.ts or types.ts, whose settings compare equal, and
    // not the JavaScript of the runtime package, which reads no tsconfig (and is no longer
    // imported).
    assert_eq!(log.count("tsconfig_options"), 1, "{log}");
    assert_eq!(log.count("parsed_module"), 2, "{log}");
    let output = project.compiler.build(&project.options);
    assert!(!output.has_errors(), "{:?}", output.diagnostics);
    let code = output.code.expect("a bundle").to_string();
    assert!(code.contains("<b>"), "JSX is preserved:\n{code}");
}

#[test]
fn an_edit_of_an_extended_tsconfig_reaches_the_modules_it_configures() {
    let project = TYPESCRIPT.replace(
        r#"{ "compilerOptions": { "jsx": "react-jsx" } }"#,
        "{ \"extends\": \"./config/base.json\" }\n//- /config/base.json\n{ \"compilerOptions\": { \"jsx\": \"react-jsx\" } }",
    );
    let mut project = Project::new(&project);
    project.edit("/config/base.json", "react-jsx", "preserve");
    let log = project.rebuild();
    assert_eq!(log.count("tsconfig_options"), 1, "{log}");
    assert_eq!(log.count("parsed_module"), 2, "{log}");
}

const COMMONJS: &str = r#"
//- /main.mjs
import dual from 'dual';
import { greet } from './greet.cjs';
console.log(dual, greet('you'), process.env.NODE_ENV === 'production' ? 'prod' : 'dev');
//- /greet.cjs
const { prefix } = require('./prefix.cjs');
exports.greet = function (name) {
  return prefix + name;
};
//- /prefix.cjs
if (process.env.NODE_ENV === 'production') {
  module.exports = require('./prod.cjs');
} else {
  module.exports = require('./dev.cjs');
}
//- /prod.cjs
exports.prefix = 'hello ';
//- /dev.cjs
exports.prefix = '[dev] hello ';
//- /node_modules/dual/package.json
{ "name": "dual", "exports": { "node": "./node.mjs", "default": "./browser.mjs" } }
//- /node_modules/dual/node.mjs
export default 'node build';
//- /node_modules/dual/browser.mjs
export default 'browser build';
"#;

#[test]
fn an_edit_inside_a_commonjs_function_reparses_and_renders_one_module() {
    let mut project = Project::new(COMMONJS);
    project.edit("/greet.cjs", "prefix + name", "prefix + name + '!'");
    let log = project.rebuild();
    assert_one_module_rendered_nothing_linked(&log);
}

#[test]
fn changing_the_platform_re_resolves_and_parses_only_what_it_reaches_anew() {
    let mut project = Project::new(COMMONJS);
    let before = project.code();
    assert!(before.contains("browser build"), "{before}");
    project.compiler.take_query_log();
    project.options.platform = verde::Platform::Node;
    let log = project.rebuild();
    // Only the module the node condition reaches for the first time.
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    assert!(log.count("resolve_imports") > 0, "{log}");
    let after = project.code();
    assert!(
        after.contains("node build") && !after.contains("browser build"),
        "{after}"
    );
}

#[test]
fn a_define_reparses_and_drops_what_only_a_dead_branch_requires() {
    let mut project = Project::new(COMMONJS);
    let before = project.code();
    assert!(before.contains("[dev] hello"), "{before}");
    project.compiler.take_query_log();
    project.options.defines = verde::Defines::new(vec![(
        "process.env.NODE_ENV".to_owned(),
        "\"production\"".to_owned(),
    )])
    .unwrap();
    let log = project.rebuild();
    assert!(log.count("parsed_module") >= 4, "{log}");
    let after = project.code();
    assert!(
        !after.contains("[dev] hello") && !after.contains("dev.cjs"),
        "{after}"
    );
    assert!(
        after.contains("\"prod\"") && !after.contains("\"dev\""),
        "{after}"
    );
}

#[test]
fn a_file_recreated_while_unimported_is_resolved_again() {
    // While main.js cannot be parsed, nothing imports lazy.js, which is deleted; main.js is
    // fixed (the import does not resolve), then lazy.js is created again. Found by the
    // seeded equivalence test (seed 12).
    let mut project = Project::new(
        r#"
//- /src/main.js
import { a } from './a.js';
console.log(a, import('./lazy.js'));
//- /src/a.js
export const a = 1;
//- /src/lazy.js
export const value = 2;
"#,
    );
    project.edit("/src/main.js", "console.log", "const = ;\nconsole.log");
    project.compiler.build(&project.options);
    project.remove("/src/lazy.js");
    project.compiler.build(&project.options);
    project.edit("/src/main.js", "const = ;\n", "");
    project.compiler.build(&project.options);
    project.set("/src/lazy.js", "export const value = 2;\n");
    project.rebuild();
}
