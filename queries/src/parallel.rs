//! Parallel evaluation. salsa 0.28 runs one query on one thread; parallelism comes from
//! giving each task its own clone of the database (clones share every memo; a thread that
//! asks for a query another thread is computing waits for it) and running the per-module
//! work on a rayon pool whose threads have stacks big enough for any module (`stack.rs`).
//!
//! Nothing here computes anything a query does not: it only asks for per-module queries in
//! parallel so that, when the top-level query runs, every per-module result is already
//! memoized (or, on a rebuild, already verified). Results therefore do not depend on the
//! number of threads.
//!
//! A panic in a query is caught around the task that asked for it and becomes an internal
//! error naming the module; the other tasks run to completion, so a bug is reported, never
//! a hang.
//!
//! A caller that knows the build is already out of date (watch mode, when another edit
//! arrives) can stop it: it is asked before each module's discovery and between the
//! steps. What was computed stays memoized for its revision, as any query result does, so
//! stopping loses nothing the next build could have reused.

use std::{
    panic::AssertUnwindSafe,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::{
    Database,
    bundle::{
        PROBLEM_SHARDS, bundle_code, bundle_diagnostics, discovered_modules, has_syntax_errors,
        item_count, module_problems, problem_shard_members, shard_problems,
    },
    config::BuildConfig,
    diagnostics::Diagnostic,
    files::SourceFile,
    link::{
        bind_imports::module_bindings,
        final_names::{binding_users, final_names},
        graph::{Dependency, module_dependencies, module_graph},
        tree_shaking::liveness,
    },
    parse::module_facts,
    render::rendered_module,
    split::chunks::chunk_graph,
    stack::{QUERY_THREAD_STACK, mark_current_thread, panic_message, query_thread},
};

/// The most worker threads a build may ask for.
pub const MAX_THREADS: usize = 256;

/// Every core of the machine.
pub fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// The thread count a library user gets: `VERDE_THREADS` if it is valid (the command line
/// reports an invalid one), else every core.
pub fn default_threads() -> usize {
    threads_from_env()
        .ok()
        .flatten()
        .unwrap_or_else(available_threads)
}

/// `VERDE_THREADS`, if it is set: a whole number from 1 to [`MAX_THREADS`], or why not.
pub fn threads_from_env() -> Result<Option<usize>, String> {
    let Ok(value) = std::env::var("VERDE_THREADS") else {
        return Ok(None);
    };
    parse_threads(&value).map(Some)
}

/// A thread count as a user wrote it.
pub fn parse_threads(value: &str) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(threads @ 1..=MAX_THREADS) => Ok(threads),
        _ => Err(format!(
            "invalid thread count {value:?}: expected a whole number from 1 to {MAX_THREADS}"
        )),
    }
}

/// Makes the calling thread run only when a core would otherwise be idle (Linux's
/// `SCHED_IDLE`; elsewhere nothing). For the threads that do a build's housekeeping beside
/// it: freeing the whole-bundle results an edit replaced, writing the module cache, making
/// the output's spare. At normal priority they took turns with the build's threads, on a
/// machine whose every core the build keeps busy; a build thread woken to run the next step
/// then waited for the scheduler to take a core from one (up to the kernel's slice of a few
/// milliseconds).
pub fn run_when_idle() {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: a system call on the calling thread (pid 0) with a valid parameter. It
        // fails only without the right to lower a policy, which every thread has.
        #[allow(unsafe_code)]
        let _ = unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) };
    }
}

/// Dropped on `defer_drop`'s one background thread, where the whole-bundle results an edit
/// replaced are freed: makes that thread [`run_when_idle`].
struct IdleWhenDropped;

impl Drop for IdleWhenDropped {
    fn drop(&mut self) {
        run_when_idle();
    }
}

/// The threads builds run their queries on.
pub struct Workers {
    pool: rayon::ThreadPool,
}

impl std::fmt::Debug for Workers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workers")
            .field("threads", &self.threads())
            .finish()
    }
}

