//! Constants other modules read in place (`--minify-syntax`). The compressor substitutes a
//! module's constants inside the module; what it cannot reach are the modules that import
//! them (three.js's `FrontSide`, `RGBAFormat`, ... are read by hundreds of modules). An item
//! that is a top-level `let` or `const` of one binding that nothing assigns, or an `export
//! default`, whose value is a literal, says so in its facts: link writes the literal where
//! an importer reads the binding (`link::replacements`), and tree shaking keeps the
//! declaration only if something else needs it (its own module, or an export of the
//! entry). A short literal is read in place wherever it is read; a longer one only where it
//! is the binding's one read in the bundle (three.js's shader chunks, each a module's
//! `export default` template read once by `ShaderChunk.js`): written twice, it would cost
//! more than its name (see `link::read_in_place`).
//!
//! As the compressor does inside a module, this takes a constant's value to be there when
//! it is read: an importer that reads it before its module has run (in a cycle of imports)
//! gets the value instead of the `ReferenceError` of the temporal dead zone.

use oxc::{
    ast::ast::{ExportDefaultDeclarationKind, Expression, Statement},
    codegen::{Codegen, CodegenOptions},
    semantic::Scoping,
};

use super::{analysis::settled_initializer, record::Name};

/// The longest literal read in place wherever it is read, as printed. A literal that long
/// costs no more than the name it stands for (top-level names of big bundles are two or
/// three characters long), and each one inlined everywhere drops its declaration
/// (`,a=1e3`). Longer ones would grow the bundle with every read but a binding's only one.
pub const MAX_LITERAL_LENGTH: usize = 3;

/// The literal `statement` binds its one name to (or exports as its default), as the
/// module's code prints it, if importers may read that literal in its place.
pub(super) fn inlinable_constant(
    statement: &Statement<'_>,
    scoping: &Scoping,
    minify_whitespace: bool,
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
    Some(Name::from(printer.into_source_text()))
}
