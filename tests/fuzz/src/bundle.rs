//! The structure-blind target: any text, split into modules (`crate::modules`), goes through
//! parse, link and render in every output format, through the public library API.
//!
//! A crash is a panic or an abort (stack overflow), a hang (libFuzzer's `-timeout`), an
//! `INTERNAL_ERROR` diagnostic (a panic verde caught), or a successful build whose bundle is
//! not valid JavaScript: the inputs parsed and passed verde's checks, so the output must
//! parse and pass oxc's semantic checks (redeclarations, a misplaced `await`, ...) too.

use std::{path::PathBuf, sync::Arc};

use oxc::{allocator::Allocator, parser::Parser, semantic::SemanticBuilder, span::SourceType};
use verde::{BuildOptions, BuildOutput, Compiler, MemorySystem, OutputFormat};

use crate::modules::{self, Module};

const ROOT: &str = "/p";

/// Bundles `data` (see the module documentation) and panics on anything that is a crash.
pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    check_modules(&modules::parse(&text));
}

/// Bundles `modules` with the first as entry in ESM, CommonJS and IIFE, then every module
/// as an entry, and panics on anything that is a crash.
pub fn check_modules(modules: &[Module]) {
    let mut compiler = Compiler::with_system(ROOT, Arc::new(MemorySystem::new()));
    // One thread: the fuzzer runs one input at a time, and a panic on a worker thread must
    // not turn into a hang of the queue (issue 9, item 2) before we see it.
    compiler.set_threads(1);
    for module in modules {
        compiler.set_file_text(format!("{ROOT}/{}", module.name), module.text.as_str());
    }
    let first: Vec<PathBuf> = vec![modules[0].name.clone().into()];
    let externals = vec!["ext".to_owned(), "pkg*".to_owned()];
    let builds = [
        (OutputFormat::Esm, first.clone(), None),
        (OutputFormat::Cjs, first.clone(), None),
        (OutputFormat::Iife, first, Some("bundle".to_owned())),
    ];
    for (format, entries, global_name) in builds {
        let options = BuildOptions {
            entries,
            format,
            externals: externals.clone(),
            global_name,
            ..BuildOptions::default()
        };
        let output = compiler.build(&options);
        check_output(&compiler, &output, format);
    }
    if modules.len() > 1 {
        let options = BuildOptions {
            entries: modules.iter().map(|m| m.name.clone().into()).collect(),
            format: OutputFormat::Esm,
            externals,
            global_name: None,
            ..BuildOptions::default()
        };
        let output = compiler.build(&options);
        check_output(&compiler, &output, OutputFormat::Esm);
    }
}

fn check_output(compiler: &Compiler, output: &BuildOutput, format: OutputFormat) {
    for diagnostic in &output.diagnostics {
        // Rendering the code frame is part of what a build does for the command line.
        let rendered = compiler.render_diagnostic(diagnostic);
        assert!(
            diagnostic.code != "INTERNAL_ERROR",
            "internal error ({format:?}):\n{rendered}"
        );
    }
    let Some(code) = &output.code else {
        assert!(
            output.has_errors(),
            "no code and no error: {:?}",
            output.diagnostics
        );
        return;
    };
    assert!(
        !output.has_errors(),
        "code despite errors: {:?}",
        output.diagnostics
    );
    let code = code.to_string();
    if let Some(problem) = invalid_javascript(&code, format) {
        panic!("the {format:?} bundle is not valid JavaScript: {problem}\n--- bundle ---\n{code}");
    }
}

/// Why `code` is not a valid program of `format`'s kind, if it is not.
pub fn invalid_javascript(code: &str, format: OutputFormat) -> Option<String> {
    let source_type = match format {
        OutputFormat::Esm => SourceType::mjs(),
        OutputFormat::Cjs => SourceType::cjs(),
        OutputFormat::Iife => SourceType::script(),
    };
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, code, source_type).parse();
    if parsed.panicked || !parsed.diagnostics.is_empty() {
        return Some(format!("{:?}", parsed.diagnostics));
    }
    let semantic = SemanticBuilder::new()
        .with_check_syntax_error(true)
        .build(&parsed.program);
    if !semantic.diagnostics.is_empty() {
        return Some(format!("{:?}", semantic.diagnostics));
    }
    None
}
