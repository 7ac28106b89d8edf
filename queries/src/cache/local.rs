//! The local level of the module cache: a store on this machine's disk.
//!
//! The store is [redb](https://docs.rs/redb), one file several verde processes open at once
//! (its `MultiWriter` mode: reads never wait, writes take turns). Each entry carries an
//! xxh3-128 digest of its bytes, checked on every read: a truncated, corrupted or foreign
//! entry is a miss, never a wrong build. A store redb finds damaged (or panics on) is
//! replaced by an empty one. A build's new entries are written in one transaction, after
//! its modules are compiled; past the size bound, the least recently used go first.

use std::{
    cell::Cell,
    panic::AssertUnwindSafe,
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex, Once,
        atomic::{AtomicBool, Ordering},
    },
    time::{SystemTime, UNIX_EPOCH},
};

use redb::{
    ConcurrencyMode, Database, ReadOnlyTable, ReadableDatabase, ReadableTable, TableDefinition,
};
use xxhash_rust::xxh3::xxh3_128;

use super::CacheKey;

/// The entries: a digest of the bytes (16 bytes, little endian), then the bytes.
const ENTRIES: TableDefinition<CacheKey, &[u8]> = TableDefinition::new("entries");
/// Per entry: when a build last used it (milliseconds since the epoch) and its size.
const USES: TableDefinition<CacheKey, (u64, u64)> = TableDefinition::new("uses");
/// The total size of the entries, under [`TOTAL`].
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
const TOTAL: &str = "total_bytes";

/// The file the store lives in, inside the cache directory.
const STORE_FILE: &str = "modules.redb";

/// The size bound when none is given: a few hundred megabytes (three.js x10, minified with
/// source maps, takes about 21 MB).
pub const DEFAULT_MAX_SIZE: u64 = 512 * 1024 * 1024;

/// How much of the store redb may keep in memory: entries are read once per process.
const PAGE_CACHE_BYTES: usize = 16 * 1024 * 1024;

/// An open local store. Shared by every thread of a build (reads go straight to the
/// store; writes are collected and written by [`LocalStore::flush`]).
pub(super) struct LocalStore {
    dir: PathBuf,
    store: Database,
    max_size: u64,
    /// The entries as of the first read since the last flush: one read transaction for all
    /// of a build's reads (each costs file locks), renewed after the build writes.
    /// `Some(None)`: the store has no entries yet.
    #[allow(clippy::type_complexity)]
    entries: Mutex<Option<Option<Arc<ReadOnlyTable<CacheKey, &'static [u8]>>>>>,
    /// Entries computed since the last flush: key, digest of the bytes, bytes.
    pending: Mutex<Vec<(CacheKey, u128, Vec<u8>)>>,
    /// Keys read since the last flush (their use time is renewed).
    used: Mutex<Vec<CacheKey>>,
    problems: Mutex<Vec<String>>,
    /// redb found the store damaged, or panicked on it: reads miss from then on, and the
    /// flush removes the file, so that the next process starts an empty one.
    damaged: AtomicBool,
}

impl std::fmt::Debug for LocalStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalStore")
            .field("dir", &self.dir)
            .field("max_size", &self.max_size)
            .finish_non_exhaustive()
    }
}

/// What `verde cache stats` reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub entries: u64,
    /// The entries' bytes.
    pub bytes: u64,
    /// The store's file, free pages included.
    pub file_bytes: u64,
}

/// Why a store operation failed.
enum Failure {
    /// redb reports the file damaged, or panicked on it.
    Damaged(String),
    Other(String),
}

impl Failure {
    fn message(self) -> String {
        match self {
            Failure::Damaged(message) | Failure::Other(message) => message,
        }
    }
}

impl<E: Into<redb::Error>> From<E> for Failure {
    fn from(error: E) -> Self {
        match error.into() {
            error @ (redb::Error::Corrupted(_)
            | redb::Error::TransactionPoisoned
            | redb::Error::UpgradeRequired(_)) => {
                Failure::Damaged(format!("the module cache is damaged: {error}"))
            }
            error => Failure::Other(format!("the module cache failed: {error}")),
        }
    }
}

