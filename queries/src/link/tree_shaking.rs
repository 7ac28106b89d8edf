//! Tree shaking: which items end up in the bundle. An item is live if it may have side
//! effects (in a module whose package does not declare it side-effect free), or if a live
//! item or an export of the entry needs a binding it declares. Works on item facts, module
//! records and bindings only; its result is projected back per module.

use super::{
    Binding,
    bind_imports::{ModuleBindings, module_bindings},
    graph::{
        Dependency, GraphMembers, GraphModule, ModuleDependencies, graph_members, graph_views,
        module_dependencies,
    },
    resolve_exports::module_exports,
};

mod single_use;
use std::sync::Arc;

use defer_drop::DeferDrop;

use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    files::SourceFile,
    parse::{ImportedName, ModuleFacts, ModuleKind, ModuleShape, NOT_DECLARED, Name, Referenced},
};
pub use single_use::MovedIn;

/// How the bundle uses one module.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModuleLiveness {
    /// Whether its code is in the bundle (eager modules always are; a lazy one when a live
    /// `import()` loads it).
    pub included: bool,
    /// Indices into the module's items, ascending.
    pub live_items: Vec<u32>,
    /// Whether its namespace object must exist.
    pub namespace: bool,
    /// A CommonJS module: how ES modules import it.
    pub interop: InteropUse,
    /// The top-level names its live items declare, in the module's order: what naming
    /// names. Decided here, so that naming does not read the module's record and facts,
    /// and an edit that leaves what is live alone (an export nobody uses added) does not
    /// run naming again.
    pub declared: Vec<Name>,
    /// It has a direct `eval`, which may read its bindings by their names: naming keeps
    /// them.
    pub direct_eval: bool,
    /// It is CommonJS (named `require_x`).
    pub commonjs: bool,
    /// The modules its `require` calls load (a CommonJS module's) and those its `import()`
    /// calls load, in its order: naming keeps their names clear of its nested names. Here
    /// for the same reason as `declared`: an import added leaves them alone.
    pub required: Vec<SourceFile>,
    pub dynamically_imported: Vec<SourceFile>,
    /// With `--minify-syntax`: its live items written where the binding each declares is
    /// read instead (see `single_use`), ascending; naming leaves their bindings alone.
    pub moved_out: Vec<u32>,
    /// ... and its locals whose one read is replaced by the value such an item (of this
    /// module or another) declares, sorted by local.
    pub moved_in: Vec<MovedIn>,
}

/// How ES modules import one CommonJS module: each way needs its own view of the exports
/// (`__toESM(require_x())`, with `default` taken from `__esModule` modules' `exports.default`
/// or, in node mode, always `module.exports`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InteropUse {
    pub babel: bool,
    pub node: bool,
}

/// How the bundle uses one external module.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExternalUse {
    /// Names imported from it, sorted (`default` included).
    pub named: Vec<Name>,
    pub namespace: bool,
    /// Its namespace feeds an `export *` whose names are only known at runtime.
    pub star_reexported: bool,
    pub dynamic: bool,
    /// A CommonJS module `require`s it.
    pub required: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Liveness {
    /// One per module, in graph order; shared with the module's `ModuleLink`, which
    /// `module_links` makes without copying it.
    pub modules: Vec<Arc<ModuleLiveness>>,
    /// One per external, in graph order.
    pub externals: Vec<ExternalUse>,
}

