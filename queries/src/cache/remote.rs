//! The remote level of the module cache: a server a team shares, spoken to with Bazel's HTTP
//! remote-cache protocol, so that the servers teams already run (bazel-remote, BuildBuddy,
//! nginx with WebDAV) serve verde too.
//!
//! The protocol has two stores, both named by SHA-256 in hex:
//! - `/cas/<sha256 of the blob>`: content-addressed blobs;
//! - `/ac/<sha256 of the action>`: action results (REAPI's `ActionResult` protobuf), each
//!   naming its output blobs by digest.
//!
//! The action is a build: its project-relative entries and every option (see
//! [`ModuleCache::begin_build`](super::ModuleCache::begin_build)). Its output is a **pack**:
//! every module the build used, each under its [`CacheKey`], in one blob. Bazel's HTTP
//! protocol reads one blob per request and three.js x10 is 3,871 modules: a module per
//! action would cost a new machine 7,742 requests, more than compiling them (measured: 1.3 s
//! against 0.3 s with nginx on the same machine), where the pack costs two, fetched while the
//! build starts. A tree that changed since the pack was uploaded finds every module but the
//! changed ones in it, and compiles those.
//!
//! The blob's SHA-256 is checked against its name before use, and each module's bytes again
//! by decoding. A build whose modules differ from the server's pack uploads its own after it
//! (the blob first, so that no result names a blob the server lacks), on the cache's flush
//! thread; a process uploads one pack, after its first build, so a watch session does not
//! upload one per edit.
//!
//! The server is an optimization, never a dependency: a server that is down, slow (past the
//! timeout) or answers with an error is given up for the rest of the process after one
//! warning, and a blob whose hash is wrong is not used. Either way the modules are compiled
//! here.

use std::{
    collections::HashMap,
    ops::Range,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    thread::JoinHandle,
    time::Duration,
};

use prost::Message;
use rustc_hash::FxBuildHasher;
use sha2::{Digest as _, Sha256};
use ureq::http::{HeaderName, HeaderValue};

use super::CacheKey;

/// How long one request may take when no timeout is given (connecting included).
pub const DEFAULT_REMOTE_TIMEOUT: Duration = Duration::from_secs(10);

/// The path an action result gives the pack's blob.
const PACK_OUTPUT: &str = "verde-pack";

/// The largest pack read: far above any (three.js x10 minified with maps: 21 MB).
const MAX_PACK_BYTES: i64 = 1024 * 1024 * 1024;
/// The largest action result read (verde's are under 100 bytes).
const MAX_RESULT_BYTES: u64 = 1024 * 1024;

/// What `--remote-cache` and its companion flags say.
#[derive(Clone, Debug)]
pub struct RemoteOptions {
    /// The server's base URL (`http://host:port/prefix`); `/cas/...` and `/ac/...` follow it.
    pub url: String,
    /// Sent with every request (`Authorization: Bearer ...`), as `name: value`.
    pub headers: Vec<String>,
    /// Read, never upload (for jobs whose results are not trusted).
    pub read_only: bool,
    /// How long one request may take.
    pub timeout: Duration,
}

/// A remote cache a build reads modules from and uploads its own to.
#[derive(Debug)]
pub struct RemoteCache {
    client: Client,
    read_only: bool,
    /// The pack of the build in progress: being fetched, or fetched.
    pack: Mutex<PackState>,
    /// Every module of the build in progress, for the pack uploaded after it (until this
    /// process has uploaded one).
    modules: Mutex<Vec<(CacheKey, Arc<[u8]>)>>,
    pack_uploaded: AtomicBool,
    /// A request failed: the server is not asked again by this process.
    given_up: AtomicBool,
    problems: Mutex<Vec<String>>,
}

