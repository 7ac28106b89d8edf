//! The module graph: what each import specifier of a module resolves to, every module the
//! entries reach (statically or through `import()`), and the order modules execute in.

use rustc_hash::FxHashMap;

use super::{LinkDiagnostic, Location};
use crate::{
    Db,
    config::{BuildConfig, is_external},
    diagnostics::Diagnostic,
    files::SourceFile,
    parse::{ModuleKind, Name, module_imports},
    resolve::{Resolution, resolve_imports},
    summary::View,
};

/// What one import specifier of a module points at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Dependency {
    Module(SourceFile),
    External(Name),
    /// Resolution failed; a diagnostic says why.
    Unresolved,
}

/// The resolved specifiers of one module.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModuleDependencies {
    /// The module is CommonJS: its requests are `require` calls, which run when its code
    /// calls them, not before it as static imports do.
    pub commonjs: bool,
    /// One per `ModuleRecord::requests` entry.
    pub dependencies: Vec<Dependency>,
    /// One per `ModuleRecord::dynamic_requests` entry.
    pub dynamic_dependencies: Vec<Dependency>,
    /// Dependencies whose package declares them free of side effects.
    pub side_effect_free: Vec<SourceFile>,
    /// Specifiers that did not resolve.
    pub diagnostics: Vec<LinkDiagnostic>,
}

impl ModuleDependencies {
    /// What its static `import`s and `export ... from`s load (none for CommonJS).
    pub fn static_imports(&self) -> &[Dependency] {
        if self.commonjs {
            &[]
        } else {
            &self.dependencies
        }
    }

    /// What its `require` calls load (CommonJS only).
    pub fn requires(&self) -> &[Dependency] {
        if self.commonjs {
            &self.dependencies
        } else {
            &[]
        }
    }
}

/// Resolves every specifier of `file`. Re-runs when the module's specifiers change or a
/// resolution does (a file appeared or disappeared where the resolver looked).
#[salsa::tracked(returns(ref))]
pub fn module_dependencies(
    db: &dyn Db,
    config: BuildConfig,
    file: SourceFile,
) -> ModuleDependencies {
    let imports = module_imports(db, file);
    let externals = config.externals(db);
    let mut result = ModuleDependencies {
        commonjs: imports.kind == ModuleKind::CommonJs,
        ..ModuleDependencies::default()
    };
    let required_at_run_time = result.commonjs && crate::files::is_library(file.path(db));
    // Every specifier that is not external, resolved in one query.
    let specifiers = || imports.requests.iter().chain(&imports.dynamic_requests);
    let resolved = resolve_imports(
        db,
        file,
        specifiers()
            .filter(|specifier| !is_external(externals, specifier))
            .cloned()
            .collect(),
        imports.kind,
    );
    let mut resolutions = resolved.iter();
    let static_count = imports.requests.len();
    for (index, specifier) in specifiers().enumerate() {
        let dependency = if is_external(externals, specifier) {
            Dependency::External(specifier.clone())
        } else {
            let resolution = resolutions
                .next()
                .expect("one resolution per specifier that is not external");
            let location = match index.checked_sub(static_count) {
                None => Location::Request(index as u32),
                Some(dynamic) => Location::DynamicRequest(dynamic as u32),
            };
            dependency_of(
                db,
                file,
                specifier,
                resolution,
                location,
                required_at_run_time,
                &mut result,
            )
        };
        if index < static_count {
            result.dependencies.push(dependency);
        } else {
            result.dynamic_dependencies.push(dependency);
        }
    }
    result
}

