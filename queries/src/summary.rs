//! The firewall between parse and link: what link reads of each module, published by the
//! driver as salsa inputs.
//!
//! Salsa confirms a memo at a glance only when no input of its durability or lower changed
//! since it was last checked, and walks its inputs otherwise. The whole-bundle passes read
//! every module, so if link read the parse side (low for project code: it reads the text),
//! every edit would make salsa walk every module's link and render memos, and through them
//! every module's parse. Instead the driver, between builds, compares the parse of each
//! module whose text changed with its [`ModuleSummary`] and sets only the fields that
//! differ. The fields link decides with are medium (high for libraries), the object code
//! and the spans low: a body edit changes one module's code and nothing medium, so every
//! link memo is confirmed at a glance and only render walks its inputs; an edit that
//! changes a view walks the link side once, never the parse of a module it did not touch.
//!
//! What a summary must reflect is its module's parse at the current inputs. A parse reads
//! its own text, the compile options, the manifests and tsconfigs above it, and, with
//! source maps, its input map and the sources that map names. So [`publish_pending`]
//! re-reads the parse of every module whose own text changed, of every module whose parse
//! read other files (input maps), and of every module when anything else changed
//! (`Database::file_changed` and `Database::parse_inputs_changed` say which).
//! [`publish_discovered`] publishes the modules a build reached for the first time. A
//! module never published is read from its parse (the accessors below fall back), so
//! queries asked without the driver, in tests and the editor's first reads, stay correct.
//!
//! A module with a syntax error publishes its diagnostics only: its view keeps the last
//! good parse, as the build stops at the syntax error (see `discovered_modules`), so that
//! fixing it compares equal and re-links nothing.
//!
//! A module's nested names and globals may be held back: while their change adds or
//! removes no name the last naming chose, the summary keeps the old ones, which give
//! naming's collision checks the same answers, so that typing a new local costs what a
//! body edit costs (see [`publish_held_back`]).

use std::sync::Arc;

use salsa::{Durability, Setter};

use crate::{
    Database, Db,
    config::BuildConfig,
    diagnostics::Diagnostic,
    files::{FileStatus, SourceFile, file_status, summary_durability, text_durability},
    link::final_names::{ChosenSoFar, chosen_so_far},
    parse::{
        MapSource, ModuleDiagnostics, ModuleFacts, ModuleImports, ModuleKind, ModuleRecord,
        ModuleShape, ModuleSpans, Name, ObjectCode, ScopeNames, StaticObjects, module_diagnostics,
        module_view, parsed_module,
    },
};

/// What link reads of one module: each field `None` until the driver publishes it, then
/// set only when its value changes.
#[salsa::input(debug)]
pub struct ModuleSummary {
    #[returns(ref)]
    pub record: Option<Arc<ModuleRecord>>,
    #[returns(ref)]
    pub scope_names: Option<Arc<ScopeNames>>,
    #[returns(ref)]
    pub shape: Option<Arc<ModuleShape>>,
    #[returns(ref)]
    pub facts: Option<Arc<ModuleFacts>>,
    #[returns(ref)]
    pub imports: Option<Arc<ModuleImports>>,
    /// ES module or CommonJS: all that the modules importing it read of it to bind their
    /// imports, so that its imports changing does not bind theirs again.
    #[returns(copy)]
    pub kind: Option<ModuleKind>,
    /// What the items' source-map segments point into. Low for project code, as the text
    /// it holds.
    #[returns(ref)]
    pub map_sources: Option<Arc<[MapSource]>>,
    #[returns(ref)]
    pub legal_comments: Option<Arc<Vec<String>>>,
    #[returns(ref)]
    pub constants: Option<Arc<Vec<(Name, Name, bool)>>>,
    #[returns(ref)]
    pub static_objects: Option<Arc<StaticObjects>>,
    #[returns(ref)]
    pub ignoring_this: Option<Arc<Vec<Name>>>,
    /// Whether the module has `require` calls whose argument is not a string literal (the
    /// build warns about them, at their spans).
    #[returns(copy)]
    pub has_require_expressions: Option<bool>,
    #[returns(ref)]
    pub diagnostics: Option<Arc<ModuleDiagnostics>>,
    /// Each item's object code, in item order. Low for project code.
    #[returns(ref)]
    pub code: Option<Arc<[Arc<ObjectCode>]>>,
    /// Where things are in the text, for diagnostics. Low for project code; read only when
    /// a diagnostic is located.
    #[returns(ref)]
    pub spans: Option<Arc<ModuleSpans>>,
}

