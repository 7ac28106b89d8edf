//! Minifying one module, inside the parse query and before anything reads the module:
//! `--minify-syntax` rewrites its code into shorter equivalents (oxc's compressor), and
//! `--minify-identifiers` gives its nested bindings short names (oxc's mangler). Both see one
//! module at a time, so an edit re-minifies the module it is in and nothing else.
//!
//! What a module shares with the bundle stays as it was: its imports, its exports (the
//! compressor treats exported bindings as observable), and the names of its top-level
//! bindings, which become relocations that link names. What is private to the module (a
//! constant used once, a branch that never runs, a declaration nothing reads) is the
//! compressor's to fold, because nothing outside the module can see it.

use oxc::{
    allocator::{Allocator, TakeIn, Vec as ArenaVec},
    ast::{
        ast::{
            AssignmentExpression, AssignmentPattern, AssignmentTarget, AssignmentTargetWithDefault,
            BindingIdentifier, BindingPattern, CallExpression, Class, Declaration, ExportSpecifier,
            Expression, FormalParameter, Function, IdentifierName, IdentifierReference,
            ImportOrExportKind, ModuleExportName, Program, Statement, VariableDeclarationKind,
            VariableDeclarator,
        },
        builder::AstBuilder,
    },
    ast_visit::{Visit, walk},
    mangler::{MangleOptions, MangleOptionsKeepNames, Mangler},
    minifier::{CompressOptions, CompressOptionsKeepNames, Compressor},
    semantic::{ReferenceId, ScopeFlags, Scoping, SemanticBuilder, SymbolFlags, SymbolId},
    span::SPAN,
    str::Ident,
};
use rustc_hash::FxHashSet;

use crate::settings::ModuleSettings;

mod labels;

/// Minifies `program` as `settings` say (`--minify-syntax`, `--minify-identifiers`), and
/// returns scopes that describe exactly the code it now is. Each step that changes the
/// program builds its scopes anew; done together, the mangler's are the only ones built.
pub(super) fn minify<'a>(
    allocator: &'a Allocator,
    program: &mut Program<'a>,
    scoping: Scoping,
    settings: &ModuleSettings,
) -> Scoping {
    if settings.minify_identifiers {
        labels::shorten_labels(allocator, program);
    }
    match (settings.minify_syntax, settings.minify_identifiers) {
        (false, false) => scoping,
        (false, true) => mangle(program, settings.keep_names),
        (true, identifiers) => {
            let scoping = if exported_declarations_become_a_list(allocator, program) {
                SemanticBuilder::new()
                    .build(program)
                    .semantic
                    .into_scoping()
            } else {
                scoping
            };
            compress(allocator, program, scoping, settings.keep_names);
            one_declarator_per_declaration(allocator, program);
            let mut scoping = if identifiers {
                mangle(program, settings.keep_names)
            } else {
                SemanticBuilder::new()
                    .build(program)
                    .semantic
                    .into_scoping()
            };
            top_level_constants_become_lets(program, &mut scoping);
            scoping
        }
    }
}

