//! Pass 4: final names for every live top-level binding, namespace object, lazy initializer
//! and external binding, chosen by the [`Deconflicter`] in execution order so declarations
//! keep their own names where they can.

use std::path::Path;

use rustc_hash::FxHashMap;

use super::{
    LinkedExternal, Linker,
    deconflict::{Deconflicter, Users, legal_identifier},
    graph::{ExecutionStep, ExternalId, ModuleId},
    resolve_exports::Binding,
    tree_shaking::Liveness,
};
use crate::{
    config::OutputFormat,
    parse::{DEFAULT_LOCAL, ImportedName, Name},
};

/// The final names link assigned.
pub(super) struct Names {
    pub symbols: FxHashMap<(ModuleId, Name), Name>,
    pub namespaces: FxHashMap<ModuleId, Name>,
    pub inits: FxHashMap<ModuleId, Name>,
    pub externals: Vec<LinkedExternal>,
}

impl Linker<'_> {
    pub(super) fn module_stem(&self, module: ModuleId) -> String {
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

    pub(super) fn is_included(&self, liveness: &Liveness, module: ModuleId) -> bool {
        if self.graph.modules[module as usize].is_lazy {
            liveness.lazy_included[module as usize]
        } else {
            true
        }
    }

    pub(super) fn assign_names(
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
}
