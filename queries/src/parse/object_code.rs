//! Object code: every item printed by oxc's codegen with holes (relocations) wherever the
//! linker must put a final name.
//!
//! Each top-level and import binding is renamed in the scoping tables to a marker identifier
//! before printing, so the printer itself handles every syntactic position (shorthand
//! properties, destructuring, exports of classes...). A few expressions are replaced by marker
//! identifiers too: static reads of namespace members, `import('...')`, `import.meta`. The
//! whole module is printed once, with a separator statement before each item; the printed
//! text is then cut at the separators and the markers are taken out into relocation lists.
//!
//! A marker is a prefix that occurs nowhere in the module (checked against the source text
//! and every string the printer could reproduce decoded), a number, and `_`.

use std::collections::BTreeSet;

use oxc::{
    allocator::{Allocator, GetAllocator, Vec as ArenaVec},
    ast::{
        ast::{
            BindingIdentifier, BindingPattern, ComputedMemberExpression,
            ExportDefaultDeclarationKind, Expression, Program, Statement, UnaryOperator,
            VariableDeclarationKind, VariableDeclarator,
        },
        builder::AstBuilder,
    },
    ast_visit::{VisitMut, walk_mut},
    codegen::{Codegen, CodegenOptions, CommentOptions, LegalComment},
    semantic::Scoping,
    span::{GetSpan, SPAN, Span},
    syntax::{number::NumberBase, scope::ScopeFlags, symbol::SymbolId},
};
use oxc_ecmascript::BoundNames;
use rustc_hash::{FxHashMap, FxHashSet};

use super::record::{DEFAULT_LOCAL, Name, ObjectCode, Reloc, RelocTarget};

pub struct PrintedItem {
    pub code: ObjectCode,
    pub uses: ItemUses,
}

/// What the rewriter saw one item use.
#[derive(Default)]
pub struct ItemUses {
    pub references: BTreeSet<Name>,
    pub namespace_members: BTreeSet<(Name, Name)>,
    pub dynamic_imports: Vec<Name>,
    pub class_declarations: Vec<Name>,
    pub anonymous_classes: Vec<Name>,
}

