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
    parse::{ExportTarget, ImportedName, ModuleKind, Name, module_kind, module_record},
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
    /// The module could not be read or parsed (that is reported already): importing from it
    /// reports nothing more.
    pub broken: bool,
    /// Names the module exports as TypeScript types only (sorted): importing one binds
    /// nothing and reports nothing.
    pub type_exports: Vec<Name>,
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
        if self
            .type_exports
            .binary_search_by(|exported| exported.as_str().cmp(name))
            .is_ok()
        {
            return Err(ResolveFailure::TypeOnly);
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

/// The export table of `file`: every name its namespace has, resolved. Asked for only
/// where it is needed (a module imported from, a namespace object, the entry): in a chain of
/// `export *` every module's table holds every name below it.
#[salsa::tracked(returns(ref))]
pub fn module_exports(db: &dyn Db, config: BuildConfig, file: SourceFile) -> ModuleExports {
    crate::fault::inject(
        module_record(db, file).injected_fault,
        crate::fault::Phase::Link,
    );
    if is_broken(db, file) {
        return ModuleExports {
            broken: true,
            ..ModuleExports::default()
        };
    }
    let mut resolver = ExportResolver::new(db, config);
    let record = module_record(db, file);
    if record.kind == ModuleKind::CommonJs {
        // What node's `import * as ns` of it would hold: `default` (`module.exports`) and
        // the names that can be known without running it.
        let mut resolved: Vec<(Name, Binding)> = resolver
            .commonjs_names(file)
            .into_iter()
            .map(|name| {
                let binding = Binding::commonjs(file, ImportedName::Named(name.clone()), false);
                (name, binding)
            })
            .collect();
        let default = Name::from("default");
        resolved.push((
            default.clone(),
            Binding::commonjs(file, ImportedName::Named(default), true),
        ));
        resolved.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        return ModuleExports {
            resolved,
            ..ModuleExports::default()
        };
    }
    let reach = resolver.star_reach(file);
    let mut names: Vec<Name> = reach
        .definers
        .keys()
        .cloned()
        .chain(record.exports.iter().map(|entry| entry.exported.clone()))
        .collect();
    names.sort_unstable();
    names.dedup();

    let mut exports = ModuleExports::default();
    for name in names {
        // A name only one module behind the stars declares, with no external star that
        // could declare it too, is that module's export: every path that finds it finds
        // the same one. Anything else goes through `ResolveExport` name by name.
        let resolved = match reach.definers.get(&name) {
            Some(&(definer, 1)) if record.export(&name).is_none() && !reach.has_external_star => {
                match resolver.resolve_export(definer, &name) {
                    Err(ResolveFailure::Ambiguous(bindings)) => {
                        Err(ResolveFailure::Ambiguous(bindings))
                    }
                    Err(_) => Err(ResolveFailure::Missing),
                    ok => ok,
                }
            }
            _ => resolver.resolve_export(file, &name),
        };
        match resolved {
            Ok(binding) => exports.resolved.push((name, binding)),
            Err(failure) => exports.failed.push((name, failure)),
        }
    }
    exports.external_stars = resolver.external_stars(file);
    exports.type_exports = record.type_exports.clone();
    exports
}

/// What the `export *` of a module reach.
struct StarReach {
    /// Every name a module behind the stars exports (never `default`), with the first
    /// module that does and how many do.
    definers: FxHashMap<Name, (SourceFile, u32)>,
    /// Some star leads to an external module, which may export any name.
    has_external_star: bool,
}

/// The module could not be read or parsed (that is reported already).
fn is_broken(db: &dyn Db, file: SourceFile) -> bool {
    let problems = crate::summary::View::of(db, file).diagnostics(db);
    problems.unreadable.is_some() || problems.syntax.iter().any(Diagnostic::is_error)
}

/// The explicit exports of `file` that do not resolve. Every one must name something, even
/// when nothing imports it: a JavaScript engine would refuse to link the module. Only the
/// explicit exports are resolved, not the names `export *` brings in. Not a query of its
/// own: part of a module's problems (`bundle::shard_problems` for the build,
/// [`crate::bundle::module_problems`] for the editor), their only reader (one memo fewer
/// per module for every rebuild to confirm).
pub fn module_export_problems(
    db: &dyn Db,
    config: BuildConfig,
    file: SourceFile,
) -> Vec<LinkDiagnostic> {
    if is_broken(db, file) {
        return Vec::new();
    }
    let record = module_record(db, file);
    let mut resolver = ExportResolver::new(db, config);
    let mut problems = Vec::new();
    for (index, entry) in record.exports.iter().enumerate() {
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
        let Err(failure) = resolver.resolve_export(file, &entry.exported) else {
            continue;
        };
        if let Some(diagnostic) =
            failure_diagnostic(db, &failure, &name, &from, &display_name(db, file))
        {
            problems.push(LinkDiagnostic::new(
                db,
                file,
                Location::Export(index as u32),
                diagnostic,
            ));
        }
    }
    problems
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
                    Binding::CommonJs { module, .. } => {
                        format!("\"{}\"", display_name(db, *module))
                    }
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
        ResolveFailure::Unresolved | ResolveFailure::TypeOnly => return None,
    })
}

