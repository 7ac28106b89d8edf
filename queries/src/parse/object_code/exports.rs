//! Export lowering: `export` syntax disappears from object code. A declaration loses its
//! `export` keyword, `export default <expression>` becomes a variable with the default
//! marker as its name, and an anonymous default function or class gets that marker as its
//! name; it keeps `default` as its `.name`, as the language gives it: a class through a
//! first static block, a function through a statement render hoists to the top of the
//! chunk (the declaration is hoisted too, so a cycle can call it before its module runs).

use oxc::{
    allocator::{Box as ArenaBox, GetAllocator, Vec as ArenaVec},
    ast::{
        ast::{
            Argument, BindingIdentifier, BindingPattern, ClassElement,
            ExportDefaultDeclarationKind, Expression, IdentifierName, ObjectPropertyKind,
            PropertyKey, PropertyKind, Statement, VariableDeclarationKind, VariableDeclarator,
        },
        builder::AstBuilder,
    },
    span::SPAN,
};

use super::relocations::Markers;
use crate::parse::record::{DEFAULT_LOCAL, RelocTarget};

/// A top-level statement with its `export` taken off.
pub struct Unwrapped<'a> {
    pub statement: Statement<'a>,
    /// It is an anonymous default function, named for the bundle: its `.name` must still
    /// read `default` (render writes the fix-up).
    pub anonymous_default_function: bool,
}

/// `export <declaration>` becomes the declaration; `export default <expression>` becomes
/// `var <default marker> = <expression>;`; an anonymous default function or class gets the
/// default marker as its name and keeps `default` as its `.name`.
pub fn unwrap_export<'a>(
    builder: &AstBuilder<'a>,
    markers: &mut Markers,
    statement: Statement<'a>,
) -> Unwrapped<'a> {
    let mut anonymous_default_function = false;
    let statement = match statement {
        Statement::ExportDeclaration(export) => Statement::from(export.unbox().declaration),
        Statement::ExportDefaultDeclaration(export) => {
            let export = export.unbox();
            let default_marker = markers.marker(RelocTarget::Symbol(DEFAULT_LOCAL.into()));
            match export.declaration {
                ExportDefaultDeclarationKind::FunctionDeclaration(mut function) => {
                    if function.id.is_none() {
                        function.id = Some(binding(builder, &default_marker));
                        anonymous_default_function = true;
                    }
                    Statement::FunctionDeclaration(function)
                }
                ExportDefaultDeclarationKind::ClassDeclaration(mut class) => {
                    if class.id.is_none() {
                        class.id = Some(binding(builder, &default_marker));
                        // First among the static elements, so that even static initializers
                        // see the class's real name, as they would unbundled.
                        let this = Expression::new_this_expression(SPAN, builder);
                        let fixup = Statement::new_expression_statement(
                            SPAN,
                            define_default_name(builder, this),
                            builder,
                        );
                        let block = ClassElement::new_static_block(
                            SPAN,
                            ArenaVec::from_array_in([fixup], builder),
                            builder,
                        );
                        class.body.body.insert(0, block);
                    }
                    Statement::ClassDeclaration(class)
                }
                ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => {
                    unreachable!("type declarations are not items")
                }
                expression => {
                    let declarator = VariableDeclarator::new(
                        export.span,
                        BindingPattern::BindingIdentifier(ArenaBox::new_in(
                            binding(builder, &default_marker),
                            builder,
                        )),
                        None,
                        Some(expression.into_expression()),
                        false,
                        builder,
                    );
                    Statement::new_variable_declaration(
                        export.span,
                        VariableDeclarationKind::Var,
                        ArenaVec::from_array_in([declarator], builder),
                        false,
                        builder,
                    )
                }
            }
        }
        other => other,
    };
    Unwrapped {
        statement,
        anonymous_default_function,
    }
}

fn ident<'a>(builder: &AstBuilder<'a>, text: &str) -> oxc::str::Ident<'a> {
    oxc::str::Ident::from(builder.allocator().alloc_str(text))
}

fn binding<'a>(builder: &AstBuilder<'a>, name: &str) -> BindingIdentifier<'a> {
    BindingIdentifier::new(SPAN, ident(builder, name), builder)
}

fn identifier<'a>(builder: &AstBuilder<'a>, name: &str) -> Expression<'a> {
    Expression::new_identifier(SPAN, ident(builder, name), builder)
}

/// `Object.defineProperty(target, "name", { value: "default" })`.
fn define_default_name<'a>(builder: &AstBuilder<'a>, target: Expression<'a>) -> Expression<'a> {
    let callee = Expression::new_static_member_expression(
        SPAN,
        identifier(builder, "Object"),
        IdentifierName::new(SPAN, ident(builder, "defineProperty"), builder),
        false,
        builder,
    );
    let string = |text: &str| {
        Expression::new_string_literal(SPAN, builder.allocator().alloc_str(text), None, builder)
    };
    let descriptor = Expression::new_object_expression(
        SPAN,
        ArenaVec::from_array_in(
            [ObjectPropertyKind::new_object_property(
                SPAN,
                PropertyKind::Init,
                PropertyKey::new_static_identifier(SPAN, ident(builder, "value"), builder),
                string("default"),
                false,
                false,
                false,
                builder,
            )],
            builder,
        ),
        builder,
    );
    Expression::new_call_expression(
        SPAN,
        callee,
        None,
        ArenaVec::from_array_in(
            [
                Argument::from(target),
                Argument::from(string("name")),
                Argument::from(descriptor),
            ],
            builder,
        ),
        false,
        builder,
    )
}
