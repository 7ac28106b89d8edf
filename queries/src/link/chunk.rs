//! What the chunk as a whole needs: the entry's exports, the external modules to load, and
//! which runtime helpers to include.

use super::{
    Replacement,
    final_names::{LinkedExternal, external_names},
    graph::{Dependency, module_dependencies, module_graph},
    replacements::replacement,
    resolve_exports::module_exports,
    tree_shaking::liveness,
};
use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    files::SourceFile,
    parse::{ModuleKind, Name, module_record, module_scope_names},
    split::chunks::{ChunkId, chunk_graph},
};

/// The runtime helpers the output needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Helpers {
    pub interop_default: bool,
    pub interop_namespace: bool,
    pub merge_namespaces: bool,
    /// `__namespace`: a minified build has a namespace object (without `export *` of an
    /// external, which `_mergeNamespaces` makes).
    pub namespace: bool,
    /// `__commonJS`: some module is CommonJS.
    pub commonjs: bool,
    /// `__toESM`: an ES module imports CommonJS.
    pub to_esm: bool,
    /// `__toCommonJS`: CommonJS requires an ES module.
    pub to_commonjs: bool,
    /// `createRequire`: an ES module bundle for node requires something at run time.
    pub require_shim: bool,
    /// `__filename` and `__dirname` for CommonJS code in an ES module bundle for node.
    pub dirname_shim: bool,
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

/// What chunk `chunk` of [`chunk_graph`] needs as a whole: the exports of the root it is
/// the file of, the externals its modules import, the runtime helpers.
#[salsa::tracked(returns(ref))]
pub fn chunk_links(db: &dyn Db, config: BuildConfig, id: ChunkId) -> ChunkLinks {
    let graph = module_graph(db, config);
    let chunks = chunk_graph(db, config);
    let Some(chunk) = chunks.index_of(&id) else {
        return ChunkLinks::default();
    };
    let this = &chunks.chunks[chunk as usize];
    let splitting = chunks.chunks.len() > 1;
    // The externals its modules import (a facade's: its root module's); only CommonJS
    // `require`s some (they load them when they run).
    let mut imported_here = vec![!splitting; graph.externals.len()];
    if splitting {
        let root_module = this
            .root
            .filter(|_| this.is_facade())
            .map(|root| chunks.roots[root as usize].file);
        for &file in this.modules.iter().chain(&root_module) {
            for dependency in module_dependencies(db, config, file).static_imports() {
                if let Dependency::External(specifier) = dependency
                    && let Some(index) = graph.external(specifier)
                {
                    imported_here[index] = true;
                }
            }
        }
    }
    let externals: Vec<LinkedExternal> = external_names(db, config)
        .iter()
        .zip(&graph.imported_externals)
        .zip(&imported_here)
        .filter(|((_, imported), here)| **imported && **here)
        .map(|((external, _), _)| external.clone())
        .collect();
    let Some(entry) = this.root.map(|root| chunks.roots[root as usize].file) else {
        return ChunkLinks {
            externals,
            helpers: chunk_helpers(db, config, chunk),
            ..ChunkLinks::default()
        };
    };
    let exports = module_exports(db, config, entry);
    let format = config.format(db);
    // A CommonJS entry of a CommonJS bundle is the bundle's `module.exports` as it is.
    let exports_bundle =
        format == OutputFormat::Cjs && module_record(db, entry).kind == ModuleKind::CommonJs;
    let entry_exports = exports
        .resolved
        .iter()
        .filter(|_| !exports_bundle)
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

    ChunkLinks {
        entry_exports,
        entry_external_stars,
        externals,
        helpers: chunk_helpers(db, config, chunk),
    }
}

