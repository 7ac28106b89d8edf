//! Reading a parsed module into its record and item facts, before the AST is rewritten for
//! printing: which statements are items, what each declares and whether it may have side
//! effects, the imports and exports, and the names that matter for deconflicting.

use oxc::{
    ast::ast::{
        BindingIdentifier, BindingPattern, Declaration, ExportDefaultDeclarationKind, Expression,
        ImportDeclarationSpecifier, Program, Statement, StringLiteral, VariableDeclarationKind,
    },
    ast_visit::Visit,
    semantic::Scoping,
    span::{GetSpan, Span},
    syntax::{scope::ScopeId, symbol::SymbolId},
};
use oxc_ecmascript::BoundNames;
use rustc_hash::FxHashMap;

use super::{
    compile::CompiledItem,
    record::*,
    side_effects::{SideEffectContext, may_have_side_effects},
};

/// The record and the per-item facts that come from reading the AST (before it is
/// rewritten for printing).
pub(super) struct Analysis {
    pub record: ModuleRecord,
    pub scope_names: ScopeNames,
    pub spans: ModuleSpans,
    /// Indices into `program.body` of the statements that are items, in order.
    pub item_statements: Vec<usize>,
    pub items: Vec<CompiledItem>,
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
    /// `None` when the statement is not an item: a type, or a binding the module declares
    /// that is exported as it is (see [`aliased_binding`]).
    fn default_export(
        &mut self,
        export: &oxc::ast::ast::ExportDefaultDeclaration<'_>,
        side_effects: &SideEffectContext<'_>,
    ) -> Option<(Name, bool)> {
        let keyword = Span::new(
            export.span.start,
            export.span.start + "export default".len() as u32,
        );
        if let Some(expression) = export.declaration.as_expression()
            && let Some(local) = aliased_binding(expression, export.span, side_effects.scoping)
        {
            self.export("default", ExportTarget::Local(local), keyword);
            return None;
        }
        let (name, kind, has_side_effects) = match &export.declaration {
            ExportDefaultDeclarationKind::FunctionDeclaration(function) => {
                (function.name(), SymbolKind::Function, false)
            }
            ExportDefaultDeclarationKind::ClassDeclaration(class) => (
                class.name(),
                SymbolKind::Class,
                may_have_side_effects(&**class, side_effects),
            ),
            ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => return None,
            expression => (
                None,
                SymbolKind::DefaultExpression,
                may_have_side_effects(expression.to_expression(), side_effects),
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
        self.export("default", ExportTarget::Local(local.clone()), keyword);
        Some((local, has_side_effects))
    }
}

/// The binding `export default <expression>` exports as it is, without a `*default*` of its
/// own holding its value (`var x_default = x;`): `expression` names a top-level binding of
/// the module that holds that value whenever it can be read. That is one declared once,
/// that nothing assigns to (and no direct `eval` could), and that is a function
/// declaration (hoisted) or is declared by an earlier statement, so it is initialized by
/// the time the export runs. Imports are left alone: their binding is another module's,
/// which may change. Rollup exports such a binding the same way.
fn aliased_binding(expression: &Expression<'_>, export: Span, scoping: &Scoping) -> Option<Name> {
    let Expression::Identifier(reference) = expression.without_parentheses() else {
        return None;
    };
    if scoping.root_scope_flags().contains_direct_eval() {
        return None;
    }
    let symbol = scoping
        .get_reference(reference.reference_id.get()?)
        .symbol_id()?;
    let flags = scoping.symbol_flags(symbol);
    let settled = scoping.symbol_scope_id(symbol) == scoping.root_scope_id()
        && !flags.is_import()
        && scoping.symbol_redeclarations(symbol).is_empty()
        && (flags.is_function() || scoping.symbol_span(symbol).end <= export.start)
        && !is_assigned(scoping, symbol);
    settled.then(|| Name::from(scoping.symbol_name(symbol)))
}

/// The initializer of `statement` if it is a top-level `let` or `const` that declares one
/// binding nothing assigns: the value the binding holds whenever it can be read (not a
/// `var`, which is hoisted and reads as `undefined` before its statement runs).
pub(super) fn settled_initializer<'s, 'a>(
    statement: &'s Statement<'a>,
    scoping: &Scoping,
) -> Option<&'s Expression<'a>> {
    match sole_initializer(statement, scoping)? {
        (VariableDeclarationKind::Var, _) => None,
        (_, initializer) => Some(initializer),
    }
}

/// The kind and initializer of `statement` if it is a top-level declaration of one binding
/// that nothing assigns (nor declares again, as a second `var` would).
pub(super) fn sole_initializer<'s, 'a>(
    statement: &'s Statement<'a>,
    scoping: &Scoping,
) -> Option<(VariableDeclarationKind, &'s Expression<'a>)> {
    let Statement::VariableDeclaration(declaration) = statement else {
        return None;
    };
    declaration_initializer(declaration, scoping)
}

/// [`sole_initializer`] of a declaration (which may be exported).
pub(super) fn declaration_initializer<'s, 'a>(
    declaration: &'s oxc::ast::ast::VariableDeclaration<'a>,
    scoping: &Scoping,
) -> Option<(VariableDeclarationKind, &'s Expression<'a>)> {
    if declaration.declare {
        return None;
    }
    let [declarator] = declaration.declarations.as_slice() else {
        return None;
    };
    let BindingPattern::BindingIdentifier(binding) = &declarator.id else {
        return None;
    };
    let symbol = binding.symbol_id();
    if is_assigned(scoping, symbol) || !scoping.symbol_redeclarations(symbol).is_empty() {
        return None;
    }
    Some((
        declaration.kind,
        declarator.init.as_ref()?.without_parentheses(),
    ))
}

/// Whether any code assigns to `symbol`, a constant too (oxc's `symbol_is_mutated` says no
/// for a constant, whose assignments throw).
pub(super) fn is_assigned(scoping: &Scoping, symbol: SymbolId) -> bool {
    scoping
        .get_resolved_references(symbol)
        .any(|reference| reference.is_write())
}

/// `lowered`: lowering made statements of its own, whose spans (empty) say nothing about
/// where they are.
pub(super) fn analyze_module(program: &Program<'_>, scoping: &Scoping, lowered: bool) -> Analysis {
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
                (
                    kind,
                    name,
                    may_have_side_effects(declaration, &side_effects),
                )
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
                (
                    kind,
                    name,
                    may_have_side_effects(declaration, &side_effects),
                )
            }
            other => (
                ItemKind::Statement,
                Name::from(""),
                may_have_side_effects(other, &side_effects),
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
    collect_symbols(
        program,
        scoping,
        &mut record,
        &mut items,
        &item_statements,
        lowered,
    );
    let scope_names = ScopeNames {
        nested: bound_names(scoping, |scope| scope != scoping.root_scope_id()),
        globals: global_names(scoping),
    };
    Analysis {
        record,
        scope_names,
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

/// Fills in the top-level symbols and which items declare them.
fn collect_symbols(
    program: &Program<'_>,
    scoping: &Scoping,
    record: &mut ModuleRecord,
    items: &mut [CompiledItem],
    item_statements: &[usize],
    lowered: bool,
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
    // After lowering, spans cannot place a declaration in its statement: the declarations
    // each statement makes are found by walking it instead.
    let mut declaring_items: FxHashMap<SymbolId, Vec<usize>> = FxHashMap::default();
    if lowered {
        for (item, &index) in item_statements.iter().enumerate() {
            let mut declarations = RootDeclarations {
                scoping,
                root,
                found: Vec::new(),
            };
            declarations.visit_statement(&program.body[index]);
            for symbol in declarations.found {
                declaring_items.entry(symbol).or_default().push(item);
            }
        }
    }

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
        let declaring: Vec<usize> = if lowered {
            declaring_items.remove(&symbol_id).unwrap_or_default()
        } else {
            std::iter::once(scoping.symbol_span(symbol_id).start)
                .chain(
                    scoping
                        .symbol_redeclarations(symbol_id)
                        .iter()
                        .map(|redeclaration| redeclaration.span.start),
                )
                .filter_map(item_at)
                .collect()
        };
        for item in declaring {
            let declares = &mut items[item].facts.declares;
            if !declares.contains(&name) {
                declares.push(name.clone());
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
}

/// The names bound in the scopes `include` accepts, sorted, each once.
pub(super) fn bound_names(scoping: &Scoping, include: impl Fn(ScopeId) -> bool) -> Vec<Name> {
    // The symbols' names, not the scopes' keys: the mangler renames symbols only.
    let mut names: Vec<Name> = scoping
        .iter_bindings()
        .filter(|(scope_id, _)| include(*scope_id))
        .flat_map(|(_, bindings)| {
            bindings
                .values()
                .map(|&symbol| Name::from(scoping.symbol_name(symbol)))
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The names the module reads as globals, sorted.
pub(super) fn global_names(scoping: &Scoping) -> Vec<Name> {
    let mut names: Vec<Name> = scoping
        .root_unresolved_references()
        .keys()
        .map(|name| Name::from(name.as_str()))
        .collect();
    names.sort_unstable();
    names
}

/// The top-level bindings a statement declares (a `var` nested in its blocks too).
struct RootDeclarations<'s> {
    scoping: &'s Scoping,
    root: ScopeId,
    found: Vec<SymbolId>,
}

impl<'a> Visit<'a> for RootDeclarations<'_> {
    fn visit_binding_identifier(&mut self, identifier: &BindingIdentifier<'a>) {
        if let Some(symbol) = identifier.symbol_id.get()
            && self.scoping.symbol_scope_id(symbol) == self.root
        {
            self.found.push(symbol);
        }
    }
}
