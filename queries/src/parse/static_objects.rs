//! Objects other modules read through (`--minify-syntax`). lodash-es's `object.js` is
//! `export default { assign, assignIn, ... }`, and the module that builds the `lodash`
//! function reads it only as `object.assign`: 300 such reads of eleven objects. An item
//! that declares one binding nothing assigns, initialized with an object literal whose
//! properties are plain names of the module's own top-level bindings (none assigned either),
//! says so in its facts (not a `var`, which holds `undefined` in the object when it is
//! declared after it). An importer's static member reads of such an object are then
//! relocations (`parse::object_code`'s rewriter), and link writes the property's binding in
//! their place when nothing else keeps the object (`link::bind_imports`, `link::replacements`):
//! the reads get shorter and the object goes. A called member counts only if its function
//! never reads `this` ([`ignores_this`]), since a call passes the object as `this`. Anything
//! else that reads the object (a call of a method that reads `this`, an assignment to a
//! member, the object passed as a value) keeps it, and then every read goes through it as
//! written.
//!
//! As for constants read in place, this takes the object to be there when it is read: an
//! importer that reads a member before the object's module has run (in a cycle of imports)
//! gets the binding instead of the `TypeError` of reading a member of `undefined`.

use oxc::{
    ast::ast::{
        CallExpression, Class, Declaration, ExportDefaultDeclarationKind, Expression, Function,
        FunctionBody, IdentifierReference, NewTarget, ObjectPropertyKind, PropertyKind, Statement,
        ThisExpression,
    },
    ast_visit::{Visit, walk},
    semantic::{ScopeFlags, Scoping},
};

use super::{
    analysis::{is_assigned, settled_initializer},
    record::Name,
};

/// The properties of the object `statement` binds its one name to, sorted by key, each with
/// the top-level binding it holds, if importers may read those bindings in place of the
/// object's members.
pub(super) fn static_object(
    statement: &Statement<'_>,
    scoping: &Scoping,
) -> Option<Vec<(Name, Name)>> {
    let object = match statement {
        Statement::ExportDefaultDeclaration(export) => match &export.declaration {
            ExportDefaultDeclarationKind::ObjectExpression(object) => object,
            _ => return None,
        },
        statement => match settled_initializer(statement, scoping)? {
            Expression::ObjectExpression(object) => object,
            _ => return None,
        },
    };
    let root = scoping.root_scope_id();
    let mut properties = Vec::with_capacity(object.properties.len());
    for property in &object.properties {
        let ObjectPropertyKind::ObjectProperty(property) = property else {
            return None;
        };
        if property.kind != PropertyKind::Init || property.method || property.computed {
            return None;
        }
        let key = property.key.static_name()?;
        // `__proto__: x` sets the prototype, it makes no property.
        if key == "__proto__" {
            return None;
        }
        let Expression::Identifier(value) = property.value.without_parentheses() else {
            return None;
        };
        let symbol = scoping.get_reference(value.reference_id()).symbol_id()?;
        // A `var` declared after the object holds `undefined` in it; a function is hoisted,
        // and a `let`, `const` or class read before it runs throws.
        if scoping.symbol_scope_id(symbol) != root
            || scoping
                .symbol_flags(symbol)
                .is_function_scoped_declaration()
            || is_assigned(scoping, symbol)
        {
            return None;
        }
        properties.push((
            Name::from(key.as_ref()),
            Name::from(scoping.symbol_name(symbol)),
        ));
    }
    properties.sort_unstable();
    // A key given twice holds its last value; not worth following.
    if properties.windows(2).any(|pair| pair[0].0 == pair[1].0) {
        return None;
    }
    Some(properties)
}

/// Whether `statement` declares one function that never reads `this`: an arrow, or a
/// function whose own body does not (a nested function has its own `this`; a nested class,
/// a field initializer reading `this` say, or an `eval` counts as reading it). Called as an
/// object's member, such a function does what it does called alone.
pub(super) fn ignores_this(statement: &Statement<'_>, scoping: &Scoping) -> bool {
    let function = match statement {
        Statement::FunctionDeclaration(function) => function,
        Statement::ExportDeclaration(export) => match &export.declaration {
            Declaration::FunctionDeclaration(function) => function,
            _ => return false,
        },
        Statement::ExportDefaultDeclaration(export) => match &export.declaration {
            ExportDefaultDeclarationKind::FunctionDeclaration(function) => function,
            _ => return false,
        },
        statement => match settled_initializer(statement, scoping) {
            Some(Expression::ArrowFunctionExpression(_)) => return true,
            Some(Expression::FunctionExpression(function)) => function,
            _ => return false,
        },
    };
    let Some(body) = &function.body else {
        return false;
    };
    !ThisFinder::of(function, body).found
}

/// What a function's own code reads of its `this` and the like: nested functions have their
/// own.
#[derive(Default)]
pub(super) struct ThisFinder {
    /// It reads `this` (a nested class, a field initializer reading `this` say, or an
    /// `eval` counts).
    pub found: bool,
    /// It reads `arguments` or `new.target`, which an arrow function would take from the
    /// code around it.
    pub arguments: bool,
}

impl ThisFinder {
    pub(super) fn of<'a>(function: &Function<'a>, body: &FunctionBody<'a>) -> Self {
        let mut finder = ThisFinder::default();
        finder.visit_formal_parameters(&function.params);
        finder.visit_function_body(body);
        finder
    }
}

impl<'a> Visit<'a> for ThisFinder {
    fn visit_this_expression(&mut self, _: &ThisExpression) {
        self.found = true;
    }

    fn visit_identifier_reference(&mut self, identifier: &IdentifierReference<'a>) {
        if identifier.name == "arguments" {
            self.arguments = true;
        }
    }

    fn visit_new_target(&mut self, _: &NewTarget) {
        self.arguments = true;
    }

    fn visit_class(&mut self, _: &Class<'a>) {
        self.found = true;
    }

    fn visit_call_expression(&mut self, call: &CallExpression<'a>) {
        if matches!(&call.callee, Expression::Identifier(callee) if callee.name == "eval") {
            self.found = true;
        }
        walk::walk_call_expression(self, call);
    }

    fn visit_function(&mut self, _: &Function<'a>, _: ScopeFlags) {}
}
