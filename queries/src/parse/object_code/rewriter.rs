//! The rewriter: one pass over each item before it is printed. It replaces the expressions
//! link must fill in (static reads of namespace members, `import('...')`, `import.meta`,
//! top-level `this`) with markers, gives top-level classes the relocations that keep their
//! `.name`, and records what each item uses and what the module as a whole contains
//! (top-level `await`, direct `eval`, errors the parser does not report).

use std::collections::BTreeSet;

use oxc::{
    allocator::GetAllocator,
    ast::{
        ast::{
            BindingIdentifier, BindingPattern, CallExpression, ComputedMemberExpression,
            Expression, Statement, TaggedTemplateExpression, UnaryOperator,
        },
        builder::AstBuilder,
    },
    ast_visit::{VisitMut, walk_mut},
    semantic::Scoping,
    span::{GetSpan, SPAN, Span},
    syntax::{number::NumberBase, scope::ScopeFlags, symbol::SymbolId},
};
use rustc_hash::{FxHashMap, FxHashSet};

use super::{
    checks::{self, CatchParameter, CheckError},
    relocations::Markers,
};
use crate::parse::{
    commonjs,
    record::{Name, RelocTarget},
};

/// What the rewriter saw one item use.
#[derive(Default)]
pub struct ItemUses {
    pub references: BTreeSet<Name>,
    /// Of `references`, those referred to more than once, with how often, less one.
    pub repetitions: FxHashMap<Name, u32>,
    pub namespace_members: BTreeSet<(Name, Name)>,
    /// Of `namespace_members`, those read more than once.
    pub repeated_namespace_members: BTreeSet<(Name, Name)>,
    pub called_members: BTreeSet<(Name, Name)>,
    pub dynamic_imports: Vec<Name>,
    pub requires: Vec<Name>,
    pub class_declarations: Vec<Name>,
    pub anonymous_classes: Vec<Name>,
}

/// What the rewriter found about the module as a whole.
#[derive(Default)]
pub struct ModuleFindings {
    /// The first `await` outside any function.
    pub top_level_await: Option<Span>,
    /// The first direct `eval(...)`: it can see every binding in scope, so link must keep
    /// the module's top-level names as they are.
    pub direct_eval: Option<Span>,
    /// Every `import('...')` with a string argument, in order, with the argument's span.
    pub dynamic_imports: Vec<(Name, Span)>,
    /// Where each namespace member read first appears.
    pub namespace_member_spans: Vec<((Name, Name), Span)>,
    /// Errors the parser and scope analysis do not report.
    pub errors: Vec<CheckError>,
    /// `require(...)` calls whose specifier is not a string literal: left to run time.
    pub require_expressions: Vec<Span>,
    /// In a CommonJS module, the first syntax only sloppy mode allows (what it is, where):
    /// the bundle is strict mode code, which would not parse or would mean something else.
    pub sloppy_syntax: Option<(&'static str, Span)>,
    /// The default export is an anonymous function declaration.
    pub anonymous_default_function: bool,
    /// Catch parameters that must print like a top-level `var` (see
    /// [`checks::redeclared_catch_parameters`]), with the marker they print as.
    pub catch_parameter_aliases: Vec<(SymbolId, String)>,
}

/// Rewrites one statement for printing and records which top-level names it uses.
pub struct Rewriter<'r, 'a> {
    pub builder: &'r AstBuilder<'a>,
    pub scoping: &'r Scoping,
    /// The original name of every top-level and import binding.
    pub root_names: &'r FxHashMap<SymbolId, Name>,
    pub namespace_imports: &'r FxHashSet<SymbolId>,
    pub imports: &'r FxHashSet<SymbolId>,
    /// Static member reads of the other imports are relocations too, as namespace members
    /// are (`--minify-syntax`: link may read an imported object's member in place, see
    /// `parse::static_objects`); the called ones are noted, as a call passes the object as
    /// `this`.
    pub member_reads_of_imports: bool,
    pub markers: &'r mut Markers,
    /// The module is CommonJS: top-level `this` is `exports`, and `require('...')` calls
    /// are relocations.
    pub commonjs: bool,
    /// Depth of functions and class bodies, which bind their own `this`.
    pub this_depth: u32,
    /// Depth of all functions, arrows included (`await` outside them is top-level).
    pub function_depth: u32,
    /// The top-level class declaration being rewritten, if any.
    pub class_being_declared: Option<(SymbolId, Name)>,
    /// What the item being rewritten uses.
    pub uses: ItemUses,
    pub findings: ModuleFindings,
}

impl<'a> Rewriter<'_, 'a> {
    /// A renamed class would lose its `.name`. Top-level class declarations print their name
    /// through a `ClassDeclaration` relocation, and anonymous classes that initialize a
    /// top-level binding get an empty `ClassName` relocation, so that render can keep the
    /// original name when link renames the binding.
    pub fn name_top_level_classes(&mut self, statement: &mut Statement<'a>) {
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

    fn ident(&self, text: &str) -> oxc::str::Ident<'a> {
        oxc::str::Ident::from(self.builder.allocator().alloc_str(text))
    }

