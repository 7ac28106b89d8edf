//! The query database: salsa's storage plus the few shared, non-derived resources queries
//! need (the file registry, the `System` that reads bytes, the module resolver).

use std::{
    path::Path,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
};

use salsa::Setter;

use crate::{
    cache::ModuleCache,
    files::{Files, OsSystem, SourceFile, System},
    resolve::ModuleResolver,
    settings::{CompileOptions, JsxFlags},
};

/// What every query can reach besides salsa itself.
#[salsa::db]
pub trait Db: salsa::Database {
    fn system(&self) -> &dyn System;
    fn system_arc(&self) -> Arc<dyn System>;
    fn files(&self) -> &Files;
    fn resolver(&self) -> &ModuleResolver;
    /// Counts of the expensive queries that executed (see [`Work`]).
    fn work(&self) -> &Work;
    /// The on-disk cache of compiled modules, if the build uses one.
    fn module_cache(&self) -> Option<&ModuleCache>;
}

/// How many times the queries that do a build's real work executed: parsing a module,
/// rendering one, and the whole-bundle link passes. Counted by the queries themselves,
/// which costs nothing, unlike salsa's events (see [`Database::new`]); watch mode reports
/// them after every rebuild.
#[derive(Debug, Default)]
pub struct Work {
    parsed: AtomicUsize,
    restored: AtomicUsize,
    rendered: AtomicUsize,
    linked: AtomicUsize,
}

/// A snapshot of [`Work`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorkDone {
    /// Modules parsed.
    pub parsed: usize,
    /// Modules whose parse came from the on-disk cache instead.
    pub restored: usize,
    /// Modules rendered.
    pub rendered: usize,
    /// Executions of the whole-bundle passes (tree shaking, naming).
    pub linked: usize,
}

impl Work {
    pub fn parsed(&self) {
        self.parsed.fetch_add(1, Ordering::Relaxed);
    }

    pub fn restored(&self) {
        self.restored.fetch_add(1, Ordering::Relaxed);
    }

    pub fn rendered(&self) {
        self.rendered.fetch_add(1, Ordering::Relaxed);
    }

    pub fn linked(&self) {
        self.linked.fetch_add(1, Ordering::Relaxed);
    }

    /// The counts since the last call.
    pub fn take(&self) -> WorkDone {
        WorkDone {
            parsed: self.parsed.swap(0, Ordering::Relaxed),
            restored: self.restored.swap(0, Ordering::Relaxed),
            rendered: self.rendered.swap(0, Ordering::Relaxed),
            linked: self.linked.swap(0, Ordering::Relaxed),
        }
    }
}

/// The one database the library API, the CLI, watch mode and the LSP share. Clones share
/// memoized results; each worker thread gets its own clone.
#[salsa::db]
#[derive(Clone)]
pub struct Database {
    storage: salsa::Storage<Self>,
    system: Arc<dyn System>,
    files: Files,
    resolver: Arc<ModuleResolver>,
    query_log: Arc<Mutex<Vec<(QueryEvent, salsa::DatabaseKeyIndex)>>>,
    log_validations: Arc<AtomicBool>,
    work: Arc<Work>,
    module_cache: Option<Arc<ModuleCache>>,
    /// What changed since the summaries were last published (see [`crate::summary`]).
    pending: Arc<Mutex<Pending>>,
    /// What the next discovery needs to know of the last one.
    last_discovery: Arc<Mutex<LastDiscovery>>,
    /// The modules whose new nested names and globals the summaries do not show yet (see
    /// `summary::publish_held_back`), with what their parses say now.
    held_back_scope_names: Arc<Mutex<HeldBackScopeNames>>,
}

type HeldBackScopeNames = rustc_hash::FxHashMap<SourceFile, Arc<crate::parse::ScopeNames>>;

/// What the next build needs to know of the last discovery (see `compiler::evaluate`) and
/// of the last link (see [`Database::link_inputs_unchanged`]).
#[derive(Debug, Default)]
struct LastDiscovery {
    /// The configuration whose graph the last discovery walked, and the revision after it,
    /// while every module it reached is published.
    graph: Option<(crate::config::BuildConfig, salsa::Revision)>,
    /// The modules published again since: where the next discovery starts.
    republished: rustc_hash::FxHashSet<SourceFile>,
    /// The configuration last linked to the end, and the revision it was linked in.
    linked: Option<(crate::config::BuildConfig, salsa::Revision)>,
    /// The modules that link read (see [`Database::last_linked_modules`]).
    linked_modules: Option<Arc<[SourceFile]>>,
    /// A module that cannot be read or parsed was published since (see
    /// [`Database::broken_module_published`]).
    broken_published: bool,
    /// A file appeared or vanished since the last link (see
    /// [`Database::check_graph_published`]).
    presence_changed: bool,
}