/// What the rewriter found about the module as a whole.
#[derive(Default)]
pub struct ModuleFindings {
    /// The first `await` outside any function.
    pub top_level_await: Option<Span>,
    /// Every `import('...')` with a string argument, in order, with the argument's span.
    pub dynamic_imports: Vec<(Name, Span)>,
    /// Where each namespace member read first appears.
    pub namespace_member_spans: Vec<((Name, Name), Span)>,
    /// Errors the parser and scope analysis do not report: `(code, message, span)`.
    pub errors: Vec<(&'static str, String, Span)>,
    /// Catch parameters that must print like a top-level `var` (see `visit_catch_clause`).
    catch_parameter_aliases: Vec<(SymbolId, String)>,
}

pub struct PrintedModule {
    pub items: Vec<PrintedItem>,
    pub findings: ModuleFindings,
}

/// Marker prefixes, tried in order until one is absent from the module.
fn marker_prefix(attempt: usize) -> String {
    format!("$\u{1438}{}", "v".repeat(attempt))
}

/// Prints the statements `item_statements` of `program` (indices into its body) as object
/// code. Consumes the scoping tables, whose top-level names it overwrites with markers.
pub fn print_items<'a>(
    allocator: &'a Allocator,
    program: &mut Program<'a>,
    mut scoping: Scoping,
    source_text: &str,
    item_statements: &[usize],
) -> PrintedModule {
    let root = scoping.root_scope_id();
    let mut root_symbols: Vec<SymbolId> = scoping.get_bindings(root).values().copied().collect();
    root_symbols.sort_unstable();

    // The prefix must not occur in the source, nor in any string the printer reproduces.
    let strings = collect_printed_strings(program);
    let prefix = (0..)
        .map(marker_prefix)
        .find(|prefix| !source_text.contains(prefix.as_str()) && !strings.contains(prefix.as_str()))
        .expect("some marker prefix is unused");

    let mut markers = Markers {
        prefix,
        targets: Vec::new(),
        index: FxHashMap::default(),
    };
    let namespace_locals = namespace_import_locals(program);
    let mut root_names = FxHashMap::default();
    let mut namespace_imports = FxHashSet::default();
    let mut imports = FxHashSet::default();
    for &symbol_id in &root_symbols {
        let name = Name::from(scoping.symbol_name(symbol_id));
        let marker = markers.marker(RelocTarget::Symbol(name.clone()));
        if scoping.symbol_flags(symbol_id).is_import() {
            imports.insert(symbol_id);
            if namespace_locals.contains(name.as_str()) {
                namespace_imports.insert(symbol_id);
            }
        }
        root_names.insert(symbol_id, name);
        scoping.set_symbol_name(symbol_id, marker.as_str().into());
    }

    let separator_name = format!("{}_", markers.prefix);
    let builder = AstBuilder::new(allocator);
    let old_body = std::mem::replace(&mut program.body, ArenaVec::new_in(&builder));
    let mut new_body = ArenaVec::with_capacity_in(item_statements.len() * 2, &builder);
    let mut rewriter = Rewriter {
        builder: &builder,
        scoping: &scoping,
        root_names: &root_names,
        namespace_imports: &namespace_imports,
        imports: &imports,
        markers: &mut markers,
        this_depth: 0,
        function_depth: 0,
        class_being_declared: None,
        uses: ItemUses::default(),
        findings: ModuleFindings::default(),
    };
    let mut facts = Vec::with_capacity(item_statements.len());
    let mut next_item = item_statements.iter().peekable();
    for (index, statement) in old_body.into_iter().enumerate() {
        if next_item.peek() != Some(&&index) {
            continue;
        }
        next_item.next();
        let mut statement = rewriter.unwrap_export(statement);
        rewriter.name_top_level_classes(&mut statement);
        rewriter.visit_statement(&mut statement);
        rewriter.class_being_declared = None;
        facts.push(std::mem::take(&mut rewriter.uses));
        new_body.push(Statement::new_expression_statement(
            SPAN,
            Expression::new_identifier(SPAN, builder_ident(allocator, &separator_name), &builder),
            &builder,
        ));
        new_body.push(statement);
    }
    let mut findings = std::mem::take(&mut rewriter.findings);
    for (symbol_id, marker) in std::mem::take(&mut findings.catch_parameter_aliases) {
        scoping.set_symbol_name(symbol_id, marker.as_str().into());
    }
    program.body = new_body;
    program.directives.clear();
    program.hashbang = None;

    let options = CodegenOptions {
        comments: CommentOptions {
            normal: false,
            jsdoc: false,
            annotation: true,
            legal: LegalComment::None,
        },
        ..CodegenOptions::default()
    };
    let text = Codegen::new()
        .with_options(options)
        .with_scoping(Some(scoping))
        .build(program)
        .code;

    let chunks = split_at_separators(&text, &separator_name);
    debug_assert_eq!(chunks.len(), facts.len());
    let items = chunks
        .into_iter()
        .zip(facts)
        .map(|(chunk, uses)| PrintedItem {
            code: markers.extract(chunk),
            uses,
        })
        .collect();
    PrintedModule { items, findings }
}

fn builder_ident<'a>(allocator: &'a Allocator, text: &str) -> oxc::str::Ident<'a> {
    oxc::str::Ident::from(allocator.alloc_str(text))
}

/// The local names of `import * as local` bindings.
fn namespace_import_locals<'a>(program: &Program<'a>) -> FxHashSet<&'a str> {
    let mut locals = FxHashSet::default();
    for statement in &program.body {
        let Statement::ImportDeclaration(import) = statement else {
            continue;
        };
        for specifier in import.specifiers.iter().flatten() {
            if let oxc::ast::ast::ImportDeclarationSpecifier::ImportNamespaceSpecifier(namespace) =
                specifier
            {
                locals.insert(namespace.local.name.as_str());
            }
        }
    }
    locals
}

/// The text after each separator line, in order.
fn split_at_separators<'t>(text: &'t str, separator: &str) -> Vec<&'t str> {
    let mut chunks = Vec::new();
    let mut rest = match text.find(separator) {
        Some(position) => &text[position..],
        None => return chunks,
    };
    while let Some(stripped) = rest.strip_prefix(separator) {
        let body_start = stripped.find('\n').map_or(stripped.len(), |i| i + 1);
        let body = &stripped[body_start..];
        let end = body.find(separator).unwrap_or(body.len());
        chunks.push(&body[..end]);
        rest = &body[end..];
    }
    chunks
}

