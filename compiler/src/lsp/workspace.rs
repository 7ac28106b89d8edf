//! The workspace the server serves: its root, the entries whose build hover reports on,
//! and the project's source files (what find-references and rename search). The server
//! reads and answers for files under the root only.

use std::path::{Path, PathBuf};

use lsp_types::InitializeParams;

use super::convert::path_of;

pub struct Workspace {
    pub root: PathBuf,
}

impl Workspace {
    pub fn new(params: &InitializeParams) -> Self {
        #[expect(deprecated, reason = "older clients only send rootUri")]
        let root_uri = params.root_uri.as_ref();
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .map(|folder| &folder.uri)
            .or(root_uri)
            .and_then(path_of)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("/"));
        Workspace { root }
    }

    /// Whether `path` lies inside the workspace (by its components: `..` is not followed
    /// out of it).
    pub fn contains(&self, path: &Path) -> bool {
        let normalized = verde_queries::files::normalize_path(&self.root, path);
        normalized.starts_with(&self.root)
    }

    /// The entries whose build hover reports on: `initializationOptions.entries`, or the
    /// workspace package's `module` or `main`.
    pub fn entries(&self, options: Option<&serde_json::Value>) -> Vec<PathBuf> {
        if let Some(entries) = options
            .and_then(|options| options.get("entries"))
            .and_then(|entries| entries.as_array())
        {
            return entries
                .iter()
                .filter_map(|entry| entry.as_str())
                .map(|entry| self.root.join(entry))
                .filter(|entry| self.contains(entry))
                .collect();
        }
        let package_json = self.root.join("package.json");
        // Only a regular file: a FIFO would block the read forever.
        if !std::fs::metadata(&package_json).is_ok_and(|metadata| metadata.is_file()) {
            return Vec::new();
        }
        let Ok(text) = std::fs::read_to_string(&package_json) else {
            return Vec::new();
        };
        let Ok(package) = serde_json::from_str::<serde_json::Value>(&text) else {
            return Vec::new();
        };
        ["module", "main"]
            .iter()
            .find_map(|field| package.get(field).and_then(|value| value.as_str()))
            .map(|entry| self.root.join(entry))
            .filter(|entry| self.contains(entry))
            .into_iter()
            .collect()
    }

    /// The workspace's source files, as git would see them (`.gitignore` respected, hidden
    /// files and `node_modules` skipped; only regular files).
    pub fn project_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(&self.root)
            .filter_entry(|entry| entry.file_name() != "node_modules")
            .build()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_some_and(|kind| kind.is_file()))
            .map(ignore::DirEntry::into_path)
            .filter(|path| is_source_file(path))
            .collect();
        files.sort();
        files
    }
}

pub fn is_source_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|ext| ext.to_str()),
        Some("js" | "mjs" | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx")
    )
}