/// `ResolveExport` over module records, memoized for one query execution.
struct ExportResolver<'db> {
    db: &'db dyn Db,
    config: BuildConfig,
    cache: FxHashMap<(SourceFile, Name), Resolved>,
    stars: FxHashMap<SourceFile, Rc<StarCandidates>>,
    /// How deep [`ExportResolver::commonjs_names`] is in itself.
    commonjs_depth: std::cell::Cell<u32>,
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

impl<'db> ExportResolver<'db> {
    fn new(db: &'db dyn Db, config: BuildConfig) -> Self {
        ExportResolver {
            db,
            config,
            cache: FxHashMap::default(),
            stars: FxHashMap::default(),
            commonjs_depth: std::cell::Cell::new(0),
        }
    }

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
        if record.kind == ModuleKind::CommonJs {
            // Any name: a property of its exports, read at run time.
            return Ok(Binding::commonjs(
                module,
                ImportedName::Named(name.clone()),
                false,
            ));
        }
        if let Some(entry) = record.export(name) {
            return match &entry.target {
                ExportTarget::Local(local) => self.resolve_local(module, local, in_progress),
                ExportTarget::ReExport { request, imported } => {
                    self.resolve_imported(module, *request, imported, in_progress)
                }
            };
        }
        let missing = if record.is_type_export(name) {
            ResolveFailure::TypeOnly
        } else {
            ResolveFailure::Missing
        };
        if name == "default" {
            return Err(missing);
        }
        // `export *`: the name must come from exactly one binding.
        let stars = self.star_candidates(module);
        let mut found: Option<Binding> = None;
        let mut ambiguous: Vec<Binding> = Vec::new();
        let mut type_only = missing == ResolveFailure::TypeOnly;
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
                Err(ResolveFailure::TypeOnly) => type_only = true,
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
        if type_only {
            return Err(ResolveFailure::TypeOnly);
        }
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
            (Dependency::Module(target), imported)
                if module_kind(self.db, target) == ModuleKind::CommonJs =>
            {
                let node_mode = module_record(self.db, module).node_mode;
                Ok(Binding::commonjs(target, imported.clone(), node_mode))
            }
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
                    for name in self.exported_names(target, false) {
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

    /// The modules the stars of `module` reach (with a stack of its own: a chain of ten
    /// thousand is no deeper than one), and the names they export.
    fn star_reach(&self, module: SourceFile) -> StarReach {
        let mut reach = StarReach {
            definers: FxHashMap::default(),
            has_external_star: false,
        };
        let mut visited = FxHashSet::default();
        visited.insert(module);
        let mut stack = vec![module];
        while let Some(current) = stack.pop() {
            let record = module_record(self.db, current);
            if record.kind == ModuleKind::CommonJs {
                for name in self.commonjs_names(current) {
                    reach.definers.entry(name).or_insert((current, 0)).1 += 1;
                }
                continue;
            }
            if current != module {
                for entry in &record.exports {
                    if entry.exported != "default" {
                        reach
                            .definers
                            .entry(entry.exported.clone())
                            .or_insert((current, 0))
                            .1 += 1;
                    }
                }
            }
            for &request in &record.star_exports {
                match self.dependency(current, request) {
                    Dependency::Module(target) => {
                        if visited.insert(target) {
                            stack.push(target);
                        }
                    }
                    Dependency::External(_) => reach.has_external_star = true,
                    Dependency::Unresolved => {}
                }
            }
        }
        reach
    }

    /// Own exports (all of them for `module` itself when `is_root`, else all but `default`)
    /// and those of its `export *` modules (never `default`), each name once. Walks the
    /// stars with a stack of its own: a chain of ten thousand is no deeper than one.
    fn exported_names(&self, module: SourceFile, is_root: bool) -> Vec<Name> {
        let mut names = FxHashSet::default();
        let mut visited = FxHashSet::default();
        let mut stack = vec![(module, is_root)];
        while let Some((module, is_root)) = stack.pop() {
            if !visited.insert(module) {
                continue;
            }
            let record = module_record(self.db, module);
            if record.kind == ModuleKind::CommonJs {
                names.extend(self.commonjs_names(module));
                continue;
            }
            for entry in &record.exports {
                if is_root || entry.exported != "default" {
                    names.insert(entry.exported.clone());
                }
            }
            for &request in &record.star_exports {
                if let Dependency::Module(target) = self.dependency(module, request) {
                    stack.push((target, false));
                }
            }
        }
        names.into_iter().collect()
    }

    /// The names a CommonJS module is known to export (never `default`): its own, and those
    /// of the modules it re-exports (`module.exports = require(...)`, `__exportStar`),
    /// sorted. What node's cjs-module-lexer would give an importer as named exports.
    fn commonjs_names(&self, module: SourceFile) -> Vec<Name> {
        let mut names = Vec::new();
        // ES modules and CommonJS re-exporting each other in a circle: stop going round.
        if self.commonjs_depth.get() > 32 {
            return names;
        }
        self.commonjs_depth.set(self.commonjs_depth.get() + 1);
        let mut visited = FxHashSet::default();
        let mut stack = vec![module];
        while let Some(current) = stack.pop() {
            if !visited.insert(current) {
                continue;
            }
            let record = module_record(self.db, current);
            if record.kind != ModuleKind::CommonJs {
                names.extend(
                    self.exported_names(current, false)
                        .into_iter()
                        .filter(|name| name != "default"),
                );
                continue;
            }
            names.extend(record.commonjs_exports.names.iter().cloned());
            for &request in &record.commonjs_exports.reexports {
                if let Dependency::Module(target) = self.dependency(current, request) {
                    stack.push(target);
                }
            }
        }
        self.commonjs_depth.set(self.commonjs_depth.get() - 1);
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The external modules whose `export *` (directly or through internal stars) feeds the
    /// namespace of `module`, in the order the stars appear (depth first, with a stack of
    /// its own).
    fn external_stars(&self, module: SourceFile) -> Vec<Name> {
        let mut externals: Vec<Name> = Vec::new();
        let mut visited = FxHashSet::default();
        visited.insert(module);
        let mut stack = vec![(module, 0usize)];
        while let Some((current, next)) = stack.last_mut() {
            let current = *current;
            let Some(&request) = module_record(self.db, current).star_exports.get(*next) else {
                stack.pop();
                continue;
            };
            *next += 1;
            match self.dependency(current, request) {
                Dependency::Module(target) => {
                    if visited.insert(target) {
                        stack.push((target, 0));
                    }
                }
                Dependency::External(specifier) => {
                    if !externals.contains(&specifier) {
                        externals.push(specifier);
                    }
                }
                Dependency::Unresolved => {}
            }
        }
        externals
    }
}