/// The changes the published summaries do not reflect yet.
#[derive(Debug, Default)]
pub struct Pending {
    /// Modules whose own text changed.
    pub files: rustc_hash::FxHashSet<SourceFile>,
    /// Something any module's parse may read changed: a manifest, a tsconfig, a file some
    /// module's input map reads, a library file, the compile options. Every published
    /// summary is checked against its parse.
    pub everything: bool,
    /// The published modules whose parse read files other than their own text and the
    /// manifests: their input maps' sources. Checked at every publication.
    pub readers_of_other_files: rustc_hash::FxHashSet<SourceFile>,
}

/// What happened to a query, as the query log records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QueryEvent {
    /// It ran (its memo was missing or out of date).
    Executed,
    /// Its memo was found up to date, by a durability check or by checking its inputs.
    Validated,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database").finish_non_exhaustive()
    }
}

impl Default for Database {
    fn default() -> Self {
        Database::new(Arc::new(OsSystem), true)
    }
}

impl Database {
    /// A database reading through `system`. With `query_log`, it records which queries
    /// execute (see [`Database::take_query_log`]) through salsa's event callback, which
    /// salsa then calls on every query it fetches and every memo it validates, each time
    /// making an event that names the current thread: about a tenth of a rebuild that
    /// validates every module's memos. Without, no callback is installed.
    pub fn new(system: Arc<dyn System>, query_log: bool) -> Self {
        let log: Arc<Mutex<Vec<(QueryEvent, salsa::DatabaseKeyIndex)>>> = Arc::default();
        let log_validations = Arc::new(AtomicBool::new(false));
        let callback = query_log.then(|| {
            let log = log.clone();
            let validations = log_validations.clone();
            Box::new(move |event: salsa::Event| match event.kind {
                salsa::EventKind::WillExecute { database_key } => {
                    log.lock()
                        .unwrap()
                        .push((QueryEvent::Executed, database_key));
                }
                salsa::EventKind::DidValidateMemoizedValue { database_key }
                    if validations.load(Ordering::Relaxed) =>
                {
                    log.lock()
                        .unwrap()
                        .push((QueryEvent::Validated, database_key));
                }
                _ => {}
            }) as Box<dyn Fn(salsa::Event) + Send + Sync>
        });
        let query_log = log;
        let database = Database {
            storage: salsa::Storage::new(callback),
            resolver: Arc::new(ModuleResolver::new(system.clone())),
            system,
            files: Files::default(),
            query_log,
            log_validations,
            work: Arc::default(),
            module_cache: None,
            pending: Arc::default(),
            last_discovery: Arc::default(),
            held_back_scope_names: Arc::default(),
        };
        // The command line's compile options: one per database, set by the compiler.
        let _ = CompileOptions::builder(
            Vec::new(),
            JsxFlags::default(),
            None,
            crate::settings::Defines::default(),
            crate::settings::Platform::default(),
            false,
            false,
            false,
            false,
            crate::settings::LegalComments::default(),
            false,
            crate::settings::Charset::default(),
        )
        .durability(salsa::Durability::HIGH)
        .new(&database);
        database
    }

    /// Whether the query log also records memos found up to date (there are many: one per
    /// memo on every build, so this is for tests and diagnosis).
    pub fn set_log_validations(&self, on: bool) {
        self.log_validations.store(on, Ordering::Relaxed);
    }

    /// What happened to which queries since the last call, in order, by query name.
    pub fn take_query_log(&self) -> Vec<(QueryEvent, String)> {
        let log = std::mem::take(&mut *self.query_log.lock().unwrap());
        log.into_iter()
            .map(|(event, key)| {
                let name = salsa::Database::ingredient_debug_name(self, key.ingredient_index());
                (event, name.into_owned())
            })
            .collect()
    }