impl LocalStore {
    /// Opens (or creates) the cache in `dir`, bounded to `max_size` bytes of entries. A store
    /// file redb finds damaged is replaced by an empty one.
    pub(super) fn open(dir: &Path, max_size: u64) -> Result<LocalStore, String> {
        std::fs::create_dir_all(dir)
            .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
        let path = dir.join(STORE_FILE);
        let mut problems = Vec::new();
        let store = match open_store(&path) {
            Ok(store) => store,
            Err(Failure::Damaged(problem)) => {
                problems.push(format!("{problem}; it starts empty"));
                std::fs::remove_file(&path)
                    .map_err(|error| format!("cannot remove {}: {error}", path.display()))?;
                open_store(&path).map_err(Failure::message)?
            }
            Err(Failure::Other(problem)) => return Err(problem),
        };
        Ok(LocalStore {
            dir: dir.to_owned(),
            store,
            max_size,
            entries: Mutex::default(),
            pending: Mutex::default(),
            used: Mutex::default(),
            problems: Mutex::new(problems),
            damaged: AtomicBool::new(false),
        })
    }

    /// The bytes stored under `key`, if there are any and they are intact.
    pub(super) fn get(&self, key: CacheKey) -> Option<Vec<u8>> {
        let found = if self.damaged.load(Ordering::Relaxed) {
            None
        } else {
            guarded(|| self.read(key)).unwrap_or_else(|failure| {
                self.failed(failure);
                None
            })
        };
        if found.is_some() {
            self.used.lock().unwrap().push(key);
        }
        found
    }

    fn read(&self, key: CacheKey) -> Result<Option<Vec<u8>>, Failure> {
        let entries = {
            let mut entries = self.entries.lock().unwrap();
            match &*entries {
                Some(table) => table.clone(),
                None => {
                    let transaction = self.store.begin_read()?;
                    let table = match transaction.open_table(ENTRIES) {
                        Ok(table) => Some(Arc::new(table)),
                        // A new store: nothing to find until the first flush.
                        Err(redb::TableError::TableDoesNotExist(_)) => None,
                        Err(error) => return Err(error.into()),
                    };
                    entries.insert(table).clone()
                }
            }
        };
        let Some(entries) = entries else {
            return Ok(None);
        };
        let Some(entry) = entries.get(key)? else {
            return Ok(None);
        };
        Ok(intact(entry.value()).map(<[u8]>::to_vec))
    }

    /// Keeps `bytes` under `key` at the next [`flush`](Self::flush).
    /// (The digest is taken here, on the thread that compiled the module; the flush writes
    /// digest and bytes straight into the store's page.)
    pub(super) fn put(&self, key: CacheKey, bytes: Vec<u8>) {
        let digest = xxh3_128(&bytes);
        self.pending.lock().unwrap().push((key, digest, bytes));
    }

    /// What went wrong since the last call, each once.
    pub(super) fn take_problems(&self) -> Vec<String> {
        std::mem::take(&mut *self.problems.lock().unwrap())
    }

    fn failed(&self, failure: Failure) {
        if let Failure::Damaged(_) = failure {
            self.damaged.store(true, Ordering::Relaxed);
        }
        let problem = failure.message();
        let mut problems = self.problems.lock().unwrap();
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }

