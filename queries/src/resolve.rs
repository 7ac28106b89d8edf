//! Module resolution: `(importing file, specifier) -> file`, as a query.
//!
//! oxc_resolver does the node resolution algorithm (relative paths, extension probing,
//! `node_modules`, `package.json` `exports`/`module`/`main` and conditions). Its own cache is
//! invisible to salsa, so after each resolution the query reads the input of every path the
//! resolver reported looking at (found or missing): creating or deleting one of those files
//! re-runs exactly the resolutions that looked there. The database clears the resolver's cache
//! whenever a file changes (see `Database::file_changed`), so a re-run never sees stale
//! directory contents.

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
    NotFound {
        reason: String,
    },
}

/// Resolves `specifier` as written in `importer`.
#[salsa::tracked]
pub fn resolve_import(db: &dyn Db, importer: SourceFile, specifier: CompactStr) -> Resolution {
    let importer_path = importer.path(db);
    let _span = tracing::debug_span!("resolve_import", %specifier, from = %importer_path.display())
        .entered();
    if let Some(path) = crate::virtual_modules::resolve(&specifier) {
        return Resolution::Module {
            file: db.files().file(db, &path),
            has_side_effects: false,
        };
    }
    // `paths` and `baseUrl` come from the importer's tsconfig (none under node_modules):
    // depend on it, and hand the resolver its parsed form (cached by the resolver).
    let tsconfig = crate::settings::tsconfig::module_tsconfig(db, importer).and_then(|tsconfig| {
        let _ = crate::settings::tsconfig::tsconfig_options(db, tsconfig);
        db.resolver().inner.resolve_tsconfig(tsconfig.path(db)).ok()
    });
    let directory = importer_path.parent().unwrap_or(Path::new("/"));
    let mut context = ResolveContext::default();
    let result = db.resolver().inner.resolve_with_context(
        directory,
        specifier.as_str(),
        tsconfig.as_deref(),
        &mut context,
    );

    // Depend on everything the resolver looked at, found or not, so that creating or deleting
    // any of those paths invalidates this resolution. Of a file found, only its existence
    // matters (an edit of its text leaves the resolution alone), except for the contents of
    // `package.json` files. A path found missing changes only by being created, which bumps
    // its revision: depending on that costs no second `stat` of each of the many paths
    // extension probing misses.
    let mut found: Vec<&PathBuf> = context.file_dependencies.iter().collect();
    found.sort();
    for path in found {
        let file = db.files().file(db, path);
        if path.ends_with("package.json") {
            let _ = file.revision(db);
        } else {
            let _ = file_status(db, file);
        }
    }
    let mut missing: Vec<&PathBuf> = context.missing_dependencies.iter().collect();
    missing.sort();
    for path in missing {
        let _ = db.files().file(db, path).revision(db);
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

/// The resolver shared by every clone of a database.
pub struct ModuleResolver {
    inner: ResolverGeneric<SystemFileSystem>,
}

impl std::fmt::Debug for ModuleResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModuleResolver").finish_non_exhaustive()
    }
}

impl ModuleResolver {
    pub fn new(system: Arc<dyn System>) -> Self {
        let options = ResolveOptions {
            // Browser-platform defaults, as esbuild and rolldown use them for bundling.
            condition_names: vec![
                "browser".into(),
                "import".into(),
                "module".into(),
                "default".into(),
            ],
            main_fields: vec!["browser".into(), "module".into(), "main".into()],
            alias_fields: vec![vec!["browser".into()]],
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
        };
        ModuleResolver {
            inner: ResolverGeneric::new_with_file_system(
                SystemFileSystem {
                    system,
                    looked_at: None,
                },
                options,
            ),
        }
    }

    /// Forgets every cached directory listing and `package.json`.
    pub fn clear_cache(&self) {
        self.inner.clear_cache();
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
