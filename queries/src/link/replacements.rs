//! What each relocation of a module's object code becomes (a final name, a member of an
//! external or lazy module's namespace, `void 0` for a missing namespace member, a
//! dynamic-import expression), plus the module's namespace object and lazy initializer.
//! Render only patches.

use rustc_hash::FxHashMap;

use super::{
    Binding, Replacement, ReplacementKind,
    bind_imports::module_bindings,
    final_names::external_names,
    graph::{Dependency, module_dependencies, module_graph},
    module_is_lazy, module_liveness, module_names,
    resolve_exports::module_exports,
    string_literal,
};
use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    files::SourceFile,
    parse::{
        ExportTarget, ImportedName, ItemFacts, ModuleKind, Name, module_constant, module_facts,
        module_hoisted_constants, module_record,
    },
    split::chunks::chunk_graph,
};

/// A namespace object the bundle must create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamespaceObject {
    pub name: Name,
    /// Export name and the binding it reads, sorted by export name.
    pub members: Vec<(Name, Replacement)>,
    /// Variables of external modules whose exports the namespace re-exports (`export *`).
    pub external_stars: Vec<Name>,
}

/// How a lazy module (reached only through `import()`) is wrapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LazyInit {
    pub name: Name,
    /// Initializers of the lazy modules it imports statically, in import order.
    pub dependencies: Vec<Name>,
    /// The ES module views of the CommonJS modules it imports (variable and expression):
    /// made in the initializer, since nothing at startup may have made them yet.
    pub commonjs_views: Vec<(Name, String)>,
}

/// How one module appears in the chunk: which items, its namespace object, its
/// initializer, and what each relocation of its items becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedModule {
    pub is_lazy: bool,
    /// Whether its code is in the bundle (see `ModuleLiveness::included`).
    pub included: bool,
    /// Indices into the module's items, ascending.
    pub live_items: Vec<u32>,
    /// What tree shaking moved out of its live items and into its reads (see
    /// `ModuleLiveness`): copied here so that rendering reads this memo only, not the
    /// module's link too (one memo fewer for every rebuild to confirm per module).
    pub moved_out: Vec<u32>,
    pub moved_in: Vec<crate::link::tree_shaking::MovedIn>,
    pub namespace: Option<NamespaceObject>,
    pub init: Option<LazyInit>,
    pub commonjs: Option<CommonJsWrapper>,
    pub replacements: Replacements,
}

/// How a CommonJS module is wrapped and started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommonJsWrapper {
    /// `var <require> = __commonJS(function (exports, module) { ... });`
    pub require: Name,
    /// Where ES modules import it, it runs at its place in their execution order:
    /// `var <interop> = __toESM(<require>());` (and `__toESM(<require>(), 1)` for node mode).
    pub interop: Option<Name>,
    pub node_interop: Option<Name>,
    /// It is the entry of a CommonJS bundle: `module.exports = <require>();`.
    pub exports_bundle: bool,
}

/// What each relocation of one module's items becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacements {
    /// For every top-level or import binding its live items mention.
    pub symbols: FxHashMap<Name, Replacement>,
    pub namespace_members: FxHashMap<(Name, Name), Replacement>,
    pub dynamic_imports: FxHashMap<Name, Replacement>,
    /// For every `require('...')` of a CommonJS module.
    pub requires: FxHashMap<Name, Replacement>,
    pub import_meta: Replacement,
    /// Whether a renamed class keeps its original `.name` ([`crate::settings::keep_names`]).
    pub keep_class_names: bool,
    /// Classes that were renamed but keep their original `.name` by printing as a class
    /// expression with that name (sorted). The other renamed classes that keep theirs get it
    /// defined after the declaration.
    pub preserved_class_names: Vec<Name>,
}

