//! The query database: salsa's storage plus the few shared, non-derived resources queries
//! need (the file registry, the `System` that reads bytes, the module resolver).

use std::{path::Path, sync::Arc};

use salsa::Setter;

use crate::{
    files::{Files, OsSystem, SourceFile, System, durability_of},
    resolve::ModuleResolver,
};

/// What every query can reach besides salsa itself.
#[salsa::db]
pub trait Db: salsa::Database {
    fn system(&self) -> &dyn System;
    fn files(&self) -> &Files;
    fn resolver(&self) -> &ModuleResolver;
}

/// The one database the library API, the CLI, watch mode and the LSP share. Clones share
/// memoized results; each worker thread gets its own clone.
#[salsa::db]
#[derive(Clone)]
pub struct Database {
    storage: salsa::Storage<Self>,
    system: Arc<dyn System>,
    files: Files,
    resolver: Arc<ModuleResolver>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database").finish_non_exhaustive()
    }
}

/// A callback that sees every salsa event (tests use it to count re-executed queries).
pub type EventCallback = Box<dyn Fn(salsa::Event) + Send + Sync + 'static>;

impl Default for Database {
    fn default() -> Self {
        Database::new(Arc::new(OsSystem), None)
    }
}

impl Database {
    pub fn new(system: Arc<dyn System>, on_event: Option<EventCallback>) -> Self {
        Database {
            storage: salsa::Storage::new(on_event),
            resolver: Arc::new(ModuleResolver::new(system.clone())),
            system,
            files: Files::default(),
        }
    }

    pub fn system_arc(&self) -> Arc<dyn System> {
        self.system.clone()
    }

    /// Tells the database that the file at `path` was written, created or deleted.
    pub fn file_changed(&mut self, path: &Path) {
        self.resolver.clear_cache();
        let file = self.files.file(self, path);
        let revision = file.revision(self);
        let durability = durability_of(path);
        file.set_revision(self)
            .with_durability(durability)
            .to(revision + 1);
    }

    pub fn file(&self, path: &Path) -> SourceFile {
        self.files.file(self, path)
    }
}

#[salsa::db]
impl salsa::Database for Database {}

#[salsa::db]
impl Db for Database {
    fn system(&self) -> &dyn System {
        &*self.system
    }

    fn files(&self) -> &Files {
        &self.files
    }

    fn resolver(&self) -> &ModuleResolver {
        &self.resolver
    }
}