/// The HTTP side: `GET` and `PUT` on the two stores.
#[derive(Clone)]
struct Client {
    url: String,
    agent: ureq::Agent,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// What is known of the server's pack for the build in progress.
#[derive(Debug, Default)]
enum PackState {
    /// No build has begun.
    #[default]
    None,
    /// Its action result is being fetched.
    Asking {
        action: String,
        result: JoinHandle<Result<Option<Digest>, Failure>>,
    },
    /// Its blob's digest, if the server has one, and the blob once a read needed it.
    Known {
        action: String,
        digest: Option<Digest>,
        pack: Option<Pack>,
        fetched: bool,
        /// The server's blob is not what its name says: the build's own replaces it.
        damaged: bool,
    },
}

/// A pack as fetched: its blob, and where each module's bytes are in it.
#[derive(Debug)]
struct Pack {
    blob: Vec<u8>,
    modules: HashMap<CacheKey, Range<usize>, FxBuildHasher>,
}

/// REAPI's `ActionResult`, the fields verde writes and reads (field numbers as in
/// `build/bazel/remote/execution/v2/remote_execution.proto`).
#[derive(Clone, PartialEq, Message)]
struct ActionResult {
    #[prost(message, repeated, tag = "2")]
    output_files: Vec<OutputFile>,
    #[prost(int32, tag = "4")]
    exit_code: i32,
}

#[derive(Clone, PartialEq, Message)]
struct OutputFile {
    #[prost(string, tag = "1")]
    path: String,
    #[prost(message, optional, tag = "2")]
    digest: Option<Digest>,
}

#[derive(Clone, PartialEq, Message)]
struct Digest {
    #[prost(string, tag = "1")]
    hash: String,
    #[prost(int64, tag = "2")]
    size_bytes: i64,
}

/// Why a read found nothing usable.
#[derive(Debug)]
enum Failure {
    /// The server cannot be used (down, slow, an error status): given up after a warning.
    Unavailable(String),
    /// It answered with something that is not what was asked for: a miss, and a warning.
    Wrong(&'static str),
}

const WRONG_RESULT: &str =
    "the remote cache served an action result verde did not write; it was not used";
const WRONG_BLOB: &str =
    "the remote cache served a blob whose SHA-256 is not its name; it was not used";

impl RemoteCache {
    /// A client for the server `options` name. Fails on a URL that is not `http(s)://` and
    /// on a header that is not `name: value`; the server itself is first asked by a read.
    pub fn new(options: RemoteOptions) -> Result<RemoteCache, String> {
        let url = options.url.trim_end_matches('/').to_owned();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!(
                "the remote cache URL `{}` is not http:// or https://",
                options.url
            ));
        }
        let headers = options
            .headers
            .iter()
            .map(|header| parse_header(header))
            .collect::<Result<_, _>>()?;
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .http_status_as_error(false)
            .build();
        Ok(RemoteCache {
            client: Client {
                url,
                agent: ureq::Agent::new_with_config(config),
                headers,
            },
            read_only: options.read_only,
            pack: Mutex::default(),
            modules: Mutex::default(),
            pack_uploaded: AtomicBool::new(false),
            given_up: AtomicBool::new(false),
            problems: Mutex::default(),
        })
    }

    /// A build named `build` (its entries and options) begins: its pack's action result is
    /// fetched on a thread of its own while the build starts (the blob itself once a module
    /// is not found locally).
    pub(super) fn begin(&self, build: CacheKey) {
        let action = action_hash(b"verde pack\0", build);
        let mut state = self.pack.lock().unwrap();
        let current = match &*state {
            PackState::Asking { action, .. } | PackState::Known { action, .. } => Some(action),
            PackState::None => None,
        };
        if current == Some(&action) || self.given_up.load(Ordering::Relaxed) {
            return;
        }
        let client = self.client.clone();
        let wanted = action.clone();
        let result = std::thread::spawn(move || client.result(&wanted, PACK_OUTPUT));
        *state = PackState::Asking { action, result };
    }

    /// The module stored under `key` in the build's pack, if the server has one and its
    /// blob is intact. (The first call fetches the pack; the others wait for it.)
    pub(super) fn get(&self, key: CacheKey) -> Option<Vec<u8>> {
        let mut state = self.pack.lock().unwrap();
        self.learn(&mut state);
        let PackState::Known {
            digest,
            pack,
            fetched,
            damaged,
            ..
        } = &mut *state
        else {
            return None;
        };
        if !*fetched && let Some(wanted) = digest {
            *fetched = true;
            let _span =
                tracing::debug_span!("remote_cache_pack", bytes = wanted.size_bytes).entered();
            let blob = self.client.blob(wanted);
            *pack = blob
                .and_then(|blob| {
                    blob.map(|blob| Pack::read(blob).ok_or(Failure::Wrong(WRONG_BLOB)))
                        .transpose()
                })
                .unwrap_or_else(|failure| {
                    if let Failure::Wrong(_) = failure {
                        *damaged = true;
                    }
                    self.failed(failure);
                    None
                });
        }
        let pack = pack.as_ref()?;
        let range = pack.modules.get(&key)?;
        Some(pack.blob[range.clone()].to_vec())
    }