struct Markers {
    prefix: String,
    targets: Vec<RelocTarget>,
    index: FxHashMap<RelocTarget, usize>,
}

impl Markers {
    fn marker(&mut self, target: RelocTarget) -> String {
        let next = self.targets.len();
        let index = *self.index.entry(target.clone()).or_insert_with(|| {
            self.targets.push(target);
            next
        });
        format!("{}{index}_", self.prefix)
    }

    /// Takes the markers out of `chunk`, recording where each one was.
    fn extract(&self, chunk: &str) -> ObjectCode {
        let mut text = String::with_capacity(chunk.len());
        let mut relocs = Vec::new();
        let mut rest = chunk;
        while let Some(position) = rest.find(self.prefix.as_str()) {
            text.push_str(&rest[..position]);
            let after = &rest[position + self.prefix.len()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let index: usize = after[..digits]
                .parse()
                .expect("a marker is followed by its number");
            relocs.push(Reloc {
                offset: text.len() as u32,
                target: self.targets[index].clone(),
            });
            rest = &after[digits + 1..];
        }
        text.push_str(rest);
        ObjectCode { text, relocs }
    }
}

/// Every string value the printer could reproduce with its escapes decoded.
fn collect_printed_strings(program: &Program<'_>) -> String {
    use oxc::ast_visit::Visit;
    struct Strings(String);
    impl<'a> Visit<'a> for Strings {
        fn visit_string_literal(&mut self, it: &oxc::ast::ast::StringLiteral<'a>) {
            self.0.push_str(&it.value);
            self.0.push('\n');
        }
        fn visit_template_element(&mut self, it: &oxc::ast::ast::TemplateElement<'a>) {
            if let Some(cooked) = &it.value.cooked {
                self.0.push_str(cooked);
                self.0.push('\n');
            }
        }
    }
    let mut strings = Strings(String::new());
    strings.visit_program(program);
    strings.0
}

/// Rewrites one statement for printing and records which top-level names it uses.
struct Rewriter<'r, 'a> {
    builder: &'r AstBuilder<'a>,
    scoping: &'r Scoping,
    root_names: &'r FxHashMap<SymbolId, Name>,
    namespace_imports: &'r FxHashSet<SymbolId>,
    imports: &'r FxHashSet<SymbolId>,
    markers: &'r mut Markers,
    /// Depth of functions and class bodies, which bind their own `this`.
    this_depth: u32,
    /// Depth of all functions, arrows included (`await` outside them is top-level).
    function_depth: u32,
    /// The top-level class declaration being rewritten, if any.
    class_being_declared: Option<(SymbolId, Name)>,
    /// What the item being rewritten uses.
    uses: ItemUses,
    findings: ModuleFindings,
}

impl<'a> Rewriter<'_, 'a> {
    /// A renamed class would lose its `.name`. Top-level class declarations print their name
    /// through a `ClassDeclaration` relocation, and anonymous classes that initialize a
    /// top-level binding get an empty `ClassName` relocation, so that render can keep the
    /// original name when link renames the binding.
    fn name_top_level_classes(&mut self, statement: &mut Statement<'a>) {
        match statement {
            Statement::ClassDeclaration(class) => {
                // An anonymous default export already got its (synthetic) name.
                if let Some(id) = class.id.as_ref().filter(|id| id.symbol_id.get().is_some()) {
                    let name = Name::from(id.name.as_str());
                    self.class_being_declared =
                        id.symbol_id.get().map(|symbol| (symbol, name.clone()));
                    class.id =
                        Some(self.marker_binding(RelocTarget::ClassDeclaration(name.clone())));
                    self.uses.class_declarations.push(name);
                }
            }
            Statement::VariableDeclaration(declaration) => {
                for declarator in &mut declaration.declarations {
                    let (
                        BindingPattern::BindingIdentifier(id),
                        Some(Expression::ClassExpression(class)),
                    ) = (&declarator.id, &mut declarator.init)
                    else {
                        continue;
                    };
                    if class.id.is_none() {
                        let name = Name::from(id.name.as_str());
                        class.id = Some(self.marker_binding(RelocTarget::ClassName(name.clone())));
                        self.uses.anonymous_classes.push(name);
                    }
                }
            }
            _ => {}
        }
    }