/// Decides what is live in the whole bundle.
#[salsa::tracked(returns(ref))]
pub fn liveness(db: &dyn Db, config: BuildConfig) -> DeferDrop<Liveness> {
    let _span = tracing::debug_span!("liveness").entered();
    db.work().linked();
    // Not the whole graph: what is live does not depend on the order modules run in (but
    // for the declarations `--minify-syntax` moves, see `single_use`).
    let graph = graph_members(db, config);
    let views = graph_views(db, config);
    let facts: Vec<&ModuleFacts> = views.iter().map(|view| view.facts(db)).collect();
    let mut shaker = TreeShaker {
        db,
        config,
        graph,
        facts: &facts,
        live_items: PerModule::new(facts.iter().map(|facts| facts.items.len())),
        touched: vec![false; graph.modules.len()],
        namespaces: vec![false; graph.modules.len()],
        lazy_included: vec![false; graph.modules.len()],
        interop: vec![InteropUse::default(); graph.modules.len()],
        live_symbols: PerModule::new(facts.iter().map(|facts| facts.declared_by.len())),
        externals: vec![ExternalUse::default(); graph.externals.len()],
        worklist: Vec::new(),
        shapes: views.iter().map(|view| view.shape(db)).collect(),
        bindings: vec![None; graph.modules.len()],
        import_uses: vec![None; graph.modules.len()],
        long_literal_reads: rustc_hash::FxHashMap::default(),
        dependencies: vec![None; graph.modules.len()],
    };
    shaker.run();
    let moves = shaker.single_use_moves();
    // What each module loads other than by static imports is read from its dependencies,
    // fetched here for the modules that have such loads; the decisions then read no
    // query, and run on rayon's threads in module order (after an edit of the graph, the
    // second core waits for this pass at this point).
    for module in 0..graph.modules.len() as u32 {
        let commonjs = shaker.is_commonjs(module);
        let index = module as usize;
        let included = is_included(shaker.lazy_included[index], &graph.modules[index], commonjs);
        if included && (commonjs || shaker.shapes[index].has_dynamic_requests) {
            shaker.dependencies(module);
        }
    }
    let decider = Decider {
        graph,
        facts: &facts,
        shapes: &shaker.shapes,
        live_items: &shaker.live_items,
        live_symbols: &shaker.live_symbols,
        namespaces: &shaker.namespaces,
        lazy_included: &shaker.lazy_included,
        interop: &shaker.interop,
        dependencies: &shaker.dependencies,
    };
    let modules = crate::parallel::map_in_order(
        moves.into_iter().enumerate().collect(),
        DECISIONS_PER_TASK,
        |(index, moves)| Arc::new(decider.decision(index, moves)),
    );
    let mut externals = shaker.externals;
    for external in &mut externals {
        external.named.sort_unstable();
        external.named.dedup();
    }
    DeferDrop::new(Liveness { modules, externals })
}

struct TreeShaker<'l> {
    db: &'l dyn Db,
    config: BuildConfig,
    graph: &'l GraphMembers,
    facts: &'l [&'l ModuleFacts],
    /// Per module, whether each of its items is live.
    live_items: PerModule,
    touched: Vec<bool>,
    namespaces: Vec<bool>,
    lazy_included: Vec<bool>,
    interop: Vec<InteropUse>,
    /// Per module, whether each of its top-level bindings (by index into its
    /// `ModuleFacts::declared_by`) has been marked.
    live_symbols: PerModule,
    externals: Vec<ExternalUse>,
    worklist: Vec<(u32, u32)>,
    /// Per module, what the walk reads of it, fetched once: a salsa fetch per live item
    /// (interning the key, recording the dependency again) was a good part of the pass.
    shapes: Vec<&'l ModuleShape>,
    bindings: Vec<Option<&'l ModuleBindings>>,
    /// Per module, what a live item's reference to each of its bound imports (by index
    /// into its `ModuleBindings::imports`) marks: worked out once per import rather than
    /// once per live item that refers to it (the name lookups in the declaring module were
    /// a fifth of the walk on three.js x10).
    import_uses: Vec<Option<Box<[ImportUse]>>>,
    /// How many times each long literal constant (by module and local) is read, by any
    /// item of any module of the graph (see [`Self::count_long_literal_reads`]).
    long_literal_reads: rustc_hash::FxHashMap<(u32, Name), u32>,
    dependencies: Vec<Option<&'l ModuleDependencies>>,
}

impl<'l> TreeShaker<'l> {
    fn index(&self, file: SourceFile) -> u32 {
        self.graph.index[&file]
    }

