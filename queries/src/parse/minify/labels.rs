//! Short labels (`--minify-identifiers`). oxc's mangler renames bindings, not labels, and
//! three.js's interpolants spell theirs out (`validate_interval:`, `forward_scan:`, ...).
//! A label is seen only by the `break`s and `continue`s inside its statement, and never
//! inside a nested function, so each label is named after how many labels enclose it in its
//! function: the outermost `a`, the one inside it `b`, and so on. Nothing can observe a
//! label's name.

use oxc::{
    allocator::Allocator,
    ast::ast::{
        ArrowFunctionExpression, BreakStatement, ContinueStatement, Function, LabelIdentifier,
        LabeledStatement, Program, StaticBlock,
    },
    ast_visit::{VisitMut, walk_mut},
    semantic::ScopeFlags,
    str::Ident,
};

/// The names labels get, by depth; deeper ones are `_52`, `_53`, ...
const NAMES: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

pub(super) fn shorten_labels<'a>(allocator: &'a Allocator, program: &mut Program<'a>) {
    Labels {
        allocator,
        enclosing: Vec::new(),
    }
    .visit_program(program);
}

struct Labels<'a> {
    allocator: &'a Allocator,
    /// The labels around the statement being visited in its function: written name, and
    /// the name it gets.
    enclosing: Vec<(Ident<'a>, Ident<'a>)>,
}

impl<'a> Labels<'a> {
    fn rename(&self, label: &mut LabelIdentifier<'a>) {
        if let Some((_, short)) = self
            .enclosing
            .iter()
            .rev()
            .find(|(written, _)| *written == label.name)
        {
            label.name = *short;
        }
    }
}

impl<'a> VisitMut<'a> for Labels<'a> {
    fn visit_labeled_statement(&mut self, statement: &mut LabeledStatement<'a>) {
        let written = statement.label.name;
        let depth = self.enclosing.len();
        let short = match NAMES.get(depth..depth + 1) {
            Some(letter) => Ident::from(letter),
            None => Ident::from(self.allocator.alloc_str(&format!("_{depth}"))),
        };
        statement.label.name = short;
        self.enclosing.push((written, short));
        self.visit_statement(&mut statement.body);
        self.enclosing.pop();
    }

    fn visit_break_statement(&mut self, statement: &mut BreakStatement<'a>) {
        if let Some(label) = &mut statement.label {
            self.rename(label);
        }
    }

    fn visit_continue_statement(&mut self, statement: &mut ContinueStatement<'a>) {
        if let Some(label) = &mut statement.label {
            self.rename(label);
        }
    }

    fn visit_function(&mut self, function: &mut Function<'a>, flags: ScopeFlags) {
        let enclosing = std::mem::take(&mut self.enclosing);
        walk_mut::walk_function(self, function, flags);
        self.enclosing = enclosing;
    }

    fn visit_static_block(&mut self, block: &mut StaticBlock<'a>) {
        let enclosing = std::mem::take(&mut self.enclosing);
        walk_mut::walk_static_block(self, block);
        self.enclosing = enclosing;
    }

    fn visit_arrow_function_expression(&mut self, arrow: &mut ArrowFunctionExpression<'a>) {
        let enclosing = std::mem::take(&mut self.enclosing);
        walk_mut::walk_arrow_function_expression(self, arrow);
        self.enclosing = enclosing;
    }
}
