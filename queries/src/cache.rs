//! The module cache: what the parse query computed for a module, kept across processes
//! under a key made of everything compilation reads (see `parse/cached.rs`), so that a new
//! process that finds a module's key skips compiling it.
//!
//! Two levels, read in order:
//! - [`local`]: a store on this machine's disk, several processes at once;
//! - [`remote`]: a server teams share, spoken to with Bazel's HTTP cache protocol.
//!
//! A module found remotely is kept locally too; a module compiled here goes to both. Problems
//! with either level never fail a build: they are collected as warnings
//! ([`ModuleCache::take_problems`]) and the build compiles what it could not read.

mod local;
mod remote;

use std::path::{Path, PathBuf};

pub use local::{CacheStats, DEFAULT_MAX_SIZE};
pub use remote::{DEFAULT_REMOTE_TIMEOUT, RemoteCache, RemoteOptions};

/// A module's key: an xxh3-128 digest of everything that decides its compilation.
pub type CacheKey = u128;

/// The module cache a build reads and fills: the local store, and a remote one if asked.
#[derive(Debug)]
pub struct ModuleCache {
    local: local::LocalStore,
    remote: Option<RemoteCache>,
    /// Keys name module paths relative to this directory, so that two checkouts of a
    /// project (two machines, two clones) share keys.
    project_root: Option<PathBuf>,
}

impl ModuleCache {
    /// Opens (or creates) the local store in `dir`, bounded to `max_size` bytes of entries.
    /// A store file found damaged is replaced by an empty one (and said so, as a problem).
    pub fn open(dir: &Path, max_size: u64) -> Result<ModuleCache, String> {
        Ok(ModuleCache {
            local: local::LocalStore::open(dir, max_size)?,
            remote: None,
            project_root: None,
        })
    }

    /// Keys name the paths of modules under `root` relative to it (others stay absolute).
    pub fn with_project_root(mut self, root: PathBuf) -> Self {
        self.project_root = Some(root);
        self
    }

    /// Reads what the local store misses from `remote`, and uploads what is compiled here.
    pub fn with_remote(mut self, remote: RemoteCache) -> Self {
        self.remote = Some(remote);
        self
    }

    /// How keys name `path`: relative to the project root when it is under it.
    pub fn key_path<'a>(&self, path: &'a Path) -> &'a Path {
        self.project_root
            .as_deref()
            .and_then(|root| path.strip_prefix(root).ok())
            .unwrap_or(path)
    }

    /// A build begins. `build` names it across machines: the project-relative entries and
    /// every option, so that the remote cache can hand over the modules of its last upload at
    /// once (see [`remote`]).
    pub fn begin_build(&self, build: &str) {
        if let Some(remote) = &self.remote {
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            hasher.update(env!("VERDE_COMPILER_FINGERPRINT").as_bytes());
            hasher.update(build.as_bytes());
            remote.begin(hasher.digest128());
        }
    }

    /// The bytes kept under `key`, locally or else remotely, if they are intact.
    pub fn get(&self, key: CacheKey) -> Option<Vec<u8>> {
        let bytes = match self.local.get(key) {
            Some(bytes) => bytes,
            None => {
                let bytes = self.remote.as_ref()?.get(key)?;
                self.local.put(key, bytes.clone());
                bytes
            }
        };
        if let Some(remote) = &self.remote {
            remote.used(key, &bytes);
        }
        Some(bytes)
    }

    /// Keeps `bytes` under `key`, at the next [`flush`](Self::flush).
    pub fn put(&self, key: CacheKey, bytes: Vec<u8>) {
        if let Some(remote) = &self.remote {
            remote.used(key, &bytes);
        }
        self.local.put(key, bytes);
    }

    /// Writes what was kept since the last flush: to the local store, and uploads it to the
    /// remote one at the same time. Returns when both are done.
    pub fn flush(&self) {
        std::thread::scope(|scope| {
            if let Some(remote) = &self.remote {
                scope.spawn(|| remote.flush());
            }
            self.local.flush();
        });
    }

    /// What went wrong since the last call, each once.
    pub fn take_problems(&self) -> Vec<String> {
        let mut problems = self.local.take_problems();
        if let Some(remote) = &self.remote {
            problems.extend(remote.take_problems());
        }
        problems
    }

    /// The number and size of the entries in the local store at `dir`.
    pub fn stats(dir: &Path) -> Result<CacheStats, String> {
        local::LocalStore::stats(dir)
    }

    /// Removes the local store at `dir`.
    pub fn clean(dir: &Path) -> Result<(), String> {
        local::LocalStore::clean(dir)
    }
}
