//! Snapshot tests: every `tests/fixtures/**/*.fixture` (several modules in one text) is
//! bundled from memory, the bundle is executed in node, and the bundle, the diagnostics and
//! what node printed are compared with `snapshots/fixtures/`.

mod common;

use std::{fmt::Write as _, sync::Arc};

use verde::{BuildOptions, Compiler, MemorySystem, OutputFormat};

fn format_of(name: &str) -> OutputFormat {
    match name {
        "esm" => OutputFormat::Esm,
        "cjs" => OutputFormat::Cjs,
        "iife" => OutputFormat::Iife,
        other => panic!("unknown format {other} in fixture"),
    }
}

/// Builds one fixture and describes the result: code, diagnostics, node's output.
fn check(fixture_text: &str, scratch_name: &str) -> String {
    let fixture = common::parse_fixture(fixture_text);
    let system = Arc::new(MemorySystem::new());
    for (path, text) in &fixture.files {
        system.write(path, text.as_bytes());
    }
    let mut compiler = Compiler::with_system("/", system);
    let format = format_of(&fixture.format);
    let output = compiler.build(&BuildOptions {
        entries: vec![fixture.entry.clone().into()],
        format,
        externals: fixture.externals.clone(),
        global_name: fixture.name.clone(),
    });

    let mut report = String::new();
    match &output.code {
        Some(code) => report.push_str(&code.to_string()),
        None => report.push_str("(no output: the build failed)\n"),
    }
    if !output.diagnostics.is_empty() {
        report.push_str("\n--- diagnostics ---\n");
        for diagnostic in &output.diagnostics {
            report.push_str(&compiler.render_diagnostic(diagnostic));
        }
    }
    if let Some(code) = &output.code {
        let extension = match format {
            OutputFormat::Esm => "mjs",
            OutputFormat::Cjs => "cjs",
            OutputFormat::Iife => "js",
        };
        let dir = common::scratch_dir(&format!("fixture-{scratch_name}"));
        let file = dir.join(format!("bundle.{extension}"));
        let mut program = code.to_string();
        if let (OutputFormat::Iife, Some(name)) = (format, &fixture.name) {
            let _ = write!(
                program,
                "\nconsole.log('global {name}:', JSON.stringify(Object.keys({name})));\n"
            );
        }
        std::fs::write(&file, program).expect("bundle is writable");
        let bundled = common::run_node(&file);
        report.push_str("\n--- node ---\n");
        report.push_str(&bundled);
        if fixture.runs_unbundled {
            // Node is the oracle: the modules as written must print what the bundle prints.
            let unbundled = run_unbundled(&fixture, &dir);
            let bundled_lines: Vec<&str> = bundled
                .lines()
                .filter(|line| !line.starts_with("global "))
                .collect();
            assert_eq!(
                bundled_lines,
                unbundled.lines().collect::<Vec<_>>(),
                "{scratch_name}: the bundle does not print what the unbundled modules print"
            );
        }
    }
    report
}

/// Runs the fixture's entry in node without bundling (every `.js` file an ES module).
fn run_unbundled(fixture: &common::Fixture, dir: &std::path::Path) -> String {
    let root = dir.join("unbundled");
    for (path, text) in &fixture.files {
        let file = root.join(path.trim_start_matches('/'));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    std::fs::write(root.join("package.json"), r#"{ "type": "module" }"#).unwrap();
    common::run_node(&root.join(fixture.entry.trim_start_matches('/')))
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/**/*.fixture", |path| {
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let report = check(&text, &name);
        insta::with_settings!({
            snapshot_path => "../snapshots/fixtures",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(report);
        });
    });
}
