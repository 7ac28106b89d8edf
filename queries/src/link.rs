//! Link: turns module records into a linked bundle without ever looking at an AST.
//!
//! The passes, in order ([`linked_bundle`] reads as this list):
//! 1. [`graph`]: discover modules from the entries, resolve specifiers, order execution.
//! 2. [`bind`]: bind every import (and namespace member read) to its declaration through
//!    re-exports and `export *`; report missing, ambiguous and circular exports.
//! 3. [`tree_shaking`]: decide which items are live and which namespace objects must exist.
//! 4. [`deconflict`]: give every live top-level binding its final name in the shared scope.
//! 5. Replacement tables: for each module, the text each relocation of its object code
//!    becomes. Render only patches.

pub mod bind;
pub mod deconflict;
pub mod graph;
pub mod tree_shaking;

use std::path::Path;

use rustc_hash::FxHashMap;

use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    diagnostics::Diagnostic,
    files::SourceFile,
    parse::{
        DEFAULT_LOCAL, ExportTarget, ImportedName, ItemFacts, ModuleRecord, Name, module_items,
        module_record,
    },
};
use bind::{Binding, ExportResolver, ResolveFailure};
use deconflict::{Deconflicter, Users, legal_identifier};
use graph::{Dependency, ExecutionStep, ExternalId, ModuleGraph, ModuleId, module_graph};
use tree_shaking::{Liveness, TreeShaker};

/// What a relocation becomes, and how it may be spliced into surrounding code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Replacement {
    pub text: Name,
    pub kind: ReplacementKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReplacementKind {
    /// A plain identifier: fits anywhere an identifier does.
    Identifier,
    /// `object.property`: needs `(0, ...)` when called, so `this` is not the object.
    Member,
    /// A call or other primary expression: fits anywhere, even when called.
    Primary,
    /// Anything else: parenthesized.
    Other,
}

impl Replacement {
    fn identifier(text: impl Into<Name>) -> Self {
        Replacement {
            text: text.into(),
            kind: ReplacementKind::Identifier,
        }
    }

    fn member(object: &str, property: &str) -> Self {
        let text = if is_identifier_name(property) {
            format!("{object}.{property}")
        } else {
            format!("{object}[{}]", string_literal(property))
        };
        Replacement {
            text: text.into(),
            kind: ReplacementKind::Member,
        }
    }

    fn primary(text: impl Into<Name>) -> Self {
        Replacement {
            text: text.into(),
            kind: ReplacementKind::Primary,
        }
    }

    fn other(text: impl Into<Name>) -> Self {
        Replacement {
            text: text.into(),
            kind: ReplacementKind::Other,
        }
    }
}

/// A namespace object the bundle must create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamespaceObject {
    pub name: Name,
    /// Export name and the binding it reads, sorted by export name.
    pub members: Vec<(Name, Replacement)>,
    /// Variables of external modules whose exports the namespace re-exports (`export *`).
    pub external_stars: Vec<Name>,
}

/// How a lazy module (reached only through `import()`) is wrapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LazyInit {
    pub name: Name,
    /// Initializers of the lazy modules it imports statically, in import order.
    pub dependencies: Vec<Name>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedModule {
    pub file: SourceFile,
    pub is_lazy: bool,
    /// Indices into the module's items, in source order.
    pub live_items: Vec<u32>,
    pub namespace: Option<NamespaceObject>,
    pub init: Option<LazyInit>,
    /// For every top-level or import binding its live items mention.
    pub symbols: FxHashMap<Name, Replacement>,
    pub namespace_members: FxHashMap<(Name, Name), Replacement>,
    pub dynamic_imports: FxHashMap<Name, Replacement>,
    pub import_meta: Replacement,
    /// Classes that were renamed but keep their original `.name` (sorted).
    pub preserved_class_names: Vec<Name>,
}

/// How an external module is loaded and named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedExternal {
    pub specifier: Name,
    /// CommonJS: `var <module_var> = require(...)`.
    pub module_var: Option<Name>,
    /// CommonJS: `var <default_var> = _interopDefault(<module_var>)`.
    pub default_var: Option<Name>,
    /// CommonJS: `var <namespace_var> = _interopNamespaceDefault(<module_var>)`;
    /// ES module: `import * as <namespace_var> from ...`.
    pub namespace_var: Option<Name>,
    /// ES module: `import { imported as local } from ...`, sorted by imported name.
    pub named: Vec<(Name, Name)>,
}

