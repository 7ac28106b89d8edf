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

/// Builds one fixture, compressed (`--minify-syntax --minify-whitespace`) or not.
fn build(fixture: &common::Fixture, compress: bool) -> (Compiler, verde::BuildOutput) {
    let system = Arc::new(MemorySystem::new());
    for (path, text) in &fixture.files {
        system.write(path, text.as_bytes());
    }
    let mut compiler = Compiler::with_system("/", system);
    let format = format_of(&fixture.format);
    let output = compiler.build(&BuildOptions {
        entries: fixture.entries.iter().map(Into::into).collect(),
        format,
        splitting: fixture.splitting,
        metafile: false,
        output_names: verde::OutputNames::default(),
        externals: fixture.externals.clone(),
        global_name: fixture.name.clone(),
        loaders: fixture
            .loaders
            .iter()
            .map(|flag| verde::parse_loader_flag(flag).expect("a valid loader directive"))
            .collect(),
        jsx: verde::JsxFlags {
            mode: fixture
                .jsx
                .as_deref()
                .map(|mode| verde::JsxMode::from_name(mode).expect("a valid jsx directive")),
            import_source: fixture.jsx_import_source.clone(),
            development: fixture.jsx_dev,
        },
        tsconfig: fixture.tsconfig.clone().map(Into::into),
        defines: verde::Defines::new(
            fixture
                .defines
                .iter()
                .map(|flag| verde::parse_define_flag(flag).expect("a valid define directive"))
                .collect(),
        )
        .expect("valid defines"),
        platform: match fixture.platform.as_deref() {
            None | Some("browser") => verde::Platform::Browser,
            Some("node") => verde::Platform::Node,
            Some("neutral") => verde::Platform::Neutral,
            Some(other) => panic!("unknown platform {other} in fixture"),
        },
        source_maps: None,
        minify_whitespace: compress,
        minify_identifiers: false,
        minify_syntax: compress,
        legal_comments: verde::LegalComments::default(),
        keep_names: false,
        charset: if fixture.charset_utf8 {
            verde::Charset::Utf8
        } else {
            verde::Charset::Ascii
        },
    });
    (compiler, output)
}

/// Writes a fixture's bundle (or chunks) where node can run it, and runs it.
fn run_bundle(
    fixture: &common::Fixture,
    output: &verde::BuildOutput,
    dir: &std::path::Path,
) -> String {
    let code = output.code.as_ref().expect("a build that succeeded");
    let format = format_of(&fixture.format);
    if fixture.splitting {
        return run_chunks(fixture, output, dir);
    }
    let extension = match format {
        OutputFormat::Esm => "mjs",
        OutputFormat::Cjs => "cjs",
        OutputFormat::Iife => "js",
    };
    let file = dir.join(format!("bundle.{extension}"));
    let mut program = code.to_string();
    if let (OutputFormat::Iife, Some(name)) = (format, &fixture.name) {
        let _ = write!(
            program,
            "\nconsole.log('global {name}:', JSON.stringify(Object.keys({name})));\n"
        );
    }
    std::fs::write(&file, program).expect("bundle is writable");
    common::run_node(&file)
}

/// Writes a split build's chunks into `dir/out` and has node load the entries' files one
/// after the other.
fn run_chunks(
    fixture: &common::Fixture,
    output: &verde::BuildOutput,
    dir: &std::path::Path,
) -> String {
    let out = dir.join("out");
    let _ = std::fs::remove_dir_all(&out);
    for chunk in &output.chunks {
        let file = out.join(&chunk.file_name);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, chunk.code.to_string()).unwrap();
    }
    let commonjs = format_of(&fixture.format) == OutputFormat::Cjs;
    let package_type = if commonjs { "commonjs" } else { "module" };
    std::fs::write(
        out.join("package.json"),
        format!("{{ \"type\": \"{package_type}\" }}"),
    )
    .unwrap();
    let files: Vec<String> = fixture
        .entries
        .iter()
        .map(|entry| {
            let chunk = output
                .chunks
                .iter()
                .find(|chunk| chunk.entry.as_deref() == Some(std::path::Path::new(entry)))
                .unwrap_or_else(|| panic!("no file for the entry {entry}"));
            format!("./out/{}", chunk.file_name)
        })
        .collect();
    let script = dir.join("split.mjs");
    std::fs::write(&script, entries_driver(&files, commonjs)).unwrap();
    common::run_node(&script)
}

/// A script that loads each of `files` in turn (with `require` for CommonJS).
fn entries_driver(files: &[String], commonjs: bool) -> String {
    let mut script = String::from(
        "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n",
    );
    for file in files {
        let load = match commonjs {
            true => format!("require('{file}')"),
            false => format!("await import('{file}')"),
        };
        let _ = writeln!(script, "{load};");
    }
    script
}

/// `--charset=ascii` (the default): no fixture keeps a character outside ASCII in a comment
/// or a tagged template, so its whole bundle is ASCII.
fn assert_ascii_unless_utf8(fixture: &common::Fixture, code: &str, name: &str) {
    if !fixture.charset_utf8
        && let Some(character) = code.chars().find(|character| !character.is_ascii())
    {
        panic!("{name}: the bundle holds {character:?} (charset ascii):\n{code}");
    }
}

