//! Reading a CommonJS module: its requests (`require('...')` calls with a literal
//! specifier), the names it binds (all of them local to its wrapper function, so all of them
//! "nested" for the bundle's naming), and its exports as far as they can be known without
//! running it, by the patterns node's cjs-module-lexer detects.
//!
//! Every top-level statement is still an item, with object code of its own, so an edit
//! re-prints one statement; but a CommonJS module is linked whole: its items all have side
//! effects, and none declares a binding of the bundle.

use oxc::{
    ast::ast::{
        Argument, AssignmentTarget, CallExpression, Expression, ObjectPropertyKind, Program,
        PropertyKey, SimpleAssignmentTarget,
    },
    ast_visit::{Visit, walk},
    semantic::Scoping,
    span::{GetSpan, Span},
};
use rustc_hash::FxHashMap;

use super::{
    analysis::{Analysis, bound_names, global_names},
    compile::CompiledItem,
    record::{
        CommonJsExports, ItemFacts, ItemKind, ModuleKind, ModuleRecord, ModuleSpans, Name,
        ObjectCode, ScopeNames,
    },
};

/// Whether a script uses CommonJS: it reads `require`, `module` or `exports` as globals.
pub(super) fn uses_commonjs(scoping: &Scoping) -> bool {
    let unresolved = scoping.root_unresolved_references();
    ["require", "module", "exports"]
        .iter()
        .any(|name| unresolved.contains_key(*name))
}

/// Whether `call` calls the global `require` (with any arguments).
pub(super) fn is_require_call(call: &CallExpression<'_>, scoping: &Scoping) -> bool {
    matches!(call.callee.without_parentheses(), Expression::Identifier(callee)
        if callee.name == "require" && is_global(callee.reference_id.get(), scoping))
}

/// The specifier of `require('specifier')`, when `call` is one: the global `require`,
/// called with one string literal (or a template literal without substitutions).
pub(super) fn required_specifier(call: &CallExpression<'_>, scoping: &Scoping) -> Option<Name> {
    if call.optional || call.arguments.len() != 1 {
        return None;
    }
    if !is_require_call(call, scoping) {
        return None;
    }
    match &call.arguments[0] {
        Argument::StringLiteral(literal) => Some(Name::from(literal.value.as_str())),
        Argument::TemplateLiteral(template) if template.expressions.is_empty() => template
            .quasis
            .first()
            .and_then(|quasi| quasi.value.cooked.as_ref())
            .map(|cooked| Name::from(cooked.as_str())),
        _ => None,
    }
}

fn is_global(reference: Option<oxc::syntax::reference::ReferenceId>, scoping: &Scoping) -> bool {
    reference.is_none_or(|reference| scoping.get_reference(reference).symbol_id().is_none())
}