impl ModuleSummary {
    /// A summary nothing was published in, made with its file.
    pub(crate) fn unpublished(db: &dyn Db, durability: Durability) -> ModuleSummary {
        ModuleSummary::builder(
            None, None, None, None, None, None, None, None, None, None, None, None, None, None,
            None,
        )
        .durability(durability)
        .new(db)
    }
}

/// Whether a summary was ever published for `file`.
pub fn is_published(db: &dyn Db, file: SourceFile) -> bool {
    file.summary(db).diagnostics(db).is_some()
}

/// A module as link reads it: from its published summary, or, before anything was
/// published, from its parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct View {
    pub file: SourceFile,
    summary: ModuleSummary,
}

macro_rules! view_fields {
    ($($(#[$doc:meta])* $field:ident: $ty:ty;)*) => {
        impl View {
            $(
                $(#[$doc])*
                pub fn $field(self, db: &dyn Db) -> &$ty {
                    match self.summary.$field(db) {
                        Some(value) => value,
                        None => module_view(db, self.file).$field(db),
                    }
                }
            )*
        }
    };
}

view_fields! {
    /// The position-free record.
    record: ModuleRecord;
    /// The names only naming reads: nested bindings and globals.
    scope_names: ScopeNames;
    /// What tree shaking reads of the record.
    shape: ModuleShape;
    /// What link needs to know about each item.
    facts: ModuleFacts;
    /// What binding the module's imports needs.
    imports: ModuleImports;
    /// What the items' source-map segments point into.
    map_sources: Arc<[MapSource]>;
    /// The module's legal comments.
    legal_comments: Vec<String>;
    /// The constants importers read in place (see `ModuleView::constants`).
    constants: Vec<(Name, Name, bool)>;
    /// The objects whose members importers read in place.
    static_objects: StaticObjects;
    /// The functions that never read `this`.
    ignoring_this: Vec<Name>;
}

impl View {
    pub fn of(db: &dyn Db, file: SourceFile) -> View {
        View {
            file,
            summary: file.summary(db),
        }
    }

    /// Why the module cannot be read, and its syntax and scope errors.
    pub fn diagnostics(self, db: &dyn Db) -> &ModuleDiagnostics {
        match self.summary.diagnostics(db) {
            Some(diagnostics) => diagnostics,
            None => module_diagnostics(db, self.file),
        }
    }

    /// The object code of the module's item at `index`.
    pub fn code(self, db: &dyn Db, index: usize) -> &ObjectCode {
        match self.summary.code(db) {
            Some(code) => &code[index],
            None => module_view(db, self.file).items(db)[index].code(db),
        }
    }

    /// Where things are in the module's text.
    pub fn spans(self, db: &dyn Db) -> &ModuleSpans {
        match self.summary.spans(db) {
            Some(spans) => spans,
            None => &parsed_module(db, self.file).spans,
        }
    }

    /// ES module or CommonJS.
    pub fn kind(self, db: &dyn Db) -> ModuleKind {
        match self.summary.kind(db) {
            Some(kind) => kind,
            None => module_view(db, self.file).imports(db).kind,
        }
    }

    /// Whether the module has `require` calls whose argument is not a string literal.
    pub fn has_require_expressions(self, db: &dyn Db) -> bool {
        match self.summary.has_require_expressions(db) {
            Some(has) => has,
            None => !parsed_module(db, self.file)
                .spans
                .require_expressions
                .is_empty(),
        }
    }
}

/// What a module's parse says now, to be compared with its summary.
struct Parse {
    diagnostics: Arc<ModuleDiagnostics>,
    /// `None` when the module has a syntax error: its view keeps the last good parse.
    view: Option<ViewValues>,
}

struct ViewValues {
    record: Arc<ModuleRecord>,
    scope_names: Arc<ScopeNames>,
    shape: Arc<ModuleShape>,
    facts: Arc<ModuleFacts>,
    imports: Arc<ModuleImports>,
    map_sources: Arc<[MapSource]>,
    legal_comments: Arc<Vec<String>>,
    constants: Arc<Vec<(Name, Name, bool)>>,
    static_objects: Arc<StaticObjects>,
    ignoring_this: Arc<Vec<Name>>,
    has_require_expressions: bool,
    code: Arc<[Arc<ObjectCode>]>,
    spans: Arc<ModuleSpans>,
}

/// Reads `file`'s parse (parsing it if it is out of date).
fn read_parse(db: &dyn Db, file: SourceFile) -> Parse {
    let diagnostics = Arc::new(module_diagnostics(db, file).clone());
    if diagnostics.syntax.iter().any(Diagnostic::is_error) {
        return Parse {
            diagnostics,
            view: None,
        };
    }
    let view = module_view(db, file);
    let spans = Arc::new(parsed_module(db, file).spans.clone());
    let view = ViewValues {
        record: view.record(db).clone(),
        scope_names: view.scope_names(db).clone(),
        shape: view.shape(db).clone(),
        facts: view.facts(db).clone(),
        imports: view.imports(db).clone(),
        map_sources: view.map_sources(db).clone(),
        legal_comments: view.legal_comments(db).clone(),
        constants: view.constants(db).clone(),
        static_objects: view.static_objects(db).clone(),
        ignoring_this: view.ignoring_this(db).clone(),
        has_require_expressions: !spans.require_expressions.is_empty(),
        code: view
            .items(db)
            .iter()
            .map(|item| item.code(db).clone())
            .collect(),
        spans,
    };
    Parse {
        diagnostics,
        view: Some(view),
    }
}

/// Sets the fields of `file`'s summary that differ from `parse`; holds back new nested
/// names and globals that `chosen` says cannot matter (see [`publish_held_back`]).
fn publish_one(db: &mut Database, file: SourceFile, parse: Parse, chosen: Option<&ChosenSoFar>) {
    let path = file.path(db).clone();
    // Decisions medium for project code, code and spans at the durability of the text
    // (low for project code) or the decisions', if lower.
    let decisions = summary_durability(&path);
    let text = text_durability(&path).min(decisions);
    let summary = file.summary(db);
    macro_rules! publish {
        ($field:ident, $setter:ident, $value:expr, $durability:expr) => {
            let value = $value;
            if summary.$field(db).as_ref() != Some(&value) {
                summary
                    .$setter(db)
                    .with_durability($durability)
                    .to(Some(value));
            }
        };
    }
    if parse.view.is_none() || parse.diagnostics.unreadable.is_some() {
        db.broken_module_published();
    }
    if let Some(view) = parse.view {
        let reads_other_files = view
            .map_sources
            .iter()
            .any(|source| *source.path != *path && source.content.is_none());
        db.set_reads_other_files(file, reads_other_files);
        publish!(record, set_record, view.record, decisions);
        let held_back = match summary.scope_names(db) {
            Some(published) if **published == *view.scope_names => None,
            Some(published)
                if decisions == Durability::MEDIUM
                    && chosen.is_some_and(|chosen| {
                        !chosen.scope_change_matters(published, &view.scope_names)
                    }) =>
            {
                Some(view.scope_names)
            }
            _ => {
                publish!(scope_names, set_scope_names, view.scope_names, decisions);
                None
            }
        };
        db.hold_back_scope_names(file, held_back);
        publish!(shape, set_shape, view.shape, decisions);
        publish!(facts, set_facts, view.facts, decisions);
        publish!(kind, set_kind, view.imports.kind, decisions);
        publish!(imports, set_imports, view.imports, decisions);
        // It holds the module's text (with source maps), which changes with every edit.
        publish!(map_sources, set_map_sources, view.map_sources, text);
        publish!(
            legal_comments,
            set_legal_comments,
            view.legal_comments,
            decisions
        );
        publish!(constants, set_constants, view.constants, decisions);
        publish!(
            static_objects,
            set_static_objects,
            view.static_objects,
            decisions
        );
        publish!(
            ignoring_this,
            set_ignoring_this,
            view.ignoring_this,
            decisions
        );
        publish!(
            has_require_expressions,
            set_has_require_expressions,
            view.has_require_expressions,
            decisions
        );
        publish!(code, set_code, view.code, text);
        publish!(spans, set_spans, view.spans, text);
    }
    // Last: it says the summary is published.
    publish!(diagnostics, set_diagnostics, parse.diagnostics, decisions);
}

/// Publishes the summaries of `files` from their parses, read on `workers`' threads. If a
/// parse panics, the summaries of `files` are unpublished instead: link then reads those
/// modules' parses, and the panic is reported where the build or the editor asks for them,
/// as any query's.
fn publish(
    db: &mut Database,
    files: Vec<SourceFile>,
    workers: &crate::parallel::Workers,
    config: Option<BuildConfig>,
) {
    if files.is_empty() {
        return;
    }
    let _span = tracing::debug_span!("publish", modules = files.len()).entered();
    match crate::parallel::map_in_parallel(db, workers, "compiling", &files, read_parse) {
        Ok(parses) => {
            // What naming chose, read before anything is set: while no medium input
            // changed since `config` was linked, its memos are confirmed at a glance.
            let chosen = config
                .filter(|&config| db.link_inputs_unchanged(config))
                .and_then(|config| chosen_so_far(db, config));
            for (file, parse) in files.into_iter().zip(parses) {
                publish_one(db, file, parse, chosen.as_ref());
            }
        }
        Err(_) => {
            for file in files {
                unpublish(db, file);
            }
        }
    }
}

/// Empties `file`'s summary.
fn unpublish(db: &mut Database, file: SourceFile) {
    let durability = summary_durability(file.path(db));
    let summary = file.summary(db);
    macro_rules! unpublish {
        ($($field:ident: $setter:ident),*) => {
            $(
                if summary.$field(db).is_some() {
                    summary.$setter(db).with_durability(durability).to(None);
                }
            )*
        };
    }
    unpublish!(
        record: set_record,
        scope_names: set_scope_names,
        shape: set_shape,
        facts: set_facts,
        imports: set_imports,
        kind: set_kind,
        map_sources: set_map_sources,
        legal_comments: set_legal_comments,
        constants: set_constants,
        static_objects: set_static_objects,
        ignoring_this: set_ignoring_this,
        has_require_expressions: set_has_require_expressions,
        code: set_code,
        spans: set_spans,
        diagnostics: set_diagnostics
    );
    db.set_reads_other_files(file, false);
    db.hold_back_scope_names(file, None);
}

/// Publishes what changed since the last publication (see the module's documentation):
/// before a build reads anything, and before a snapshot is handed out. A module whose file
/// is gone waits, unless it is one of `entries`: nothing else can reach it (a resolution
/// needs the file), and its parse is kept for the file to come back with the same text.
pub fn publish_pending(db: &mut Database, config: BuildConfig, workers: &crate::parallel::Workers) {
    let entries = config.entries(db).clone();
    let pending = db.take_pending();
    let mut files: Vec<SourceFile> = match pending.everything {
        true => db.files().all(),
        false => pending.files.into_iter().collect(),
    };
    files.extend(pending.readers_of_other_files);
    files.retain(|&file| is_published(db, file));
    let (gone, files): (Vec<SourceFile>, Vec<SourceFile>) = files
        .into_iter()
        .partition(|file| *file_status(db, *file) != FileStatus::File && !entries.contains(file));
    db.defer(gone);
    let mut files: Vec<(std::path::PathBuf, SourceFile)> = files
        .into_iter()
        .map(|file| (file.path(db).clone(), file))
        .collect();
    // In path order, so that a build does the same whatever order the changes came in.
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    let files: Vec<SourceFile> = files.into_iter().map(|(_, file)| file).collect();
    db.republished(&files);
    publish(db, files, workers, Some(config));
}

/// Publishes the modules of `files` that were never published: what a build reached for
/// the first time (their parses are memoized already).
pub fn publish_discovered(
    db: &mut Database,
    files: &[SourceFile],
    workers: &crate::parallel::Workers,
) {
    let mut new: Vec<(std::path::PathBuf, SourceFile)> = files
        .iter()
        .copied()
        .filter(|&file| !is_published(db, file))
        .map(|file| (file.path(db).clone(), file))
        .collect();
    new.sort_by(|a, b| a.0.cmp(&b.0));
    publish(
        db,
        new.into_iter().map(|(_, file)| file).collect(),
        workers,
        None,
    );
}

/// Publishes the nested names and globals held back, unless `config` is about to be linked
/// and no medium input changed since it last was.
///
/// A new local in a function body, or a new read of a global, changes the module's scope
/// names, which only naming's collision checks read. Published, they are a medium input
/// like the rest of the summary, and salsa then confirms every medium memo, the link side
/// of every module, before the checks find nothing (a build about twice a body edit's).
/// So when a module's new scope names add or remove no name that naming chose
/// ([`ChosenSoFar::scope_change_matters`]), they are held back: the summary keeps the
/// names it had, with which every collision check comes out as it would with the new
/// ones. That holds while naming chooses what it chose; it may choose otherwise only
/// after a medium input changed (or for another configuration), and before such a build
/// links, this publishes everything held back.
pub fn publish_held_back(db: &mut Database, config: BuildConfig) {
    if db.link_inputs_unchanged(config) {
        return;
    }
    let mut held_back: Vec<(SourceFile, Arc<ScopeNames>)> =
        db.take_held_back_scope_names().into_iter().collect();
    // In salsa id order, not the map's: a build does the same whatever order edits came in.
    held_back.sort_by_key(|(file, _)| salsa::plumbing::AsId::as_id(file));
    for (file, names) in held_back {
        let durability = summary_durability(file.path(db));
        let summary = file.summary(db);
        if summary.scope_names(db).as_deref() != Some(&*names) {
            summary
                .set_scope_names(db)
                .with_durability(durability)
                .to(Some(names));
        }
    }
}