/// Builds one fixture and describes the result: code, diagnostics, node's output.
fn check(fixture_text: &str, scratch_name: &str) -> String {
    let fixture = common::parse_fixture(fixture_text);
    let (compiler, output) = build(&fixture, false);

    let mut report = String::new();
    match &output.code {
        Some(_) if fixture.splitting => {
            for chunk in &output.chunks {
                let _ = writeln!(report, "//=== {}", chunk.file_name);
                report.push_str(&chunk.code.to_string());
            }
        }
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
        assert_ascii_unless_utf8(&fixture, &code.to_string(), scratch_name);
        let dir = common::scratch_dir(&format!("fixture-{scratch_name}"));
        let bundled = run_bundle(&fixture, &output, &dir);
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
/// TypeScript and JSX files are first compiled by TypeScript itself (`tests/node/`), with
/// the fixture's JSX options, and run with a resolve hook for their extensionless imports.
fn run_unbundled(fixture: &common::Fixture, dir: &std::path::Path) -> String {
    let root = dir.join("unbundled");
    let _ = std::fs::remove_dir_all(&root);
    fixture.write_to(&root);
    if !fixture
        .files
        .iter()
        .any(|(path, _)| path.ends_with("package.json") && path.matches('/').count() == 1)
    {
        std::fs::write(root.join("package.json"), r#"{ "type": "module" }"#).unwrap();
    }
    if fixture.entries.len() > 1 {
        let files: Vec<String> = fixture
            .entries
            .iter()
            .map(|entry| format!(".{entry}"))
            .collect();
        let script = root.join("entries.mjs");
        std::fs::write(&script, entries_driver(&files, false)).unwrap();
        return common::run_node(&script);
    }
    let entry = root.join(fixture.entry.trim_start_matches('/'));
    let typescript = fixture
        .files
        .iter()
        .any(|(path, _)| common::needs_transpiling(path))
        || !fixture.loaders.is_empty();
    if !typescript {
        return common::run_node(&entry);
    }
    let mut overrides = serde_json::Map::new();
    match fixture.jsx.as_deref() {
        Some("classic") => overrides.insert("jsx".into(), "react".into()),
        Some("automatic") if fixture.jsx_dev => {
            overrides.insert("jsx".into(), "react-jsxdev".into())
        }
        Some("automatic") => overrides.insert("jsx".into(), "react-jsx".into()),
        _ => None,
    };
    if let Some(source) = &fixture.jsx_import_source {
        overrides.insert("jsxImportSource".into(), source.as_str().into());
    }
    let scripts = common::node_scripts_dir();
    let transpiled = std::process::Command::new("node")
        .arg(scripts.join("transpile.mjs"))
        .arg(common::node_tools_dir())
        .arg(&root)
        .arg(serde_json::Value::Object(overrides).to_string())
        .args(&fixture.loaders)
        .output()
        .expect("node runs");
    assert!(
        transpiled.status.success(),
        "TypeScript could not compile the fixture:\n{}",
        String::from_utf8_lossy(&transpiled.stderr)
    );
    let entry = ["ts", "tsx", "mts", "cts", "jsx"]
        .iter()
        .find_map(|extension| {
            let source = entry.to_string_lossy();
            source.strip_suffix(&format!(".{extension}")).map(|stem| {
                let output = if *extension == "mts" {
                    "mjs"
                } else if *extension == "cts" {
                    "cjs"
                } else {
                    "js"
                };
                std::path::PathBuf::from(format!("{stem}.{output}"))
            })
        })
        .unwrap_or(entry);
    let output = std::process::Command::new("node")
        .arg("--import")
        .arg(scripts.join("register.mjs"))
        .arg(&entry)
        .output()
        .expect("node runs");
    common::describe_output(&output)
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

/// Compressing changes no behaviour: every fixture that builds prints the same in node
/// compressed as it does plain, which the snapshots and the unbundled runs check. (Short
/// names are left out: a renamed function's `.name` is observably different, as in rollup
/// and esbuild; the conformance suite and the corpora run with all of `--minify`.)
#[test]
fn compressed_fixtures_print_what_plain_bundles_print() {
    insta::glob!("fixtures/**/*.fixture", |path| {
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let fixture = common::parse_fixture(&text);
        let (_, plain) = build(&fixture, false);
        let (_, compressed) = build(&fixture, true);
        if plain.code.is_none() {
            assert!(
                compressed.code.is_none(),
                "{name}: only the compressed build succeeds"
            );
            return;
        }
        let Some(code) = &compressed.code else {
            panic!("{name}: the compressed build fails");
        };
        assert_ascii_unless_utf8(&fixture, &code.to_string(), &name);
        let plain_dir = common::scratch_dir(&format!("fixture-plain-{name}"));
        let compressed_dir = common::scratch_dir(&format!("fixture-compressed-{name}"));
        assert_eq!(
            run_bundle(&fixture, &compressed, &compressed_dir),
            run_bundle(&fixture, &plain, &plain_dir),
            "{name}: the compressed bundle does not print what the plain one prints:\n{code}"
        );
    });
}