/// The runtime helpers the output needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Helpers {
    pub interop_default: bool,
    pub interop_namespace: bool,
    pub merge_namespaces: bool,
}

/// Where in a module a link diagnostic points; turned into a text range when reported.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    Module,
    NamespaceMember { namespace: Name, member: Name },
    Request(u32),
    DynamicRequest(u32),
    Import(u32),
    Export(u32),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LinkDiagnostic {
    pub file: SourceFile,
    pub location: Location,
    pub diagnostic: Diagnostic,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedBundle {
    pub modules: Vec<LinkedModule>,
    pub externals: Vec<LinkedExternal>,
    /// The entry's exports, sorted by name.
    pub entry_exports: Vec<(Name, Replacement)>,
    /// External modules the entry re-exports with `export *`.
    pub entry_external_stars: Vec<ExternalId>,
    pub helpers: Helpers,
    pub diagnostics: Vec<LinkDiagnostic>,
}

impl LinkedBundle {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|diagnostic| diagnostic.diagnostic.is_error())
    }
}

/// Links the bundle described by `config`.
#[salsa::tracked(returns(ref))]
pub fn linked_bundle(db: &dyn Db, config: BuildConfig) -> LinkedBundle {
    let _span = tracing::debug_span!("linked_bundle").entered();
    let graph = module_graph(db, config);
    let records: Vec<&ModuleRecord> = graph
        .modules
        .iter()
        .map(|module| module_record(db, module.file))
        .collect();
    let facts: Vec<Vec<&ItemFacts>> = graph
        .modules
        .iter()
        .map(|module| {
            module_items(db, module.file)
                .iter()
                .map(|item| item.facts(db))
                .collect()
        })
        .collect();
    let mut linker = Linker {
        db,
        graph,
        format: config.format(db),
        records: &records,
        facts: &facts,
        diagnostics: Vec::new(),
    };
    linker.link()
}

struct Linker<'l> {
    db: &'l dyn Db,
    graph: &'l ModuleGraph,
    format: OutputFormat,
    records: &'l [&'l ModuleRecord],
    facts: &'l [Vec<&'l ItemFacts>],
    diagnostics: Vec<LinkDiagnostic>,
}

impl<'l> Linker<'l> {
    fn file(&self, module: ModuleId) -> SourceFile {
        self.graph.modules[module as usize].file
    }

    fn path(&self, module: ModuleId) -> &Path {
        self.file(module).path(self.db)
    }

    fn report(&mut self, module: ModuleId, location: Location, diagnostic: Diagnostic) {
        let file = self.file(module);
        let diagnostic = diagnostic.in_file(file.path(self.db), None);
        self.diagnostics.push(LinkDiagnostic {
            file,
            location,
            diagnostic,
        });
    }

    fn display_name(&self, module: ModuleId) -> String {
        self.path(module)
            .file_name()
            .map_or_else(String::new, |name| name.to_string_lossy().into_owned())
    }

    fn dependency_name(&self, module: ModuleId, request: u32) -> String {
        match self.graph.modules[module as usize].dependencies[request as usize] {
            Dependency::Module(target) => self.display_name(target),
            _ => self.records[module as usize].requests[request as usize].to_string(),
        }
    }