    /// Tells the database that the file at `path` was written, created or deleted.
    pub fn file_changed(&mut self, path: &Path) {
        self.resolver.clear_cache();
        let file = self.files.file(self, path);
        // What the builds last saw of the file's existence (or, for a file nothing read, what
        // there is now): resolutions look again only if that changed.
        let seen = *crate::files::file_status(self, file);
        let revision = file.revision(self);
        file.set_revision(self)
            .with_durability(crate::files::text_durability(path))
            .to(revision + 1);
        if seen != crate::files::current_status(self, path) {
            // At the durability it was made with: high, or medium for a project file whose
            // handle was made after a build (see `files::presence_durability`).
            let presence = file.presence(self);
            file.set_presence(self).to(presence + 1);
            self.last_discovery.lock().unwrap().presence_changed = true;
        }
        // A published module's parse reads its own text and what `everything` covers. Any
        // other file's text may be read by some module's parse (a tsconfig it extends, an
        // input map or a source one names), which only salsa knows: all are checked. But a
        // project source file that is not a published module is read by no parse while no
        // module's input map reads other files (a module created, or deleted before
        // anything published it).
        let low = crate::files::text_durability(path) == salsa::Durability::LOW;
        let published = crate::summary::is_published(self, file);
        let mut pending = self.pending.lock().unwrap();
        if low && published {
            pending.files.insert(file);
        } else if !(low
            && crate::settings::is_module_source(path)
            && pending.readers_of_other_files.is_empty())
        {
            pending.everything = true;
        }
    }

    /// Says that something every module's parse may read changed (the compile options).
    pub fn parse_inputs_changed(&mut self) {
        self.pending.lock().unwrap().everything = true;
    }

    /// Where the next discovery of `config`'s graph must start: `None` from the entries;
    /// else from the modules published again since the last discovery, which are taken.
    /// The last discovery's starts hold while it walked the same configuration's graph,
    /// every module it reached is published (and, after a file appeared or vanished, every
    /// module of the graph linked: see [`Database::check_graph_published`]), and no input
    /// of high durability changed since: salsa's own clock of the last change per
    /// durability tells (`Zalsa::last_changed_revision`, plumbing salsa does not promise to
    /// keep: the workspace pins salsa to one version).
    pub fn discovery_starts(&self, config: crate::config::BuildConfig) -> Option<Vec<SourceFile>> {
        use salsa::plumbing::ZalsaDatabase;
        let mut last = self.last_discovery.lock().unwrap();
        let republished = std::mem::take(&mut last.republished);
        let (graph_of, revision) = last.graph?;
        let high_unchanged =
            self.zalsa().last_changed_revision(salsa::Durability::HIGH) <= revision;
        (graph_of == config && high_unchanged).then(|| republished.into_iter().collect())
    }

    /// Notes that a discovery walked from `starts` (see [`Database::discovery_starts`]) was
    /// stopped before it ended (a newer edit superseded the build): the next walks from
    /// them as well, or from the entries if this one did.
    pub fn discovery_stopped(&self, starts: Option<Vec<SourceFile>>) {
        match starts {
            Some(starts) => self.republished(&starts),
            None => self.discovery_incomplete(),
        }
    }

    /// Notes that the last discovery does not cover the graph (a module it reached is not
    /// published, or it was stopped): the next walks from the entries.
    pub fn discovery_incomplete(&self) {
        self.last_discovery.lock().unwrap().graph = None;
    }

    /// Notes that a discovery of `config`'s graph just ended, every module it reached
    /// published.
    pub fn discovered(&self, config: crate::config::BuildConfig) {
        use salsa::plumbing::ZalsaDatabase;
        let revision = self.zalsa().current_revision();
        self.last_discovery.lock().unwrap().graph = Some((config, revision));
    }

    /// After a link that followed a file's appearing or vanishing: unless every module of
    /// `config`'s graph is published, forgets the last discovery, so that the next walks
    /// from the entries. A presence changed at medium durability (a file whose handle was
    /// made after a build, see `files::presence_durability`) leaves discovery walking from
    /// the modules published again, and a module not published again that resolves to the
    /// file, or resolved to it, may now reach a module never published: link reads that one
    /// from its parse (see [`crate::summary::View`]) until a walk from the entries publishes
    /// it.
    pub fn check_graph_published(&self, config: crate::config::BuildConfig) {
        if !std::mem::take(&mut self.last_discovery.lock().unwrap().presence_changed) {
            return;
        }
        let modules = &crate::bundle::discovered_modules(self, config).modules;
        if !modules
            .iter()
            .all(|&file| crate::summary::is_published(self, file))
        {
            self.discovery_incomplete();
        }
    }

    /// Notes that `config` was just linked to the end.
    pub fn linked(&self, config: crate::config::BuildConfig) {
        use salsa::plumbing::ZalsaDatabase;
        let revision = self.zalsa().current_revision();
        let modules = Arc::from(
            crate::bundle::discovered_modules(self, config)
                .modules
                .as_slice(),
        );
        let mut last = self.last_discovery.lock().unwrap();
        last.linked = Some((config, revision));
        last.linked_modules = Some(modules);
        last.broken_published = false;
    }

    /// Notes that the summary of a module that cannot be read or parsed was just published
    /// (its diagnostics only): until a link runs to the end again, no link works out
    /// bindings ahead of its syntax check (see [`Database::last_linked_modules`]).
    pub fn broken_module_published(&self) {
        self.last_discovery.lock().unwrap().broken_published = true;
    }

