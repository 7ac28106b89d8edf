//! Binding one module's imports and namespace member reads to the declarations they name,
//! through its dependencies' export tables. When a module's exports change, only the
//! modules that import from it (directly or through re-exports) bind again.

use super::{
    Binding, LinkDiagnostic, Location, ResolveFailure, display_name,
    graph::{Dependency, module_dependencies},
    resolve_exports::{dependency_name, failure_diagnostic, module_exports},
};
use crate::{
    Db,
    config::BuildConfig,
    diagnostics::Diagnostic,
    files::SourceFile,
    parse::{
        ImportedName, ModuleKind, Name, import_locals, module_ignores_this, module_imports,
        module_kind, module_static_object,
    },
};

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModuleBindings {
    /// Import locals that bound, sorted by local name.
    pub imports: Vec<(Name, Binding)>,
    /// For each of the module's import locals (`parse::import_locals`, by place), where
    /// it is in [`Self::imports`] (`u32::MAX` if it did not bind): how a reference the
    /// facts record by that place finds its import.
    import_of_local: Vec<u32>,
    /// `namespace.member` reads that bound, sorted.
    pub members: Vec<((Name, Name), Binding)>,
    /// `import.member` reads of an imported object whose members may be read in place (see
    /// `parse::static_objects`), sorted.
    pub object_members: Vec<((Name, Name), ObjectMember)>,
    pub diagnostics: Vec<LinkDiagnostic>,
}

/// A member of an object another module declares, read by an import of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectMember {
    /// The module that declares the object, and its binding there.
    pub module: SourceFile,
    pub object: Name,
    /// The declaration the member holds, read in its place when nothing else keeps the
    /// object (`link::read_member_in_place`).
    pub property: Binding,
}

impl ModuleBindings {
    pub fn import(&self, local: &str) -> Option<&Binding> {
        self.import_index(local).map(|index| &self.imports[index].1)
    }

    /// Where the import whose local is `rank`th among the module's import locals
    /// (`parse::Referenced::Import`) is in [`Self::imports`], if it bound.
    pub fn import_of_local(&self, rank: usize) -> Option<usize> {
        match self.import_of_local.get(rank) {
            Some(&index) if index != u32::MAX => Some(index as usize),
            _ => None,
        }
    }

    /// Where the import `local` is in [`Self::imports`], if it bound.
    pub fn import_index(&self, local: &str) -> Option<usize> {
        self.imports
            .binary_search_by(|(name, _)| name.as_str().cmp(local))
            .ok()
    }

    pub fn object_member(&self, import: &Name, member: &Name) -> Option<&ObjectMember> {
        self.object_members
            .binary_search_by(|((i, m), _)| (i, m).cmp(&(import, member)))
            .ok()
            .map(|index| &self.object_members[index].1)
    }

    pub fn member(&self, namespace: &Name, member: &Name) -> Option<&Binding> {
        self.members
            .binary_search_by(|((n, m), _)| (n, m).cmp(&(namespace, member)))
            .ok()
            .map(|index| &self.members[index].1)
    }
}

