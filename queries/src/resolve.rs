//! Module resolution: `(importing file, specifiers) -> files`, as a query per module.
//!
//! oxc_resolver does the node resolution algorithm (relative paths, extension probing,
//! `node_modules`, `package.json` `exports`/`module`/`main` and conditions). Its own cache is
//! invisible to salsa, so after each resolution the query reads the input of every path the
//! resolver reported looking at (found or missing): creating or deleting one of those files
//! re-runs exactly the resolutions of the modules that looked there. The database clears the
//! resolver's cache whenever a file changes (see `Database::file_changed`), so a re-run never
//! sees stale directory contents.

use std::{
    io,
    path::{Path, PathBuf},
    sync::Arc,
};

use oxc::str::CompactStr;
use oxc_resolver::{
    FileMetadata, FileSystem, PackageJson, ResolveContext, ResolveError, ResolveOptions,
    ResolverGeneric, SideEffects,
};

use crate::{
    Db,
    files::{SourceFile, System, file_status},
    parse::ModuleKind,
    settings::{CompileOptions, Platform},
};

/// What an import specifier resolved to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, salsa::SalsaValue)]
pub enum Resolution {
    Module {
        file: SourceFile,
        /// False when the file's `package.json` declares it free of side effects
        /// (`"sideEffects": false` or a list of globs that does not match it).
        has_side_effects: bool,
    },
    /// A `browser` field mapped the specifier to `false`: the module is empty.
    Ignored,
    /// One of node's built-in modules, on the node platform: external.
    Builtin,
    NotFound {
        reason: String,
    },
}

/// Resolves each of `specifiers` as [`resolve_import`] does, in order: every specifier
/// of one module in one query. A module's dependencies read this, one memo of the
/// files' durability, rather than a resolution per specifier: after an edit anywhere, each
/// module's dependencies are confirmed by checking one memo, not one per import (three.js
/// x10 has 12,200). The resolutions are worked out here, not asked of [`resolve_import`]:
/// after a file is created or deleted (a high input), salsa confirms every resolution's
/// memo, and a memo per specifier made that walk three times as many memos (a module whose
/// imports change resolves its few specifiers again instead).
#[salsa::tracked(returns(ref))]
pub fn resolve_imports(
    db: &dyn Db,
    importer: SourceFile,
    specifiers: Vec<CompactStr>,
    kind: ModuleKind,
) -> Vec<Resolution> {
    let resolver = ImporterResolver::new(db, importer, kind);
    specifiers
        .iter()
        .map(|specifier| resolver.resolve(db, specifier))
        .collect()
}

/// Resolves `specifier` as written in `importer`, a module of kind `kind` (which picks the
/// conditions: `import` or `require`). The kind is part of the key, rather than read from
/// the importer's parse, so that a resolution depends on the file system and the settings
/// only: after an edit, salsa confirms it at a glance (its durability is the files'), and
/// the kind changing makes a new key. The editor's one-off resolutions; builds resolve a
/// module's specifiers together ([`resolve_imports`]).
#[salsa::tracked]
pub fn resolve_import(
    db: &dyn Db,
    importer: SourceFile,
    specifier: CompactStr,
    kind: ModuleKind,
) -> Resolution {
    ImporterResolver::new(db, importer, kind).resolve(db, &specifier)
}

/// What resolving from one importer needs, read once for all its specifiers: its path, the
/// platform and the conditions, and (the first time a specifier goes to the resolver) the
/// tsconfig that applies to it, so that a module importing nothing, or only virtual
/// modules, does not depend on one.
struct ImporterResolver {
    importer: SourceFile,
    importer_path: PathBuf,
    tsconfig: std::cell::OnceCell<Option<Arc<oxc_resolver::TsConfig>>>,
    platform: Platform,
    required: bool,
}

impl ImporterResolver {
    fn new(db: &dyn Db, importer: SourceFile, kind: ModuleKind) -> ImporterResolver {
        // The conditions: the platform's, and `import` or `require` by the importer's kind.
        let platform =
            CompileOptions::try_get(db).map_or(Platform::default(), |options| options.platform(db));
        ImporterResolver {
            importer,
            importer_path: importer.path(db).to_path_buf(),
            tsconfig: std::cell::OnceCell::new(),
            platform,
            required: kind == ModuleKind::CommonJs,
        }
    }

    /// `paths` and `baseUrl` come from the importer's tsconfig (none under node_modules):
    /// depend on it, and hand the resolver its parsed form (cached by the resolver).
    fn tsconfig(&self, db: &dyn Db) -> Option<&oxc_resolver::TsConfig> {
        self.tsconfig
            .get_or_init(|| {
                crate::settings::tsconfig::module_tsconfig(db, self.importer).and_then(|tsconfig| {
                    let _ = crate::settings::tsconfig::tsconfig_options(db, tsconfig);
                    db.resolver().inner.resolve_tsconfig(tsconfig.path(db)).ok()
                })
            })
            .as_deref()
    }