    fn link(&mut self) -> LinkedBundle {
        self.report_unresolved();
        let mut resolver = ExportResolver::new(self.graph, self.records);
        let import_bindings = self.bind_imports(&mut resolver);
        self.check_exports(&mut resolver);
        let member_bindings = self.bind_namespace_members(&mut resolver, &import_bindings);
        let declaring_items = self.declaring_items();

        let entry = self.graph.entries.first().copied();
        let mut entry_bindings = Vec::new();
        let mut entry_external_stars = Vec::new();
        if let Some(entry) = entry {
            for name in resolver.exported_names(entry) {
                if let Ok(binding) = resolver.resolve_export(entry, &name) {
                    entry_bindings.push((name, binding));
                }
            }
            entry_external_stars = resolver.external_stars(entry);
        }

        let liveness = TreeShaker {
            graph: self.graph,
            records: self.records,
            facts: self.facts,
            resolver: &mut resolver,
            import_bindings: &import_bindings,
            member_bindings: &member_bindings,
        }
        .run(
            &entry_bindings
                .iter()
                .map(|(_, binding)| binding.clone())
                .collect::<Vec<_>>(),
            &declaring_items,
        );

        self.warn_namespace_conflicts(&mut resolver, &liveness);
        let names = self.assign_names(&liveness, &import_bindings, &member_bindings);
        let mut modules = Vec::with_capacity(self.graph.modules.len());
        for module in 0..self.graph.modules.len() as ModuleId {
            modules.push(self.linked_module(
                module,
                &liveness,
                &names,
                &import_bindings,
                &member_bindings,
                &mut resolver,
            ));
        }
        let entry_exports = entry_bindings
            .iter()
            .map(|(name, binding)| (name.clone(), names.replacement(self, None, binding)))
            .collect();

        let mut helpers = Helpers::default();
        if self.format != OutputFormat::Esm {
            helpers.interop_default = names.externals.iter().any(|e| e.default_var.is_some());
            helpers.interop_namespace = names.externals.iter().any(|e| e.namespace_var.is_some())
                || liveness.externals.iter().any(|use_| use_.dynamic);
        }
        helpers.merge_namespaces = modules.iter().any(|module| {
            module
                .namespace
                .as_ref()
                .is_some_and(|ns| !ns.external_stars.is_empty())
        });

        LinkedBundle {
            modules,
            externals: names.externals,
            entry_exports,
            entry_external_stars,
            helpers,
            diagnostics: std::mem::take(&mut self.diagnostics),
        }
    }

    fn report_unresolved(&mut self) {
        for unresolved in &self.graph.unresolved {
            let record = self.records[unresolved.importer as usize];
            let (specifier, location) = if unresolved.dynamic {
                (
                    &record.dynamic_requests[unresolved.request as usize],
                    Location::DynamicRequest(unresolved.request),
                )
            } else {
                (
                    &record.requests[unresolved.request as usize],
                    Location::Request(unresolved.request),
                )
            };
            let mut diagnostic = Diagnostic::error(
                "UNRESOLVED_IMPORT",
                format!("could not resolve \"{specifier}\": {}", unresolved.reason),
            );
            if !specifier.starts_with('.') && !specifier.starts_with('/') {
                diagnostic = diagnostic.with_help(format!(
                    "install the package, or mark it as external with `--external {specifier}`"
                ));
            }
            self.report(unresolved.importer, location, diagnostic);
        }
    }

    fn bind_imports(&mut self, resolver: &mut ExportResolver<'_>) -> Vec<FxHashMap<Name, Binding>> {
        let mut all = Vec::with_capacity(self.graph.modules.len());
        for module in 0..self.graph.modules.len() as ModuleId {
            let record = self.records[module as usize];
            let mut bindings = FxHashMap::default();
            for (index, import) in record.imports.iter().enumerate() {
                match resolver.resolve_import_binding(module, &import.local) {
                    Ok(binding) => {
                        self.warn_guessed_external(resolver, module, index, &binding);
                        bindings.insert(import.local.clone(), binding);
                    }
                    Err(failure) => {
                        let imported = match &import.imported {
                            ImportedName::Named(name) => name.clone(),
                            ImportedName::Namespace => Name::from("*"),
                        };
                        let dependency = self.dependency_name(module, import.request);
                        if let Some(binding) = self.report_failure(
                            module,
                            Location::Import(index as u32),
                            failure,
                            &imported,
                            &dependency,
                        ) {
                            bindings.insert(import.local.clone(), binding);
                        }
                    }
                }
            }
            all.push(bindings);
        }
        all
    }

    /// A name found in no module but re-exported by several external `export *` could come
    /// from any of them: like rollup, take the first and say so.
    fn warn_guessed_external(
        &mut self,
        resolver: &ExportResolver<'_>,
        module: ModuleId,
        import_index: usize,
        binding: &Binding,
    ) {
        let import = &self.records[module as usize].imports[import_index];
        let (
            Binding::External {
                external,
                imported: ImportedName::Named(name),
            },
            Dependency::Module(target),
        ) = (
            binding,
            self.graph.modules[module as usize].dependencies[import.request as usize],
        )
        else {
            return;
        };
        let stars = resolver.external_stars(target);
        if stars.len() < 2 {
            return;
        }
        let candidates: Vec<String> = stars
            .iter()
            .map(|star| format!("\"{}\"", self.graph.externals[*star as usize]))
            .collect();
        let guessed = &self.graph.externals[*external as usize];
        let reexporter = self.display_name(target);
        self.report(
            module,
            Location::Import(import_index as u32),
            Diagnostic::warning(
                "AMBIGUOUS_EXTERNAL_NAMESPACES",
                format!(
                    "\"{name}\" may come from any of {} re-exported by \"{reexporter}\"; guessing \"{guessed}\"",
                    candidates.join(", ")
                ),
            ),
        );
    }