/// `export const a = {...}` becomes `const a = {...}`, and one `export { a, ... }` at the end
/// exports what those declarations declared. The compressor substitutes a constant used
/// once into the statement that uses it only from the declaration statement before it, and
/// an exported declaration is not one: `const dateFormats = {...}; export const formatLong =
/// build({ formats: dateFormats })` kept `dateFormats` apart. The list keeps every exported
/// binding read, so none of them is dropped or inlined away. Returns whether the program
/// changed (its scopes must then be built again).
fn exported_declarations_become_a_list<'a>(
    allocator: &'a Allocator,
    program: &mut Program<'a>,
) -> bool {
    let builder = AstBuilder::new(allocator);
    let mut exported: Vec<Ident<'a>> = Vec::new();
    for statement in program.body.iter_mut() {
        let Statement::ExportDeclaration(export) = statement else {
            continue;
        };
        let Declaration::VariableDeclaration(declaration) = &export.declaration else {
            continue;
        };
        for declarator in &declaration.declarations {
            exported.extend(
                declarator
                    .id
                    .get_binding_identifiers()
                    .into_iter()
                    .map(|binding| binding.name),
            );
        }
        let Statement::ExportDeclaration(export) = statement.take_in(&builder) else {
            unreachable!("matched above");
        };
        *statement = Statement::from(export.unbox().declaration);
    }
    if exported.is_empty() {
        return false;
    }
    let specifiers = exported.into_iter().map(|name| {
        ExportSpecifier::new(
            SPAN,
            ModuleExportName::IdentifierReference(IdentifierReference::new(SPAN, name, &builder)),
            ModuleExportName::IdentifierName(IdentifierName::new(SPAN, name, &builder)),
            ImportOrExportKind::Value,
            &builder,
        )
    });
    program.body.push(Statement::new_export_named_declaration(
        SPAN,
        ArenaVec::from_iter_in(specifiers, &builder),
        ImportOrExportKind::Value,
        &builder,
    ));
    true
}

/// `let a = 1, b = 2;` at the top level becomes `let a = 1; let b = 2;`: the compressor
/// joins adjacent declarations, and each top-level statement is an item, which tree shaking
/// keeps or drops whole. Render joins the live ones again.
fn one_declarator_per_declaration<'a>(allocator: &'a Allocator, program: &mut Program<'a>) {
    let several = |statement: &Statement<'a>| {
        matches!(statement, Statement::VariableDeclaration(declaration)
            if declaration.declarations.len() > 1)
    };
    if !program.body.iter().any(several) {
        return;
    }
    let builder = AstBuilder::new(allocator);
    let body = std::mem::replace(&mut program.body, ArenaVec::new_in(&builder));
    for statement in body {
        match statement {
            Statement::VariableDeclaration(declaration) if declaration.declarations.len() > 1 => {
                let declaration = declaration.unbox();
                for declarator in declaration.declarations {
                    program.body.push(Statement::new_variable_declaration(
                        declarator.span,
                        declaration.kind,
                        ArenaVec::from_array_in([declarator], &builder),
                        declaration.declare,
                        &builder,
                    ));
                }
            }
            other => program.body.push(other),
        }
    }
}

/// Declares the module's top-level constants with `let` when nothing assigns to them: the
/// compressor does so for nested ones, but leaves the top level alone, where a binding may
/// be exported. That is safe here because an importer cannot assign to an import (link
/// refuses it), so only the module itself could, and its references are all in `scoping`;
/// a direct `eval` could assign to any of them, so a module with one keeps its constants.
/// `let` is shorter, and render joins adjacent `let` items into one declaration.
fn top_level_constants_become_lets(program: &mut Program<'_>, scoping: &mut Scoping) {
    if scoping.root_scope_flags().contains_direct_eval() {
        return;
    }
    for statement in &mut program.body {
        let declaration = match statement {
            Statement::VariableDeclaration(declaration) => declaration,
            Statement::ExportDeclaration(export) => match &mut export.declaration {
                Declaration::VariableDeclaration(declaration) => declaration,
                _ => continue,
            },
            _ => continue,
        };
        if declaration.kind != VariableDeclarationKind::Const {
            continue;
        }
        let mut symbols = Vec::new();
        for declarator in &declaration.declarations {
            declarator.id.all_binding_identifiers(&mut |binding| {
                symbols.push(binding.symbol_id());
                true
            });
        }
        if symbols
            .iter()
            .any(|&symbol| super::analysis::is_assigned(scoping, symbol))
        {
            continue;
        }
        declaration.kind = VariableDeclarationKind::Let;
        for symbol in symbols {
            scoping
                .symbol_flags_mut(symbol)
                .remove(SymbolFlags::ConstVariable);
        }
    }
}

