//! verde's queries: the salsa database and every phase of the pipeline, each a memoized
//! query over per-file and per-item inputs.
//!
//! The pipeline, in the order data flows:
//!
//! 1. [`files`]: source files are salsa inputs; [`files::source_text`] reads them.
//! 2. [`resolve`]: `(file, specifier) -> file`, with oxc_resolver underneath.
//! 3. [`parse`]: parse + scope one module, produce its [`parse::ModuleRecord`] and per-item
//!    object code, drop the AST.
//! 4. [`summary`]: what link reads of each module, published by the driver from the
//!    parses whose inputs changed: the firewall that keeps an edit's wave on the parse side.
//! 5. [`link`]: module graph, import binding, tree shaking, namespaces, final names; reads
//!    module records only.
//! 6. [`split`]: with code splitting, which chunk each module goes to, and what crosses
//!    between chunks.
//! 7. [`render`]: concatenate live items' object code, patch relocations, wrap for the format.
//! 8. [`bundle`]: the whole build as one query (chunks named by their content hashes), and
//!    [`metafile`], what each output holds, read from the results after a build.

pub mod bundle;
pub mod cache;
pub mod charset;
pub mod config;
pub mod db;
pub mod diagnostics;
pub mod fault;
pub mod files;
pub mod ide;
pub mod lines;
pub mod link;
pub mod metafile;
pub mod names;
pub mod parallel;
pub mod parse;
pub mod render;
pub mod resolve;
pub mod settings;
pub mod split;
pub mod stack;
pub mod summary;
pub mod virtual_modules;

pub use db::{Database, Db};
