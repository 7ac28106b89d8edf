//! Source files: the salsa input every other query starts from, the registry that hands out
//! one handle per path, and the `System` that reads bytes from disk or memory.
//!
//! A [`SourceFile`] is a cheap handle (a path and a revision counter). Its text comes from the
//! [`source_text`] query, which reads through the database's [`System`]. Handles exist for
//! paths that do not exist yet, so a query that probed a missing path depends on it and re-runs
//! when the file appears (see `resolve.rs`).

use std::{
    fmt, io,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use rustc_hash::FxHashMap;
use salsa::Durability;

use crate::{Db, summary::ModuleSummary};

/// One file the build may read. Identity is the path; `revision` is bumped whenever the
/// file's content (or existence) may have changed, which invalidates [`source_text`], and
/// `presence` only when it appeared, vanished or became a directory (what [`file_status`]
/// reads, and through it module resolution): an edit of a file's text, its first included,
/// leaves every resolution that looked at it alone.
#[salsa::input(debug)]
pub struct SourceFile {
    #[returns(ref)]
    pub path: PathBuf,
    #[returns(copy)]
    pub revision: u64,
    #[returns(copy)]
    pub presence: u64,
    /// What link reads of the file as a module, published by the driver (see
    /// [`crate::summary`]). Made with the file and never replaced.
    #[returns(copy)]
    pub summary: ModuleSummary,
}

/// The outcome of reading a file. Errors are values: a missing or binary file is reported as a
/// diagnostic by whoever needed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceText {
    Text(Arc<str>),
    Missing,
    Directory,
    Binary,
    NotUtf8,
    /// A FIFO, socket or device: reading it could block forever or never end.
    NotAFile,
    Unreadable(String),
}

impl SourceText {
    pub fn text(&self) -> Option<&Arc<str>> {
        match self {
            SourceText::Text(text) => Some(text),
            _ => None,
        }
    }

    /// Why the text is unavailable, as a sentence for a diagnostic.
    pub fn error_message(&self) -> Option<String> {
        Some(match self {
            SourceText::Text(_) => return None,
            SourceText::Missing => "file not found".to_owned(),
            SourceText::Directory => "is a directory, not a file".to_owned(),
            SourceText::Binary => "looks like a binary file (it contains NUL bytes)".to_owned(),
            SourceText::NotUtf8 => "is not valid UTF-8 text".to_owned(),
            SourceText::NotAFile => {
                "is not a regular file (a FIFO, socket or device), so it is not read".to_owned()
            }
            SourceText::Unreadable(reason) => format!("could not be read: {reason}"),
        })
    }
}

/// Reads a file through the database's [`System`]. Depends on the file's revision only, so
/// bumping the revision (the watcher, the LSP, or an embedder's `update_file`) re-reads it.
#[salsa::tracked(returns(ref))]
pub fn source_text(db: &dyn Db, file: SourceFile) -> SourceText {
    let _span = tracing::debug_span!("source_text", path = %file.path(db).display()).entered();
    let _ = file.revision(db);
    let path = file.path(db);
    if let Some(text) = crate::virtual_modules::text(path) {
        return SourceText::Text(Arc::from(text));
    }
    match db.system().read(path) {
        Ok(bytes) => decode_source(bytes),
        Err(error)
            if error
                .get_ref()
                .is_some_and(|inner| inner.is::<NotARegularFile>()) =>
        {
            SourceText::NotAFile
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => SourceText::Missing,
        Err(error) if error.kind() == io::ErrorKind::IsADirectory => SourceText::Directory,
        Err(error) => match db.system().metadata(path) {
            Ok(metadata) if metadata.is_dir => SourceText::Directory,
            _ => SourceText::Unreadable(error.to_string()),
        },
    }
}

pub fn decode_source(mut bytes: Vec<u8>) -> SourceText {
    // A byte-order mark is not part of the program.
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if bytes.contains(&0) {
        return SourceText::Binary;
    }
    match String::from_utf8(bytes) {
        Ok(text) => SourceText::Text(Arc::from(text)),
        Err(_) => SourceText::NotUtf8,
    }
}

/// Whether a path is a file, a directory, or nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileStatus {
    File,
    Directory,
    Missing,
}

/// A number for `file`, fixed for the database's life (its salsa id's index): what the
/// queries that group modules into shards or runs group by, so that a module keeps its
/// group when others come and go. Never part of any output.
pub fn file_key(file: SourceFile) -> u32 {
    salsa::plumbing::AsId::as_id(&file).index()
}

/// Which of `shards` shards `file` goes in, by its [`file_key`].
pub fn file_shard(file: SourceFile, shards: u32) -> u32 {
    file_key(file) % shards
}

