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
//! - [`call_reads`]: the top-level bindings the item calls (`f(...)`), anywhere in it, each
//!   with whether the call is in a nested scope.
//! - `ItemFacts::runs_no_code`: evaluating the item runs no code and reads nothing.
//!
//! A function declaration is movable too, as [`Movable::Function`]: its function exists
//! before any code runs, so written as a function expression at its one read (where it is
//! made when the read evaluates) nothing can tell the difference, wherever the read is. When
//! that read is a call, even in a function that runs many times: each call makes the
//! function it calls, which only that call ever sees (rspack's and terser's compressors
//! inline such functions too). Not at `new f()`, whose instances would get a new prototype
//! on every evaluation.
//!
//! `link::tree_shaking::single_use` pairs them when the binding has no other read in the
//! bundle.

use oxc::{
    ast::{
        AstKind,
        ast::{
            Argument, ArrayExpressionElement, ArrowFunctionExpression, AssignmentExpression,
            AwaitExpression, BindingPattern, CallExpression, Class, ConditionalExpression,
            Declaration, Expression, Function, IdentifierReference, ObjectPropertyKind,
            PropertyKind, Statement, VariableDeclarationKind, VariableDeclarator, YieldExpression,
        },
    },
    ast_visit::{Visit, walk},
    semantic::{ScopeFlags, Scoping},
    span::Span,
};

use super::{
    analysis::declaration_initializer,
    constants,
    record::{ArrowBody, Mapping, Movable, Name, ObjectCode, Reloc, RelocTarget},
    static_objects::ThisFinder,
};

