//! Parallel evaluation. salsa 0.28 runs one query on one thread; parallelism comes from
//! giving each worker thread its own clone of the database (clones share every memo; a
//! thread that asks for a query another thread is computing waits for it) and letting the
//! workers pull per-module work from a shared queue.
//!
//! Nothing here computes anything a query does not: it only asks for per-module queries in
//! parallel so that, when the single-threaded top-level query runs, every per-module result
//! is already memoized (or, on a rebuild, already verified). Results therefore do not depend
//! on the number of threads.

use std::sync::{
    Mutex,
    atomic::{AtomicUsize, Ordering},
};

use rustc_hash::FxHashSet;

use crate::{
    Database,
    bundle::module_problems,
    config::BuildConfig,
    files::SourceFile,
    link::{
        final_names::final_names,
        graph::{Dependency, module_dependencies, module_graph},
        tree_shaking::liveness,
    },
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

/// Evaluates the per-module queries of the build in parallel on `threads` threads:
/// discovering the module graph (parse, scope and resolve every module), then linking and
/// rendering each module. Afterwards the top-level queries find everything memoized.
pub fn evaluate_in_parallel(db: &Database, config: BuildConfig, threads: usize) {
    let threads = threads.max(1);
    let _span = tracing::debug_span!("evaluate_in_parallel", threads).entered();
    discover_graph(db, config, threads);
    // The whole-bundle passes run on a thread of their own. salsa keeps per-thread
    // bookkeeping (the dependency list of the query being executed) sized by the largest
    // query that thread ran, and clears all of it before every later query: a pass that
    // reads every module would make each small query after it on the same thread pay for
    // that. A short-lived thread takes the big ones and the size goes with it.
    std::thread::scope(|scope| {
        let db = db.clone();
        scope.spawn(move || {
            let _ = module_graph(&db, config);
            let _ = liveness(&db, config);
            let _ = final_names(&db, config);
        });
    });
    let graph = module_graph(db, config);
    let files: Vec<SourceFile> = graph.modules.iter().map(|module| module.file).collect();
    for_each_in_parallel(db, threads, &files, |db, &file| {
        let _ = module_problems(db, config, file);
        let _ = rendered_module(db, config, file);
    });
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
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let db = db.clone();
            let queue = &queue;
            scope.spawn(move || {
                loop {
                    let next = {
                        let mut queue = queue.lock().unwrap();
                        match queue.pending.pop() {
                            Some(file) => {
                                queue.busy += 1;
                                Some(file)
                            }
                            None if queue.busy == 0 => return,
                            None => None,
                        }
                    };
                    let Some(file) = next else {
                        std::thread::yield_now();
                        continue;
                    };
                    let dependencies = module_dependencies(&db, config, file);
                    let mut queue = queue.lock().unwrap();
                    for dependency in dependencies
                        .dependencies
                        .iter()
                        .chain(&dependencies.dynamic_dependencies)
                    {
                        if let Dependency::Module(target) = dependency
                            && queue.seen.insert(*target)
                        {
                            queue.pending.push(*target);
                        }
                    }
                    queue.busy -= 1;
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
