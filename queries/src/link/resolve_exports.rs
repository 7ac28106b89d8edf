//! Binding imports to the declarations they name, through re-exports and `export *`, as the
//! ECMAScript `ResolveExport` algorithm does; and the export names of namespace objects.

use rustc_hash::{FxHashMap, FxHashSet};

use super::graph::{Dependency, ExternalId, ModuleGraph, ModuleId};
use crate::parse::{ExportTarget, ImportedName, ModuleRecord, Name};

/// What a name resolves to after following imports and re-exports.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Binding {
    /// A top-level declaration of a module (or its `export default` value).
    Symbol { module: ModuleId, local: Name },
    /// The namespace object of a module.
    Namespace(ModuleId),
    /// Something an external module provides.
    External {
        external: ExternalId,
        imported: ImportedName,
    },
}

/// Why a name did not resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolveFailure {
    Missing,
    /// Two `export *` provide the name with different bindings.
    Ambiguous(Vec<Binding>),
    /// The re-export chain leads back to itself.
    Circular,
    /// The import's module did not resolve; that was reported already.
    Unresolved,
}

pub type Resolved = Result<Binding, ResolveFailure>;

/// Resolves export names on demand, memoized for the duration of one link.
pub struct ExportResolver<'l> {
    pub graph: &'l ModuleGraph,
    pub records: &'l [&'l ModuleRecord],
    cache: FxHashMap<(ModuleId, Name), Resolved>,
    exported_names: FxHashMap<ModuleId, Vec<Name>>,
    ambiguous_names: FxHashMap<ModuleId, Vec<Name>>,
}

