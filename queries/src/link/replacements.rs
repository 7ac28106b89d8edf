//! Pass 5: the replacement tables. For every module, the text each relocation of its object
//! code becomes (a final name, a member of an external or lazy module's namespace, `void 0`
//! for a missing namespace member, a dynamic-import expression), plus its namespace object
//! and lazy initializer. Render only patches.

use rustc_hash::FxHashMap;

use super::{
    LazyInit, LinkedModule, Linker, NamespaceObject, Replacement,
    final_names::Names,
    graph::{Dependency, ModuleId},
    resolve_exports::{Binding, ExportResolver},
    string_literal,
    tree_shaking::Liveness,
};
use crate::{
    config::OutputFormat,
    parse::{ExportTarget, ImportedName, Name},
};

impl Linker<'_> {
    pub(super) fn linked_module(
        &self,
        module: ModuleId,
        liveness: &Liveness,
        names: &Names,
        import_bindings: &[FxHashMap<Name, Binding>],
        member_bindings: &[FxHashMap<(Name, Name), Binding>],
        resolver: &mut ExportResolver<'_>,
    ) -> LinkedModule {
        let graph_module = &self.graph.modules[module as usize];
        let record = self.records[module as usize];
        let included = self.is_included(liveness, module);
        let live_items: Vec<u32> = if included {
            liveness.live_items[module as usize]
                .iter()
                .enumerate()
                .filter(|(_, live)| **live)
                .map(|(index, _)| index as u32)
                .collect()
        } else {
            Vec::new()
        };

        let mut symbols = FxHashMap::default();
        for symbol in &record.symbols {
            if let Some(name) = names.symbols.get(&(module, symbol.name.clone())) {
                symbols.insert(symbol.name.clone(), Replacement::identifier(name.clone()));
            }
        }
        for import in &record.imports {
            if let Some(binding) = import_bindings[module as usize].get(&import.local) {
                symbols.insert(
                    import.local.clone(),
                    names.replacement(self, Some(module), binding),
                );
            }
        }
        let mut namespace_members = FxHashMap::default();
        for facts in &self.facts[module as usize] {
            for member in &facts.namespace_members {
                let replacement = match member_bindings[module as usize].get(member) {
                    Some(binding) => names.replacement(self, Some(module), binding),
                    None => Replacement::other("void 0"),
                };
                namespace_members.insert(member.clone(), replacement);
            }
        }
        let mut dynamic_imports = FxHashMap::default();
        for (index, specifier) in record.dynamic_requests.iter().enumerate() {
            let replacement = match graph_module.dynamic_dependencies[index] {
                Dependency::Module(target) => {
                    let value = match names.inits.get(&target) {
                        Some(init) => format!("{init}()"),
                        None => names
                            .namespaces
                            .get(&target)
                            .map_or_else(|| "{}".to_owned(), ToString::to_string),
                    };
                    Replacement::primary(format!(
                        "Promise.resolve().then(function () {{ return {value}; }})"
                    ))
                }
                Dependency::External(_) => match self.format {
                    OutputFormat::Esm => {
                        Replacement::primary(format!("import({})", string_literal(specifier)))
                    }
                    _ => Replacement::primary(format!(
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

        let namespace = names.namespaces.get(&module).map(|name| {
            let mut members = Vec::new();
            for export in resolver.exported_names(module) {
                if let Ok(binding) = resolver.resolve_export(module, &export) {
                    members.push((export, names.replacement(self, Some(module), &binding)));
                }
            }
            let external_stars = resolver
                .external_stars(module)
                .into_iter()
                .filter_map(|external| {
                    names.externals[external as usize]
                        .module_var
                        .clone()
                        .or_else(|| names.externals[external as usize].namespace_var.clone())
                })
                .collect();
            NamespaceObject {
                name: name.clone(),
                members,
                external_stars,
            }
        });
        let init = names.inits.get(&module).map(|name| LazyInit {
            name: name.clone(),
            dependencies: graph_module
                .dependencies
                .iter()
                .filter_map(|dependency| match dependency {
                    Dependency::Module(target) => names.inits.get(target).cloned(),
                    _ => None,
                })
                .collect(),
        });
        let preserved_class_names = self.preserved_class_names(
            module,
            &live_items,
            names,
            &symbols,
            &namespace_members,
            &dynamic_imports,
        );
        let import_meta = match self.format {
            OutputFormat::Esm => Replacement::member("import", "meta"),
            _ => Replacement::other("{ url: require('url').pathToFileURL(__filename).href }"),
        };
        LinkedModule {
            file: graph_module.file,
            is_lazy: graph_module.is_lazy,
            live_items,
            namespace,
            init,
            symbols,
            namespace_members,
            dynamic_imports,
            import_meta,
            preserved_class_names,
        }
    }

    /// A renamed class keeps its `.name` by printing as `let final = class original {}`,
    /// which binds `original` inside the class; that is only safe if nothing the class
    /// refers to is spelled `original` in the output.
    pub(super) fn preserved_class_names(
        &self,
        module: ModuleId,
        live_items: &[u32],
        names: &Names,
        symbols: &FxHashMap<Name, Replacement>,
        namespace_members: &FxHashMap<(Name, Name), Replacement>,
        dynamic_imports: &FxHashMap<Name, Replacement>,
    ) -> Vec<Name> {
        let mut preserved = Vec::new();
        for &item in live_items {
            let facts = self.facts[module as usize][item as usize];
            for class in &facts.class_names {
                let Some(final_name) = names.symbols.get(&(module, class.clone())) else {
                    continue;
                };
                if final_name == class {
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
}

/// Whether `text` (generated code) contains the identifier `name`.
fn mentions_identifier(text: &str, name: &str) -> bool {
    text.split(|c: char| !(c == '$' || c == '_' || c.is_alphanumeric()))
        .any(|token| token == name)
}

impl Names {
    /// The text that stands for `binding` in module `from` (`None`: at the bundle's top level).
    pub(super) fn replacement(
        &self,
        linker: &Linker<'_>,
        from: Option<ModuleId>,
        binding: &Binding,
    ) -> Replacement {
        match binding {
            Binding::Symbol { module, local } => {
                let name = self
                    .symbols
                    .get(&(*module, local.clone()))
                    .cloned()
                    .unwrap_or_else(|| local.clone());
                let target_is_lazy = linker.graph.modules[*module as usize].is_lazy;
                if target_is_lazy && from != Some(*module) {
                    // A lazy module's bindings live inside its initializer; others read
                    // them through its namespace object.
                    let record = linker.records[*module as usize];
                    let export = record.exports.iter().find(|entry| {
                        matches!(&entry.target, ExportTarget::Local(target) if target == local)
                    });
                    if let (Some(export), Some(namespace)) = (export, self.namespaces.get(module)) {
                        return Replacement::member(namespace, &export.exported);
                    }
                }
                Replacement::identifier(name)
            }
            Binding::Namespace(module) => Replacement::identifier(
                self.namespaces
                    .get(module)
                    .cloned()
                    .unwrap_or_else(|| Name::from("undefined")),
            ),
            Binding::External { external, imported } => {
                let linked = &self.externals[*external as usize];
                match (linker.format, imported) {
                    (OutputFormat::Esm, ImportedName::Namespace) => Replacement::identifier(
                        linked.namespace_var.clone().unwrap_or_default_name(),
                    ),
                    (OutputFormat::Esm, ImportedName::Named(name)) => Replacement::identifier(
                        linked
                            .named
                            .iter()
                            .find(|(imported, _)| imported == name)
                            .map(|(_, local)| local.clone())
                            .unwrap_or_default_name(),
                    ),
                    (_, ImportedName::Namespace) => Replacement::identifier(
                        linked
                            .namespace_var
                            .clone()
                            .or_else(|| linked.module_var.clone())
                            .unwrap_or_default_name(),
                    ),
                    (_, ImportedName::Named(name)) if name == "default" => Replacement::member(
                        linked.default_var.as_deref().unwrap_or("undefined"),
                        "default",
                    ),
                    (_, ImportedName::Named(name)) => Replacement::member(
                        linked.module_var.as_deref().unwrap_or("undefined"),
                        name,
                    ),
                }
            }
        }
    }
}

trait OrUndefined {
    fn unwrap_or_default_name(self) -> Name;
}

impl OrUndefined for Option<Name> {
    fn unwrap_or_default_name(self) -> Name {
        self.unwrap_or_else(|| Name::from("undefined"))
    }
}
