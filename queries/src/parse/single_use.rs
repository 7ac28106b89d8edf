//! Declarations written where they are read (`--minify-syntax`), the parse side. A
//! compressor that sees the whole bundle writes a function or an object that one expression
//! reads in that expression (date-fns's locales: `formatDistance`, a module's arrow
//! function, is read once, by the locale object of another module). verde compresses each
//! module alone, so its compressor cannot; link can, from three facts per item:
//!
//! - [`movable`]: the item declares one binding, never assigned, with a value that either
//!   only makes something new (a function, an arrow function, an object or array of such
//!   values and literals: made later, it is the same value, and nothing can tell when), or
//!   runs code (a call), which may move only past code that runs none.
//! - [`slot_reads`]: the top-level bindings the item reads where it evaluates once (not in
//!   a function or class, which may run any number of times, later) and where any
//!   expression may stand without parentheses: a property's value, an array element, a
//!   call's argument, an initializer, an assignment's right side, a branch of `? :`; each
//!   with whether code may run before it, in the item.
//! - `ItemFacts::runs_no_code`: evaluating the item runs no code and reads nothing.
//!
//! `link::tree_shaking::single_use` pairs them when the binding has no other read in the
//! bundle.

use oxc::{
    ast::{
        AstKind,
        ast::{
            Argument, ArrayExpressionElement, ArrowFunctionExpression, AssignmentExpression,
            AwaitExpression, Class, ConditionalExpression, Declaration, Expression, Function,
            IdentifierReference, ObjectPropertyKind, PropertyKind, Statement,
            VariableDeclarationKind, VariableDeclarator, YieldExpression,
        },
    },
    ast_visit::{Visit, walk},
    semantic::{ScopeFlags, Scoping},
    span::Span,
};

use super::{
    analysis::declaration_initializer,
    constants,
    record::{Mapping, Movable, Name, ObjectCode, Reloc, RelocTarget},
};

/// Whether `statement` is a `let` or `const` of one binding that nothing assigns whose value
/// link may move (see the module's documentation).
pub(super) fn movable(statement: &Statement<'_>, scoping: &Scoping) -> Movable {
    let declaration = match statement {
        Statement::VariableDeclaration(declaration) => declaration,
        Statement::ExportDeclaration(export) => match &export.declaration {
            Declaration::VariableDeclaration(declaration) => declaration,
            _ => return Movable::No,
        },
        _ => return Movable::No,
    };
    let Some((VariableDeclarationKind::Let | VariableDeclarationKind::Const, value)) =
        declaration_initializer(declaration, scoping)
    else {
        return Movable::No;
    };
    if makes_a_value_only(value) {
        return Movable::Value;
    }
    // An `await` would wait in another module's evaluation.
    let mut waits = Waits(false);
    waits.visit_expression(value);
    match waits.0 {
        true => Movable::No,
        false => Movable::Expression,
    }
}

/// Whether an expression awaits or yields (not counting nested functions).
struct Waits(bool);

