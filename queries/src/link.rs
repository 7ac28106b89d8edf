//! Link: turns module records into a linked bundle without ever looking at an AST.
//!
//! The passes, in order ([`linked_bundle`] reads as this list):
//! 1. [`graph`]: discover modules from the entries, resolve specifiers, order execution.
//! 2. [`bind`]: bind every import (and namespace member read) to its declaration through
//!    re-exports and `export *`; report missing, ambiguous and circular exports.
//! 3. [`tree_shaking`]: decide which items are live and which namespace objects must exist.
//! 4. [`deconflict`]: give every live top-level binding its final name in the shared scope.
//! 5. Replacement tables: for each module, the text each relocation of its object code
//!    becomes. Render only patches.

mod bind_imports;
pub mod deconflict;
mod final_names;
pub mod graph;
mod replacements;
pub mod resolve_exports;
pub mod tree_shaking;

use std::path::Path;

use rustc_hash::FxHashMap;

use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    diagnostics::Diagnostic,
    files::SourceFile,
    parse::{ItemFacts, ModuleRecord, Name, module_items, module_record},
};
use graph::{Dependency, ExternalId, ModuleGraph, ModuleId, module_graph};
use resolve_exports::ExportResolver;
use tree_shaking::TreeShaker;

/// What a relocation becomes, and how it may be spliced into surrounding code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Replacement {
    pub text: Name,
    pub kind: ReplacementKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReplacementKind {
    /// A plain identifier: fits anywhere an identifier does.
    Identifier,
    /// `object.property`: needs `(0, ...)` when called, so `this` is not the object.
    Member,
    /// A call or other primary expression: fits anywhere, even when called.
    Primary,
    /// Anything else: parenthesized.
    Other,
}

impl Replacement {
    fn identifier(text: impl Into<Name>) -> Self {
        Replacement {
            text: text.into(),
            kind: ReplacementKind::Identifier,
        }
    }

    fn member(object: &str, property: &str) -> Self {
        let text = if is_identifier_name(property) {
            format!("{object}.{property}")
        } else {
            format!("{object}[{}]", string_literal(property))
        };
        Replacement {
            text: text.into(),
            kind: ReplacementKind::Member,
        }
    }

    fn primary(text: impl Into<Name>) -> Self {
        Replacement {
            text: text.into(),
            kind: ReplacementKind::Primary,
        }
    }

    fn other(text: impl Into<Name>) -> Self {
        Replacement {
            text: text.into(),
            kind: ReplacementKind::Other,
        }
    }
}

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
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedModule {
    pub file: SourceFile,
    pub is_lazy: bool,
    /// Indices into the module's items, in source order.
    pub live_items: Vec<u32>,
    pub namespace: Option<NamespaceObject>,
    pub init: Option<LazyInit>,
    /// For every top-level or import binding its live items mention.
    pub symbols: FxHashMap<Name, Replacement>,
    pub namespace_members: FxHashMap<(Name, Name), Replacement>,
    pub dynamic_imports: FxHashMap<Name, Replacement>,
    pub import_meta: Replacement,
    /// Classes that were renamed but keep their original `.name` (sorted).
    pub preserved_class_names: Vec<Name>,
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

/// The runtime helpers the output needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Helpers {
    pub interop_default: bool,
    pub interop_namespace: bool,
    pub merge_namespaces: bool,
}

/// Where in a module a link diagnostic points; turned into a text range when reported.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    Module,
    NamespaceMember { namespace: Name, member: Name },
    Request(u32),
    DynamicRequest(u32),
    Import(u32),
    Export(u32),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LinkDiagnostic {
    pub file: SourceFile,
    pub location: Location,
    pub diagnostic: Diagnostic,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedBundle {
    pub modules: Vec<LinkedModule>,
    pub externals: Vec<LinkedExternal>,
    /// The entry's exports, sorted by name.
    pub entry_exports: Vec<(Name, Replacement)>,
    /// External modules the entry re-exports with `export *`.
    pub entry_external_stars: Vec<ExternalId>,
    pub helpers: Helpers,
    pub diagnostics: Vec<LinkDiagnostic>,
}

impl LinkedBundle {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|diagnostic| diagnostic.diagnostic.is_error())
    }
}

/// Links the bundle described by `config`.
#[salsa::tracked(returns(ref))]
pub fn linked_bundle(db: &dyn Db, config: BuildConfig) -> LinkedBundle {
    let _span = tracing::debug_span!("linked_bundle").entered();
    let graph = module_graph(db, config);
    let records: Vec<&ModuleRecord> = graph
        .modules
        .iter()
        .map(|module| module_record(db, module.file))
        .collect();
    let facts: Vec<Vec<&ItemFacts>> = graph
        .modules
        .iter()
        .map(|module| {
            module_items(db, module.file)
                .iter()
                .map(|item| item.facts(db))
                .collect()
        })
        .collect();
    let mut linker = Linker {
        db,
        graph,
        format: config.format(db),
        records: &records,
        facts: &facts,
        diagnostics: Vec::new(),
    };
    linker.link()
}

