//! `tsconfig.json`: which one configures a module (the `--tsconfig` override, else the
//! nearest one above the module; none for files under `node_modules`, as tsc and esbuild
//! have it), and its compiler options after `extends` (relative and from packages). It is
//! read with oxc_resolver's own tsconfig loader, over a file system that records every path
//! the loader reads or looks at, so that the query depends on exactly those files: an edit
//! of an extended config re-runs it, an edit elsewhere does not.

use std::{
    path::Path,
    sync::{Arc, Mutex},
};

use oxc_resolver::{ResolveError, ResolveOptions, ResolverGeneric};

use super::CompileOptions;
use crate::{
    Db,
    diagnostics::{Diagnostic, TextRange, offset_of},
    files::{FileStatus, SourceFile, SourceText, file_status, is_library, source_text},
    resolve::SystemFileSystem,
};

/// The compiler options verde reads, after `extends`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TsconfigOptions {
    pub jsx: Option<String>,
    pub jsx_factory: Option<String>,
    pub jsx_fragment_factory: Option<String>,
    pub jsx_import_source: Option<String>,
    pub experimental_decorators: Option<bool>,
    pub emit_decorator_metadata: Option<bool>,
    pub use_define_for_class_fields: Option<bool>,
    pub verbatim_module_syntax: Option<bool>,
    pub target: Option<String>,
}

/// The tsconfig that configures `file`, if any.
pub fn module_tsconfig(db: &dyn Db, file: SourceFile) -> Option<SourceFile> {
    if let Some(path) = CompileOptions::try_get(db).and_then(|options| options.tsconfig(db).clone())
    {
        return Some(db.files().file(db, &path));
    }
    let path = file.path(db);
    if is_library(path) {
        return None;
    }
    let directory = path.parent()?;
    directory_tsconfig(db, db.files().file(db, directory))
}

/// The nearest `tsconfig.json` in `directory` or above it: one query per directory, shared
/// by its modules and subdirectories. (A query per module looked at every directory above
/// it, and after a file was created or deleted, a high input, salsa confirmed each of those
/// lookups again: 2,341 memos of six lookups each on three.js x10 against 268 of one.)
#[salsa::tracked(returns(copy))]
fn directory_tsconfig(db: &dyn Db, directory: SourceFile) -> Option<SourceFile> {
    let path = directory.path(db);
    let candidate = db.files().file(db, &path.join("tsconfig.json"));
    if *file_status(db, candidate) == FileStatus::File {
        return Some(candidate);
    }
    let parent = path.parent()?;
    directory_tsconfig(db, db.files().file(db, parent))
}

/// The compiler options of `tsconfig`, or why it cannot be read (with the file, line and
/// column of a JSON error, in an extended config too).
#[salsa::tracked(returns(ref))]
pub fn tsconfig_options(db: &dyn Db, tsconfig: SourceFile) -> Result<TsconfigOptions, Diagnostic> {
    let path = tsconfig.path(db);
    let _ = tsconfig.revision(db);
    let looked_at = Arc::new(Mutex::new(Vec::new()));
    let resolver = ResolverGeneric::new_with_file_system(
        SystemFileSystem {
            system: db.system_arc(),
            looked_at: Some(looked_at.clone()),
        },
        ResolveOptions::default(),
    );
    let loaded = resolver.resolve_tsconfig(path);
    // Depend on everything the loader read or looked for.
    let mut paths = std::mem::take(&mut *looked_at.lock().unwrap());
    paths.sort();
    paths.dedup();
    for looked in &paths {
        let _ = db.files().file(db, looked).revision(db);
    }
    match loaded {
        Ok(loaded) => {
            let options = &loaded.compiler_options;
            Ok(TsconfigOptions {
                jsx: options.jsx.clone(),
                jsx_factory: options.jsx_factory.clone(),
                jsx_fragment_factory: options.jsx_fragment_factory.clone(),
                jsx_import_source: options.jsx_import_source.clone(),
                experimental_decorators: options.experimental_decorators,
                emit_decorator_metadata: options.emit_decorator_metadata,
                use_define_for_class_fields: options.use_define_for_class_fields,
                verbatim_module_syntax: options.verbatim_module_syntax,
                target: options.target.clone(),
            })
        }
        Err(error) => Err(tsconfig_error(db, path, error)),
    }
}

/// A tsconfig problem as a diagnostic, located where it can be.
fn tsconfig_error(db: &dyn Db, tsconfig: &Path, error: ResolveError) -> Diagnostic {
    let error = match error {
        ResolveError::TsconfigLoadFailed { source, .. } => *source,
        other => other,
    };
    match error {
        ResolveError::Json(json) => {
            let file = db.files().file(db, &json.path);
            let offset = match source_text(db, file) {
                SourceText::Text(text) => offset_of(text, json.line, json.column),
                _ => 0,
            } as u32;
            Diagnostic::error(
                "INVALID_TSCONFIG",
                format!(
                    "{} is not a valid tsconfig: {}",
                    json.path.display(),
                    json.message
                ),
            )
            .in_file(
                &json.path,
                Some(TextRange {
                    start: offset,
                    end: offset,
                }),
            )
        }
        other => Diagnostic::error(
            "INVALID_TSCONFIG",
            format!("{} cannot be used: {other}", tsconfig.display()),
        )
        .in_file(tsconfig, None),
    }
}