    fn marker_expression(&mut self, target: RelocTarget) -> Expression<'a> {
        let name = self.markers.marker(target);
        Expression::new_identifier(SPAN, self.ident(&name), self.builder)
    }

    fn marker_binding(&mut self, target: RelocTarget) -> BindingIdentifier<'a> {
        let name = self.markers.marker(target);
        BindingIdentifier::new(SPAN, self.ident(&name), self.builder)
    }

    /// The import `expression` names, if its static member reads are relocations: a
    /// namespace import, or with `member_reads_of_imports` any import.
    fn read_through(&self, expression: &Expression<'a>) -> Option<Name> {
        let Expression::Identifier(identifier) = expression else {
            return None;
        };
        let symbol_id = self
            .scoping
            .get_reference(identifier.reference_id.get()?)
            .symbol_id()?;
        (self.namespace_imports.contains(&symbol_id)
            || (self.member_reads_of_imports && self.imports.contains(&symbol_id)))
        .then(|| self.root_names[&symbol_id].clone())
    }

    /// Records `callee` as a called member if it reads a member of an import that is not a
    /// namespace: called, the member gets the import's value as `this`, so link reads it in
    /// place only if it never reads `this`.
    fn note_called_member(&mut self, callee: &Expression<'a>) {
        let (object, member) = match callee.without_parentheses() {
            Expression::StaticMemberExpression(member) => {
                (&member.object, Name::from(member.property.name.as_str()))
            }
            Expression::ComputedMemberExpression(member) => {
                match Self::static_member_name(member) {
                    Some(name) => (&member.object, name),
                    None => return,
                }
            }
            _ => return,
        };
        let Expression::Identifier(identifier) = object else {
            return;
        };
        let symbol = identifier
            .reference_id
            .get()
            .and_then(|reference| self.scoping.get_reference(reference).symbol_id());
        if let Some(symbol) = symbol
            && self.member_reads_of_imports
            && self.imports.contains(&symbol)
            && !self.namespace_imports.contains(&symbol)
        {
            let import = self.root_names[&symbol].clone();
            self.uses.called_members.insert((import, member));
        }
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
                .read_through(&member.object)
                .map(|namespace| (namespace, Name::from(member.property.name.as_str()))),
            Expression::ComputedMemberExpression(member) => self
                .read_through(&member.object)
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
        } else {
            self.uses.repeated_namespace_members.insert(key);
        }
        // At the object's place: the map then names the object (codegen names a segment
        // after the source text its span covers).
        let span = match expression {
            Expression::StaticMemberExpression(member) => member.object.span(),
            Expression::ComputedMemberExpression(member) => member.object.span(),
            _ => expression.span(),
        };
        let marker = self
            .markers
            .marker(RelocTarget::NamespaceMember { namespace, member });
        *expression = Expression::new_identifier(span, self.ident(&marker), self.builder);
        true
    }
}

impl Rewriter<'_, '_> {
    fn sloppy(&mut self, what: &'static str, span: Span) {
        if self.commonjs {
            self.findings.sloppy_syntax.get_or_insert((what, span));
        }
    }
}

/// Words sloppy mode lets a binding take and strict mode reserves.
fn is_strict_mode_reserved(name: &str) -> bool {
    matches!(
        name,
        "implements"
            | "interface"
            | "let"
            | "package"
            | "private"
            | "protected"
            | "public"
            | "static"
            | "yield"
    )
}

