//! Whether a top-level statement may have an effect beyond defining its bindings, decided by
//! oxc's side-effect analysis with rollup's default assumptions (property reads and unknown
//! globals may have effects; `/*#__PURE__*/` annotations are honored).

use oxc::{
    ast::ast::{Expression, IdentifierReference},
    semantic::Scoping,
};
use oxc_ecmascript::{
    GlobalContext,
    side_effects::{MayHaveSideEffectsContext, PropertyReadSideEffects},
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