impl Workers {
    /// A pool of `threads` threads (at least 1, at most [`MAX_THREADS`]).
    pub fn new(threads: usize) -> Result<Workers, String> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.clamp(1, MAX_THREADS))
            .thread_name(|index| format!("verde-{index}"))
            .stack_size(QUERY_THREAD_STACK)
            .start_handler(|_| mark_current_thread(QUERY_THREAD_STACK))
            .build()
            .map_err(|error| format!("cannot start worker threads: {error}"))?;
        // `defer_drop` starts its thread itself; what is dropped through it runs there.
        static DROP_THREAD_IDLE: std::sync::Once = std::sync::Once::new();
        DROP_THREAD_IDLE.call_once(|| drop(defer_drop::DeferDrop::new(IdleWhenDropped)));
        Ok(Workers { pool })
    }

    pub fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// Runs `work` on one of the pool's threads (whose stack is big enough for queries)
    /// and returns what it returns, or the panic it raised.
    pub fn run<R: Send>(
        &self,
        work: impl FnOnce() -> R + Send,
    ) -> Result<R, Box<dyn std::any::Any + Send>> {
        self.pool
            .install(|| std::panic::catch_unwind(AssertUnwindSafe(work)))
    }
}

/// How long each phase of a build took (wall time).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PhaseTimes {
    /// Parsing, scoping and resolving every module (discovering the graph).
    pub parse: Duration,
    /// Exports, bindings, tree shaking, naming.
    pub link: Duration,
    /// Replacement tables, patching and assembling the modules' code.
    pub render: Duration,
}

/// The panics caught during one phase of a build, as internal-error diagnostics.
struct Panics {
    /// What the phase does to a module, for the message: "compiling", "linking"...
    phase: &'static str,
    found: Mutex<Vec<Diagnostic>>,
}

impl Panics {
    fn new(phase: &'static str) -> Self {
        Panics {
            phase,
            found: Mutex::default(),
        }
    }

    /// Runs `work` for `file` (or for the whole bundle), keeping what it panicked with.
    fn catch<R>(
        &self,
        db: &Database,
        file: Option<SourceFile>,
        work: impl FnOnce() -> R,
    ) -> Option<R> {
        match std::panic::catch_unwind(AssertUnwindSafe(work)) {
            Ok(result) => Some(result),
            Err(payload) => {
                // A query another task was computing panicked; that task reports it.
                if payload.is::<salsa::Cancelled>() {
                    return None;
                }
                let message = panic_message(&*payload);
                let phase = self.phase;
                let diagnostic = match file {
                    Some(file) => Diagnostic::internal_error(format!(
                        "{phase} this module panicked: {message}"
                    ))
                    .in_file(file.path(db), None),
                    None => Diagnostic::internal_error(format!(
                        "{phase} the bundle panicked: {message}"
                    )),
                };
                self.found.lock().unwrap().push(diagnostic);
                None
            }
        }
    }

    fn into_result(self) -> Result<(), Vec<Diagnostic>> {
        let mut found = self.found.into_inner().unwrap();
        if found.is_empty() {
            return Ok(());
        }
        // Tasks finish in any order; the report must not depend on it.
        found.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
        found.dedup();
        Err(found)
    }
}

/// Why [`discover_in_parallel`] or [`link_in_parallel`] stopped before the end.
#[derive(Debug)]
pub enum Stopped {
    /// A query panicked: an internal error per module it happened in.
    Failed(Vec<Diagnostic>),
    /// The caller's flag said the build is out of date.
    Superseded,
}

impl From<Vec<Diagnostic>> for Stopped {
    fn from(internal_errors: Vec<Diagnostic>) -> Self {
        Stopped::Failed(internal_errors)
    }
}

/// Where discovery starts, and where it stops.
#[derive(Clone, Debug)]
pub enum Walk {
    /// From the entries, through every module they reach.
    Entries,
    /// From these modules, through the modules never published (see
    /// [`crate::summary::publish_discovered`]): the modules an edit may have made reachable,
    /// when every published module's dependencies are published already.
    Changed(Vec<SourceFile>),
}

/// Discovers the module graph in parallel: parses, scopes and resolves every module the
/// walk reaches. Returns the modules reached (in no particular order) and how long it
/// took. A query that panicked is reported as an internal error.
pub fn discover_in_parallel(
    db: &Database,
    config: BuildConfig,
    walk: Walk,
    workers: &Workers,
    superseded: &(dyn Fn() -> bool + Sync),
) -> Result<(Vec<SourceFile>, Duration), Stopped> {
    let started = Instant::now();
    let template = Mutex::new(db.clone());
    let databases = ThreadDatabases::new(&template, workers);
    let panics = Panics::new("compiling");
    let reached = discover_graph(&databases, config, walk, workers, &panics, superseded);
    panics.into_result()?;
    if superseded() {
        return Err(Stopped::Superseded);
    }
    Ok((reached, started.elapsed()))
}

