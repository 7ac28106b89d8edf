//! Parse + scope: one query per module that parses it with oxc, analyzes its scopes, and in
//! the same execution produces everything later phases need, then drops the AST.
//!
//! Results: a position-free [`ModuleRecord`] (imports, exports, top-level symbols, names that
//! matter for deconflicting), one [`Item`] per top-level statement with its object code and
//! facts, the spans diagnostics need, and the module's syntax diagnostics. The arena lives on
//! this query's stack frame only: nothing downstream can hold an AST.

mod object_code;
pub mod record;
mod side_effects;

use std::path::Path;

use oxc::{
    allocator::Allocator,
    ast::ast::{
        Declaration, ExportDefaultDeclarationKind, ImportDeclarationSpecifier, Program, Statement,
        StringLiteral,
    },
    parser::Parser,
    semantic::{Scoping, SemanticBuilder},
    span::{GetSpan, SourceType, Span},
};
use oxc_ecmascript::{BoundNames, side_effects::MayHaveSideEffects};
use rustc_hash::FxHashMap;

use crate::{
    Db,
    diagnostics::{Diagnostic, TextRange},
    files::{SourceFile, SourceText, source_text},
};
pub use record::*;
use side_effects::SideEffectContext;

/// A top-level statement of a module. Its identity is (module, kind, name, occurrence), never
/// an offset, so it survives edits elsewhere in the file; its fields are tracked one by one,
/// so a query that reads only `facts` is not invalidated when only `code` changed.
#[salsa::tracked(debug)]
pub struct Item<'db> {
    /// The module the item belongs to.
    #[returns(copy)]
    pub module: SourceFile,
    #[returns(copy)]
    pub kind: ItemKind,
    #[returns(ref)]
    pub name: Name,
    #[tracked]
    #[returns(ref)]
    pub code: ObjectCode,
    #[tracked]
    #[returns(copy)]
    pub range: TextRange,
}

/// Everything the parse query produces for one module.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct ParsedModule<'db> {
    pub record: ModuleRecord,
    pub items: Vec<Item<'db>>,
    /// The facts of each item, in item order.
    pub facts: Vec<ItemFacts>,
    pub spans: ModuleSpans,
    pub diagnostics: ModuleDiagnostics,
}

/// The problems of one module on its own: why it could not be read, or its syntax and
/// scope errors.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModuleDiagnostics {
    pub unreadable: Option<String>,
    pub syntax: Vec<Diagnostic>,
}

/// Parses and scopes `file`. Never fails: problems are diagnostics, and a module that does
/// not parse has an empty record.
#[salsa::tracked(returns(ref), no_eq)]
pub fn parsed_module(db: &dyn Db, file: SourceFile) -> ParsedModule<'_> {
    let path = file.path(db);
    let _span = tracing::debug_span!("parsed_module", path = %path.display()).entered();
    let text = match source_text(db, file) {
        SourceText::Text(text) => text.clone(),
        other => {
            return ParsedModule {
                record: ModuleRecord::default(),
                items: Vec::new(),
                facts: Vec::new(),
                spans: ModuleSpans::default(),
                diagnostics: ModuleDiagnostics {
                    unreadable: other.error_message(),
                    syntax: Vec::new(),
                },
            };
        }
    };
    let compiled = compile_module(path, &text);
    let mut facts = Vec::with_capacity(compiled.items.len());
    let items = compiled
        .items
        .into_iter()
        .map(|item| {
            facts.push(item.facts);
            Item::new(db, file, item.kind, item.name, item.code, item.range)
        })
        .collect();
    ParsedModule {
        record: compiled.record,
        items,
        facts,
        spans: compiled.spans,
        diagnostics: ModuleDiagnostics {
            unreadable: None,
            syntax: compiled.diagnostics,
        },
    }
}

/// The position-free record: what link depends on. Equal after edits that do not change
/// the module's imports, exports or top-level names, which stops the wave there.
#[salsa::tracked(returns(ref))]
pub fn module_record(db: &dyn Db, file: SourceFile) -> ModuleRecord {
    parsed_module(db, file).record.clone()
}

/// The module's items, in source order. Equal as long as no item was added, removed or
/// renamed.
#[salsa::tracked(returns(ref))]
pub fn module_items(db: &dyn Db, file: SourceFile) -> Vec<Item<'_>> {
    parsed_module(db, file).items.clone()
}

/// What link needs to know about each item (what it declares and refers to, whether it has
/// side effects), in item order. One query per module rather than a field per item, so that
/// whole-bundle passes depend on a few thousand results, not on every item.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModuleFacts {
    pub items: Vec<ItemFacts>,
    /// Every top-level binding and the items that declare it, sorted by name.
    pub declared_by: Vec<(Name, Vec<u32>)>,
}