/// Binds the imports of `file`.
#[salsa::tracked(returns(ref))]
pub fn module_bindings(db: &dyn Db, config: BuildConfig, file: SourceFile) -> ModuleBindings {
    let record = module_imports(db, file);
    let dependencies = module_dependencies(db, config, file);
    let importer = display_name(db, file);
    let mut bindings = ModuleBindings::default();

    for (index, import) in record.imports.iter().enumerate() {
        let location = Location::Import(index as u32);
        let resolved = match (
            &dependencies.dependencies[import.request as usize],
            &import.imported,
        ) {
            (Dependency::Module(target), imported)
                if module_kind(db, *target) == ModuleKind::CommonJs =>
            {
                Ok(Binding::commonjs(
                    *target,
                    imported.clone(),
                    record.node_mode,
                ))
            }
            (Dependency::Module(target), ImportedName::Namespace) => {
                Ok(Binding::Namespace(*target))
            }
            (Dependency::Module(target), ImportedName::Named(name)) => {
                let exports = module_exports(db, config, *target);
                let resolved = exports.lookup(name);
                if let Ok(Binding::External { specifier, .. }) = &resolved
                    && exports.external_stars.len() > 1
                {
                    // Only an external `export *` can provide the name, and there are
                    // several: rollup takes the first; say so.
                    let candidates: Vec<String> = exports
                        .external_stars
                        .iter()
                        .map(|star| format!("\"{star}\""))
                        .collect();
                    bindings.diagnostics.push(LinkDiagnostic::new(
                        db,
                        file,
                        location.clone(),
                        Diagnostic::warning(
                            "AMBIGUOUS_EXTERNAL_NAMESPACES",
                            format!(
                                "\"{name}\" may come from any of {} re-exported by \"{}\"; guessing \"{specifier}\"",
                                candidates.join(", "),
                                display_name(db, *target)
                            ),
                        ),
                    ));
                }
                resolved
            }
            (Dependency::External(specifier), imported) => Ok(Binding::External {
                specifier: specifier.clone(),
                imported: imported.clone(),
            }),
            (Dependency::Unresolved, _) => Err(ResolveFailure::Unresolved),
        };
        match resolved {
            Ok(binding) => bindings.imports.push((import.local.clone(), binding)),
            Err(failure) => {
                let name = match &import.imported {
                    ImportedName::Named(name) => name.as_str(),
                    ImportedName::Namespace => "*",
                };
                let dependency =
                    dependency_name(db, config, file, &record.requests, import.request);
                if let Some(diagnostic) =
                    failure_diagnostic(db, &failure, name, &dependency, &importer)
                {
                    bindings
                        .diagnostics
                        .push(LinkDiagnostic::new(db, file, location, diagnostic));
                }
            }
        }
    }

    bindings.imports.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    bindings.import_of_local = import_locals(&record.imports)
        .into_iter()
        .map(|local| {
            bindings
                .import_index(local)
                .map_or(u32::MAX, |index| index as u32)
        })
        .collect();
    for (namespace, member) in record.namespace_members.iter().cloned() {
        let bound = match bindings.import(&namespace) {
            Some(Binding::Namespace(target)) => {
                let target = *target;
                // With `--minify-syntax` a named import of a namespace (`export * as ns`)
                // has its member reads bound too (see `parse::static_objects`); only an
                // `import * as` says the member is missing, in every mode alike.
                let syntactic = record.imports.iter().any(|import| {
                    import.local == namespace && import.imported == ImportedName::Namespace
                });
                match module_exports(db, config, target).lookup(&member) {
                    Ok(binding) => Some(binding),
                    Err(_) if !syntactic => None,
                    Err(_) => {
                        let dependency = display_name(db, target);
                        bindings.diagnostics.push(LinkDiagnostic::new(
                            db,
                            file,
                            Location::NamespaceMember {
                                namespace: namespace.clone(),
                                member: member.clone(),
                            },
                            Diagnostic::warning(
                                "MISSING_EXPORT",
                                format!(
                                    "\"{member}\" is not exported by \"{dependency}\", read through a namespace in \"{importer}\"; it is undefined"
                                ),
                            ),
                        ));
                        None
                    }
                }
            }
            // A member of the namespace reads the same view the namespace is: in node mode
            // only the names node detects are there.
            Some(Binding::CommonJs {
                module,
                imported: ImportedName::Namespace,
                node_mode,
            }) => Some(Binding::CommonJs {
                module: *module,
                imported: ImportedName::Named(member.clone()),
                node_mode: *node_mode,
            }),
            Some(Binding::External {
                specifier,
                imported: ImportedName::Namespace,
            }) => Some(Binding::External {
                specifier: specifier.clone(),
                imported: ImportedName::Named(member.clone()),
            }),
            _ => None,
        };
        if let Some(binding) = bound {
            bindings.members.push(((namespace, member), binding));
        }
    }
    for (import, member) in &record.namespace_members {
        if let Some(Binding::Symbol { module, local }) = bindings.import(import)
            && let Some(properties) = module_static_object(db, *module, local)
            && let Ok(index) = properties.binary_search_by(|(key, _)| key.cmp(member))
            && let Some(property) = declaration_of(db, config, *module, &properties[index].1)
            && (record
                .called_members
                .binary_search(&(import.clone(), member.clone()))
                .is_err()
                || ignores_this(db, &property))
        {
            let object_member = ObjectMember {
                module: *module,
                object: local.clone(),
                property,
            };
            bindings
                .object_members
                .push(((import.clone(), member.clone()), object_member));
        }
    }
    bindings
}

/// Whether `binding` is a function that never reads `this`: called as an object's member,
/// it does what it does called alone.
fn ignores_this(db: &dyn Db, binding: &Binding) -> bool {
    match binding {
        Binding::Symbol { module, local } => module_ignores_this(db, *module, local),
        _ => false,
    }
}

/// The declaration `local`, a top-level binding of `file`, stands for: its own, or the one
/// the import it is names. None for anything else (a namespace, CommonJS, an external): an
/// importer reads only declarations of ES modules in place of an object's members.
fn declaration_of(
    db: &dyn Db,
    config: BuildConfig,
    file: SourceFile,
    local: &Name,
) -> Option<Binding> {
    let imports = module_imports(db, file);
    let Some(import) = imports.imports.iter().find(|import| import.local == *local) else {
        return Some(Binding::Symbol {
            module: file,
            local: local.clone(),
        });
    };
    let ImportedName::Named(name) = &import.imported else {
        return None;
    };
    let Dependency::Module(target) =
        module_dependencies(db, config, file).dependencies[import.request as usize]
    else {
        return None;
    };
    if module_kind(db, target) == ModuleKind::CommonJs {
        return None;
    }
    match module_exports(db, config, target).lookup(name) {
        Ok(binding @ Binding::Symbol { .. }) => Some(binding),
        _ => None,
    }
}
