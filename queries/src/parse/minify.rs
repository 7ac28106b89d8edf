//! Minifying one module, inside the parse query and before anything reads the module:
//! `--minify-syntax` rewrites its code into shorter equivalents (oxc's compressor), and
//! `--minify-identifiers` gives its nested bindings short names (oxc's mangler). Both see one
//! module at a time, so an edit re-minifies the module it is in and nothing else.
//!
//! What a module shares with the bundle stays as it was: its imports, its exports (the
//! compressor treats exported bindings as observable), and the names of its top-level
//! bindings, which become relocations that link names. What is private to the module (a
//! constant used once, a branch that never runs, a declaration nothing reads) is the
//! compressor's to fold, because nothing outside the module can see it.

use oxc::{
    allocator::Allocator,
    ast::ast::Program,
    mangler::{MangleOptions, MangleOptionsKeepNames, Mangler},
    minifier::{CompressOptions, CompressOptionsKeepNames, Compressor},
    semantic::{Scoping, SemanticBuilder},
};

/// Rewrites `program` into shorter code that does the same, and returns its fresh scopes.
pub(super) fn compress<'a>(
    allocator: &'a Allocator,
    program: &mut Program<'a>,
    scoping: Scoping,
) -> Scoping {
    let options = CompressOptions {
        // A function's or class's `.name` is observable.
        keep_names: CompressOptionsKeepNames::all_true(),
        // Dropping `debugger` is a choice of its own (esbuild's `--drop:debugger`), not
        // part of making code shorter.
        drop_debugger: false,
        ..CompressOptions::smallest()
    };
    Compressor::new(allocator).build_with_scoping(program, scoping, options);
    // The compressor keeps its scopes only as far as it needs them; what verde reads must
    // describe exactly the code it prints.
    SemanticBuilder::new()
        .build(program)
        .semantic
        .into_scoping()
}

/// Gives the nested bindings of `program` the shortest names their scopes allow, and returns
/// the scopes with those names. Top-level bindings keep theirs: they become relocations,
/// named by link, which avoids the nested names this leaves.
pub(super) fn mangle(program: &Program<'_>) -> Scoping {
    Mangler::new()
        .with_options(MangleOptions {
            top_level: Some(false),
            // A function's or class's `.name` is observable: it stays.
            keep_names: MangleOptionsKeepNames::all_true(),
            ..MangleOptions::default()
        })
        .build(program)
        .scoping
}
