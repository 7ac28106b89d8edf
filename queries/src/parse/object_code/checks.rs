//! The checks object code needs that the parser and scope analysis do not make: writes to
//! import bindings, `var` redeclarations of a catch parameter (Annex B), and direct `eval`.

use oxc::{
    ast::ast::{CallExpression, CatchClause, Expression, VariableDeclarationKind},
    ast_visit::{Visit, walk},
    semantic::Scoping,
    span::Span,
    syntax::{scope::ScopeFlags, symbol::SymbolId},
};
use oxc_ecmascript::BoundNames;
use rustc_hash::FxHashSet;

/// An error found while rewriting: `(code, message, span)`.
pub type CheckError = (&'static str, String, Span);

pub fn import_reassignment(name: &str, span: Span) -> CheckError {
    (
        "ILLEGAL_REASSIGNMENT",
        format!("cannot assign to the import \"{name}\": imports are read-only"),
        span,
    )
}

/// What a catch parameter redeclared by a `var` in its block means for renaming.
pub enum CatchParameter {
    /// A lexical top-level binding or an import of the same name: a redeclaration error.
    Redeclared(CheckError),
    /// The `var` hoists to the top-level binding `root`, but its initializer assigns the
    /// parameter: if `root` is renamed, `parameter` must be renamed with it.
    Aliases { parameter: SymbolId, root: SymbolId },
}

/// Annex B lets `var e` inside `catch (e) { ... }` redeclare the parameter; this finds the
/// parameters of `clause` that are redeclared so and what each means.
pub fn redeclared_catch_parameters(
    clause: &CatchClause<'_>,
    scoping: &Scoping,
) -> Vec<CatchParameter> {
    let Some(parameter) = &clause.param else {
        return Vec::new();
    };
    let mut parameters = Vec::new();
    parameter
        .pattern
        .bound_names(&mut |id| parameters.push((id.name.as_str(), id.symbol_id.get(), id.span)));
    let vars = var_names_in(&clause.body);
    let mut found = Vec::new();
    for (name, parameter_symbol, span) in parameters {
        if !vars.contains(name) {
            continue;
        }
        let Some(root) = scoping.get_root_binding(name.into()) else {
            continue;
        };
        let flags = scoping.symbol_flags(root);
        if flags.is_block_scoped() || flags.is_import() {
            found.push(CatchParameter::Redeclared((
                "REDECLARATION_ERROR",
                format!("Identifier \"{name}\" has already been declared"),
                span,
            )));
        } else if let Some(parameter) = parameter_symbol {
            found.push(CatchParameter::Aliases { parameter, root });
        }
    }
    found
}

/// Names declared with `var` in `block`, outside nested functions.
fn var_names_in<'a>(block: &oxc::ast::ast::BlockStatement<'a>) -> FxHashSet<&'a str> {
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

/// Whether `call` is a direct `eval(...)`: a call of the global `eval` by that name, which
/// runs its argument in the caller's scope and can see (and assign) any binding there.
pub fn is_direct_eval(call: &CallExpression<'_>, scoping: &Scoping) -> bool {
    let Expression::Identifier(callee) = call.callee.without_parentheses() else {
        return false;
    };
    callee.name == "eval"
        && !call.optional
        && callee
            .reference_id
            .get()
            .is_none_or(|reference| scoping.get_reference(reference).symbol_id().is_none())
}