/// The helpers chunk `chunk` needs: all the build needs without splitting; split, those its
/// own code calls (every chunk defines its own).
fn chunk_helpers(db: &dyn Db, config: BuildConfig, chunk: u32) -> Helpers {
    let all = *helpers(db, config);
    let chunks = chunk_graph(db, config);
    if chunks.chunks.len() < 2 {
        return all;
    }
    let graph = module_graph(db, config);
    let liveness = liveness(db, config);
    let mut used = Helpers::default();
    for &file in &chunks.chunks[chunk as usize].modules {
        let live = &liveness.modules[graph.index[&file] as usize];
        if !live.included {
            continue;
        }
        if module_record(db, file).kind == ModuleKind::CommonJs {
            // Its wrapper, and the views its startup makes.
            used.commonjs = true;
            used.to_esm |= live.interop.babel || live.interop.node;
            used.require_shim = true;
            used.dirname_shim = true;
        }
        if let Some(namespace) = &super::replacements::linked_module(db, config, file).namespace {
            used.merge_namespaces |= !namespace.external_stars.is_empty();
            used.namespace |= namespace.external_stars.is_empty();
        }
        crate::split::boundary::mentioned_names(db, config, file, &mut |text| {
            crate::split::boundary::identifiers(text, &mut |name| match name {
                "__toESM" => used.to_esm = true,
                "__toCommonJS" => used.to_commonjs = true,
                "require" => used.require_shim = true,
                _ => {}
            });
        });
    }
    Helpers {
        interop_default: all.interop_default,
        interop_namespace: all.interop_namespace,
        merge_namespaces: all.merge_namespaces && used.merge_namespaces,
        namespace: all.namespace && used.namespace,
        commonjs: all.commonjs && used.commonjs,
        to_esm: all.to_esm && used.to_esm,
        to_commonjs: all.to_commonjs && used.to_commonjs,
        require_shim: all.require_shim && used.require_shim,
        dirname_shim: all.dirname_shim && used.dirname_shim,
    }
}

/// The runtime helpers the build needs (every chunk of a split build gets them all).
#[salsa::tracked]
pub fn helpers(db: &dyn Db, config: BuildConfig) -> Helpers {
    let graph = module_graph(db, config);
    let format = config.format(db);
    let externals: Vec<&LinkedExternal> = external_names(db, config)
        .iter()
        .zip(&graph.imported_externals)
        .filter(|(_, imported)| **imported)
        .map(|(external, _)| external)
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
    // The modules with a namespace object, and whether it merges externals' namespaces.
    let namespaces = graph
        .modules
        .iter()
        .zip(&liveness.modules)
        .filter(|(module, live)| live.namespace || module.is_lazy && live.included)
        .map(|(module, _)| {
            !module_exports(db, config, module.file)
                .external_stars
                .is_empty()
        });
    for merges in namespaces {
        helpers.merge_namespaces |= merges;
        helpers.namespace |= !merges;
    }
    helpers.namespace &= crate::settings::minify_whitespace(db);
    // The modules the bundle's CommonJS code requires. What each module is and what it
    // requires comes from tree shaking, which read them already: one fetch of each module's
    // record and dependencies fewer every time this runs again (every graph edit).
    let required: rustc_hash::FxHashSet<SourceFile> = liveness
        .modules
        .iter()
        .filter(|live| live.included)
        .flat_map(|live| live.required.iter().copied())
        .collect();
    for (module, live) in graph.modules.iter().zip(&liveness.modules) {
        if !live.included {
            continue;
        }
        if live.commonjs {
            helpers.commonjs = true;
            helpers.to_esm |= live.interop.babel || live.interop.node;
            if format == OutputFormat::Esm {
                let globals = &module_scope_names(db, module.file).globals;
                let reads = |global: &str| {
                    globals
                        .binary_search_by(|name| name.as_str().cmp(global))
                        .is_ok()
                };
                helpers.require_shim |= reads("require");
                helpers.dirname_shim |= reads("__filename") || reads("__dirname");
            }
        } else {
            // `require` of an ES module reads its namespace through `__toCommonJS`.
            helpers.to_commonjs |= required.contains(&module.file);
        }
    }
    helpers.require_shim = helpers.require_shim
        || format == OutputFormat::Esm && liveness.externals.iter().any(|used| used.required);
    let for_node = crate::settings::CompileOptions::try_get(db)
        .is_some_and(|options| options.platform(db) == crate::settings::Platform::Node);
    helpers.require_shim &= for_node;
    helpers.dirname_shim &= for_node;
    helpers
}