/// Whether `statement` is a function declaration, or a `let` or `const` of one binding that
/// nothing assigns, whose value link may move (see the module's documentation).
pub(super) fn movable(statement: &Statement<'_>, scoping: &Scoping) -> Movable {
    if let Some(function) = declared_function(statement) {
        return function_movable(function);
    }
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

/// The function `statement` declares (`function f() {}`, exported or not).
fn declared_function<'s, 'a>(statement: &'s Statement<'a>) -> Option<&'s Function<'a>> {
    match statement {
        Statement::FunctionDeclaration(function) => Some(function),
        Statement::ExportDeclaration(export) => match &export.declaration {
            Declaration::FunctionDeclaration(function) => Some(function),
            _ => None,
        },
        _ => None,
    }
}

/// A function declaration with a body (not a TypeScript overload) is movable.
fn function_movable(function: &Function<'_>) -> Movable {
    match function.id.is_some() && function.body.is_some() && !function.declare {
        true => Movable::Function,
        false => Movable::No,
    }
}

/// How a movable function declaration is written as an arrow function where it is moved
/// to a call (see the module's documentation), when it may be: it is no generator, its
/// parameters are plain names (so that render finds them in its text), its body has no
/// directive, and its own code reads neither `this` nor `arguments` nor `new.target`, which
/// an arrow would take from the code around it. Called, a function is never constructed
/// and its `prototype` never read.
pub(super) fn arrow_body(statement: &Statement<'_>) -> Option<ArrowBody> {
    let function = declared_function(statement)?;
    let body = function.body.as_ref()?;
    let plain =
        |pattern: &BindingPattern<'_>| matches!(pattern, BindingPattern::BindingIdentifier(_));
    if function.generator
        || !body.directives.is_empty()
        || !function
            .params
            .items
            .iter()
            .all(|parameter| parameter.initializer.is_none() && plain(&parameter.pattern))
        || !function
            .params
            .rest
            .as_ref()
            .is_none_or(|rest| plain(&rest.rest.argument))
    {
        return None;
    }
    let reads = ThisFinder::of(function, body);
    if reads.found || reads.arguments {
        return None;
    }
    Some(match body.statements.as_slice() {
        [Statement::ReturnStatement(returned)] => match &returned.argument {
            Some(value) => ArrowBody::Expression {
                sequence: matches!(
                    value.without_parentheses(),
                    Expression::SequenceExpression(_)
                ),
            },
            None => ArrowBody::Block,
        },
        _ => ArrowBody::Block,
    })
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

/// The top-level bindings `statement` calls (see the module's documentation), sorted, each
/// with whether the call is in a nested scope (the first call, when there are several: link
/// does not move a binding read twice).
pub(super) fn call_reads(statement: &Statement<'_>, scoping: &Scoping) -> Vec<(Name, bool)> {
    let mut calls = Calls {
        scoping,
        depth: 0,
        reads: Vec::new(),
    };
    calls.visit_statement(statement);
    let mut reads = calls.reads;
    reads.sort_by(|a, b| a.0.cmp(&b.0));
    reads.dedup_by(|later, earlier| later.0 == earlier.0);
    reads
}

struct Calls<'s> {
    scoping: &'s Scoping,
    /// How many scopes the node being visited is nested in, below the item's.
    depth: u32,
    reads: Vec<(Name, bool)>,
}

impl<'a> Visit<'a> for Calls<'_> {
    fn enter_scope(&mut self, _: ScopeFlags, _: &std::cell::Cell<Option<oxc::semantic::ScopeId>>) {
        self.depth += 1;
    }

    fn leave_scope(&mut self) {
        self.depth -= 1;
    }

    fn visit_call_expression(&mut self, call: &CallExpression<'a>) {
        if !call.optional
            && let Expression::Identifier(callee) = &call.callee
            && let Some(symbol) = self
                .scoping
                .get_reference(callee.reference_id())
                .symbol_id()
            && self.scoping.symbol_scope_id(symbol) == self.scoping.root_scope_id()
        {
            self.reads
                .push((Name::from(callee.name.as_str()), self.depth > 0));
        }
        walk::walk_call_expression(self, call);
    }
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

/// The object code of a movable declaration's value alone: its text, its relocations and
/// its mappings, moved to start at zero. From `let x=VALUE;` the value; from a function
/// declaration (`function f(...){...}`), the function as an expression, without its name.
/// `None` when the code has neither shape (then the item is not movable).
pub fn value_code(code: &ObjectCode) -> Option<ObjectCode> {
    let first = code.relocs.first()?;
    let RelocTarget::Symbol(_) = &first.target else {
        return None;
    };
    let offset = first.offset as usize;
    let keyword = code.text.get(..offset)?.trim_end();
    if matches!(
        keyword,
        "function" | "function*" | "async function" | "async function*"
    ) {
        return Some(function_expression_code(code, keyword.len(), offset));
    }
    if !matches!(keyword, "let" | "const") {
        return None;
    }
    let after = code.text.get(offset..)?;
    let value = after.trim_start().strip_prefix('=')?;
    let start = code.text.len() - value.trim_start().len();
    let end = code.text.trim_end().strip_suffix(';')?.trim_end().len();
    if start >= end {
        return None;
    }
    let end = end_at_last_name(code, start, end, code.text.len());
    Some(splice(code, &[Piece::Slice(start, end)]))
}

/// A function declaration's code (`function f(...){...}`, the name a relocation at `name`,
/// after `keyword` bytes of keywords) as a function expression: without the name, and
/// without the space before it.
fn function_expression_code(code: &ObjectCode, keyword: usize, name: usize) -> ObjectCode {
    let end = code.text.trim_end().len();
    splice(
        &without_name(code, name),
        &[Piece::Slice(0, keyword), Piece::Slice(name, end)],
    )
}

/// `code` without its first relocation (a declaration's name, at `name`) and the name's
/// own segment.
fn without_name(code: &ObjectCode, name: usize) -> ObjectCode {
    ObjectCode {
        text: code.text.clone(),
        relocs: code.relocs[1..].to_vec(),
        mappings: code
            .mappings
            .iter()
            .filter(|mapping| mapping.offset as usize != name || mapping.after_relocation)
            .copied()
            .collect(),
        names: code.names.clone(),
    }
}

/// A function declaration's code (`function f(e,t){...}`, see [`arrow_body`]) as an arrow
/// function, `(e,t)=>{...}`, or with `ArrowBody::Expression`, `(e,t)=>x` (`e=>x` for one
/// parameter). `None` when the code does not have that shape.
pub fn arrow_code(code: &ObjectCode, body: ArrowBody) -> Option<ObjectCode> {
    let text = code.text.trim_end();
    let name = code.relocs.first()?.offset as usize;
    let asynchronous = match text.get(..name)?.trim_end() {
        "function" => false,
        "async function" => true,
        _ => return None,
    };
    // Plain names: the first `)` closes the parameters.
    let parameters_end = name + text.get(name..)?.find(')')? + 1;
    if !text[name..].starts_with('(') {
        return None;
    }
    let after_parameters = text.get(parameters_end..)?;
    let body_start = text.len() - after_parameters.trim_start().len();
    if !text[body_start..].starts_with('{') || !text.ends_with('}') {
        return None;
    }
    let inside = &text[name + 1..parameters_end - 1];
    let parameters = match !asynchronous
        && !inside.contains(',')
        && !inside.trim().is_empty()
        && !inside.contains("...")
    {
        true => Piece::Slice(name + 1, parameters_end - 1),
        false => Piece::Slice(name, parameters_end),
    };
    let keyword = Piece::Text(if asynchronous { "async" } else { "" });
    let pieces = match body {
        ArrowBody::Block => vec![
            keyword,
            parameters,
            Piece::Text("=>"),
            Piece::Slice(body_start, text.len()),
        ],
        ArrowBody::Expression { sequence } => {
            // `{return x}`: the `x`.
            let inside = body_start + 1..text.len() - 1;
            let statement = text[inside.clone()].trim_start();
            let after_keyword = text.len() - 1 - statement.strip_prefix("return")?.len();
            let returned = text[after_keyword..inside.end].trim_start();
            let start = inside.end - returned.len();
            let returned = returned.trim_end();
            let returned = returned.strip_suffix(';').unwrap_or(returned).trim_end();
            let end = end_at_last_name(code, start, start + returned.len(), inside.end);
            // An object would be read as a block, a sequence as more than the body.
            let parenthesized = sequence || returned.starts_with('{');
            let mut pieces = vec![keyword, parameters, Piece::Text("=>")];
            if parenthesized {
                pieces.push(Piece::Text("("));
            }
            pieces.push(Piece::Slice(start, end));
            if parenthesized {
                pieces.push(Piece::Text(")"));
            }
            pieces
        }
    };
    Some(splice(&without_name(code, name), &pieces))
}

/// `end`, a value's end in `code` found by trimming its text, or the offset of a
/// relocation after it and up to `limit`: a name written there ends the value (`new ` and
/// then the name, where trimming took the space too).
fn end_at_last_name(code: &ObjectCode, start: usize, end: usize, limit: usize) -> usize {
    code.relocs
        .iter()
        .map(|reloc| reloc.offset as usize)
        .filter(|&offset| offset > end && offset <= limit && offset >= start)
        .max()
        .unwrap_or(end)
}

/// A part of the code [`splice`] writes.
enum Piece {
    /// These bytes of the code, with their relocations (one at the end too) and mappings.
    Slice(usize, usize),
    Text(&'static str),
}

/// Object code made of `pieces` of `code`, in order.
fn splice(code: &ObjectCode, pieces: &[Piece]) -> ObjectCode {
    let mut spliced = ObjectCode {
        text: String::new(),
        relocs: Vec::new(),
        mappings: Vec::new(),
        names: code.names.clone(),
    };
    for piece in pieces {
        match *piece {
            Piece::Text(text) => spliced.text.push_str(text),
            Piece::Slice(start, end) => {
                let shift = |offset: u32| offset - start as u32 + spliced.text.len() as u32;
                spliced.relocs.extend(
                    code.relocs
                        .iter()
                        .filter(|reloc| (start..=end).contains(&(reloc.offset as usize)))
                        .map(|reloc| Reloc {
                            offset: shift(reloc.offset),
                            target: reloc.target.clone(),
                        }),
                );
                spliced.mappings.extend(
                    code.mappings
                        .iter()
                        .filter(|mapping| {
                            let at = mapping.offset as usize;
                            (start..end).contains(&at) || at == end && !mapping.after_relocation
                        })
                        .map(|mapping| Mapping {
                            offset: shift(mapping.offset),
                            ..*mapping
                        }),
                );
                spliced.text.push_str(&code.text[start..end]);
            }
        }
    }
    spliced
}