/// Links one module for the chunk. One memo per module for both the module's shape in the
/// chunk and its replacements: `rendered_module` and the chunk passes read both, and every
/// rebuild confirms each memo of every module (see ARCHITECTURE, "Durability"), so a memo
/// per part cost every edit a claim and a walk per module for a cutoff nobody used.
#[salsa::tracked(returns(ref))]
pub fn linked_module(db: &dyn Db, config: BuildConfig, file: SourceFile) -> LinkedModule {
    let liveness = module_liveness(db, config, file);
    let names = module_names(db, config, file);
    let namespace = names.namespace.as_ref().map(|name| {
        let exports = module_exports(db, config, file);
        let external_vars = external_names(db, config);
        NamespaceObject {
            name: name.clone(),
            members: exports
                .resolved
                .iter()
                .map(|(export, binding)| {
                    (export.clone(), read_replacement(db, config, file, binding))
                })
                .collect(),
            external_stars: exports
                .external_stars
                .iter()
                .filter_map(|specifier| {
                    let linked = external_vars.iter().find(|e| e.specifier == *specifier)?;
                    linked
                        .module_var
                        .clone()
                        .or_else(|| linked.namespace_var.clone())
                })
                .collect(),
        }
    });
    let init = names.init.as_ref().map(|name| {
        let dependencies = &module_dependencies(db, config, file).dependencies;
        let targets = || {
            dependencies
                .iter()
                .filter_map(|dependency| match dependency {
                    Dependency::Module(target) => Some(*target),
                    _ => None,
                })
        };
        LazyInit {
            name: name.clone(),
            dependencies: targets()
                .filter_map(|target| module_names(db, config, target).init.clone())
                .collect(),
            commonjs_views: targets()
                .flat_map(|target| {
                    let names = &module_names(db, config, target);
                    let require = names.require.clone();
                    [(&names.interop, false), (&names.node_interop, true)]
                        .into_iter()
                        .filter_map(move |(view, node_mode)| {
                            Some((view.clone()?, require.clone()?, node_mode))
                        })
                        .map(move |(view, require, node_mode)| {
                            let expression = commonjs_view(db, config, target, &require, node_mode);
                            (view, expression)
                        })
                })
                .collect(),
        }
    });
    let commonjs = names.require.as_ref().map(|require| CommonJsWrapper {
        require: require.clone(),
        interop: names.interop.clone(),
        node_interop: names.node_interop.clone(),
        exports_bundle: config.format(db) == OutputFormat::Cjs
            && module_graph(db, config).entries.first() == Some(&file),
    });
    LinkedModule {
        is_lazy: module_is_lazy(db, config, file),
        included: liveness.included,
        live_items: liveness.live_items.clone(),
        moved_out: liveness.moved_out.clone(),
        moved_in: liveness.moved_in.clone(),
        namespace,
        init,
        commonjs,
        replacements: replacements(db, config, file),
    }
}

/// The replacement table of one module's relocations (part of its [`linked_module`]).
pub fn module_replacements(db: &dyn Db, config: BuildConfig, file: SourceFile) -> &Replacements {
    &linked_module(db, config, file).replacements
}