/// The record and items of a CommonJS module.
pub(super) fn analyze_commonjs(program: &Program<'_>, scoping: &Scoping) -> Analysis {
    let (record, spans) = read_module(program, scoping);
    let mut item_statements = Vec::with_capacity(program.body.len());
    let mut items = Vec::with_capacity(program.body.len());
    for (index, statement) in program.body.iter().enumerate() {
        item_statements.push(index);
        items.push(CompiledItem {
            kind: ItemKind::Statement,
            name: Name::from(""),
            code: ObjectCode::default(),
            facts: ItemFacts {
                has_side_effects: true,
                ..ItemFacts::default()
            },
            range: statement.span().into(),
        });
    }
    // Every binding is local to the wrapper: a bundle name it refers to (another module's
    // `require_x`) must not be one of them.
    let scope_names = ScopeNames {
        nested: bound_names(scoping, |_| true),
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

/// The requests and exports of a CommonJS module.
fn read_module(program: &Program<'_>, scoping: &Scoping) -> (ModuleRecord, ModuleSpans) {
    let mut record = ModuleRecord::default();
    record.kind = ModuleKind::CommonJs;
    let mut reader = CommonJsReader {
        scoping,
        record,
        spans: ModuleSpans::default(),
        request_index: FxHashMap::default(),
        required_variables: FxHashMap::default(),
    };
    reader.visit_program(program);
    let CommonJsReader {
        mut record, spans, ..
    } = reader;
    let exports = &mut record.commonjs_exports;
    exports.names.retain(|name| name != "default");
    exports.names.sort_unstable();
    exports.names.dedup();
    exports.reexports.dedup();
    (record, spans)
}

/// The exports node's cjs-module-lexer finds in a CommonJS module's text as written, kept
/// across compression: node reads the source, so a module compressed into shapes the lexer
/// does not know (a getter made a method, assignments joined into a sequence) must still
/// show the names node would show.
pub(super) struct WrittenExports {
    exports: CommonJsExports,
    /// The specifiers of the re-exported requests (their indices change with compression).
    reexported: Vec<Name>,
}

impl WrittenExports {
    pub(super) fn read(program: &Program<'_>, scoping: &Scoping) -> Self {
        let (record, _) = read_module(program, scoping);
        let reexported = record
            .commonjs_exports
            .reexports
            .iter()
            .map(|&request| record.requests[request as usize].clone())
            .collect();
        WrittenExports {
            exports: record.commonjs_exports,
            reexported,
        }
    }

    /// Puts these exports in the record of the compressed module. A re-exported request the
    /// compressor removed (it was never evaluated) re-exports nothing.
    pub(super) fn restore(self, record: &mut ModuleRecord) {
        let mut exports = self.exports;
        exports.reexports = self
            .reexported
            .iter()
            .filter_map(|specifier| {
                let request = record
                    .requests
                    .iter()
                    .position(|request| request == specifier)?;
                Some(request as u32)
            })
            .collect();
        record.commonjs_exports = exports;
    }
}

/// Whether the first token of `expression` is an identifier (what cjs-module-lexer sees).
fn starts_with_identifier(expression: &Expression<'_>) -> bool {
    match expression {
        Expression::Identifier(_) => true,
        Expression::StaticMemberExpression(member) => starts_with_identifier(&member.object),
        Expression::ComputedMemberExpression(member) => starts_with_identifier(&member.object),
        Expression::PrivateFieldExpression(member) => starts_with_identifier(&member.object),
        Expression::CallExpression(call) => starts_with_identifier(&call.callee),
        Expression::TaggedTemplateExpression(tagged) => starts_with_identifier(&tagged.tag),
        Expression::BinaryExpression(binary) => starts_with_identifier(&binary.left),
        Expression::LogicalExpression(logical) => starts_with_identifier(&logical.left),
        Expression::ConditionalExpression(conditional) => starts_with_identifier(&conditional.test),
        Expression::SequenceExpression(sequence) => sequence
            .expressions
            .first()
            .is_some_and(starts_with_identifier),
        Expression::UpdateExpression(update) => !update.prefix,
        _ => false,
    }
}

struct CommonJsReader<'s> {
    scoping: &'s Scoping,
    record: ModuleRecord,
    spans: ModuleSpans,
    request_index: FxHashMap<Name, u32>,
    /// Variables initialized with `require('x')`, and x's request: Babel re-exports them
    /// with `Object.keys(_x).forEach(...)`.
    required_variables: FxHashMap<Name, u32>,
}

impl CommonJsReader<'_> {
    fn request(&mut self, specifier: Name, span: Span) -> u32 {
        if let Some(&index) = self.request_index.get(&specifier) {
            return index;
        }
        let index = self.record.requests.len() as u32;
        self.record.requests.push(specifier.clone());
        self.spans.requests.push(span.into());
        self.request_index.insert(specifier, index);
        index
    }

    fn is_global_named(&self, expression: &Expression<'_>, name: &str) -> bool {
        matches!(expression.without_parentheses(), Expression::Identifier(identifier)
            if identifier.name == name && is_global(identifier.reference_id.get(), self.scoping))
    }

    /// `exports` or `module.exports`.
    fn is_exports_object(&self, expression: &Expression<'_>) -> bool {
        if self.is_global_named(expression, "exports") {
            return true;
        }
        matches!(expression.without_parentheses(), Expression::StaticMemberExpression(member)
            if member.property.name == "exports" && self.is_global_named(&member.object, "module"))
    }

    fn is_module_exports_target(&self, target: &AssignmentTarget<'_>) -> bool {
        matches!(target, AssignmentTarget::StaticMemberExpression(member)
            if member.property.name == "exports" && self.is_global_named(&member.object, "module"))
    }

    /// The request of `require('x')`, registered.
    fn required(&mut self, expression: &Expression<'_>) -> Option<u32> {
        let Expression::CallExpression(call) = expression.without_parentheses() else {
            return None;
        };
        let specifier = required_specifier(call, self.scoping)?;
        Some(self.request(specifier, call.arguments[0].span()))
    }

    fn export_name(&mut self, name: &str) {
        self.record.commonjs_exports.names.push(Name::from(name));
    }

    /// `module.exports = value`.
    fn module_exports_assigned(&mut self, value: &Expression<'_>) {
        // As in cjs-module-lexer, each assignment replaces the re-exports seen before it
        // (`if (a) module.exports = require('x'); else module.exports = require('y')`
        // re-exports `y`'s names), while the names seen so far stay.
        self.record.commonjs_exports.reexports.clear();
        if let Some(request) = self.required(value) {
            self.record.commonjs_exports.reexports.push(request);
            return;
        }
        let Expression::ObjectExpression(object) = value.without_parentheses() else {
            self.record.commonjs_exports.opaque = true;
            return;
        };
        // cjs-module-lexer's rule, token by token: `{ a, b: c, 'd': e, ...require('f') }`. A
        // key followed by `:` and an identifier counts even when more of the value follows
        // (`re: internalRe.re`), but the lexer stops there; any other shape stops it before.
        for property in &object.properties {
            let (key, value) = match property {
                ObjectPropertyKind::ObjectProperty(property)
                    if !property.computed && !property.method =>
                {
                    let key = match &property.key {
                        PropertyKey::StaticIdentifier(key) => Some(key.name.as_str()),
                        PropertyKey::StringLiteral(key) => Some(key.value.as_str()),
                        _ => None,
                    };
                    (key, &property.value)
                }
                ObjectPropertyKind::SpreadProperty(spread) => {
                    if let Some(request) = self.required(&spread.argument) {
                        self.record.commonjs_exports.reexports.push(request);
                        continue;
                    }
                    (None, &spread.argument)
                }
                ObjectPropertyKind::ObjectProperty(property) => (None, &property.value),
            };
            let Some(key) = key else {
                self.record.commonjs_exports.opaque = true;
                break;
            };
            if matches!(value, Expression::Identifier(_)) {
                self.export_name(key);
                continue;
            }
            if starts_with_identifier(value) {
                self.export_name(key);
            }
            self.record.commonjs_exports.opaque = true;
            break;
        }
    }

    /// `__exportStar(require('x'), exports)` (TypeScript), `__export(require('x'))` (older
    /// TypeScript), `_export_star(require('x'), exports)` (swc), `__reExport(exports,
    /// require('x'))` (esbuild).
    fn star_reexport(&mut self, call: &CallExpression<'_>) -> bool {
        let callee = match call.callee.without_parentheses() {
            Expression::Identifier(identifier) => identifier.name.as_str(),
            Expression::StaticMemberExpression(member) => member.property.name.as_str(),
            _ => return false,
        };
        let argument = match callee {
            "__exportStar" | "__export" | "_export_star" => 0,
            "__reExport" => 1,
            _ => return false,
        };
        let Some(expression) = call
            .arguments
            .get(argument)
            .and_then(Argument::as_expression)
        else {
            return false;
        };
        match self.required(expression) {
            Some(request) => {
                self.record.commonjs_exports.reexports.push(request);
                true
            }
            None => false,
        }
    }

    /// Babel's `export * from 'x'`: `var _x = require('x'); Object.keys(_x).forEach(function
    /// (key) { ... exports[key] = _x[key] ... })`.
    fn babel_star_reexport(&mut self, call: &CallExpression<'_>) -> bool {
        let Expression::StaticMemberExpression(for_each) = call.callee.without_parentheses() else {
            return false;
        };
        let Expression::CallExpression(keys) = for_each.object.without_parentheses() else {
            return false;
        };
        let Expression::StaticMemberExpression(keys_callee) = keys.callee.without_parentheses()
        else {
            return false;
        };
        if for_each.property.name != "forEach"
            || keys_callee.property.name != "keys"
            || !self.is_global_named(&keys_callee.object, "Object")
        {
            return false;
        }
        let Some(Expression::Identifier(source)) =
            keys.arguments.first().and_then(Argument::as_expression)
        else {
            return false;
        };
        match self.required_variables.get(source.name.as_str()) {
            Some(&request) => {
                self.record.commonjs_exports.reexports.push(request);
                true
            }
            None => false,
        }
    }

    /// `Object.defineProperty(exports, 'name', ...)`.
    fn defined_property(&mut self, call: &CallExpression<'_>) {
        let Expression::StaticMemberExpression(callee) = call.callee.without_parentheses() else {
            return;
        };
        if callee.property.name != "defineProperty"
            || !self.is_global_named(&callee.object, "Object")
        {
            return;
        }
        let (Some(Argument::StringLiteral(name)), Some(target)) = (
            call.arguments.get(1),
            call.arguments.first().and_then(Argument::as_expression),
        ) else {
            return;
        };
        let descriptor = call.arguments.get(2).and_then(Argument::as_expression);
        if self.is_exports_object(target) && descriptor.is_some_and(is_detectable_descriptor) {
            self.export_name(&name.value);
        }
    }
}