/// Whether `file` exists. Re-runs when the file appeared, vanished or changed kind (see
/// [`SourceFile`]), not when its contents changed, so that what depends only on existence
/// (module resolution) does not re-run after an edit.
#[salsa::tracked]
pub fn file_status(db: &dyn Db, file: SourceFile) -> FileStatus {
    let _ = file.presence(db);
    current_status(db, file.path(db))
}

/// Whether `path` is a file, a directory or missing now (untracked: [`file_status`] is the
/// tracked read).
pub(crate) fn current_status(db: &dyn Db, path: &Path) -> FileStatus {
    if crate::virtual_modules::text(path).is_some() {
        return FileStatus::File;
    }
    match db.system().metadata(path) {
        Ok(metadata) if metadata.is_file => FileStatus::File,
        Ok(metadata) if metadata.is_dir => FileStatus::Directory,
        _ => FileStatus::Missing,
    }
}

/// What the resolver and `source_text` need to know about a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metadata {
    pub is_file: bool,
    pub is_dir: bool,
    pub is_symlink: bool,
}

/// Where bytes come from: the real disk, or memory for embedders and tests.
pub trait System: Send + Sync + fmt::Debug {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// `stat`: symlinks followed.
    fn metadata(&self, path: &Path) -> io::Result<Metadata>;
    /// `lstat`: symlinks not followed.
    fn symlink_metadata(&self, path: &Path) -> io::Result<Metadata>;
    fn read_link(&self, path: &Path) -> io::Result<PathBuf>;
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
}

/// The operating system's file system.
#[derive(Debug, Default)]
pub struct OsSystem;

/// What [`System::read`] fails with for a FIFO, socket or device: reading one could block
/// forever or never end, so only regular files are read.
#[derive(Debug)]
pub struct NotARegularFile;

impl fmt::Display for NotARegularFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a regular file (a FIFO, socket or device)")
    }
}

impl std::error::Error for NotARegularFile {}

impl System for OsSystem {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        use std::io::Read as _;
        // Opening a FIFO for reading blocks until something writes to it, unless the open
        // does not block; then the descriptor says what the path is (one `fstat`, which a
        // plain `std::fs::read` makes too).
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.custom_flags(libc::O_NONBLOCK);
        }
        let mut file = options.open(path)?;
        let metadata = file.metadata()?;
        if metadata.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory",
            ));
        }
        if !metadata.is_file() {
            return Err(io::Error::other(NotARegularFile));
        }
        let mut bytes = Vec::with_capacity(metadata.len() as usize);
        // Through `Take`, not the `File` itself, whose `read_to_end` asks the size again
        // (an `fstat` and an `lseek` per file).
        (&mut file).take(u64::MAX).read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        std::fs::metadata(path).map(|m| Metadata {
            is_file: m.is_file(),
            is_dir: m.is_dir(),
            is_symlink: false,
        })
    }

    fn symlink_metadata(&self, path: &Path) -> io::Result<Metadata> {
        std::fs::symlink_metadata(path).map(|m| Metadata {
            is_file: m.is_file(),
            is_dir: m.is_dir(),
            is_symlink: m.file_type().is_symlink(),
        })
    }

    fn read_link(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::read_link(path)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
}

/// An in-memory file system: a map from absolute path to bytes. Directories are implied by
/// the files under them. Embedders and tests use it to build with no disk at all.
#[derive(Debug, Default)]
pub struct MemorySystem {
    files: Mutex<MemoryFiles>,
}

#[derive(Debug, Default)]
struct MemoryFiles {
    contents: FxHashMap<PathBuf, Arc<[u8]>>,
    /// How many files each directory contains, at any depth.
    directories: FxHashMap<PathBuf, usize>,
}

impl MemorySystem {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn write(&self, path: impl Into<PathBuf>, contents: impl AsRef<[u8]>) {
        let path = path.into();
        let mut files = self.files.lock().unwrap();
        if files
            .contents
            .insert(path.clone(), Arc::from(contents.as_ref()))
            .is_none()
        {
            for directory in path.ancestors().skip(1) {
                *files
                    .directories
                    .entry(directory.to_path_buf())
                    .or_insert(0) += 1;
            }
        }
    }

    pub fn remove(&self, path: &Path) -> bool {
        let mut files = self.files.lock().unwrap();
        if files.contents.remove(path).is_none() {
            return false;
        }
        for directory in path.ancestors().skip(1) {
            if let Some(count) = files.directories.get_mut(directory) {
                *count -= 1;
                if *count == 0 {
                    files.directories.remove(directory);
                }
            }
        }
        true
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.files.lock().unwrap().directories.contains_key(path)
    }
}