/// What `specifier` of `file` resolved to becomes: a module (noting the side-effect-free
/// ones), an external, or nothing and a diagnostic.
fn dependency_of(
    db: &dyn Db,
    file: SourceFile,
    specifier: &Name,
    resolution: &Resolution,
    location: Location,
    required_at_run_time: bool,
    result: &mut ModuleDependencies,
) -> Dependency {
    match resolution {
        Resolution::Module {
            file: target,
            has_side_effects,
        } => {
            if !has_side_effects && !result.side_effect_free.contains(target) {
                result.side_effect_free.push(*target);
            }
            Dependency::Module(*target)
        }
        Resolution::Builtin => Dependency::External(specifier.clone()),
        Resolution::Ignored => Dependency::Unresolved,
        Resolution::NotFound { reason } => {
            let mut diagnostic = if required_at_run_time {
                // A package's `require` of something missing is often an optional
                // dependency, guarded by `try`: node would only fail if it ran.
                Diagnostic::warning(
                    "UNRESOLVED_REQUIRE",
                    format!(
                        "could not resolve \"{specifier}\": {reason}; it is left to `require` at run time"
                    ),
                )
            } else {
                Diagnostic::error(
                    "UNRESOLVED_IMPORT",
                    format!("could not resolve \"{specifier}\": {reason}"),
                )
            };
            if crate::resolve::is_node_builtin(specifier) {
                diagnostic = diagnostic.with_help(format!(
                    "\"{specifier}\" is built into node: bundle with `--platform node` to leave it to node, or mark it as external with `--external {specifier}`"
                ));
            } else if !specifier.starts_with('.') && !specifier.starts_with('/') {
                diagnostic = diagnostic.with_help(format!(
                    "install the package, or mark it as external with `--external {specifier}`"
                ));
            }
            result
                .diagnostics
                .push(LinkDiagnostic::new(db, file, location, diagnostic));
            Dependency::Unresolved
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphModule {
    pub file: SourceFile,
    /// False when every import of it resolved through a package that declares it free of
    /// side effects.
    pub has_side_effects: bool,
    /// Reached only through `import()` or a CommonJS module's `require`: it executes when
    /// first imported or required, not at startup.
    pub is_lazy: bool,
    /// It is part of a cycle of static imports (or `require`s): a module of the cycle may
    /// call its functions before its own code has run.
    pub in_cycle: bool,
}

/// One step of the bundle's startup.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ExecutionStep {
    Module(SourceFile),
    External(Name),
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModuleGraph {
    /// Every module, in discovery order (breadth-first from the entries).
    pub modules: Vec<GraphModule>,
    /// Position of each module in `modules`.
    pub index: FxHashMap<SourceFile, u32>,
    /// External specifiers, in the order they are first imported.
    pub externals: Vec<Name>,
    /// Position of each external in `externals`.
    pub external_index: FxHashMap<Name, u32>,
    /// Externals some ES module imports (the others only CommonJS requires, at run time),
    /// by position in `externals`.
    pub imported_externals: Vec<bool>,
    /// What runs at startup, in execution order (dependencies first): the eager modules and
    /// the external modules they import. Externals that only lazy modules import come first.
    pub execution_order: Vec<ExecutionStep>,
    /// Modules that run when first imported dynamically, in discovery order.
    pub lazy_modules: Vec<SourceFile>,
    pub entries: Vec<SourceFile>,
}

/// The lookups of a module and an external, for the graph and its members alike (both
/// have `modules`, `index` and `external_index`).
macro_rules! graph_lookups {
    ($($graph:ty),*) => {$(
        impl $graph {
            pub fn module(&self, file: SourceFile) -> Option<&GraphModule> {
                self.index
                    .get(&file)
                    .map(|&index| &self.modules[index as usize])
            }

            /// The position of an external specifier in `externals`.
            pub fn external(&self, specifier: &str) -> Option<usize> {
                self.external_index
                    .get(specifier)
                    .map(|&index| index as usize)
            }

            pub fn is_lazy(&self, file: SourceFile) -> bool {
                self.module(file).is_some_and(|module| module.is_lazy)
            }
        }
    )*};
}

graph_lookups!(ModuleGraph, GraphMembers);

/// The graph without its order: its modules (in discovery order) and externals, what tree
/// shaking and the per-module links read of it. What is live does not depend on the order
/// modules run in, so an import that only changes that order (a module that ran later now
/// runs earlier) leaves this equal, and tree shaking does not run again.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct GraphMembers {
    /// Every module, in discovery order (as `ModuleGraph::modules`).
    pub modules: Vec<GraphModule>,
    /// Position of each module in `modules`.
    pub index: FxHashMap<SourceFile, u32>,
    /// External specifiers, in the order they are first imported.
    pub externals: Vec<Name>,
    /// Position of each external in `externals`.
    pub external_index: FxHashMap<Name, u32>,
    pub entries: Vec<SourceFile>,
}

/// [`GraphMembers`] of `config`'s graph: equal after a graph edit that changed only the order.
#[salsa::tracked(returns(ref))]
pub fn graph_members(db: &dyn Db, config: BuildConfig) -> GraphMembers {
    let graph = module_graph(db, config);
    GraphMembers {
        modules: graph.modules.clone(),
        index: graph.index.clone(),
        externals: graph.externals.clone(),
        external_index: graph.external_index.clone(),
        entries: graph.entries.clone(),
    }
}

/// Discovers the graph from the entries.
#[salsa::tracked(returns(ref))]
pub fn module_graph(db: &dyn Db, config: BuildConfig) -> ModuleGraph {
    let _span = tracing::debug_span!("module_graph").entered();
    let mut graph = ModuleGraph {
        entries: config.entries(db).clone(),
        ..ModuleGraph::default()
    };
    graph.entries.dedup();
    // Breadth-first, so discovery order is stable and shallow modules come first.
    let mut effectful: FxHashMap<SourceFile, bool> = FxHashMap::default();
    let mut queue: Vec<SourceFile> = Vec::new();
    let mut add = |file: SourceFile,
                   has_side_effects: bool,
                   graph: &mut ModuleGraph,
                   queue: &mut Vec<SourceFile>| {
        *effectful.entry(file).or_insert(false) |= has_side_effects;
        if !graph.index.contains_key(&file) {
            graph.index.insert(file, graph.modules.len() as u32);
            graph.modules.push(GraphModule {
                file,
                has_side_effects: true,
                is_lazy: false,
                in_cycle: false,
            });
            queue.push(file);
        }
    };
    for &entry in &graph.entries.clone() {
        add(entry, true, &mut graph, &mut queue);
    }
    // Each module's dependencies by its position, fetched once for every pass below (the
    // queue holds the modules in the order they get their positions).
    let mut by_index: Vec<&ModuleDependencies> = Vec::new();
    let mut next = 0;
    while next < queue.len() {
        let file = queue[next];
        next += 1;
        let dependencies = module_dependencies(db, config, file);
        by_index.push(dependencies);
        for (position, dependency) in dependencies
            .dependencies
            .iter()
            .chain(&dependencies.dynamic_dependencies)
            .enumerate()
        {
            // A CommonJS module's static requests are `require` calls.
            let imported = !dependencies.commonjs || position >= dependencies.dependencies.len();
            match dependency {
                Dependency::Module(target) => {
                    let has_side_effects = !dependencies.side_effect_free.contains(target);
                    add(*target, has_side_effects, &mut graph, &mut queue);
                }
                Dependency::External(specifier) => {
                    let index = match graph.external_index.get(specifier) {
                        Some(&index) => index,
                        None => {
                            let index = graph.externals.len() as u32;
                            graph.external_index.insert(specifier.clone(), index);
                            graph.externals.push(specifier.clone());
                            graph.imported_externals.push(false);
                            index
                        }
                    };
                    graph.imported_externals[index as usize] |= imported;
                }
                Dependency::Unresolved => {}
            }
        }
    }
    for module in &mut graph.modules {
        module.has_side_effects = effectful[&module.file];
    }
    order_execution(db, config, &mut graph, &by_index);
    mark_cycles(&mut graph, &by_index);
    if config.splitting(db) {
        // Where running every module as its chunk loads would reorder side effects, the
        // shared chunks' modules run from initializers instead (see `split::chunks`).
        for file in crate::split::chunks::modules_to_wrap(db, config, &graph, &by_index) {
            let index = graph.index[&file] as usize;
            graph.modules[index].is_lazy = true;
        }
    }
    graph
}

/// Marks the modules that are part of a cycle of static dependencies: the strongly
/// connected components of more than one module, or of one that depends on itself
/// (Tarjan's algorithm, iterative).
fn mark_cycles(graph: &mut ModuleGraph, dependencies: &[&ModuleDependencies]) {
    let edges: Vec<Vec<u32>> = dependencies
        .iter()
        .map(|dependencies| {
            dependencies
                .dependencies
                .iter()
                .filter_map(|dependency| match dependency {
                    Dependency::Module(target) => Some(graph.index[target]),
                    _ => None,
                })
                .collect()
        })
        .collect();
    const UNVISITED: u32 = u32::MAX;
    let count = graph.modules.len();
    let mut order = vec![UNVISITED; count];
    let mut low = vec![0u32; count];
    let mut on_stack = vec![false; count];
    let mut stack: Vec<u32> = Vec::new();
    let mut next_order = 0u32;
    for root in 0..count as u32 {
        if order[root as usize] != UNVISITED {
            continue;
        }
        // Each frame: a module, and how many of its edges are done.
        let mut frames: Vec<(u32, usize)> = vec![(root, 0)];
        order[root as usize] = next_order;
        low[root as usize] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        while let Some(&mut (module, ref mut edge)) = frames.last_mut() {
            if let Some(&target) = edges[module as usize].get(*edge) {
                *edge += 1;
                if order[target as usize] == UNVISITED {
                    order[target as usize] = next_order;
                    low[target as usize] = next_order;
                    next_order += 1;
                    stack.push(target);
                    on_stack[target as usize] = true;
                    frames.push((target, 0));
                } else if on_stack[target as usize] {
                    low[module as usize] = low[module as usize].min(order[target as usize]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent as usize] = low[parent as usize].min(low[module as usize]);
            }
            if low[module as usize] == order[module as usize] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member as usize] = false;
                    component.push(member);
                    if member == module {
                        break;
                    }
                }
                let cycle = component.len() > 1 || edges[module as usize].contains(&module);
                for member in component {
                    graph.modules[member as usize].in_cycle = cycle;
                }
            }
        }
    }
}

