//! Pass 2: binding every import, re-export and namespace member read of every module to
//! the declaration it names ([`ExportResolver`] does the spec's `ResolveExport`), and
//! reporting what does not bind: missing, ambiguous and circular exports.

use rustc_hash::FxHashMap;

use super::{
    Linker, Location,
    graph::{Dependency, ModuleId},
    resolve_exports::{Binding, ExportResolver, ResolveFailure},
    tree_shaking::Liveness,
};
use crate::{
    diagnostics::Diagnostic,
    parse::{ExportTarget, ImportedName, Name},
};

impl Linker<'_> {
    pub(super) fn report_unresolved(&mut self) {
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

    pub(super) fn bind_imports(
        &mut self,
        resolver: &mut ExportResolver<'_>,
    ) -> Vec<FxHashMap<Name, Binding>> {
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
    pub(super) fn warn_guessed_external(
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
    pub(super) fn warn_namespace_conflicts(
        &mut self,
        resolver: &mut ExportResolver<'_>,
        liveness: &Liveness,
    ) {
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
    pub(super) fn report_failure(
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
    pub(super) fn check_exports(&mut self, resolver: &mut ExportResolver<'_>) {
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

    pub(super) fn bind_namespace_members(
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
}
