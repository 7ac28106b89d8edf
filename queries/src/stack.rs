//! Threads with stacks big enough for the recursive passes.
//!
//! oxc's parser, its semantic analysis, its printer and verde's own rewriter recurse once
//! per level of nesting in the source, with no limit of their own. Measured on the release
//! and debug builds (`docs/ARCHITECTURE.md`, "Stacks"), no construct needs more than about
//! 800 bytes of stack per byte of source (nested parentheses are the worst), so a module of
//! `n` bytes is compiled on a thread with at least [`STACK_PER_SOURCE_BYTE`]` * n` bytes of
//! stack. Every thread verde starts for queries has [`QUERY_THREAD_STACK`] (address space
//! only: the kernel commits pages as the recursion touches them), which covers every module
//! up to 1 MiB; a larger module, or a parse asked for on a thread verde did not start (an
//! embedder's), gets a thread of its own sized for it. No input can overflow a stack; one
//! whose stack cannot be had is reported instead.

use std::cell::Cell;

/// The stack of every thread verde starts to run queries on.
pub const QUERY_THREAD_STACK: usize = 1 << 30;

/// Stack bytes reserved per byte of source for the recursive passes over one module
/// (measured worst case: about 800).
pub const STACK_PER_SOURCE_BYTE: usize = 1024;

/// Stack for everything around the recursion (the query machinery above the pass).
const STACK_BASE: usize = 16 << 20;

thread_local! {
    /// The stack size of the current thread when verde started it, else 0.
    static CURRENT_STACK: Cell<usize> = const { Cell::new(0) };
}

/// A thread builder for query work: a big stack, and the thread knows it has one.
pub fn query_thread(name: impl Into<String>) -> std::thread::Builder {
    std::thread::Builder::new()
        .name(name.into())
        .stack_size(QUERY_THREAD_STACK)
}

/// Records that the current thread was started with `size` bytes of stack: call it first
/// thing on a thread built by [`query_thread`] (or with [`QUERY_THREAD_STACK`]).
pub fn mark_current_thread(size: usize) {
    CURRENT_STACK.set(size);
}

/// The stack a recursive pass over `source_length` bytes of source needs.
pub fn stack_needed(source_length: usize) -> usize {
    STACK_BASE.saturating_add(source_length.saturating_mul(STACK_PER_SOURCE_BYTE))
}

/// The system refused a thread with the stack a module needs.
#[derive(Debug)]
pub struct StackUnavailable {
    pub needed: usize,
    pub reason: String,
}

/// Runs `work`, a recursive pass over `source_length` bytes, on the current thread if its
/// stack is big enough, else on a thread of its own with the stack it needs. A panic in
/// `work` propagates to the caller.
pub fn with_stack_for<R: Send>(
    source_length: usize,
    work: impl FnOnce() -> R + Send,
) -> Result<R, StackUnavailable> {
    let needed = stack_needed(source_length);
    if CURRENT_STACK.get() >= needed {
        return Ok(work());
    }
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("verde-deep".to_owned())
            .stack_size(needed)
            .spawn_scoped(scope, || {
                mark_current_thread(needed);
                work()
            });
        match spawned {
            Ok(thread) => Ok(thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))),
            Err(error) => Err(StackUnavailable {
                needed,
                reason: error.to_string(),
            }),
        }
    })
}

/// The text of a panic's payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else if payload.is::<salsa::Cancelled>() {
        "a query another thread was computing panicked".to_owned()
    } else {
        "a panic with a non-text payload".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_work_runs_on_a_marked_thread_and_big_work_gets_its_own() {
        let outer = std::thread::current().id();
        query_thread("test")
            .spawn(move || {
                mark_current_thread(QUERY_THREAD_STACK);
                let here = std::thread::current().id();
                assert_eq!(
                    with_stack_for(10, || std::thread::current().id()).unwrap(),
                    here
                );
                let elsewhere = with_stack_for(2 << 20, || std::thread::current().id()).unwrap();
                assert_ne!(elsewhere, here);
                assert_ne!(elsewhere, outer);
            })
            .unwrap()
            .join()
            .unwrap();
        // An unmarked thread always hands the work over.
        assert_ne!(
            with_stack_for(1, || std::thread::current().id()).unwrap(),
            outer
        );
    }
}