    /// Names a namespace object leaves out because several `export *` provide them.
    fn warn_namespace_conflicts(&mut self, resolver: &mut ExportResolver<'_>, liveness: &Liveness) {
        for module in 0..self.graph.modules.len() as ModuleId {
            if !liveness.namespaces[module as usize] {
                continue;
            }
            for name in resolver.ambiguous_names(module) {
                let reexporter = self.display_name(module);
                self.report(
                    module,
                    Location::Module,
                    Diagnostic::warning(
                        "NAMESPACE_CONFLICT",
                        format!("\"{name}\" is re-exported by more than one `export *` of \"{reexporter}\" with different bindings; the namespace leaves it out"),
                    ),
                );
            }
        }
    }

    /// Reports why `name` did not resolve.
    fn report_failure(
        &mut self,
        module: ModuleId,
        location: Location,
        failure: ResolveFailure,
        name: &str,
        dependency: &str,
    ) -> Option<Binding> {
        let importer = self.display_name(module);
        match failure {
            ResolveFailure::Missing => {
                self.report(
                    module,
                    location,
                    Diagnostic::error(
                        "MISSING_EXPORT",
                        format!("\"{name}\" is not exported by \"{dependency}\", imported by \"{importer}\""),
                    ),
                );
                None
            }
            ResolveFailure::Circular => {
                self.report(
                    module,
                    location,
                    Diagnostic::error(
                        "CIRCULAR_REEXPORT",
                        format!("\"{name}\" cannot be exported from \"{dependency}\": it is a circular re-export of itself"),
                    ),
                );
                None
            }
            ResolveFailure::Ambiguous(candidates) => {
                let sources: Vec<String> = candidates
                    .iter()
                    .map(|candidate| match candidate {
                        Binding::Symbol { module, .. } | Binding::Namespace(module) => {
                            format!("\"{}\"", self.display_name(*module))
                        }
                        Binding::External { external, .. } => {
                            format!("\"{}\"", self.graph.externals[*external as usize])
                        }
                    })
                    .collect();
                self.report(
                    module,
                    location,
                    Diagnostic::error(
                        "AMBIGUOUS_EXPORT",
                        format!(
                            "\"{name}\" is exported by more than one `export *` of \"{dependency}\" (from {}), so it cannot be imported",
                            sources.join(" and ")
                        ),
                    ),
                );
                None
            }
            ResolveFailure::Unresolved => None,
        }
    }

    /// Every explicit re-export and local export must name something, even when nothing
    /// imports it (the module would fail to link in a JavaScript engine).
    fn check_exports(&mut self, resolver: &mut ExportResolver<'_>) {
        for module in 0..self.graph.modules.len() as ModuleId {
            let record = self.records[module as usize];
            for (index, entry) in record.exports.iter().enumerate() {
                let (name, dependency) = match &entry.target {
                    ExportTarget::ReExport {
                        imported: ImportedName::Namespace,
                        ..
                    } => continue,
                    ExportTarget::ReExport {
                        request,
                        imported: ImportedName::Named(name),
                    } => (name.clone(), self.dependency_name(module, *request)),
                    ExportTarget::Local(local) => (local.clone(), self.display_name(module)),
                };
                if let Err(failure) = resolver.resolve_export(module, &entry.exported) {
                    self.report_failure(
                        module,
                        Location::Export(index as u32),
                        failure,
                        &name,
                        &dependency,
                    );
                }
            }
        }
    }

