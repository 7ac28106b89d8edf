//! What naming names, in its order, and who refers to each binding: the whole-bundle part
//! of naming that reads the graph, tree shaking and the modules' bindings.

use defer_drop::DeferDrop;
use rustc_hash::FxHashMap;

use super::Scopes;
use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    files::SourceFile,
    link::{
        Binding,
        bind_imports::{ObjectMember, module_bindings},
        deconflict::{User, Users},
        file_stem,
        graph::{ExecutionStep, ModuleGraph, graph_views, module_graph},
        tree_shaking::{Liveness, liveness},
    },
    names,
    parse::{DEFAULT_LOCAL, ImportedName, Name, module_facts},
};

/// Who refers to each binding from another module (as an import, or as a namespace
/// member), and under which local name, in graph order, for every module of the graph;
/// with who refers to CommonJS modules' ES views and to lazy modules' bindings. Reads the
/// graph and the modules' bindings, not tree shaking: the driver has it worked out on the
/// other core while tree shaking runs. Naming skips the modules tree shaking leaves out
/// where their users would change a name (the local name a binding prefers); a user that
/// is not in the bundle changes nothing else (it has no nested names to respect).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BindingUsers {
    /// Per binding, its list of users (see [`BindingUsers::list`]).
    pub(super) index: FxHashMap<Binding, u32>,
    /// Every list, one after the other, each in the order its users were found; and where
    /// each list ends. One vector rather than one per binding: about 10,000 allocations
    /// fewer on every edit of the graph.
    users: Vec<User>,
    list_ends: Vec<u32>,
    /// Who refers to a CommonJS module's ES view, by mode.
    pub(super) interop: FxHashMap<(SourceFile, bool), Users>,
    /// Who imports a binding of a lazy module, which its code reads through the module's
    /// namespace object (see `replacements::replacement`).
    pub(super) lazy: FxHashMap<SourceFile, Users>,
    /// The members of imported objects each module reads (by the module's index in the
    /// graph): whether one is read in place, and names the member's binding there, depends
    /// on what tree shaking keeps of the object.
    pub(super) object_members: Vec<(u32, ObjectMember)>,
}

impl BindingUsers {
    /// The users of list `list`.
    fn list(&self, list: u32) -> &[User] {
        let start = match list {
            0 => 0,
            _ => self.list_ends[list as usize - 1],
        };
        &self.users[start as usize..self.list_ends[list as usize] as usize]
    }

    /// `binding`'s users, and `own` after them: a request's users without copying the list.
    fn with(&self, binding: &Binding, own: Users) -> RequestUsers {
        RequestUsers {
            shared: self.index.get(binding).copied(),
            own,
            declared_in: None,
        }
    }
}

