//! verde as a library: a [`Compiler`] owns the query database and turns entries into
//! bundles. The CLI (`verde build`) is a thin layer over this facade.
//!
//! ```no_run
//! use verde::{BuildOptions, Compiler, OutputFormat};
//!
//! let mut compiler = Compiler::new(std::env::current_dir().unwrap());
//! let output = compiler.build(&BuildOptions {
//!     entries: vec!["src/main.js".into()],
//!     format: OutputFormat::Esm,
//!     ..BuildOptions::default()
//! });
//! for diagnostic in &output.diagnostics {
//!     eprint!("{}", compiler.render_diagnostic(diagnostic));
//! }
//! ```

use std::{
    io::{self, Write as _},
    path::{Path, PathBuf},
    sync::Arc,
};

use salsa::Setter as _;
use verde_queries::{
    Database,
    bundle::bundle,
    config::BuildConfig,
    files::{OsSystem, SourceText, System, source_text},
    link::graph::module_graph,
};

pub use verde_queries::{
    config::OutputFormat,
    diagnostics::{Diagnostic, Severity, TextRange},
    files::{MemorySystem, normalize_path},
};

/// What to build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildOptions {
    /// Entry modules, relative to the compiler's root or absolute.
    pub entries: Vec<PathBuf>,
    pub format: OutputFormat,
    /// Specifiers to leave as runtime imports (`name` also matches `name/sub/path`).
    pub externals: Vec<String>,
    /// The global variable an `iife` bundle assigns its exports to.
    pub global_name: Option<String>,
}

/// The result of a build: the code when it succeeded, and every diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildOutput {
    pub code: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every module the build read, in discovery order.
    pub inputs: Vec<PathBuf>,
}

impl BuildOutput {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Owns the query database; successive builds reuse everything that did not change.
pub struct Compiler {
    db: Database,
    root: PathBuf,
    config: Option<BuildConfig>,
}

impl std::fmt::Debug for Compiler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiler")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl Compiler {
    /// A compiler reading files from disk; relative paths are taken from `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self::with_system(root, Arc::new(OsSystem))
    }

    /// A compiler reading files through `system` (for example a [`MemorySystem`]).
    pub fn with_system(root: impl Into<PathBuf>, system: Arc<dyn System>) -> Self {
        Compiler {
            db: Database::new(system, None),
            root: root.into(),
            config: None,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Builds `options.entries` into one chunk.
    pub fn build(&mut self, options: &BuildOptions) -> BuildOutput {
        let entries = options
            .entries
            .iter()
            .map(|entry| self.db.file(&normalize_path(&self.root, entry)))
            .collect::<Vec<_>>();
        let config = match self.config {
            Some(config) => {
                if config.entries(&self.db) != &entries {
                    config.set_entries(&mut self.db).to(entries);
                }
                if config.externals(&self.db) != &options.externals {
                    config
                        .set_externals(&mut self.db)
                        .to(options.externals.clone());
                }
                if config.format(&self.db) != options.format {
                    config.set_format(&mut self.db).to(options.format);
                }
                if config.global_name(&self.db) != &options.global_name {
                    config
                        .set_global_name(&mut self.db)
                        .to(options.global_name.clone());
                }
                config
            }
            None => {
                let config = BuildConfig::new(
                    &self.db,
                    self.root.clone(),
                    entries,
                    options.externals.clone(),
                    options.format,
                    options.global_name.clone(),
                );
                self.config = Some(config);
                config
            }
        };
        let output = bundle(&self.db, config);
        let inputs = module_graph(&self.db, config)
            .modules
            .iter()
            .map(|module| module.file.path(&self.db).clone())
            .collect();
        BuildOutput {
            code: output.code.clone(),
            diagnostics: output.diagnostics.clone(),
            inputs,
        }
    }

    /// Tells the compiler a file changed on disk (or in its memory system).
    pub fn file_changed(&mut self, path: &Path) {
        let path = normalize_path(&self.root, path);
        self.db.file_changed(&path);
    }

    /// `file:line:column: error[CODE]: message`, then a code frame.
    pub fn render_diagnostic(&self, diagnostic: &Diagnostic) -> String {
        let source = diagnostic.file.as_deref().and_then(|path| {
            let file = self.db.files().existing(path)?;
            match source_text(&self.db, file) {
                SourceText::Text(text) => Some(text.clone()),
                _ => None,
            }
        });
        diagnostic.render(source.as_deref(), &self.root)
    }
}

/// Writes `contents` to `path` through a temporary file in the same directory and a rename,
/// so a reader never sees a half-written file and a failure leaves the old file in place.
pub fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&directory)?;
    let file_name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "output path has no file name")
    })?;
    let temporary = directory.join(format!(
        ".{}.{}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

use verde_queries::Db as _;
