//! verde as a library: a [`Compiler`] owns the query database and turns entries into
//! bundles. Successive builds reuse everything that did not change: tell the compiler what
//! changed ([`Compiler::set_file_text`], [`Compiler::file_changed`], ...) and build again.
//! The CLI (`verde build`, and its `--watch` mode) is a thin layer over this facade.
//!
//! ```
//! use std::sync::Arc;
//! use verde::{BuildOptions, Compiler, MemorySystem, OutputFormat};
//!
//! let mut compiler = Compiler::with_system("/", Arc::new(MemorySystem::new()));
//! compiler.set_file_text("/main.js", "import { x } from './x.js';\nconsole.log(x);\n");
//! compiler.set_file_text("/x.js", "export const x = 1;\n");
//! let options = BuildOptions { entries: vec!["/main.js".into()], ..BuildOptions::default() };
//! let code = compiler.build(&options).code.unwrap().to_string();
//! assert!(code.contains("const x = 1;"));
//!
//! compiler.set_file_text("/x.js", "export const x = 2;\n");
//! let code = compiler.build(&options).code.unwrap().to_string();
//! assert!(code.contains("const x = 2;"));
//! ```

#![warn(missing_docs)]

pub mod heap;
pub mod lsp;
pub mod metafile;
mod output;
mod snapshot;
pub mod watch;

use std::{
    collections::BTreeMap,
    fmt, io,
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, Instant},
};

use salsa::{Durability, Setter as _};
use verde_queries::{
    Database, Db as _,
    bundle::{bundle, discovered_modules, item_count},
    config::BuildConfig,
    db::QueryEvent,
    files::{FileStatus, OverlaySystem, SourceFile, SourceText, file_status, source_text},
    link::tree_shaking::liveness,
    parallel::{self, Workers},
    settings::CompileOptions,
    summary,
};

pub use output::{OutputWriter, SourceMapMode, SourceMaps, map_path, write_atomically};
pub use snapshot::{
    Cancellable, Cancelled, Hover, Location, RenameError, Snapshot, Symbol, SymbolKind,
};
pub use verde_queries::{
    cache::{
        CacheStats, DEFAULT_MAX_SIZE as DEFAULT_CACHE_MAX_SIZE, DEFAULT_REMOTE_TIMEOUT,
        ModuleCache, RemoteCache, RemoteOptions,
    },
    config::{OutputFormat, OutputNames, global_name_problem, names_pattern_problem},
    diagnostics::{Diagnostic, Severity, TextRange},
    files::{MemorySystem, Metadata, OsSystem, System, normalize_path},
    parallel::{MAX_THREADS, parse_threads, threads_from_env},
    render::{
        Code,
        sourcemap::{SourceMapCache, SourceMapOptions},
    },
    settings::{
        Charset, Defines, JsxFlags, JsxMode, LegalComments, Loader, Platform,
        define::parse_define_flag, loader::parse_loader_flag,
    },
};

/// What to build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildOptions {
    /// Entry modules, relative to the compiler's root or absolute.
    pub entries: Vec<PathBuf>,
    /// The bundle's module format (ESM by default).
    pub format: OutputFormat,
    /// Specifiers to leave as runtime imports (`name` also matches `name/sub/path`).
    pub externals: Vec<String>,
    /// The global variable an `iife` bundle assigns its exports to.
    pub global_name: Option<String>,
    /// Loaders by extension (`(".js", Loader::Jsx)`), over the extension's own.
    pub loaders: Vec<(String, Loader)>,
    /// JSX options, over each module's tsconfig.
    pub jsx: JsxFlags,
    /// A tsconfig for every module, instead of the nearest one above each.
    pub tsconfig: Option<PathBuf>,
    /// `--define`s: globals replaced by constants, and the dead branches that makes dropped.
    pub defines: Defines,
    /// The runtime the bundle is for: resolution conditions and built-in modules.
    pub platform: Platform,
    /// Whether the bundle gets a source map, and where it goes.
    pub source_maps: Option<SourceMaps>,
    /// Leave out the whitespace the code does not need (`--minify-whitespace`).
    pub minify_whitespace: bool,
    /// Give bindings short names (`--minify-identifiers`).
    pub minify_identifiers: bool,
    /// Rewrite each module into shorter equivalent code (`--minify-syntax`).
    pub minify_syntax: bool,
    /// Where comments that carry a license go (`--legal-comments`).
    pub legal_comments: LegalComments,
    /// Functions and classes keep their `.name` even when identifiers are minified
    /// (`--keep-names`); without identifier minification they always do.
    pub keep_names: bool,
    /// How characters outside ASCII are printed (`--charset`; escaped by default).
    pub charset: Charset,
    /// Code splitting (ES module or CommonJS output): every entry and every module an
    /// `import()` loads is the root of a chunk; [`BuildOutput::chunks`] holds the files.
    pub splitting: bool,
    /// How split output files are named (`--entry-names`, `--chunk-names`).
    pub output_names: OutputNames,
    /// Whether [`BuildOutput::metafile`] says what the build read and what each output
    /// holds (`--metafile`, `--analyze`).
    pub metafile: bool,
}