/// Rewrites `program` into shorter code that does the same. The compressor keeps its
/// scopes only as far as it needs them: the caller builds fresh ones.
fn compress<'a>(
    allocator: &'a Allocator,
    program: &mut Program<'a>,
    scoping: Scoping,
    keep_names: bool,
) {
    let options = CompressOptions {
        // Whether a function's or class's `.name` must stay what it was.
        keep_names: if keep_names {
            CompressOptionsKeepNames::all_true()
        } else {
            CompressOptionsKeepNames::all_false()
        },
        // Dropping `debugger` is a choice of its own (esbuild's `--drop:debugger`), not
        // part of making code shorter.
        drop_debugger: false,
        ..CompressOptions::smallest()
    };
    Compressor::new(allocator).build_with_scoping(program, scoping, options);
}

/// Gives the nested bindings of `program` the shortest names their scopes allow, and returns
/// the scopes with those names. Top-level bindings keep theirs: they become relocations,
/// named by link, which avoids the nested names this leaves.
///
/// With `keep_names` (`--keep-names`), the bindings that name a function or class keep
/// their names, because its `.name` is observable, unless the function can only be called:
/// a function declared (or assigned to a `const`) whose every use is a call never shows its
/// name to anyone. Those are most of the long nested names of real code (closures'
/// helpers), and they are mangled either way.
fn mangle(program: &Program<'_>, keep_names: bool) -> Scoping {
    let mut scoping = mangle_keeping_names(program, MangleOptionsKeepNames::all_false());
    if !keep_names {
        return scoping;
    }
    let mut named = NamingBindings::of(program);
    if named.restore(&mut scoping) {
        scoping
    } else {
        mangle_keeping_names(program, MangleOptionsKeepNames::all_true())
    }
}

fn mangle_keeping_names(program: &Program<'_>, keep_names: MangleOptionsKeepNames) -> Scoping {
    Mangler::new()
        .with_options(MangleOptions {
            top_level: Some(false),
            keep_names,
            ..MangleOptions::default()
        })
        .build(program)
        .scoping
}