impl<'a> Visit<'a> for Waits {
    fn visit_function(&mut self, _: &Function<'a>, _: ScopeFlags) {}
    fn visit_arrow_function_expression(&mut self, _: &ArrowFunctionExpression<'a>) {}
    fn visit_await_expression(&mut self, _: &AwaitExpression<'a>) {
        self.0 = true;
    }
    fn visit_yield_expression(&mut self, _: &YieldExpression<'a>) {
        self.0 = true;
    }
}

/// Whether evaluating `expression` only makes a value: it calls nothing, reads no binding
/// and no property (a function's body runs later, when called).
fn makes_a_value_only(expression: &Expression<'_>) -> bool {
    if constants::evaluates_no_code(expression) {
        return true;
    }
    match expression.without_parentheses() {
        Expression::ArrayExpression(array) => array.elements.iter().all(|element| match element {
            ArrayExpressionElement::Elision(_) => true,
            ArrayExpressionElement::SpreadElement(_) => false,
            element => makes_a_value_only(element.to_expression()),
        }),
        Expression::ObjectExpression(object) => {
            object.properties.iter().all(|property| match property {
                ObjectPropertyKind::SpreadProperty(_) => false,
                ObjectPropertyKind::ObjectProperty(property) => {
                    // A computed key is evaluated (and converted to a string) too.
                    !property.computed
                        && match property.kind {
                            // Getters, setters and methods are functions.
                            PropertyKind::Get | PropertyKind::Set => true,
                            PropertyKind::Init => {
                                property.method || makes_a_value_only(&property.value)
                            }
                        }
                }
            })
        }
        _ => false,
    }
}

/// The top-level bindings `statement` reads in a slot (see the module's documentation),
/// sorted, each with whether code may run before it in the statement and the place of the
/// read in its order of evaluation. Only declarations and expression statements: a loop
/// could evaluate a slot many times, and other statements are rare readers.
pub(super) fn slot_reads(statement: &Statement<'_>, scoping: &Scoping) -> Vec<(Name, bool, u32)> {
    let mut slots = Slots {
        scoping,
        slots: Vec::new(),
        code_ran: false,
        reads: Vec::new(),
    };
    match statement {
        Statement::VariableDeclaration(_) | Statement::ExpressionStatement(_) => {
            slots.visit_statement(statement);
        }
        Statement::ExportDeclaration(export) => {
            if let Declaration::VariableDeclaration(declaration) = &export.declaration {
                slots.visit_variable_declaration(declaration);
            }
        }
        _ => {}
    }
    let mut reads = slots.reads;
    // A binding read in two slots is not read once: link does not move it. Its first read
    // stays, with its own place.
    reads.sort_by(|a, b| a.0.cmp(&b.0));
    reads.dedup_by(|later, earlier| later.0 == earlier.0);
    reads
}

struct Slots<'s> {
    scoping: &'s Scoping,
    /// The spans of the expressions in slots, met so far.
    slots: Vec<Span>,
    /// Whether code may have run, in evaluation order, up to the node being visited.
    code_ran: bool,
    reads: Vec<(Name, bool, u32)>,
}

impl Slots<'_> {
    /// `expression` stands in a slot.
    fn slot(&mut self, expression: &Expression<'_>) {
        if let Expression::Identifier(identifier) = expression {
            self.slots.push(identifier.span);
        }
    }
}

