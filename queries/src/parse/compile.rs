//! Compiling one module: parse, scope analysis, the record and item facts, object code. All
//! of it happens inside one arena on one stack frame, on a thread with stack enough for the
//! module (see `stack.rs`); the arena and the AST are gone when [`compile_module`] returns.
//! A module nested past the documented limit, or a bug that panics, is a diagnostic of
//! this module, never a crash.

use std::path::Path;

use oxc::{allocator::Allocator, parser::Parser, semantic::SemanticBuilder, span::SourceType};

use super::{
    analysis::analyze_module,
    commonjs::{WrittenExports, analyze_commonjs, uses_commonjs},
    constants,
    input_map::InputMap,
    json, minify,
    nesting::{MAX_NESTING_DEPTH, too_deep_at},
    object_code,
    record::{
        ItemFacts, ItemKind, ModuleKind, ModuleRecord, ModuleSpans, Movable, Name, ObjectCode,
        ScopeNames,
    },
    single_use, static_objects, transform,
};
use crate::{
    diagnostics::{Diagnostic, TextRange},
    fault,
    settings::{Charset, JsxMode, LegalComments, Loader, ModuleFormat, ModuleSettings, define},
    stack::{panic_message, with_stack_for},
};

/// One item as compiled, before it becomes a salsa struct.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct CompiledItem {
    pub kind: ItemKind,
    pub name: Name,
    pub code: ObjectCode,
    pub facts: ItemFacts,
    pub range: TextRange,
}

#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct CompiledModule {
    pub record: ModuleRecord,
    pub scope_names: ScopeNames,
    pub spans: ModuleSpans,
    pub items: Vec<CompiledItem>,
    /// The legal comments gathered for the end of the bundle (`--legal-comments=eof`).
    pub legal_comments: Vec<String>,
    /// Never stored in the cache: a module with diagnostics is compiled each time.
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

impl CompiledModule {
    fn has_syntax_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|diagnostic| diagnostic.code == "SYNTAX_ERROR")
    }

    fn failed(diagnostics: Vec<Diagnostic>) -> Self {
        CompiledModule {
            record: ModuleRecord::default(),
            scope_names: ScopeNames::default(),
            spans: ModuleSpans::default(),
            items: Vec::new(),
            legal_comments: Vec::new(),
            diagnostics,
        }
    }
}

pub(super) fn compile_module(
    path: &Path,
    text: &str,
    settings: &ModuleSettings,
    input_map: Option<&InputMap>,
) -> CompiledModule {
    // Type declarations are never bundled: importing one gives an empty module.
    if settings.loader == Loader::TypeDeclarations {
        return CompiledModule::failed(Vec::new());
    }
    // A JSON module is compiled as the ES module it stands for; its syntax errors point
    // into the JSON text.
    let json_source;
    let text = if settings.loader == Loader::Json {
        match json::json_module(text) {
            Ok(module) => {
                json_source = module;
                json_source.as_str()
            }
            Err(error) => {
                let at = TextRange {
                    start: error.offset as u32,
                    end: error.offset as u32,
                };
                return CompiledModule::failed(vec![
                    Diagnostic::error("SYNTAX_ERROR", error.message).in_file(path, Some(at)),
                ]);
            }
        }
    } else {
        text
    };
    if let Some(offset) = too_deep_at(text, MAX_NESTING_DEPTH) {
        let at = TextRange {
            start: offset as u32,
            end: offset as u32 + 1,
        };
        return CompiledModule::failed(vec![
            Diagnostic::error(
                "NESTING_TOO_DEEP",
                format!("brackets nest more than {MAX_NESTING_DEPTH} levels deep here"),
            )
            .in_file(path, Some(at))
            .with_help("verde compiles modules nested up to that depth; split the expression"),
        ]);
    }
    let compiled = with_stack_for(text.len(), || {
        std::panic::catch_unwind(|| {
            // A default arena grows by doubling. Sizing it up front (4x the source length)
            // or reusing one arena per thread made no measurable difference to peak heap or
            // time (docs/benchmarks.md), so the simplest stays.
            compile_program(&Allocator::default(), path, text, settings, input_map)
        })
    });
    match compiled {
        Ok(Ok(compiled)) => compiled,
        Ok(Err(panic)) => CompiledModule::failed(vec![
            Diagnostic::internal_error(format!(
                "compiling this module panicked: {}",
                panic_message(&*panic)
            ))
            .in_file(path, None),
        ]),
        Err(unavailable) => CompiledModule::failed(vec![
            Diagnostic::error(
                "MODULE_TOO_LARGE",
                format!(
                    "this module needs a {} MiB stack to compile, and the system refused it: {}",
                    unavailable.needed >> 20,
                    unavailable.reason
                ),
            )
            .in_file(path, None),
        ]),
    }
}

