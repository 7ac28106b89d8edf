//! Fault injection, for the tests of verde's own failure handling (debug builds only): a
//! module whose text contains `__verde_fault_parse__`, `__verde_fault_link__` or
//! `__verde_fault_render__` makes that phase panic on it, the way a bug would. Release
//! builds never look.

/// The phase an injected fault panics in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Phase {
    Parse,
    Link,
    Render,
}

/// The fault `text` asks for, in a debug build.
pub fn requested(text: &str) -> Option<Phase> {
    if !cfg!(debug_assertions) || !text.contains("__verde_fault_") {
        return None;
    }
    [
        ("__verde_fault_parse__", Phase::Parse),
        ("__verde_fault_link__", Phase::Link),
        ("__verde_fault_render__", Phase::Render),
    ]
    .into_iter()
    .find(|(marker, _)| text.contains(marker))
    .map(|(_, phase)| phase)
}

/// Panics if `requested` is `phase`.
pub fn inject(requested: Option<Phase>, phase: Phase) {
    if requested == Some(phase) {
        panic!("injected fault in {phase:?} (a test of verde's failure handling)");
    }
}