struct Linker<'l> {
    db: &'l dyn Db,
    graph: &'l ModuleGraph,
    format: OutputFormat,
    records: &'l [&'l ModuleRecord],
    facts: &'l [Vec<&'l ItemFacts>],
    diagnostics: Vec<LinkDiagnostic>,
}

impl<'l> Linker<'l> {
    fn file(&self, module: ModuleId) -> SourceFile {
        self.graph.modules[module as usize].file
    }

    fn path(&self, module: ModuleId) -> &Path {
        self.file(module).path(self.db)
    }

    fn report(&mut self, module: ModuleId, location: Location, diagnostic: Diagnostic) {
        let file = self.file(module);
        let diagnostic = diagnostic.in_file(file.path(self.db), None);
        self.diagnostics.push(LinkDiagnostic {
            file,
            location,
            diagnostic,
        });
    }

    fn display_name(&self, module: ModuleId) -> String {
        self.path(module)
            .file_name()
            .map_or_else(String::new, |name| name.to_string_lossy().into_owned())
    }

    fn dependency_name(&self, module: ModuleId, request: u32) -> String {
        match self.graph.modules[module as usize].dependencies[request as usize] {
            Dependency::Module(target) => self.display_name(target),
            _ => self.records[module as usize].requests[request as usize].to_string(),
        }
    }

    fn link(&mut self) -> LinkedBundle {
        self.report_unresolved();
        let mut resolver = ExportResolver::new(self.graph, self.records);
        let import_bindings = self.bind_imports(&mut resolver);
        self.check_exports(&mut resolver);
        let member_bindings = self.bind_namespace_members(&mut resolver, &import_bindings);
        let declaring_items = self.declaring_items();

        let entry = self.graph.entries.first().copied();
        let mut entry_bindings = Vec::new();
        let mut entry_external_stars = Vec::new();
        if let Some(entry) = entry {
            for name in resolver.exported_names(entry) {
                if let Ok(binding) = resolver.resolve_export(entry, &name) {
                    entry_bindings.push((name, binding));
                }
            }
            entry_external_stars = resolver.external_stars(entry);
        }

        let liveness = TreeShaker {
            graph: self.graph,
            records: self.records,
            facts: self.facts,
            resolver: &mut resolver,
            import_bindings: &import_bindings,
            member_bindings: &member_bindings,
        }
        .run(
            &entry_bindings
                .iter()
                .map(|(_, binding)| binding.clone())
                .collect::<Vec<_>>(),
            &declaring_items,
        );

        self.warn_namespace_conflicts(&mut resolver, &liveness);
        let names = self.assign_names(&liveness, &import_bindings, &member_bindings);
        let mut modules = Vec::with_capacity(self.graph.modules.len());
        for module in 0..self.graph.modules.len() as ModuleId {
            modules.push(self.linked_module(
                module,
                &liveness,
                &names,
                &import_bindings,
                &member_bindings,
                &mut resolver,
            ));
        }
        let entry_exports = entry_bindings
            .iter()
            .map(|(name, binding)| (name.clone(), names.replacement(self, None, binding)))
            .collect();

        let mut helpers = Helpers::default();
        if self.format != OutputFormat::Esm {
            helpers.interop_default = names.externals.iter().any(|e| e.default_var.is_some());
            helpers.interop_namespace = names.externals.iter().any(|e| e.namespace_var.is_some())
                || liveness.externals.iter().any(|use_| use_.dynamic);
        }
        helpers.merge_namespaces = modules.iter().any(|module| {
            module
                .namespace
                .as_ref()
                .is_some_and(|ns| !ns.external_stars.is_empty())
        });

        LinkedBundle {
            modules,
            externals: names.externals,
            entry_exports,
            entry_external_stars,
            helpers,
            diagnostics: std::mem::take(&mut self.diagnostics),
        }
    }

    fn declaring_items(&self) -> Vec<FxHashMap<Name, Vec<u32>>> {
        self.facts
            .iter()
            .map(|items| {
                let mut declaring: FxHashMap<Name, Vec<u32>> = FxHashMap::default();
                for (index, facts) in items.iter().enumerate() {
                    for name in &facts.declares {
                        declaring
                            .entry(name.clone())
                            .or_default()
                            .push(index as u32);
                    }
                }
                declaring
            })
            .collect()
    }
}

/// Whether `text` can follow a `.` as a property name.
pub fn is_identifier_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|first| first == '$' || first == '_' || first.is_alphabetic())
        && chars.all(|c| c == '$' || c == '_' || c.is_alphanumeric())
}

/// A JavaScript string literal for `text`.
pub fn string_literal(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}