    fn run(&mut self) {
        self.count_long_literal_reads();
        // A CommonJS module is included whole, when it may have side effects or something
        // live uses it (see `include_commonjs`).
        for (index, module) in self.graph.modules.iter().enumerate() {
            if module.has_side_effects && self.is_commonjs(index as u32) {
                self.include_commonjs(index as u32);
            }
        }
        let any_lazy = self.graph.modules.iter().any(|module| module.is_lazy);
        // The eager modules (those that run at startup, in any order: what is live is the
        // same).
        for module in 0..self.graph.modules.len() as u32 {
            let graph_module = &self.graph.modules[module as usize];
            if graph_module.is_lazy {
                continue;
            }
            if graph_module.has_side_effects {
                self.include_side_effects(module);
            }
            // A split build's shared modules may be wrapped in initializers, which the
            // modules that import them call. (Without lazy modules there are none: no
            // module's dependencies need fetching for this.)
            if !any_lazy {
                continue;
            }
            for dependency in self.dependencies(module).static_imports() {
                if let Dependency::Module(target) = dependency
                    && self.graph.is_lazy(*target)
                    && !self.is_commonjs(self.index(*target))
                {
                    self.include_lazy_module(*target);
                }
            }
        }
        // Every entry's exports with splitting (each has its file); the first's without.
        let entries = match self.config.splitting(self.db) {
            true => &self.graph.entries[..],
            false => &self.graph.entries[..self.graph.entries.len().min(1)],
        };
        for &entry in entries {
            let commonjs_entry = self.is_commonjs(self.index(entry));
            // A CommonJS entry bundled to CommonJS keeps its `module.exports` as it is.
            if commonjs_entry && self.config.format(self.db) == OutputFormat::Cjs {
                continue;
            }
            for (_, binding) in &module_exports(self.db, self.config, entry).resolved {
                self.mark_binding(binding);
            }
            self.mark_external_stars(entry);
        }
        self.drain();
    }

    fn drain(&mut self) {
        while let Some((module, item)) = self.worklist.pop() {
            self.visit_item(module, item);
        }
    }

    fn is_commonjs(&self, module: u32) -> bool {
        self.shapes[module as usize].kind == ModuleKind::CommonJs
    }