    /// Waits for the pack's action result, if it is being fetched.
    fn learn(&self, state: &mut PackState) {
        if let PackState::Asking { .. } = state {
            let PackState::Asking { action, result } = std::mem::take(state) else {
                unreachable!("matched above")
            };
            let digest = result
                .join()
                .unwrap_or_else(|_| {
                    Err(Failure::Unavailable(
                        "asking the remote cache for the build's pack panicked".to_owned(),
                    ))
                })
                .unwrap_or_else(|failure| {
                    self.failed(failure);
                    None
                });
            *state = PackState::Known {
                action,
                digest,
                pack: None,
                fetched: false,
                damaged: false,
            };
        }
    }

    /// Records that the build in progress uses `bytes` under `key`, found or compiled (for
    /// its pack).
    pub(super) fn used(&self, key: CacheKey, bytes: &[u8]) {
        if self.uploads() && !self.pack_uploaded.load(Ordering::Relaxed) {
            self.modules.lock().unwrap().push((key, bytes.into()));
        }
    }

    fn uploads(&self) -> bool {
        !self.read_only && !self.given_up.load(Ordering::Relaxed)
    }

    /// Uploads the build's pack if it is the process's first build and the server's pack
    /// differs; returns when it is on the server, or the server was given up. The fetched
    /// pack is dropped: later builds of a watch session find what they need locally.
    pub(super) fn flush(&self) {
        let mut modules = std::mem::take(&mut *self.modules.lock().unwrap());
        let first = !self.pack_uploaded.swap(true, Ordering::Relaxed);
        let mut state = self.pack.lock().unwrap();
        self.learn(&mut state);
        let PackState::Known {
            action,
            digest,
            pack,
            damaged,
            ..
        } = &mut *state
        else {
            return;
        };
        let fetched = pack.take();
        if !(first && self.uploads()) || modules.is_empty() {
            return;
        }
        // Sorted, so that a build of the same modules makes the same blob.
        modules.sort_unstable_by_key(|(key, _)| *key);
        modules.dedup_by_key(|(key, _)| *key);
        // Every module from the server's pack, and no other: the same blob, not made again.
        if let Some(fetched) = fetched
            && fetched.modules.len() == modules.len()
            && modules
                .iter()
                .all(|(key, _)| fetched.modules.contains_key(key))
        {
            return;
        }
        let entries: Vec<(CacheKey, &[u8])> = modules
            .iter()
            .map(|(key, bytes)| (*key, &bytes[..]))
            .collect();
        let Ok(blob) = postcard::to_allocvec(&entries) else {
            return;
        };
        let hash = sha256_hex(&blob);
        if !*damaged && digest.as_ref().is_some_and(|digest| digest.hash == hash) {
            return;
        }
        let action = action.clone();
        // A damaged blob on the server may have this very name: it is written again.
        let replace = *damaged;
        drop(state);
        let _span = tracing::debug_span!("remote_cache_upload", bytes = blob.len()).entered();
        if let Err(failure) = self
            .client
            .upload(&action, PACK_OUTPUT, &blob, hash, replace)
        {
            self.failed(failure);
        }
    }

    /// What went wrong since the last call, each once.
    pub(super) fn take_problems(&self) -> Vec<String> {
        std::mem::take(&mut *self.problems.lock().unwrap())
    }