    /// Writes the entries computed since the last flush and renews the use time of those
    /// read, in one transaction, then evicts the least recently used entries past the size
    /// bound. A failure is kept as a problem; the entries are dropped. A damaged store is
    /// removed instead.
    pub(super) fn flush(&self) {
        let pending = std::mem::take(&mut *self.pending.lock().unwrap());
        let used = std::mem::take(&mut *self.used.lock().unwrap());
        // Later reads see what this flush (and other processes) wrote.
        self.entries.lock().unwrap().take();
        if self.damaged.load(Ordering::Relaxed) {
            let _ = std::fs::remove_file(self.dir.join(STORE_FILE));
            return;
        }
        if pending.is_empty() && used.is_empty() {
            return;
        }
        let _span = tracing::debug_span!(
            "module_cache_flush",
            written = pending.len(),
            used = used.len()
        )
        .entered();
        if let Err(failure) = guarded(|| self.write(pending, used)) {
            self.failed(failure);
            if self.damaged.load(Ordering::Relaxed) {
                let _ = std::fs::remove_file(self.dir.join(STORE_FILE));
            }
        }
    }

    fn write(
        &self,
        pending: Vec<(CacheKey, u128, Vec<u8>)>,
        used: Vec<CacheKey>,
    ) -> Result<(), Failure> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_millis() as u64);
        let transaction = self.store.begin_write()?;
        {
            let mut entries = transaction.open_table(ENTRIES)?;
            let mut uses = transaction.open_table(USES)?;
            let mut meta = transaction.open_table(META)?;
            let mut total = meta.get(TOTAL)?.map_or(0, |total| total.value());
            for (key, digest, bytes) in pending {
                let size = 16 + bytes.len() as u64;
                if let Some(old) = uses.insert(key, (now, size))? {
                    total = total.saturating_sub(old.value().1);
                }
                let mut stored = entries.insert_reserve(key, 16 + bytes.len())?;
                let (head, tail) = stored.as_mut().split_at_mut(16);
                head.copy_from_slice(&digest.to_le_bytes());
                tail.copy_from_slice(&bytes);
                total += size;
            }
            for key in used {
                let size = uses.get(key)?.map(|old| old.value().1);
                if let Some(size) = size {
                    uses.insert(key, (now, size))?;
                }
            }
            if total > self.max_size {
                let mut by_age = Vec::new();
                for entry in uses.iter()? {
                    let (key, value) = entry?;
                    let (used_at, size) = value.value();
                    by_age.push((used_at, key.value(), size));
                }
                by_age.sort_unstable();
                for (_, key, size) in by_age {
                    if total <= self.max_size {
                        break;
                    }
                    entries.remove(key)?;
                    uses.remove(key)?;
                    total = total.saturating_sub(size);
                }
            }
            meta.insert(TOTAL, total)?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// The number and size of the entries in the cache at `dir` (empty if there is none).
    pub(super) fn stats(dir: &Path) -> Result<CacheStats, String> {
        let path = dir.join(STORE_FILE);
        let Ok(metadata) = std::fs::metadata(&path) else {
            return Ok(CacheStats::default());
        };
        let cache = LocalStore::open(dir, u64::MAX)?;
        let count = || -> Result<(u64, u64), Failure> {
            let transaction = cache.store.begin_read()?;
            let uses = match transaction.open_table(USES) {
                Ok(uses) => uses,
                Err(redb::TableError::TableDoesNotExist(_)) => return Ok((0, 0)),
                Err(error) => return Err(error.into()),
            };
            let mut counts = (0, 0);
            for entry in uses.iter()? {
                let (_, value) = entry?;
                counts = (counts.0 + 1, counts.1 + value.value().1);
            }
            Ok(counts)
        };
        let (entries, bytes) = guarded(count).map_err(Failure::message)?;
        Ok(CacheStats {
            entries,
            bytes,
            file_bytes: metadata.len(),
        })
    }

    /// Removes the cache at `dir`. Another process using it at the same time keeps its
    /// open file and loses nothing but what it writes there.
    pub(super) fn clean(dir: &Path) -> Result<(), String> {
        let path = dir.join(STORE_FILE);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(format!("cannot remove {}: {error}", path.display())),
        }
    }
}

