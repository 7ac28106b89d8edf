//! Final names for every live top-level binding, namespace object, lazy initializer and
//! external binding, chosen by the [`Deconflicter`] in execution order so that declarations
//! keep their own names where they can. Global, projected back per module.
//!
//! Naming must avoid two kinds of names that change with almost every edit inside a function
//! body: the globals modules read, and the names bound in nested scopes of a module (which
//! would capture a reference to a top-level binding renamed to them). So that such an edit
//! does not re-run a whole-bundle pass, no whole-bundle query reads them:
//!
//! 1. [`tentative_names`] names everything without them (family by family, in shards
//!    that are named again only when their list of preferred names changed);
//! 2. [`name_collisions`] lists, per module, those of its names that collide with the
//!    tentative names (rarely any: a global `parseInt` read by one module and declared by
//!    another); without any, the tentative names are the final ones;
//! 3. [`names_respecting_collisions`] names everything again respecting just those;
//! 4. [`names_still_collide`] checks every module's names against that naming; only if one
//!    still collides does [`names_respecting_every_scope`] respect every module's names.
//!
//! Naming under a subset of the constraints agrees with naming under all of them whenever
//! nothing it chose violates the others (see [`Deconflicter`]), so the result is always what
//! respecting every module's names gives. A new local or global read re-runs the check of
//! step 2 (and 4, after collisions), lookups of a few names per module that come out
//! equal, and the wave stops there: the checks are whole-bundle queries over per-module
//! inputs rather than a query per module over the whole-bundle naming, because salsa
//! re-validates a query that depends on the (often changing) naming on every build, which
//! for a query per module costs more than the checks themselves.

mod requests;
mod shards;

use std::sync::Arc;

use defer_drop::DeferDrop;
use rustc_hash::FxHashSet;

pub use requests::{BindingUsers, binding_users};
use requests::{NameRequest, NameTarget, name_requests};
use shards::{ChosenSet, ShardNames, naming_requests, shard_names};