    fn bind_namespace_members(
        &mut self,
        resolver: &mut ExportResolver<'_>,
        import_bindings: &[FxHashMap<Name, Binding>],
    ) -> Vec<FxHashMap<(Name, Name), Binding>> {
        let mut all = Vec::with_capacity(self.graph.modules.len());
        for module in 0..self.graph.modules.len() as ModuleId {
            let mut bindings = FxHashMap::default();
            for facts in &self.facts[module as usize] {
                for (namespace, member) in &facts.namespace_members {
                    let key = (namespace.clone(), member.clone());
                    if bindings.contains_key(&key) {
                        continue;
                    }
                    match import_bindings[module as usize].get(namespace) {
                        Some(Binding::Namespace(target)) => {
                            match resolver.resolve_export(*target, member) {
                                Ok(binding) => {
                                    bindings.insert(key, binding);
                                }
                                Err(_) => {
                                    let dependency = self.display_name(*target);
                                    let importer = self.display_name(module);
                                    self.report(
                                        module,
                                        Location::NamespaceMember {
                                            namespace: namespace.clone(),
                                            member: member.clone(),
                                        },
                                        Diagnostic::warning(
                                            "MISSING_EXPORT",
                                            format!("\"{member}\" is not exported by \"{dependency}\", read through a namespace in \"{importer}\"; it is undefined"),
                                        ),
                                    );
                                }
                            }
                        }
                        Some(Binding::External {
                            external,
                            imported: ImportedName::Namespace,
                        }) => {
                            bindings.insert(
                                key,
                                Binding::External {
                                    external: *external,
                                    imported: ImportedName::Named(member.clone()),
                                },
                            );
                        }
                        _ => {}
                    }
                }
            }
            all.push(bindings);
        }
        all
    }

    fn declaring_items(&self) -> Vec<FxHashMap<Name, Vec<u32>>> {
        self.facts
            .iter()
            .map(|items| {
                let mut declaring: FxHashMap<Name, Vec<u32>> = FxHashMap::default();
                for (index, facts) in items.iter().enumerate() {
                    for name in &facts.declares {
                        declaring
                            .entry(name.clone())
                            .or_default()
                            .push(index as u32);
                    }
                }
                declaring
            })
            .collect()
    }

    fn module_stem(&self, module: ModuleId) -> String {
        let path = self.path(module);
        let stem = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        if stem == "index"
            && let Some(parent) = path.parent().and_then(Path::file_name)
        {
            return legal_identifier(&parent.to_string_lossy());
        }
        legal_identifier(&stem)
    }

    fn is_included(&self, liveness: &Liveness, module: ModuleId) -> bool {
        if self.graph.modules[module as usize].is_lazy {
            liveness.lazy_included[module as usize]
        } else {
            true
        }
    }