    fn bindings(&mut self, module: u32) -> &'l ModuleBindings {
        let (db, config, file) = (
            self.db,
            self.config,
            self.graph.modules[module as usize].file,
        );
        fetch_once(&mut self.bindings[module as usize], || {
            module_bindings(db, config, file)
        })
    }

    fn dependencies(&mut self, module: u32) -> &'l ModuleDependencies {
        let (db, config, file) = (
            self.db,
            self.config,
            self.graph.modules[module as usize].file,
        );
        fetch_once(&mut self.dependencies[module as usize], || {
            module_dependencies(db, config, file)
        })
    }

    /// Includes a CommonJS module: all of it, since its code runs as a whole.
    fn include_commonjs(&mut self, module: u32) {
        if !self.lazy_included[module as usize] {
            self.lazy_included[module as usize] = true;
            self.touch_module(module);
        }
    }

    fn include_side_effects(&mut self, module: u32) {
        let facts = self.facts[module as usize];
        for &item in &facts.side_effect_items {
            self.mark_item(module, item);
        }
    }

    fn mark_item(&mut self, module: u32, item: u32) {
        let live = &mut self.live_items[module as usize][item as usize];
        if !*live {
            *live = true;
            self.worklist.push((module, item));
        }
    }

    /// Uses the module that declares `binding` without marking the binding: a constant read
    /// in place still makes its module run, side effects and all (in a package that says
    /// it has none, a module runs only if something uses it).
    fn touch_module_of(&mut self, binding: &Binding) {
        if let Binding::Symbol { module, .. } = binding {
            let module = self.index(*module);
            self.touch_module(module);
        }
    }

    fn touch_module(&mut self, module: u32) {
        if !self.touched[module as usize] {
            self.touched[module as usize] = true;
            // A side-effect-free package's module still runs its effects once it is used.
            self.include_side_effects(module);
            if self.shapes[module as usize].has_direct_eval {
                self.include_eval_scope(module);
            }
        }
    }

    /// A direct `eval` can read any binding in scope by name: every declaration and import
    /// of its module stays (rollup's rule).
    fn include_eval_scope(&mut self, module: u32) {
        for index in 0..self.facts[module as usize].items.len() {
            if !self.facts[module as usize].items[index].declares.is_empty() {
                self.mark_item(module, index as u32);
            }
        }
        for (_, binding) in &self.bindings(module).imports {
            self.mark_binding(binding);
        }
    }

    fn mark_symbol(&mut self, module: u32, local: &Name) {
        if let Some(symbol) = self.facts[module as usize].declared_index(local) {
            self.mark_symbol_at(module, symbol);
        }
    }

    /// Marks the binding at `symbol` in module `module`'s `ModuleFacts::declared_by`.
    fn mark_symbol_at(&mut self, module: u32, symbol: usize) {
        let facts = self.facts[module as usize];
        let marked = &mut self.live_symbols[module as usize][symbol];
        if *marked {
            return;
        }
        *marked = true;
        for &item in &facts.declared_by[symbol].1 {
            self.mark_item(module, item);
        }
    }

    /// What a live item's reference to bound import `import` of module `module` (by index
    /// into its `ModuleBindings::imports`) marks, worked out the first time one refers to it.
    fn import_use(&mut self, module: u32, import: usize) -> ImportUse {
        let bindings = self.bindings(module);
        let uses = self.import_uses[module as usize]
            .get_or_insert_with(|| vec![ImportUse::Unknown; bindings.imports.len()].into());
        if uses[import] != ImportUse::Unknown {
            return uses[import];
        }
        let binding = &bindings.imports[import].1;
        let found = match binding {
            Binding::Symbol { module, local } => {
                let target = self.index(*module);
                match self.is_read_in_place(binding) {
                    true => ImportUse::Touch(target),
                    false => match self.facts[target as usize].declared_index(local) {
                        Some(symbol) => ImportUse::Symbol(target, symbol as u32),
                        None => ImportUse::Nothing,
                    },
                }
            }
            _ => ImportUse::Binding,
        };
        if let Some(uses) = &mut self.import_uses[module as usize] {
            uses[import] = found;
        }
        found
    }

    /// Whether an importer reads `binding` as a literal (see [`super::read_in_place`]).
    fn is_read_in_place(&self, binding: &Binding) -> bool {
        let Binding::Symbol { module, local } = binding else {
            return false;
        };
        let index = self.index(*module);
        if !self.facts[index as usize].declares_constant {
            return false;
        }
        super::read_in_place(
            self.facts[index as usize].constant(local),
            self.graph.modules[index as usize].is_lazy,
            || self.literal_reads_pay(index, local),
        )
        .is_some()
    }

    /// Whether writing the long literal of constant `local` of module `module` at each of its
    /// reads pays (see [`super::literal_reads_pay`]).
    fn literal_reads_pay(&self, module: u32, local: &Name) -> bool {
        self.long_literal_reads
            .get(&(module, local.clone()))
            .is_some_and(|&reads| {
                self.facts[module as usize]
                    .constant(local)
                    .or_else(|| self.facts[module as usize].hoisted_constant(local))
                    .is_some_and(|literal| super::literal_reads_pay(literal, reads))
            })
    }

    /// Whether module `module` reads its own `var` constant `name` in place (see
    /// `parse::constants::hoisted_constant`): when no cycle of imports can run its functions
    /// before it has run, and the literal is short or its reads pay.
    fn own_read_in_place(&self, module: u32, name: &Name) -> bool {
        if !self.facts[module as usize].declares_constant {
            return false;
        }
        let Some(literal) = self.facts[module as usize].hoisted_constant(name) else {
            return false;
        };
        !self.graph.modules[module as usize].in_cycle
            && (!super::is_long_literal(literal) || self.literal_reads_pay(module, name))
    }

    /// Counts the reads of every long literal constant (longer than `MAX_LITERAL_LENGTH`):
    /// each item's references to it (as many as it makes, up to `COUNTED_REFERENCES`) and
    /// namespace member reads of it (twice for an item that makes more than one), twice for
    /// a member read of an imported object that holds it (never read in place that way),
    /// and once for the getter of each namespace object that may be made: of a module
    /// imported `* as` and read as a value, or exported so by the entry. Every item of every
    /// module in the graph counts, live or not: a read in code that turns out dead keeps a
    /// literal out of place, which is merely larger (and so does a getter not counted: the
    /// literal is then written there too).
    fn count_long_literal_reads(&mut self) {
        let is_long = |literal: &Name| super::is_long_literal(literal);
        // Which modules declare one. Most graphs have none: then nothing is counted.
        let declares_long: Vec<bool> = self
            .facts
            .iter()
            .map(|facts| facts.declares_long_constant)
            .collect();
        if !declares_long.contains(&true) {
            return;
        }
        let mut reads: rustc_hash::FxHashMap<(u32, Name), u32> = Default::default();
        // The modules whose namespace objects may be made, with a getter for each export.
        let graph = self.graph;
        let mut namespaces = vec![false; graph.modules.len()];
        for module in 0..self.graph.modules.len() as u32 {
            let facts = self.facts[module as usize];
            if facts
                .items
                .iter()
                .all(|item| item.references.is_empty() && item.namespace_members.is_empty())
            {
                continue;
            }
            let bindings = self.bindings(module);
            // A namespace import read as a value makes the namespace object.
            for (local, binding) in &bindings.imports {
                if let Binding::Namespace(target) = binding
                    && facts
                        .items
                        .iter()
                        .any(|item| item.references.binary_search(local).is_ok())
                {
                    namespaces[graph.index[target] as usize] = true;
                }
            }
            let long_literal = |binding: &Binding| self.long_literal(&declares_long, binding);
            // Only a module that declares one or binds an import to one can read one.
            let reads_any = declares_long[module as usize]
                || bindings
                    .imports
                    .iter()
                    .map(|(_, binding)| binding)
                    .chain(bindings.members.iter().map(|(_, binding)| binding))
                    .chain(
                        bindings
                            .object_members
                            .iter()
                            .map(|(_, object_member)| &object_member.property),
                    )
                    .any(|binding| long_literal(binding).is_some());
            if !reads_any {
                continue;
            }
            let mut count = |literal: Option<(u32, Name)>, times: u32| {
                if let Some(literal) = literal {
                    *reads.entry(literal).or_default() += times;
                }
            };
            let repeated = |repeated: bool| if repeated { 2 } else { 1 };
            for item in &facts.items {
                for name in &item.references {
                    let times = item
                        .repeated_references
                        .binary_search_by(|(repeated, _)| repeated.cmp(name))
                        .map_or(1, |found| item.repeated_references[found].1.into());
                    match bindings.import(name) {
                        Some(binding) => count(long_literal(binding), times),
                        // The module's own binding.
                        None if declares_long[module as usize]
                            && facts
                                .constant(name)
                                .or_else(|| facts.hoisted_constant(name))
                                .is_some_and(is_long) =>
                        {
                            count(Some((module, name.clone())), times);
                        }
                        None => {}
                    }
                }
                for key @ (namespace, member) in &item.namespace_members {
                    let Some((read, through_object)) =
                        self.member_read(bindings, namespace, member)
                    else {
                        continue;
                    };
                    let times = match through_object {
                        true => 2,
                        false => {
                            repeated(item.repeated_namespace_members.binary_search(key).is_ok())
                        }
                    };
                    count(long_literal(read), times);
                }
            }
        }
        if let Some(&entry) = graph.entries.first() {
            for (_, binding) in &module_exports(self.db, self.config, entry).resolved {
                if let Binding::Namespace(target) = binding {
                    namespaces[graph.index[target] as usize] = true;
                }
            }
        }
        for (target, _) in namespaces.iter().enumerate().filter(|(_, made)| **made) {
            let target = graph.modules[target].file;
            for (_, binding) in &module_exports(self.db, self.config, target).resolved {
                if let Some(literal) = self.long_literal(&declares_long, binding) {
                    *reads.entry(literal).or_default() += 1;
                }
            }
        }
        self.long_literal_reads = reads;
    }

    /// The long literal constant `binding` is, if it is one that importers may read in place,
    /// by its module's index and local (`declares_long`: which modules declare one).
    fn long_literal(&self, declares_long: &[bool], binding: &Binding) -> Option<(u32, Name)> {
        let Binding::Symbol { module, local } = binding else {
            return None;
        };
        let target = self.index(*module);
        (declares_long[target as usize]
            && self.facts[target as usize]
                .constant(local)
                .is_some_and(|literal| super::is_long_literal(literal)))
        .then(|| (target, local.clone()))
    }

    /// What the static member read `namespace.member` in a module (with `bindings`) reads:
    /// a member of a namespace; the binding a member of an imported object holds, read in
    /// its place (see `super::read_member_in_place`; then `true`); or another import, read
    /// as written.
    fn member_read<'b>(
        &self,
        bindings: &'b ModuleBindings,
        namespace: &Name,
        member: &Name,
    ) -> Option<(&'b Binding, bool)> {
        if let Some(binding) = bindings.member(namespace, member) {
            Some((binding, false))
        } else if let Some(object_member) = bindings.object_member(namespace, member)
            && !self.graph.is_lazy(object_member.module)
        {
            Some((&object_member.property, true))
        } else {
            bindings
                .import(namespace)
                .filter(|binding| !matches!(binding, Binding::Namespace(_)))
                .map(|binding| (binding, false))
        }
    }

    fn mark_binding(&mut self, binding: &Binding) {
        match binding {
            Binding::Symbol { module, local } => {
                let module = self.index(*module);
                self.mark_symbol(module, local);
            }
            Binding::Namespace(module) => self.mark_namespace(*module),
            Binding::CommonJs {
                module, node_mode, ..
            } => {
                let index = self.index(*module);
                self.include_commonjs(index);
                let interop = &mut self.interop[index as usize];
                if *node_mode {
                    interop.node = true;
                } else {
                    interop.babel = true;
                }
            }
            Binding::External {
                specifier,
                imported,
            } => {
                let Some(used) = self.external_mut(specifier) else {
                    return;
                };
                match imported {
                    ImportedName::Named(name) => used.named.push(name.clone()),
                    ImportedName::Namespace => used.namespace = true,
                }
            }
        }
    }

    fn external_mut(&mut self, specifier: &Name) -> Option<&mut ExternalUse> {
        let index = self.graph.external(specifier)?;
        Some(&mut self.externals[index])
    }

    fn mark_external_stars(&mut self, file: SourceFile) {
        for specifier in &module_exports(self.db, self.config, file).external_stars {
            if let Some(used) = self.external_mut(specifier) {
                used.star_reexported = true;
            }
        }
    }

    fn mark_namespace(&mut self, file: SourceFile) {
        let module = self.index(file);
        if self.namespaces[module as usize] {
            return;
        }
        self.namespaces[module as usize] = true;
        // A getter that returns a constant's literal (see `linked_module`) needs only the
        // constant's module to run.
        for (_, binding) in &module_exports(self.db, self.config, file).resolved {
            if self.is_read_in_place(binding) {
                self.touch_module_of(binding);
            } else {
                self.mark_binding(binding);
            }
        }
        self.mark_external_stars(file);
    }

    /// `import()` or `require` of an ES module: its namespace, after running it if it is lazy.
    fn load_namespace(&mut self, file: SourceFile) {
        self.mark_namespace(file);
        if self.graph.is_lazy(file) {
            self.include_lazy_module(file);
        } else {
            let index = self.index(file);
            self.touch_module(index);
        }
    }

    /// `import()` of a module that is the root of a chunk (with splitting): the chunk's file
    /// exports the module's exports, which is the namespace `import()` yields; no namespace
    /// object is made.
    fn load_chunk_root(&mut self, file: SourceFile) {
        for (_, binding) in &module_exports(self.db, self.config, file).resolved {
            self.mark_binding(binding);
        }
        self.mark_external_stars(file);
        let index = self.index(file);
        self.touch_module(index);
    }

    fn include_lazy_module(&mut self, file: SourceFile) {
        let module = self.index(file);
        if self.lazy_included[module as usize] {
            return;
        }
        self.lazy_included[module as usize] = true;
        // A lazy module's initializer returns its namespace, and runs its lazy static
        // dependencies first.
        self.mark_namespace(file);
        for dependency in &self.dependencies(module).dependencies {
            if let Dependency::Module(target) = dependency
                && self.graph.is_lazy(*target)
            {
                self.include_lazy_module(*target);
            }
        }
        self.touch_module(module);
        self.include_side_effects(module);
    }

    fn visit_item(&mut self, module: u32, item: u32) {
        self.touch_module(module);
        let module_facts = self.facts[module as usize];
        let facts = &module_facts.items[item as usize];
        let shape = self.shapes[module as usize];
        let bindings = self.bindings(module);
        // References are to top-level bindings only: a declaration, or an import (a name
        // the module does not declare: a module cannot declare its imports' locals). An
        // imported constant is read in place: it needs nothing but its module to run.
        for (name, referenced) in facts
            .references
            .iter()
            .zip(module_facts.references(item as usize))
        {
            let import = match referenced {
                Referenced::Declared(symbol) => {
                    if !self.own_read_in_place(module, name) {
                        self.mark_symbol_at(module, symbol);
                    }
                    continue;
                }
                Referenced::Import(rank) => bindings.import_of_local(rank),
                Referenced::Nothing => None,
            };
            let Some(import) = import else {
                continue;
            };
            match self.import_use(module, import) {
                ImportUse::Touch(target) => self.touch_module(target),
                ImportUse::Symbol(target, symbol) => self.mark_symbol_at(target, symbol as usize),
                ImportUse::Binding => self.mark_binding(&bindings.imports[import].1),
                ImportUse::Nothing | ImportUse::Unknown => {}
            }
        }
        let live_symbols = &mut self.live_symbols[module as usize];
        for &symbol in module_facts.declared_symbols.of(item as usize) {
            live_symbols[symbol as usize] = true;
        }
        for (namespace, member) in &facts.namespace_members {
            let Some((read, _)) = self.member_read(bindings, namespace, member) else {
                continue;
            };
            if self.is_read_in_place(read) {
                self.touch_module_of(read);
            } else {
                self.mark_binding(read);
            }
        }
        if facts.requires.is_empty() && facts.dynamic_imports.is_empty() {
            return;
        }
        let dependencies = self.dependencies(module);
        for specifier in &facts.requires {
            let Some(index) = shape.request(specifier) else {
                continue;
            };
            match &dependencies.dependencies[index] {
                Dependency::Module(target) => {
                    let target = *target;
                    let index = self.index(target);
                    if self.is_commonjs(index) {
                        self.include_commonjs(index);
                        continue;
                    }
                    // `require` of an ES module gives its namespace.
                    self.load_namespace(target);
                }
                Dependency::External(specifier) => {
                    if let Some(used) = self.external_mut(specifier) {
                        used.required = true;
                    }
                }
                Dependency::Unresolved => {}
            }
        }
        for specifier in &facts.dynamic_imports {
            let Some(index) = shape.dynamic_request(specifier) else {
                continue;
            };
            match &dependencies.dynamic_dependencies[index] {
                Dependency::Module(target)
                    if self.config.splitting(self.db)
                        && !self.is_commonjs(self.index(*target))
                        && !self.graph.is_lazy(*target) =>
                {
                    self.load_chunk_root(*target);
                }
                Dependency::Module(target) => self.load_namespace(*target),
                Dependency::External(specifier) => {
                    if let Some(used) = self.external_mut(specifier) {
                        used.dynamic = true;
                    }
                }
                Dependency::Unresolved => {}
            }
        }
    }
}