/// Works out what each of `file`'s relocations becomes.
fn replacements(db: &dyn Db, config: BuildConfig, file: SourceFile) -> Replacements {
    let record = module_record(db, file);
    let liveness = module_liveness(db, config, file);
    let names = module_names(db, config, file);
    let bindings = module_bindings(db, config, file);
    let format = config.format(db);

    let mut symbols = FxHashMap::default();
    for (local, name) in &names.symbols {
        symbols.insert(local.clone(), Replacement::identifier(name.clone()));
    }
    for (local, binding) in &bindings.imports {
        symbols.insert(local.clone(), read_replacement(db, config, file, binding));
    }
    // A `var` constant of the module without a name (tree shaking dropped its declaration)
    // is read in place (see `parse::constants::hoisted_constant`).
    for (local, literal) in module_hoisted_constants(db, file) {
        if names.symbol(local).is_none() {
            symbols.insert(
                local.clone(),
                Replacement {
                    text: literal.clone(),
                    kind: ReplacementKind::Literal,
                },
            );
        }
    }
    let mut namespace_members = FxHashMap::default();
    for (member, binding) in &bindings.members {
        namespace_members.insert(member.clone(), read_replacement(db, config, file, binding));
    }
    for (member, object_member) in &bindings.object_members {
        if super::read_member_in_place(
            object_member,
            module_is_lazy(db, config, object_member.module),
            &module_liveness(db, config, object_member.module).declared,
        ) {
            namespace_members.insert(
                member.clone(),
                read_replacement(db, config, file, &object_member.property),
            );
        }
    }
    let facts = &module_facts(db, file).items;
    for item in facts {
        for (import, member) in &item.namespace_members {
            namespace_members
                .entry((import.clone(), member.clone()))
                .or_insert_with(|| match bindings.import(import) {
                    // A member of a namespace that does not have it.
                    Some(Binding::Namespace(_)) | None => Replacement::other("void 0"),
                    // A member of any other import, read as written.
                    Some(binding) => member_of(read_replacement(db, config, file, binding), member),
                });
        }
    }

    let dependencies = module_dependencies(db, config, file);
    let mut dynamic_imports = FxHashMap::default();
    for (specifier, dependency) in record
        .dynamic_requests
        .iter()
        .zip(&dependencies.dynamic_dependencies)
    {
        let replacement = match dependency {
            // With splitting, an ES module's `import()` loads the file of its chunk, which
            // exports what the module does.
            Dependency::Module(target)
                if config.splitting(db) && !module_dependencies(db, config, *target).commonjs =>
            {
                let chunks = chunk_graph(db, config);
                let graph = module_graph(db, config);
                let own_chunk = chunks.module_chunk[graph.index[&file] as usize];
                let init = &module_names(db, config, *target).init;
                // CommonJS chunks load each other with `require`, once the promise settles
                // (as `import()` runs nothing before it returns).
                let load = |specifier: String| match config.format(db) {
                    OutputFormat::Cjs => format!(
                        "Promise.resolve().then(function () {{ return require({specifier}); }})"
                    ),
                    _ => format!("import({specifier})"),
                };
                match (chunks.roots.iter().find(|root| root.file == *target), init) {
                    // A wrapped module: its initializer returns its namespace object.
                    (Some(root), Some(init)) => Replacement::primary(format!(
                        "{}.then(function (m) {{ return m.{init}(); }})",
                        load(chunks.specifier(own_chunk, root.chunk))
                    )),
                    (Some(root), None) => {
                        Replacement::primary(load(chunks.specifier(own_chunk, root.chunk)))
                    }
                    (None, _) => Replacement::primary("Promise.reject(new Error(\"no chunk\"))"),
                }
            }
            Dependency::Module(target) => {
                let target_names = &module_names(db, config, *target);
                let value = match (
                    &target_names.require,
                    &target_names.init,
                    &target_names.namespace,
                ) {
                    // `import()` of CommonJS: its ES module view, made when it resolves.
                    // Node reads the importer as an ES module (`.mjs`, `"type": "module"`)
                    // or runs it as CommonJS: either way `default` is `module.exports`.
                    (Some(require), _, _) => commonjs_view(
                        db,
                        config,
                        *target,
                        require,
                        record.node_mode || record.kind == ModuleKind::CommonJs,
                    ),
                    (None, Some(init), _) => format!("{init}()"),
                    (None, None, Some(namespace)) => namespace.to_string(),
                    (None, None, None) => "{}".to_owned(),
                };
                Replacement::primary(format!(
                    "Promise.resolve().then(function () {{ return {value}; }})"
                ))
            }
            Dependency::External(_) => match format {
                OutputFormat::Esm => {
                    Replacement::primary(format!("import({})", string_literal(specifier)))
                }
                OutputFormat::Cjs | OutputFormat::Iife => Replacement::primary(format!(
                    "Promise.resolve().then(function () {{ return /*#__PURE__*/_interopNamespaceDefault(require({})); }})",
                    string_literal(specifier)
                )),
            },
            Dependency::Unresolved => {
                Replacement::primary("Promise.reject(new Error(\"unresolved import\"))")
            }
        };
        dynamic_imports.insert(specifier.clone(), replacement);
    }

    let mut requires = FxHashMap::default();
    if record.kind == ModuleKind::CommonJs {
        for (specifier, dependency) in record.requests.iter().zip(&dependencies.dependencies) {
            requires.insert(
                specifier.clone(),
                required(db, config, specifier, dependency),
            );
        }
    }

    let import_meta = match format {
        OutputFormat::Esm => Replacement::member("import", "meta"),
        OutputFormat::Cjs | OutputFormat::Iife => {
            Replacement::other("{ url: require('url').pathToFileURL(__filename).href }")
        }
    };
    let live_facts: Vec<&ItemFacts> = liveness
        .live_items
        .iter()
        .map(|&index| &facts[index as usize])
        .collect();
    let keep_class_names = crate::settings::keep_names(db);
    let preserved_class_names = if keep_class_names {
        preserved_class_names(
            &live_facts,
            names,
            &symbols,
            &namespace_members,
            &dynamic_imports,
        )
    } else {
        Vec::new()
    };
    Replacements {
        symbols,
        namespace_members,
        dynamic_imports,
        requires,
        import_meta,
        keep_class_names,
        preserved_class_names,
    }
}

