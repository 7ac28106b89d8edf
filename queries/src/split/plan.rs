//! One chunk's plan: everything rendering it needs from the chunk graph and the boundaries,
//! without positions in the chunk list. Render reads only this (and the modules' own
//! results), so adding or removing a chunk renders again only the chunks whose plans
//! changed.

use super::{
    boundary::chunk_boundaries,
    chunks::{ChunkId, Root, Step, chunk_graph},
};
use crate::{Db, config::BuildConfig, files::SourceFile, link::graph::module_graph, parse::Name};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChunkPlan {
    /// The root it is the file of.
    pub root: Option<Root>,
    /// Its modules in discovery order (how their definitions are ordered), each with
    /// whether it is lazy (wrapped in an initializer).
    pub modules: Vec<(SourceFile, bool)>,
    /// What its code does, in order.
    pub steps: Vec<Step>,
    /// Each chunk it imports, in load order: the specifier (hash as a placeholder) and the
    /// names it imports from it.
    pub imports: Vec<(String, Vec<Name>)>,
    /// The names other chunks import from it.
    pub exports: Vec<Name>,
}

/// The plan of chunk `id` (empty when there is no such chunk).
#[salsa::tracked(returns(ref))]
pub fn chunk_plan(db: &dyn Db, config: BuildConfig, id: ChunkId) -> ChunkPlan {
    let chunks = chunk_graph(db, config);
    let Some(index) = chunks.index_of(&id) else {
        return ChunkPlan::default();
    };
    let graph = module_graph(db, config);
    let chunk = &chunks.chunks[index as usize];
    let boundary = &chunk_boundaries(db, config)[index as usize];
    ChunkPlan {
        root: chunk.root.map(|root| {
            let root = &chunks.roots[root as usize];
            Root {
                chunk: 0,
                ..root.clone()
            }
        }),
        modules: graph
            .modules
            .iter()
            .zip(&chunks.module_chunk)
            .filter(|(_, chunk)| **chunk == index)
            .map(|(module, _)| (module.file, module.is_lazy))
            .collect(),
        steps: chunk.steps.clone(),
        // The chunks it loads, then any other it takes a name from (a facade re-exports
        // what its root re-exports from elsewhere).
        imports: chunk
            .imports
            .iter()
            .copied()
            .chain(
                boundary
                    .imports
                    .iter()
                    .map(|(from, _)| *from)
                    .filter(|from| !chunk.imports.contains(from)),
            )
            .map(|from| {
                let names = boundary
                    .imports
                    .iter()
                    .find(|(chunk, _)| *chunk == from)
                    .map(|(_, names)| names.clone())
                    .unwrap_or_default();
                (chunks.specifier(index, from), names)
            })
            .collect(),
        exports: boundary.exports.clone(),
    }
}