impl<'a> VisitMut<'a> for Rewriter<'_, 'a> {
    fn visit_expression(&mut self, expression: &mut Expression<'a>) {
        match expression {
            Expression::CallExpression(call) if self.commonjs => {
                if let Some(specifier) = commonjs::required_specifier(call, self.scoping) {
                    if !self.uses.requires.contains(&specifier) {
                        self.uses.requires.push(specifier.clone());
                    }
                    *expression = self.marker_expression(RelocTarget::Require(specifier));
                    return;
                }
                if commonjs::is_require_call(call, self.scoping) {
                    self.findings.require_expressions.push(call.span);
                }
            }
            Expression::ThisExpression(_) if self.this_depth == 0 && !self.commonjs => {
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
            Expression::UnaryExpression(unary)
                if self.commonjs
                    && unary.operator == UnaryOperator::Delete
                    && matches!(unary.argument, Expression::Identifier(_)) =>
            {
                self.sloppy("`delete` of a variable", unary.span);
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

    fn visit_call_expression(&mut self, call: &mut CallExpression<'a>) {
        if self.findings.direct_eval.is_none() && checks::is_direct_eval(call, self.scoping) {
            self.findings.direct_eval = Some(call.span);
        }
        self.note_called_member(&call.callee);
        walk_mut::walk_call_expression(self, call);
    }

    fn visit_tagged_template_expression(&mut self, tagged: &mut TaggedTemplateExpression<'a>) {
        // A tag is called with its object as `this`, as a method is.
        self.note_called_member(&tagged.tag);
        walk_mut::walk_tagged_template_expression(self, tagged);
    }

    fn visit_identifier_reference(
        &mut self,
        identifier: &mut oxc::ast::ast::IdentifierReference<'a>,
    ) {
        if self.commonjs && is_strict_mode_reserved(&identifier.name) {
            self.sloppy(
                "a variable named with a word strict mode reserves",
                identifier.span,
            );
        }
        let Some(reference_id) = identifier.reference_id.get() else {
            return;
        };
        let reference = self.scoping.get_reference(reference_id);
        let Some(symbol_id) = reference.symbol_id() else {
            return;
        };
        if let Some(name) = self.root_names.get(&symbol_id) {
            if !self.uses.references.insert(name.clone()) {
                *self.uses.repetitions.entry(name.clone()).or_default() += 1;
            }
            if let Some((class_symbol, class_name)) = &self.class_being_declared
                && *class_symbol == symbol_id
            {
                // Inside its body a class is named by its own (inner) binding, which stays
                // usable while the outer one is still uninitialized.
                let marker = self
                    .markers
                    .marker(RelocTarget::ClassSelfReference(class_name.clone()));
                identifier.name = self.ident(&marker);
                identifier.reference_id.set(None);
            }
            if reference.is_write() && self.imports.contains(&symbol_id) {
                self.findings
                    .errors
                    .push(checks::import_reassignment(name, identifier.span));
            }
        }
    }

    fn visit_with_statement(&mut self, statement: &mut oxc::ast::ast::WithStatement<'a>) {
        self.sloppy("a `with` statement", statement.span);
        walk_mut::walk_with_statement(self, statement);
    }

    fn visit_binding_identifier(&mut self, identifier: &mut BindingIdentifier<'a>) {
        if self.commonjs && is_strict_mode_reserved(&identifier.name) {
            self.sloppy(
                "a variable named with a word strict mode reserves",
                identifier.span,
            );
        }
    }

    fn visit_catch_clause(&mut self, clause: &mut oxc::ast::ast::CatchClause<'a>) {
        for found in checks::redeclared_catch_parameters(clause, self.scoping) {
            match found {
                CatchParameter::Redeclared(error) => self.findings.errors.push(error),
                CatchParameter::Aliases { parameter, root } => {
                    if let Some(root_name) = self.root_names.get(&root) {
                        let marker = self.markers.marker(RelocTarget::Symbol(root_name.clone()));
                        self.findings
                            .catch_parameter_aliases
                            .push((parameter, marker));
                    }
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
