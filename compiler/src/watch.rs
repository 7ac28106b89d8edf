//! Watch mode: build, then rebuild whenever a file the build read (or looked for) changes,
//! applying each change as an input update to the same long-lived database.
//!
//! The watcher (the `notify` crate) watches the directories of every path the compiler
//! knows, not the files themselves, so that a file created where the resolver looked, a
//! file deleted and created again, and an editor's save-by-rename are all seen. Events are
//! debounced: a rebuild starts once no event arrived for a few milliseconds, or as soon as a
//! file written was closed and no other event is queued. A change to a file the build read
//! that arrives while it runs supersedes it: the build stops (writing nothing, reporting
//! nothing) and the next one covers both changes, so an editor that saves several files
//! one after another gets one rebuild, not one per file. (Builds stop being superseded
//! once a run of them has taken 100 ms, so a file that keeps changing cannot starve them.)

use std::{
    collections::BTreeSet,
    io::Write,
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
        mpsc,
    },
    time::{Duration, Instant, SystemTime},
};

use notify::RecursiveMode;
use rustc_hash::FxHashSet;

use crate::{BuildOptions, BuildOutput, Compiler, OutputWriter, QueryLog, metafile::WrittenFile};

/// How long the watcher waits for more events after one arrived before rebuilding.
const QUIET_PERIOD: Duration = Duration::from_millis(2);
/// The longest a burst of events can postpone a rebuild.
const MAX_DEBOUNCE: Duration = Duration::from_millis(100);
/// How far a file system's modification times can lag the clock (a tick of the kernel's
/// coarse clock, 4 ms at 250 Hz).
const CLOCK_TICK: Duration = Duration::from_millis(20);
/// How often the loop checks whether it should stop.
const STOP_POLL: Duration = Duration::from_millis(100);

/// One rebuild, as the watch loop reports it.
#[derive(Clone, Debug)]
pub struct Rebuild {
    /// The paths whose change caused it (empty for the first build).
    pub changed: Vec<PathBuf>,
    /// The build's code and diagnostics.
    pub output: BuildOutput,
    /// Which queries executed for it (empty for a compiler made
    /// [`without_query_log`](Compiler::without_query_log)).
    pub queries: QueryLog,
    /// Whether a new bundle was written (a failed build keeps the previous one).
    pub written: bool,
    /// The files of the build, with their sizes, when it was written.
    pub files: Vec<WrittenFile>,
    /// Why a successful build could not be written.
    pub write_error: Option<String>,
    /// Build and write, wall time.
    pub elapsed: Duration,
}

impl Rebuild {
    /// The one line watch mode prints for this rebuild.
    pub fn summary(&self, root: &Path, outfile: &Path) -> String {
        let shown = |path: &Path| {
            path.strip_prefix(root)
                .unwrap_or(path)
                .display()
                .to_string()
        };
        let what = if self.changed.is_empty() {
            "initial build".to_owned()
        } else {
            let mut names: Vec<String> = self.changed.iter().take(3).map(|p| shown(p)).collect();
            if self.changed.len() > 3 {
                names.push(format!("{} more", self.changed.len() - 3));
            }
            format!("changed {}", names.join(", "))
        };
        let plural = |count: usize, word: &str| {
            format!("{count} {word}{}", if count == 1 { "" } else { "s" })
        };
        let stats = &self.output.stats;
        let link = if stats.relinked {
            "link re-ran"
        } else {
            "link reused"
        };
        let errors = self
            .output
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .count();
        let unchanged = self.files.iter().all(|file| !file.replaced);
        let result = if self.written && !self.output.chunks.is_empty() {
            format!(
                "{} {} in {}",
                if unchanged { "unchanged:" } else { "wrote" },
                plural(self.output.chunks.len(), "chunk"),
                shown(outfile)
            )
        } else if self.written {
            format!(
                "{} {}",
                if unchanged { "unchanged:" } else { "wrote" },
                shown(outfile)
            )
        } else if let Some(error) = &self.write_error {
            format!("error: {error}")
        } else {
            format!("{}, kept the previous output", plural(errors, "error"))
        };
        let from_cache = if stats.restored > 0 {
            format!(" ({} from the cache)", stats.restored)
        } else {
            String::new()
        };
        format!(
            "[verde] {what}: {} re-parsed{from_cache}, {} re-rendered, {link}, {:.1} ms; {result}",
            plural(stats.parsed, "module"),
            plural(stats.rendered, "module"),
            self.elapsed.as_secs_f64() * 1000.0,
        )
    }
}