/// `work` for each of `files`, on the pool, with its thread's database; a panic is an
/// internal error naming the module (`phase` says what was being done to it).
pub fn map_in_parallel<R: Send>(
    db: &Database,
    workers: &Workers,
    phase: &'static str,
    files: &[SourceFile],
    work: impl Fn(&dyn crate::Db, SourceFile) -> R + Sync,
) -> Result<Vec<R>, Vec<Diagnostic>> {
    let template = Mutex::new(db.clone());
    let databases = ThreadDatabases::new(&template, workers);
    let panics = Panics::new(phase);
    let results: Vec<Option<R>> = workers.pool.install(|| {
        files
            .par_iter()
            .map(|&file| databases.with(|db| panics.catch(db, Some(file), || work(db, file))))
            .collect()
    });
    panics.into_result()?;
    Ok(results.into_iter().flatten().collect())
}

/// `work` over `items`, in order: on rayon's global pool, at least `min_len` items a task,
/// when the calling thread belongs to no pool, else on the calling thread. For the part of
/// a query that reads no query. A thread of a pool that runs queries (the build's workers,
/// the editor's lanes) waits for the halves it split off by running other jobs of its
/// pool, which may be queries: one run inside the query on that thread could ask for that
/// very query (a cycle, to salsa) or wait for a thread that waits for it. The global pool
/// runs no query; the whole-bundle passes run on threads of their own (see
/// [`on_own_threads`]), which use it.
pub fn map_in_order<I: Send, R: Send>(
    items: Vec<I>,
    min_len: usize,
    work: impl Fn(I) -> R + Sync + Send,
) -> Vec<R> {
    if rayon::current_thread_index().is_some() {
        return items.into_iter().map(work).collect();
    }
    items
        .into_par_iter()
        .with_min_len(min_len)
        .map(work)
        .collect()
}