impl<'a> Visit<'a> for Slots<'_> {
    /// What runs code, as far as a value moved past it could tell: anything but making
    /// literals, objects and arrays, and reading a binding (a call, a property read, which
    /// may be a getter, an operator, which may convert an object, ...). Conservative about
    /// when: a call counts from its start, before its arguments.
    fn enter_node(&mut self, kind: AstKind<'a>) {
        if !matches!(
            kind,
            AstKind::IdentifierReference(_)
                | AstKind::StringLiteral(_)
                | AstKind::NumericLiteral(_)
                | AstKind::BooleanLiteral(_)
                | AstKind::NullLiteral(_)
                | AstKind::BigIntLiteral(_)
                | AstKind::RegExpLiteral(_)
                | AstKind::TemplateLiteral(_)
                | AstKind::TemplateElement(_)
                | AstKind::ObjectExpression(_)
                | AstKind::ObjectProperty(_)
                | AstKind::IdentifierName(_)
                | AstKind::ArrayExpression(_)
                | AstKind::Elision(_)
                | AstKind::VariableDeclaration(_)
                | AstKind::VariableDeclarator(_)
                | AstKind::BindingIdentifier(_)
                | AstKind::ExpressionStatement(_)
                | AstKind::ParenthesizedExpression(_)
        ) {
            self.code_ran = true;
        }
    }

    fn visit_identifier_reference(&mut self, identifier: &IdentifierReference<'a>) {
        if self.slots.last() == Some(&identifier.span) {
            self.slots.pop();
            if let Some(symbol) = self
                .scoping
                .get_reference(identifier.reference_id())
                .symbol_id()
                && self.scoping.symbol_scope_id(symbol) == self.scoping.root_scope_id()
            {
                let order = self.reads.len() as u32;
                self.reads
                    .push((Name::from(identifier.name.as_str()), self.code_ran, order));
            }
        }
        walk::walk_identifier_reference(self, identifier);
    }

    // What a function or class holds may run any number of times, later. Making a
    // function runs no code; making a class may (static blocks, computed keys).
    fn visit_function(&mut self, _: &Function<'a>, _: ScopeFlags) {}
    fn visit_arrow_function_expression(&mut self, _: &ArrowFunctionExpression<'a>) {}
    fn visit_class(&mut self, _: &Class<'a>) {
        self.code_ran = true;
    }

    fn visit_variable_declarator(&mut self, declarator: &VariableDeclarator<'a>) {
        if let Some(init) = &declarator.init {
            self.slot(init);
        }
        walk::walk_variable_declarator(self, declarator);
    }

    fn visit_assignment_expression(&mut self, assignment: &AssignmentExpression<'a>) {
        self.slot(&assignment.right);
        walk::walk_assignment_expression(self, assignment);
    }

    fn visit_conditional_expression(&mut self, conditional: &ConditionalExpression<'a>) {
        // In evaluation order: the test, then a branch.
        self.slot(&conditional.alternate);
        self.slot(&conditional.consequent);
        walk::walk_conditional_expression(self, conditional);
    }

    fn visit_object_property(&mut self, property: &oxc::ast::ast::ObjectProperty<'a>) {
        // A shorthand (`{ f }`) too: its object code spells the key out (`{f:`, then the
        // relocation), since every top-level binding is printed under a marker name.
        if property.kind == PropertyKind::Init && !property.method {
            self.slot(&property.value);
        }
        walk::walk_object_property(self, property);
    }

    fn visit_array_expression_element(&mut self, element: &ArrayExpressionElement<'a>) {
        if let Some(expression) = element.as_expression() {
            self.slot(expression);
        }
        walk::walk_array_expression_element(self, element);
    }

    fn visit_argument(&mut self, argument: &Argument<'a>) {
        if let Some(expression) = argument.as_expression() {
            self.slot(expression);
        }
        walk::walk_argument(self, argument);
    }
}

/// Where the value of a movable declaration is in its object code (`let x=VALUE;`), as a
/// byte range of `code.text`, and the object code of the value alone: its text, its
/// relocations and its mappings, moved to start at zero. `None` when the code does not
/// have that shape (then the item is not movable).
pub fn value_code(code: &ObjectCode) -> Option<ObjectCode> {
    let first = code.relocs.first()?;
    let RelocTarget::Symbol(_) = &first.target else {
        return None;
    };
    let offset = first.offset as usize;
    let keyword = code.text.get(..offset)?;
    if !matches!(keyword.trim_end(), "let" | "const") {
        return None;
    }
    let after = code.text.get(offset..)?;
    let value = after.trim_start().strip_prefix('=')?;
    let start = code.text.len() - value.trim_start().len();
    let end = code.text.trim_end().strip_suffix(';')?.trim_end().len();
    if start >= end {
        return None;
    }
    let relocs = code
        .relocs
        .iter()
        .filter(|reloc| (start..=end).contains(&(reloc.offset as usize)))
        .map(|reloc| Reloc {
            offset: reloc.offset - start as u32,
            target: reloc.target.clone(),
        })
        .collect();
    let mappings = code
        .mappings
        .iter()
        .filter(|mapping| {
            let at = mapping.offset as usize;
            (start..end).contains(&at) || at == end && !mapping.after_relocation
        })
        .map(|mapping| Mapping {
            offset: mapping.offset - start as u32,
            ..*mapping
        })
        .collect();
    Some(ObjectCode {
        text: code.text[start..end].to_owned(),
        relocs,
        mappings,
        names: code.names.clone(),
    })
}