/// The result of a build: the code when it succeeded, and every diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildOutput {
    /// The bundle, or `None` when an error stopped the build.
    pub code: Option<Code>,
    /// Errors and warnings, in module order.
    pub diagnostics: Vec<Diagnostic>,
    /// Every module the build read, in discovery order (shared with the builds before it
    /// while the modules stay the same).
    pub inputs: Arc<[PathBuf]>,
    /// The entry modules, absolute, as the options named them (not resolved through
    /// symbolic links, unlike the other inputs, which come from the resolver).
    pub entries: Vec<PathBuf>,
    /// Phase times and counts.
    pub stats: BuildStats,
    /// The source maps the options asked for: [`OutputWriter::write_output`] writes them.
    pub source_maps: Option<SourceMaps>,
    /// With splitting, every output file (the first is `code`), to be written into one
    /// directory by [`OutputWriter::write_chunks`].
    pub chunks: Vec<OutputChunk>,
    /// With [`BuildOptions::metafile`], what the build read and what each output holds;
    /// [`metafile::metafile_json`] writes it as esbuild's metafile.
    pub metafile: Option<metafile::Metafile>,
}

/// One file of a split build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputChunk {
    /// Its path in the output directory, `/`-separated (by default `[name].js` for an
    /// entry, `[name]-[hash].js` for any other; see [`OutputNames`]).
    pub file_name: String,
    /// The entry it is the file of, if it is an entry's.
    pub entry: Option<PathBuf>,
    /// Its code, hashes of the chunks it names filled in.
    pub code: Code,
}

/// What a build did and how long each phase took (wall time; a phase that found its
/// results memoized is quick).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BuildStats {
    /// Parsing, scoping and resolving the modules, and generating their object code.
    pub parse: Duration,
    /// Binding imports to exports, tree shaking, naming.
    pub link: Duration,
    /// Each module's replacements (what its relocations become), patching its code, and
    /// assembling the chunk.
    pub render: Duration,
    /// Modules in the graph.
    pub modules: usize,
    /// Top-level items (statements) of those modules.
    pub items: usize,
    /// Items that are in the bundle.
    pub live_items: usize,
    /// Modules this build parsed (the others' results were reused).
    pub parsed: usize,
    /// Modules whose parse this build read from the on-disk cache.
    pub restored: usize,
    /// Modules this build rendered.
    pub rendered: usize,
    /// Whether this build ran the whole-bundle link passes (tree shaking, naming) again.
    pub relinked: bool,
}

impl BuildOutput {
    fn failed(diagnostics: Vec<Diagnostic>) -> Self {
        BuildOutput {
            code: None,
            diagnostics,
            inputs: Arc::from([]),
            entries: Vec::new(),
            stats: BuildStats::default(),
            source_maps: None,
            chunks: Vec::new(),
            metafile: None,
        }
    }

    /// Whether any diagnostic is an error (then there is no code).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Whether a bug in verde stopped the build (an internal-error diagnostic).
    pub fn has_internal_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_internal_error)
    }

    /// Writes the bundle to `path` atomically (see [`write_atomically`]). A build that
    /// failed has nothing to write: that is an error, and `path` is left as it was.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use verde::{BuildOptions, Compiler, MemorySystem};
    ///
    /// let mut compiler = Compiler::with_system("/", Arc::new(MemorySystem::new()));
    /// compiler.set_file_text("/main.js", "console.log(1);\n");
    /// let options = BuildOptions { entries: vec!["/main.js".into()], ..BuildOptions::default() };
    /// let out = std::env::temp_dir().join(format!("verde-doc-{}.js", std::process::id()));
    /// compiler.build(&options).write(&out)?;
    /// assert_eq!(std::fs::read_to_string(&out)?, "// main.js\nconsole.log(1);\n");
    ///
    /// compiler.set_file_text("/main.js", "console.log(;\n");
    /// assert!(compiler.build(&options).write(&out).is_err());
    /// assert_eq!(std::fs::read_to_string(&out)?, "// main.js\nconsole.log(1);\n");
    /// # std::fs::remove_file(&out)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn write(&self, path: &Path) -> io::Result<()> {
        OutputWriter::new().write_output(self, path).map(drop)
    }

    /// Whether writing the bundle to `path` would overwrite one of the build's inputs, by
    /// real path: symbolic links and `..` are followed, so `link/main.js` with `link -> .`
    /// is `main.js`.
    pub fn would_overwrite_input(&self, path: &Path) -> bool {
        let Some(target) = real_path(path) else {
            return false;
        };
        // The resolver hands out real paths already; only the entries are as given. (Real
        // paths of every input cost thousands of `readlink`s on a large graph.) Real paths
        // are equal as paths when their bytes are: compared as bytes, most differ in length
        // at once, where comparing them component by component was about 2 million
        // instructions per rebuild on three.js x10, before every write of the output.
        self.inputs
            .iter()
            .any(|input| input.as_os_str() == target.as_os_str())
            || self
                .entries
                .iter()
                .any(|entry| real_path(entry).is_some_and(|entry| entry == target))
    }
}