/// The property descriptors cjs-module-lexer reads as an export: `{ [enumerable: true,]
/// value: ... }`, or a getter that returns an identifier or a member chain (`{ enumerable:
/// true, get: function () { return m.x; } }`, `get() { return m['x']; }`). A getter that
/// computes something is not one: node does not list the name.
fn is_detectable_descriptor(descriptor: &Expression<'_>) -> bool {
    let Expression::ObjectExpression(object) = descriptor.without_parentheses() else {
        return false;
    };
    let mut properties = object.properties.iter().peekable();
    let key_is = |property: &ObjectPropertyKind<'_>, wanted: &str| match property {
        ObjectPropertyKind::ObjectProperty(property) => {
            !property.computed && property.key.static_name().is_some_and(|key| key == wanted)
        }
        ObjectPropertyKind::SpreadProperty(_) => false,
    };
    if let Some(first) = properties.peek()
        && key_is(first, "enumerable")
    {
        let ObjectPropertyKind::ObjectProperty(enumerable) = first else {
            return false;
        };
        if !matches!(enumerable.value, Expression::BooleanLiteral(ref value) if value.value) {
            return false;
        }
        properties.next();
    }
    let Some(ObjectPropertyKind::ObjectProperty(property)) = properties.next() else {
        return false;
    };
    let name = property.key.static_name();
    match name.as_deref() {
        Some("value") if !property.computed => true,
        Some("get") if !property.computed => {
            let Expression::FunctionExpression(getter) = &property.value else {
                return false;
            };
            let Some(body) = &getter.body else {
                return false;
            };
            matches!(body.statements.as_slice(), [oxc::ast::ast::Statement::ReturnStatement(ret)]
                if ret.argument.as_ref().is_some_and(is_member_chain))
        }
        _ => false,
    }
}