impl ModuleFacts {
    /// The items that declare `name`.
    pub fn declaring(&self, name: &str) -> &[u32] {
        self.declared_by
            .binary_search_by(|(declared, _)| declared.as_str().cmp(name))
            .map_or(&[], |index| &self.declared_by[index].1)
    }
}

#[salsa::tracked(returns(ref))]
pub fn module_facts(db: &dyn Db, file: SourceFile) -> ModuleFacts {
    let items = parsed_module(db, file).facts.clone();
    let mut declared_by: Vec<(Name, Vec<u32>)> = Vec::new();
    for (index, facts) in items.iter().enumerate() {
        for name in &facts.declares {
            declared_by.push((name.clone(), vec![index as u32]));
        }
    }
    declared_by.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    // Merge the entries of a name declared by several items (`var x` twice).
    declared_by.dedup_by(|next, kept| {
        if next.0 == kept.0 {
            kept.1.append(&mut next.1);
            true
        } else {
            false
        }
    });
    ModuleFacts { items, declared_by }
}

/// The module's read, syntax and scope errors.
#[salsa::tracked(returns(ref))]
pub fn module_diagnostics(db: &dyn Db, file: SourceFile) -> ModuleDiagnostics {
    parsed_module(db, file).diagnostics.clone()
}

/// What binding a module's imports needs: its specifiers, its import bindings and the
/// namespace members it reads. Equal after edits that change only exports or code, so
/// those do not re-bind the module.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModuleImports {
    pub requests: Vec<Name>,
    pub dynamic_requests: Vec<Name>,
    pub imports: Vec<ImportBinding>,
    /// Sorted.
    pub namespace_members: Vec<(Name, Name)>,
}

#[salsa::tracked(returns(ref))]
pub fn module_imports(db: &dyn Db, file: SourceFile) -> ModuleImports {
    let parsed = parsed_module(db, file);
    let mut namespace_members: Vec<(Name, Name)> = parsed
        .facts
        .iter()
        .flat_map(|facts| facts.namespace_members.iter().cloned())
        .collect();
    namespace_members.sort_unstable();
    namespace_members.dedup();
    ModuleImports {
        requests: parsed.record.requests.clone(),
        dynamic_requests: parsed.record.dynamic_requests.clone(),
        imports: parsed.record.imports.clone(),
        namespace_members,
    }
}

/// One item as compiled, before it becomes a salsa struct.
struct CompiledItem {
    kind: ItemKind,
    name: Name,
    code: ObjectCode,
    facts: ItemFacts,
    range: TextRange,
}

struct CompiledModule {
    record: ModuleRecord,
    spans: ModuleSpans,
    items: Vec<CompiledItem>,
    diagnostics: Vec<Diagnostic>,
}

pub(crate) fn source_type_of(path: &Path) -> SourceType {
    match path.extension().and_then(|ext| ext.to_str()) {
        Some("jsx") => SourceType::jsx(),
        _ => SourceType::mjs(),
    }
}

fn compile_module(path: &Path, text: &str) -> CompiledModule {
    // JSON modules have one export, the parsed value.
    let json_source;
    let text = if path.extension().is_some_and(|ext| ext == "json") {
        json_source = format!("export default (\n{text}\n);");
        json_source.as_str()
    } else {
        text
    };
    // A default arena grows by doubling. Sizing it up front (4x the source length) or
    // reusing one arena per thread made no measurable difference to peak heap or time
    // (docs/benchmarks.md), so the simplest stays.
    compile_program(&Allocator::default(), path, text)
}