    fn resolve(&self, db: &dyn Db, specifier: &str) -> Resolution {
        let _span =
            tracing::debug_span!("resolve", %specifier, from = %self.importer_path.display())
                .entered();
        if let Some(path) = crate::virtual_modules::resolve(specifier) {
            return Resolution::Module {
                file: db.files().file(db, &path),
                has_side_effects: false,
            };
        }
        if self.platform == Platform::Node && is_node_builtin(specifier) {
            return Resolution::Builtin;
        }
        let directory = self.importer_path.parent().unwrap_or(Path::new("/"));
        let mut context = ResolveContext::default();
        let result = db
            .resolver()
            .for_platform(self.platform, self.required)
            .resolve_with_context(directory, specifier, self.tsconfig(db), &mut context);

        // Depend on everything the resolver looked at, found or not, so that creating or
        // deleting any of those paths invalidates this resolution. Of a path, only its status
        // matters (an edit of a file's text leaves the resolution alone), except for the
        // contents of `package.json` files. Found or missing, a path's status is read through
        // the same query: the resolver sees the file system directly, and `file_status` is
        // backdated when a file is deleted and re-created between two reads of it, so a
        // resolution that read a path's revision when it was missing and its status once it
        // exists again would look unchanged since before the deletion, and its importer would
        // keep the stale answer.
        let mut looked_at: Vec<&PathBuf> = context
            .file_dependencies
            .iter()
            .chain(&context.missing_dependencies)
            .collect();
        looked_at.sort();
        looked_at.dedup();
        for path in looked_at {
            let file = db.files().file(db, path);
            if path.ends_with("package.json") {
                let _ = file.revision(db);
            } else {
                let _ = file_status(db, file);
            }
        }

        match result {
            Ok(resolution) => {
                if let Some(package_json) = resolution.package_json() {
                    let _ = db.files().file(db, package_json.path()).revision(db);
                }
                let path = resolution.path();
                let has_side_effects = resolution
                    .package_json()
                    .is_none_or(|package_json| package_has_side_effects(package_json, path));
                Resolution::Module {
                    file: db.files().file(db, path),
                    has_side_effects,
                }
            }
            Err(ResolveError::Ignored(_)) => Resolution::Ignored,
            Err(error) => Resolution::NotFound {
                reason: error.to_string(),
            },
        }
    }
}

/// Applies a package's `sideEffects` field to one of its files, as webpack defines it: a
/// pattern without a `/` matches the file name anywhere in the package.
fn package_has_side_effects(package_json: &PackageJson, file: &Path) -> bool {
    let patterns = match package_json.side_effects() {
        None => return true,
        Some(SideEffects::Bool(value)) => return value,
        Some(SideEffects::String(pattern)) => vec![pattern],
        Some(SideEffects::Array(patterns)) => patterns,
    };
    let Ok(relative) = file.strip_prefix(package_json.directory()) else {
        return true;
    };
    let relative = relative.to_string_lossy();
    patterns.iter().any(|pattern| {
        let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
        let pattern = if pattern.contains('/') {
            pattern.to_owned()
        } else {
            format!("**/{pattern}")
        };
        globset::GlobBuilder::new(&pattern)
            .literal_separator(false)
            .build()
            .is_ok_and(|glob| glob.compile_matcher().is_match(relative.as_ref()))
    })
}

/// Whether `specifier` names one of node's built-in modules (`fs`, `node:fs`, `fs/promises`).
pub fn is_node_builtin(specifier: &str) -> bool {
    if specifier.starts_with("node:") {
        return true;
    }
    let name = specifier.split('/').next().unwrap_or(specifier);
    NODE_BUILTINS.binary_search(&name).is_ok()
}

/// node's `require('module').builtinModules` (the names without a `node:` prefix and
/// without subpaths), sorted.
const NODE_BUILTINS: &[&str] = &[
    "_http_agent",
    "_http_client",
    "_http_common",
    "_http_incoming",
    "_http_outgoing",
    "_http_server",
    "_stream_duplex",
    "_stream_passthrough",
    "_stream_readable",
    "_stream_transform",
    "_stream_wrap",
    "_stream_writable",
    "_tls_common",
    "_tls_wrap",
    "assert",
    "async_hooks",
    "buffer",
    "child_process",
    "cluster",
    "console",
    "constants",
    "crypto",
    "dgram",
    "diagnostics_channel",
    "dns",
    "domain",
    "events",
    "fs",
    "http",
    "http2",
    "https",
    "inspector",
    "module",
    "net",
    "os",
    "path",
    "perf_hooks",
    "process",
    "punycode",
    "querystring",
    "readline",
    "repl",
    "stream",
    "string_decoder",
    "sys",
    "timers",
    "tls",
    "trace_events",
    "tty",
    "url",
    "util",
    "v8",
    "vm",
    "wasi",
    "worker_threads",
    "zlib",
];

/// The resolvers shared by every clone of a database: one per platform and kind of request
/// (`import` or `require`), sharing one cache of directories and `package.json` files.
pub struct ModuleResolver {
    inner: ResolverGeneric<SystemFileSystem>,
    /// By [`flavour_index`].
    flavours: [std::sync::OnceLock<ResolverGeneric<SystemFileSystem>>; 6],
}