    fn assign_names(
        &self,
        liveness: &Liveness,
        import_bindings: &[FxHashMap<Name, Binding>],
        member_bindings: &[FxHashMap<(Name, Name), Binding>],
    ) -> Names {
        // Who refers to each binding, and under which local name.
        let mut users: FxHashMap<Binding, Users> = FxHashMap::default();
        let mut globals = Vec::new();
        for module in 0..self.graph.modules.len() as ModuleId {
            if !self.is_included(liveness, module) {
                continue;
            }
            let record = self.records[module as usize];
            globals.extend(record.global_names.iter().cloned());
            for symbol in &record.symbols {
                users
                    .entry(Binding::Symbol {
                        module,
                        local: symbol.name.clone(),
                    })
                    .or_default()
                    .push((module, Some(symbol.name.clone())));
            }
            for import in &record.imports {
                if let Some(binding) = import_bindings[module as usize].get(&import.local) {
                    users
                        .entry(binding.clone())
                        .or_default()
                        .push((module, Some(import.local.clone())));
                }
            }
            let mut members: Vec<_> = member_bindings[module as usize].iter().collect();
            members.sort_unstable_by(|a, b| a.0.cmp(b.0));
            for (_, binding) in members {
                users
                    .entry(binding.clone())
                    .or_default()
                    .push((module, None));
            }
        }
        globals.sort_unstable();
        globals.dedup();
        let mut deconflicter = Deconflicter::new(self.records, globals);
        let no_users = Users::new();

        let module_order: Vec<ModuleId> = self
            .graph
            .execution_order
            .iter()
            .filter_map(|step| match step {
                ExecutionStep::Module(module) => Some(*module),
                ExecutionStep::External(_) => None,
            })
            .chain(self.graph.lazy_modules.iter().copied())
            .filter(|&module| self.is_included(liveness, module))
            .collect();

        // Declarations keep their own names where they can.
        let mut symbols: FxHashMap<(ModuleId, Name), Name> = FxHashMap::default();
        for &module in &module_order {
            let record = self.records[module as usize];
            let live = &liveness.live_items[module as usize];
            let mut declared = rustc_hash::FxHashSet::default();
            for (index, facts) in self.facts[module as usize].iter().enumerate() {
                if live[index] {
                    declared.extend(facts.declares.iter().cloned());
                }
            }
            for symbol in &record.symbols {
                if !declared.contains(&symbol.name) {
                    continue;
                }
                let preferred = if symbol.name == DEFAULT_LOCAL {
                    format!("{}_default", self.module_stem(module))
                } else {
                    symbol.name.to_string()
                };
                let binding = Binding::Symbol {
                    module,
                    local: symbol.name.clone(),
                };
                let name =
                    deconflicter.assign(&preferred, users.get(&binding).unwrap_or(&no_users));
                symbols.insert((module, symbol.name.clone()), name);
            }
        }

        // Names the bundle introduces: namespace objects, lazy initializers, externals.
        let mut namespaces = FxHashMap::default();
        let mut inits = FxHashMap::default();
        for &module in &module_order {
            let binding = Binding::Namespace(module);
            let module_users = users.get(&binding).unwrap_or(&no_users);
            if liveness.namespaces[module as usize] || self.graph.modules[module as usize].is_lazy {
                let preferred = module_users
                    .iter()
                    .find_map(|(_, local)| local.clone())
                    .map_or_else(
                        || format!("{}_exports", self.module_stem(module)),
                        |l| l.to_string(),
                    );
                namespaces.insert(module, deconflicter.assign(&preferred, module_users));
            }
            if self.graph.modules[module as usize].is_lazy {
                inits.insert(
                    module,
                    deconflicter.assign(&format!("init_{}", self.module_stem(module)), &no_users),
                );
            }
        }

        let mut externals = Vec::with_capacity(self.graph.externals.len());
        for (index, specifier) in self.graph.externals.iter().enumerate() {
            let external = index as ExternalId;
            let used = &liveness.externals[index];
            let base = legal_identifier(specifier.rsplit(['/', ':']).next().unwrap_or(specifier));
            let users_of = |imported: ImportedName| {
                users
                    .get(&Binding::External { external, imported })
                    .cloned()
                    .unwrap_or_default()
            };
            let mut linked = LinkedExternal {
                specifier: specifier.clone(),
                module_var: None,
                default_var: None,
                namespace_var: None,
                named: Vec::new(),
            };
            let namespace_users = users_of(ImportedName::Namespace);
            let wants_namespace = used.namespace || used.star_reexported;
            match self.format {
                OutputFormat::Esm => {
                    if wants_namespace {
                        let preferred = namespace_users
                            .iter()
                            .find_map(|(_, local)| local.clone())
                            .map_or(base.clone(), |local| local.to_string());
                        linked.namespace_var =
                            Some(deconflicter.assign(&preferred, &namespace_users));
                    }
                    for name in &used.named {
                        let named_users = users_of(ImportedName::Named(name.clone()));
                        let preferred = named_users
                            .iter()
                            .find_map(|(_, local)| local.clone())
                            .map_or_else(
                                || {
                                    if name == "default" {
                                        format!("{base}_default")
                                    } else {
                                        name.to_string()
                                    }
                                },
                                |local| local.to_string(),
                            );
                        let local = deconflicter.assign(&preferred, &named_users);
                        linked.named.push((name.clone(), local));
                    }
                }
                OutputFormat::Cjs | OutputFormat::Iife => {
                    let mut all_users = namespace_users.clone();
                    for name in &used.named {
                        all_users.extend(users_of(ImportedName::Named(name.clone())));
                    }
                    linked.module_var = Some(deconflicter.assign(&base, &all_users));
                    if used.named.iter().any(|name| name == "default") {
                        linked.default_var =
                            Some(deconflicter.assign(&format!("{base}__default"), &all_users));
                    }
                    if used.namespace {
                        linked.namespace_var =
                            Some(deconflicter.assign(&format!("{base}__namespace"), &all_users));
                    }
                }
            }
            externals.push(linked);
        }

        Names {
            symbols,
            namespaces,
            inits,
            externals,
        }
    }