fn compile_program(allocator: &Allocator, path: &Path, text: &str) -> CompiledModule {
    let parsed = Parser::new(allocator, text, source_type_of(path)).parse();
    let syntax_errors: Vec<Diagnostic> = parsed
        .diagnostics
        .iter()
        .map(|error| oxc_error_to_diagnostic(path, error))
        .collect();
    if parsed.panicked || !syntax_errors.is_empty() {
        return CompiledModule::failed(syntax_errors);
    }
    let mut program = parsed.program;
    let semantic = SemanticBuilder::new()
        .with_check_syntax_error(true)
        .build(&program);
    let semantic_errors: Vec<Diagnostic> = semantic
        .diagnostics
        .iter()
        .map(|error| oxc_error_to_diagnostic(path, error))
        .collect();
    if !semantic_errors.is_empty() {
        return CompiledModule::failed(semantic_errors);
    }
    let scoping = semantic.semantic.into_scoping();
    let hashbang = program
        .hashbang
        .as_ref()
        .map(|hashbang| hashbang.value.to_string());

    let mut analysis = analyze_module(&program, &scoping);
    let printed = object_code::print_items(
        allocator,
        &mut program,
        scoping,
        text,
        &analysis.item_statements,
    );
    let findings = printed.findings;
    if !findings.errors.is_empty() {
        return CompiledModule::failed(
            findings
                .errors
                .into_iter()
                .map(|(code, message, span)| {
                    Diagnostic::error(code, message).in_file(path, Some(span.into()))
                })
                .collect(),
        );
    }
    analysis.record.has_top_level_await = findings.top_level_await.is_some();
    analysis.spans.top_level_await = findings.top_level_await.map(Into::into);
    analysis.record.hashbang = hashbang;
    analysis.spans.namespace_members = findings
        .namespace_member_spans
        .into_iter()
        .map(|(key, span)| (key, span.into()))
        .collect();
    for (specifier, span) in findings.dynamic_imports {
        if !analysis.record.dynamic_requests.contains(&specifier) {
            analysis.record.dynamic_requests.push(specifier);
            analysis.spans.dynamic_requests.push(span.into());
        }
    }
    let items = analysis
        .items
        .into_iter()
        .zip(printed.items)
        .map(|(mut item, printed)| {
            let uses = printed.uses;
            item.code = printed.code;
            item.facts.references = uses.references.into_iter().collect();
            item.facts.namespace_members = uses.namespace_members.into_iter().collect();
            item.facts.dynamic_imports = uses.dynamic_imports;
            item.facts.class_names = uses.class_declarations;
            item.facts.class_names.extend(uses.anonymous_classes);
            item
        })
        .collect();
    CompiledModule {
        record: analysis.record,
        spans: analysis.spans,
        items,
        diagnostics: Vec::new(),
    }
}

impl CompiledModule {
    fn failed(diagnostics: Vec<Diagnostic>) -> Self {
        CompiledModule {
            record: ModuleRecord::default(),
            spans: ModuleSpans::default(),
            items: Vec::new(),
            diagnostics,
        }
    }
}

