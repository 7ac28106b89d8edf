//! The module graph: every module the entries reach (statically or through `import()`), what
//! each import specifier resolved to, and the order modules execute in.

use oxc::str::CompactStr;
use rustc_hash::FxHashMap;

use crate::{
    Db,
    config::{BuildConfig, is_external},
    files::SourceFile,
    parse::{Name, module_record},
    resolve::{Resolution, resolve_import},
};

/// Index of a module in [`ModuleGraph::modules`].
pub type ModuleId = u32;
/// Index of an external module in [`ModuleGraph::externals`].
pub type ExternalId = u32;

/// What one import specifier of a module points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dependency {
    Module(ModuleId),
    External(ExternalId),
    /// Resolution failed; a diagnostic says why.
    Unresolved,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphModule {
    pub file: SourceFile,
    /// One per `ModuleRecord::requests` entry.
    pub dependencies: Vec<Dependency>,
    /// One per `ModuleRecord::dynamic_requests` entry.
    pub dynamic_dependencies: Vec<Dependency>,
    /// False when the module's package declares it free of side effects.
    pub has_side_effects: bool,
    /// Reached only through `import()`: it executes when first imported, not at startup.
    pub is_lazy: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExecutionStep {
    Module(ModuleId),
    External(ExternalId),
}

/// An import specifier a dependency resolved to, with the reason when it did not resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnresolvedImport {
    pub importer: ModuleId,
    pub dynamic: bool,
    /// Index into the importer's `requests` or `dynamic_requests`.
    pub request: u32,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModuleGraph {
    pub modules: Vec<GraphModule>,
    /// External specifiers, in the order they are first imported.
    pub externals: Vec<Name>,
    /// What runs at startup, in execution order (dependencies first): the eager modules and
    /// the external modules they import.
    pub execution_order: Vec<ExecutionStep>,
    /// Modules that run when first imported dynamically, in discovery order.
    pub lazy_modules: Vec<ModuleId>,
    pub entries: Vec<ModuleId>,
    pub unresolved: Vec<UnresolvedImport>,
}

impl ModuleGraph {
    pub fn module_of(&self, file: SourceFile) -> Option<ModuleId> {
        self.modules
            .iter()
            .position(|module| module.file == file)
            .map(|index| index as ModuleId)
    }
}

/// Discovers the graph from the entries.
#[salsa::tracked(returns(ref))]
pub fn module_graph(db: &dyn Db, config: BuildConfig) -> ModuleGraph {
    let _span = tracing::debug_span!("module_graph").entered();
    let mut builder = GraphBuilder {
        db,
        externals_config: config.externals(db),
        graph: ModuleGraph::default(),
        module_index: FxHashMap::default(),
        external_index: FxHashMap::default(),
    };
    for &entry in config.entries(db) {
        let id = builder.add_module(entry, true);
        if !builder.graph.entries.contains(&id) {
            builder.graph.entries.push(id);
        }
    }
    // Resolve breadth-first so module ids follow discovery order.
    let mut next = 0;
    while next < builder.graph.modules.len() {
        builder.resolve_dependencies(next as ModuleId);
        next += 1;
    }
    builder.order_execution();
    builder.graph
}

struct GraphBuilder<'db> {
    db: &'db dyn Db,
    externals_config: &'db [String],
    graph: ModuleGraph,
    module_index: FxHashMap<SourceFile, ModuleId>,
    external_index: FxHashMap<Name, ExternalId>,
}