/// What a module's extension and package scope make of its source type: an ES module, a
/// CommonJS module, or, when nothing says, whichever its syntax is.
fn source_type(settings: &ModuleSettings) -> SourceType {
    let source_type = settings.loader.source_type();
    if settings.loader == Loader::Json {
        return source_type;
    }
    match settings.format {
        ModuleFormat::EsModule => source_type,
        // ES module syntax wins, even in a `.cjs` file (TypeScript writes `.cts` files so).
        ModuleFormat::CommonJs | ModuleFormat::Detect => source_type.with_unambiguous(true),
    }
}

fn compile_program(
    allocator: &Allocator,
    path: &Path,
    text: &str,
    settings: &ModuleSettings,
    input_map: Option<&InputMap>,
) -> CompiledModule {
    let first = source_type(settings);
    match compile_as(allocator, path, text, settings, input_map, first) {
        // CommonJS code runs inside a function: a top-level `return` or `new.target` is a
        // syntax error in a script but not in a CommonJS module. Only a failed parse pays
        // for the second try.
        Compiled::Module(compiled) if first.is_unambiguous() && compiled.has_syntax_errors() => {
            match compile_as(
                allocator,
                path,
                text,
                settings,
                input_map,
                first.with_commonjs(true),
            ) {
                Compiled::Module(commonjs) if !commonjs.has_syntax_errors() => *commonjs,
                _ => *compiled,
            }
        }
        Compiled::Module(compiled) => *compiled,
        // A script that is not CommonJS either is compiled as an ES module, as verde always
        // has: its top-level bindings join the bundle's scope.
        Compiled::PlainScript => {
            match compile_as(
                allocator,
                path,
                text,
                settings,
                input_map,
                settings.loader.source_type(),
            ) {
                Compiled::Module(compiled) => *compiled,
                Compiled::PlainScript => unreachable!("an ES module is never a plain script"),
            }
        }
    }
}

enum Compiled {
    Module(Box<CompiledModule>),
    /// Neither ES module syntax nor any use of CommonJS.
    PlainScript,
}

