//! The threads requests and diagnostics run on. Requests go to a pool of their own, and
//! diagnostics to one thread of their own, so a slow request (a first find-references over
//! a large project) never delays the diagnostics of an edit, and the other way round. Each
//! job owns its snapshot and drops it before it ends, so an edit on the main thread waits
//! only for the jobs in flight to reach their next query and unwind.

use verde_queries::stack::{QUERY_THREAD_STACK, mark_current_thread};

/// One lane of work: a rayon pool whose threads have query-sized stacks and survive a
/// panicking job.
pub struct Lane {
    pool: rayon::ThreadPool,
}

impl Lane {
    pub fn new(name: &'static str, threads: usize) -> Result<Lane, String> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(move |index| format!("verde-lsp-{name}-{index}"))
            .stack_size(QUERY_THREAD_STACK)
            .start_handler(|_| mark_current_thread(QUERY_THREAD_STACK))
            // A bug in one job must not take the server down; the panic message is on
            // stderr already, and handlers answer their own panics.
            .panic_handler(|_| {})
            .build()
            .map_err(|error| format!("lsp: cannot start worker threads: {error}"))?;
        Ok(Lane { pool })
    }

    pub fn spawn(&self, job: impl FnOnce() + Send + 'static) {
        self.pool.spawn(job);
    }
}

/// The server's lanes.
pub struct Pool {
    pub requests: Lane,
    pub diagnostics: Lane,
}

impl Pool {
    pub fn new() -> Result<Pool, String> {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Ok(Pool {
            requests: Lane::new("request", cores.max(2))?,
            diagnostics: Lane::new("diagnostics", 1)?,
        })
    }
}