/// Builds `options` into `outfile` (with splitting, into the directory `outfile`), then
/// rebuilds on every change until `stop` is set. `report` gets every rebuild (the CLI
/// prints its summary and diagnostics).
pub fn watch(
    compiler: &mut Compiler,
    options: &BuildOptions,
    outfile: &Path,
    stop: &AtomicBool,
    mut report: impl FnMut(&Compiler, &Rebuild),
) -> notify::Result<()> {
    let outfile = compiler.absolute(outfile);
    let (sender, events) = mpsc::channel();
    // How many changes to files the builds read the watcher has seen, and (in the loop) how
    // many of them the build about to run covers: a build is out of date, and stops, once
    // the watcher has seen one it does not cover (see `build_and_write`).
    let changes_seen = Arc::new(AtomicU64::new(0));
    let known = Arc::new(Mutex::new(FxHashSet::<PathBuf>::default()));
    let mut watcher = notify::recommended_watcher({
        let (changes_seen, known) = (changes_seen.clone(), known.clone());
        move |event: notify::Result<notify::Event>| {
            // Reads (ours included: a rebuild reads what changed) are not changes; the close
            // of a file written ends a write (see the debounce below).
            let Ok(event) = event else { return };
            if matches!(event.kind, notify::EventKind::Access(_)) && !closes_a_write(&event) {
                return;
            }
            let changes = match !matches!(event.kind, notify::EventKind::Access(_))
                && event
                    .paths
                    .iter()
                    .any(|path| known.lock().unwrap().contains(path))
            {
                true => changes_seen.fetch_add(1, Ordering::SeqCst) + 1,
                false => changes_seen.load(Ordering::SeqCst),
            };
            let _ = sender.send((event, changes));
        }
    })?;
    let mut directories = WatchedDirectories::default();

    let mut writer = OutputWriter::with_background_cleanup();
    let started = SystemTime::now();
    let rebuild = build_and_write(
        compiler,
        &mut writer,
        options,
        &outfile,
        Vec::new(),
        &|| false,
    )
    .expect("a build nothing supersedes runs to the end");
    // Watch before reporting: whoever waits for the report may edit files right away.
    let new_paths = directories.update(compiler, &mut watcher)?;
    known.lock().unwrap().extend(new_paths.iter().cloned());
    report(compiler, &rebuild);
    // A file edited while a build read it, before it was watched, sent no event.
    let mut changed = modified_since(compiler, &new_paths, started);
    // The changes of a build that another edit superseded: the next build covers them.
    let mut carried: Vec<PathBuf> = Vec::new();
    // When the first of a run of superseded builds started: a file that keeps changing
    // must not keep every build from finishing.
    let mut superseded_since: Option<Instant> = None;
    // The changes the watcher had seen when it sent the last event taken from the queue.
    let mut changes_covered = 0;

    while !stop.load(Ordering::Relaxed) {
        if changed.is_empty() {
            let first = match carried.is_empty() {
                true => match events.recv_timeout(STOP_POLL) {
                    Ok(first) => first,
                    Err(_) => continue,
                },
                // A superseded build's changes are built even if nothing more comes.
                false => match events.recv_timeout(QUIET_PERIOD) {
                    Ok(first) => first,
                    Err(_) => (notify::Event::new(notify::EventKind::Any), changes_covered),
                },
            };
            let (first, changes) = first;
            changes_covered = changes_covered.max(changes);
            // A file closed without a change before it is nothing to rebuild.
            if closes_a_write(&first) && carried.is_empty() {
                continue;
            }
            let mut closed = closes_a_write(&first);
            if !closed {
                changed.extend(first.paths);
            }
            // Debounce: wait until events stop coming (or for long enough). A write ends
            // with the file's close: once one closed and nothing more is queued, the
            // burst is over without waiting out the quiet period.
            let burst_start = Instant::now();
            loop {
                let quiet = if closed { Duration::ZERO } else { QUIET_PERIOD };
                let Ok((event, changes)) = events.recv_timeout(quiet) else {
                    break;
                };
                changes_covered = changes_covered.max(changes);
                closed = closes_a_write(&event);
                if !closed {
                    changed.extend(event.paths);
                }
                if burst_start.elapsed() > MAX_DEBOUNCE {
                    break;
                }
            }
        }
        let mut relevant: Vec<PathBuf> = Vec::new();
        for path in std::mem::take(&mut changed) {
            // Our own output.
            if path == outfile || options.splitting && path.starts_with(&outfile) {
                continue;
            }
            if compiler.knows(&path) {
                relevant.push(path);
            } else if path.is_dir() {
                // A directory appeared where the resolver looked for files inside it: they
                // may exist now, and it must be watched from now on. Only the paths inside
                // it can be affected (a directory created anywhere else in a watched one,
                // `/tmp` say, affects none): watching again for every known path was about
                // 36 million instructions on three.js x10.
                let inside: Vec<PathBuf> = compiler
                    .known_paths(0)
                    .into_iter()
                    .filter(|known| known.starts_with(&path))
                    .collect();
                directories.watch_directories_of(&inside, &mut watcher)?;
                relevant.extend(inside);
            }
        }
        relevant.sort();
        relevant.dedup();
        if relevant.is_empty() && carried.is_empty() {
            continue;
        }
        for path in &relevant {
            compiler.file_changed(path);
        }
        relevant.append(&mut carried);
        relevant.sort();
        relevant.dedup();
        let may_stop = superseded_since.is_none_or(|since| since.elapsed() < MAX_DEBOUNCE);
        let superseded = || may_stop && changes_seen.load(Ordering::SeqCst) > changes_covered;
        let started = SystemTime::now();
        let rebuild = build_and_write(
            compiler,
            &mut writer,
            options,
            &outfile,
            relevant.clone(),
            &superseded,
        );
        let new_paths = directories.update(compiler, &mut watcher)?;
        known.lock().unwrap().extend(new_paths.iter().cloned());
        match rebuild {
            Some(rebuild) => {
                superseded_since = None;
                report(compiler, &rebuild);
            }
            None => {
                superseded_since.get_or_insert_with(Instant::now);
                carried = relevant;
            }
        }
        changed = modified_since(compiler, &new_paths, started);
    }
    Ok(())
}

