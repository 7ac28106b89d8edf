//! Reads on another thread: a [`Snapshot`] is a handle on the compiler's database as it is
//! now. It answers editor questions (diagnostics, definitions, references, hover, symbols,
//! completions) while the [`Compiler`](crate::Compiler) that made it goes on taking edits.
//! An edit cancels every read in flight: the read returns [`Cancelled`], and the caller asks
//! again on a fresh snapshot.

use std::{
    fmt,
    panic::AssertUnwindSafe,
    path::{Path, PathBuf},
    sync::Arc,
};

use verde_queries::{
    Database,
    config::BuildConfig,
    diagnostics::{Diagnostic, TextRange},
    files::{SourceFile, SourceText, normalize_path, source_text},
    ide::{
        self,
        index::module_index,
        navigation::{self, FileRange, Target},
    },
    link::Binding,
};

pub use verde_queries::ide::index::SymbolKind;

/// A read was cancelled because the compiler's inputs changed while it ran. Ask again on a
/// new [`Snapshot`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cancelled: the inputs changed while the request ran")
    }
}

impl std::error::Error for Cancelled {}

/// The result of a read that an edit may cancel.
pub type Cancellable<T> = Result<T, Cancelled>;

/// A range in a file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file, absolute.
    pub path: PathBuf,
    /// Byte offsets into the file's text.
    pub range: TextRange,
}

/// What hovering a name shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    /// The first line of the declaring statement, as written.
    pub declaration: String,
    /// What kind of binding it is.
    pub kind: SymbolKind,
    /// The module that declares it.
    pub path: PathBuf,
    /// Whether a build of the snapshot's entries keeps the declaration (`Some(false)`: tree
    /// shaking drops it); `None` when the module is not reached from the entries.
    pub included: Option<bool>,
}

/// A top-level binding of a module, for an outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    /// The local name; `default` for `export default <expression>`.
    pub name: String,
    /// What kind of binding it is.
    pub kind: SymbolKind,
    /// The whole declaring statement.
    pub range: TextRange,
    /// The name in it.
    pub selection_range: TextRange,
}

/// Why a rename cannot be done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameError {
    /// Nothing renamable is at the position (an external binding, a namespace, a keyword).
    NothingToRename,
    /// The new name is not a JavaScript identifier.
    InvalidName(String),
    /// The new name would change the meaning of code in `path`: it is bound there already,
    /// read there as a global, bound in a nested scope, or already exported.
    Conflict {
        /// The module where it would clash.
        path: PathBuf,
        /// Why.
        reason: &'static str,
    },
}

impl fmt::Display for RenameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenameError::NothingToRename => {
                f.write_str("there is no top-level binding of the project here")
            }
            RenameError::InvalidName(name) => write!(f, "\"{name}\" is not an identifier"),
            RenameError::Conflict { path, reason } => {
                write!(f, "cannot rename in {}: {reason}", path.display())
            }
        }
    }
}

impl std::error::Error for RenameError {}