/// Post-order depth-first traversal of static imports from each entry: the order ES
/// modules evaluate in, cycles included. What is left, reachable only through `import()`,
/// is lazy.
fn order_execution(
    db: &dyn Db,
    config: BuildConfig,
    graph: &mut ModuleGraph,
    dependencies: &[&ModuleDependencies],
) {
    let mut visited = vec![false; graph.modules.len()];
    let mut visited_externals = vec![false; graph.externals.len()];
    let mut order = Vec::new();
    for &entry in &graph.entries {
        post_order(
            graph,
            dependencies,
            entry,
            &mut visited,
            &mut visited_externals,
            &mut order,
        );
    }
    // With code splitting, a module an `import()` loads is the root of a chunk: it runs
    // when its chunk loads, after the modules it imports (not in an initializer).
    if config.splitting(db) {
        for root in dynamic_roots(db, config, graph) {
            post_order(
                graph,
                dependencies,
                root,
                &mut visited,
                &mut visited_externals,
                &mut order,
            );
        }
    }
    let eager = visited.clone();
    let mut lazy_order = Vec::new();
    // Lazy modules, in the order their first dynamic import (or `require` from a CommonJS
    // module, which runs when called) is discovered.
    for module_dependencies in dependencies {
        for dependency in module_dependencies
            .dynamic_dependencies
            .iter()
            .chain(module_dependencies.requires())
        {
            if let Dependency::Module(target) = dependency {
                post_order(
                    graph,
                    dependencies,
                    *target,
                    &mut visited,
                    &mut visited_externals,
                    &mut lazy_order,
                );
            }
        }
    }
    for (index, module) in graph.modules.iter_mut().enumerate() {
        module.is_lazy = !eager[index];
    }
    // Externals that only lazy modules import are loaded at startup, before everything.
    let mut steps: Vec<ExecutionStep> = lazy_order
        .iter()
        .filter(|step| matches!(step, ExecutionStep::External(_)))
        .cloned()
        .collect();
    steps.extend(order);
    graph.execution_order = steps;
    graph.lazy_modules = lazy_order
        .into_iter()
        .filter_map(|step| match step {
            ExecutionStep::Module(file) => Some(file),
            ExecutionStep::External(_) => None,
        })
        .collect();
}