    fn failed(&self, failure: Failure) {
        let problem = match failure {
            Failure::Unavailable(problem) => {
                // Only the first failure is worth a warning: the rest follow from it.
                if self.given_up.swap(true, Ordering::Relaxed) {
                    return;
                }
                format!("{problem}; modules are compiled here")
            }
            Failure::Wrong(problem) => problem.to_owned(),
        };
        let mut problems = self.problems.lock().unwrap();
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
}

impl Pack {
    /// The pack in `blob` (postcard: a sequence of key and bytes), if it decodes.
    fn read(blob: Vec<u8>) -> Option<Pack> {
        let entries: Vec<(CacheKey, &[u8])> = postcard::from_bytes(&blob).ok()?;
        let start = blob.as_ptr() as usize;
        let modules = entries
            .iter()
            .map(|(key, bytes)| {
                let at = bytes.as_ptr() as usize - start;
                (*key, at..at + bytes.len())
            })
            .collect();
        Some(Pack { blob, modules })
    }
}

impl Client {
    /// The digest of the blob the action result `action` names as `output`: `None` when the
    /// server has no such result.
    fn result(&self, action: &str, output: &str) -> Result<Option<Digest>, Failure> {
        let Some(result) = self.get("ac", action, MAX_RESULT_BYTES, WRONG_RESULT)? else {
            return Ok(None);
        };
        ActionResult::decode(&result[..])
            .ok()
            .and_then(|result| {
                result
                    .output_files
                    .into_iter()
                    .find(|file| file.path == output)?
                    .digest
            })
            .filter(|digest| {
                is_sha256_hex(&digest.hash) && (0..=MAX_PACK_BYTES).contains(&digest.size_bytes)
            })
            .map(Some)
            .ok_or(Failure::Wrong(WRONG_RESULT))
    }

    /// The blob `digest` names, if the server has it and it is intact.
    fn blob(&self, digest: &Digest) -> Result<Option<Vec<u8>>, Failure> {
        // One byte more than the result says, to tell a longer blob from the right one.
        let limit = digest.size_bytes as u64 + 1;
        let Some(blob) = self.get("cas", &digest.hash, limit, WRONG_BLOB)? else {
            return Ok(None);
        };
        if blob.len() as i64 != digest.size_bytes || sha256_hex(&blob) != digest.hash {
            return Err(Failure::Wrong(WRONG_BLOB));
        }
        Ok(Some(blob))
    }

    /// Puts `blob` in the CAS unless the server has it (a pack of another build's, or one
    /// uploaded before) and it is not to `replace`, then the result of `action` naming it as
    /// `output`.
    fn upload(
        &self,
        action: &str,
        output: &str,
        blob: &[u8],
        hash: String,
        replace: bool,
    ) -> Result<(), Failure> {
        let result = ActionResult {
            output_files: vec![OutputFile {
                path: output.to_owned(),
                digest: Some(Digest {
                    hash: hash.clone(),
                    size_bytes: blob.len() as i64,
                }),
            }],
            exit_code: 0,
        };
        if replace || !self.has("cas", &hash)? {
            self.put("cas", &hash, blob)?;
        }
        self.put("ac", action, &result.encode_to_vec())
    }

    /// `GET /{store}/{hash}`: the body, or `None` when the server does not have it. A body
    /// longer than `limit` is `wrong`.
    fn get(
        &self,
        store: &str,
        hash: &str,
        limit: u64,
        wrong: &'static str,
    ) -> Result<Option<Vec<u8>>, Failure> {
        let url = format!("{}/{store}/{hash}", self.url);
        let request = self.with_headers(self.agent.get(&url));
        let unavailable = |error: &dyn std::fmt::Display| {
            Failure::Unavailable(format!(
                "the remote cache {} cannot be used: GET {url}: {error}",
                self.url
            ))
        };
        let mut response = request.call().map_err(|error| unavailable(&error))?;
        // The body is read whatever the status: the connection is kept for the next request
        // only once it is.
        let body = response
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|error| match error {
                ureq::Error::BodyExceedsLimit(_) => Failure::Wrong(wrong),
                error => unavailable(&error),
            })?;
        match response.status().as_u16() {
            200 => Ok(Some(body)),
            404 => Ok(None),
            _ => Err(unavailable(&format_args!(
                "the server answered {}",
                response.status()
            ))),
        }
    }

    /// `request` with the headers every request carries.
    fn with_headers<B>(&self, request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        self.headers.iter().fold(request, |request, (name, value)| {
            request.header(name, value)
        })
    }