    /// The modules the last link of `config` read, all published from a parse without
    /// syntax errors (their summaries keep it): the next link works out their bindings while
    /// it looks for syntax errors (see `parallel::link_in_parallel`). None once a module
    /// that cannot be read or parsed was published since: binding an import of it reads
    /// its export table, which says it is broken, and a build stopped by its syntax error
    /// would leave its importers' bindings changed, to change back (and re-run tree
    /// shaking) when the error is fixed. Only where to start work early: what the build
    /// decides never depends on it.
    pub fn last_linked_modules(&self, config: crate::config::BuildConfig) -> Arc<[SourceFile]> {
        let last = self.last_discovery.lock().unwrap();
        match (&last.linked, &last.linked_modules) {
            (Some((linked, _)), Some(modules)) if *linked == config && !last.broken_published => {
                modules.clone()
            }
            _ => Arc::from([]),
        }
    }

    /// Whether no medium or high input changed since `config` was last linked: then what
    /// link decides with (every module's record, facts, imports, the graph) is as it was,
    /// and only code and spans (low) may have changed, as after an edit inside a function.
    pub fn link_inputs_unchanged(&self, config: crate::config::BuildConfig) -> bool {
        use salsa::plumbing::ZalsaDatabase;
        let last = self.last_discovery.lock().unwrap();
        last.linked.is_some_and(|(linked, revision)| {
            linked == config
                && self
                    .zalsa()
                    .last_changed_revision(salsa::Durability::MEDIUM)
                    <= revision
        })
    }

    /// The changes not published yet, taken (see [`crate::summary::publish_pending`]).
    pub fn take_pending(&self) -> Pending {
        let mut pending = self.pending.lock().unwrap();
        Pending {
            files: std::mem::take(&mut pending.files),
            everything: std::mem::take(&mut pending.everything),
            readers_of_other_files: pending.readers_of_other_files.clone(),
        }
    }

    /// Holds back `file`'s nested names and globals, `names` (or, with `None`, forgets
    /// what was held back of it: what is published is what its parse says).
    pub fn hold_back_scope_names(
        &self,
        file: SourceFile,
        names: Option<Arc<crate::parse::ScopeNames>>,
    ) {
        let mut held_back = self.held_back_scope_names.lock().unwrap();
        match names {
            Some(names) => held_back.insert(file, names),
            None => held_back.remove(&file),
        };
    }

    /// The nested names and globals held back, taken.
    pub fn take_held_back_scope_names(&self) -> HeldBackScopeNames {
        std::mem::take(&mut self.held_back_scope_names.lock().unwrap())
    }

    /// Notes that `files` were published again (see [`Database::discovery_starts`]).
    pub fn republished(&self, files: &[SourceFile]) {
        self.last_discovery
            .lock()
            .unwrap()
            .republished
            .extend(files);
    }

    /// Leaves `files` for the next publication.
    pub fn defer(&self, files: Vec<SourceFile>) {
        self.pending.lock().unwrap().files.extend(files);
    }

    /// Notes whether `file`'s parse read files other than its own text (see
    /// [`Pending::readers_of_other_files`]).
    pub fn set_reads_other_files(&self, file: SourceFile, reads: bool) {
        let mut pending = self.pending.lock().unwrap();
        match reads {
            true => pending.readers_of_other_files.insert(file),
            false => pending.readers_of_other_files.remove(&file),
        };
    }

    /// Sets the on-disk cache parses read and fill (`None`: no cache). A module parsed
    /// already stays as it is; what the cache holds is what parsing would produce.
    pub fn set_module_cache(&mut self, cache: Option<Arc<ModuleCache>>) {
        self.module_cache = cache;
    }

    pub fn module_cache_handle(&self) -> Option<&Arc<ModuleCache>> {
        self.module_cache.as_ref()
    }

    pub fn file(&self, path: &Path) -> SourceFile {
        self.files.file(self, path)
    }
}

#[salsa::db]
impl salsa::Database for Database {}

#[salsa::db]
impl Db for Database {
    fn system(&self) -> &dyn System {
        &*self.system
    }

    fn system_arc(&self) -> Arc<dyn System> {
        self.system.clone()
    }

    fn files(&self) -> &Files {
        &self.files
    }

    fn resolver(&self) -> &ModuleResolver {
        &self.resolver
    }

    fn work(&self) -> &Work {
        &self.work
    }

    fn module_cache(&self) -> Option<&ModuleCache> {
        self.module_cache.as_deref()
    }
}