/// A read-only handle on a [`Compiler`](crate::Compiler)'s database, for another thread.
/// Cheap to make (it shares every memoized result); `Send`, so it can move to a worker.
/// Positions are byte offsets into the file's text as the compiler sees it (see
/// [`Snapshot::file_text`]).
///
/// ```
/// use std::sync::Arc;
/// use verde::{BuildOptions, Compiler, MemorySystem};
///
/// let mut compiler = Compiler::with_system("/", Arc::new(MemorySystem::new()));
/// compiler.set_file_text("/main.js", "import { x } from './x.js';\nconsole.log(x);\n");
/// compiler.set_file_text("/x.js", "export const x = 1;\n");
/// let options = BuildOptions { entries: vec!["/main.js".into()], ..BuildOptions::default() };
/// let snapshot = compiler.snapshot(&options);
/// let reader = std::thread::spawn(move || {
///     let offset = "import { x } from './x.js';\nconsole.log(".len() as u32;
///     snapshot.definition("/main.js", offset)
/// });
/// let definition = reader.join().unwrap().unwrap().unwrap();
/// assert_eq!(definition.path, std::path::Path::new("/x.js"));
/// assert_eq!(definition.range.start, "export const ".len() as u32);
/// ```
pub struct Snapshot {
    db: Database,
    config: BuildConfig,
    root: PathBuf,
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl Snapshot {
    pub(crate) fn new(db: Database, config: BuildConfig, root: PathBuf) -> Self {
        Snapshot { db, config, root }
    }

    /// The directory relative paths are taken from.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Runs a read, turning salsa's cancellation unwind into [`Cancelled`] (see
    /// [`Snapshot::cancelled`]).
    fn read<T>(&self, read: impl FnOnce(&Database) -> T) -> Cancellable<T> {
        let db = &self.db;
        salsa::Cancelled::catch(AssertUnwindSafe(|| read(db))).map_err(|why| self.cancelled(why))
    }

    /// What salsa's unwind `why` means for this read. When the read waited for a query
    /// another thread was computing and that thread unwound, salsa says only that the
    /// other thread panicked, which it also says when the other thread was cancelled by an
    /// edit. An edit waits for this snapshot to be dropped before it applies, so it is
    /// still pending here: if one is, the other thread was (or is about to be) cancelled
    /// and so is this read; if none is, a query really panicked and so does this read.
    fn cancelled(&self, why: salsa::Cancelled) -> Cancelled {
        if let salsa::Cancelled::PropagatedPanic = why {
            let edit_pending = salsa::Cancelled::catch(AssertUnwindSafe(|| {
                salsa::Database::unwind_if_revision_cancelled(&self.db)
            }))
            .is_err();
            if !edit_pending {
                panic!("a query this read waited for panicked on another thread")
            }
        }
        Cancelled
    }

    fn file(&self, path: impl AsRef<Path>) -> SourceFile {
        self.db.file(&normalize_path(&self.root, path.as_ref()))
    }

    fn location(&self, at: FileRange) -> Location {
        Location {
            path: at.file.path(&self.db).clone(),
            range: at.range,
        }
    }

    /// The text of `path` as the compiler sees it (an editor's overlay, or the disk), or
    /// `None` when it cannot be read as text.
    pub fn file_text(&self, path: impl AsRef<Path>) -> Cancellable<Option<Arc<str>>> {
        let file = self.file(path);
        self.read(|db| match source_text(db, file) {
            SourceText::Text(text) => Some(text.clone()),
            _ => None,
        })
    }

    /// The problems of one module: read and syntax errors, unresolved imports, missing or
    /// ambiguous exports, and import cycles that would read a binding before it exists.
    ///
    /// A bug in verde while computing them is an internal-error diagnostic of the module,
    /// not a panic: an editor shows it, and the next edit tries again.
    pub fn diagnostics(&self, path: impl AsRef<Path>) -> Cancellable<Vec<Diagnostic>> {
        let file = self.file(path.as_ref());
        std::panic::catch_unwind(AssertUnwindSafe(|| {
            self.read(|db| ide::file_diagnostics(db, self.config, file))
        }))
        .unwrap_or_else(|panic| {
            Ok(vec![
                Diagnostic::internal_error(format!(
                    "checking this module panicked: {}",
                    verde_queries::stack::panic_message(&*panic)
                ))
                .in_file(&normalize_path(&self.root, path.as_ref()), None),
            ])
        })
    }

    /// Where the name at `offset` is declared, following imports, re-exports and
    /// `export *`; on a module specifier, the module.
    pub fn definition(&self, path: impl AsRef<Path>, offset: u32) -> Cancellable<Option<Location>> {
        let file = self.file(path);
        self.read(|db| {
            let target = navigation::resolve_at(db, self.config, file, offset)?;
            navigation::declaration_of(db, &target).map(|at| self.location(at))
        })
    }

    /// Every occurrence, in `project` (the modules to search), of the binding the name at
    /// `offset` refers to, its declaration included; sorted by path and offset.
    pub fn references(
        &self,
        path: impl AsRef<Path>,
        offset: u32,
        project: &[PathBuf],
    ) -> Cancellable<Vec<Location>> {
        let file = self.file(path);
        let files = self.files(project);
        self.read(|db| {
            let Some(Target::Binding(binding)) =
                navigation::resolve_at(db, self.config, file, offset)
            else {
                return Ok(Vec::new());
            };
            let candidates = self.candidates(db, &binding, &files)?;
            let mut found: Vec<Location> =
                navigation::references(db, self.config, &binding, &candidates)
                    .into_iter()
                    .map(|(at, _)| self.location(at))
                    .collect();
            found.dedup();
            Ok(found)
        })?
    }

    /// The ranges to replace with `new_name` to rename the top-level binding at `offset`
    /// across `project`. Aliases keep their names: `import { x as y }` changes `x` only.
    pub fn rename(
        &self,
        path: impl AsRef<Path>,
        offset: u32,
        new_name: &str,
        project: &[PathBuf],
    ) -> Cancellable<Result<Vec<Location>, RenameError>> {
        if !verde_queries::names::is_binding_name(new_name) {
            return Ok(Err(RenameError::InvalidName(new_name.to_owned())));
        }
        let file = self.file(path);
        let files = self.files(project);
        self.read(|db| -> Cancellable<Result<Vec<Location>, RenameError>> {
            let Some(Target::Binding(binding @ Binding::Symbol { .. })) =
                navigation::resolve_at(db, self.config, file, offset)
            else {
                return Ok(Err(RenameError::NothingToRename));
            };
            let candidates = self.candidates(db, &binding, &files)?;
            let edits =
                match navigation::rename_edits(db, self.config, &binding, new_name, &candidates) {
                    Ok(edits) => edits,
                    Err(conflict) => {
                        return Ok(Err(RenameError::Conflict {
                            path: conflict.file.path(db).clone(),
                            reason: conflict.reason,
                        }));
                    }
                };
            if edits.is_empty() {
                return Ok(Err(RenameError::NothingToRename));
            }
            Ok(Ok(edits.into_iter().map(|at| self.location(at)).collect()))
        })?
    }

    /// What the name at `offset` is: its declaration line, kind and module, and whether a
    /// build keeps it.
    pub fn hover(&self, path: impl AsRef<Path>, offset: u32) -> Cancellable<Option<Hover>> {
        let file = self.file(path);
        self.read(|db| {
            let target = navigation::resolve_at(db, self.config, file, offset)?;
            let info = navigation::hover(db, self.config, &target)?;
            Some(Hover {
                declaration: info.declaration,
                kind: info.kind,
                path: info.module.path(db).clone(),
                included: info.included,
            })
        })
    }

    /// The module's top-level bindings (its items' names), in source order.
    pub fn symbols(&self, path: impl AsRef<Path>) -> Cancellable<Vec<Symbol>> {
        let file = self.file(path);
        self.read(|db| {
            module_index(db, file)
                .symbols
                .iter()
                .filter(|symbol| symbol.kind != SymbolKind::Import)
                .map(|symbol| Symbol {
                    name: match symbol.name.as_str() {
                        verde_queries::parse::DEFAULT_LOCAL => "default".to_owned(),
                        name => name.to_owned(),
                    },
                    kind: symbol.kind,
                    range: symbol.statement,
                    selection_range: symbol.declaration,
                })
                .collect()
        })
    }

    /// Inside the braces of `import { ... } from "specifier"`: the names that module
    /// exports, sorted. Empty anywhere else.
    pub fn import_completions(
        &self,
        path: impl AsRef<Path>,
        offset: u32,
    ) -> Cancellable<Vec<String>> {
        let file = self.file(path);
        self.read(|db| {
            let SourceText::Text(text) = source_text(db, file) else {
                return Vec::new();
            };
            let Some(specifier) = ide::import_braces_at(text, offset as usize) else {
                return Vec::new();
            };
            ide::importable_names(db, self.config, file, &specifier)
                .into_iter()
                .map(|name| name.to_string())
                .collect()
        })
    }

    /// The modules of `files` that can mention `binding`, with their editor indexes built:
    /// both steps spread over every core (the first search of a project parses and indexes
    /// most of it).
    fn candidates(
        &self,
        db: &Database,
        binding: &Binding,
        files: &[SourceFile],
    ) -> Cancellable<Vec<SourceFile>> {
        let threads = verde_queries::parallel::default_threads();
        let config = self.config;
        let candidates =
            verde_queries::parallel::filter_in_parallel(db, threads, files, |db, &file| {
                navigation::may_refer_to(db, config, file, binding)
            })
            .map_err(|why| self.cancelled(why))?;
        verde_queries::parallel::filter_in_parallel(db, threads, &candidates, |db, &file| {
            let _ = module_index(db, file);
            false
        })
        .map_err(|why| self.cancelled(why))?;
        Ok(candidates)
    }

    fn files(&self, paths: &[PathBuf]) -> Vec<SourceFile> {
        paths.iter().map(|path| self.file(path)).collect()
    }
}