fn flavour_index(platform: Platform, required: bool) -> usize {
    let platform = match platform {
        Platform::Browser => 0,
        Platform::Node => 1,
        Platform::Neutral => 2,
    };
    platform * 2 + usize::from(required)
}

/// esbuild's conditions and main fields for each platform, with node's own for node (it
/// reads `main` only).
fn resolve_options(platform: Platform, required: bool) -> ResolveOptions {
    let kind = if required { "require" } else { "import" };
    let strings = |names: &[&str]| names.iter().map(|&name| name.to_owned()).collect();
    let (conditions, main_fields, alias_fields) = match platform {
        Platform::Browser => (
            strings(&["browser", kind, "module", "default"]),
            strings(&["browser", "module", "main"]),
            vec![vec!["browser".to_owned()]],
        ),
        Platform::Node => (
            strings(&["node", kind, "default"]),
            strings(&["main"]),
            Vec::new(),
        ),
        Platform::Neutral => (strings(&[kind, "default"]), strings(&["main"]), Vec::new()),
    };
    ResolveOptions {
        condition_names: conditions,
        main_fields,
        alias_fields,
        ..base_options()
    }
}

impl std::fmt::Debug for ModuleResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModuleResolver").finish_non_exhaustive()
    }
}

impl ModuleResolver {
    pub fn new(system: Arc<dyn System>) -> Self {
        ModuleResolver {
            inner: ResolverGeneric::new_with_file_system(
                SystemFileSystem {
                    system,
                    looked_at: None,
                },
                resolve_options(Platform::Browser, false),
            ),
            flavours: Default::default(),
        }
    }

    /// The resolver for requests of one kind on one platform.
    pub(crate) fn for_platform(
        &self,
        platform: Platform,
        required: bool,
    ) -> &ResolverGeneric<SystemFileSystem> {
        self.flavours[flavour_index(platform, required)].get_or_init(|| {
            self.inner
                .clone_with_options(resolve_options(platform, required))
        })
    }

    /// Forgets every cached directory listing and `package.json`.
    pub fn clear_cache(&self) {
        self.inner.clear_cache();
    }
}

/// What every platform's resolution shares.
fn base_options() -> ResolveOptions {
    ResolveOptions {
        // TypeScript sources first, as esbuild and tsc look for them.
        extensions: [
            ".tsx", ".ts", ".jsx", ".js", ".mjs", ".cjs", ".mts", ".cts", ".json",
        ]
        .map(String::from)
        .to_vec(),
        // TypeScript's ESM convention: `./x.js` names `x.ts` when there is no `x.js`.
        extension_alias: vec![
            (
                ".js".into(),
                [".js", ".ts", ".tsx"].map(String::from).to_vec(),
            ),
            (".jsx".into(), [".jsx", ".tsx"].map(String::from).to_vec()),
            (".mjs".into(), [".mjs", ".mts"].map(String::from).to_vec()),
            (".cjs".into(), [".cjs", ".cts"].map(String::from).to_vec()),
        ],
        // `paths` and `baseUrl`: the tsconfig is found by `module_tsconfig` and handed to
        // each resolution; this turns its use on.
        tsconfig: Some(oxc_resolver::TsconfigDiscovery::Auto),
        ..ResolveOptions::default()
    }
}

/// oxc_resolver's view of the database's [`System`].
pub(crate) struct SystemFileSystem {
    pub system: Arc<dyn System>,
    /// Every path read or looked at, when someone needs to know (the tsconfig reader).
    pub looked_at: Option<Arc<std::sync::Mutex<Vec<PathBuf>>>>,
}

impl SystemFileSystem {
    fn record(&self, path: &Path) {
        if let Some(looked_at) = &self.looked_at {
            looked_at.lock().unwrap().push(path.to_path_buf());
        }
    }
}

fn to_resolver_metadata(metadata: crate::files::Metadata) -> FileMetadata {
    FileMetadata::new(metadata.is_file, metadata.is_dir, metadata.is_symlink)
}

impl FileSystem for SystemFileSystem {
    fn new() -> Self {
        SystemFileSystem {
            system: Arc::new(crate::files::OsSystem),
            looked_at: None,
        }
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.record(path);
        self.system.read(path)
    }

    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        self.record(path);
        String::from_utf8(self.system.read(path)?)
            .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))
    }

    fn metadata(&self, path: &Path) -> io::Result<FileMetadata> {
        self.record(path);
        self.system.metadata(path).map(to_resolver_metadata)
    }

    fn symlink_metadata(&self, path: &Path) -> io::Result<FileMetadata> {
        self.record(path);
        self.system.symlink_metadata(path).map(to_resolver_metadata)
    }

    fn read_link(&self, path: &Path) -> Result<PathBuf, ResolveError> {
        self.system.read_link(path).map_err(ResolveError::from)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.system.canonicalize(path)
    }
}
