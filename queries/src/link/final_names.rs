//! Final names for every live top-level binding, namespace object, lazy initializer and
//! external binding, chosen by the [`Deconflicter`] in execution order so that declarations
//! keep their own names where they can. Global, projected back per module.

use rustc_hash::FxHashMap;

use super::{
    Binding,
    bind_imports::module_bindings,
    deconflict::{Deconflicter, Users},
    graph::{Dependency, ExecutionStep, module_dependencies, module_graph},
    module_stem,
    tree_shaking::liveness,
};
use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    files::SourceFile,
    names,
    parse::{DEFAULT_LOCAL, ImportedName, ModuleKind, Name, module_facts, module_record},
};

/// The names one module's bindings get in the bundle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModuleNames {
    /// Local name and final name of every binding its live items declare, sorted by local.
    pub symbols: Vec<(Name, Name)>,
    /// Its namespace object's variable, when it has one.
    pub namespace: Option<Name>,
    /// Its initializer, when it is a lazy ES module.
    pub init: Option<Name>,
    /// A CommonJS module: the function that runs it once and returns its `module.exports`.
    pub require: Option<Name>,
    /// A CommonJS module imported by ES modules: its exports as they see them
    /// (`__toESM(require_x())`), and as node-mode importers see them.
    pub interop: Option<Name>,
    pub node_interop: Option<Name>,
}