    /// `HEAD /{store}/{hash}`: whether the server has it.
    fn has(&self, store: &str, hash: &str) -> Result<bool, Failure> {
        let url = format!("{}/{store}/{hash}", self.url);
        let request = self.with_headers(self.agent.head(&url));
        let response = request.call().map_err(|error| {
            Failure::Unavailable(format!(
                "the remote cache {} cannot be used: HEAD {url}: {error}",
                self.url
            ))
        })?;
        Ok(response.status().is_success())
    }

    /// `PUT /{store}/{hash}` with `body`.
    fn put(&self, store: &str, hash: &str, body: &[u8]) -> Result<(), Failure> {
        let url = format!("{}/{store}/{hash}", self.url);
        let request = self.with_headers(self.agent.put(&url));
        let unavailable = |error: &dyn std::fmt::Display| {
            Failure::Unavailable(format!(
                "uploading to the remote cache {} failed: PUT {url}: {error}",
                self.url
            ))
        };
        let mut response = request.send(body).map_err(|error| unavailable(&error))?;
        // Read to the end, so that the connection is kept for the next upload.
        let _ = response.body_mut().read_to_vec();
        if response.status().is_success() {
            Ok(())
        } else {
            Err(unavailable(&format_args!(
                "the server answered {}",
                response.status()
            )))
        }
    }
}

/// `name: value` as a header.
fn parse_header(header: &str) -> Result<(HeaderName, HeaderValue), String> {
    let invalid = || format!("`{header}` is not a header (`Name: value`)");
    let (name, value) = header.split_once(':').ok_or_else(invalid)?;
    let name = HeaderName::try_from(name.trim()).map_err(|_| invalid())?;
    let value = HeaderValue::try_from(value.trim()).map_err(|_| invalid())?;
    Ok((name, value))
}

/// The name of the action of `kind` (a module, a pack) under `key`.
fn action_hash(kind: &[u8], key: CacheKey) -> String {
    let mut hasher = Sha256::new();
    hasher.update(kind);
    hasher.update(key.to_le_bytes());
    format!("{:x}", hasher.finalize())
}

fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn is_sha256_hex(hash: &str) -> bool {
    hash.len() == 64
        && hash
            .bytes()
            .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_result_round_trips_through_protobuf() {
        let result = ActionResult {
            output_files: vec![OutputFile {
                path: PACK_OUTPUT.to_owned(),
                digest: Some(Digest {
                    hash: sha256_hex(b"module"),
                    size_bytes: 6,
                }),
            }],
            exit_code: 0,
        };
        let bytes = result.encode_to_vec();
        // Field 2 (output_files), length-delimited, is what REAPI readers look for first.
        assert_eq!(bytes[0], (2 << 3) | 2);
        assert_eq!(ActionResult::decode(&bytes[..]).unwrap(), result);
    }

    #[test]
    fn a_pack_finds_each_module_in_its_blob() {
        let modules: Vec<(CacheKey, &[u8])> = vec![(3, b"three"), (1, b""), (2, b"two")];
        let pack = Pack::read(postcard::to_allocvec(&modules).unwrap()).unwrap();
        for (key, bytes) in modules {
            assert_eq!(&pack.blob[pack.modules[&key].clone()], bytes);
        }
        assert!(Pack::read(b"\xff\xff".to_vec()).is_none());
    }

    #[test]
    fn hashes_are_lowercase_sha256_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_sha256_hex(&action_hash(b"verde module\0", 7)));
        assert_ne!(
            action_hash(b"verde module\0", 7),
            action_hash(b"verde module\0", 8)
        );
        assert_ne!(
            action_hash(b"verde module\0", 7),
            action_hash(b"verde pack\0", 7)
        );
        assert!(!is_sha256_hex("../../etc/passwd"));
    }

    #[test]
    fn headers_are_name_colon_value() {
        let (name, value) = parse_header("Authorization: Bearer abc").unwrap();
        assert_eq!(name.as_str(), "authorization");
        assert_eq!(value.to_str().unwrap(), "Bearer abc");
        assert!(parse_header("no colon").is_err());
        assert!(parse_header("bad name: x").is_err());
    }
}
