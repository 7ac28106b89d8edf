//! Writing a build's files: the bundle and its source map replace the old ones atomically
//! and together, so a reader never sees a half-written file, and a failure leaves the old
//! files in place, never a map that does not belong to its code.

use std::{
    io::{self, Write as _},
    path::{Path, PathBuf},
    sync::mpsc,
};

use base64::Engine as _;
use rayon::prelude::*;
use url::Url;
use verde_queries::render::sourcemap::{SourceMapCache, SourceMapOptions};

use crate::{BuildOutput, Code, metafile::WrittenFile};

mod spare;

use spare::Spare;

/// Whether and how a build writes a source map (`--sourcemap[=MODE]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceMaps {
    /// Where the map goes.
    pub mode: SourceMapMode,
    /// Whether the map holds the original texts (`sourcesContent`); on by default.
    pub sources_content: bool,
}

impl Default for SourceMaps {
    fn default() -> Self {
        SourceMaps {
            mode: SourceMapMode::Linked,
            sources_content: true,
        }
    }
}

/// Where a source map goes (esbuild's modes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SourceMapMode {
    /// `OUT.map` next to the output, named by a `//# sourceMappingURL=` comment.
    #[default]
    Linked,
    /// `OUT.map` with no comment in the output (`hidden`).
    External,
    /// In the output, as a `data:` URL.
    Inline,
    /// Both a `data:` URL in the output and `OUT.map`.
    Both,
}

impl SourceMapMode {
    /// `linked`, `external` (or `hidden`), `inline`, `both`.
    pub fn from_name(name: &str) -> Option<SourceMapMode> {
        Some(match name {
            "linked" => SourceMapMode::Linked,
            "external" | "hidden" => SourceMapMode::External,
            "inline" => SourceMapMode::Inline,
            "both" => SourceMapMode::Both,
            _ => return None,
        })
    }

    fn writes_file(self) -> bool {
        self != SourceMapMode::Inline
    }
}

/// Writes `code` to `path` through a temporary file in the same directory and a rename, so a
/// reader never sees a half-written file and a failure leaves the old file in place. (No
/// `fsync`: the point is atomicity for readers, not durability across a power loss.)
pub fn write_atomically(path: &Path, code: &Code) -> io::Result<()> {
    OutputWriter::new().write(path, code)
}

/// Replaces output files atomically (see [`write_atomically`]). A new file keeps the
/// replaced one's permissions (a new one gets the usual `0o666` less the umask). Watch mode
/// keeps one with a background thread, which frees the replaced files (the kernel takes
/// about 10 ms to free a 17 MB file, which would otherwise sit on every rebuild's critical
/// path) and makes a spare of each file written, which the next write rewrites from its
/// first changed piece on (see [`spare`]).
#[derive(Debug, Default)]
pub struct OutputWriter {
    background: Option<Background>,
    /// The escaped sources of the last map written, for the next one.
    source_maps: SourceMapCache,
    /// What the last write put in each file: a file that would get the same contents is
    /// left alone (its mtime too).
    written: std::collections::BTreeMap<PathBuf, Written>,
}

/// A writer's background thread, and the spares it made.
#[derive(Debug)]
struct Background {
    jobs: mpsc::Sender<Job>,
    made: mpsc::Receiver<Spare>,
    thread: std::thread::JoinHandle<()>,
    /// The latest spare of each file, once made.
    ready: std::collections::BTreeMap<PathBuf, Spare>,
    /// How many files were written into a spare (for tests).
    rewrites: usize,
    /// Whether it makes spares: not after one could not be used.
    making_spares: bool,
}

/// What the background thread does.
enum Job {
    /// Free a replaced file.
    Free(tempfile::TempPath),
    /// Make a spare of the file just written to `path`.
    Spare {
        path: PathBuf,
        directory: PathBuf,
        code: Code,
        trailer: String,
    },
    /// Say when the jobs before are done.
    #[cfg(test)]
    Settled(mpsc::Sender<()>),
}