    fn marker_expression(&mut self, target: RelocTarget) -> Expression<'a> {
        let name = self.markers.marker(target);
        Expression::new_identifier(
            SPAN,
            builder_ident(self.builder.allocator(), &name),
            self.builder,
        )
    }

    fn marker_binding(&mut self, target: RelocTarget) -> BindingIdentifier<'a> {
        let name = self.markers.marker(target);
        BindingIdentifier::new(
            SPAN,
            builder_ident(self.builder.allocator(), &name),
            self.builder,
        )
    }

    /// `export <declaration>` becomes the declaration; `export default <expression>` becomes
    /// `var <default marker> = <expression>;`; an anonymous default function or class gets the
    /// default marker as its name.
    fn unwrap_export(&mut self, statement: Statement<'a>) -> Statement<'a> {
        match statement {
            Statement::ExportDeclaration(export) => {
                let export = export.unbox();
                Statement::from(export.declaration)
            }
            Statement::ExportDefaultDeclaration(export) => {
                let export = export.unbox();
                match export.declaration {
                    ExportDefaultDeclarationKind::FunctionDeclaration(mut function) => {
                        if function.id.is_none() {
                            function.id = Some(
                                self.marker_binding(RelocTarget::Symbol(DEFAULT_LOCAL.into())),
                            );
                        }
                        Statement::FunctionDeclaration(function)
                    }
                    ExportDefaultDeclarationKind::ClassDeclaration(mut class) => {
                        if class.id.is_none() {
                            class.id = Some(
                                self.marker_binding(RelocTarget::Symbol(DEFAULT_LOCAL.into())),
                            );
                        }
                        Statement::ClassDeclaration(class)
                    }
                    ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => {
                        unreachable!("type declarations are not items")
                    }
                    expression => {
                        let expression = expression.into_expression();
                        let binding =
                            self.marker_binding(RelocTarget::Symbol(DEFAULT_LOCAL.into()));
                        let declarator = VariableDeclarator::new(
                            export.span,
                            BindingPattern::BindingIdentifier(oxc::allocator::Box::new_in(
                                binding,
                                self.builder,
                            )),
                            None,
                            Some(expression),
                            false,
                            self.builder,
                        );
                        Statement::new_variable_declaration(
                            export.span,
                            VariableDeclarationKind::Var,
                            ArenaVec::from_array_in([declarator], self.builder),
                            false,
                            self.builder,
                        )
                    }
                }
            }
            other => other,
        }
    }

    /// The namespace import `expression` names, if it is one.
    fn namespace_import(&self, expression: &Expression<'a>) -> Option<Name> {
        let Expression::Identifier(identifier) = expression else {
            return None;
        };
        let symbol_id = self
            .scoping
            .get_reference(identifier.reference_id.get()?)
            .symbol_id()?;
        self.namespace_imports
            .contains(&symbol_id)
            .then(|| self.root_names[&symbol_id].clone())
    }

    fn static_member_name(member: &ComputedMemberExpression<'a>) -> Option<Name> {
        match &member.expression {
            Expression::StringLiteral(literal) => Some(Name::from(literal.value.as_str())),
            _ => None,
        }
    }

    /// `namespace.member` → a relocation, when `expression` is such a read.
    fn rewrite_namespace_member(&mut self, expression: &mut Expression<'a>) -> bool {
        let found = match expression {
            Expression::StaticMemberExpression(member) => self
                .namespace_import(&member.object)
                .map(|namespace| (namespace, Name::from(member.property.name.as_str()))),
            Expression::ComputedMemberExpression(member) => self
                .namespace_import(&member.object)
                .and_then(|namespace| Some((namespace, Self::static_member_name(member)?))),
            _ => None,
        };
        let Some((namespace, member)) = found else {
            return false;
        };
        let key = (namespace.clone(), member.clone());
        if self.uses.namespace_members.insert(key.clone()) {
            self.findings
                .namespace_member_spans
                .push((key, expression.span()));
        }
        *expression = self.marker_expression(RelocTarget::NamespaceMember { namespace, member });
        true
    }
}

