//! Tree shaking: which items end up in the bundle. An item is live if it may have side
//! effects (in a module whose package does not declare it side-effect free), or if a live
//! item or an export of the entry needs a binding it declares. Works on item facts and module
//! records only.

use rustc_hash::{FxHashMap, FxHashSet};

use super::{
    graph::{Dependency, ExecutionStep, ModuleGraph, ModuleId},
    resolve_exports::{Binding, ExportResolver},
};
use crate::parse::{ImportedName, ItemFacts, ModuleRecord, Name};

/// How the bundle uses one external module.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExternalUse {
    /// Names imported from it, sorted (`default` included).
    pub named: Vec<Name>,
    pub namespace: bool,
    /// Its namespace feeds an `export *` whose names are only known at runtime.
    pub star_reexported: bool,
    pub dynamic: bool,
}

pub struct Liveness {
    pub live_items: Vec<Vec<bool>>,
    /// Modules whose namespace object must exist.
    pub namespaces: Vec<bool>,
    /// Lazy modules that some live `import()` loads.
    pub lazy_included: Vec<bool>,
    pub externals: Vec<ExternalUse>,
}

pub struct TreeShaker<'l, 'r> {
    pub graph: &'l ModuleGraph,
    pub records: &'l [&'l ModuleRecord],
    pub facts: &'l [Vec<&'l ItemFacts>],
    pub resolver: &'r mut ExportResolver<'l>,
    /// Import bindings and namespace members, bound already.
    pub import_bindings: &'l [FxHashMap<Name, Binding>],
    pub member_bindings: &'l [FxHashMap<(Name, Name), Binding>],
}

struct State {
    live_items: Vec<Vec<bool>>,
    touched_modules: Vec<bool>,
    namespaces: Vec<bool>,
    lazy_included: Vec<bool>,
    live_symbols: FxHashSet<(ModuleId, Name)>,
    externals: Vec<ExternalUse>,
    worklist: Vec<(ModuleId, u32)>,
}

impl TreeShaker<'_, '_> {
    pub fn run(
        mut self,
        entry_exports: &[Binding],
        declaring_items: &[FxHashMap<Name, Vec<u32>>],
    ) -> Liveness {
        let module_count = self.graph.modules.len();
        let mut state = State {
            live_items: self
                .facts
                .iter()
                .map(|items| vec![false; items.len()])
                .collect(),
            touched_modules: vec![false; module_count],
            namespaces: vec![false; module_count],
            lazy_included: vec![false; module_count],
            live_symbols: FxHashSet::default(),
            externals: vec![ExternalUse::default(); self.graph.externals.len()],
            worklist: Vec::new(),
        };

        for step in &self.graph.execution_order {
            if let ExecutionStep::Module(module) = *step
                && self.graph.modules[module as usize].has_side_effects
            {
                self.include_side_effects(&mut state, module);
            }
        }
        for binding in entry_exports {
            self.mark_binding(&mut state, binding, declaring_items);
        }
        while let Some((module, item)) = state.worklist.pop() {
            self.visit_item(&mut state, module, item, declaring_items);
        }

        let mut externals = state.externals;
        for external in &mut externals {
            external.named.sort_unstable();
            external.named.dedup();
        }
        Liveness {
            live_items: state.live_items,
            namespaces: state.namespaces,
            lazy_included: state.lazy_included,
            externals,
        }
    }

    fn include_side_effects(&self, state: &mut State, module: ModuleId) {
        for (index, facts) in self.facts[module as usize].iter().enumerate() {
            if facts.has_side_effects {
                Self::mark_item(state, module, index as u32);
            }
        }
    }

    fn mark_item(state: &mut State, module: ModuleId, item: u32) {
        let live = &mut state.live_items[module as usize][item as usize];
        if !*live {
            *live = true;
            state.worklist.push((module, item));
        }
    }