    fn linked_module(
        &self,
        module: ModuleId,
        liveness: &Liveness,
        names: &Names,
        import_bindings: &[FxHashMap<Name, Binding>],
        member_bindings: &[FxHashMap<(Name, Name), Binding>],
        resolver: &mut ExportResolver<'_>,
    ) -> LinkedModule {
        let graph_module = &self.graph.modules[module as usize];
        let record = self.records[module as usize];
        let included = self.is_included(liveness, module);
        let live_items: Vec<u32> = if included {
            liveness.live_items[module as usize]
                .iter()
                .enumerate()
                .filter(|(_, live)| **live)
                .map(|(index, _)| index as u32)
                .collect()
        } else {
            Vec::new()
        };

        let mut symbols = FxHashMap::default();
        for symbol in &record.symbols {
            if let Some(name) = names.symbols.get(&(module, symbol.name.clone())) {
                symbols.insert(symbol.name.clone(), Replacement::identifier(name.clone()));
            }
        }
        for import in &record.imports {
            if let Some(binding) = import_bindings[module as usize].get(&import.local) {
                symbols.insert(
                    import.local.clone(),
                    names.replacement(self, Some(module), binding),
                );
            }
        }
        let mut namespace_members = FxHashMap::default();
        for facts in &self.facts[module as usize] {
            for member in &facts.namespace_members {
                let replacement = match member_bindings[module as usize].get(member) {
                    Some(binding) => names.replacement(self, Some(module), binding),
                    None => Replacement::other("void 0"),
                };
                namespace_members.insert(member.clone(), replacement);
            }
        }
        let mut dynamic_imports = FxHashMap::default();
        for (index, specifier) in record.dynamic_requests.iter().enumerate() {
            let replacement = match graph_module.dynamic_dependencies[index] {
                Dependency::Module(target) => {
                    let value = match names.inits.get(&target) {
                        Some(init) => format!("{init}()"),
                        None => names
                            .namespaces
                            .get(&target)
                            .map_or_else(|| "{}".to_owned(), ToString::to_string),
                    };
                    Replacement::primary(format!(
                        "Promise.resolve().then(function () {{ return {value}; }})"
                    ))
                }
                Dependency::External(_) => match self.format {
                    OutputFormat::Esm => {
                        Replacement::primary(format!("import({})", string_literal(specifier)))
                    }
                    _ => Replacement::primary(format!(
                        "Promise.resolve().then(function () {{ return /*#__PURE__*/_interopNamespaceDefault(require({})); }})",
                        string_literal(specifier)
                    )),
                },
                Dependency::Unresolved => {
                    Replacement::primary("Promise.reject(new Error(\"unresolved import\"))")
                }
            };
            dynamic_imports.insert(specifier.clone(), replacement);
        }

        let namespace = names.namespaces.get(&module).map(|name| {
            let mut members = Vec::new();
            for export in resolver.exported_names(module) {
                if let Ok(binding) = resolver.resolve_export(module, &export) {
                    members.push((export, names.replacement(self, Some(module), &binding)));
                }
            }
            let external_stars = resolver
                .external_stars(module)
                .into_iter()
                .filter_map(|external| {
                    names.externals[external as usize]
                        .module_var
                        .clone()
                        .or_else(|| names.externals[external as usize].namespace_var.clone())
                })
                .collect();
            NamespaceObject {
                name: name.clone(),
                members,
                external_stars,
            }
        });
        let init = names.inits.get(&module).map(|name| LazyInit {
            name: name.clone(),
            dependencies: graph_module
                .dependencies
                .iter()
                .filter_map(|dependency| match dependency {
                    Dependency::Module(target) => names.inits.get(target).cloned(),
                    _ => None,
                })
                .collect(),
        });
        let preserved_class_names = self.preserved_class_names(
            module,
            &live_items,
            names,
            &symbols,
            &namespace_members,
            &dynamic_imports,
        );
        let import_meta = match self.format {
            OutputFormat::Esm => Replacement::member("import", "meta"),
            _ => Replacement::other("{ url: require('url').pathToFileURL(__filename).href }"),
        };
        LinkedModule {
            file: graph_module.file,
            is_lazy: graph_module.is_lazy,
            live_items,
            namespace,
            init,
            symbols,
            namespace_members,
            dynamic_imports,
            import_meta,
            preserved_class_names,
        }
    }