/// The path in the output directory of `entry`'s file under the template `names.entry`
/// (`--entry-names`): `[dir]` is its directory relative to the lowest common ancestor of
/// `entries`' directories, `[hash]` a content hash of `code` (left out without it). The
/// command line names its unsplit bundles with it, and checks before a build that no two
/// entries would be written to the same file.
pub fn entry_file_name(
    names: &OutputNames,
    entry: &Path,
    entries: &[PathBuf],
    code: Option<&Code>,
) -> String {
    use verde_queries::split::chunks::{
        common_ancestor, directory_under, expand_names_pattern, file_name_hash,
    };
    let ancestor = common_ancestor(entries.iter().map(PathBuf::as_path));
    let stem = entry
        .file_stem()
        .unwrap_or(entry.as_os_str())
        .to_string_lossy();
    let hash = code.map_or_else(String::new, |code| file_name_hash(code.content_hash()));
    expand_names_pattern(
        &names.entry,
        &directory_under(entry, &ancestor),
        &stem,
        &hash,
    )
}

/// Which queries executed (rather than being reused) during some builds, and which were
/// found up to date, by query name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryLog {
    counts: BTreeMap<String, usize>,
    validated: BTreeMap<String, usize>,
}

impl QueryLog {
    /// How many times the query `name` (for example `parsed_module`) executed.
    pub fn count(&self, name: &str) -> usize {
        self.counts.get(name).copied().unwrap_or(0)
    }

    /// How many memos of the query `name` were checked and found up to date.
    pub fn validated(&self, name: &str) -> usize {
        self.validated.get(name).copied().unwrap_or(0)
    }

    /// Every query that executed, with its count, sorted by name.
    pub fn counts(&self) -> &BTreeMap<String, usize> {
        &self.counts
    }

    /// Every query some of whose memos were confirmed, with how many, sorted by name
    /// (counted only with [`Compiler::log_validations`]).
    pub fn validations(&self) -> &BTreeMap<String, usize> {
        &self.validated
    }
}

impl fmt::Display for QueryLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (name, count) in &self.counts {
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            write!(f, "{name} x{count}")?;
        }
        Ok(())
    }
}

/// Owns the query database; successive builds reuse everything that did not change.
pub struct Compiler {
    db: Database,
    system: Arc<OverlaySystem>,
    root: PathBuf,
    config: Option<BuildConfig>,
    threads: usize,
    /// Started on the first build, with `threads` threads.
    workers: Option<Workers>,
    /// The last build's modules and their paths, given to the next build's output while
    /// the modules stay the same (a rebuild of three.js x10 spent 0.4 ms copying 3,871
    /// paths).
    inputs: Option<(Vec<SourceFile>, Arc<[PathBuf]>)>,
    /// The module cache being written (see [`Compiler::finish_cache_writes`]): the problems
    /// it ran into.
    cache_writes: Option<std::thread::JoinHandle<Vec<String>>>,
    /// Problems of cache writes already waited for, not yet reported.
    cache_warnings: Vec<Diagnostic>,
}

/// Waits for the module cache writes of `writes`: the problems they ran into.
fn written_to_cache(writes: std::thread::JoinHandle<Vec<String>>) -> Vec<String> {
    writes.join().unwrap_or_else(|panic| {
        vec![format!(
            "writing the module cache panicked: {}",
            verde_queries::stack::panic_message(&*panic)
        )]
    })
}

impl Drop for Compiler {
    fn drop(&mut self) {
        if let Some(writes) = self.cache_writes.take() {
            let _ = writes.join();
        }
    }
}

