//! A module's export table: every name it exports, bound to the declaration behind it
//! after following re-exports and `export *`, as the ECMAScript `ResolveExport` algorithm
//! does. The walk reads other modules' records directly (never their export tables), so
//! cycles of re-exports are ordinary data, not query cycles.

use std::rc::Rc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{
    Binding, LinkDiagnostic, Location, ResolveFailure, display_name,
    graph::{Dependency, module_dependencies},
};
use crate::{
    Db,
    config::BuildConfig,
    diagnostics::Diagnostic,
    files::SourceFile,
    parse::{ExportTarget, ImportedName, Name, module_diagnostics, module_record},
};

pub type Resolved = Result<Binding, ResolveFailure>;

/// What `import { name } from <module>` and `<namespace>.name` can see.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModuleExports {
    /// The namespace's members: own exports, then names from `export *` (never `default`),
    /// sorted by name.
    pub resolved: Vec<(Name, Binding)>,
    /// Names the module exports that do not resolve (ambiguous `export *` names, explicit
    /// exports of something missing or circular), sorted by name.
    pub failed: Vec<(Name, ResolveFailure)>,
    /// External modules whose `export *` feeds the namespace: their names are only known at
    /// runtime. In the order the stars appear.
    pub external_stars: Vec<Name>,
    /// Explicit exports of this module that do not resolve.
    pub diagnostics: Vec<LinkDiagnostic>,
    /// The module could not be read or parsed (that is reported already): importing from it
    /// reports nothing more.
    pub broken: bool,
}

impl ModuleExports {
    /// What importing `name` binds to.
    pub fn lookup(&self, name: &str) -> Resolved {
        if self.broken {
            return Err(ResolveFailure::Unresolved);
        }
        if let Ok(index) = self
            .resolved
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
        {
            return Ok(self.resolved[index].1.clone());
        }
        if let Ok(index) = self.failed.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
            return Err(self.failed[index].1.clone());
        }
        // An external `export *` may provide any name; like rollup, take the first.
        match self.external_stars.first() {
            Some(specifier) if name != "default" => Ok(Binding::External {
                specifier: specifier.clone(),
                imported: ImportedName::Named(Name::from(name)),
            }),
            _ => Err(ResolveFailure::Missing),
        }
    }

    /// Names several `export *` provide with different bindings: namespaces leave them out.
    pub fn ambiguous_names(&self) -> impl Iterator<Item = &Name> {
        self.failed
            .iter()
            .filter(|(_, failure)| matches!(failure, ResolveFailure::Ambiguous(_)))
            .map(|(name, _)| name)
    }
}

/// The export table of `file`.
#[salsa::tracked(returns(ref))]
pub fn module_exports(db: &dyn Db, config: BuildConfig, file: SourceFile) -> ModuleExports {
    let problems = module_diagnostics(db, file);
    if problems.unreadable.is_some() || !problems.syntax.is_empty() {
        return ModuleExports {
            broken: true,
            ..ModuleExports::default()
        };
    }
    let mut resolver = ExportResolver {
        db,
        config,
        cache: FxHashMap::default(),
        stars: FxHashMap::default(),
    };
    let mut names = FxHashSet::default();
    let mut visited = FxHashSet::default();
    resolver.collect_exported_names(file, &mut names, &mut visited, true);
    let mut names: Vec<Name> = names.into_iter().collect();
    names.sort_unstable();

    let mut exports = ModuleExports::default();
    for name in names {
        match resolver.resolve_export(file, &name) {
            Ok(binding) => exports.resolved.push((name, binding)),
            Err(failure) => exports.failed.push((name, failure)),
        }
    }
    exports.external_stars = resolver.external_stars(file);

    // Every explicit export must name something, even when nothing imports it: a
    // JavaScript engine would refuse to link the module.
    let record = module_record(db, file);
    for (index, entry) in record.exports.iter().enumerate() {
        let Ok(position) = exports
            .failed
            .binary_search_by(|(name, _)| name.cmp(&entry.exported))
        else {
            continue;
        };
        let failure = &exports.failed[position].1;
        let (name, from) = match &entry.target {
            ExportTarget::ReExport {
                imported: ImportedName::Namespace,
                ..
            } => continue,
            ExportTarget::ReExport {
                request,
                imported: ImportedName::Named(name),
            } => (
                name.clone(),
                dependency_name(db, config, file, &record.requests, *request),
            ),
            ExportTarget::Local(local) => (local.clone(), display_name(db, file)),
        };
        if let Some(diagnostic) =
            failure_diagnostic(db, failure, &name, &from, &display_name(db, file))
        {
            exports.diagnostics.push(LinkDiagnostic::new(
                db,
                file,
                Location::Export(index as u32),
                diagnostic,
            ));
        }
    }
    exports
}