/// `object.member`, where `object` is what a relocation became (parenthesized where a `.`
/// after it would mean something else: after a number, or an expression of any kind). A
/// primary expression: called, it passes the object as `this`, as the code it replaces did.
fn member_of(object: Replacement, member: &str) -> Replacement {
    let bare = match object.kind {
        ReplacementKind::Identifier | ReplacementKind::Member | ReplacementKind::Primary => true,
        ReplacementKind::Literal => !object
            .text
            .starts_with(|c: char| c.is_ascii_digit() || c == '.'),
        ReplacementKind::Other => false,
    };
    let object = match bare {
        true => object.text.to_string(),
        false => format!("({})", object.text),
    };
    Replacement::primary(Replacement::member(&object, member).text)
}

/// What a read of `binding` in the code of `file` becomes: an imported constant's literal
/// (see [`super::read_in_place`]), or the binding. When something else keeps the constant's
/// declaration (an export of the entry), its name is read where it is the shorter. A long
/// literal read too often is such a constant: tree shaking keeps its declaration for those
/// reads, so it has a name, shorter than the literal (how often it is read need not be
/// known here).
fn read_replacement(
    db: &dyn Db,
    config: BuildConfig,
    file: SourceFile,
    binding: &Binding,
) -> Replacement {
    // Whether the binding's module is lazy is read only for a constant: it is a
    // dependency of every importer's link memo that reads it, which every edit of the
    // graph confirms.
    if let Binding::Symbol { module, local } = binding
        && let Some(constant) = module_constant(db, *module, local)
        && let Some(literal) =
            super::read_in_place(Some(constant), module_is_lazy(db, config, *module), || true)
    {
        return match module_names(db, config, *module).symbol(local) {
            Some(name) if name.len() < literal.len() => Replacement::identifier(name.clone()),
            _ => Replacement {
                text: literal.clone(),
                kind: ReplacementKind::Literal,
            },
        };
    }
    replacement(db, config, Some(file), binding)
}

/// What `require(specifier)` in a CommonJS module becomes: the required CommonJS module's
/// `module.exports`; an ES module's namespace as CommonJS sees it (`__toCommonJS`, after
/// running it if it is lazy); a JSON module's value; or, for an external or a module that
/// did not resolve, the `require` call itself, at run time.
fn required(
    db: &dyn Db,
    config: BuildConfig,
    specifier: &Name,
    dependency: &Dependency,
) -> Replacement {
    let at_run_time = || Replacement::primary(format!("require({})", string_literal(specifier)));
    let Dependency::Module(target) = dependency else {
        return at_run_time();
    };
    let names = &module_names(db, config, *target);
    if let Some(require) = &names.require {
        return Replacement::primary(format!("{require}()"));
    }
    let namespace = match (&names.init, &names.namespace) {
        (Some(init), _) => format!("{init}()"),
        (None, Some(namespace)) => namespace.to_string(),
        (None, None) => return at_run_time(),
    };
    if crate::settings::module_settings(db, *target).loader == crate::settings::Loader::Json {
        return Replacement::primary(format!("{namespace}.default"));
    }
    Replacement::primary(format!("__toCommonJS({namespace})"))
}

/// `__toESM(require_x())`, or in node mode `__toESM(require_x(), 1, [names node detects])`:
/// how an ES module sees a CommonJS module.
pub fn commonjs_view(
    db: &dyn Db,
    config: BuildConfig,
    module: SourceFile,
    require: &str,
    node_mode: bool,
) -> String {
    if !node_mode {
        return format!("__toESM({require}())");
    }
    let names: Vec<String> = module_exports(db, config, module)
        .resolved
        .iter()
        .map(|(name, _)| name)
        .filter(|name| *name != "default")
        .map(|name| string_literal(name))
        .collect();
    format!("__toESM({require}(), 1, [{}])", names.join(", "))
}