fn compile_as(
    allocator: &Allocator,
    path: &Path,
    text: &str,
    settings: &ModuleSettings,
    input_map: Option<&InputMap>,
    source_type: SourceType,
) -> Compiled {
    let parsed = Parser::new(allocator, text, source_type).parse();
    let syntax_errors: Vec<Diagnostic> = parsed
        .diagnostics
        .iter()
        .map(|error| oxc_error_to_diagnostic(path, error))
        .collect();
    if parsed.panicked || !syntax_errors.is_empty() {
        return Compiled::Module(Box::new(CompiledModule::failed(syntax_errors)));
    }
    let mut program = parsed.program;
    let legal_comments = if settings.legal_comments == LegalComments::Eof {
        program
            .comments
            .iter()
            .filter(|comment| comment.is_legal())
            .map(|comment| comment.span.source_text(text).to_owned())
            .collect()
    } else {
        Vec::new()
    };
    let semantic = SemanticBuilder::new()
        .with_check_syntax_error(true)
        // Lowering enums needs their members' values.
        .with_enum_eval(settings.typescript.is_some())
        .build(&program);
    let semantic_errors: Vec<Diagnostic> = semantic
        .diagnostics
        .iter()
        .map(|error| oxc_error_to_diagnostic(path, error))
        .collect();
    if !semantic_errors.is_empty() {
        return Compiled::Module(Box::new(CompiledModule::failed(semantic_errors)));
    }
    // TypeScript's `import x = require()` and `export =` make a CommonJS module.
    let typescript_commonjs =
        settings.typescript.is_some() && transform::module_syntax(&program).commonjs.is_some();
    let kind = if typescript_commonjs {
        ModuleKind::CommonJs
    } else if program.source_type.is_module() {
        ModuleKind::EsModule
    } else if settings.format == ModuleFormat::CommonJs
        || uses_commonjs(semantic.semantic.scoping())
    {
        ModuleKind::CommonJs
    } else {
        return Compiled::PlainScript;
    };
    let injected_fault = fault::requested(text);
    fault::inject(injected_fault, fault::Phase::Parse);
    let lowered = transform::needs_lowering(settings);
    if lowered {
        let unsupported = transform::unsupported_syntax(&program, text, settings);
        if !unsupported.is_empty() {
            return Compiled::Module(Box::new(CompiledModule::failed(
                unsupported
                    .into_iter()
                    .map(|(message, span)| {
                        Diagnostic::error("UNSUPPORTED_SYNTAX", message)
                            .in_file(path, Some(span.into()))
                    })
                    .collect(),
            )));
        }
    }
    let mut scoping = semantic.semantic.into_scoping();
    // What the module exports before lowering: the names lowering removes are types.
    let declared_exports = settings
        .typescript
        .is_some()
        .then(|| transform::exported_names(&program));
    if lowered {
        let problems = transform::lower(
            allocator,
            path,
            &mut program,
            scoping,
            settings,
            kind == ModuleKind::CommonJs,
        );
        if !problems.is_empty() {
            return Compiled::Module(Box::new(CompiledModule::failed(problems)));
        }
        if kind == ModuleKind::CommonJs {
            // The transformer keeps a module that lost its imports a module with `export {}`;
            // a CommonJS one stays a script.
            program.body.retain(|statement| {
                !matches!(statement, oxc::ast::ast::Statement::ExportNamedDeclaration(export)
                    if export.specifiers.is_empty())
            });
        }
        // Fresh scopes for the lowered program (the transformer keeps its own in step, but
        // what verde reads from them must describe exactly the code it prints).
        scoping = SemanticBuilder::new()
            .build(&program)
            .semantic
            .into_scoping();
    }
    // `--define`s, and the dead branches they make, go before anything reads the module:
    // a `require` only a development build runs is never a request.
    scoping = define::apply(allocator, &mut program, scoping, &settings.defines);
    let hashbang = program
        .hashbang
        .as_ref()
        .map(|hashbang| hashbang.value.to_string());

    let written_exports = (settings.minify_syntax && kind == ModuleKind::CommonJs)
        .then(|| WrittenExports::read(&program, &scoping));
    scoping = minify::minify(allocator, &mut program, scoping, settings);
    // Lowered or compressed, the program has statements and strings the source does not:
    // spans no longer place declarations, and the printer may write text the source lacks.
    let rewritten = lowered || settings.minify_syntax;
    let mut analysis = match kind {
        ModuleKind::EsModule => analyze_module(&program, &scoping, rewritten),
        ModuleKind::CommonJs => analyze_commonjs(&program, &scoping),
    };
    if let Some(written) = written_exports {
        written.restore(&mut analysis.record);
    }
    // A direct `eval` could assign any binding of the module.
    if settings.minify_syntax
        && kind == ModuleKind::EsModule
        && !scoping.root_scope_flags().contains_direct_eval()
    {
        // Whether code of the module runs before each statement.
        let mut code_ran_before = Vec::with_capacity(program.body.len());
        let mut code_ran = false;
        for statement in &program.body {
            code_ran_before.push(code_ran);
            code_ran |= !constants::runs_no_code(statement);
        }
        for (item, &statement) in analysis.items.iter_mut().zip(&analysis.item_statements) {
            item.facts.constant = constants::inlinable_constant(
                &program.body[statement],
                &scoping,
                settings.minify_whitespace,
                settings.charset,
            );
            if item.facts.constant.is_none() {
                item.facts.constant = constants::hoisted_constant(
                    &program.body[statement],
                    &scoping,
                    settings.minify_whitespace,
                    settings.charset,
                    code_ran_before[statement],
                );
                item.facts.constant_hoisted = item.facts.constant.is_some();
            }
            item.facts.static_object =
                static_objects::static_object(&program.body[statement], &scoping);
            item.facts.ignores_this =
                static_objects::ignores_this(&program.body[statement], &scoping);
            item.facts.movable = single_use::movable(&program.body[statement], &scoping);
            item.facts.slot_reads = single_use::slot_reads(&program.body[statement], &scoping);
            item.facts.call_reads = single_use::call_reads(&program.body[statement], &scoping);
            item.facts.arrow = single_use::arrow_body(&program.body[statement]);
            item.facts.runs_no_code = constants::runs_no_code(&program.body[statement])
                || item.facts.movable == Movable::Value;
        }
    }
    analysis.record.node_mode =
        kind == ModuleKind::EsModule && settings.format == ModuleFormat::EsModule;
    let printed = match object_code::print_items(
        allocator,
        &mut program,
        scoping,
        &object_code::PrintSettings {
            source_text: text,
            lowered: rewritten || !settings.defines.is_empty(),
            kind,
            source_map: settings.source_map,
            input_map,
            minify_whitespace: settings.minify_whitespace,
            legal_comments_inline: settings.legal_comments == LegalComments::Inline,
            member_reads_of_imports: settings.minify_syntax,
            ascii: settings.charset == Charset::Ascii
                && settings
                    .jsx
                    .as_ref()
                    .is_none_or(|jsx| jsx.mode != JsxMode::Preserve),
        },
        &analysis.item_statements,
    ) {
        Ok(printed) => printed,
        Err(malformed) => {
            return Compiled::Module(Box::new(CompiledModule::failed(vec![
                Diagnostic::internal_error(format!(
                    "a relocation marker was malformed at offset {} of the printed module",
                    malformed.offset
                ))
                .in_file(path, None),
            ])));
        }
    };
    let mut findings = printed.findings;
    if let Some((what, span)) = findings.sloppy_syntax {
        findings.errors.push((
            "STRICT_MODE_SYNTAX",
            format!(
                "this CommonJS module uses {what}, which only sloppy mode allows: the bundle is strict mode code (an ES module, or `'use strict'`), where it would not parse or would mean something else"
            ),
            span,
        ));
    }
    if !findings.errors.is_empty() {
        return Compiled::Module(Box::new(CompiledModule::failed(
            findings
                .errors
                .into_iter()
                .map(|(code, message, span)| {
                    Diagnostic::error(code, message).in_file(path, Some(span.into()))
                })
                .collect(),
        )));
    }
    analysis.record.has_top_level_await = findings.top_level_await.is_some();
    analysis.spans.top_level_await = findings.top_level_await.map(Into::into);
    analysis.record.has_direct_eval = findings.direct_eval.is_some();
    analysis.record.anonymous_default_function = findings.anonymous_default_function;
    analysis.spans.direct_eval = findings.direct_eval.map(Into::into);
    analysis.spans.require_expressions = findings
        .require_expressions
        .into_iter()
        .map(Into::into)
        .collect();
    analysis.record.hashbang = hashbang;
    analysis.record.injected_fault = injected_fault;
    if let Some(mut declared) = declared_exports {
        declared.retain(|name| analysis.record.export(name).is_none());
        declared.sort_unstable();
        declared.dedup();
        analysis.record.type_exports = declared;
    }
    analysis.spans.namespace_members = findings
        .namespace_member_spans
        .into_iter()
        .map(|(key, span)| (key, span.into()))
        .collect();
    let mut seen_dynamic: rustc_hash::FxHashSet<Name> = rustc_hash::FxHashSet::default();
    for (specifier, span) in findings.dynamic_imports {
        if seen_dynamic.insert(specifier.clone()) {
            analysis.record.dynamic_requests.push(specifier);
            analysis.spans.dynamic_requests.push(span.into());
        }
    }
    // Last: the record is complete.
    analysis.record.index_names();
    let items = analysis
        .items
        .into_iter()
        .zip(printed.items)
        .map(|(mut item, printed)| {
            let uses = printed.uses;
            item.code = printed.code;
            // Movable only in the shape render takes the value from (see `single_use`).
            if single_use::value_code(&item.code).is_none() {
                item.facts.movable = Movable::No;
            }
            item.facts.references = uses.references.into_iter().collect();
            let mut repeated: Vec<(Name, u32)> = uses.repetitions.into_iter().collect();
            repeated.sort_unstable();
            if settings.minify_identifiers {
                item.facts.frequent_references = repeated
                    .iter()
                    .map(|(name, repetitions)| (name, repetitions + 1))
                    .filter(|(_, count)| *count >= super::record::FREQUENT_REFERENCES)
                    .map(|(name, count)| (name.clone(), count.ilog2() as u8))
                    .collect();
            }
            item.facts.repeated_references = repeated
                .into_iter()
                .map(|(name, repetitions)| {
                    let count = (repetitions + 1).min(super::record::COUNTED_REFERENCES.into());
                    (name, count as u8)
                })
                .collect();
            item.facts.namespace_members = uses.namespace_members.into_iter().collect();
            item.facts.repeated_namespace_members =
                uses.repeated_namespace_members.into_iter().collect();
            item.facts.called_members = uses.called_members.into_iter().collect();
            item.facts.dynamic_imports = uses.dynamic_imports;
            item.facts.requires = uses.requires;
            item.facts.class_names = uses.class_declarations;
            item.facts.class_names.extend(uses.anonymous_classes);
            item
        })
        .collect();
    Compiled::Module(Box::new(CompiledModule {
        record: analysis.record,
        scope_names: analysis.scope_names,
        spans: analysis.spans,
        items,
        legal_comments,
        diagnostics: Vec::new(),
    }))
}

pub(super) fn oxc_error_to_diagnostic(
    path: &Path,
    error: &oxc_diagnostics::OxcDiagnostic,
) -> Diagnostic {
    let range = error.labels.first().map(|label| TextRange {
        start: label.offset(),
        end: label.offset() + label.len(),
    });
    let mut diagnostic =
        Diagnostic::error("SYNTAX_ERROR", error.message.to_string()).in_file(path, range);
    if let Some(help) = &error.help {
        diagnostic = diagnostic.with_help(help.to_string());
    }
    diagnostic
}