/// Evaluates the rest of the build's per-module queries in parallel, once the graph is
/// discovered and its modules published (see [`crate::summary`]): linking and rendering
/// each module. Afterwards the top-level queries find everything memoized. A query that
/// panicked is reported as an internal error, and then nothing more is evaluated; once
/// `superseded` says the build is out of date, nothing more is either.
pub fn link_in_parallel(
    db: &Database,
    config: BuildConfig,
    workers: &Workers,
    superseded: &(dyn Fn() -> bool + Sync),
) -> Result<PhaseTimes, Stopped> {
    let _span = tracing::debug_span!("link_in_parallel", threads = workers.threads()).entered();
    let link_inputs_unchanged = db.link_inputs_unchanged(config);
    let template = Mutex::new(db.clone());
    let fresh = || template.lock().unwrap().clone();
    let databases = ThreadDatabases::new(&template, workers);
    let started = Instant::now();
    let check = || match superseded() {
        true => Err(Stopped::Superseded),
        false => Ok(()),
    };
    // A syntax error stops the build after parsing (see `discovered_modules`). The check
    // walks the graph on one thread, confirming every module's dependencies after an edit
    // of the graph; meanwhile the pool works out what tree shaking reads of the modules
    // the last link read (their facts and bindings: `bindings` below), which confirms
    // most of those dependencies on the other core. Those modules' summaries hold a
    // parse without syntax errors (a syntax error publishes only its diagnostics), so this
    // reads no broken text even when the check then stops the build. After an edit that
    // changed no medium or high input (inside a function body), every module's facts and
    // bindings are as they were, and tree shaking confirms its memo without asking for
    // them: confirming them first was about 1.5 ms of such an edit on three.js x10, for
    // nothing.
    let bindings = |db: &Database, file: SourceFile| {
        // What tree shaking reads of every module. Not for a module whose summary holds no
        // parse: a build that stops at a syntax error must not replace the facts tree
        // shaking last read (see `discovered_modules`).
        if file.summary(db).facts(db).is_some() {
            let _ = module_facts(db, file);
            let _ = module_bindings(db, config, file);
        }
    };
    let speculative = match link_inputs_unchanged {
        true => Arc::from([]),
        false => db.last_linked_modules(config),
    };
    let panics = Panics::new("compiling");
    let binding_panics = Panics::new("linking");
    let stopped = Mutex::new(None);
    let syntax_check = |db: &Database| {
        let found = !discovered_modules(db, config).syntax_errors.is_empty();
        *stopped.lock().unwrap() = Some(found);
    };
    // The graph's order is worked out ahead too, when the bindings are (no module that
    // does not parse was published since the last link): it walks the modules'
    // dependencies in the order the syntax check does, a step behind it, so the passes
    // share both cores rather than the graph running alone afterwards (after a graph edit
    // on three.js x10, 1.5-1.8 ms with the second core idle). A panic in it is the next
    // step's to report, which asks for the graph again, or no one's when a syntax error
    // stops the build.
    let speculative_graph = |db: &Database| {
        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| module_graph(db, config)));
    };
    let passes: Vec<&(dyn Fn(&Database) + Sync)> = match speculative.is_empty() {
        true => vec![&syntax_check],
        false => vec![&syntax_check, &speculative_graph],
    };
    on_own_threads_while("syntax errors", &fresh, &panics, &passes, || {
        for_each_module(
            "bindings",
            &databases,
            workers,
            &speculative,
            &binding_panics,
            bindings,
        );
    });
    panics.into_result()?;
    // The bindings were worked out ahead: when a syntax error stops the build, what went
    // wrong with them (reading a module that does not parse, which a module bound imports)
    // is not the build's problem.
    if stopped.into_inner().unwrap() == Some(true) {
        return Ok(PhaseTimes::default());
    }
    binding_panics.into_result()?;
    let parsed = started;

    // Splitting decides which modules to wrap from their facts (which items have side
    // effects) while it builds the graph: compute them in parallel first.
    if config.splitting(&fresh()) {
        let files = discovered_modules(&fresh(), config).modules.clone();
        let panics = Panics::new("linking");
        for_each_module("facts", &databases, workers, &files, &panics, |db, file| {
            let _ = module_facts(db, file);
        });
        panics.into_result()?;
    }
    check()?;
    // The graph's order (`module_graph`, one thread's walk) and the bindings of the
    // modules the last link did not read at once: the graph on a thread of its own, the
    // bindings on the pool. Binding imports resolves the export tables of the modules
    // they come from (only those: a table holds every name its `export *` reach), per
    // module, so in parallel, before tree shaking asks for all of them. Neither reads the
    // other (bindings read no graph), and the modules bound are those discovery reached,
    // the graph's modules in another order. After an edit of the graph, the walk no longer
    // waits in front of the bindings.
    let discovered: Vec<SourceFile> = match link_inputs_unchanged {
        true => Vec::new(),
        false => {
            let done: FxHashSet<SourceFile> = speculative.iter().copied().collect();
            let discovered = discovered_modules(&fresh(), config).modules.clone();
            discovered
                .into_iter()
                .filter(|file| !done.contains(file))
                .collect()
        }
    };
    let graph_panics = Panics::new("linking");
    let panics = Panics::new("linking");
    on_own_threads_while(
        "graph",
        &fresh,
        &graph_panics,
        &[&|db| {
            let _ = module_graph(db, config);
        }],
        || {
            for_each_module(
                "bindings",
                &databases,
                workers,
                &discovered,
                &panics,
                bindings,
            );
        },
    );
    graph_panics.into_result()?;
    let files: Vec<SourceFile> = {
        let db = fresh();
        module_graph(&db, config)
            .modules
            .iter()
            .map(|module| module.file)
            .collect()
    };
    panics.into_result()?;
    check()?;
    let panics = Panics::new("linking");
    // Naming waits for tree shaking; what the chunks are (`chunk_graph`, which render and
    // the build's diagnostics read) waits only for tree shaking too, so it is worked out on
    // the other core while naming runs. Each module's problems read neither, nor does who
    // refers to each binding (`binding_users`, which naming reads; when tree shaking does
    // not run, naming asks for it first): that core works them out first, while tree
    // shaking runs (after an edit that changes what link decides with, confirming the
    // problems walks every module's link memos: a few milliseconds that were on the path
    // to the output). The problems before the rest, not after: salsa clears the thread's
    // bookkeeping, sized by the biggest query it ran, before each query.
    on_own_threads(
        "liveness and names",
        &fresh,
        &panics,
        &[
            &|db| {
                let _ = liveness(db, config);
                let _ = final_names(db, config);
            },
            &|db| {
                for shard in 0..PROBLEM_SHARDS {
                    problems_of_shard(db, config, shard, &panics);
                }
                let _ = binding_users(db, config);
                let _ = chunk_graph(db, config);
            },
        ],
    );
    panics.into_result()?;
    check()?;
    let linked = Instant::now();
    // What is left is per module: its linked form (replacements included) and its text,
    // which read the whole-bundle decisions and what the steps above computed, nothing
    // another task of this step makes. `rendered_module` asks for `linked_module` first,
    // so it is not asked for here: a fetch costs even when its memo is confirmed already
    // (a thread-local lookup, the key interned), once per module per rebuild.
    let panics = Panics::new("rendering");
    for_each_module(
        "replacements and render",
        &databases,
        workers,
        &files,
        &panics,
        |db, file| {
            let _ = rendered_module(db, config, file);
        },
    );
    panics.into_result()?;
    check()?;
    // The two whole-bundle results `bundle` reads, each on a core: the build's diagnostics
    // and the code. The code is speculative: `bundle` asks for it only when no error stops
    // the build, and then a panic in it is reported there; here one is ignored. The
    // build's statistics count the items beside the diagnostics, which take less time than
    // the code: after an edit of the graph, counting them after this step was most of a
    // millisecond on three.js x10, on the way to the output.
    let panics = Panics::new("linking");
    on_own_threads(
        "diagnostics and code",
        &fresh,
        &panics,
        &[
            &|db| {
                let _ = bundle_diagnostics(db, config);
                let _ = item_count(db, config);
            },
            &|db| {
                let _ = std::panic::catch_unwind(AssertUnwindSafe(|| bundle_code(db, config)));
            },
        ],
    );
    panics.into_result()?;
    check()?;
    template.lock().unwrap().linked(config);
    Ok(PhaseTimes {
        parse: Duration::ZERO,
        link: linked - parsed,
        render: linked.elapsed(),
    })
}

