//! Parallel evaluation. salsa 0.28 runs one query on one thread; parallelism comes from
//! giving each worker thread its own clone of the database (clones share every memo; a
//! thread that asks for a query another thread is computing waits for it) and letting the
//! workers pull per-module work from a shared queue.
//!
//! Nothing here computes anything a query does not: it only asks for per-module queries in
//! parallel so that, when the single-threaded top-level query runs, every per-module result
//! is already memoized (or, on a rebuild, already verified). Results therefore do not depend
//! on the number of threads.

use std::{
    sync::{
        Condvar, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use rustc_hash::FxHashSet;

use crate::{
    Database,
    bundle::module_problems,
    config::BuildConfig,
    files::SourceFile,
    link::{
        bind_imports::module_bindings,
        final_names::final_names,
        graph::{Dependency, module_dependencies, module_graph},
        replacements::module_replacements,
        resolve_exports::module_exports,
        tree_shaking::liveness,
    },
    parse::module_facts,
    render::rendered_module,
};

/// The number of worker threads to use: `VERDE_THREADS`, or every core.
pub fn default_threads() -> usize {
    std::env::var("VERDE_THREADS")
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|&threads| threads > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
}

/// How long each phase of a build took (wall time).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PhaseTimes {
    /// Parsing, scoping and resolving every module (discovering the graph).
    pub parse: Duration,
    /// Exports, bindings, tree shaking, naming, replacement tables.
    pub link: Duration,
    /// Patching and assembling the modules' code.
    pub render: Duration,
}

/// Evaluates the per-module queries of the build in parallel on `threads` threads:
/// discovering the module graph (parse, scope and resolve every module), then linking and
/// rendering each module. Afterwards the top-level queries find everything memoized.
pub fn evaluate_in_parallel(db: &Database, config: BuildConfig, threads: usize) -> PhaseTimes {
    let threads = threads.max(1);
    let _span = tracing::debug_span!("evaluate_in_parallel", threads).entered();
    let started = Instant::now();
    discover_graph(db, config, threads);
    let parsed = Instant::now();
    // The whole-bundle passes run on a thread of their own. salsa keeps per-thread
    // bookkeeping (the dependency list of the query being executed) sized by the largest
    // query that thread ran, and clears all of it before every later query: a pass that
    // reads every module would make each small query after it on the same thread pay for
    // that. A short-lived thread takes the big ones and the size goes with it.
    let on_own_thread = |pass: &(dyn Fn(&Database) + Sync)| {
        std::thread::scope(|scope| {
            let db = db.clone();
            scope.spawn(move || pass(&db));
        });
    };
    on_own_thread(&|db| {
        let _ = module_graph(db, config);
    });
    let graph = module_graph(db, config);
    let files: Vec<SourceFile> = graph.modules.iter().map(|module| module.file).collect();
    // Binding imports resolves the exports of the modules they come from: per module, so in
    // parallel, before tree shaking asks for all of them.
    for_each_in_parallel(db, threads, &files, |db, &file| {
        let _ = module_exports(db, config, file);
        let _ = module_bindings(db, config, file);
    });
    on_own_thread(&|db| {
        let _ = liveness(db, config);
        let _ = final_names(db, config);
    });
    for_each_in_parallel(db, threads, &files, |db, &file| {
        let _ = module_problems(db, config, file);
        let _ = module_replacements(db, config, file);
    });
    let linked = Instant::now();
    for_each_in_parallel(db, threads, &files, |db, &file| {
        let _ = rendered_module(db, config, file);
    });
    PhaseTimes {
        parse: parsed - started,
        link: linked - parsed,
        render: linked.elapsed(),
    }
}

/// Parses and resolves every module the entries reach, in parallel: each worker takes a
/// module from the queue, asks for its dependencies (which parses it), and queues the
/// dependencies nobody has seen yet.
fn discover_graph(db: &Database, config: BuildConfig, threads: usize) {
    struct Queue {
        pending: Vec<SourceFile>,
        seen: FxHashSet<SourceFile>,
        /// Workers holding a module they have not finished: the queue is not drained while
        /// one of them may still add to it.
        busy: usize,
    }
    let entries = config.entries(db).clone();
    let queue = Mutex::new(Queue {
        seen: entries.iter().copied().collect(),
        pending: entries,
        busy: 0,
    });
    // Signalled when the queue grows or the last busy worker finishes.
    let changed = Condvar::new();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let db = db.clone();
            let (queue, changed) = (&queue, &changed);
            scope.spawn(move || {
                let mut guard = queue.lock().unwrap();
                loop {
                    let Some(file) = guard.pending.pop() else {
                        if guard.busy == 0 {
                            changed.notify_all();
                            return;
                        }
                        guard = changed.wait(guard).unwrap();
                        continue;
                    };
                    guard.busy += 1;
                    drop(guard);
                    let dependencies = module_dependencies(&db, config, file);
                    // What tree shaking reads of every module, computed here in parallel.
                    let _ = module_facts(&db, file);
                    guard = queue.lock().unwrap();
                    let before = guard.pending.len();
                    for dependency in dependencies
                        .dependencies
                        .iter()
                        .chain(&dependencies.dynamic_dependencies)
                    {
                        if let Dependency::Module(target) = dependency
                            && guard.seen.insert(*target)
                        {
                            guard.pending.push(*target);
                        }
                    }
                    guard.busy -= 1;
                    if guard.pending.len() > before || guard.busy == 0 {
                        changed.notify_all();
                    }
                }
            });
        }
    });
}

/// Runs `work` on every item of `items`, spread over `threads` clones of the database.
fn for_each_in_parallel<T: Sync>(
    db: &Database,
    threads: usize,
    items: &[T],
    work: impl Fn(&Database, &T) + Sync,
) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let db = db.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else {
                        return;
                    };
                    work(&db, item);
                }
            });
        }
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
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                let db = db.clone();
                let (next, keep) = (&next, &keep);
                scope.spawn(move || {
                    salsa::Cancelled::catch(std::panic::AssertUnwindSafe(|| {
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
