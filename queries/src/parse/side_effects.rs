//! Whether a top-level statement may have an effect beyond defining its bindings, decided by
//! oxc's side-effect analysis with rollup's default assumptions (property reads and unknown
//! globals may have effects; `/*#__PURE__*/` annotations are honored).
//!
//! oxc's analysis works out the value type of both operands at every level of an operator
//! chain (`"a" + b + "c" + ...`), which costs the square of the chain's length: a 25,000-term
//! sum took seven seconds. Statements with a chain deeper than [`MAX_ANALYZED_CHAIN`] are
//! taken to have side effects without asking; only tree shaking loses, and only there.

use oxc::{
    ast::ast::{
        ArrowFunctionExpression, BinaryExpression, Expression, Function, IdentifierReference,
        LogicalExpression,
    },
    ast_visit::{Visit, walk},
    semantic::Scoping,
    span::GetSpan,
    syntax::scope::ScopeFlags,
};
use oxc_ecmascript::{
    GlobalContext,
    side_effects::{MayHaveSideEffects, MayHaveSideEffectsContext, PropertyReadSideEffects},
};

pub struct SideEffectContext<'s> {
    pub scoping: &'s Scoping,
}

impl<'a> GlobalContext<'a> for SideEffectContext<'_> {
    fn is_global_reference(&self, reference: &IdentifierReference<'a>) -> bool {
        reference
            .reference_id
            .get()
            .is_none_or(|id| self.scoping.get_reference(id).symbol_id().is_none())
    }
}

impl<'a> MayHaveSideEffectsContext<'a> for SideEffectContext<'_> {
    fn annotations(&self) -> bool {
        true
    }

    fn manual_pure_functions(&self, _callee: &Expression) -> bool {
        false
    }

    fn property_read_side_effects(&self) -> PropertyReadSideEffects {
        PropertyReadSideEffects::All
    }

    fn unknown_global_side_effects(&self) -> bool {
        true
    }
}

/// The deepest operator chain oxc's side-effect analysis is asked about.
const MAX_ANALYZED_CHAIN: u32 = 256;

/// Whether `node` may have side effects, by oxc's analysis unless it holds an operator
/// chain deeper than [`MAX_ANALYZED_CHAIN`] (then: it may).
pub fn may_have_side_effects<'a, T>(node: &T, context: &SideEffectContext<'_>) -> bool
where
    T: MayHaveSideEffects<'a> + GetSpan + Visited<'a>,
{
    // A chain of `depth` operators spans at least `2 * depth` bytes.
    if node.span().size() > 2 * MAX_ANALYZED_CHAIN {
        let mut chains = ChainDepth::default();
        node.visit_with(&mut chains);
        if chains.deepest > MAX_ANALYZED_CHAIN {
            return true;
        }
    }
    node.may_have_side_effects(context)
}

/// The AST nodes the analysis is asked about, visited by [`ChainDepth`].
pub trait Visited<'a> {
    fn visit_with(&self, visitor: &mut ChainDepth);
}

macro_rules! visited {
    ($($node:ty => $method:ident),* $(,)?) => {
        $(impl<'a> Visited<'a> for $node {
            fn visit_with(&self, visitor: &mut ChainDepth) {
                visitor.$method(self);
            }
        })*
    };
}

visited! {
    oxc::ast::ast::Statement<'a> => visit_statement,
    oxc::ast::ast::Declaration<'a> => visit_declaration,
    oxc::ast::ast::Class<'a> => visit_class,
    Expression<'a> => visit_expression,
}

/// How deeply binary and logical operators nest, outside function bodies (which the
/// analysis does not enter).
#[derive(Default)]
pub struct ChainDepth {
    current: u32,
    deepest: u32,
}

impl<'a> Visit<'a> for ChainDepth {
    fn visit_binary_expression(&mut self, expression: &BinaryExpression<'a>) {
        self.current += 1;
        self.deepest = self.deepest.max(self.current);
        walk::walk_binary_expression(self, expression);
        self.current -= 1;
    }

    fn visit_logical_expression(&mut self, expression: &LogicalExpression<'a>) {
        self.current += 1;
        self.deepest = self.deepest.max(self.current);
        walk::walk_logical_expression(self, expression);
        self.current -= 1;
    }

    fn visit_function(&mut self, _: &Function<'a>, _: ScopeFlags) {}

    fn visit_arrow_function_expression(&mut self, _: &ArrowFunctionExpression<'a>) {}
}