impl Background {
    fn start() -> Background {
        let (jobs, queue) = mpsc::channel::<Job>();
        let (made, spares) = mpsc::channel::<Spare>();
        let thread = std::thread::spawn(move || {
            verde_queries::parallel::run_when_idle();
            for job in queue {
                match job {
                    // Dropping a `TempPath` deletes its file.
                    Job::Free(path) => drop(path),
                    Job::Spare {
                        path,
                        directory,
                        code,
                        trailer,
                    } => {
                        // Without a spare the next write writes the whole file.
                        if let Ok(spare) = Spare::write(path, &directory, code, &trailer) {
                            let _ = made.send(spare);
                        }
                    }
                    #[cfg(test)]
                    Job::Settled(done) => {
                        let _ = done.send(());
                    }
                }
            }
        });
        Background {
            jobs,
            made: spares,
            thread,
            ready: std::collections::BTreeMap::new(),
            rewrites: 0,
            making_spares: true,
        }
    }

    /// The latest spare of `path` made so far, if any (taken: a write consumes it).
    fn take_spare(&mut self, path: &Path) -> Option<Spare> {
        self.receive_spares();
        self.ready.remove(path)
    }

    /// Moves the spares made since the last call to `ready`, each replacing the older
    /// spare of its file.
    fn receive_spares(&mut self) {
        for spare in self.made.try_iter() {
            self.ready.insert(spare.path.clone(), spare);
        }
    }
}

/// The contents of an output file and of its map, as a writer last wrote them. Compared
/// as ropes: the pieces of a rebuild's output are mostly the same cached pieces, which
/// compare by address, so telling an unchanged output from a changed one costs about a
/// comparison per piece, not a pass over the bytes.
#[derive(Debug, PartialEq)]
struct Written {
    code: Code,
    trailer: String,
    map: Option<Code>,
}

/// An output file ready to be written: its path, its source map's path and text, and the
/// comment after its code.
struct PreparedFile {
    path: PathBuf,
    map: Option<(PathBuf, Code)>,
    trailer: String,
}

impl PreparedFile {
    /// What it writes.
    fn contents_to_write(&self, code: &Code) -> Written {
        Written {
            code: code.clone(),
            trailer: self.trailer.clone(),
            map: self.map.as_ref().map(|(_, json)| json.clone()),
        }
    }

    /// Whether its files hold `contents` already: `last` wrote them, and they are there.
    fn holds(&self, contents: &Written, last: Option<&Written>) -> bool {
        last == Some(contents)
            && self.path.is_file()
            && self.map.as_ref().is_none_or(|(map, _)| map.is_file())
    }

    /// What it writes, with sizes: its code (output `output`), then its map; `replaced`
    /// says whether they are written or left as they were.
    fn written(&self, code: &Code, output: usize, replaced: bool) -> Vec<WrittenFile> {
        let mut files = vec![WrittenFile {
            path: self.path.clone(),
            bytes: code.len() + self.trailer.len(),
            output: Some(output),
            replaced,
        }];
        if let Some((path, json)) = &self.map {
            files.push(WrittenFile {
                path: path.clone(),
                bytes: json.len(),
                output: None,
                replaced,
            });
        }
        files
    }

    /// The files to replace: the map first, so the code that names it replaces the old
    /// code last.
    fn contents<'a>(&'a self, code: &'a Code) -> Vec<(&'a Path, Contents<'a>)> {
        let mut files = Vec::with_capacity(2);
        if let Some((map_path, json)) = &self.map {
            files.push((
                map_path.as_path(),
                Contents {
                    code: json,
                    trailer: "",
                },
            ));
        }
        files.push((
            self.path.as_path(),
            Contents {
                code,
                trailer: &self.trailer,
            },
        ));
        files
    }
}

/// What goes into one output file: code (or a source map), then a trailer (the source-map
/// comment).
struct Contents<'a> {
    code: &'a Code,
    trailer: &'a str,
}

impl OutputWriter {
    /// A writer that frees replaced files before returning.
    pub fn new() -> Self {
        Self::default()
    }

    /// A writer that frees replaced files, and makes spares of the files it wrote, on a
    /// background thread.
    pub fn with_background_cleanup() -> Self {
        OutputWriter {
            background: Some(Background::start()),
            source_maps: SourceMapCache::default(),
            written: std::collections::BTreeMap::new(),
        }
    }

    /// Replaces `path` with `code` atomically.
    pub fn write(&mut self, path: &Path, code: &Code) -> io::Result<()> {
        self.replace_together(&[(path, Contents { code, trailer: "" })])
    }

