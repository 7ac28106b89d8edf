//! The whole build as one query: the chunk's code, or the diagnostics that stop it.

use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    diagnostics::{Diagnostic, TextRange},
    files::source_text,
    link::{
        Location,
        graph::{Dependency, ModuleGraph, ModuleId, module_graph},
        linked_bundle,
    },
    parse::{module_diagnostics, module_record, parsed_module},
    render::render_chunk,
};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleOutput {
    /// `None` when an error stopped the build.
    pub code: Option<String>,
    /// Errors and warnings, in module order.
    pub diagnostics: Vec<Diagnostic>,
}

impl BundleOutput {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Builds the bundle `config` describes.
#[salsa::tracked(returns(ref))]
pub fn bundle(db: &dyn Db, config: BuildConfig) -> BundleOutput {
    let _span = tracing::debug_span!("bundle").entered();
    let graph = module_graph(db, config);
    let mut diagnostics = Vec::new();
    for (id, module) in graph.modules.iter().enumerate() {
        match source_text(db, module.file).error_message() {
            Some(reason) => diagnostics.push(unreadable_module(db, graph, id as ModuleId, &reason)),
            None => diagnostics.extend(module_diagnostics(db, module.file).iter().cloned()),
        }
    }
    let linked = linked_bundle(db, config);
    for link_diagnostic in &linked.diagnostics {
        let spans = &parsed_module(db, link_diagnostic.file).spans;
        let range: Option<TextRange> = match &link_diagnostic.location {
            Location::Module => None,
            Location::NamespaceMember { namespace, member } => spans
                .namespace_members
                .iter()
                .find(|((n, m), _)| n == namespace && m == member)
                .map(|(_, range)| *range),
            Location::Request(index) => spans.requests.get(*index as usize).copied(),
            Location::DynamicRequest(index) => spans.dynamic_requests.get(*index as usize).copied(),
            Location::Import(index) => spans.imports.get(*index as usize).copied(),
            Location::Export(index) => spans.exports.get(*index as usize).copied(),
        };
        let mut diagnostic = link_diagnostic.diagnostic.clone();
        diagnostic.range = range;
        diagnostics.push(diagnostic);
    }
    for module in &graph.modules {
        if !module_record(db, module.file).has_top_level_await {
            continue;
        }
        let format = config.format(db);
        let at = parsed_module(db, module.file).spans.top_level_await;
        if format != OutputFormat::Esm {
            diagnostics.push(
                Diagnostic::error(
                    "TOP_LEVEL_AWAIT",
                    format!(
                        "top-level await is not available in the \"{}\" output format",
                        format.as_str()
                    ),
                )
                .in_file(module.file.path(db), at)
                .with_help("use `--format esm`"),
            );
        } else if module.is_lazy {
            diagnostics.push(
                Diagnostic::error(
                    "TOP_LEVEL_AWAIT",
                    "top-level await in a module that is only loaded with `import()` is not supported yet",
                )
                .in_file(module.file.path(db), at)
                .with_help("import the module statically somewhere, or move the `await` into a function"),
            );
        }
    }
    let code = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        Some(render_chunk(db, config).clone())
    };
    BundleOutput { code, diagnostics }
}

/// A module that could not be read is reported where it is imported, or as the entry.
fn unreadable_module(db: &dyn Db, graph: &ModuleGraph, id: ModuleId, reason: &str) -> Diagnostic {
    let path = graph.modules[id as usize].file.path(db);
    for importer in &graph.modules {
        let record = module_record(db, importer.file);
        let spans = &parsed_module(db, importer.file).spans;
        let found = importer
            .dependencies
            .iter()
            .position(|dependency| *dependency == Dependency::Module(id))
            .map(|index| (&record.requests[index], spans.requests.get(index)))
            .or_else(|| {
                importer
                    .dynamic_dependencies
                    .iter()
                    .position(|dependency| *dependency == Dependency::Module(id))
                    .map(|index| {
                        (
                            &record.dynamic_requests[index],
                            spans.dynamic_requests.get(index),
                        )
                    })
            });
        if let Some((specifier, range)) = found {
            return Diagnostic::error(
                "UNREADABLE_FILE",
                format!("cannot read \"{specifier}\" ({}): {reason}", path.display()),
            )
            .in_file(importer.file.path(db), range.copied());
        }
    }
    Diagnostic::error(
        "UNREADABLE_FILE",
        format!("cannot read entry {}: {reason}", path.display()),
    )
    .in_file(path, None)
}