impl GraphBuilder<'_> {
    fn add_module(&mut self, file: SourceFile, has_side_effects: bool) -> ModuleId {
        if let Some(&id) = self.module_index.get(&file) {
            if has_side_effects {
                self.graph.modules[id as usize].has_side_effects = true;
            }
            return id;
        }
        let id = self.graph.modules.len() as ModuleId;
        self.graph.modules.push(GraphModule {
            file,
            dependencies: Vec::new(),
            dynamic_dependencies: Vec::new(),
            has_side_effects,
            is_lazy: false,
        });
        self.module_index.insert(file, id);
        id
    }

    fn add_external(&mut self, specifier: &str) -> ExternalId {
        let next = self.graph.externals.len() as ExternalId;
        *self
            .external_index
            .entry(CompactStr::from(specifier))
            .or_insert_with(|| {
                self.graph.externals.push(CompactStr::from(specifier));
                next
            })
    }

    fn dependency(
        &mut self,
        importer: ModuleId,
        specifier: &Name,
        dynamic: bool,
        request: u32,
    ) -> Dependency {
        if is_external(self.externals_config, specifier) {
            return Dependency::External(self.add_external(specifier));
        }
        let file = self.graph.modules[importer as usize].file;
        match resolve_import(self.db, file, specifier.clone()) {
            Resolution::Module {
                file,
                has_side_effects,
            } => Dependency::Module(self.add_module(*file, *has_side_effects)),
            Resolution::Ignored => Dependency::Unresolved,
            Resolution::NotFound { reason } => {
                self.graph.unresolved.push(UnresolvedImport {
                    importer,
                    dynamic,
                    request,
                    reason: reason.clone(),
                });
                Dependency::Unresolved
            }
        }
    }

    fn resolve_dependencies(&mut self, id: ModuleId) {
        let file = self.graph.modules[id as usize].file;
        let record = module_record(self.db, file);
        let dependencies = record
            .requests
            .iter()
            .enumerate()
            .map(|(index, specifier)| self.dependency(id, specifier, false, index as u32))
            .collect();
        let dynamic_dependencies = record
            .dynamic_requests
            .iter()
            .enumerate()
            .map(|(index, specifier)| self.dependency(id, specifier, true, index as u32))
            .collect();
        let module = &mut self.graph.modules[id as usize];
        module.dependencies = dependencies;
        module.dynamic_dependencies = dynamic_dependencies;
    }

    /// Post-order depth-first traversal of static imports from each entry: the order ES
    /// modules evaluate in, cycles included. What is left, reachable only through `import()`,
    /// is lazy.
    fn order_execution(&mut self) {
        let mut visited = Visited {
            modules: vec![false; self.graph.modules.len()],
            externals: vec![false; self.graph.externals.len()],
        };
        let mut order = Vec::new();
        for &entry in &self.graph.entries {
            post_order(&self.graph.modules, entry, &mut visited, &mut order);
        }
        let eager = visited.modules.clone();
        let mut lazy_order = Vec::new();
        // Lazy modules, in the order their first dynamic import is discovered.
        for id in 0..self.graph.modules.len() {
            for dependency in self.graph.modules[id].dynamic_dependencies.clone() {
                if let Dependency::Module(target) = dependency {
                    post_order(&self.graph.modules, target, &mut visited, &mut lazy_order);
                }
            }
        }
        for (id, module) in self.graph.modules.iter_mut().enumerate() {
            module.is_lazy = !eager[id];
        }
        // Externals that only lazy modules import are loaded at startup, before everything.
        let mut lazy_externals: Vec<ExecutionStep> = lazy_order
            .iter()
            .filter(|step| matches!(step, ExecutionStep::External(_)))
            .copied()
            .collect();
        lazy_externals.extend(order);
        self.graph.execution_order = lazy_externals;
        self.graph.lazy_modules = lazy_order
            .into_iter()
            .filter_map(|step| match step {
                ExecutionStep::Module(id) => Some(id),
                ExecutionStep::External(_) => None,
            })
            .collect();
    }
}

struct Visited {
    modules: Vec<bool>,
    externals: Vec<bool>,
}

fn post_order(
    modules: &[GraphModule],
    root: ModuleId,
    visited: &mut Visited,
    order: &mut Vec<ExecutionStep>,
) {
    if visited.modules[root as usize] {
        return;
    }
    // An explicit stack: real graphs are deep enough to overflow the call stack.
    visited.modules[root as usize] = true;
    let mut stack: Vec<(ModuleId, usize)> = vec![(root, 0)];
    while let Some((module, next_dependency)) = stack.last_mut() {
        let dependencies = &modules[*module as usize].dependencies;
        if let Some(&dependency) = dependencies.get(*next_dependency) {
            *next_dependency += 1;
            match dependency {
                Dependency::Module(target) if !visited.modules[target as usize] => {
                    visited.modules[target as usize] = true;
                    stack.push((target, 0));
                }
                Dependency::External(external) if !visited.externals[external as usize] => {
                    visited.externals[external as usize] = true;
                    order.push(ExecutionStep::External(external));
                }
                _ => {}
            }
        } else {
            order.push(ExecutionStep::Module(*module));
            stack.pop();
        }
    }
}
