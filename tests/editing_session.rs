//! The promises of an editing session, for files read from disk the way `verde build
//! --watch` reads them (written to a directory, then reported with `file_changed`), asserted
//! from salsa's log of executed queries, never from timing. Each rebuild's output must also
//! equal a clean build of the same files.

mod common;

use std::path::PathBuf;

use verde::{BuildOptions, Compiler, QueryLog};

/// A project on disk, its compiler, after one full build.
struct DiskProject {
    root: PathBuf,
    compiler: Compiler,
    options: BuildOptions,
}

impl DiskProject {
    fn new(name: &str, fixture: &str) -> DiskProject {
        let fixture = common::parse_fixture(fixture);
        let root = common::scratch_dir(&format!("editing-session-{name}"));
        fixture.write_to(&root);
        let options = BuildOptions {
            entries: vec![root.join(fixture.entry.trim_start_matches('/'))],
            ..BuildOptions::default()
        };
        let mut compiler = Compiler::new(&root);
        let output = compiler.build(&options);
        assert!(!output.has_errors(), "{:?}", output.diagnostics);
        compiler.take_query_log();
        DiskProject {
            root,
            compiler,
            options,
        }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.root.join(file)
    }

    /// Replaces the first `from` in `file` on disk and tells the compiler, as the watcher does.
    fn edit(&mut self, file: &str, from: &str, to: &str) {
        let path = self.path(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} does not contain {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        self.compiler.file_changed(&path);
    }

    /// Rebuilds, checks the output against a clean build of the files on disk, and returns
    /// which queries executed.
    fn rebuild(&mut self) -> QueryLog {
        let output = self.compiler.build(&self.options);
        let log = self.compiler.take_query_log();
        let expected = Compiler::new(&self.root).build(&self.options);
        assert_eq!(
            output.code.as_ref().map(ToString::to_string),
            expected.code.as_ref().map(ToString::to_string),
            "incremental output differs from a clean build"
        );
        assert_eq!(output.diagnostics, expected.diagnostics);
        log
    }

    fn code(&mut self) -> String {
        let output = self.compiler.build(&self.options);
        output.code.expect("a bundle").to_string()
    }
}

/// The whole-bundle passes and the per-module link queries they feed.
const WHOLE_BUNDLE: [&str; 9] = [
    "module_graph",
    "liveness",
    "binding_users",
    "naming_requests",
    "tentative_names",
    "names_respecting_collisions",
    "names_respecting_every_scope",
    "chunk_links",
    "linked_module",
];

fn assert_none_ran(log: &QueryLog, queries: &[&str]) {
    for query in queries {
        assert_eq!(log.count(query), 0, "{query} re-ran: {log}");
    }
}

const PROJECT: &str = r#"
//- /main.js
import { value as fromLib } from './lib.js';
import { area, perimeter } from './shapes.js';
import { format } from './format.js';
console.log(format(area(2)), format(perimeter(2)), fromLib);
//- /lib.js
export const value = 'lib';
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
// Reads the bundle's second `value`, which is renamed.
import { value } from './other.js';
export function format(number) {
  return number.toFixed(2) + value;
}
//- /other.js
export const value = 'other';
"#;

#[test]
fn the_first_edit_of_a_file_costs_what_later_edits_cost() {
    let mut project = DiskProject::new("first-edit", PROJECT);
    for round in 0..2 {
        project.edit(
            "shapes.js",
            "return 2 * PI * r;",
            &format!("return 2 * PI * r + {round};"),
        );
        let log = project.rebuild();
        assert_eq!(log.count("parsed_module"), 1, "round {round}: {log}");
        assert_eq!(log.count("rendered_module"), 1, "round {round}: {log}");
        assert_none_ran(&log, &WHOLE_BUNDLE);
        assert_none_ran(&log, &["module_links"]);
        // The file's existence did not change: the resolutions that found it stand.
        assert_none_ran(
            &log,
            &["file_status", "resolve_imports", "module_dependencies"],
        );
        // Restore for the next round, so both rounds make the same kind of edit.
        project.edit(
            "shapes.js",
            &format!("return 2 * PI * r + {round};"),
            "return 2 * PI * r;",
        );
        project.rebuild();
    }
}

#[test]
fn an_edit_reads_the_parse_of_no_module_it_did_not_touch() {
    let mut project = DiskProject::new("parse-firewall", PROJECT);
    project.compiler.log_validations(true);
    // A body edit, then one that changes what link decides with (a new export).
    for (from, to) in [
        ("return 2 * PI * r;", "return 2 * PI * r + 1;"),
        (
            "export function area",
            "export const side = 1;\nexport function area",
        ),
    ] {
        project.edit("shapes.js", from, to);
        let log = project.rebuild();
        // The edited module's parse ran again; nothing confirmed any other module's: link
        // reads the summaries the build published (see `verde_queries::summary`).
        assert_eq!(log.count("parsed_module"), 1, "{log}");
        for query in [
            "source_text",
            "parsed_module",
            "module_view",
            "module_diagnostics",
        ] {
            assert_eq!(log.validated(query), 0, "{query} confirmed: {log:?}");
        }
    }
}

/// The log, memos confirmed included, of a rebuild after a body edit of `shapes.js`.
fn body_edit_log(name: &str) -> QueryLog {
    let mut project = DiskProject::new(name, PROJECT);
    project.compiler.log_validations(true);
    project.edit("shapes.js", "return 2 * PI * r;", "return 2 * PI * r + 1;");
    project.rebuild()
}

#[test]
fn a_body_edit_discovers_from_its_module_only() {
    let log = body_edit_log("body-edit-discovery");
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    // No file came or went: discovery starts from the module published again and goes
    // into no module published before, so it confirms one module's dependencies, not the
    // six of the graph (and the whole graph's `discovered_modules` at a glance).
    assert_eq!(log.count("module_dependencies"), 0, "{log}");
    assert_eq!(log.validated("module_dependencies"), 1, "{log:?}");
}

#[test]
fn a_body_edit_confirms_render_memos_only_through_the_linked_modules() {
    let log = body_edit_log("body-edit-confirms");
    assert_eq!(log.count("rendered_module"), 1, "{log}");
    // Rendering reads each module's linked form, which carries what it needs of tree
    // shaking: the lookups of the modules' links are not confirmed again, nor is each
    // module's problems memo (a build gathers those by shard).
    assert_eq!(log.validated("module_link"), 0, "{log:?}");
    assert_eq!(log.validated("module_problems"), 0, "{log:?}");
    assert!(log.validated("rendered_module") >= 5, "{log:?}");
}

#[test]
fn a_new_local_in_a_function_body_runs_no_whole_bundle_pass() {
    let mut project = DiskProject::new("new-local", PROJECT);
    project.edit(
        "shapes.js",
        "return PI * r * r;",
        "const tmp = r * r;\n  return PI * tmp;",
    );
    project.compiler.log_validations(true);
    let log = project.rebuild();
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    assert_eq!(log.count("rendered_module"), 1, "{log}");
    // The module's nested names changed, but `tmp` is no name the bundle uses: they are
    // held back, nothing medium changed, and no link memo was even walked.
    assert_none_ran(&log, &WHOLE_BUNDLE);
    assert_none_ran(
        &log,
        &["name_collisions", "module_bindings", "module_exports"],
    );
    for query in ["module_bindings", "module_exports"] {
        assert_eq!(log.validated(query), 0, "{query} confirmed: {log:?}");
    }
}

#[test]
fn a_held_back_local_is_published_when_a_later_edit_makes_it_collide() {
    let mut project = DiskProject::new("held-back-local", PROJECT);
    // `label` is no bundle name yet: format.js's new nested binding is held back.
    project.edit(
        "format.js",
        "return number.toFixed(2) + value;",
        "const label = 'local';\n  return number.toFixed(2) + value + label;",
    );
    let log = project.rebuild();
    assert_none_ran(&log, &["name_collisions"]);
    // other.js now declares what format.js imports as `label`: the bundle would name it
    // `label`, which format.js's nested `label` captures. Only other.js changed.
    project.edit(
        "other.js",
        "export const value = 'other';",
        "const label = 'other';\nexport { label as value };",
    );
    project.rebuild();
    let code = project.code();
    assert!(code.contains("const label$1 = \"other\""), "{code}");
}

#[test]
fn a_colliding_local_removed_gives_the_names_back() {
    let mut project = DiskProject::new("colliding-local-removed", PROJECT);
    let before = project.code();
    project.edit(
        "format.js",
        "return number.toFixed(2) + value;",
        "const value$1 = 'local';\n  return number.toFixed(2) + value + value$1;",
    );
    project.rebuild();
    project.edit(
        "format.js",
        "const value$1 = 'local';\n  return number.toFixed(2) + value + value$1;",
        "return number.toFixed(2) + value;",
    );
    let log = project.rebuild();
    assert_eq!(log.count("name_collisions"), 1, "{log}");
    assert_eq!(project.code(), before);
}

#[test]
fn a_new_global_read_in_a_function_body_runs_no_whole_bundle_pass() {
    let mut project = DiskProject::new("new-global", PROJECT);
    project.edit(
        "shapes.js",
        "return 2 * PI * r;",
        "console.debug(someGlobal);\n  return 2 * PI * r;",
    );
    let log = project.rebuild();
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    assert_eq!(log.count("rendered_module"), 1, "{log}");
    assert_none_ran(&log, &WHOLE_BUNDLE);
    assert_none_ran(&log, &["name_collisions"]);
}

#[test]
fn a_new_local_that_would_capture_a_renamed_binding_renames_it() {
    let mut project = DiskProject::new("capturing-local", PROJECT);
    let before = project.code();
    assert!(before.contains("const value$1 = \"other\""), "{before}");
    // format.js now binds `value$1` where it reads other.js's `value`: that must move.
    project.edit(
        "format.js",
        "return number.toFixed(2) + value;",
        "const value$1 = 'local';\n  return number.toFixed(2) + value + value$1;",
    );
    let log = project.rebuild();
    assert_eq!(log.count("names_respecting_collisions"), 1, "{log}");
    let after = project.code();
    assert!(!after.contains("const value$1 = \"other\""), "{after}");
}

#[test]
fn a_new_global_read_that_a_bundle_name_would_shadow_renames_it() {
    let mut project = DiskProject::new("shadowed-global", PROJECT);
    assert!(project.code().contains("const PI = 3.14"));
    // main.js now reads a global `PI`: the bundle's own `PI` must not shadow it.
    project.edit("main.js", "console.log(", "console.log(typeof PI, ");
    let log = project.rebuild();
    assert_eq!(log.count("names_respecting_collisions"), 1, "{log}");
    assert_none_ran(&log, &["liveness"]);
    let after = project.code();
    assert!(after.contains("const PI$1 = 3.14"), "{after}");
}

#[test]
fn an_export_added_rebinds_only_its_importers() {
    let mut project = DiskProject::new("export-added", PROJECT);
    project.edit(
        "constants.js",
        "export const PI = 3.14;",
        "export const PI = 3.14;\nexport const TAU = 6.28;",
    );
    let log = project.rebuild();
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    // Only shapes.js imports from constants.js.
    assert_eq!(log.count("module_bindings"), 1, "{log}");
    assert_eq!(log.count("module_exports"), 1, "{log}");
    // Nobody uses the new export: no other module's code changes, and since what is live
    // stays the same, naming does not run again.
    assert_eq!(log.count("rendered_module"), 1, "{log}");
    assert_eq!(log.count("liveness"), 1, "{log}");
    assert_eq!(log.count("naming_requests"), 0, "{log}");
    assert_eq!(log.count("tentative_names"), 0, "{log}");
}

#[test]
fn an_import_that_leaves_the_order_alone_runs_no_tree_shaking_or_naming() {
    let mut project = DiskProject::new("import-added", PROJECT);
    // constants.js runs before format.js already: the order and what is live stay.
    project.edit(
        "format.js",
        "import { value } from './other.js';",
        "import { value } from './other.js';\nimport './constants.js';",
    );
    let log = project.rebuild();
    assert_eq!(log.count("module_graph"), 1, "{log}");
    // Tree shaking reads no module's imports (only their bindings, which are the same).
    assert_eq!(log.count("liveness"), 0, "{log}");
    assert_eq!(log.count("naming_requests"), 0, "{log}");
    assert_eq!(log.count("tentative_names"), 0, "{log}");
}

#[test]
fn an_import_that_changes_only_the_order_runs_no_tree_shaking() {
    let mut project = DiskProject::new("import-reorders", PROJECT);
    // format.js (and other.js before it) now run before lib.js: the order changes, what is
    // live does not, and every module was discovered already.
    project.edit(
        "lib.js",
        "export const value = 'lib';",
        "import './format.js';\nexport const value = 'lib';",
    );
    let log = project.rebuild();
    assert_eq!(log.count("module_graph"), 1, "{log}");
    assert_eq!(log.count("liveness"), 0, "{log}");
    // Naming goes in execution order: it runs again, but names no family again: the two
    // `value`s swap places, and their shard's list of preferred names (`value`, `value`)
    // is what it was, so it gets the same names, which go to the modules in the new order.
    assert_eq!(log.count("tentative_names"), 1, "{log}");
    assert_eq!(log.count("shard_names"), 0, "{log}");
    let code = project.code();
    assert!(
        code.find("function format").unwrap() < code.find("\"lib\"").unwrap(),
        "{code}"
    );
}

#[test]
fn a_module_added_or_removed_re_links_only_the_modules_it_changes() {
    let mut project = DiskProject::new("module-added", PROJECT);
    let extra = project.path("extra.js");
    std::fs::write(&extra, "export const EXTRA = '!';\n").unwrap();
    project.compiler.file_changed(&extra);
    project.edit(
        "lib.js",
        "export const value = 'lib';",
        "import { EXTRA } from './extra.js';\nexport const value = 'lib' + EXTRA;",
    );
    let log = project.rebuild();
    assert_eq!(log.count("module_graph"), 1, "{log}");
    // At most the new module and its importer: the graph's new order re-links no other
    // module (there are seven).
    for query in ["linked_module", "rendered_module"] {
        assert!((1..=2).contains(&log.count(query)), "{query}: {log}");
    }
    // Naming names again only the new binding's family's shard.
    assert_eq!(log.count("shard_names"), 1, "{log}");
    // The lookups run again only in the new module's shard (one of 64), not for all seven.
    assert!(log.count("module_link") <= 2, "{log}");
    assert!(
        project.code().contains("const value = \"lib\" + EXTRA"),
        "{}",
        project.code()
    );

    project.edit(
        "lib.js",
        "import { EXTRA } from './extra.js';\nexport const value = 'lib' + EXTRA;",
        "export const value = 'lib';",
    );
    std::fs::remove_file(&extra).unwrap();
    project.compiler.file_changed(&extra);
    let log = project.rebuild();
    assert_eq!(log.count("module_graph"), 1, "{log}");
    for query in ["linked_module", "rendered_module"] {
        assert!(log.count(query) <= 1, "{query}: {log}");
    }
    assert_eq!(log.count("rendered_module"), 1, "{log}");
}

/// Adds `extra.js` and imports it from `lib.js` as a module created while watching would be.
fn add_extra_module(project: &mut DiskProject) {
    std::fs::write(project.path("extra.js"), "export const EXTRA = 'file';\n").unwrap();
    project.edit(
        "lib.js",
        "export const value = 'lib';",
        "import { EXTRA } from './extra';\nexport const value = 'lib' + EXTRA;",
    );
    project.rebuild();
}

#[test]
fn a_module_created_and_deleted_while_watching_walks_no_resolution_again() {
    let mut project = DiskProject::new("created-deleted-resolutions", PROJECT);
    add_extra_module(&mut project);
    project.compiler.log_validations(true);
    project.edit(
        "lib.js",
        "import { EXTRA } from './extra';\nexport const value = 'lib' + EXTRA;",
        "export const value = 'lib';",
    );
    let extra = project.path("extra.js");
    std::fs::remove_file(&extra).unwrap();
    project.compiler.file_changed(&extra);
    let log = project.rebuild();
    // The file was first seen after a build: its presence is not a high input, so no
    // resolution or module setting is walked again (with a high one: the status of 20
    // files probed, and every module's directory's package type and tsconfig), and
    // discovery walks from the module published again, not from the entries. Those
    // confirmed are the ones the importer's new resolutions read.
    assert!(log.validated("file_status") <= 3, "{log:?}");
    assert_eq!(log.validated("directory_package_type"), 0, "{log:?}");
    assert_eq!(log.validated("directory_tsconfig"), 0, "{log:?}");
}

#[test]
fn a_module_created_while_watching_and_deleted_lets_an_unedited_importer_find_another() {
    let mut project = DiskProject::new("created-deleted-fallback", PROJECT);
    std::fs::create_dir_all(project.path("extra")).unwrap();
    std::fs::write(
        project.path("extra/index.js"),
        "export const EXTRA = 'directory';\n",
    )
    .unwrap();
    add_extra_module(&mut project);
    assert!(project.code().contains("\"lib\" + EXTRA"));
    assert!(project.code().contains("\"file\""), "{}", project.code());
    // `lib.js` is not edited: its `./extra` now finds `extra/index.js`, a module no
    // discovery reached (this one walks from the module published again, the deleted
    // one). The build reads it from its parse, and the next walks from the entries; each
    // output equals a clean build's (`rebuild`).
    let extra = project.path("extra.js");
    std::fs::remove_file(&extra).unwrap();
    project.compiler.file_changed(&extra);
    project.rebuild();
    assert!(
        project.code().contains("\"directory\""),
        "{}",
        project.code()
    );
    project.edit("extra/index.js", "'directory'", "'directory, edited'");
    project.rebuild();
    assert!(
        project.code().contains("\"directory, edited\""),
        "{}",
        project.code()
    );
}

/// A bundle of `count` small modules, each imported by `main.js` in order.
fn many_modules(count: usize) -> String {
    let mut fixture = String::from("//- /main.js\n");
    for index in 0..count {
        fixture.push_str(&format!("import {{ v{index} }} from './m{index}.js';\n"));
    }
    let all: Vec<String> = (0..count).map(|index| format!("v{index}")).collect();
    fixture.push_str(&format!("console.log({});\n", all.join(", ")));
    for index in 0..count {
        fixture.push_str(&format!(
            "//- /m{index}.js\nexport const v{index} = {index};\n"
        ));
    }
    fixture
}

#[test]
fn a_module_created_at_the_start_renders_again_only_its_run() {
    // 300 modules render in several runs; the new module goes first in the execution
    // order, in front of every run.
    let mut project = DiskProject::new("module-runs", &many_modules(300));
    let extra = project.path("extra.js");
    std::fs::write(&extra, "export const EXTRA = '!';\n").unwrap();
    project.compiler.file_changed(&extra);
    project.edit(
        "m0.js",
        "export const v0 = 0;",
        "import { EXTRA } from './extra.js';\nexport const v0 = 0 + EXTRA;",
    );
    let log = project.rebuild();
    assert_eq!(log.count("module_graph"), 1, "{log}");
    // Its own run, and the run it split when it starts one.
    assert!((1..=2).contains(&log.count("rendered_run")), "{log}");

    project.edit(
        "m0.js",
        "import { EXTRA } from './extra.js';\nexport const v0 = 0 + EXTRA;",
        "export const v0 = 0;",
    );
    std::fs::remove_file(&extra).unwrap();
    project.compiler.file_changed(&extra);
    let log = project.rebuild();
    assert_eq!(log.count("module_graph"), 1, "{log}");
    assert!((1..=2).contains(&log.count("rendered_run")), "{log}");
}

#[test]
fn a_module_problem_works_out_again_only_its_shard_of_problems() {
    let mut project = DiskProject::new("problem-shards", &many_modules(300));
    project.edit(
        "m5.js",
        "export const v5 = 5;",
        "import './missing.js';\nexport const v5 = 5;",
    );
    let log = project.rebuild();
    // One shard of the 64 holds m5.js; no module's problems are a memo of their own.
    assert_eq!(log.count("shard_problems"), 1, "{log}");
    assert_eq!(log.count("module_problems"), 0, "{log}");
    let output = project.compiler.build(&project.options);
    assert!(
        output.diagnostics.iter().any(|diagnostic| diagnostic
            .file
            .as_ref()
            .is_some_and(|file| file.ends_with("m5.js"))),
        "{:?}",
        output.diagnostics
    );

    project.edit(
        "m5.js",
        "import './missing.js';\nexport const v5 = 5;",
        "export const v5 = 5;",
    );
    let log = project.rebuild();
    assert_eq!(log.count("shard_problems"), 1, "{log}");
    assert!(!project.compiler.build(&project.options).has_errors());
}

#[test]
fn a_syntax_error_and_its_fix_run_no_whole_bundle_pass() {
    let mut project = DiskProject::new("syntax-error", PROJECT);
    project.edit(
        "shapes.js",
        "return 2 * PI * r;",
        "return 2 * PI * r;\n  const = ;",
    );
    let log = project.rebuild();
    // The build stops after parsing: only the syntax error is reported.
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    assert_none_ran(&log, &WHOLE_BUNDLE);
    let output = project.compiler.build(&project.options);
    assert!(output.code.is_none());
    assert_eq!(output.diagnostics.len(), 1, "{:?}", output.diagnostics);
    assert_eq!(output.diagnostics[0].code, "SYNTAX_ERROR");

    project.edit("shapes.js", "\n  const = ;", "");
    let log = project.rebuild();
    // The graph is what it was before the error, so nothing after it re-runs.
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    assert_none_ran(&log, &["liveness", "naming_requests", "tentative_names"]);
    assert!(log.count("rendered_module") <= 1, "{log}");
}

const MANIFESTS: &str = r#"
//- /main.ts
import { total } from './cart.ts';
import { Badge } from './badge.tsx';
console.log(total([{ price: 1 }]), Badge({ count: 2 }));
//- /cart.ts
export function total(items: { price: number }[]): number {
  return items.reduce((sum, item) => sum + item.price, 0);
}
//- /badge.tsx
export function Badge(props: { count: number }) {
  return <b>{props.count}</b>;
}
//- /tsconfig.json
{ "extends": "./config/base.json" }
//- /config/base.json
{ "compilerOptions": { "jsx": "preserve" } }
//- /package.json
{ "name": "app", "version": "1.0.0", "type": "module" }
"#;

#[test]
fn the_first_edit_of_a_manifest_reparses_only_what_it_configures() {
    let mut project = DiskProject::new("manifests", MANIFESTS);
    // Every module's settings read the package's `type`: a version bump leaves them equal,
    // and so re-parses nothing, though it is the manifest's first edit.
    project.edit("package.json", "\"1.0.0\"", "\"1.0.1\"");
    let log = project.rebuild();
    assert_eq!(log.count("parsed_module"), 0, "{log}");
    assert_none_ran(&log, &WHOLE_BUNDLE);
    // A `jsx` edit (in the file the tsconfig extends) re-parses the JSX module only: the
    // others' settings compare equal.
    project.edit("config/base.json", "\"preserve\"", "\"react\"");
    let log = project.rebuild();
    assert_eq!(log.count("tsconfig_options"), 1, "{log}");
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    // And a later body edit still re-parses one module and re-runs no whole-bundle pass.
    project.edit("cart.ts", "sum + item.price", "sum + item.price * 2");
    let log = project.rebuild();
    assert_eq!(log.count("parsed_module"), 1, "{log}");
    assert_none_ran(&log, &WHOLE_BUNDLE);
}