    /// A renamed class keeps its `.name` by printing as `let final = class original {}`,
    /// which binds `original` inside the class; that is only safe if nothing the class
    /// refers to is spelled `original` in the output.
    fn preserved_class_names(
        &self,
        module: ModuleId,
        live_items: &[u32],
        names: &Names,
        symbols: &FxHashMap<Name, Replacement>,
        namespace_members: &FxHashMap<(Name, Name), Replacement>,
        dynamic_imports: &FxHashMap<Name, Replacement>,
    ) -> Vec<Name> {
        let mut preserved = Vec::new();
        for &item in live_items {
            let facts = self.facts[module as usize][item as usize];
            for class in &facts.class_names {
                let Some(final_name) = names.symbols.get(&(module, class.clone())) else {
                    continue;
                };
                if final_name == class {
                    continue;
                }
                let captures = facts
                    .references
                    .iter()
                    .filter(|reference| *reference != class)
                    .filter_map(|reference| symbols.get(reference))
                    .chain(
                        facts
                            .namespace_members
                            .iter()
                            .filter_map(|member| namespace_members.get(member)),
                    )
                    .chain(
                        facts
                            .dynamic_imports
                            .iter()
                            .filter_map(|specifier| dynamic_imports.get(specifier)),
                    )
                    .any(|replacement| mentions_identifier(&replacement.text, class));
                if !captures {
                    preserved.push(class.clone());
                }
            }
        }
        preserved.sort_unstable();
        preserved.dedup();
        preserved
    }
}

/// Whether `text` (generated code) contains the identifier `name`.
fn mentions_identifier(text: &str, name: &str) -> bool {
    text.split(|c: char| !(c == '$' || c == '_' || c.is_alphanumeric()))
        .any(|token| token == name)
}

/// The final names link assigned.
struct Names {
    symbols: FxHashMap<(ModuleId, Name), Name>,
    namespaces: FxHashMap<ModuleId, Name>,
    inits: FxHashMap<ModuleId, Name>,
    externals: Vec<LinkedExternal>,
}

impl Names {
    /// The text that stands for `binding` in module `from` (`None`: at the bundle's top level).
    fn replacement(
        &self,
        linker: &Linker<'_>,
        from: Option<ModuleId>,
        binding: &Binding,
    ) -> Replacement {
        match binding {
            Binding::Symbol { module, local } => {
                let name = self
                    .symbols
                    .get(&(*module, local.clone()))
                    .cloned()
                    .unwrap_or_else(|| local.clone());
                let target_is_lazy = linker.graph.modules[*module as usize].is_lazy;
                if target_is_lazy && from != Some(*module) {
                    // A lazy module's bindings live inside its initializer; others read
                    // them through its namespace object.
                    let record = linker.records[*module as usize];
                    let export = record.exports.iter().find(|entry| {
                        matches!(&entry.target, ExportTarget::Local(target) if target == local)
                    });
                    if let (Some(export), Some(namespace)) = (export, self.namespaces.get(module)) {
                        return Replacement::member(namespace, &export.exported);
                    }
                }
                Replacement::identifier(name)
            }
            Binding::Namespace(module) => Replacement::identifier(
                self.namespaces
                    .get(module)
                    .cloned()
                    .unwrap_or_else(|| Name::from("undefined")),
            ),
            Binding::External { external, imported } => {
                let linked = &self.externals[*external as usize];
                match (linker.format, imported) {
                    (OutputFormat::Esm, ImportedName::Namespace) => Replacement::identifier(
                        linked.namespace_var.clone().unwrap_or_default_name(),
                    ),
                    (OutputFormat::Esm, ImportedName::Named(name)) => Replacement::identifier(
                        linked
                            .named
                            .iter()
                            .find(|(imported, _)| imported == name)
                            .map(|(_, local)| local.clone())
                            .unwrap_or_default_name(),
                    ),
                    (_, ImportedName::Namespace) => Replacement::identifier(
                        linked
                            .namespace_var
                            .clone()
                            .or_else(|| linked.module_var.clone())
                            .unwrap_or_default_name(),
                    ),
                    (_, ImportedName::Named(name)) if name == "default" => Replacement::member(
                        linked.default_var.as_deref().unwrap_or("undefined"),
                        "default",
                    ),
                    (_, ImportedName::Named(name)) => Replacement::member(
                        linked.module_var.as_deref().unwrap_or("undefined"),
                        name,
                    ),
                }
            }
        }
    }
}

trait OrUndefined {
    fn unwrap_or_default_name(self) -> Name;
}

impl OrUndefined for Option<Name> {
    fn unwrap_or_default_name(self) -> Name {
        self.unwrap_or_else(|| Name::from("undefined"))
    }
}

/// Whether `text` can follow a `.` as a property name.
pub fn is_identifier_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|first| first == '$' || first == '_' || first.is_alphabetic())
        && chars.all(|c| c == '$' || c == '_' || c.is_alphanumeric())
}

/// A JavaScript string literal for `text`.
pub fn string_literal(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}