use super::{
    deconflict::Deconflicter,
    graph::{ModuleGraph, graph_views, module_graph},
    tree_shaking::liveness,
};
use crate::{
    Db,
    config::BuildConfig,
    parse::{Name, ScopeNames},
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

/// `name` as `--charset=ascii` writes it.
fn spelled(name: &Name) -> Name {
    Name::from(crate::charset::ascii_identifier(name).as_ref())
}

impl ModuleNames {
    /// These names with escapes for what is not ASCII (`--charset=ascii`), if any needs
    /// them. Naming compares names decoded; only what is written is escaped.
    pub fn escaped(&self) -> Option<ModuleNames> {
        let optional = [
            &self.namespace,
            &self.init,
            &self.require,
            &self.interop,
            &self.node_interop,
        ];
        let any = self.symbols.iter().any(|(_, name)| !name.is_ascii())
            || optional
                .iter()
                .flat_map(|name| name.iter())
                .any(|name| !name.is_ascii());
        if !any {
            return None;
        }
        let each = |name: &Option<Name>| name.as_ref().map(spelled);
        Some(ModuleNames {
            symbols: self
                .symbols
                .iter()
                .map(|(local, name)| (local.clone(), spelled(name)))
                .collect(),
            namespace: each(&self.namespace),
            init: each(&self.init),
            require: each(&self.require),
            interop: each(&self.interop),
            node_interop: each(&self.node_interop),
        })
    }

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
    /// One per module, in graph order; shared with the module's `ModuleLink`, which
    /// `module_links` makes without copying it.
    pub modules: Vec<Arc<ModuleNames>>,
    /// One per external, in graph order.
    pub externals: Vec<LinkedExternal>,
}

/// Names every binding of the bundle: the tentative names when nothing collides with them
/// (almost always), else the names chosen respecting the collisions found, unless even those
/// collide with some module's nested names or globals, in which case (and always with short
/// names) every module's are respected. Not a query of its own: the names are those of the
/// step's memo, not copied into another (a copy, and comparing it with the last one, cost
/// about 3 ms of every graph edit on three.js x10).
pub fn final_names(db: &dyn Db, config: BuildConfig) -> &FinalNames {
    // Short names (`--minify-identifiers`) collide with the mangled nested names of nearly
    // every module: the steps that look for a few collisions would find them all.
    if crate::settings::minify_identifiers(db) {
        return names_respecting_every_scope(db, config);
    }
    if name_collisions(db, config).is_empty() {
        &tentative_names(db, config).names
    } else if *names_still_collide(db, config) {
        names_respecting_every_scope(db, config)
    } else {
        &names_respecting_collisions(db, config).names
    }
}

/// Step 5, rarely needed: names respecting every module's nested names and globals.
#[salsa::tracked(returns(ref))]
pub fn names_respecting_every_scope(db: &dyn Db, config: BuildConfig) -> DeferDrop<FinalNames> {
    let _span = tracing::debug_span!("names_respecting_every_scope").entered();
    db.work().linked();
    DeferDrop::new(name_bindings(db, config, &Scopes::All).names)
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
    /// Every name chosen. A global of one of these would be shadowed.
    chosen: ChosenSet,
}

impl ChosenNames {
    /// The names of `scope` (a module's, at `index` in the graph) that collide with these.
    /// `shadowed` holds the globals of every module that are among the names chosen.
    fn collisions(
        &self,
        index: usize,
        scope: &ScopeNames,
        shadowed: &FxHashSet<&Name>,
    ) -> ScopeNames {
        ScopeNames {
            nested: sorted_intersection(&self.visible[index], &scope.nested),
            globals: match shadowed.is_empty() {
                true => Vec::new(),
                false => scope
                    .globals
                    .iter()
                    .filter(|global| shadowed.contains(global))
                    .cloned()
                    .collect(),
            },
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
///
/// Without them (and without short names, which come from one pool), the name a binding
/// gets depends only on the names preferred before it in its family (see [`name_shard`]):
/// every candidate for it is of that family, and nothing else constrains it. So the
/// families are named in shards, a query each over the preferred names of its shard in
/// order ([`shard_names`]), and this query puts the names where they go. After an edit
/// that adds, removes or moves a few declarations (an export added, a module created, an
/// import that reorders the modules), the shards whose list did not change are not named
/// again: naming them was most of this step.
#[salsa::tracked(returns(ref))]
pub fn tentative_names(db: &dyn Db, config: BuildConfig) -> DeferDrop<ChosenNames> {
    let _span = tracing::debug_span!("tentative_names").entered();
    db.work().linked();
    if crate::settings::minify_identifiers(db) {
        return DeferDrop::new(name_bindings(db, config, &Scopes::Ignored));
    }
    let requests = naming_requests(db, config);
    let shards: Vec<&ShardNames> = requests
        .shards
        .iter()
        .map(|&shard| shard_names(db, shard))
        .collect();
    let names = requests
        .positions
        .iter()
        .map(|&(shard, position)| shards[shard as usize].names[position as usize].clone());
    let chosen = ChosenSet {
        shards: shards.iter().map(|shard| shard.sorted.clone()).collect(),
    };
    DeferDrop::new(assemble(
        module_graph(db, config),
        binding_users(db, config),
        &requests.list,
        names,
        chosen,
    ))
}

/// The names the last naming of a configuration chose, as far as a module's nested names
/// and globals can matter to it: the driver asks, before it publishes a module's new ones,
/// whether publishing them could change anything (see `summary`, "scope names").
pub struct ChosenSoFar {
    /// The names chosen by each step that decided (tentative, and respecting collisions
    /// when there were any).
    steps: Vec<ChosenSet>,
}

/// The names chosen in `config`'s naming, or `None` when any change of a module's nested
/// names or globals may change what the build decides: with short names (every module's
/// names are respected), when the names respecting collisions still collide, and with
/// `--minify-syntax` (tree shaking reads the names of the modules a function may move
/// between). Reads naming's memos as they are: asked only while no medium input changed
/// since `config` was linked, when they are confirmed at a glance.
pub fn chosen_so_far(db: &dyn Db, config: BuildConfig) -> Option<ChosenSoFar> {
    let minifies = crate::settings::CompileOptions::try_get(db)
        .is_some_and(|options| options.minify_identifiers(db) || options.minify_syntax(db));
    if minifies {
        return None;
    }
    let mut steps = vec![tentative_names(db, config).chosen.clone()];
    if !name_collisions(db, config).is_empty() {
        if *names_still_collide(db, config) {
            return None;
        }
        steps.push(names_respecting_collisions(db, config).chosen.clone());
    }
    Some(ChosenSoFar { steps })
}

impl ChosenSoFar {
    /// Whether a module's nested names and globals going from `old` to `new` could change
    /// what the build decides. A collision is a nested name among the names chosen for what
    /// the module refers to under another local name, or a global among all names chosen:
    /// either way a chosen name. So a name added or removed that no step chose makes no
    /// collision and ends none, and each step names what it named before. Besides naming,
    /// an ES module bundle reads the globals of CommonJS modules for the shims it writes
    /// (`require`, `__filename`, `__dirname`): those always matter.
    pub fn scope_change_matters(&self, old: &ScopeNames, new: &ScopeNames) -> bool {
        let matters = |name: &Name| {
            matches!(name.as_str(), "require" | "__filename" | "__dirname")
                || self.steps.iter().any(|chosen| chosen.contains(name))
        };
        sorted_difference(&old.nested, &new.nested).any(matters)
            || sorted_difference(&old.globals, &new.globals).any(matters)
    }
}

/// The names in one of two sorted lists and not the other.
fn sorted_difference<'a>(a: &'a [Name], b: &'a [Name]) -> impl Iterator<Item = &'a Name> {
    let missing_from = |list: &'a [Name]| move |name: &&Name| list.binary_search(name).is_err();
    a.iter()
        .filter(missing_from(b))
        .chain(b.iter().filter(missing_from(a)))
}

/// Step 2: the nested names and globals of each module that collide with the tentative
/// names (a few, in a few modules: `parseInt` declared by one module and read as a global by
/// another), by module index in the graph. Equal after almost every edit of a function body.
#[salsa::tracked(returns(ref))]
pub fn name_collisions(db: &dyn Db, config: BuildConfig) -> Vec<(u32, ScopeNames)> {
    let _span = tracing::debug_span!("name_collisions").entered();
    collisions_with(db, config, tentative_names(db, config))
}

/// Step 3, when step 2 found collisions: names chosen respecting them.
#[salsa::tracked(returns(ref))]
pub fn names_respecting_collisions(db: &dyn Db, config: BuildConfig) -> DeferDrop<ChosenNames> {
    let _span = tracing::debug_span!("names_respecting_collisions").entered();
    db.work().linked();
    let collisions = name_collisions(db, config);
    let mut per_module = vec![&NO_SCOPE_NAMES; module_graph(db, config).modules.len()];
    for (index, scope) in collisions {
        per_module[*index as usize] = scope;
    }
    DeferDrop::new(name_bindings(db, config, &Scopes::Some(per_module)))
}

/// Step 4: whether some module's nested names or globals collide with the names of step 3
/// (almost never: only when a name chosen to avoid one collision makes another). Then
/// [`names_respecting_every_scope`] respects every module's. Equal (`false`) after almost
/// every edit of a function body: the cutoff that keeps such edits out of the whole-bundle
/// passes.
#[salsa::tracked]
pub fn names_still_collide(db: &dyn Db, config: BuildConfig) -> bool {
    // Without collisions in step 2, step 1's names are the final ones.
    !name_collisions(db, config).is_empty()
        && !collisions_with(db, config, names_respecting_collisions(db, config)).is_empty()
}

/// Each included module's names that collide with `names`. Reads every module's scope names;
/// the queries that call it are cheap and stop the wave (see the module documentation).
/// The checks themselves (a walk over each module's nested names, a lookup of each of its
/// globals) read no query: they run on rayon's threads, in order of the modules, while
/// the reads stay on the query's thread (see [`crate::parallel::map_in_order`]). After an
/// edit of the graph nothing else runs on the second core at this point of the build.
fn collisions_with(
    db: &dyn Db,
    config: BuildConfig,
    names: &ChosenNames,
) -> Vec<(u32, ScopeNames)> {
    let liveness = liveness(db, config);
    let scopes: Vec<(usize, &ScopeNames)> = graph_views(db, config)
        .iter()
        .zip(&liveness.modules)
        .enumerate()
        .filter(|(_, (_, live))| live.included)
        .map(|(index, (view, _))| (index, view.scope_names(db)))
        .collect();
    // The globals the modules read that are among the names chosen, each looked up once:
    // the modules read a few hundred globals between them (`Math`, `Object`, `console`),
    // each of them in many modules, and a lookup among the names chosen cost more than the
    // rest of a module's check (on three.js x10, 4,800 lookups after every module created
    // or deleted). Almost always none.
    let mut read: FxHashSet<&Name> = FxHashSet::default();
    for (_, scope) in &scopes {
        read.extend(&scope.globals);
    }
    let shadowed: FxHashSet<&Name> = read
        .into_iter()
        .filter(|global| names.chosen.contains(global))
        .collect();
    crate::parallel::map_in_order(scopes, COLLISION_CHECKS_PER_TASK, |(index, scope)| {
        let collisions = names.collisions(index, scope, &shadowed);
        (!collisions.nested.is_empty() || !collisions.globals.is_empty())
            .then_some((index as u32, collisions))
    })
    .into_iter()
    .flatten()
    .collect()
}

/// How many modules' checks a rayon task makes at least: a few hundred microseconds of
/// work, so that splitting costs little against it.
const COLLISION_CHECKS_PER_TASK: usize = 512;

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

/// Names every binding under `scopes` in one pass, in the order of [`name_requests`].
fn name_bindings<'db>(db: &'db dyn Db, config: BuildConfig, scopes: &Scopes<'db>) -> ChosenNames {
    let graph = module_graph(db, config);
    let shared = binding_users(db, config);
    let requests = name_requests(db, config, scopes);
    let short_names = crate::settings::minify_identifiers(db);
    let mut deconflicter = Deconflicter::new(requests.nested_names, requests.globals, short_names);
    let names: Vec<Name> = requests
        .list
        .iter()
        .map(|request| {
            let users = request.users.iter(shared);
            if request.keeps_name {
                deconflicter.assign_preferred(&request.preferred, users)
            } else {
                deconflicter.assign(&request.preferred, users)
            }
        })
        .collect();
    let chosen = ChosenSet::new(names.iter().cloned());
    assemble(graph, shared, &requests.list, names, chosen)
}

/// Puts the names chosen for `requests` (`names`, in the same order) where they go, and
/// works out what the collision checks need to know of them.
fn assemble(
    graph: &ModuleGraph,
    shared: &BindingUsers,
    requests: &[NameRequest],
    names: impl IntoIterator<Item = Name>,
    chosen: ChosenSet,
) -> ChosenNames {
    // Each module's symbols sized first: growing them one push at a time was a few
    // percent of naming.
    let mut symbols_per_module = vec![0usize; graph.modules.len()];
    for request in requests {
        if let NameTarget::Symbol { module, .. } = &request.target {
            symbols_per_module[*module] += 1;
        }
    }
    let mut modules: Vec<ModuleNames> = symbols_per_module
        .into_iter()
        .map(|symbols| ModuleNames {
            symbols: Vec::with_capacity(symbols),
            ..ModuleNames::default()
        })
        .collect();
    let mut externals: Vec<LinkedExternal> = graph
        .externals
        .iter()
        .map(|specifier| LinkedExternal {
            specifier: specifier.clone(),
            module_var: None,
            default_var: None,
            namespace_var: None,
            named: Vec::new(),
        })
        .collect();
    // Per module (by its index in the graph), the names chosen for bindings it refers to
    // under another local name.
    let mut visible: Vec<Vec<Name>> = vec![Vec::new(); graph.modules.len()];
    for (request, name) in requests.iter().zip(names) {
        for (module, local) in request.users.iter(shared) {
            if local.as_ref() != Some(&name)
                && let Some(&index) = graph.index.get(module)
            {
                visible[index as usize].push(name.clone());
            }
        }
        match &request.target {
            NameTarget::Symbol { module, local } => {
                modules[*module].symbols.push((local.clone(), name));
            }
            NameTarget::Namespace(module) => modules[*module].namespace = Some(name),
            NameTarget::Init(module) => modules[*module].init = Some(name),
            NameTarget::Require(module) => modules[*module].require = Some(name),
            NameTarget::Interop {
                module,
                node_mode: false,
            } => modules[*module].interop = Some(name),
            NameTarget::Interop {
                module,
                node_mode: true,
            } => modules[*module].node_interop = Some(name),
            NameTarget::ExternalNamespace(external) => {
                externals[*external].namespace_var = Some(name);
            }
            NameTarget::ExternalNamed { external, imported } => {
                externals[*external].named.push((imported.clone(), name));
            }
            NameTarget::ExternalModule(external) => externals[*external].module_var = Some(name),
            NameTarget::ExternalDefault(external) => {
                externals[*external].default_var = Some(name);
            }
        }
    }
    let modules = modules
        .into_iter()
        .map(|mut module| {
            module.symbols.sort_unstable();
            Arc::new(module)
        })
        .collect();
    for names in &mut visible {
        names.sort_unstable();
        names.dedup();
    }
    ChosenNames {
        names: FinalNames { modules, externals },
        visible,
        chosen,
    }
}

/// How each external module is loaded and named.
#[salsa::tracked(returns(ref))]
pub fn external_names(db: &dyn Db, config: BuildConfig) -> Vec<LinkedExternal> {
    let mut externals = final_names(db, config).externals.clone();
    if crate::settings::ascii_output(db) {
        for external in &mut externals {
            for name in [
                &mut external.module_var,
                &mut external.default_var,
                &mut external.namespace_var,
            ]
            .into_iter()
            .flatten()
            {
                *name = spelled(name);
            }
            // The imported names stay decoded: render writes them as keys.
            for (_, local) in &mut external.named {
                *local = spelled(local);
            }
        }
    }
    externals
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<Name> {
        list.iter().map(|name| Name::from(*name)).collect()
    }

    #[test]
    fn sorted_difference_lists_the_names_in_one_list_only() {
        let old = names(&["a", "b", "d"]);
        let new = names(&["b", "c", "d", "e"]);
        let difference: Vec<&str> = sorted_difference(&old, &new).map(Name::as_str).collect();
        assert_eq!(difference, ["a", "c", "e"]);
        assert_eq!(sorted_difference(&old, &old).count(), 0);
    }
}
