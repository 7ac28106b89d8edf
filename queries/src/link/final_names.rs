//! Final names for every live top-level binding, namespace object, lazy initializer and
//! external binding, chosen by the [`Deconflicter`] in execution order so that declarations
//! keep their own names where they can. Global, projected back per module.
//!
//! Naming must avoid two kinds of names that change with almost every edit inside a function
//! body: the globals modules read, and the names bound in nested scopes of a module (which
//! would capture a reference to a top-level binding renamed to them). So that such an edit
//! does not re-run a whole-bundle pass, no whole-bundle query reads them:
//!
//! 1. [`tentative_names`] names everything without them;
//! 2. [`name_collisions`] lists, per module, those of its names that collide with the
//!    tentative names (rarely any: a global `parseInt` read by one module and declared by
//!    another);
//! 3. [`names_respecting_collisions`] names everything again respecting just those (or is
//!    the tentative naming when there are none);
//! 4. [`names_still_collide`] checks every module's names against that naming; only if one
//!    still collides does [`final_names`] respect every module's names.
//!
//! Naming under a subset of the constraints agrees with naming under all of them whenever
//! nothing it chose violates the others (see [`Deconflicter`]), so the result is always what
//! respecting every module's names gives. A new local or global read re-runs the checks of
//! steps 2 and 4, lookups of a few names per module that come out equal, and the wave stops
//! there: the checks are whole-bundle queries over per-module inputs rather than a query per
//! module over the whole-bundle naming, because salsa re-validates a query that depends on
//! the (often changing) naming on every build, which for a query per module costs more than
//! the checks themselves.

use rustc_hash::FxHashMap;

use super::{
    Binding,
    bind_imports::module_bindings,
    deconflict::{Deconflicter, Users},
    graph::{ExecutionStep, ModuleGraph, graph_views, module_graph},
    module_stem,
    tree_shaking::{Liveness, liveness},
};
use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    files::SourceFile,
    names,
    parse::{DEFAULT_LOCAL, ImportedName, Name, ScopeNames, module_facts},
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

/// Names every binding of the bundle: the names chosen respecting the collisions found with
/// the tentative names, unless even those collide with some module's nested names or
/// globals, in which case (and always with short names) every module's are respected.
#[salsa::tracked(returns(ref))]
pub fn final_names(db: &dyn Db, config: BuildConfig) -> FinalNames {
    let _span = tracing::debug_span!("final_names").entered();
    db.work().linked();
    // Short names (`--minify-identifiers`) collide with the mangled nested names of nearly
    // every module: the steps that look for a few collisions would find them all.
    if crate::settings::minify_identifiers(db) || *names_still_collide(db, config) {
        name_bindings(db, config, &Scopes::All).names
    } else {
        names_respecting_collisions(db, config).names.clone()
    }
}

/// Names chosen under some of the modules' nested names and globals, and what the collision
/// checks need to know of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChosenNames {
    pub names: FinalNames,
    /// Per module, in graph order: the names chosen for bindings it refers to under another
    /// local name (or as `ns.member`, or through generated code), sorted. A nested binding
    /// of one of these would capture the reference.
    visible: Vec<Vec<Name>>,
    /// Every name chosen, sorted. A global of one of these would be shadowed.
    chosen: Vec<Name>,
}

impl ChosenNames {
    /// The names of `scope` (a module's, at `index` in the graph) that collide with these.
    fn collisions(&self, index: usize, scope: &ScopeNames) -> ScopeNames {
        ScopeNames {
            nested: sorted_intersection(&self.visible[index], &scope.nested),
            globals: scope
                .globals
                .iter()
                .filter(|global| self.chosen.binary_search(global).is_ok())
                .cloned()
                .collect(),
        }
    }
}

/// The names in both of two sorted lists, by one walk over both: a module's visible names
/// (a few dozen) looked up one by one in its nested names (often hundreds) were most of a
/// collision check's time.
fn sorted_intersection(a: &[Name], b: &[Name]) -> Vec<Name> {
    let (mut i, mut j) = (0, 0);
    let mut both = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both.push(a[i].clone());
                i += 1;
                j += 1;
            }
        }
    }
    both
}

/// Step 1: names chosen without looking at any module's nested names or globals.
#[salsa::tracked(returns(ref))]
pub fn tentative_names(db: &dyn Db, config: BuildConfig) -> ChosenNames {
    let _span = tracing::debug_span!("tentative_names").entered();
    name_bindings(db, config, &Scopes::Ignored)
}