    /// Writes a build's bundle to `path`, and its source map (to `path` + `.map`, or inline)
    /// when the build asked for one: refused when the build failed or when `path` or the
    /// map's path is one of its inputs (see [`BuildOutput::would_overwrite_input`]). Returns
    /// the files written, with their sizes.
    pub fn write_output(
        &mut self,
        output: &BuildOutput,
        path: &Path,
    ) -> io::Result<Vec<WrittenFile>> {
        let _span = tracing::debug_span!("write_output").entered();
        let Some(code) = output.code.as_ref().filter(|_| !output.has_errors()) else {
            return Err(io::Error::other(
                "the build failed: there is no bundle to write",
            ));
        };
        let file = self.prepare(output, code, path)?;
        let contents = file.contents_to_write(code);
        let unchanged = file.holds(&contents, self.written.get(&file.path));
        if !unchanged {
            self.replace_together(&file.contents(code))?;
        }
        self.written = std::collections::BTreeMap::from([(file.path.clone(), contents)]);
        self.drop_stale_spares();
        Ok(file.written(code, 0, !unchanged))
    }

    /// Writes every chunk of a split build into `directory`, with their source maps, all
    /// replaced together (see [`OutputWriter::write_output`]). Returns every file of the
    /// build (those left alone because their bytes did not change too), with their sizes.
    pub fn write_chunks(
        &mut self,
        output: &BuildOutput,
        directory: &Path,
    ) -> io::Result<Vec<WrittenFile>> {
        let _span = tracing::debug_span!("write_chunks").entered();
        if output.has_errors() || output.chunks.is_empty() {
            return Err(io::Error::other(
                "the build failed: there is no bundle to write",
            ));
        }
        let mut names: Vec<&str> = output
            .chunks
            .iter()
            .map(|chunk| chunk.file_name.as_str())
            .collect();
        names.sort_unstable();
        if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "two outputs would be written to {}: give --entry-names or --chunk-names [dir] or [hash]",
                    directory.join(pair[0]).display()
                ),
            ));
        }
        let mut files = Vec::with_capacity(output.chunks.len());
        let mut written = std::collections::BTreeMap::new();
        let mut report = Vec::with_capacity(output.chunks.len());
        for (index, chunk) in output.chunks.iter().enumerate() {
            let file = self.prepare(output, &chunk.code, &directory.join(&chunk.file_name))?;
            let contents = file.contents_to_write(&chunk.code);
            let unchanged = file.holds(&contents, self.written.get(&file.path));
            report.extend(file.written(&chunk.code, index, !unchanged));
            written.insert(file.path.clone(), contents);
            if !unchanged {
                files.push((file, &chunk.code));
            }
        }
        let contents: Vec<(&Path, Contents<'_>)> = files
            .iter()
            .flat_map(|(file, code)| file.contents(code))
            .collect();
        self.replace_together(&contents)?;
        // The chunks of the previous build this one no longer has (their hashes changed).
        for stale in self.written.keys() {
            if !written.contains_key(stale) {
                let _ = std::fs::remove_file(stale);
                let _ = std::fs::remove_file(map_path(stale));
            }
        }
        self.written = written;
        self.drop_stale_spares();
        Ok(report)
    }

    /// What writing `code` to `path` takes: its source map and the comment that names it.
    fn prepare(
        &mut self,
        output: &BuildOutput,
        code: &Code,
        path: &Path,
    ) -> io::Result<PreparedFile> {
        let map_path = map_path(path);
        let writes_map = output
            .source_maps
            .is_some_and(|maps| maps.mode.writes_file());
        for target in [Some(path), writes_map.then_some(map_path.as_path())]
            .into_iter()
            .flatten()
        {
            if output.would_overwrite_input(target) {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "refusing to overwrite the input file {} with the bundle",
                        target.display()
                    ),
                ));
            }
        }
        let Some(maps) = output.source_maps else {
            return Ok(PreparedFile {
                path: path.to_path_buf(),
                map: None,
                trailer: String::new(),
            });
        };
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let absolute = std::path::absolute(path)?;
        let directory = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
        let json = {
            let _span = tracing::debug_span!("source_map").entered();
            code.source_map(
                &SourceMapOptions {
                    file: Some(&file_name),
                    sources_relative_to: &directory,
                    sources_content: maps.sources_content,
                },
                &mut self.source_maps,
            )
        };
        let newline = if code.ends_with_newline() { "" } else { "\n" };
        let trailer = match maps.mode {
            SourceMapMode::Linked => format!(
                "{newline}//# sourceMappingURL={}\n",
                map_url_from(&absolute)
            ),
            SourceMapMode::External => String::new(),
            SourceMapMode::Inline | SourceMapMode::Both => {
                format!(
                    "{newline}//# sourceMappingURL=data:application/json;charset=utf-8;base64,{}\n",
                    base64::engine::general_purpose::STANDARD.encode(json.to_string())
                )
            }
        };
        Ok(PreparedFile {
            path: path.to_path_buf(),
            map: maps.mode.writes_file().then_some((map_path, json)),
            trailer,
        })
    }

    /// Replaces each file with its contents: all are written to temporary files first, then
    /// renamed into place in order. If a rename fails, the files already replaced get their
    /// old contents back, so the outputs stay a set that belongs together.
    fn replace_together(&mut self, files: &[(&Path, Contents<'_>)]) -> io::Result<()> {
        let spares: Vec<Option<Spare>> = files
            .iter()
            .map(|(path, _)| {
                self.background
                    .as_mut()
                    .and_then(|background| background.take_spare(path))
            })
            .collect();
        // Staged in parallel: a map is several times the size of its code.
        let staged = files
            .par_iter()
            .zip(spares)
            .map(|((path, contents), spare)| match spare {
                Some(spare) => match stage_in_spare(path, contents, spare) {
                    Ok(staged) => Ok((staged, Some(true))),
                    Err(_) => stage(path, contents).map(|staged| (staged, Some(false))),
                },
                None => stage(path, contents).map(|staged| (staged, None)),
            })
            .collect::<io::Result<Vec<_>>>()?;
        if let Some(background) = &mut self.background {
            background.rewrites += staged
                .iter()
                .filter(|(_, spared)| *spared == Some(true))
                .count();
            // A spare that could not be used (no `/proc` to name it through, say) would
            // fail the same way every time: stop making them.
            if staged.iter().any(|(_, spared)| *spared == Some(false)) {
                background.making_spares = false;
            }
        }
        let staged = staged.into_iter().map(|(staged, _)| staged);
        // Each replaced file stays alive under another name until every rename is done: to
        // put it back if a later rename fails, and so the rename does not free it (the
        // cleanup thread does that later).
        let mut replaced: Vec<(&Path, Option<tempfile::TempPath>)> = Vec::new();
        for ((path, _), (temporary, existed)) in files.iter().zip(staged) {
            let keep = if existed && (files.len() > 1 || self.background.is_some()) {
                let directory = parent_directory(path);
                tempfile::Builder::new()
                    .prefix(".verde-old-")
                    .make_in(&directory, |keep| std::fs::hard_link(path, keep))
                    .ok()
                    .map(tempfile::NamedTempFile::into_temp_path)
            } else {
                None
            };
            if let Err(error) = temporary.persist(path) {
                for (path, previous) in replaced.into_iter().rev() {
                    match previous {
                        Some(previous) => {
                            let _ = previous.persist(path);
                        }
                        None => {
                            let _ = std::fs::remove_file(path);
                        }
                    }
                }
                return Err(error.error);
            }
            replaced.push((path, keep));
        }
        if let Some(background) = &self.background {
            // The spares first: the next rebuild may want them, and nothing waits for the
            // replaced files to be freed.
            for (path, contents) in files.iter().filter(|_| background.making_spares) {
                let _ = background.jobs.send(Job::Spare {
                    path: path.to_path_buf(),
                    directory: parent_directory(path),
                    code: contents.code.clone(),
                    trailer: contents.trailer.to_owned(),
                });
            }
            for previous in replaced.into_iter().filter_map(|(_, previous)| previous) {
                let _ = background.jobs.send(Job::Free(previous));
            }
        }
        Ok(())
    }

    /// Drops the spares of files this writer no longer writes (a split build's chunks
    /// whose names changed with their contents), so they do not pile up over a session.
    fn drop_stale_spares(&mut self) {
        let Some(background) = &mut self.background else {
            return;
        };
        background.receive_spares();
        let written = &self.written;
        background.ready.retain(|path, _| {
            written.contains_key(path) || written.keys().any(|code| map_path(code) == *path)
        });
    }

    /// Waits until the background thread has done what it was given (tests: a spare is
    /// made, or not, before the next write).
    #[cfg(test)]
    fn settle(&mut self) {
        if let Some(background) = &self.background {
            let (done, settled) = mpsc::channel();
            let _ = background.jobs.send(Job::Settled(done));
            let _ = settled.recv();
        }
    }
}

/// Gives `file` the permissions of the file it replaces, unless it has them already (it
/// usually has: both were made with the same mode and umask). Changing an inode's mode
/// can wait for the file system (ext4's journal, when a commit is under way): once, a
/// `fchmod` to the mode a spare had took 3.9 ms of a rebuild on three.js x10 (`strace -T`)
/// that wrote 9.6 KB.
fn keep_permissions(file: &std::fs::File, replaced: &std::fs::Metadata) -> io::Result<()> {
    if file.metadata()?.permissions() != replaced.permissions() {
        file.set_permissions(replaced.permissions())?;
    }
    Ok(())
}

/// Like [`stage`], but into `spare`, which holds what an earlier write wrote to `path`:
/// only from the first piece that differs on.
fn stage_in_spare(
    path: &Path,
    contents: &Contents<'_>,
    spare: Spare,
) -> io::Result<(tempfile::NamedTempFile, bool)> {
    let directory = parent_directory(path);
    let replaced = std::fs::metadata(path)
        .ok()
        .filter(|metadata| metadata.is_file());
    let (file, kept) = spare.rewrite(contents.code, contents.trailer)?;
    if let Some(replaced) = &replaced {
        keep_permissions(&file, replaced)?;
    }
    let named = temporary_names().make_in(&directory, |name| {
        spare::link(&file, name)?;
        file.try_clone()
    })?;
    tracing::debug!(path = %path.display(), kept, "written into a spare");
    Ok((named, replaced.is_some()))
}

/// Writes `contents` to a new temporary file next to `path`, with the permissions of the
/// file it will replace. Also says whether there is one.
fn stage(path: &Path, contents: &Contents<'_>) -> io::Result<(tempfile::NamedTempFile, bool)> {
    if path.file_name().is_none() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "output path has no file name",
        ));
    }
    let directory = parent_directory(path);
    std::fs::create_dir_all(&directory)?;
    let replaced = std::fs::metadata(path)
        .ok()
        .filter(|metadata| metadata.is_file());
    // Short random names: a temporary name never gets longer than the file system allows,
    // whatever the output's own name.
    let mut builder = temporary_names();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(&directory)?;
    contents.code.write_vectored_to(temporary.as_file_mut())?;
    temporary
        .as_file_mut()
        .write_all(contents.trailer.as_bytes())?;
    if let Some(replaced) = &replaced {
        keep_permissions(temporary.as_file(), replaced)?;
    }
    Ok((temporary, replaced.is_some()))
}