/// The ES modules some `import()` loads, in discovery order: with code splitting, each is
/// the root of a chunk. (`import()` of a CommonJS module reads its `require_x` wrapper,
/// which any chunk can call: it is not a root.)
pub fn dynamic_roots(db: &dyn Db, config: BuildConfig, graph: &ModuleGraph) -> Vec<SourceFile> {
    let mut is_root = vec![false; graph.modules.len()];
    for module in &graph.modules {
        for dependency in &module_dependencies(db, config, module.file).dynamic_dependencies {
            if let Dependency::Module(target) = dependency
                && !module_dependencies(db, config, *target).commonjs
            {
                is_root[graph.index[target] as usize] = true;
            }
        }
    }
    graph
        .modules
        .iter()
        .zip(is_root)
        .filter(|(module, is_root)| *is_root && !graph.entries.contains(&module.file))
        .map(|(module, _)| module.file)
        .collect()
}

/// Each module's view, by its position in the graph: how the whole-bundle passes reach
/// the modules' published summaries.
#[salsa::tracked(returns(ref))]
pub fn graph_views(db: &dyn Db, config: BuildConfig) -> Vec<View> {
    graph_members(db, config)
        .modules
        .iter()
        .map(|module| View::of(db, module.file))
        .collect()
}

/// Each module's dependencies, by its position in the graph: what a pass over the whole
/// graph reads, fetched once (a fetch per step of a walk was most of `module_graph`).
pub fn graph_dependencies<'db>(
    db: &'db dyn Db,
    config: BuildConfig,
    graph: &ModuleGraph,
) -> Vec<&'db ModuleDependencies> {
    graph
        .modules
        .iter()
        .map(|module| module_dependencies(db, config, module.file))
        .collect()
}