impl<'a> VisitMut<'a> for Rewriter<'_, 'a> {
    fn visit_expression(&mut self, expression: &mut Expression<'a>) {
        match expression {
            Expression::ThisExpression(_) if self.this_depth == 0 => {
                // Top-level `this` is `undefined` in a module.
                let zero = Expression::new_numeric_literal(
                    SPAN,
                    0.0,
                    None,
                    NumberBase::Decimal,
                    self.builder,
                );
                *expression =
                    Expression::new_unary_expression(SPAN, UnaryOperator::Void, zero, self.builder);
                return;
            }
            Expression::StaticMemberExpression(_) | Expression::ComputedMemberExpression(_) => {
                let rewritten = self.rewrite_namespace_member(expression);
                if rewritten {
                    return;
                }
            }
            Expression::ImportExpression(import) => {
                if let Expression::StringLiteral(source) = &import.source {
                    let specifier = Name::from(source.value.as_str());
                    self.findings
                        .dynamic_imports
                        .push((specifier.clone(), source.span));
                    if !self.uses.dynamic_imports.contains(&specifier) {
                        self.uses.dynamic_imports.push(specifier.clone());
                    }
                    *expression = self.marker_expression(RelocTarget::DynamicImport(specifier));
                    return;
                }
            }
            Expression::ImportMeta(_) => {
                *expression = self.marker_expression(RelocTarget::ImportMeta);
                return;
            }
            Expression::UnaryExpression(unary) if unary.operator == UnaryOperator::Delete => {
                // `delete namespace.member` must stay a property deletion (which throws).
                if let Expression::StaticMemberExpression(member) = &mut unary.argument {
                    self.visit_expression(&mut member.object);
                    return;
                }
                if let Expression::ComputedMemberExpression(member) = &mut unary.argument {
                    self.visit_expression(&mut member.object);
                    self.visit_expression(&mut member.expression);
                    return;
                }
            }
            _ => {}
        }
        walk_mut::walk_expression(self, expression);
    }

    fn visit_identifier_reference(
        &mut self,
        identifier: &mut oxc::ast::ast::IdentifierReference<'a>,
    ) {
        let Some(reference_id) = identifier.reference_id.get() else {
            return;
        };
        let reference = self.scoping.get_reference(reference_id);
        let Some(symbol_id) = reference.symbol_id() else {
            return;
        };
        if let Some(name) = self.root_names.get(&symbol_id) {
            self.uses.references.insert(name.clone());
            if let Some((class_symbol, class_name)) = &self.class_being_declared
                && *class_symbol == symbol_id
            {
                // Inside its body a class is named by its own (inner) binding, which stays
                // usable while the outer one is still uninitialized.
                let marker = self
                    .markers
                    .marker(RelocTarget::ClassSelfReference(class_name.clone()));
                identifier.name = builder_ident(self.builder.allocator(), &marker);
                identifier.reference_id.set(None);
            }
            if reference.is_write() && self.imports.contains(&symbol_id) {
                self.findings.errors.push((
                    "ILLEGAL_REASSIGNMENT",
                    format!("cannot assign to the import \"{name}\": imports are read-only"),
                    identifier.span,
                ));
            }
        }
    }

    /// Annex B lets `var e` inside `catch (e) { ... }` redeclare the parameter: the `var`
    /// hoists to the top level, but its initializer assigns the parameter. If the top-level
    /// `var` is renamed, the parameter must be renamed with it, or the initializer would
    /// assign the top-level binding instead. A lexical top-level binding of the same name
    /// is a redeclaration error.
    fn visit_catch_clause(&mut self, clause: &mut oxc::ast::ast::CatchClause<'a>) {
        if let Some(parameter) = &clause.param {
            let mut parameters = Vec::new();
            parameter.pattern.bound_names(&mut |id| {
                parameters.push((id.name.as_str(), id.symbol_id.get(), id.span))
            });
            let vars = var_names_in(&clause.body);
            for (name, parameter_symbol, span) in parameters {
                if !vars.contains(name) {
                    continue;
                }
                let Some(root_symbol) = self.scoping.get_root_binding(name.into()) else {
                    continue;
                };
                let flags = self.scoping.symbol_flags(root_symbol);
                if flags.is_block_scoped() || flags.is_import() {
                    self.findings.errors.push((
                        "REDECLARATION_ERROR",
                        format!("Identifier \"{name}\" has already been declared"),
                        span,
                    ));
                } else if let (Some(parameter_symbol), Some(root_name)) =
                    (parameter_symbol, self.root_names.get(&root_symbol))
                {
                    let marker = self.markers.marker(RelocTarget::Symbol(root_name.clone()));
                    self.findings
                        .catch_parameter_aliases
                        .push((parameter_symbol, marker));
                }
            }
        }
        walk_mut::walk_catch_clause(self, clause);
    }