/// Whether a module's code is in the bundle: a CommonJS module only when something includes
/// it (`lazy_included`); an ES module when it is eager, or a live `import()` or `require`
/// loads it.
fn is_included(lazy_included: bool, module: &GraphModule, commonjs: bool) -> bool {
    lazy_included || !module.is_lazy && !commonjs
}

/// How many modules' decisions a rayon task makes at least.
const DECISIONS_PER_TASK: usize = 256;

/// What the decisions read of the walk once it is done: no query, so that they can be
/// made on any thread.
struct Decider<'l> {
    graph: &'l GraphMembers,
    facts: &'l [&'l ModuleFacts],
    shapes: &'l [&'l ModuleShape],
    live_items: &'l PerModule,
    live_symbols: &'l PerModule,
    namespaces: &'l [bool],
    lazy_included: &'l [bool],
    interop: &'l [InteropUse],
    /// Fetched for every module with `require` calls or `import()`s, and only for those.
    dependencies: &'l [Option<&'l ModuleDependencies>],
}

impl Decider<'_> {
    /// What the walk decided about module `module`, with what naming needs of it.
    fn decision(&self, index: usize, moves: single_use::Moves) -> ModuleLiveness {
        let shape = self.shapes[index];
        let commonjs = shape.kind == ModuleKind::CommonJs;
        let included = is_included(
            self.lazy_included[index],
            &self.graph.modules[index],
            commonjs,
        );
        if !included {
            return ModuleLiveness {
                namespace: self.namespaces[index],
                interop: self.interop[index],
                direct_eval: shape.has_direct_eval,
                commonjs,
                ..ModuleLiveness::default()
            };
        }
        let live = &self.live_items[index];
        // After the walk, a binding is marked exactly when an item that declares it is
        // live: marking a binding marks its declarations, and a live item marks what it
        // declares.
        let live_symbols = &self.live_symbols[index];
        let moved = |name: &Name| {
            moves.moved_out.iter().any(|&item| {
                self.facts[index].items[item as usize]
                    .declares
                    .contains(name)
            })
        };
        let declared = shape
            .symbols
            .iter()
            .zip(&self.facts[index].symbol_positions)
            .filter(|&(name, &position)| {
                position != NOT_DECLARED && live_symbols[position as usize] && !moved(name)
            })
            .map(|(name, _)| name.clone())
            .collect();
        let live_items = live
            .iter()
            .enumerate()
            .filter(|(_, live)| **live)
            .map(|(item, _)| item as u32)
            .collect();
        // What it loads other than by static imports (its dependencies were fetched for
        // it, see `liveness`).
        let (mut required, mut dynamically_imported) = (Vec::new(), Vec::new());
        if (commonjs || shape.has_dynamic_requests)
            && let Some(dependencies) = self.dependencies[index]
        {
            let modules = |list: &[Dependency]| {
                list.iter()
                    .filter_map(|dependency| match dependency {
                        Dependency::Module(target) => Some(*target),
                        _ => None,
                    })
                    .collect()
            };
            required = modules(dependencies.requires());
            dynamically_imported = modules(&dependencies.dynamic_dependencies);
        }
        ModuleLiveness {
            included,
            live_items,
            namespace: self.namespaces[index],
            interop: self.interop[index],
            declared,
            direct_eval: shape.has_direct_eval,
            commonjs,
            required,
            dynamically_imported,
            moved_out: moves.moved_out,
            moved_in: moves.moved_in,
        }
    }
}