/// Whether `event` is the close of a file opened for writing: its writes are done.
fn closes_a_write(event: &notify::Event) -> bool {
    matches!(
        event.kind,
        notify::EventKind::Access(notify::event::AccessKind::Close(
            notify::event::AccessMode::Write
        ))
    )
}

/// The files of `paths` modified at or after `since` whose text is not what the build
/// read: edits it missed, because they came after it read the file and before the file
/// was watched. (File systems stamp times from a coarse clock that can lag the one `since`
/// came from by a tick: a little earlier counts too, and the text decides.)
fn modified_since(compiler: &Compiler, paths: &[PathBuf], since: SystemTime) -> BTreeSet<PathBuf> {
    let since = since - CLOCK_TICK;
    paths
        .iter()
        .filter(|path| {
            std::fs::metadata(path).is_ok_and(|metadata| {
                metadata.is_file() && metadata.modified().is_ok_and(|modified| modified >= since)
            })
        })
        .filter(|path| compiler.differs_from_last_build(path))
        .cloned()
        .collect()
}

/// Builds and writes the output, unless `superseded` says it is out of date before the
/// build is done (then nothing is written, and `None` says so).
fn build_and_write(
    compiler: &mut Compiler,
    writer: &mut OutputWriter,
    options: &BuildOptions,
    outfile: &Path,
    changed: Vec<PathBuf>,
    superseded: &(dyn Fn() -> bool + Sync),
) -> Option<Rebuild> {
    let started = Instant::now();
    let mut output = compiler.build_unless_superseded(options, superseded)?;
    let mut written = false;
    let mut files = Vec::new();
    let mut write_error = None;
    if output.code.is_some() && !output.has_errors() {
        let result = if options.splitting {
            writer.write_chunks(&output, outfile)
        } else {
            writer.write_output(&output, outfile)
        };
        match result {
            Ok(wrote) => {
                written = true;
                files = wrote;
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                write_error = Some(error.to_string());
            }
            Err(error) => {
                write_error = Some(format!("cannot write {}: {error}", outfile.display()))
            }
        }
    }
    // The cache writes of this build go on while watch mode waits for the next edit; what
    // went wrong with earlier ones is reported now.
    output.diagnostics.extend(compiler.take_cache_warnings());
    Some(Rebuild {
        changed,
        elapsed: started.elapsed(),
        queries: compiler.take_query_log(),
        output,
        written,
        files,
        write_error,
    })
}