/// The bindings whose names become a function's or class's `.name`, with their names as
/// written, and how each is used.
#[derive(Default)]
struct NamingBindings<'a> {
    /// Binding, its written name, and whether its value can only be called (a function
    /// declaration, or a variable initialized with an anonymous function).
    bindings: Vec<(SymbolId, &'a str, bool)>,
    /// References assigned an anonymous function or class (`x = function () {}`), with the
    /// name as written: their binding names it.
    assigned: Vec<(ReferenceId, &'a str)>,
    /// References that are the callee of a call.
    callees: FxHashSet<ReferenceId>,
    /// Every binding identifier, with its name as written.
    written: Vec<(SymbolId, &'a str)>,
}

impl<'a> NamingBindings<'a> {
    fn of(program: &Program<'a>) -> Self {
        let mut found = NamingBindings::default();
        found.visit_program(program);
        found
    }

    /// Gives the bindings whose names can be observed their written names back. False when
    /// one of those names was given to another binding by the mangler (then keeping it
    /// could capture a reference): the caller mangles again, keeping every such name.
    ///
    /// Sound because every other binding either kept its written name (as in the source,
    /// where the names did not clash) or was renamed to a name none of the restored ones
    /// takes, and the mangler's renamed bindings do not clash among themselves.
    fn restore(&mut self, scoping: &mut Scoping) -> bool {
        for &(reference, written) in &self.assigned {
            if let Some(symbol) = scoping.get_reference(reference).symbol_id() {
                self.bindings.push((symbol, written, false));
            }
        }
        let observed: FxHashSet<SymbolId> = self
            .bindings
            .iter()
            .filter(|&&(symbol, _, callable_only)| {
                !(callable_only
                    && scoping
                        .get_resolved_reference_ids(symbol)
                        .iter()
                        .all(|reference| self.callees.contains(reference)))
            })
            .map(|&(symbol, _, _)| symbol)
            .collect();
        let given: FxHashSet<&str> = self
            .written
            .iter()
            .filter(|(symbol, written)| {
                !observed.contains(symbol) && scoping.symbol_name(*symbol) != *written
            })
            .map(|&(symbol, _)| scoping.symbol_name(symbol))
            .collect();
        if self
            .bindings
            .iter()
            .any(|(symbol, written, _)| observed.contains(symbol) && given.contains(written))
        {
            return false;
        }
        for &(symbol, written, _) in &self.bindings {
            if observed.contains(&symbol) {
                scoping.set_symbol_name(symbol, Ident::from(written));
            }
        }
        true
    }

    fn named(&mut self, binding: &BindingIdentifier<'a>, callable_only: bool) {
        self.bindings
            .push((binding.symbol_id(), binding.name.as_str(), callable_only));
    }

    fn named_by(&mut self, target: &BindingPattern<'a>, value: &Expression<'a>) {
        if let BindingPattern::BindingIdentifier(binding) = target
            && value
                .without_parentheses()
                .is_anonymous_function_definition()
        {
            self.named(binding, false);
        }
    }

    fn assigned(&mut self, target: &IdentifierReference<'a>, value: &Expression<'a>) {
        if value
            .without_parentheses()
            .is_anonymous_function_definition()
            && let Some(reference) = target.reference_id.get()
        {
            self.assigned.push((reference, target.name.as_str()));
        }
    }
}

impl<'a> Visit<'a> for NamingBindings<'a> {
    fn visit_binding_identifier(&mut self, binding: &BindingIdentifier<'a>) {
        self.written
            .push((binding.symbol_id(), binding.name.as_str()));
    }

    fn visit_call_expression(&mut self, call: &CallExpression<'a>) {
        if let Expression::Identifier(callee) = call.callee.without_parentheses()
            && let Some(reference) = callee.reference_id.get()
        {
            self.callees.insert(reference);
        }
        walk::walk_call_expression(self, call);
    }

    fn visit_function(&mut self, function: &Function<'a>, flags: ScopeFlags) {
        if let Some(id) = &function.id {
            self.named(id, function.is_declaration());
        }
        walk::walk_function(self, function, flags);
    }

    fn visit_class(&mut self, class: &Class<'a>) {
        if let Some(id) = &class.id {
            self.named(id, false);
        }
        walk::walk_class(self, class);
    }

    fn visit_variable_declarator(&mut self, declarator: &VariableDeclarator<'a>) {
        if let (BindingPattern::BindingIdentifier(binding), Some(init)) =
            (&declarator.id, &declarator.init)
        {
            let init = init.without_parentheses();
            if init.is_anonymous_function_definition() {
                // A class can only be constructed, which shows its name.
                let callable = matches!(
                    init,
                    Expression::FunctionExpression(_) | Expression::ArrowFunctionExpression(_)
                );
                self.named(binding, callable);
            }
        }
        walk::walk_variable_declarator(self, declarator);
    }

    fn visit_assignment_pattern(&mut self, pattern: &AssignmentPattern<'a>) {
        self.named_by(&pattern.left, &pattern.right);
        walk::walk_assignment_pattern(self, pattern);
    }

    fn visit_formal_parameter(&mut self, parameter: &FormalParameter<'a>) {
        if let Some(initializer) = &parameter.initializer {
            self.named_by(&parameter.pattern, initializer);
        }
        walk::walk_formal_parameter(self, parameter);
    }

    fn visit_assignment_expression(&mut self, assignment: &AssignmentExpression<'a>) {
        if let AssignmentTarget::AssignmentTargetIdentifier(target) = &assignment.left {
            self.assigned(target, &assignment.right);
        }
        walk::walk_assignment_expression(self, assignment);
    }

    fn visit_assignment_target_with_default(&mut self, target: &AssignmentTargetWithDefault<'a>) {
        if let AssignmentTarget::AssignmentTargetIdentifier(binding) = &target.binding {
            self.assigned(binding, &target.init);
        }
        walk::walk_assignment_target_with_default(self, target);
    }
}