impl fmt::Debug for Compiler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Compiler")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl Compiler {
    /// A compiler reading files from disk; relative paths are taken from `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self::with_system(root, Arc::new(OsSystem))
    }

    /// A compiler reading files through `system` (for example a [`MemorySystem`]).
    pub fn with_system(root: impl Into<PathBuf>, system: Arc<dyn System>) -> Self {
        let system = Arc::new(OverlaySystem::new(system));
        Compiler {
            db: Database::new(system.clone(), true),
            system,
            root: root.into(),
            config: None,
            // A bad `VERDE_THREADS` is the command line's to report; a library falls back.
            threads: parallel::default_threads(),
            workers: None,
            inputs: None,
            cache_writes: None,
            cache_warnings: Vec::new(),
        }
    }

    /// The same compiler, without the query log: [`Compiler::take_query_log`] stays empty,
    /// and builds skip the bookkeeping that feeds it (salsa's events, about a tenth of a
    /// rebuild). [`BuildStats`] still counts the modules parsed and rendered. Call it
    /// before the first build: it starts from an empty database.
    pub fn without_query_log(mut self) -> Self {
        self.db = Database::new(self.system.clone(), false);
        self.config = None;
        self.inputs = None;
        self
    }

    /// Keeps compiled modules in `cache` across processes: a build reads a module's parse
    /// from it instead of parsing when it finds the module's key there, and writes what it
    /// parsed. `None` (the default for a library) keeps them in memory only. See
    /// [`default_cache_dir`] for where the command line keeps it.
    pub fn set_module_cache(&mut self, cache: Option<Arc<ModuleCache>>) {
        self.db.set_module_cache(cache);
    }

    /// Starts writing what the builds and reads so far compiled to the module cache, on a
    /// thread of its own, once the writes before are done: that thread waits for them, not
    /// the caller. Every build calls it once its modules are compiled; the language server,
    /// whose reads compile modules too, after each round of diagnostics. (A cold build of
    /// three.js x10 writes 3,871 modules in about 0.6 s: the first rebuild of a watch mode
    /// edited in that time waited for them, 245 ms where the next took 15.)
    pub fn start_cache_writes(&mut self) {
        let Some(cache) = self.db.module_cache_handle().cloned() else {
            let cache_warnings = self.finish_cache_writes();
            self.cache_warnings.extend(cache_warnings);
            return;
        };
        let before = self.cache_writes.take();
        self.cache_writes = Some(std::thread::spawn(move || {
            parallel::run_when_idle();
            let mut problems = before.map_or_else(Vec::new, written_to_cache);
            cache.flush();
            problems.extend(cache.take_problems());
            problems
        }));
    }

    /// Waits until the module cache holds what the builds so far compiled (a build starts
    /// writing it and returns without waiting; the command line calls this once the output
    /// is written, and dropping the compiler waits too). What went wrong with the cache, as
    /// warnings: a cache problem never fails a build, which compiles what it cannot read.
    pub fn finish_cache_writes(&mut self) -> Vec<Diagnostic> {
        let problems = self
            .cache_writes
            .take()
            .map_or_else(Vec::new, written_to_cache);
        let mut warnings = std::mem::take(&mut self.cache_warnings);
        warnings.extend(problems.into_iter().map(|problem| {
            Diagnostic::warning("MODULE_CACHE", problem).with_help(
                "the build compiled what it could not read; `verde cache clean` empties the cache",
            )
        }));
        warnings
    }

    /// What went wrong with the module cache writes that are done, as warnings, without
    /// waiting for those still going on (watch mode reports them with the next rebuild).
    pub fn take_cache_warnings(&mut self) -> Vec<Diagnostic> {
        if self
            .cache_writes
            .as_ref()
            .is_some_and(|writes| writes.is_finished())
        {
            let warnings = self.finish_cache_writes();
            self.cache_warnings.extend(warnings);
        }
        std::mem::take(&mut self.cache_warnings)
    }

    /// How many threads builds use (default: `VERDE_THREADS`, or every core; at most
    /// [`MAX_THREADS`]). The output does not depend on it.
    pub fn set_threads(&mut self, threads: usize) {
        let threads = threads.clamp(1, MAX_THREADS);
        if threads != self.threads {
            self.threads = threads;
            self.workers = None;
        }
    }

    /// What names the build of `options` in the module cache, the same on every machine: the
    /// options, with their paths as the cache's keys name them (relative to the project).
    fn build_name(&self, cache: &ModuleCache, options: &BuildOptions) -> String {
        let key_path = |path: &Path| cache.key_path(&self.absolute(path)).to_owned();
        let mut options = options.clone();
        options.entries = options
            .entries
            .iter()
            .map(|entry| key_path(entry))
            .collect();
        options.tsconfig = options.tsconfig.as_deref().map(key_path);
        format!("{options:?}")
    }

    /// The directory relative paths are taken from.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn absolute(&self, path: &Path) -> PathBuf {
        normalize_path(&self.root, path)
    }

    /// Builds `options.entries` into one chunk. Never panics: a bug in a query is reported
    /// as an [`INTERNAL_ERROR`](Diagnostic::is_internal_error) diagnostic naming the module,
    /// and the compiler stays usable (the next build tries again).
    pub fn build(&mut self, options: &BuildOptions) -> BuildOutput {
        self.build_unless_superseded(options, &|| false)
            .expect("a build nothing supersedes runs to the end")
    }

    /// Like [`build`](Self::build), but gives up, returning `None`, once `superseded` says
    /// the build is out of date (watch mode: another edit arrived, so this build's output
    /// would be stale). It is asked before each module is discovered and between the
    /// build's steps, from any thread. What the build computed stays memoized, so the next build (after
    /// the new edit is applied) redoes nothing that is still valid.
    pub fn build_unless_superseded(
        &mut self,
        options: &BuildOptions,
        superseded: &(dyn Fn() -> bool + Sync),
    ) -> Option<BuildOutput> {
        let _span = tracing::debug_span!("build").entered();
        let config = self.configure(options);
        if let Err(message) = self.workers() {
            return Some(BuildOutput::failed(vec![Diagnostic::internal_error(
                message,
            )]));
        }
        if let Some(cache) = self.db.module_cache_handle() {
            cache.begin_build(&self.build_name(cache, options));
        }
        let source_maps = options.source_maps;
        // What this build does, not what reads between builds did.
        self.db.work().take();
        let wants_metafile = options.metafile;
        let evaluated = evaluate(
            &mut self.db,
            config,
            self.workers.as_ref().expect("started above"),
            superseded,
        );
        // Every module this build compiled is in the cache's pending entries now: they are
        // written on a thread of their own while link, render and the writing of the output
        // run (see `finish_cache_writes`).
        self.start_cache_writes();
        let workers = self.workers.as_ref().expect("started above");
        let times = match evaluated {
            Ok(times) => times,
            Err(parallel::Stopped::Failed(internal_errors)) => {
                return Some(BuildOutput::failed(internal_errors));
            }
            Err(parallel::Stopped::Superseded) => return None,
        };
        let db = self.db.clone();
        let last_inputs = self.inputs.take();
        let assembled = workers.run(move || {
            let assembling = Instant::now();
            let output = bundle(&db, config);
            let assembled = assembling.elapsed();
            // Not the module graph: a build stopped by a syntax error must not compute it
            // (see `discovered_modules`). The same modules, in another order.
            let modules = &discovered_modules(&db, config).modules;
            let (files, inputs) = match last_inputs {
                Some((files, paths)) if files == *modules => (files, paths),
                last => (modules.clone(), input_paths(&db, modules, last)),
            };
            let work = db.work().take();
            let stats = BuildStats {
                parsed: work.parsed,
                restored: work.restored,
                rendered: work.rendered,
                relinked: work.linked > 0,
                parse: times.parse,
                link: times.link,
                render: times.render + assembled,
                modules: modules.len(),
                // Item facts are not computed for a build stopped by a syntax error.
                items: match output.code {
                    Some(_) => *item_count(&db, config),
                    None => 0,
                },
                // Tree shaking runs only for a build that produced code.
                live_items: match output.code {
                    Some(_) => liveness(&db, config)
                        .modules
                        .iter()
                        .map(|module| module.live_items.len())
                        .sum(),
                    None => 0,
                },
            };
            let output = BuildOutput {
                code: output.code.clone(),
                diagnostics: output.diagnostics.clone(),
                inputs,
                entries: {
                    let mut entries: Vec<PathBuf> = config
                        .entries(&db)
                        .iter()
                        .map(|entry| entry.path(&db).clone())
                        .collect();
                    entries.dedup();
                    entries
                },
                stats,
                source_maps,
                chunks: output
                    .chunks
                    .iter()
                    .map(|chunk| OutputChunk {
                        file_name: chunk.file_name.clone(),
                        entry: chunk.entry.map(|entry| entry.path(&db).clone()),
                        code: chunk.code.clone(),
                    })
                    .collect(),
                metafile: (wants_metafile && output.code.is_some())
                    .then(|| verde_queries::metafile::metafile(&db, config)),
            };
            let paths = output.inputs.clone();
            (output, (files, paths))
        });
        Some(match assembled {
            Ok((output, inputs)) => {
                self.inputs = Some(inputs);
                output
            }
            Err(panic) => BuildOutput::failed(vec![Diagnostic::internal_error(format!(
                "assembling the bundle panicked: {}",
                verde_queries::stack::panic_message(&*panic)
            ))]),
        })
    }

    /// A handle for reads on another thread (diagnostics, definitions, references...)
    /// against the current inputs and `options`. Edits made afterwards cancel its reads in
    /// flight; see [`Snapshot`].
    ///
    /// ```
    /// use std::sync::Arc;
    /// use verde::{BuildOptions, Cancelled, Compiler, MemorySystem};
    ///
    /// let mut compiler = Compiler::with_system("/", Arc::new(MemorySystem::new()));
    /// compiler.set_file_text("/main.js", "import { x } from './x.js';\n");
    /// compiler.set_file_text("/x.js", "export const y = 1;\n");
    /// let options = BuildOptions::default();
    ///
    /// let snapshot = compiler.snapshot(&options);
    /// let reader = std::thread::spawn(move || loop {
    ///     // Answers until an edit cancels it.
    ///     match snapshot.diagnostics("/main.js") {
    ///         Ok(diagnostics) => assert_eq!(diagnostics[0].code, "MISSING_EXPORT"),
    ///         Err(Cancelled) => return,
    ///     }
    /// });
    /// // Waits for the reader to let go of the old revision, then applies the edit.
    /// compiler.set_file_text("/x.js", "export const x = 1;\n");
    /// reader.join().unwrap();
    /// assert!(compiler.snapshot(&options).diagnostics("/main.js").unwrap().is_empty());
    /// ```
    pub fn snapshot(&mut self, options: &BuildOptions) -> Snapshot {
        let config = self.configure(options);
        // The snapshot's link reads must see the edits made since the last build.
        if self.workers().is_ok()
            && let Some(workers) = &self.workers
        {
            summary::publish_pending(&mut self.db, config, workers);
            summary::publish_held_back(&mut self.db, config);
        }
        Snapshot::new(self.db.clone(), config, self.root.clone())
    }

    /// The worker threads, started on first use.
    fn workers(&mut self) -> Result<&Workers, String> {
        if self.workers.is_none() {
            self.workers = Some(Workers::new(self.threads)?);
        }
        Ok(self.workers.as_ref().expect("started above"))
    }

    /// Sets the build configuration input, touching only the fields that changed.
    fn configure(&mut self, options: &BuildOptions) -> BuildConfig {
        let entries: Vec<_> = options
            .entries
            .iter()
            .map(|entry| self.db.file(&self.absolute(entry)))
            .collect();
        // The configuration changes far less often than files: high durability, so queries
        // that read only it and library files are not re-validated after a project edit.
        let durability = Durability::HIGH;
        let Some(config) = self.config else {
            let config = BuildConfig::builder(
                self.root.clone(),
                entries,
                options.externals.clone(),
                options.format,
                options.global_name.clone(),
                options.splitting,
                options.output_names.clone(),
            )
            .durability(durability)
            .new(&self.db);
            self.config = Some(config);
            self.configure_compilation(options);
            return config;
        };
        if config.entries(&self.db) != &entries {
            config
                .set_entries(&mut self.db)
                .with_durability(durability)
                .to(entries);
        }
        if config.externals(&self.db) != &options.externals {
            config
                .set_externals(&mut self.db)
                .with_durability(durability)
                .to(options.externals.clone());
        }
        if config.format(&self.db) != options.format {
            config
                .set_format(&mut self.db)
                .with_durability(durability)
                .to(options.format);
        }
        if config.splitting(&self.db) != options.splitting {
            config
                .set_splitting(&mut self.db)
                .with_durability(durability)
                .to(options.splitting);
        }
        if config.output_names(&self.db) != &options.output_names {
            config
                .set_output_names(&mut self.db)
                .with_durability(durability)
                .to(options.output_names.clone());
        }
        if config.global_name(&self.db) != &options.global_name {
            config
                .set_global_name(&mut self.db)
                .with_durability(durability)
                .to(options.global_name.clone());
        }
        self.configure_compilation(options);
        config
    }

    /// Sets the compile options input (loaders, JSX, tsconfig), touching what changed.
    fn configure_compilation(&mut self, options: &BuildOptions) {
        let durability = Durability::HIGH;
        let compile = CompileOptions::get(&self.db);
        let mut changed = false;
        if compile.loaders(&self.db) != &options.loaders {
            compile
                .set_loaders(&mut self.db)
                .with_durability(durability)
                .to(options.loaders.clone());
            changed = true;
        }
        if compile.jsx(&self.db) != &options.jsx {
            compile
                .set_jsx(&mut self.db)
                .with_durability(durability)
                .to(options.jsx.clone());
            changed = true;
        }
        let tsconfig = options.tsconfig.as_ref().map(|path| self.absolute(path));
        if compile.tsconfig(&self.db) != &tsconfig {
            compile
                .set_tsconfig(&mut self.db)
                .with_durability(durability)
                .to(tsconfig);
            changed = true;
        }
        if compile.defines(&self.db) != &options.defines {
            compile
                .set_defines(&mut self.db)
                .with_durability(durability)
                .to(options.defines.clone());
            changed = true;
        }
        if compile.platform(&self.db) != options.platform {
            compile
                .set_platform(&mut self.db)
                .with_durability(durability)
                .to(options.platform);
            changed = true;
        }
        let source_maps = options.source_maps.is_some();
        if compile.source_maps(&self.db) != source_maps {
            compile
                .set_source_maps(&mut self.db)
                .with_durability(durability)
                .to(source_maps);
            changed = true;
        }
        if compile.minify_whitespace(&self.db) != options.minify_whitespace {
            compile
                .set_minify_whitespace(&mut self.db)
                .with_durability(durability)
                .to(options.minify_whitespace);
            changed = true;
        }
        if compile.minify_identifiers(&self.db) != options.minify_identifiers {
            compile
                .set_minify_identifiers(&mut self.db)
                .with_durability(durability)
                .to(options.minify_identifiers);
            changed = true;
        }
        if compile.legal_comments(&self.db) != options.legal_comments {
            compile
                .set_legal_comments(&mut self.db)
                .with_durability(durability)
                .to(options.legal_comments);
            changed = true;
        }
        if compile.keep_names(&self.db) != options.keep_names {
            compile
                .set_keep_names(&mut self.db)
                .with_durability(durability)
                .to(options.keep_names);
            changed = true;
        }
        if compile.charset(&self.db) != options.charset {
            compile
                .set_charset(&mut self.db)
                .with_durability(durability)
                .to(options.charset);
            changed = true;
        }
        if compile.minify_syntax(&self.db) != options.minify_syntax {
            compile
                .set_minify_syntax(&mut self.db)
                .with_durability(durability)
                .to(options.minify_syntax);
            changed = true;
        }
        // Every module's parse reads them: its summary must be checked again.
        if changed {
            self.db.parse_inputs_changed();
        }
    }

    /// Sets the text of `path`, whatever the underlying system has (an editor buffer, or an
    /// embedder working from memory).
    pub fn set_file_text(&mut self, path: impl AsRef<Path>, text: impl Into<String>) {
        let path = self.absolute(path.as_ref());
        let text: String = text.into();
        self.system
            .set(path.clone(), Some(Arc::from(text.into_bytes())));
        self.db.file_changed(&path);
    }

    /// Makes `path` not exist, whatever the underlying system has.
    pub fn remove_file(&mut self, path: impl AsRef<Path>) {
        let path = self.absolute(path.as_ref());
        self.system.set(path.clone(), None);
        self.db.file_changed(&path);
    }

    /// Drops what [`Compiler::set_file_text`] or [`Compiler::remove_file`] said about
    /// `path`: the underlying system's file shows through again.
    pub fn clear_file_override(&mut self, path: impl AsRef<Path>) {
        let path = self.absolute(path.as_ref());
        if self.system.clear(&path) {
            self.db.file_changed(&path);
        }
    }

    /// Tells the compiler that `path` changed in the underlying system (written, created or
    /// deleted on disk).
    pub fn file_changed(&mut self, path: impl AsRef<Path>) {
        let path = self.absolute(path.as_ref());
        self.db.file_changed(&path);
    }

    /// Every path the builds so far read or looked for (a missing file the resolver
    /// probed is one), in the order they were first seen: what a watcher must watch. Pass
    /// how many you already have to get only the new ones.
    pub fn known_paths(&self, start: usize) -> Vec<PathBuf> {
        self.db.files().paths_since(start)
    }

    /// Whether `path` is not what the last build saw: it appeared, vanished, or has other
    /// text. Reads the file (watch mode asks about the few files whose modification times
    /// say a build may have missed an edit).
    pub fn differs_from_last_build(&self, path: &Path) -> bool {
        let Some(file) = self.db.files().existing(path) else {
            return false;
        };
        let seen = *file_status(&self.db, file);
        let now = match self.system.metadata(path) {
            Ok(metadata) if metadata.is_file => FileStatus::File,
            Ok(metadata) if metadata.is_dir => FileStatus::Directory,
            _ => FileStatus::Missing,
        };
        if seen != now {
            return true;
        }
        now == FileStatus::File
            && self.system.read(path).map_or(true, |bytes| {
                &verde_queries::files::decode_source(bytes) != source_text(&self.db, file)
            })
    }

    /// Whether a build read or looked for `path`.
    pub fn knows(&self, path: &Path) -> bool {
        self.db.files().existing(path).is_some()
    }

    /// Whether [`Compiler::take_query_log`] also counts memos found up to date (costly: one
    /// event per memo per build).
    pub fn log_validations(&mut self, on: bool) {
        self.db.set_log_validations(on);
    }

    /// Which queries executed since the last call (or since the compiler was made).
    pub fn take_query_log(&mut self) -> QueryLog {
        let mut log = QueryLog::default();
        for (event, name) in self.db.take_query_log() {
            let counts = match event {
                QueryEvent::Executed => &mut log.counts,
                QueryEvent::Validated => &mut log.validated,
            };
            *counts.entry(name).or_insert(0) += 1;
        }
        log
    }

    /// `file:line:column: error[CODE]: message`, then a code frame.
    pub fn render_diagnostic(&self, diagnostic: &Diagnostic) -> String {
        let source = diagnostic.file.as_deref().and_then(|path| {
            let file = self.db.files().existing(path)?;
            match source_text(&self.db, file) {
                SourceText::Text(text) => Some(text.clone()),
                _ => None,
            }
        });
        diagnostic.render(source.as_deref(), &self.root)
    }
}