/// The directories being watched, and how many of the compiler's known paths they cover.
#[derive(Default)]
struct WatchedDirectories {
    watched: BTreeSet<PathBuf>,
    paths_seen: usize,
}

impl WatchedDirectories {
    /// Watches the directory of every path the compiler learned about since the last call
    /// (the nearest existing ancestor for a missing directory).
    /// Returns those paths.
    fn update(
        &mut self,
        compiler: &Compiler,
        watcher: &mut impl notify::Watcher,
    ) -> notify::Result<Vec<PathBuf>> {
        let new_paths = compiler.known_paths(self.paths_seen);
        self.paths_seen += new_paths.len();
        self.watch_directories_of(&new_paths, watcher)?;
        Ok(new_paths)
    }

    /// Watches the directory of each of `paths`, or its nearest existing ancestor.
    fn watch_directories_of(
        &mut self,
        paths: &[PathBuf],
        watcher: &mut impl notify::Watcher,
    ) -> notify::Result<()> {
        let mut parents: BTreeSet<&Path> = BTreeSet::new();
        parents.extend(paths.iter().filter_map(|path| path.parent()));
        for parent in parents {
            let mut directory = Some(parent);
            while let Some(candidate) = directory {
                if self.watched.contains(candidate) {
                    break;
                }
                if candidate.is_dir() {
                    watcher.watch(candidate, RecursiveMode::NonRecursive)?;
                    self.watched.insert(candidate.to_path_buf());
                    break;
                }
                directory = candidate.parent();
            }
        }
        Ok(())
    }
}

/// A flag that Ctrl-C sets, so the watch loop can finish its rebuild and exit cleanly.
pub fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    // If a handler cannot be installed, Ctrl-C keeps its default behavior, which is safe:
    // outputs are only ever replaced by an atomic rename.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));
    stop
}

/// Writes a rebuild's diagnostics and summary line to `out`.
pub fn print_rebuild(out: &mut impl Write, compiler: &Compiler, rebuild: &Rebuild, outfile: &Path) {
    for diagnostic in &rebuild.output.diagnostics {
        let _ = write!(out, "{}", compiler.render_diagnostic(diagnostic));
    }
    let _ = writeln!(out, "{}", rebuild.summary(compiler.root(), outfile));
    let _ = out.flush();
}