/// Appends the modules and externals `root`'s static imports reach and `visited` does not
/// hold yet, dependencies first. `dependencies` is [`graph_dependencies`].
pub fn post_order(
    graph: &ModuleGraph,
    dependencies: &[&ModuleDependencies],
    root: SourceFile,
    visited: &mut [bool],
    visited_externals: &mut [bool],
    order: &mut Vec<ExecutionStep>,
) {
    let root_index = graph.index[&root] as usize;
    if visited[root_index] {
        return;
    }
    // An explicit stack: real graphs are deep enough to overflow the call stack.
    visited[root_index] = true;
    let mut stack: Vec<(u32, usize)> = vec![(root_index as u32, 0)];
    while let Some((module, next_dependency)) = stack.last_mut() {
        let imports = dependencies[*module as usize].static_imports();
        if let Some(dependency) = imports.get(*next_dependency) {
            *next_dependency += 1;
            match dependency {
                Dependency::Module(target) => {
                    let index = graph.index[target];
                    if !visited[index as usize] {
                        visited[index as usize] = true;
                        stack.push((index, 0));
                    }
                }
                Dependency::External(specifier) => {
                    let index = graph
                        .external(specifier)
                        .expect("every external is in the graph");
                    if !visited_externals[index] {
                        visited_externals[index] = true;
                        order.push(ExecutionStep::External(specifier.clone()));
                    }
                }
                _ => {}
            }
        } else {
            order.push(ExecutionStep::Module(graph.modules[*module as usize].file));
            stack.pop();
        }
    }
}