/// What a live item's reference to one of its module's imports marks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ImportUse {
    /// Nothing but the module of a constant read in place (it must run).
    Touch(u32),
    /// A top-level binding of a module, by module and index into its
    /// `ModuleFacts::declared_by`.
    Symbol(u32, u32),
    /// A namespace, a CommonJS module's view or an external's binding: see
    /// [`TreeShaker::mark_binding`].
    Binding,
    /// A binding its module does not declare (nothing to mark).
    Nothing,
    /// Not worked out yet.
    Unknown,
}

/// A flag per element of every module (its items, its top-level bindings), in one
/// allocation: indexed by module, a module's flags.
struct PerModule {
    starts: Vec<u32>,
    flags: Vec<bool>,
}

impl PerModule {
    /// All clear, `lengths` giving how many flags each module has.
    fn new(lengths: impl Iterator<Item = usize>) -> PerModule {
        let mut starts = vec![0];
        let mut end = 0;
        for length in lengths {
            end += length as u32;
            starts.push(end);
        }
        PerModule {
            starts,
            flags: vec![false; end as usize],
        }
    }

    fn range(&self, module: usize) -> std::ops::Range<usize> {
        self.starts[module] as usize..self.starts[module + 1] as usize
    }
}

impl std::ops::Index<usize> for PerModule {
    type Output = [bool];

    fn index(&self, module: usize) -> &[bool] {
        &self.flags[self.range(module)]
    }
}

impl std::ops::IndexMut<usize> for PerModule {
    fn index_mut(&mut self, module: usize) -> &mut [bool] {
        let range = self.range(module);
        &mut self.flags[range]
    }
}

/// The value in `slot`, fetched the first time it is asked for (so that tree shaking depends
/// only on what it reads).
fn fetch_once<'l, T>(slot: &mut Option<&'l T>, fetch: impl FnOnce() -> &'l T) -> &'l T {
    match *slot {
        Some(value) => value,
        None => {
            let value = fetch();
            *slot = Some(value);
            value
        }
    }
}