impl System for MemorySystem {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if let Some(bytes) = self.files.lock().unwrap().contents.get(path) {
            return Ok(bytes.to_vec());
        }
        if self.is_dir(path) {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory",
            ));
        }
        Err(io::Error::new(io::ErrorKind::NotFound, "not found"))
    }

    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        let is_file = self.files.lock().unwrap().contents.contains_key(path);
        let is_dir = !is_file && self.is_dir(path);
        if is_file || is_dir {
            Ok(Metadata {
                is_file,
                is_dir,
                is_symlink: false,
            })
        } else {
            Err(io::Error::new(io::ErrorKind::NotFound, "not found"))
        }
    }

    fn symlink_metadata(&self, path: &Path) -> io::Result<Metadata> {
        self.metadata(path)
    }

    fn read_link(&self, _path: &Path) -> io::Result<PathBuf> {
        Err(io::Error::new(io::ErrorKind::InvalidInput, "not a symlink"))
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.metadata(path).map(|_| path.to_path_buf())
    }
}

/// The registry of [`SourceFile`] handles: one per path, created on first use. Clones of the
/// database share it.
#[derive(Clone, Default)]
pub struct Files {
    inner: Arc<Mutex<FilesInner>>,
}

#[derive(Default)]
struct FilesInner {
    by_path: FxHashMap<PathBuf, SourceFile>,
    /// Every path, in the order its handle was made.
    in_order: Vec<PathBuf>,
    /// Whether a build was completed (see [`Files::built`]).
    built: bool,
}

impl fmt::Debug for Files {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Files").finish_non_exhaustive()
    }
}

impl Files {
    /// The handle for `path` (absolute and normalized by the caller). Files under
    /// `node_modules` get high durability: an edit in project code then does not make salsa
    /// re-validate the queries that only read library files.
    pub fn file(&self, db: &dyn Db, path: &Path) -> SourceFile {
        let mut inner = self.inner.lock().unwrap();
        if let Some(file) = inner.by_path.get(path) {
            return *file;
        }
        let presence = presence_durability(path, inner.built);
        let summary = ModuleSummary::unpublished(db, summary_durability(path));
        // A file's path and summary handle are its identity, set here once: read at
        // never-change durability, they add no dependency to the memos that read them (most
        // memos of the link side read the summary handle, through `View`: about 58,000
        // dependencies confirmed again after every edit of the graph on three.js x10).
        let file = SourceFile::builder(path.to_path_buf(), 0, 0, summary)
            .durability(Durability::HIGH)
            .path_durability(Durability::NEVER_CHANGE)
            .summary_durability(Durability::NEVER_CHANGE)
            .presence_durability(presence)
            .revision_durability(text_durability(path))
            .new(db);
        inner.by_path.insert(path.to_path_buf(), file);
        inner.in_order.push(path.to_path_buf());
        file
    }

    /// Notes that a build was completed: handles made from now on are made late (see
    /// [`presence_durability`]).
    pub fn built(&self) {
        self.inner.lock().unwrap().built = true;
    }

    /// Every handle handed out, in order.
    pub fn all(&self) -> Vec<SourceFile> {
        let inner = self.inner.lock().unwrap();
        inner
            .in_order
            .iter()
            .map(|path| inner.by_path[path])
            .collect()
    }

    /// The handle for `path` if one was ever handed out.
    pub fn existing(&self, path: &Path) -> Option<SourceFile> {
        self.inner.lock().unwrap().by_path.get(path).copied()
    }

    /// How many handles were handed out.
    pub fn len(&self) -> usize {
        self.inner.lock().unwrap().in_order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The paths of the handles handed out after the first `start`, in order.
    pub fn paths_since(&self, start: usize) -> Vec<PathBuf> {
        let inner = self.inner.lock().unwrap();
        inner.in_order.get(start..).unwrap_or_default().to_vec()
    }
}

/// The durability of what link decides with in a module's published summary (see
/// [`crate::summary`]): high for library files (under `node_modules`), which change rarely,
/// medium for project files. A file's presence (whether it exists, and as what) is high,
/// but for the files of [`presence_durability`] (its path and summary handle never
/// change): a file created or deleted changes resolutions, and with them under the medium
/// summaries, every edit that changes what link decides with would walk every resolution
/// and every module's settings again. See docs/ARCHITECTURE.md, "Durability".
pub(crate) fn summary_durability(path: &Path) -> Durability {
    if is_library(path) {
        Durability::HIGH
    } else {
        Durability::MEDIUM
    }
}

/// The durability of a file's presence: high, but for a project file whose handle was made
/// after a build was completed (a module created while watching, found when an import of
/// it was added): medium. Such a file is the one likely to be deleted again, and a high
/// presence changed makes the next discovery walk every module from the entries (about
/// 7 ms on three.js x10); after a medium one, discovery walks from the modules published
/// again, and link checks that it reached every module of the graph (see
/// `Database::check_graph_published`).
fn presence_durability(path: &Path, made_late: bool) -> Durability {
    if made_late && !is_library(path) {
        Durability::MEDIUM
    } else {
        Durability::HIGH
    }
}

/// The durability of a file's text (its `revision`), from the start: project modules are
/// low, library files and project JSON files (`package.json`, `tsconfig.json`, JSON
/// modules) high. Only the parse side reads a module's text, and the link side reads the
/// summaries the driver publishes from it, so a low text walks nothing of the link side
/// (see [`crate::summary`]). Resolutions and every module's settings read the manifests:
/// a manifest edited makes salsa walk every query once (they change rarely), and the
/// settings that compare equal stop the wave.
pub(crate) fn text_durability(path: &Path) -> Durability {
    if is_library(path)
        || path
            .extension()
            .is_some_and(|extension| extension == "json")
    {
        Durability::HIGH
    } else {
        Durability::LOW
    }
}

/// Whether `path` is library code (under `node_modules`).
pub fn is_library(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "node_modules")
}