/// The build's per-module work, in parallel: the summaries of what changed published,
/// the graph discovered, the modules it reached for the first time published, then every
/// module linked and rendered (see `verde_queries::summary`).
///
/// Discovery walks from the entries after a change of a high input (a file created or
/// deleted, but for a project file first seen after a build; a manifest; the
/// configuration), and for the first build. Otherwise it walks only from the modules
/// published again since the last discovery, and only into modules never published: a
/// module's dependencies are its summary's imports resolved through high inputs, so while
/// no high input changed, only a module whose summary changed can reach a module not
/// reached before (after a project file first seen after a build vanished, link checks
/// that, see `Database::check_graph_published`), and every published module's
/// dependencies are published already (discovery publishes what it reaches). A body edit
/// walks one module; on three.js x10, walking all 3,871 to confirm their memos took 12 ms.
/// `link_in_parallel` still asks `discovered_modules`, the graph's truth, which says
/// whether a syntax error stops the build.
fn evaluate(
    db: &mut Database,
    config: BuildConfig,
    workers: &Workers,
    superseded: &(dyn Fn() -> bool + Sync),
) -> Result<parallel::PhaseTimes, parallel::Stopped> {
    let started = Instant::now();
    summary::publish_pending(db, config, workers);
    let starts = db.discovery_starts(config);
    let walk = match &starts {
        Some(republished) => parallel::Walk::Changed(republished.clone()),
        None => parallel::Walk::Entries,
    };
    // A discovery stopped by a newer edit (one that came in two bursts: a module's import
    // removed, then the module deleted) leaves the next where this one would have started.
    let (reached, _) = match parallel::discover_in_parallel(db, config, walk, workers, superseded) {
        Ok(discovered) => discovered,
        Err(stopped) => {
            db.discovery_stopped(starts);
            return Err(stopped);
        }
    };
    summary::publish_discovered(db, &reached, workers);
    summary::publish_held_back(db, config);
    // A module left unpublished (its parse panicked) is read from its parse, and its
    // dependencies were not published: the next discovery walks from the entries.
    if reached.iter().all(|&file| summary::is_published(db, file)) {
        db.discovered(config);
    } else {
        db.discovery_incomplete();
    }
    let parse = started.elapsed();
    let times = parallel::link_in_parallel(db, config, workers, superseded)?;
    db.check_graph_published(config);
    db.files().built();
    Ok(parallel::PhaseTimes { parse, ..times })
}