/// The problems of problem shard `shard`'s modules. When working them out panics, each
/// module's are worked out on its own, so that the internal error names the module.
fn problems_of_shard(db: &Database, config: BuildConfig, shard: u32, panics: &Panics) {
    let gathered = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let _ = shard_problems(db, config, shard);
    }));
    match gathered {
        Ok(()) => {}
        Err(payload) if payload.is::<salsa::Cancelled>() => {}
        Err(_) => {
            for &file in problem_shard_members(db, config, shard) {
                panics.catch(db, Some(file), || module_problems(db, config, file));
            }
        }
    }
}

/// One database clone per worker thread, made when the thread first asks and dropped with
/// the build (salsa's next input change waits until every clone is gone). Cloning takes a
/// lock on the template and allocates salsa's per-handle state: a clone per discovered
/// module cost about 1.5 ms of a 20 ms rebuild of three.js x10.
struct ThreadDatabases<'a> {
    template: &'a Mutex<Database>,
    /// By the pool's thread index.
    slots: Vec<Mutex<Option<Database>>>,
}

impl<'a> ThreadDatabases<'a> {
    fn new(template: &'a Mutex<Database>, workers: &Workers) -> Self {
        ThreadDatabases {
            template,
            slots: (0..workers.threads()).map(|_| Mutex::new(None)).collect(),
        }
    }

    /// Runs `work` with the calling thread's database (or with a fresh clone: off the
    /// pool, or when the thread's is in use further up its stack).
    fn with<R>(&self, work: impl FnOnce(&Database) -> R) -> R {
        let slot = rayon::current_thread_index().and_then(|index| self.slots.get(index));
        if let Some(Ok(mut slot)) = slot.map(Mutex::try_lock) {
            let db = slot.get_or_insert_with(|| self.template.lock().unwrap().clone());
            return work(db);
        }
        work(&self.template.lock().unwrap().clone())
    }
}

/// Runs each whole-bundle pass on a thread of its own, all at once: a pass that asks for a
/// query another is computing waits for it, as any salsa read does. Short-lived threads,
/// not the pool's: salsa keeps per-thread bookkeeping (the dependency list of the query
/// being executed) sized by the largest query that thread ran, and clears all of it before
/// every later query, so a pass that reads every module would make each small query after
/// it on the same thread pay for that. The thread takes the big ones and the size goes
/// with it.
fn on_own_threads(
    step: &'static str,
    fresh: &dyn Fn() -> Database,
    panics: &Panics,
    passes: &[&(dyn Fn(&Database) + Sync)],
) {
    on_own_threads_while(step, fresh, panics, passes, || {});
}