/// Step 2: the nested names and globals of each module that collide with the tentative
/// names (a few, in a few modules: `parseInt` declared by one module and read as a global by
/// another), by module index in the graph. Equal after almost every edit of a function body.
#[salsa::tracked(returns(ref))]
pub fn name_collisions(db: &dyn Db, config: BuildConfig) -> Vec<(u32, ScopeNames)> {
    let _span = tracing::debug_span!("name_collisions").entered();
    collisions_with(db, config, tentative_names(db, config))
}

/// Step 3: names chosen respecting the collisions of step 2 (the tentative names when there
/// are none).
#[salsa::tracked(returns(ref))]
pub fn names_respecting_collisions(db: &dyn Db, config: BuildConfig) -> ChosenNames {
    let collisions = name_collisions(db, config);
    if collisions.is_empty() {
        return tentative_names(db, config).clone();
    }
    let _span = tracing::debug_span!("names_respecting_collisions").entered();
    let mut per_module = vec![&NO_SCOPE_NAMES; module_graph(db, config).modules.len()];
    for (index, scope) in collisions {
        per_module[*index as usize] = scope;
    }
    name_bindings(db, config, &Scopes::Some(per_module))
}

/// Step 4: whether some module's nested names or globals collide with the names of step 3
/// (almost never: only when a name chosen to avoid one collision makes another). Then
/// [`final_names`] respects every module's. Equal (`false`) after almost every edit of a
/// function body: the cutoff that keeps such edits out of the whole-bundle passes.
#[salsa::tracked]
pub fn names_still_collide(db: &dyn Db, config: BuildConfig) -> bool {
    // Without collisions in step 2, step 3 is step 1, and so is this check.
    !name_collisions(db, config).is_empty()
        && !collisions_with(db, config, names_respecting_collisions(db, config)).is_empty()
}

/// Each included module's names that collide with `names`. Reads every module's scope names;
/// the queries that call it are cheap and stop the wave (see the module documentation).
fn collisions_with(
    db: &dyn Db,
    config: BuildConfig,
    names: &ChosenNames,
) -> Vec<(u32, ScopeNames)> {
    let liveness = liveness(db, config);
    graph_views(db, config)
        .iter()
        .zip(&liveness.modules)
        .enumerate()
        .filter(|(_, (_, live))| live.included)
        .filter_map(|(index, (view, _))| {
            let collisions = names.collisions(index, view.scope_names(db));
            (!collisions.nested.is_empty() || !collisions.globals.is_empty())
                .then_some((index as u32, collisions))
        })
        .collect()
}

static NO_SCOPE_NAMES: ScopeNames = ScopeNames {
    nested: Vec::new(),
    globals: Vec::new(),
};

/// Which modules' nested names and globals naming respects.
enum Scopes<'db> {
    Ignored,
    /// These names, per module in graph order.
    Some(Vec<&'db ScopeNames>),
    All,
}