/// Makes `path` absolute against `cwd` and removes `.` and `..` components without touching
/// the disk (symlinks are the resolver's business).
pub fn normalize_path(cwd: &Path, path: &Path) -> PathBuf {
    use std::path::Component;
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Another [`System`] with some files replaced or deleted: editor buffers, or embedders that
/// set a file's text directly. Overlays win over the base system.
#[derive(Debug)]
pub struct OverlaySystem {
    base: Arc<dyn System>,
    /// `Some(bytes)`: the file has these contents. `None`: the file does not exist.
    overlays: Mutex<FxHashMap<PathBuf, Option<Arc<[u8]>>>>,
}

impl OverlaySystem {
    pub fn new(base: Arc<dyn System>) -> Self {
        OverlaySystem {
            base,
            overlays: Mutex::default(),
        }
    }

    pub fn set(&self, path: PathBuf, contents: Option<Arc<[u8]>>) {
        self.overlays.lock().unwrap().insert(path, contents);
    }

    /// Forgets the overlay of `path`: the base system's file shows through again.
    pub fn clear(&self, path: &Path) -> bool {
        self.overlays.lock().unwrap().remove(path).is_some()
    }

    fn overlay(&self, path: &Path) -> Option<Option<Arc<[u8]>>> {
        self.overlays.lock().unwrap().get(path).cloned()
    }

    /// Whether some overlaid file lies under `path`, which makes it a directory.
    /// What the disk said of `path`, unless it is missing there and open documents make it
    /// a directory.
    fn or_overlaid_directory(
        &self,
        path: &Path,
        on_disk: io::Result<Metadata>,
    ) -> io::Result<Metadata> {
        on_disk.or_else(|error| {
            if self.has_overlaid_children(path) {
                Ok(Metadata {
                    is_file: false,
                    is_dir: true,
                    is_symlink: false,
                })
            } else {
                Err(error)
            }
        })
    }

    fn has_overlaid_children(&self, path: &Path) -> bool {
        self.overlays
            .lock()
            .unwrap()
            .iter()
            .any(|(file, contents)| contents.is_some() && file.starts_with(path) && file != path)
    }
}

fn not_found() -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, "not found")
}

impl System for OverlaySystem {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.overlay(path) {
            Some(Some(contents)) => Ok(contents.to_vec()),
            Some(None) => Err(not_found()),
            None => self.base.read(path),
        }
    }

    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        match self.overlay(path) {
            Some(Some(_)) => Ok(Metadata {
                is_file: true,
                is_dir: false,
                is_symlink: false,
            }),
            Some(None) => Err(not_found()),
            None => self.or_overlaid_directory(path, self.base.metadata(path)),
        }
    }

    fn symlink_metadata(&self, path: &Path) -> io::Result<Metadata> {
        match self.overlay(path) {
            Some(_) => self.metadata(path),
            // Not overlaid: what the disk says, unless open documents make it a directory.
            // (No second `stat` of a missing path: resolution probes many.)
            None => self.or_overlaid_directory(path, self.base.symlink_metadata(path)),
        }
    }

    fn read_link(&self, path: &Path) -> io::Result<PathBuf> {
        self.base.read_link(path)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        match self.overlay(path) {
            Some(Some(_)) => Ok(path.to_path_buf()),
            Some(None) => Err(not_found()),
            None => self.base.canonicalize(path).or_else(|error| {
                self.metadata(path)
                    .map(|_| path.to_path_buf())
                    .map_err(|_| error)
            }),
        }
    }
}