fn oxc_error_to_diagnostic(path: &Path, error: &oxc_diagnostics::OxcDiagnostic) -> Diagnostic {
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

/// The record and the per-item facts that come from reading the AST (before it is
/// rewritten for printing).
struct Analysis {
    record: ModuleRecord,
    spans: ModuleSpans,
    /// Indices into `program.body` of the statements that are items, in order.
    item_statements: Vec<usize>,
    items: Vec<CompiledItem>,
}

/// Collects the module record and its spans, entry by entry.
#[derive(Default)]
struct RecordBuilder {
    record: ModuleRecord,
    spans: ModuleSpans,
    request_index: FxHashMap<Name, u32>,
}

impl RecordBuilder {
    /// The index of `specifier` among the requests, added on first sight.
    fn request(&mut self, source: &StringLiteral<'_>) -> u32 {
        let specifier = Name::from(source.value.as_str());
        if let Some(&index) = self.request_index.get(&specifier) {
            return index;
        }
        let index = self.record.requests.len() as u32;
        self.record.requests.push(specifier.clone());
        self.spans.requests.push(source.span.into());
        self.request_index.insert(specifier, index);
        index
    }

    fn import(&mut self, local: &str, request: u32, imported: ImportedName, span: Span) {
        self.record.imports.push(ImportBinding {
            local: Name::from(local),
            request,
            imported,
        });
        self.spans.imports.push(span.into());
    }

    fn export(&mut self, exported: &str, target: ExportTarget, span: Span) {
        self.record.exports.push(ExportEntry {
            exported: Name::from(exported),
            target,
        });
        self.spans.exports.push(span.into());
    }

    /// Records an `import`, `export ... from` or `export { ... }` statement: the kinds that
    /// are not items. Returns false for any other statement.
    fn module_declaration(&mut self, statement: &Statement<'_>) -> bool {
        match statement {
            Statement::ImportDeclaration(import) => {
                if import.import_kind.is_type() {
                    return true;
                }
                let request = self.request(&import.source);
                for specifier in import.specifiers.iter().flatten() {
                    match specifier {
                        ImportDeclarationSpecifier::ImportSpecifier(specifier) => {
                            if !specifier.import_kind.is_type() {
                                let imported = Name::from(specifier.imported.name().as_str());
                                let span = specifier.imported.span();
                                self.import(
                                    &specifier.local.name,
                                    request,
                                    ImportedName::Named(imported),
                                    span,
                                );
                            }
                        }
                        ImportDeclarationSpecifier::ImportDefaultSpecifier(specifier) => {
                            let imported = ImportedName::Named(Name::from("default"));
                            self.import(&specifier.local.name, request, imported, specifier.span);
                        }
                        ImportDeclarationSpecifier::ImportNamespaceSpecifier(specifier) => {
                            let imported = ImportedName::Namespace;
                            self.import(&specifier.local.name, request, imported, specifier.span);
                        }
                    }
                }
            }
            Statement::ExportFromDeclaration(export) => {
                if export.export_kind.is_type() {
                    return true;
                }
                let request = self.request(&export.source);
                for specifier in export
                    .specifiers
                    .iter()
                    .filter(|s| !s.export_kind.is_type())
                {
                    let imported = ImportedName::Named(Name::from(specifier.local.name().as_str()));
                    let target = ExportTarget::ReExport { request, imported };
                    self.export(&specifier.exported.name(), target, specifier.local.span());
                }
            }
            Statement::ExportAllDeclaration(export) => {
                if export.export_kind.is_type() {
                    return true;
                }
                let request = self.request(&export.source);
                match &export.exported {
                    Some(exported) => {
                        let imported = ImportedName::Namespace;
                        let target = ExportTarget::ReExport { request, imported };
                        self.export(&exported.name(), target, exported.span());
                    }
                    None => self.record.star_exports.push(request),
                }
            }
            Statement::ExportNamedDeclaration(export) => {
                if export.export_kind.is_type() {
                    return true;
                }
                for specifier in export
                    .specifiers
                    .iter()
                    .filter(|s| !s.export_kind.is_type())
                {
                    let target = ExportTarget::Local(Name::from(specifier.local.name().as_str()));
                    self.export(&specifier.exported.name(), target, specifier.local.span());
                }
            }
            _ => return false,
        }
        true
    }

    /// `export default ...`: the local binding it exports (a synthetic one for an expression
    /// or an anonymous function or class), and whether evaluating it may have side effects.
    fn default_export(
        &mut self,
        export: &oxc::ast::ast::ExportDefaultDeclaration<'_>,
        side_effects: &SideEffectContext<'_>,
    ) -> Option<(Name, bool)> {
        let (name, kind, has_side_effects) = match &export.declaration {
            ExportDefaultDeclarationKind::FunctionDeclaration(function) => {
                (function.name(), SymbolKind::Function, false)
            }
            ExportDefaultDeclarationKind::ClassDeclaration(class) => (
                class.name(),
                SymbolKind::Class,
                class.may_have_side_effects(side_effects),
            ),
            ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => return None,
            expression => (
                None,
                SymbolKind::DefaultExpression,
                expression
                    .to_expression()
                    .may_have_side_effects(side_effects),
            ),
        };
        let local = match name {
            Some(name) => Name::from(name.as_str()),
            None => {
                self.record.symbols.push(TopLevelSymbol {
                    name: Name::from(DEFAULT_LOCAL),
                    kind,
                    reassigned: false,
                });
                Name::from(DEFAULT_LOCAL)
            }
        };
        let keyword = Span::new(
            export.span.start,
            export.span.start + "export default".len() as u32,
        );
        self.export("default", ExportTarget::Local(local.clone()), keyword);
        Some((local, has_side_effects))
    }
}

fn analyze_module(program: &Program<'_>, scoping: &Scoping) -> Analysis {
    let mut builder = RecordBuilder::default();
    let mut item_statements = Vec::new();
    let mut items = Vec::new();
    let side_effects = SideEffectContext { scoping };

    for (index, statement) in program.body.iter().enumerate() {
        if builder.module_declaration(statement) {
            continue;
        }
        let (kind, name, has_side_effects) = match statement {
            Statement::ExportDeclaration(export) => {
                let declaration = &export.declaration;
                declaration.bound_names(&mut |ident| {
                    let target = ExportTarget::Local(Name::from(ident.name.as_str()));
                    builder.export(&ident.name, target, ident.span);
                });
                let (kind, name) = declaration_key(declaration);
                (kind, name, declaration.may_have_side_effects(&side_effects))
            }
            Statement::ExportDefaultDeclaration(export) => {
                let Some((local, has_side_effects)) = builder.default_export(export, &side_effects)
                else {
                    continue;
                };
                let name = if local == DEFAULT_LOCAL {
                    Name::from("")
                } else {
                    local
                };
                (ItemKind::DefaultExport, name, has_side_effects)
            }
            Statement::TSTypeAliasDeclaration(_) | Statement::TSInterfaceDeclaration(_) => continue,
            Statement::FunctionDeclaration(_)
            | Statement::ClassDeclaration(_)
            | Statement::VariableDeclaration(_) => {
                let declaration = statement.as_declaration().expect("a declaration statement");
                let (kind, name) = declaration_key(declaration);
                (kind, name, declaration.may_have_side_effects(&side_effects))
            }
            other => (
                ItemKind::Statement,
                Name::from(""),
                other.may_have_side_effects(&side_effects),
            ),
        };
        item_statements.push(index);
        items.push(CompiledItem {
            kind,
            name,
            code: ObjectCode::default(),
            facts: ItemFacts {
                has_side_effects,
                ..ItemFacts::default()
            },
            range: statement.span().into(),
        });
    }

    let RecordBuilder {
        mut record, spans, ..
    } = builder;
    collect_symbols(program, scoping, &mut record, &mut items, &item_statements);
    Analysis {
        record,
        spans,
        item_statements,
        items,
    }
}

fn declaration_key(declaration: &Declaration<'_>) -> (ItemKind, Name) {
    match declaration {
        Declaration::FunctionDeclaration(function) => (
            ItemKind::Function,
            Name::from(function.name().map_or("", |name| name.as_str())),
        ),
        Declaration::ClassDeclaration(class) => (
            ItemKind::Class,
            Name::from(class.name().map_or("", |name| name.as_str())),
        ),
        other => {
            let mut first = None;
            other.bound_names(&mut |ident| {
                first.get_or_insert_with(|| Name::from(ident.name.as_str()));
            });
            (ItemKind::Variable, first.unwrap_or_else(|| Name::from("")))
        }
    }
}

/// Fills in the top-level symbols, which items declare them, and the names that matter
/// for deconflicting (nested bindings and globals).
fn collect_symbols(
    program: &Program<'_>,
    scoping: &Scoping,
    record: &mut ModuleRecord,
    items: &mut [CompiledItem],
    item_statements: &[usize],
) {
    let root = scoping.root_scope_id();
    let statement_spans: Vec<Span> = item_statements
        .iter()
        .map(|&index| program.body[index].span())
        .collect();
    let item_at = |offset: u32| -> Option<usize> {
        let position = statement_spans.partition_point(|span| span.end <= offset);
        statement_spans
            .get(position)
            .filter(|span| span.start <= offset)
            .map(|_| position)
    };

    let mut root_symbols: Vec<_> = scoping.get_bindings(root).values().copied().collect();
    root_symbols.sort_unstable();
    let mut declared_symbols = Vec::new();
    for symbol_id in root_symbols {
        let flags = scoping.symbol_flags(symbol_id);
        if flags.is_import() || flags.is_type() && !flags.is_value() {
            continue;
        }
        let name = Name::from(scoping.symbol_name(symbol_id));
        let kind = if flags.is_function() {
            SymbolKind::Function
        } else if flags.is_class() {
            SymbolKind::Class
        } else if flags.is_const_variable() {
            SymbolKind::Const
        } else if flags.contains(oxc::syntax::symbol::SymbolFlags::BlockScopedVariable) {
            SymbolKind::Let
        } else {
            SymbolKind::Var
        };
        let mut declaration_offsets = vec![scoping.symbol_span(symbol_id).start];
        declaration_offsets.extend(
            scoping
                .symbol_redeclarations(symbol_id)
                .iter()
                .map(|redeclaration| redeclaration.span.start),
        );
        for offset in declaration_offsets {
            if let Some(item) = item_at(offset) {
                let declares = &mut items[item].facts.declares;
                if !declares.contains(&name) {
                    declares.push(name.clone());
                }
            }
        }
        declared_symbols.push(TopLevelSymbol {
            name,
            kind,
            reassigned: scoping.symbol_is_mutated(symbol_id),
        });
    }
    // The synthetic default symbol was pushed while reading the statements; the real ones
    // follow in declaration order.
    record.symbols.extend(declared_symbols);
    for item in items.iter_mut() {
        if item.kind == ItemKind::DefaultExport && item.name.is_empty() {
            item.facts.declares.push(Name::from(DEFAULT_LOCAL));
        }
    }

    let mut nested_names: Vec<Name> = scoping
        .iter_bindings()
        .filter(|(scope_id, _)| *scope_id != root)
        .flat_map(|(_, bindings)| bindings.keys().map(|name| Name::from(name.as_str())))
        .collect();
    nested_names.sort_unstable();
    nested_names.dedup();
    record.nested_names = nested_names;

    let mut global_names: Vec<Name> = scoping
        .root_unresolved_references()
        .keys()
        .map(|name| Name::from(name.as_str()))
        .collect();
    global_names.sort_unstable();
    record.global_names = global_names;
}