fn name_bindings<'db>(db: &'db dyn Db, config: BuildConfig, scopes: &Scopes<'db>) -> ChosenNames {
    let graph = module_graph(db, config);
    let liveness = liveness(db, config);
    let format = config.format(db);
    // Every module's nested names and globals are respected: read through the views.
    let views = matches!(scopes, Scopes::All).then(|| graph_views(db, config));

    // Who refers to each binding from another module (or as a namespace member), and under
    // which local name; and the globals any included module reads. A declaration's own
    // module is added when it is named.
    let mut users: FxHashMap<Binding, Users> = FxHashMap::default();
    // Who refers to a CommonJS module's ES view (by mode), and to its `require_x`.
    let mut interop_users: FxHashMap<(SourceFile, bool), Users> = FxHashMap::default();
    let mut require_users: FxHashMap<SourceFile, Users> = FxHashMap::default();
    // Who calls a lazy module's initializer from its own code: `import()` of it becomes
    // `init_x()` there, where a nested binding could capture the name.
    let mut dynamic_import_users: FxHashMap<SourceFile, Users> = FxHashMap::default();
    // Who imports a binding of a lazy module, which its code reads through the module's
    // namespace object (see `replacements::replacement`).
    let mut lazy_users: FxHashMap<SourceFile, Users> = FxHashMap::default();
    let mut globals = Vec::new();
    let mut nested_names = FxHashMap::default();
    // Whether each included module is CommonJS. Naming reads no module's record or
    // dependencies (see `ModuleLiveness::declared`).
    let mut commonjs = vec![false; graph.modules.len()];
    for (index, module) in graph.modules.iter().enumerate() {
        if !liveness.modules[index].included {
            continue;
        }
        let file = module.file;
        let scope = match scopes {
            Scopes::Ignored => None,
            Scopes::Some(per_module) => Some(per_module[index]),
            Scopes::All => views.map(|views| views[index].scope_names(db)),
        };
        if let Some(scope) = scope {
            nested_names.insert(file, scope.nested.as_slice());
            globals.extend(scope.globals.iter().cloned());
        }
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
        let imported = bindings.imports.iter().map(|(_, binding)| binding);
        for binding in imported.chain(bindings.members.iter().map(|(_, binding)| binding)) {
            if let Binding::Symbol { module, .. } = binding
                && graph.is_lazy(*module)
            {
                lazy_users.entry(*module).or_default().push((file, None));
            }
        }
        // A member of an imported object read in place names the member's binding here.
        for (_, object_member) in &bindings.object_members {
            let Some(&object_module) = graph.index.get(&object_member.module) else {
                continue;
            };
            if super::read_member_in_place(
                object_member,
                graph.modules[object_module as usize].is_lazy,
                &liveness.modules[object_module as usize].declared,
            ) {
                users
                    .entry(object_member.property.clone())
                    .or_default()
                    .push((file, None));
            }
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
        let live = &liveness.modules[index];
        commonjs[index] = live.commonjs;
        // A function written in a nested scope of this module refers to its bindings from
        // here (see `tree_shaking::MovedIn::nested`).
        for moved in live.moved_in.iter().filter(|moved| moved.nested) {
            let item = &module_facts(db, moved.from).items[moved.item as usize];
            let from_bindings = module_bindings(db, config, moved.from);
            for name in &item.references {
                let binding =
                    from_bindings
                        .import(name)
                        .cloned()
                        .unwrap_or_else(|| Binding::Symbol {
                            module: moved.from,
                            local: name.clone(),
                        });
                users.entry(binding).or_default().push((file, None));
            }
        }
        for target in &live.required {
            require_users.entry(*target).or_default().push((file, None));
        }
        for target in &live.dynamically_imported {
            dynamic_import_users
                .entry(*target)
                .or_default()
                .push((file, None));
        }
    }
    globals.sort_unstable();
    globals.dedup();
    let mut deconflicter = Deconflicter::new(
        nested_names,
        globals,
        crate::settings::minify_identifiers(db),
    );
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
    let direct_eval = |index: usize| liveness.modules[index].direct_eval;
    let declaration_order: Vec<usize> = module_order
        .iter()
        .copied()
        .filter(|&index| direct_eval(index))
        .chain(
            module_order
                .iter()
                .copied()
                .filter(|&index| !direct_eval(index)),
        )
        .collect();

    let short_names = crate::settings::minify_identifiers(db);
    // Every declaration a live item makes, in declaration order.
    let mut declarations = Vec::new();
    for &index in &declaration_order {
        let file = graph.modules[index].file;
        for local in &liveness.modules[index].declared {
            let binding = Binding::Symbol {
                module: file,
                local: local.clone(),
            };
            let mut symbol_users = users.remove(&binding).unwrap_or_default();
            symbol_users.push((file, Some(local.clone())));
            declarations.push(Declaration {
                module: index,
                local: local.clone(),
                users: symbol_users,
                keeps_name: direct_eval(index),
            });
        }
    }
    if short_names {
        // The most used bindings get the shortest names. Use is counted in items (how many
        // live items refer to the binding, in any module; an item that refers to it often,
        // by a power of two), which changes only when the facts change, so typing in a
        // function body seldom reorders the names.
        let referring = referring_items(db, config, graph, liveness);
        let weight = |declaration: &Declaration| -> usize {
            declaration
                .users
                .iter()
                .filter_map(|(module, local)| {
                    referring.get(&(*module, local.as_ref()?.clone())).copied()
                })
                .sum()
        };
        let mut weighted: Vec<(usize, Declaration)> = declarations
            .into_iter()
            .map(|declaration| (weight(&declaration), declaration))
            .collect();
        // Stable: equally used bindings stay in declaration order. Modules with a direct
        // `eval` keep their names and still go first.
        weighted.sort_by_key(|(weight, declaration)| {
            (!declaration.keeps_name, std::cmp::Reverse(*weight))
        });
        declarations = weighted
            .into_iter()
            .map(|(_, declaration)| declaration)
            .collect();
    }

    let mut modules = vec![ModuleNames::default(); graph.modules.len()];
    // Declarations first, so they keep their own names where they can.
    for declaration in declarations {
        let file = graph.modules[declaration.module].file;
        let preferred = if declaration.local == DEFAULT_LOCAL {
            format!("{}_default", module_stem(file.path(db)))
        } else {
            declaration.local.to_string()
        };
        let name = if declaration.keeps_name {
            deconflicter.assign_preferred(&preferred, &declaration.users)
        } else {
            deconflicter.assign(&preferred, &declaration.users)
        };
        modules[declaration.module]
            .symbols
            .push((declaration.local, name));
    }
    for module in &mut modules {
        module.symbols.sort_unstable();
    }

    // Then the names the bundle introduces: namespace objects and lazy initializers.
    for &index in &module_order {
        let module = &graph.modules[index];
        let is_commonjs = commonjs[index];
        if !is_commonjs && !liveness.modules[index].namespace && !module.is_lazy {
            continue;
        }
        let stem = module_stem(module.file.path(db));
        if is_commonjs {
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
            let mut module_users = users.get(&binding).cloned().unwrap_or_default();
            // `import()` of it reads the namespace object in the importer's code (or calls
            // the initializer that returns it), where a nested binding could capture it.
            module_users.extend(
                dynamic_import_users
                    .get(&module.file)
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
            // A lazy module's bindings are read through its namespace object, by every
            // module that imports one (`ns.x`, inside its functions too).
            module_users.extend(lazy_users.get(&module.file).into_iter().flatten().cloned());
            let preferred = module_users
                .iter()
                .find_map(|(_, local)| local.clone())
                .map_or_else(|| format!("{stem}_exports"), |local| local.to_string());
            modules[index].namespace = Some(deconflicter.assign(&preferred, &module_users));
        }
        if module.is_lazy {
            let init_users = dynamic_import_users.get(&module.file).unwrap_or(&no_users);
            modules[index].init = Some(deconflicter.assign(&format!("init_{stem}"), init_users));
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

    let (visible, chosen) = deconflicter.into_choices();
    let visible = graph
        .modules
        .iter()
        .map(|module| {
            let mut names = visible.get(&module.file).cloned().unwrap_or_default();
            names.sort_unstable();
            names.dedup();
            names
        })
        .collect();
    ChosenNames {
        names: FinalNames { modules, externals },
        visible,
        chosen,
    }
}

/// How each external module is loaded and named.
#[salsa::tracked(returns(ref))]
pub fn external_names(db: &dyn Db, config: BuildConfig) -> Vec<LinkedExternal> {
    final_names(db, config).externals.clone()
}

/// A top-level binding to name: which module declares it, and who refers to it.
struct Declaration {
    /// Index in the graph.
    module: usize,
    local: Name,
    users: Users,
    /// Its module has a direct `eval`, which may read it by its own name.
    keeps_name: bool,
}

/// How many live items of each module refer to each of its local names (a declaration
/// counts as a reference of the item that makes it, and a member read of an import that is
/// not an `import * as` as a reference of the import, as when the read was not a
/// relocation of its own).
fn referring_items(
    db: &dyn Db,
    config: BuildConfig,
    graph: &ModuleGraph,
    liveness: &Liveness,
) -> FxHashMap<(SourceFile, Name), usize> {
    let mut counts: FxHashMap<(SourceFile, Name), usize> = FxHashMap::default();
    let views = graph_views(db, config);
    for ((module, view), live) in graph.modules.iter().zip(views).zip(&liveness.modules) {
        if !live.included {
            continue;
        }
        let facts = view.facts(db);
        let namespaces: Vec<&Name> = view
            .imports(db)
            .imports
            .iter()
            .filter(|import| import.imported == ImportedName::Namespace)
            .map(|import| &import.local)
            .collect();
        for &item in &live.live_items {
            let item = &facts.items[item as usize];
            for name in item.references.iter().chain(&item.declares) {
                *counts.entry((module.file, name.clone())).or_default() += 1;
            }
            // An item that refers to a binding many times (lodash-es's `lodash.after =
            // after, ...`: 300 times) counts as that many, to a power of two.
            for (name, power) in &item.frequent_references {
                *counts.entry((module.file, name.clone())).or_default() += (1 << power) - 1;
            }
            let mut read_through: Vec<&Name> = item
                .namespace_members
                .iter()
                .filter(|(import, _)| {
                    !namespaces.contains(&import) && item.references.binary_search(import).is_err()
                })
                .map(|(import, _)| import)
                .collect();
            read_through.dedup();
            for import in read_through {
                *counts.entry((module.file, import.clone())).or_default() += 1;
            }
        }
    }
    counts
}