/// The file name (or specifier, for an external) that `requests[request]` of `file` names.
pub fn dependency_name(
    db: &dyn Db,
    config: BuildConfig,
    file: SourceFile,
    requests: &[Name],
    request: u32,
) -> String {
    match &module_dependencies(db, config, file).dependencies[request as usize] {
        Dependency::Module(target) => display_name(db, *target),
        _ => requests[request as usize].to_string(),
    }
}

/// The error for importing (or re-exporting) `name` from `dependency` into `importer`, if
/// the failure is one to report (an unresolved module was reported already).
pub fn failure_diagnostic(
    db: &dyn Db,
    failure: &ResolveFailure,
    name: &str,
    dependency: &str,
    importer: &str,
) -> Option<Diagnostic> {
    Some(match failure {
        ResolveFailure::Missing => Diagnostic::error(
            "MISSING_EXPORT",
            format!("\"{name}\" is not exported by \"{dependency}\", imported by \"{importer}\""),
        ),
        ResolveFailure::Circular => Diagnostic::error(
            "CIRCULAR_REEXPORT",
            format!(
                "\"{name}\" cannot be exported from \"{dependency}\": it is a circular re-export of itself"
            ),
        ),
        ResolveFailure::Ambiguous(candidates) => {
            let sources: Vec<String> = candidates
                .iter()
                .map(|candidate| match candidate {
                    Binding::Symbol { module, .. } | Binding::Namespace(module) => {
                        format!("\"{}\"", display_name(db, *module))
                    }
                    Binding::External { specifier, .. } => format!("\"{specifier}\""),
                })
                .collect();
            Diagnostic::error(
                "AMBIGUOUS_EXPORT",
                format!(
                    "\"{name}\" is exported by more than one `export *` of \"{dependency}\" (from {}), so it cannot be imported",
                    sources.join(" and ")
                ),
            )
        }
        ResolveFailure::Unresolved => return None,
    })
}

/// `ResolveExport` over module records, memoized for one query execution.
struct ExportResolver<'db> {
    db: &'db dyn Db,
    config: BuildConfig,
    cache: FxHashMap<(SourceFile, Name), Resolved>,
    stars: FxHashMap<SourceFile, Rc<StarCandidates>>,
}

/// Which `export *` requests of a module can provide a name. A barrel of hundreds of stars
/// would otherwise ask every star for every name: quadratic.
#[derive(Default)]
struct StarCandidates {
    /// Internal star requests by the names they can provide (own exports but `default`,
    /// and their own stars' names), each list in request order.
    by_name: FxHashMap<Name, Vec<u32>>,
    /// Internal star requests whose stars reach an external `export *`: they may provide
    /// any name.
    open: Vec<u32>,
    /// The first direct external `export *`.
    first_external: Option<Name>,
}

impl StarCandidates {
    /// The star requests that may provide `name`, in request order.
    fn for_name(&self, name: &str) -> Vec<u32> {
        let mut requests = self.by_name.get(name).cloned().unwrap_or_default();
        if !self.open.is_empty() {
            requests.extend_from_slice(&self.open);
            requests.sort_unstable();
            requests.dedup();
        }
        requests
    }
}