fn open_store(path: &Path) -> Result<Database, Failure> {
    guarded(|| {
        Database::builder()
            .set_concurrency_mode(ConcurrencyMode::MultiWriter)
            .set_cache_size(PAGE_CACHE_BYTES)
            .create(path)
            .map_err(|error| match error {
                // Anything the file itself is at fault for.
                redb::DatabaseError::Storage(_)
                | redb::DatabaseError::RepairAborted
                | redb::DatabaseError::UpgradeRequired(_) => Failure::Damaged(format!(
                    "the module cache {} is damaged: {error}",
                    path.display()
                )),
                error => Failure::Other(format!("cannot open {}: {error}", path.display())),
            })
    })
}

thread_local! {
    /// Whether this thread is inside [`guarded`] (its panics are expected, and reported).
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Runs a store operation, turning a panic of redb's (its assertions on a damaged file) into
/// a [`Failure::Damaged`]. The panic hook stays quiet for it: the failure is a warning.
fn guarded<T>(operation: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.get() {
                previous(info);
            }
        }));
    });
    let outer = GUARDED.replace(true);
    let result = std::panic::catch_unwind(AssertUnwindSafe(operation));
    GUARDED.set(outer);
    result.unwrap_or_else(|panic| {
        Err(Failure::Damaged(format!(
            "the module cache is damaged: {}",
            crate::stack::panic_message(&*panic)
        )))
    })
}

/// The bytes of a stored entry, if its digest matches them.
fn intact(stored: &[u8]) -> Option<&[u8]> {
    let (digest, bytes) = stored.split_at_checked(16)?;
    let digest = u128::from_le_bytes(digest.try_into().ok()?);
    (xxh3_128(bytes) == digest).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_read_back_by_another_handle_after_a_flush() {
        let dir = tempfile::tempdir().unwrap();
        let cache = LocalStore::open(dir.path(), DEFAULT_MAX_SIZE).unwrap();
        cache.put(7, b"compiled".to_vec());
        assert_eq!(cache.get(7), None, "not before the flush");
        cache.flush();
        let other = LocalStore::open(dir.path(), DEFAULT_MAX_SIZE).unwrap();
        assert_eq!(other.get(7).as_deref(), Some(&b"compiled"[..]));
        assert_eq!(other.get(8), None);
        assert!(cache.take_problems().is_empty());
        assert!(other.take_problems().is_empty());
    }

    #[test]
    fn a_damaged_entry_is_a_miss() {
        assert_eq!(intact(b"short"), None);
        let mut stored = xxh3_128(b"code").to_le_bytes().to_vec();
        stored.extend_from_slice(b"code");
        assert_eq!(intact(&stored), Some(&b"code"[..]));
        *stored.last_mut().unwrap() ^= 1;
        assert_eq!(intact(&stored), None);
    }

    #[test]
    fn the_least_recently_used_entries_go_first_past_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        // Room for two entries of 100 bytes that do not compress (each stored with a digest
        // and its length, about 125 bytes), not three.
        let cache = LocalStore::open(dir.path(), 300).unwrap();
        cache.put(1, noise(1));
        cache.flush();
        std::thread::sleep(std::time::Duration::from_millis(5));
        cache.put(2, noise(2));
        cache.flush();
        std::thread::sleep(std::time::Duration::from_millis(5));
        // Reading 1 makes 2 the least recently used.
        assert!(cache.get(1).is_some());
        cache.flush();
        std::thread::sleep(std::time::Duration::from_millis(5));
        cache.put(3, noise(3));
        cache.flush();
        assert!(cache.get(1).is_some());
        assert_eq!(cache.get(2), None);
        assert!(cache.get(3).is_some());
        let stats = LocalStore::stats(dir.path()).unwrap();
        assert_eq!(stats.entries, 2);
        assert!((200..=300).contains(&stats.bytes), "{stats:?}");
    }

    /// 100 bytes LZ4 cannot shorten.
    fn noise(seed: u64) -> Vec<u8> {
        let mut state = seed;
        (0..100)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 56) as u8
            })
            .collect()
    }
}