#[salsa::tracked(returns(ref))]
pub fn binding_users(db: &dyn Db, config: BuildConfig) -> DeferDrop<BindingUsers> {
    let _span = tracing::debug_span!("binding_users").entered();
    let graph = module_graph(db, config);
    let mut users = BindingUsers::default();
    // Each user with its list, in the order found; sorted into the lists at the end.
    let mut found: Vec<(u32, User)> = Vec::new();
    for (index, module) in graph.modules.iter().enumerate() {
        let file = module.file;
        let bindings = module_bindings(db, config, file);
        users.object_members.extend(
            bindings
                .object_members
                .iter()
                .map(|(_, object_member)| (index as u32, object_member.clone())),
        );
        let mut add = |binding: &Binding, user: User| {
            let next = users.index.len() as u32;
            let list = *users.index.entry(binding.clone()).or_insert(next);
            found.push((list, user));
        };
        for (local, binding) in &bindings.imports {
            add(binding, (file, Some(local.clone())));
        }
        for (_, binding) in &bindings.members {
            add(binding, (file, None));
        }
        let imported = bindings.imports.iter().map(|(_, binding)| binding);
        for binding in imported.chain(bindings.members.iter().map(|(_, binding)| binding)) {
            if let Binding::Symbol { module, .. } = binding
                && graph.is_lazy(*module)
            {
                users.lazy.entry(*module).or_default().push((file, None));
            }
        }
        let imports = bindings
            .imports
            .iter()
            .map(|(local, binding)| (local, binding));
        let members = bindings
            .members
            .iter()
            .map(|((namespace, _), binding)| (namespace, binding));
        for (local, binding) in imports.chain(members) {
            if let Binding::CommonJs {
                module, node_mode, ..
            } = binding
            {
                users
                    .interop
                    .entry((*module, *node_mode))
                    .or_default()
                    .push((file, Some(local.clone())));
            }
        }
    }
    // A counting sort by list, stable: each list keeps the order its users were found in.
    // (`sort_by_key` made `binding_users` 10.3 -> 15.2 M instructions per graph edit.)
    let mut list_ends = vec![0u32; users.index.len()];
    for (list, _) in &found {
        list_ends[*list as usize] += 1;
    }
    let mut next = 0;
    let mut starts = Vec::with_capacity(list_ends.len());
    for end in &mut list_ends {
        starts.push(next);
        next += *end;
        *end = next;
    }
    let mut slots: Vec<Option<User>> = vec![None; found.len()];
    for (list, user) in found {
        let slot = &mut starts[list as usize];
        slots[*slot as usize] = Some(user);
        *slot += 1;
    }
    users.users = slots
        .into_iter()
        .map(|user| user.expect("every slot filled"))
        .collect();
    users.list_ends = list_ends;
    DeferDrop::new(users)
}

/// Who refers to a binding to name: its list in [`BindingUsers`], and the users naming
/// adds (its own module, members read in place, functions moved into nested scopes).
#[derive(Clone, Debug)]
pub(super) struct RequestUsers {
    pub(super) shared: Option<u32>,
    pub(super) own: Users,
    /// A declaration's own module, after `own`: a field rather than one more entry of
    /// `own`, which would make a list (an allocation, and its free when the requests are
    /// replaced) for each of the bundle's 30,000 declarations on every edit of the graph.
    pub(super) declared_in: Option<User>,
}

impl RequestUsers {
    pub(super) fn iter<'a>(
        &'a self,
        shared: &'a BindingUsers,
    ) -> impl Iterator<Item = &'a User> + Clone {
        let list = self.shared.map_or(&[][..], |list| shared.list(list));
        list.iter().chain(&self.own).chain(&self.declared_in)
    }
}

/// One binding to name.
#[derive(Clone, Debug)]
pub(super) struct NameRequest {
    /// The name it would like (the deconflicter makes it a legal identifier).
    pub(super) preferred: Name,
    /// Who refers to it; a declaration's own module among them.
    pub(super) users: RequestUsers,
    /// Its module has a direct `eval`, which may read it by its own name: it is named
    /// first, and keeps its preferred name even with short names.
    pub(super) keeps_name: bool,
    pub(super) target: NameTarget,
}

/// Where a chosen name goes in [`FinalNames`]: modules and externals by index in the graph.
#[derive(Clone, Debug)]
pub(super) enum NameTarget {
    Symbol { module: usize, local: Name },
    Namespace(usize),
    Init(usize),
    Require(usize),
    Interop { module: usize, node_mode: bool },
    ExternalNamespace(usize),
    ExternalNamed { external: usize, imported: Name },
    ExternalModule(usize),
    ExternalDefault(usize),
}

/// The bindings to name, in the order they are named, and what naming respects of the
/// modules' nested names and globals.
pub(super) struct NameRequests<'db> {
    pub(super) list: Vec<NameRequest>,
    pub(super) nested_names: FxHashMap<SourceFile, &'db [Name]>,
    pub(super) globals: Vec<Name>,
}