/// [`on_own_threads`], running `meanwhile` on the calling thread until the passes are done.
fn on_own_threads_while(
    step: &'static str,
    fresh: &dyn Fn() -> Database,
    panics: &Panics,
    passes: &[&(dyn Fn(&Database) + Sync)],
    meanwhile: impl FnOnce(),
) {
    let _span = tracing::debug_span!("step", step).entered();
    std::thread::scope(|scope| {
        let workers: Vec<_> = passes
            .iter()
            .map(|pass| {
                let db = fresh();
                query_thread("verde-link").spawn_scoped(scope, move || {
                    mark_current_thread(QUERY_THREAD_STACK);
                    panics.catch(&db, None, || pass(&db));
                })
            })
            .collect();
        meanwhile();
        for worker in workers {
            match worker {
                Ok(worker) => {
                    let _ = worker.join();
                }
                Err(error) => panics
                    .found
                    .lock()
                    .unwrap()
                    .push(Diagnostic::internal_error(format!(
                        "cannot start a thread for linking: {error}"
                    ))),
            }
        }
    });
}

/// Parses and resolves every module the entries reach, in parallel: each task asks for
/// one module's dependencies (which parses it) and spawns a task for each dependency
/// nobody has seen yet.
fn discover_graph(
    databases: &ThreadDatabases,
    config: BuildConfig,
    walk: Walk,
    workers: &Workers,
    panics: &Panics,
    superseded: &(dyn Fn() -> bool + Sync),
) -> Vec<SourceFile> {
    let _span = tracing::debug_span!("step", step = "discover").entered();
    let (starts, only_unpublished) = match walk {
        Walk::Entries => (databases.with(|db| config.entries(db).clone()), false),
        Walk::Changed(files) => (files, true),
    };
    let seen = Mutex::new(FxHashSet::default());
    let discovery = Discovery {
        databases,
        config,
        seen: &seen,
        only_unpublished,
        panics,
        superseded,
    };
    workers.pool.scope(|scope| {
        for start in starts {
            if seen.lock().unwrap().insert(start) {
                discovery.discover(scope, start);
            }
        }
    });
    seen.into_inner().unwrap().into_iter().collect()
}

/// What every task of the discovery shares.
#[derive(Clone, Copy)]
struct Discovery<'s> {
    databases: &'s ThreadDatabases<'s>,
    config: BuildConfig,
    seen: &'s Mutex<FxHashSet<SourceFile>>,
    /// Whether to go only into the modules never published ([`Walk::Changed`]).
    only_unpublished: bool,
    panics: &'s Panics,
    superseded: &'s (dyn Fn() -> bool + Sync),
}

impl<'s> Discovery<'s> {
    fn discover(self, scope: &rayon::Scope<'s>, file: SourceFile) {
        scope.spawn(move |scope| {
            if (self.superseded)() {
                return;
            }
            let (config, panics) = (self.config, self.panics);
            let dependencies = self.databases.with(|db| {
                panics.catch(db, Some(file), || {
                    let mut dependencies = module_dependencies_of(db, config, file);
                    if self.only_unpublished {
                        dependencies.retain(|&target| !crate::summary::is_published(db, target));
                    }
                    dependencies
                })
            });
            for target in dependencies.unwrap_or_default() {
                if self.seen.lock().unwrap().insert(target) {
                    self.discover(scope, target);
                }
            }
        });
    }
}

/// The modules `file` imports, requires or loads: none if it does not parse (see
/// `discovered_modules`).
fn module_dependencies_of(db: &Database, config: BuildConfig, file: SourceFile) -> Vec<SourceFile> {
    if has_syntax_errors(db, file) {
        return Vec::new();
    }
    let dependencies = module_dependencies(db, config, file);
    dependencies
        .dependencies
        .iter()
        .chain(&dependencies.dynamic_dependencies)
        .filter_map(|dependency| match dependency {
            Dependency::Module(target) => Some(*target),
            _ => None,
        })
        .collect()
}

/// Runs `work` for every module of `files` on the pool, with its thread's database.
fn for_each_module(
    step: &'static str,
    databases: &ThreadDatabases,
    workers: &Workers,
    files: &[SourceFile],
    panics: &Panics,
    work: impl Fn(&Database, SourceFile) + Sync,
) {
    let _span = tracing::debug_span!("step", step).entered();
    workers.pool.install(|| {
        files.par_iter().for_each(|&file| {
            databases.with(|db| panics.catch(db, Some(file), || work(db, file)));
        });
    });
}

