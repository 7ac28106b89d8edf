//! Constants other modules read in place (`--minify-syntax`). The compressor substitutes a
//! module's constants inside the module; what it cannot reach are the modules that import
//! them (three.js's `FrontSide`, `RGBAFormat`, ... are read by hundreds of modules). An item
//! that is a top-level `let` or `const` of one binding that nothing assigns, or an `export
//! default`, whose value is a literal, says so in its facts: link writes the literal where
//! an importer reads the binding (`link::replacements`), and tree shaking keeps the
//! declaration only if something else needs it (its own module, or an export of the
//! entry). A short literal is read in place wherever it is read; a longer one only where
//! its reads are few for its length (three.js's shader chunks, each a module's `export
//! default` template read once by `ShaderChunk.js`): written at more, it would cost more than
//! its name (see `link::read_in_place`).
//!
//! As the compressor does inside a module, this takes a constant's value to be there when
//! it is read: an importer that reads it before its module has run (in a cycle of imports)
//! gets the value instead of the `ReferenceError` of the temporal dead zone.

use oxc::{
    ast::ast::{
        BinaryOperator, BindingPattern, Declaration, ExportDefaultDeclarationKind, Expression,
        Statement, VariableDeclarationKind,
    },
    codegen::{Codegen, CodegenOptions},
    semantic::Scoping,
};

use crate::charset::Charset;

use super::{
    analysis::{settled_initializer, sole_initializer},
    record::Name,
};

/// The longest literal read in place wherever it is read, as printed. A literal that long
/// costs no more than the name it stands for (top-level names of big bundles are two or
/// three characters long), and each one inlined everywhere drops its declaration
/// (`,a=1e3`). Longer ones grow the bundle with every read past a few (see
/// `link::literal_reads_pay`).
pub const MAX_LITERAL_LENGTH: usize = 3;

/// The literal `statement` binds its one name to (or exports as its default), as the
/// module's code prints it, if importers may read that literal in its place.
pub(super) fn inlinable_constant(
    statement: &Statement<'_>,
    scoping: &Scoping,
    minify_whitespace: bool,
    charset: Charset,
) -> Option<Name> {
    let value = match statement {
        // The default export's binding has no name: nothing can assign it.
        Statement::ExportDefaultDeclaration(export) => match &export.declaration {
            ExportDefaultDeclarationKind::FunctionDeclaration(_)
            | ExportDefaultDeclarationKind::ClassDeclaration(_)
            | ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => return None,
            expression => expression.to_expression().without_parentheses(),
        },
        statement => settled_initializer(statement, scoping)?,
    };
    printed_literal(value, minify_whitespace, charset)
}

/// The literal a top-level `var` of one binding that nothing assigns holds, if no code of
/// the module runs before its statement (`code_ran_before`, see [`runs_no_code`]): then
/// only a function of the module called from another module before this one has run, in
/// a cycle of imports, could read it as `undefined`, which link rules out. lodash-es
/// declares its flags so (`var WRAP_BIND_FLAG = 1, ...`), and the compressor leaves them,
/// because a module that imports may be in such a cycle.
pub(super) fn hoisted_constant(
    statement: &Statement<'_>,
    scoping: &Scoping,
    minify_whitespace: bool,
    charset: Charset,
    code_ran_before: bool,
) -> Option<Name> {
    if code_ran_before {
        return None;
    }
    match sole_initializer(statement, scoping)? {
        (VariableDeclarationKind::Var, value) => printed_literal(value, minify_whitespace, charset),
        _ => None,
    }
}

/// Whether running `statement` at the top level runs no code of the module: an import or
/// export list, a function declaration, or declarations whose values are literals or
/// functions. A `var` constant after only such statements holds its literal whenever the
/// module's own code can read it.
pub(super) fn runs_no_code(statement: &Statement<'_>) -> bool {
    let declarations = match statement {
        Statement::ImportDeclaration(_)
        | Statement::ExportAllDeclaration(_)
        | Statement::FunctionDeclaration(_)
        | Statement::EmptyStatement(_) => return true,
        // An export list (`export { a }`, `export { a } from '...'`).
        Statement::ExportNamedDeclaration(_) => return true,
        Statement::ExportDeclaration(export) => match &export.declaration {
            Declaration::FunctionDeclaration(_) => return true,
            Declaration::VariableDeclaration(declaration) => declaration,
            _ => return false,
        },
        Statement::VariableDeclaration(declaration) => declaration,
        _ => return false,
    };
    declarations.declarations.iter().all(|declarator| {
        matches!(declarator.id, BindingPattern::BindingIdentifier(_))
            && declarator.init.as_ref().is_none_or(evaluates_no_code)
    })
}

/// Whether evaluating `expression` runs no code of the module: a literal, a function, or
/// arithmetic on literals (lodash-es's `INFINITY = 1 / 0`).
pub(super) fn evaluates_no_code(expression: &Expression<'_>) -> bool {
    match expression.without_parentheses() {
        Expression::NumericLiteral(_)
        | Expression::StringLiteral(_)
        | Expression::BooleanLiteral(_)
        | Expression::NullLiteral(_)
        | Expression::RegExpLiteral(_)
        | Expression::FunctionExpression(_)
        | Expression::ArrowFunctionExpression(_) => true,
        Expression::TemplateLiteral(template) => template.expressions.is_empty(),
        Expression::UnaryExpression(unary) => {
            !unary.operator.is_delete() && is_primitive_literal(&unary.argument)
        }
        // Not `in` or `instanceof`, which throw on a primitive.
        Expression::BinaryExpression(binary) => {
            !matches!(
                binary.operator,
                BinaryOperator::In | BinaryOperator::Instanceof
            ) && is_primitive_literal(&binary.left)
                && is_primitive_literal(&binary.right)
        }
        _ => false,
    }
}

/// A number, string, boolean or `null`: no operator on it calls anything.
fn is_primitive_literal(expression: &Expression<'_>) -> bool {
    matches!(
        expression.without_parentheses(),
        Expression::NumericLiteral(_)
            | Expression::StringLiteral(_)
            | Expression::BooleanLiteral(_)
            | Expression::NullLiteral(_)
    )
}

/// `value` as the module's code prints it, if it is a literal importers may read in place.
fn printed_literal(
    value: &Expression<'_>,
    minify_whitespace: bool,
    charset: Charset,
) -> Option<Name> {
    let literal = match value {
        // `-1` is an operator and a literal, which would need parentheses in places.
        Expression::NumericLiteral(number) => number.value.is_finite() && number.value >= 0.0,
        Expression::StringLiteral(_) => true,
        // A template without substitutions is a string too (three.js's shader chunks).
        Expression::TemplateLiteral(template) => template.expressions.is_empty(),
        _ => false,
    };
    if !literal {
        return None;
    }
    let mut printer = Codegen::new().with_options(CodegenOptions {
        minify: minify_whitespace,
        ..CodegenOptions::default()
    });
    printer.print_expression(value);
    let printed = printer.into_source_text();
    Some(match charset {
        // A string as printed holds no backslash of its own before a character (the
        // printer escapes backslashes), and a template's raw text is source text: escaping
        // the printed text is escaping the literal.
        Charset::Ascii if !printed.is_ascii() => {
            Name::from(crate::charset::escaped_source_text(&printed, false))
        }
        _ => Name::from(printed),
    })
}