impl ModuleNames {
    pub fn symbol(&self, local: &str) -> Option<&Name> {
        self.symbols
            .binary_search_by(|(name, _)| name.as_str().cmp(local))
            .ok()
            .map(|index| &self.symbols[index].1)
    }
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

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FinalNames {
    /// One per module, in graph order.
    pub modules: Vec<ModuleNames>,
    /// One per external, in graph order.
    pub externals: Vec<LinkedExternal>,
}

/// Names every binding of the bundle.
#[salsa::tracked(returns(ref))]
pub fn final_names(db: &dyn Db, config: BuildConfig) -> FinalNames {
    let _span = tracing::debug_span!("final_names").entered();
    let graph = module_graph(db, config);
    let liveness = liveness(db, config);
    let format = config.format(db);

    // Who refers to each binding from another module (or as a namespace member), and under
    // which local name; and the globals any included module reads. A declaration's own
    // module is added when it is named.
    let mut users: FxHashMap<Binding, Users> = FxHashMap::default();
    // Who refers to a CommonJS module's ES view (by mode), and to its `require_x`.
    let mut interop_users: FxHashMap<(SourceFile, bool), Users> = FxHashMap::default();
    let mut require_users: FxHashMap<SourceFile, Users> = FxHashMap::default();
    let mut globals = Vec::new();
    let mut nested_names = FxHashMap::default();
    for (index, module) in graph.modules.iter().enumerate() {
        if !liveness.modules[index].included {
            continue;
        }
        let file = module.file;
        let record = module_record(db, file);
        nested_names.insert(file, record.nested_names.as_slice());
        globals.extend(record.global_names.iter().cloned());
        let bindings = module_bindings(db, config, file);
        for (local, binding) in &bindings.imports {
            users
                .entry(binding.clone())
                .or_default()
                .push((file, Some(local.clone())));
        }
        for (_, binding) in &bindings.members {
            users.entry(binding.clone()).or_default().push((file, None));
        }
        for (local, binding) in bindings
            .imports
            .iter()
            .map(|(local, binding)| (local, binding))
            .chain(
                bindings
                    .members
                    .iter()
                    .map(|((namespace, _), binding)| (namespace, binding)),
            )
        {
            if let Binding::CommonJs {
                module, node_mode, ..
            } = binding
            {
                interop_users
                    .entry((*module, *node_mode))
                    .or_default()
                    .push((file, Some(local.clone())));
            }
        }
        for dependency in module_dependencies(db, config, file).requires() {
            if let Dependency::Module(target) = dependency {
                require_users.entry(*target).or_default().push((file, None));
            }
        }
    }
    globals.sort_unstable();
    globals.dedup();
    let mut deconflicter = Deconflicter::new(nested_names, globals);
    let no_users = Users::new();

    let module_order: Vec<usize> = graph
        .execution_order
        .iter()
        .filter_map(|step| match step {
            ExecutionStep::Module(file) => Some(graph.index[file] as usize),
            ExecutionStep::External(_) => None,
        })
        .chain(
            graph
                .lazy_modules
                .iter()
                .map(|file| graph.index[file] as usize),
        )
        .filter(|&index| liveness.modules[index].included)
        .collect();
    // Modules with a direct `eval` name their declarations first, so that they keep their
    // own names (the evaluated code refers to them by those names).
    let declaration_order: Vec<usize> = module_order
        .iter()
        .copied()
        .filter(|&index| module_record(db, graph.modules[index].file).has_direct_eval)
        .chain(
            module_order
                .iter()
                .copied()
                .filter(|&index| !module_record(db, graph.modules[index].file).has_direct_eval),
        )
        .collect();

    let mut modules = vec![ModuleNames::default(); graph.modules.len()];
    // Declarations first, so they keep their own names where they can.
    for &index in &declaration_order {
        let file = graph.modules[index].file;
        let record = module_record(db, file);
        let facts = module_facts(db, file);
        let live = &liveness.modules[index].live_items;
        let mut symbols = Vec::new();
        for symbol in &record.symbols {
            // Named when a live item declares it.
            let declared = facts
                .declaring(&symbol.name)
                .iter()
                .any(|item| live.binary_search(item).is_ok());
            if !declared {
                continue;
            }
            let preferred = if symbol.name == DEFAULT_LOCAL {
                format!("{}_default", module_stem(file.path(db)))
            } else {
                symbol.name.to_string()
            };
            let binding = Binding::Symbol {
                module: file,
                local: symbol.name.clone(),
            };
            let mut symbol_users = users.remove(&binding).unwrap_or_default();
            symbol_users.push((file, Some(symbol.name.clone())));
            let name = deconflicter.assign(&preferred, &symbol_users);
            symbols.push((symbol.name.clone(), name));
        }
        symbols.sort_unstable();
        modules[index].symbols = symbols;
    }

    // Then the names the bundle introduces: namespace objects and lazy initializers.
    for &index in &module_order {
        let module = &graph.modules[index];
        let stem = module_stem(module.file.path(db));
        if module_record(db, module.file).kind == ModuleKind::CommonJs {
            let users = require_users.get(&module.file).unwrap_or(&no_users);
            modules[index].require = Some(deconflicter.assign(&format!("require_{stem}"), users));
            let interop = liveness.modules[index].interop;
            for (used, node_mode) in [(interop.babel, false), (interop.node, true)] {
                if !used {
                    continue;
                }
                let users = interop_users
                    .get(&(module.file, node_mode))
                    .unwrap_or(&no_users);
                let name = deconflicter.assign(&format!("import_{stem}"), users);
                if node_mode {
                    modules[index].node_interop = Some(name);
                } else {
                    modules[index].interop = Some(name);
                }
            }
            continue;
        }
        if liveness.modules[index].namespace || module.is_lazy {
            let binding = Binding::Namespace(module.file);
            let module_users = users.get(&binding).unwrap_or(&no_users);
            let preferred = module_users
                .iter()
                .find_map(|(_, local)| local.clone())
                .map_or_else(|| format!("{stem}_exports"), |local| local.to_string());
            modules[index].namespace = Some(deconflicter.assign(&preferred, module_users));
        }
        if module.is_lazy {
            modules[index].init = Some(deconflicter.assign(&format!("init_{stem}"), &no_users));
        }
    }

    let externals = graph
        .externals
        .iter()
        .zip(&liveness.externals)
        .map(|(specifier, used)| {
            let base =
                names::legal_identifier(specifier.rsplit(['/', ':']).next().unwrap_or(specifier));
            let users_of = |imported: ImportedName| {
                users
                    .get(&Binding::External {
                        specifier: specifier.clone(),
                        imported,
                    })
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
            match format {
                OutputFormat::Esm => {
                    if used.namespace || used.star_reexported {
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
            linked
        })
        .collect();

    FinalNames { modules, externals }
}

/// How each external module is loaded and named.
#[salsa::tracked(returns(ref))]
pub fn external_names(db: &dyn Db, config: BuildConfig) -> Vec<LinkedExternal> {
    final_names(db, config).externals.clone()
}