/// The text that stands for `binding` in module `from` (`None`: at the bundle's top level).
pub fn replacement(
    db: &dyn Db,
    config: BuildConfig,
    from: Option<SourceFile>,
    binding: &Binding,
) -> Replacement {
    match binding {
        Binding::Symbol { module, local } => {
            let names = &module_names(db, config, *module);
            let name = names
                .symbol(local)
                .cloned()
                .unwrap_or_else(|| local.clone());
            // Only a module with a namespace object can be read through it: whether it is
            // lazy is read only then (see `read_replacement`).
            if from != Some(*module)
                && names.namespace.is_some()
                && module_is_lazy(db, config, *module)
            {
                // A lazy module's bindings live inside its initializer; others read them
                // through its namespace object.
                let export = module_record(db, *module).exports.iter().find(
                    |entry| matches!(&entry.target, ExportTarget::Local(target) if target == local),
                );
                if let (Some(export), Some(namespace)) = (export, &names.namespace) {
                    return Replacement::member(namespace, &export.exported);
                }
            }
            Replacement::identifier(name)
        }
        Binding::CommonJs {
            module,
            imported,
            node_mode,
        } => {
            let names = &module_names(db, config, *module);
            let view = if *node_mode {
                &names.node_interop
            } else {
                &names.interop
            };
            let view = view.as_deref().unwrap_or("undefined");
            match imported {
                ImportedName::Namespace => Replacement::identifier(view),
                ImportedName::Named(name) => Replacement::member(view, name),
            }
        }
        Binding::Namespace(module) => Replacement::identifier(
            module_names(db, config, *module)
                .namespace
                .clone()
                .unwrap_or_else(|| Name::from("undefined")),
        ),
        Binding::External {
            specifier,
            imported,
        } => {
            let externals = external_names(db, config);
            let Some(linked) = module_graph(db, config)
                .external(specifier)
                .and_then(|index| externals.get(index))
            else {
                return Replacement::other("void 0");
            };
            let undefined = || Name::from("undefined");
            match (config.format(db), imported) {
                (OutputFormat::Esm, ImportedName::Namespace) => {
                    Replacement::identifier(linked.namespace_var.clone().unwrap_or_else(undefined))
                }
                (OutputFormat::Esm, ImportedName::Named(name)) => Replacement::identifier(
                    linked
                        .named
                        .iter()
                        .find(|(imported, _)| imported == name)
                        .map_or_else(undefined, |(_, local)| local.clone()),
                ),
                (_, ImportedName::Namespace) => Replacement::identifier(
                    linked
                        .namespace_var
                        .clone()
                        .or_else(|| linked.module_var.clone())
                        .unwrap_or_else(undefined),
                ),
                (_, ImportedName::Named(name)) if name == "default" => Replacement::member(
                    linked.default_var.as_deref().unwrap_or("undefined"),
                    "default",
                ),
                (_, ImportedName::Named(name)) => {
                    Replacement::member(linked.module_var.as_deref().unwrap_or("undefined"), name)
                }
            }
        }
    }
}

/// A renamed class keeps its `.name` by printing as `let final = class original {}`,
/// which binds `original` inside the class; that is only safe if nothing the class refers
/// to is spelled `original` in the output.
fn preserved_class_names(
    live_facts: &[&ItemFacts],
    names: &super::final_names::ModuleNames,
    symbols: &FxHashMap<Name, Replacement>,
    namespace_members: &FxHashMap<(Name, Name), Replacement>,
    dynamic_imports: &FxHashMap<Name, Replacement>,
) -> Vec<Name> {
    let mut preserved = Vec::new();
    for facts in live_facts {
        for class in &facts.class_names {
            if names
                .symbol(class)
                .is_none_or(|final_name| final_name == class)
            {
                continue;
            }
            let captures = facts
                .references
                .iter()
                .filter(|reference| *reference != class)
                .filter_map(|reference| symbols.get(reference))
                .chain(
                    facts
                        .namespace_members
                        .iter()
                        .filter_map(|member| namespace_members.get(member)),
                )
                .chain(
                    facts
                        .dynamic_imports
                        .iter()
                        .filter_map(|specifier| dynamic_imports.get(specifier)),
                )
                .any(|replacement| mentions_identifier(&replacement.text, class));
            if !captures {
                preserved.push(class.clone());
            }
        }
    }
    preserved.sort_unstable();
    preserved.dedup();
    preserved
}

/// Whether `text` (generated code) contains the identifier `name`.
fn mentions_identifier(text: &str, name: &str) -> bool {
    text.split(|c: char| !(c == '$' || c == '_' || c.is_alphanumeric()))
        .any(|token| token == name)
}