    fn touch_module(&self, state: &mut State, module: ModuleId) {
        if !state.touched_modules[module as usize] {
            state.touched_modules[module as usize] = true;
            // A side-effect-free package's module still runs its effects once it is used.
            self.include_side_effects(state, module);
        }
    }

    fn mark_symbol(
        &mut self,
        state: &mut State,
        module: ModuleId,
        local: &Name,
        declaring_items: &[FxHashMap<Name, Vec<u32>>],
    ) {
        if !state.live_symbols.insert((module, local.clone())) {
            return;
        }
        if let Some(items) = declaring_items[module as usize].get(local) {
            for &item in items {
                Self::mark_item(state, module, item);
            }
        }
    }

    fn mark_binding(
        &mut self,
        state: &mut State,
        binding: &Binding,
        declaring_items: &[FxHashMap<Name, Vec<u32>>],
    ) {
        match binding {
            Binding::Symbol { module, local } => {
                self.mark_symbol(state, *module, local, declaring_items);
            }
            Binding::Namespace(module) => self.mark_namespace(state, *module, declaring_items),
            Binding::External { external, imported } => {
                let used = &mut state.externals[*external as usize];
                match imported {
                    ImportedName::Named(name) => used.named.push(name.clone()),
                    ImportedName::Namespace => used.namespace = true,
                }
            }
        }
    }

    fn mark_namespace(
        &mut self,
        state: &mut State,
        module: ModuleId,
        declaring_items: &[FxHashMap<Name, Vec<u32>>],
    ) {
        if state.namespaces[module as usize] {
            return;
        }
        state.namespaces[module as usize] = true;
        for name in self.resolver.exported_names(module) {
            if let Ok(binding) = self.resolver.resolve_export(module, &name) {
                self.mark_binding(state, &binding, declaring_items);
            }
        }
        for external in self.resolver.external_stars(module) {
            state.externals[external as usize].star_reexported = true;
        }
    }

    fn include_lazy_module(&mut self, state: &mut State, module: ModuleId) {
        if state.lazy_included[module as usize] {
            return;
        }
        state.lazy_included[module as usize] = true;
        // Its lazy static dependencies run inside its initializer.
        for dependency in self.graph.modules[module as usize].dependencies.clone() {
            if let Dependency::Module(target) = dependency
                && self.graph.modules[target as usize].is_lazy
            {
                self.include_lazy_module(state, target);
            }
        }
        self.touch_module(state, module);
        self.include_side_effects(state, module);
    }

    fn visit_item(
        &mut self,
        state: &mut State,
        module: ModuleId,
        item: u32,
        declaring_items: &[FxHashMap<Name, Vec<u32>>],
    ) {
        self.touch_module(state, module);
        let facts = self.facts[module as usize][item as usize];
        let record = self.records[module as usize];
        for name in &facts.references {
            if let Some(binding) = self.import_bindings[module as usize].get(name) {
                let binding = binding.clone();
                self.mark_binding(state, &binding, declaring_items);
            } else if record.symbol(name).is_some() {
                self.mark_symbol(state, module, name, declaring_items);
            }
        }
        for name in &facts.declares {
            state.live_symbols.insert((module, name.clone()));
        }
        for member in &facts.namespace_members {
            if let Some(binding) = self.member_bindings[module as usize].get(member) {
                let binding = binding.clone();
                self.mark_binding(state, &binding, declaring_items);
            }
        }
        for specifier in &facts.dynamic_imports {
            let Some(index) = record.dynamic_requests.iter().position(|s| s == specifier) else {
                continue;
            };
            match self.graph.modules[module as usize].dynamic_dependencies[index] {
                Dependency::Module(target) => {
                    self.mark_namespace(state, target, declaring_items);
                    if self.graph.modules[target as usize].is_lazy {
                        self.include_lazy_module(state, target);
                    } else {
                        self.touch_module(state, target);
                    }
                }
                Dependency::External(external) => {
                    state.externals[external as usize].dynamic = true;
                }
                Dependency::Unresolved => {}
            }
        }
    }
}