impl ExportResolver<'_> {
    fn dependency(&self, module: SourceFile, request: u32) -> Dependency {
        module_dependencies(self.db, self.config, module).dependencies[request as usize].clone()
    }

    /// What `import { name } from <module>` binds to.
    fn resolve_export(&mut self, module: SourceFile, name: &Name) -> Resolved {
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
        module: SourceFile,
        name: &Name,
        in_progress: &mut FxHashSet<(SourceFile, Name)>,
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
        module: SourceFile,
        name: &Name,
        in_progress: &mut FxHashSet<(SourceFile, Name)>,
    ) -> Resolved {
        let record = module_record(self.db, module);
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
        let stars = self.star_candidates(module);
        let mut found: Option<Binding> = None;
        let mut ambiguous: Vec<Binding> = Vec::new();
        for request in stars.for_name(name) {
            let Dependency::Module(target) = self.dependency(module, request) else {
                continue;
            };
            match self.resolve_export_in(target, name, in_progress) {
                Ok(binding) => match &found {
                    None => found = Some(binding),
                    Some(existing) if *existing == binding => {}
                    Some(existing) => {
                        if ambiguous.is_empty() {
                            ambiguous.push(existing.clone());
                        }
                        if !ambiguous.contains(&binding) {
                            ambiguous.push(binding);
                        }
                    }
                },
                Err(ResolveFailure::Ambiguous(bindings)) => ambiguous.extend(bindings),
                Err(_) => {}
            }
        }
        if !ambiguous.is_empty() {
            return Err(ResolveFailure::Ambiguous(ambiguous));
        }
        if let Some(binding) = found {
            return Ok(binding);
        }
        // An external `export *` may provide any name; like rollup, take the first.
        if let Some(specifier) = &stars.first_external {
            return Ok(Binding::External {
                specifier: specifier.clone(),
                imported: ImportedName::Named(name.clone()),
            });
        }
        Err(ResolveFailure::Missing)
    }

    /// What the local binding `local` of `module` is: a declaration, or an import.
    fn resolve_local(
        &mut self,
        module: SourceFile,
        local: &Name,
        in_progress: &mut FxHashSet<(SourceFile, Name)>,
    ) -> Resolved {
        let record = module_record(self.db, module);
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

    fn resolve_imported(
        &mut self,
        module: SourceFile,
        request: u32,
        imported: &ImportedName,
        in_progress: &mut FxHashSet<(SourceFile, Name)>,
    ) -> Resolved {
        match (self.dependency(module, request), imported) {
            (Dependency::Module(target), ImportedName::Namespace) => Ok(Binding::Namespace(target)),
            (Dependency::Module(target), ImportedName::Named(name)) => {
                self.resolve_export_in(target, name, in_progress)
            }
            (Dependency::External(specifier), imported) => Ok(Binding::External {
                specifier,
                imported: imported.clone(),
            }),
            (Dependency::Unresolved, _) => Err(ResolveFailure::Unresolved),
        }
    }

    fn star_candidates(&mut self, module: SourceFile) -> Rc<StarCandidates> {
        if let Some(candidates) = self.stars.get(&module) {
            return candidates.clone();
        }
        let mut candidates = StarCandidates::default();
        for &request in &module_record(self.db, module).star_exports {
            match self.dependency(module, request) {
                Dependency::Module(target) => {
                    let mut names = FxHashSet::default();
                    self.collect_exported_names(
                        target,
                        &mut names,
                        &mut FxHashSet::default(),
                        false,
                    );
                    #[expect(
                        clippy::iter_over_hash_type,
                        reason = "each list grows in request order, whatever order the names come in"
                    )]
                    for name in names {
                        candidates.by_name.entry(name).or_default().push(request);
                    }
                    if !self.external_stars(target).is_empty() {
                        candidates.open.push(request);
                    }
                }
                Dependency::External(specifier) => {
                    candidates.first_external.get_or_insert(specifier);
                }
                Dependency::Unresolved => {}
            }
        }
        let candidates = Rc::new(candidates);
        self.stars.insert(module, candidates.clone());
        candidates
    }

    /// Own exports (all of them for the module itself) and those of its `export *`
    /// modules (except `default`).
    fn collect_exported_names(
        &self,
        module: SourceFile,
        names: &mut FxHashSet<Name>,
        visited: &mut FxHashSet<SourceFile>,
        is_root: bool,
    ) {
        if !visited.insert(module) {
            return;
        }
        let record = module_record(self.db, module);
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
    /// namespace of `module`.
    fn external_stars(&self, module: SourceFile) -> Vec<Name> {
        let mut externals = Vec::new();
        let mut visited = FxHashSet::default();
        self.collect_external_stars(module, &mut externals, &mut visited);
        externals
    }

    fn collect_external_stars(
        &self,
        module: SourceFile,
        externals: &mut Vec<Name>,
        visited: &mut FxHashSet<SourceFile>,
    ) {
        if !visited.insert(module) {
            return;
        }
        for &request in &module_record(self.db, module).star_exports {
            match self.dependency(module, request) {
                Dependency::Module(target) => {
                    self.collect_external_stars(target, externals, visited)
                }
                Dependency::External(specifier) => {
                    if !externals.contains(&specifier) {
                        externals.push(specifier);
                    }
                }
                Dependency::Unresolved => {}
            }
        }
    }
}