/// How the files staged next to an output are named: `.verde-XXXXXX.tmp`.
fn temporary_names() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".verde-").suffix(".tmp");
    builder
}

fn parent_directory(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Where the source map of the output `path` goes: `path` with `.map` appended.
pub fn map_path(path: &Path) -> PathBuf {
    let mut map = path.as_os_str().to_owned();
    map.push(".map");
    PathBuf::from(map)
}

/// The URL of `code`'s map relative to `code` (its file name, escaped as a URL).
fn map_url_from(code: &Path) -> String {
    let map = map_path(code);
    Url::from_file_path(code)
        .ok()
        .zip(Url::from_file_path(&map).ok())
        .and_then(|(code, map)| code.make_relative(&map))
        .unwrap_or_else(|| {
            map.file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
}

impl Drop for OutputWriter {
    fn drop(&mut self) {
        if let Some(background) = self.background.take() {
            drop(background.jobs);
            let _ = background.thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn code(pieces: &[&Arc<str>]) -> Code {
        Code::from_pieces(pieces.iter().map(|piece| Arc::clone(piece)).collect())
    }

    fn text(code: &Code) -> String {
        code.pieces().concat()
    }

    /// Watch mode's writer: each write after the first goes into the spare of the one
    /// before, from its first changed piece on, and the file holds exactly the new code,
    /// whether the change grows the file, shrinks it, keeps its length, or is at its start
    /// or its end.
    #[test]
    fn writes_into_spares_hold_exactly_the_new_code() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("out.js");
        let pieces: Vec<Arc<str>> = (0..40)
            .map(|index| Arc::from(format!("const piece{index} = {index};\n").as_str()))
            .collect();
        let all: Vec<&Arc<str>> = pieces.iter().collect();
        let changed: Arc<str> = Arc::from("const changed = 'a longer piece than the others';\n");
        let short: Arc<str> = Arc::from("x\n");
        // As long as `const piece20 = 20;\n` (and piece 39's).
        let same_length: Arc<str> = Arc::from("const piece20 = 99;\n");
        let with = |index: usize, piece: &Arc<str>| {
            let mut list = all.clone();
            list[index] = piece;
            code(&list)
        };
        let versions = [
            code(&all),
            with(20, &changed),
            with(20, &short),
            with(0, &changed),
            with(39, &short),
            code(&all[..25]),
            code(&all),
            code(&all),
            code(&[&changed]),
            code(&all),
            with(20, &same_length),
            with(39, &same_length),
            with(0, &same_length),
            code(&all),
        ];
        let mut writer = OutputWriter::with_background_cleanup();
        for (version, contents) in versions.iter().enumerate() {
            writer.write(&path, contents).unwrap();
            assert_eq!(
                std::fs::read_to_string(&path).unwrap(),
                text(contents),
                "version {version}"
            );
            writer.settle();
        }
        #[cfg(target_os = "linux")]
        assert_eq!(
            writer.background.as_ref().unwrap().rewrites,
            versions.len() - 1,
            "every write after the first goes into a spare"
        );
        drop(writer);
        let left: Vec<_> = std::fs::read_dir(directory.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(
            left,
            [std::ffi::OsString::from("out.js")],
            "no file left behind"
        );
    }

    /// The spares of files the writer no longer writes (a split build's chunks renamed with
    /// their contents) are dropped, not kept for the whole session.
    #[cfg(target_os = "linux")]
    #[test]
    fn spares_of_files_no_longer_written_are_dropped() {
        let directory = tempfile::tempdir().unwrap();
        let [old, new] = ["chunk-a1.js", "chunk-b2.js"].map(|name| directory.path().join(name));
        let piece: Arc<str> = Arc::from("export {};\n");
        let mut writer = OutputWriter::with_background_cleanup();
        for path in [&old, &new] {
            writer.write(path, &code(&[&piece])).unwrap();
        }
        writer.settle();
        let written = Written {
            code: code(&[&piece]),
            trailer: String::new(),
            map: None,
        };
        writer.written = std::collections::BTreeMap::from([(new.clone(), written)]);
        writer.drop_stale_spares();
        let spares: Vec<&PathBuf> = writer.background.as_ref().unwrap().ready.keys().collect();
        assert_eq!(spares, [&new]);
    }

    /// A spare that cannot be used (here: its directory is gone, so it cannot be named
    /// there) leaves the write to a whole file, and the writer stops making spares.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_spare_that_cannot_be_used_leaves_the_write_whole_and_spares_stop() {
        let directory = tempfile::tempdir().unwrap();
        let output = directory.path().join("dist");
        let path = output.join("out.js");
        let [first, second]: [Arc<str>; 2] = ["first\n", "second\n"].map(Arc::from);
        let mut writer = OutputWriter::with_background_cleanup();
        writer.write(&path, &code(&[&first])).unwrap();
        writer.settle();
        std::fs::remove_dir_all(&output).unwrap();
        writer.write(&path, &code(&[&second])).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "second\n");
        let background = writer.background.as_ref().unwrap();
        assert_eq!(background.rewrites, 0);
        assert!(!background.making_spares);
    }

    /// A file written into a spare keeps the permissions of the file it replaces.
    #[cfg(unix)]
    #[test]
    fn writes_into_spares_keep_the_permissions() {
        use std::os::unix::fs::PermissionsExt as _;
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("out.js");
        let first: Arc<str> = Arc::from("first\n");
        let second: Arc<str> = Arc::from("second\n");
        let mut writer = OutputWriter::with_background_cleanup();
        writer.write(&path, &code(&[&first])).unwrap();
        writer.settle();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        writer.write(&path, &code(&[&second])).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "second\n");
    }

    #[test]
    fn map_file_names_are_escaped_as_urls() {
        assert_eq!(map_url_from(Path::new("/dist/out.js")), "out.js.map");
        assert_eq!(
            map_url_from(Path::new("/dist/my out#1.js")),
            "my%20out%231.js.map"
        );
        assert_eq!(map_url_from(Path::new("/dist/é.js")), "%C3%A9.js.map");
    }
}