/// The paths of `modules`, in order. The last build's list, when nothing else holds it any
/// more (watch mode), gives its paths up to the modules still in the graph: after a module
/// created or deleted, copying every path again was about a millisecond on three.js x10, on
/// the way to the output.
fn input_paths(
    db: &Database,
    modules: &[SourceFile],
    last: Option<(Vec<SourceFile>, Arc<[PathBuf]>)>,
) -> Arc<[PathBuf]> {
    let mut reusable: rustc_hash::FxHashMap<SourceFile, PathBuf> = Default::default();
    if let Some((files, mut paths)) = last
        && let Some(paths) = Arc::get_mut(&mut paths)
    {
        reusable.reserve(files.len());
        reusable.extend(files.into_iter().zip(paths.iter_mut().map(std::mem::take)));
    }
    modules
        .iter()
        .map(|file| {
            reusable
                .remove(file)
                .unwrap_or_else(|| file.path(db).clone())
        })
        .collect()
}

/// The real path of `path`, which need not exist: its longest existing ancestor resolved
/// (symbolic links followed), the rest appended.
fn real_path(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return Some(rest.iter().rev().fold(real, |path, name| path.join(name)));
        }
        rest.push(existing.file_name()?.to_owned());
        existing = existing.parent()?;
    }
}

