//! What the chunk as a whole needs: the entry's exports, the external modules to load, and
//! which runtime helpers to include.

use super::{
    Replacement,
    final_names::{LinkedExternal, external_names},
    graph::module_graph,
    replacements::replacement,
    resolve_exports::module_exports,
    tree_shaking::liveness,
};
use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    parse::Name,
};

/// The runtime helpers the output needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Helpers {
    pub interop_default: bool,
    pub interop_namespace: bool,
    pub merge_namespaces: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ChunkLinks {
    /// The entry's exports, sorted by name.
    pub entry_exports: Vec<(Name, Replacement)>,
    /// External modules the entry re-exports with `export *`.
    pub entry_external_stars: Vec<LinkedExternal>,
    pub externals: Vec<LinkedExternal>,
    pub helpers: Helpers,
}

#[salsa::tracked(returns(ref))]
pub fn chunk_links(db: &dyn Db, config: BuildConfig) -> ChunkLinks {
    let graph = module_graph(db, config);
    let externals = external_names(db, config).clone();
    let Some(&entry) = graph.entries.first() else {
        return ChunkLinks {
            externals,
            ..ChunkLinks::default()
        };
    };
    let exports = module_exports(db, config, entry);
    let entry_exports = exports
        .resolved
        .iter()
        .map(|(name, binding)| (name.clone(), replacement(db, config, None, binding)))
        .collect();
    let entry_external_stars = exports
        .external_stars
        .iter()
        .filter_map(|specifier| {
            externals
                .iter()
                .find(|e| e.specifier == *specifier)
                .cloned()
        })
        .collect();

    let mut helpers = Helpers::default();
    if config.format(db) != OutputFormat::Esm {
        helpers.interop_default = externals.iter().any(|e| e.default_var.is_some());
        helpers.interop_namespace = externals.iter().any(|e| e.namespace_var.is_some())
            || liveness(db, config)
                .externals
                .iter()
                .any(|used| used.dynamic);
    }
    let liveness = liveness(db, config);
    helpers.merge_namespaces = graph
        .modules
        .iter()
        .zip(&liveness.modules)
        .any(|(module, live)| {
            (live.namespace || module.is_lazy && live.included)
                && !module_exports(db, config, module.file)
                    .external_stars
                    .is_empty()
        });
    ChunkLinks {
        entry_exports,
        entry_external_stars,
        externals,
        helpers,
    }
}