/// Every binding the bundle names, in order: the declarations of live items first (those
/// of modules with a direct `eval` before the others; with short names, the most used
/// first), then namespace objects, lazy initializers and CommonJS modules' functions in
/// execution order, then the externals' bindings. No request depends on the name chosen
/// for another.
pub(super) fn name_requests<'db>(
    db: &'db dyn Db,
    config: BuildConfig,
    scopes: &Scopes<'db>,
) -> NameRequests<'db> {
    let graph = module_graph(db, config);
    let liveness = liveness(db, config);
    let format = config.format(db);
    // Every module's nested names and globals are respected: read through the views.
    let views = matches!(scopes, Scopes::All).then(|| graph_views(db, config));

    // Who refers to each binding from another module, beyond those in `binding_users`:
    // members of imported objects read in place and functions moved into a nested scope
    // (neither has a local name there). A declaration's own module is added when it is
    // named.
    let shared = binding_users(db, config);
    let mut users: FxHashMap<Binding, Users> = FxHashMap::default();
    let mut require_users: FxHashMap<SourceFile, Users> = FxHashMap::default();
    // Who calls a lazy module's initializer from its own code: `import()` of it becomes
    // `init_x()` there, where a nested binding could capture the name.
    let mut dynamic_import_users: FxHashMap<SourceFile, Users> = FxHashMap::default();
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
    // A member of an imported object read in place names the member's binding where it is
    // read.
    for (user, object_member) in &shared.object_members {
        let Some(&object_module) = graph.index.get(&object_member.module) else {
            continue;
        };
        if liveness.modules[*user as usize].included
            && crate::link::read_member_in_place(
                object_member,
                graph.modules[object_module as usize].is_lazy,
                &liveness.modules[object_module as usize].declared,
            )
        {
            users
                .entry(object_member.property.clone())
                .or_default()
                .push((graph.modules[*user as usize].file, None));
        }
    }
    globals.sort_unstable();
    globals.dedup();
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
    // Every declaration a live item makes, in declaration order. Sized first: some ten
    // thousand on three.js x10, where growing it (and the list below) by doubling copied
    // it again and again, on naming's path to the output.
    let declared = declaration_order
        .iter()
        .map(|&index| liveness.modules[index].declared.len())
        .sum();
    let mut declarations = Vec::with_capacity(declared);
    for &index in &declaration_order {
        let file = graph.modules[index].file;
        for local in &liveness.modules[index].declared {
            let binding = Binding::Symbol {
                module: file,
                local: local.clone(),
            };
            let own = match users.is_empty() {
                true => Users::new(),
                false => users.remove(&binding).unwrap_or_default(),
            };
            let mut request_users = shared.with(&binding, own);
            request_users.declared_in = Some((file, Some(local.clone())));
            declarations.push(Declaration {
                module: index,
                local: local.clone(),
                users: request_users,
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
                .iter(shared)
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

    // Declarations first, so they keep their own names where they can.
    let mut list = Vec::with_capacity(declarations.len() + module_order.len());
    for declaration in declarations {
        let preferred = if declaration.local == DEFAULT_LOCAL {
            let file = graph.modules[declaration.module].file;
            Name::from(format!("{}_default", file_stem(db, file)))
        } else {
            declaration.local.clone()
        };
        list.push(NameRequest {
            preferred,
            users: declaration.users,
            keeps_name: declaration.keeps_name,
            target: NameTarget::Symbol {
                module: declaration.module,
                local: declaration.local,
            },
        });
    }

    // Then the names the bundle introduces: namespace objects and lazy initializers.
    let request = |preferred: String, users: RequestUsers, target: NameTarget| NameRequest {
        preferred: Name::from(preferred),
        users,
        keeps_name: false,
        target,
    };
    let only = |own: &Users| RequestUsers {
        shared: None,
        own: own.clone(),
        declared_in: None,
    };
    // The first local name an included module refers to a binding by, which the binding
    // prefers.
    let first_local = |users: &RequestUsers| -> Option<Name> {
        users.iter(shared).find_map(|(module, local)| {
            let index = *graph.index.get(module)? as usize;
            liveness.modules[index].included.then(|| local.clone())?
        })
    };
    for &index in &module_order {
        let module = &graph.modules[index];
        let is_commonjs = commonjs[index];
        if !is_commonjs && !liveness.modules[index].namespace && !module.is_lazy {
            continue;
        }
        let stem = file_stem(db, module.file);
        if is_commonjs {
            let users = require_users.get(&module.file).unwrap_or(&no_users);
            list.push(request(
                format!("require_{stem}"),
                only(users),
                NameTarget::Require(index),
            ));
            let interop = liveness.modules[index].interop;
            for (used, node_mode) in [(interop.babel, false), (interop.node, true)] {
                if !used {
                    continue;
                }
                let users = shared
                    .interop
                    .get(&(module.file, node_mode))
                    .unwrap_or(&no_users);
                list.push(request(
                    format!("import_{stem}"),
                    only(users),
                    NameTarget::Interop {
                        module: index,
                        node_mode,
                    },
                ));
            }
            continue;
        }
        if liveness.modules[index].namespace || module.is_lazy {
            let binding = Binding::Namespace(module.file);
            let mut own: Users = users.get(&binding).cloned().unwrap_or_default();
            // `import()` of it reads the namespace object in the importer's code (or calls
            // the initializer that returns it), where a nested binding could capture it.
            own.extend(
                dynamic_import_users
                    .get(&module.file)
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
            // A lazy module's bindings are read through its namespace object, by every
            // module that imports one (`ns.x`, inside its functions too).
            own.extend(shared.lazy.get(&module.file).into_iter().flatten().cloned());
            let module_users = shared.with(&binding, own);
            let preferred = first_local(&module_users)
                .map_or_else(|| format!("{stem}_exports"), |local| local.to_string());
            list.push(request(
                preferred,
                module_users,
                NameTarget::Namespace(index),
            ));
        }
        if module.is_lazy {
            let init_users = dynamic_import_users.get(&module.file).unwrap_or(&no_users);
            list.push(request(
                format!("init_{stem}"),
                only(init_users),
                NameTarget::Init(index),
            ));
        }
    }

    for (external, (specifier, used)) in graph.externals.iter().zip(&liveness.externals).enumerate()
    {
        let base =
            names::legal_identifier(specifier.rsplit(['/', ':']).next().unwrap_or(specifier));
        let users_of = |imported: ImportedName| {
            let binding = Binding::External {
                specifier: specifier.clone(),
                imported,
            };
            shared.with(&binding, Users::new())
        };
        let namespace_users = users_of(ImportedName::Namespace);
        match format {
            OutputFormat::Esm => {
                if used.namespace || used.star_reexported {
                    let preferred = first_local(&namespace_users)
                        .map_or(base.clone(), |local| local.to_string());
                    list.push(request(
                        preferred,
                        namespace_users,
                        NameTarget::ExternalNamespace(external),
                    ));
                }
                for name in &used.named {
                    let named_users = users_of(ImportedName::Named(name.clone()));
                    let preferred = first_local(&named_users).map_or_else(
                        || {
                            if name == "default" {
                                format!("{base}_default")
                            } else {
                                name.to_string()
                            }
                        },
                        |local| local.to_string(),
                    );
                    list.push(request(
                        preferred,
                        named_users,
                        NameTarget::ExternalNamed {
                            external,
                            imported: name.clone(),
                        },
                    ));
                }
            }
            OutputFormat::Cjs | OutputFormat::Iife => {
                let mut all_users: Users = namespace_users.iter(shared).cloned().collect();
                for name in &used.named {
                    let named_users = users_of(ImportedName::Named(name.clone()));
                    all_users.extend(named_users.iter(shared).cloned());
                }
                list.push(request(
                    base.clone(),
                    only(&all_users),
                    NameTarget::ExternalModule(external),
                ));
                if used.named.iter().any(|name| name == "default") {
                    list.push(request(
                        format!("{base}__default"),
                        only(&all_users),
                        NameTarget::ExternalDefault(external),
                    ));
                }
                if used.namespace {
                    list.push(request(
                        format!("{base}__namespace"),
                        only(&all_users),
                        NameTarget::ExternalNamespace(external),
                    ));
                }
            }
        }
    }

    NameRequests {
        list,
        nested_names,
        globals,
    }
}

/// A top-level binding to name: which module declares it, and who refers to it.
struct Declaration {
    /// Index in the graph.
    module: usize,
    local: Name,
    users: RequestUsers,
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