/// Where the command line and the language server keep their module cache when no
/// `--cache-dir` says: the directory `VERDE_CACHE_DIR` names, if it is set (for a harness that
/// runs verde through a command it cannot add a flag to, as the conformance runner does, or
/// a machine whose project directories are read-only); else `node_modules/.cache/verde`
/// next to the nearest `package.json` above `start` (where babel-loader, eslint and
/// terser-webpack-plugin keep theirs), or, with none, `verde-cache` in the system's
/// temporary directory.
pub fn default_cache_dir(start: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("VERDE_CACHE_DIR").filter(|dir| !dir.is_empty()) {
        return PathBuf::from(dir);
    }
    project_root(start)
        .map(|dir| dir.join("node_modules").join(".cache").join("verde"))
        .unwrap_or_else(|| std::env::temp_dir().join("verde-cache"))
}

/// Opens the module cache of the project `start` is in, as the command line and the language
/// server do, so that they share it: in `dir`, by default [`default_cache_dir`]; its keys
/// name paths relative to the project's root ([`project_root`], else `fallback_root`), so
/// that another checkout of the project shares them too.
pub fn open_project_cache(
    start: &Path,
    fallback_root: &Path,
    dir: Option<&Path>,
    max_size: u64,
) -> Result<ModuleCache, String> {
    let dir = dir.map_or_else(|| default_cache_dir(start), Path::to_path_buf);
    let root = project_root(start).unwrap_or_else(|| fallback_root.to_path_buf());
    Ok(ModuleCache::open(&dir, max_size)?.with_project_root(root))
}

/// The project `start` is in: the nearest directory above it with a `package.json`.
pub fn project_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join("package.json").is_file())
        .map(Path::to_path_buf)
}