    fn visit_function(&mut self, function: &mut oxc::ast::ast::Function<'a>, flags: ScopeFlags) {
        self.this_depth += 1;
        self.function_depth += 1;
        walk_mut::walk_function(self, function, flags);
        self.this_depth -= 1;
        self.function_depth -= 1;
    }

    fn visit_arrow_function_expression(
        &mut self,
        arrow: &mut oxc::ast::ast::ArrowFunctionExpression<'a>,
    ) {
        self.function_depth += 1;
        walk_mut::walk_arrow_function_expression(self, arrow);
        self.function_depth -= 1;
    }

    fn visit_class_body(&mut self, body: &mut oxc::ast::ast::ClassBody<'a>) {
        self.this_depth += 1;
        self.function_depth += 1;
        walk_mut::walk_class_body(self, body);
        self.this_depth -= 1;
        self.function_depth -= 1;
    }

    fn visit_await_expression(
        &mut self,
        await_expression: &mut oxc::ast::ast::AwaitExpression<'a>,
    ) {
        if self.function_depth == 0 {
            self.findings
                .top_level_await
                .get_or_insert(await_expression.span);
        }
        walk_mut::walk_await_expression(self, await_expression);
    }

    fn visit_for_of_statement(&mut self, statement: &mut oxc::ast::ast::ForOfStatement<'a>) {
        if statement.r#await && self.function_depth == 0 {
            self.findings.top_level_await.get_or_insert(statement.span);
        }
        walk_mut::walk_for_of_statement(self, statement);
    }
}

/// Names declared with `var` in `block`, outside nested functions.
fn var_names_in<'a>(block: &oxc::ast::ast::BlockStatement<'a>) -> FxHashSet<&'a str> {
    use oxc::ast_visit::{Visit, walk};
    struct Vars<'a>(FxHashSet<&'a str>);
    impl<'a> Visit<'a> for Vars<'a> {
        fn visit_variable_declaration(
            &mut self,
            declaration: &oxc::ast::ast::VariableDeclaration<'a>,
        ) {
            if declaration.kind == VariableDeclarationKind::Var {
                declaration.bound_names(&mut |id| {
                    self.0.insert(id.name.as_str());
                });
            }
            walk::walk_variable_declaration(self, declaration);
        }
        fn visit_function(&mut self, _: &oxc::ast::ast::Function<'a>, _: ScopeFlags) {}
        fn visit_arrow_function_expression(
            &mut self,
            _: &oxc::ast::ast::ArrowFunctionExpression<'a>,
        ) {
        }
    }
    let mut vars = Vars(FxHashSet::default());
    vars.visit_block_statement(block);
    vars.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_cut_the_printed_module_into_items() {
        let text = "\"use strict\";\n$S_;\nlet a = 1;\n$S_;\nfunction f() {}\n";
        assert_eq!(
            split_at_separators(text, "$S_"),
            vec!["let a = 1;\n", "function f() {}\n"]
        );
        assert!(split_at_separators("no items\n", "$S_").is_empty());
    }

    #[test]
    fn markers_become_relocations_at_the_right_offsets() {
        let mut markers = Markers {
            prefix: "$P".to_owned(),
            targets: Vec::new(),
            index: FxHashMap::default(),
        };
        let a = markers.marker(RelocTarget::Symbol("a".into()));
        let meta = markers.marker(RelocTarget::ImportMeta);
        assert_eq!(markers.marker(RelocTarget::Symbol("a".into())), a);
        let code = markers.extract(&format!("{a} = {meta}.url + {a};\n"));
        assert_eq!(code.text, " = .url + ;\n");
        assert_eq!(
            code.relocs,
            vec![
                Reloc {
                    offset: 0,
                    target: RelocTarget::Symbol("a".into())
                },
                Reloc {
                    offset: 3,
                    target: RelocTarget::ImportMeta
                },
                Reloc {
                    offset: 10,
                    target: RelocTarget::Symbol("a".into())
                },
            ]
        );
    }
}
