//! The whole build as one query: the chunk's code, or the diagnostics that stop it.

use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    diagnostics::{Diagnostic, TextRange},
    link::{Location, graph::module_graph, linked_bundle},
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
    for module in &graph.modules {
        diagnostics.extend(module_diagnostics(db, module.file).iter().cloned());
    }
    let linked = linked_bundle(db, config);
    for link_diagnostic in &linked.diagnostics {
        let spans = &parsed_module(db, link_diagnostic.file).spans;
        let range: Option<TextRange> = match link_diagnostic.location {
            Location::Module => None,
            Location::Request(index) => spans.requests.get(index as usize).copied(),
            Location::DynamicRequest(index) => spans.dynamic_requests.get(index as usize).copied(),
            Location::Import(index) => spans.imports.get(index as usize).copied(),
            Location::Export(index) => spans.exports.get(index as usize).copied(),
        };
        let mut diagnostic = link_diagnostic.diagnostic.clone();
        diagnostic.range = range;
        diagnostics.push(diagnostic);
    }
    if config.format(db) != OutputFormat::Esm {
        for module in &graph.modules {
            if module_record(db, module.file).has_top_level_await {
                diagnostics.push(
                    Diagnostic::error(
                        "TOP_LEVEL_AWAIT",
                        format!(
                            "top-level await is not available in the \"{}\" output format",
                            config.format(db).as_str()
                        ),
                    )
                    .in_file(module.file.path(db), None)
                    .with_help("use `--format esm`"),
                );
            }
        }
    }
    let code = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        Some(render_chunk(db, config).clone())
    };
    BundleOutput { code, diagnostics }
}