/// The items for which `keep` holds, in their order, computed on `threads` clones of the
/// database: for reads that an edit may cancel (the editor path). Each worker catches
/// salsa's cancellation; if any was cancelled the whole read is.
pub fn filter_in_parallel<T: Sync + Clone>(
    db: &Database,
    threads: usize,
    items: &[T],
    keep: impl Fn(&Database, &T) -> bool + Sync,
) -> Result<Vec<T>, salsa::Cancelled> {
    let next = AtomicUsize::new(0);
    let results: Vec<Result<Vec<usize>, salsa::Cancelled>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.clamp(1, MAX_THREADS))
            .filter_map(|index| {
                let db = db.clone();
                let (next, keep) = (&next, &keep);
                query_thread(format!("verde-search-{index}"))
                    .spawn_scoped(scope, move || {
                        mark_current_thread(QUERY_THREAD_STACK);
                        salsa::Cancelled::catch(AssertUnwindSafe(|| {
                            let mut kept = Vec::new();
                            loop {
                                let index = next.fetch_add(1, Ordering::Relaxed);
                                let Some(item) = items.get(index) else {
                                    return kept;
                                };
                                if keep(&db, item) {
                                    kept.push(index);
                                }
                            }
                        }))
                    })
                    .ok()
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut kept = Vec::new();
    for result in results {
        kept.extend(result?);
    }
    kept.sort_unstable();
    Ok(kept.into_iter().map(|index| items[index].clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scheduling policy of the thread of this process named `name` (as `/proc` spells
    /// it: the first 15 bytes), if there is one: field 41 of its `stat`.
    #[cfg(target_os = "linux")]
    fn policy_of_thread(name: &str) -> Option<u32> {
        let short = &name[..name.len().min(15)];
        std::fs::read_dir("/proc/self/task")
            .ok()?
            .flatten()
            .filter(|task| {
                std::fs::read_to_string(task.path().join("comm"))
                    .is_ok_and(|comm| comm.trim_end() == short)
            })
            .find_map(|task| {
                let stat = std::fs::read_to_string(task.path().join("stat")).ok()?;
                // The fields after the name, which is in parentheses and may hold spaces.
                let after_name = &stat[stat.rfind(')')? + 2..];
                after_name.split(' ').nth(41 - 3)?.parse().ok()
            })
    }

    /// Freeing the results an edit replaced waits for the cores the build leaves idle.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_thread_that_frees_replaced_results_runs_when_a_core_is_idle() {
        let _workers = Workers::new(1).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let policy = policy_of_thread("defer-drop background thread");
            if policy == Some(libc::SCHED_IDLE as u32) {
                break;
            }
            assert!(Instant::now() < deadline, "policy {policy:?}");
            std::thread::sleep(Duration::from_millis(5));
        }
        // A thread that does not ask keeps the normal policy.
        let (done, wait) = std::sync::mpsc::channel::<()>();
        let (running, started) = std::sync::mpsc::channel::<()>();
        let normal = std::thread::Builder::new()
            .name("verde-normal".to_owned())
            .spawn(move || {
                // Named by now: a thread sets its own name when it starts.
                running.send(()).unwrap();
                wait.recv()
            })
            .unwrap();
        started.recv().unwrap();
        assert_eq!(
            policy_of_thread("verde-normal"),
            Some(libc::SCHED_OTHER as u32)
        );
        done.send(()).unwrap();
        normal.join().unwrap().unwrap();
    }

    /// Outside any pool the work is split (on the global pool) and comes back in order;
    /// on a pool's thread it stays on that thread.
    #[test]
    fn work_handed_to_rayon_comes_back_in_order_and_never_from_a_pool_thread() {
        let items: Vec<u32> = (0..10_000).collect();
        let doubled = map_in_order(items.clone(), 16, |item| item * 2);
        assert_eq!(
            doubled,
            items.iter().map(|item| item * 2).collect::<Vec<_>>()
        );

        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let (caller, threads) = pool.install(|| {
            let caller = rayon::current_thread_index();
            let threads = map_in_order(items.clone(), 1, |_| rayon::current_thread_index());
            (caller, threads)
        });
        assert!(caller.is_some());
        assert!(threads.iter().all(|thread| *thread == caller));
    }
}