/// `a`, `a.b`, `a['b']`: what a detectable getter may return.
fn is_member_chain(expression: &Expression<'_>) -> bool {
    match expression {
        Expression::Identifier(_) => true,
        Expression::StaticMemberExpression(member) => is_member_chain(&member.object),
        Expression::ComputedMemberExpression(member) => {
            matches!(member.expression, Expression::StringLiteral(_))
                && is_member_chain(&member.object)
        }
        _ => false,
    }
}

impl<'a> Visit<'a> for CommonJsReader<'_> {
    fn visit_assignment_expression(
        &mut self,
        assignment: &oxc::ast::ast::AssignmentExpression<'a>,
    ) {
        if self.is_module_exports_target(&assignment.left) {
            self.module_exports_assigned(&assignment.right);
        } else if let Some(member) = assignment.left.as_simple_assignment_target() {
            let name = match member {
                SimpleAssignmentTarget::StaticMemberExpression(member)
                    if self.is_exports_object(&member.object) =>
                {
                    Some(member.property.name.as_str())
                }
                SimpleAssignmentTarget::ComputedMemberExpression(member)
                    if self.is_exports_object(&member.object) =>
                {
                    match &member.expression {
                        Expression::StringLiteral(literal) => Some(literal.value.as_str()),
                        _ => None,
                    }
                }
                _ => None,
            };
            if let Some(name) = name {
                self.export_name(name);
            }
        }
        walk::walk_assignment_expression(self, assignment);
    }

    fn visit_call_expression(&mut self, call: &CallExpression<'a>) {
        if let Some(specifier) = required_specifier(call, self.scoping) {
            self.request(specifier, call.arguments[0].span());
        } else if !self.star_reexport(call) && !self.babel_star_reexport(call) {
            self.defined_property(call);
        }
        walk::walk_call_expression(self, call);
    }

    fn visit_variable_declarator(&mut self, declarator: &oxc::ast::ast::VariableDeclarator<'a>) {
        if let (oxc::ast::ast::BindingPattern::BindingIdentifier(id), Some(init)) =
            (&declarator.id, &declarator.init)
            && let Some(request) = self.required(init)
        {
            self.required_variables
                .insert(Name::from(id.name.as_str()), request);
        }
        walk::walk_variable_declarator(self, declarator);
    }
}