impl<'l> ExportResolver<'l> {
    pub fn new(graph: &'l ModuleGraph, records: &'l [&'l ModuleRecord]) -> Self {
        ExportResolver {
            graph,
            records,
            cache: FxHashMap::default(),
            exported_names: FxHashMap::default(),
            ambiguous_names: FxHashMap::default(),
        }
    }

    fn dependency(&self, module: ModuleId, request: u32) -> Dependency {
        self.graph.modules[module as usize].dependencies[request as usize]
    }

    /// What `import { name } from <module>` binds to.
    pub fn resolve_export(&mut self, module: ModuleId, name: &Name) -> Resolved {
        if let Some(resolved) = self.cache.get(&(module, name.clone())) {
            return resolved.clone();
        }
        let mut in_progress = FxHashSet::default();
        let resolved = self.resolve_export_in(module, name, &mut in_progress);
        self.cache.insert((module, name.clone()), resolved.clone());
        resolved
    }

    fn resolve_export_in(
        &mut self,
        module: ModuleId,
        name: &Name,
        in_progress: &mut FxHashSet<(ModuleId, Name)>,
    ) -> Resolved {
        if !in_progress.insert((module, name.clone())) {
            return Err(ResolveFailure::Circular);
        }
        let result = self.resolve_export_uncached(module, name, in_progress);
        in_progress.remove(&(module, name.clone()));
        result
    }

    fn resolve_export_uncached(
        &mut self,
        module: ModuleId,
        name: &Name,
        in_progress: &mut FxHashSet<(ModuleId, Name)>,
    ) -> Resolved {
        let record = self.records[module as usize];
        if let Some(entry) = record.exports.iter().find(|entry| entry.exported == *name) {
            return match &entry.target {
                ExportTarget::Local(local) => self.resolve_local(module, local, in_progress),
                ExportTarget::ReExport { request, imported } => {
                    self.resolve_imported(module, *request, imported, in_progress)
                }
            };
        }
        if name == "default" {
            return Err(ResolveFailure::Missing);
        }
        // `export *`: the name must come from exactly one binding.
        let mut found: Option<Binding> = None;
        let mut ambiguous = Vec::new();
        let mut first_external = None;
        for &request in &record.star_exports {
            match self.dependency(module, request) {
                Dependency::Module(target) => {
                    match self.resolve_export_in(target, name, in_progress) {
                        Ok(binding) => match &found {
                            None => found = Some(binding),
                            Some(existing) if *existing == binding => {}
                            Some(existing) => {
                                if ambiguous.is_empty() {
                                    ambiguous.push(existing.clone());
                                }
                                ambiguous.push(binding);
                            }
                        },
                        Err(ResolveFailure::Ambiguous(bindings)) => ambiguous.extend(bindings),
                        Err(_) => {}
                    }
                }
                Dependency::External(external) => {
                    first_external.get_or_insert(external);
                }
                Dependency::Unresolved => {}
            }
        }
        if !ambiguous.is_empty() {
            return Err(ResolveFailure::Ambiguous(ambiguous));
        }
        if let Some(binding) = found {
            return Ok(binding);
        }
        // An external `export *` may provide any name; like rollup, take the first.
        if let Some(external) = first_external {
            return Ok(Binding::External {
                external,
                imported: ImportedName::Named(name.clone()),
            });
        }
        Err(ResolveFailure::Missing)
    }

    /// What the local binding `local` of `module` is: a declaration, or an import.
    pub fn resolve_local(
        &mut self,
        module: ModuleId,
        local: &Name,
        in_progress: &mut FxHashSet<(ModuleId, Name)>,
    ) -> Resolved {
        let record = self.records[module as usize];
        if let Some(import) = record.import(local) {
            let (request, imported) = (import.request, import.imported.clone());
            return self.resolve_imported(module, request, &imported, in_progress);
        }
        if record.symbol(local).is_some() {
            return Ok(Binding::Symbol {
                module,
                local: local.clone(),
            });
        }
        Err(ResolveFailure::Missing)
    }

    /// Resolves an import binding of `module` from the outside (no re-export chain yet).
    pub fn resolve_import_binding(&mut self, module: ModuleId, local: &Name) -> Resolved {
        let mut in_progress = FxHashSet::default();
        self.resolve_local(module, local, &mut in_progress)
    }

    fn resolve_imported(
        &mut self,
        module: ModuleId,
        request: u32,
        imported: &ImportedName,
        in_progress: &mut FxHashSet<(ModuleId, Name)>,
    ) -> Resolved {
        match (self.dependency(module, request), imported) {
            (Dependency::Module(target), ImportedName::Namespace) => Ok(Binding::Namespace(target)),
            (Dependency::Module(target), ImportedName::Named(name)) => {
                self.resolve_export_in(target, name, in_progress)
            }
            (Dependency::External(external), imported) => Ok(Binding::External {
                external,
                imported: imported.clone(),
            }),
            (Dependency::Unresolved, _) => Err(ResolveFailure::Unresolved),
        }
    }

    /// The names a namespace object of `module` has: its own exports and those of its
    /// `export *` modules, minus `default` from stars and minus ambiguous names, sorted.
    pub fn exported_names(&mut self, module: ModuleId) -> Vec<Name> {
        if let Some(names) = self.exported_names.get(&module) {
            return names.clone();
        }
        let mut names = FxHashSet::default();
        let mut visited = FxHashSet::default();
        self.collect_exported_names(module, &mut names, &mut visited, true);
        let mut names: Vec<Name> = names.into_iter().collect();
        names.sort_unstable();
        let mut exported = Vec::new();
        let mut ambiguous = Vec::new();
        for name in names {
            match self.resolve_export(module, &name) {
                Ok(_) => exported.push(name),
                Err(ResolveFailure::Ambiguous(_)) => ambiguous.push(name),
                Err(_) => {}
            }
        }
        self.exported_names.insert(module, exported.clone());
        self.ambiguous_names.insert(module, ambiguous);
        exported
    }

    /// The names `export *` provides ambiguously to the namespace of `module`, sorted.
    pub fn ambiguous_names(&mut self, module: ModuleId) -> Vec<Name> {
        self.exported_names(module);
        self.ambiguous_names[&module].clone()
    }

    fn collect_exported_names(
        &self,
        module: ModuleId,
        names: &mut FxHashSet<Name>,
        visited: &mut FxHashSet<ModuleId>,
        is_root: bool,
    ) {
        if !visited.insert(module) {
            return;
        }
        let record = self.records[module as usize];
        for entry in &record.exports {
            if is_root || entry.exported != "default" {
                names.insert(entry.exported.clone());
            }
        }
        for &request in &record.star_exports {
            if let Dependency::Module(target) = self.dependency(module, request) {
                self.collect_exported_names(target, names, visited, false);
            }
        }
    }

    /// The external modules whose `export *` (directly or through internal stars) feeds the
    /// namespace of `module`; their names are only known at runtime.
    pub fn external_stars(&self, module: ModuleId) -> Vec<ExternalId> {
        let mut externals = Vec::new();
        let mut visited = FxHashSet::default();
        self.collect_external_stars(module, &mut externals, &mut visited);
        externals
    }

    fn collect_external_stars(
        &self,
        module: ModuleId,
        externals: &mut Vec<ExternalId>,
        visited: &mut FxHashSet<ModuleId>,
    ) {
        if !visited.insert(module) {
            return;
        }
        for &request in &self.records[module as usize].star_exports {
            match self.dependency(module, request) {
                Dependency::Module(target) => {
                    self.collect_external_stars(target, externals, visited)
                }
                Dependency::External(external) => {
                    if !externals.contains(&external) {
                        externals.push(external);
                    }
                }
                Dependency::Unresolved => {}
            }
        }
    }
}
