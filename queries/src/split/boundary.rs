//! What crosses chunk boundaries. Link gives every top-level binding of the build a name in
//! one scope, so a binding another chunk declares is imported under the name it has there,
//! and exported under it: no renaming at a boundary, and no two chunks export the same
//! name for different bindings.
//!
//! A chunk's code mentions other modules' bindings only through relocations and render's
//! glue (namespace objects, initializers, CommonJS views), all spelled by link. So the names
//! a chunk needs are the identifiers in the replacements its live items use and in its glue,
//! never a scan of module code (where a property or a nested local may share a name).

use rustc_hash::FxHashMap;

use super::chunks::{Step, chunk_graph};
use crate::{
    Db,
    config::BuildConfig,
    link::{
        graph::module_graph, module_names, replacements::linked_module, tree_shaking::liveness,
    },
    parse::{Name, module_facts},
};

/// One chunk's imports from other chunks and exports to them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChunkBoundary {
    /// Per chunk it imports from (in the order its imports load), the names, sorted.
    pub imports: Vec<(u32, Vec<Name>)>,
    /// The names other chunks import from it, sorted.
    pub exports: Vec<Name>,
}

/// Every chunk's boundary. Re-runs when a replacement or the chunk assignment changes, not
/// on a body edit.
#[salsa::tracked(returns(ref))]
pub fn chunk_boundaries(db: &dyn Db, config: BuildConfig) -> Vec<ChunkBoundary> {
    let _span = tracing::debug_span!("chunk_boundaries").entered();
    let chunks = chunk_graph(db, config);
    let mut boundaries = vec![ChunkBoundary::default(); chunks.chunks.len()];
    if chunks.chunks.len() < 2 {
        return boundaries;
    }
    let graph = module_graph(db, config);
    let liveness = liveness(db, config);

    // Where each top-level name of the build is declared.
    let mut declared_in: FxHashMap<&str, u32> = FxHashMap::default();
    for (index, module) in graph.modules.iter().enumerate() {
        let chunk = chunks.module_chunk[index];
        if chunk == u32::MAX {
            continue;
        }
        for name in declared_names(db, config, module.file, graph.is_lazy(module.file)) {
            declared_in.insert(name, chunk);
        }
    }

    let mut imports: Vec<FxHashMap<u32, Vec<Name>>> =
        vec![FxHashMap::default(); chunks.chunks.len()];
    for (chunk_index, chunk) in chunks.chunks.iter().enumerate() {
        let mut mentioned: Vec<Name> = Vec::new();
        for &file in &chunk.modules {
            let index = graph.index[&file] as usize;
            if !liveness.modules[index].included {
                continue;
            }
            mentioned_names(db, config, file, &mut |text| {
                identifiers(text, &mut |name| {
                    if declared_in.contains_key(name) {
                        mentioned.push(Name::from(name));
                    }
                });
            });
        }
        for step in &chunk.steps {
            if let Step::Init(file) = *step
                && let Some(init) = &module_names(db, config, file).init
            {
                mentioned.push(init.clone());
            }
        }
        // A root's file exports the root's exports, wherever they are declared.
        if let Some(root) = chunk.root {
            let root = chunks.roots[root as usize].file;
            for (_, replacement) in &root_exports(db, config, root) {
                identifiers(&replacement.text, &mut |name| {
                    mentioned.push(Name::from(name))
                });
            }
        }
        for name in mentioned {
            if let Some(&declaring) = declared_in.get(name.as_str())
                && declaring != chunk_index as u32
            {
                imports[chunk_index]
                    .entry(declaring)
                    .or_default()
                    .push(name);
            }
        }
    }

    for (chunk_index, imported) in imports.into_iter().enumerate() {
        let order = &chunks.chunks[chunk_index].imports;
        let mut list: Vec<(u32, Vec<Name>)> = imported.into_iter().collect();
        for (from, names) in &mut list {
            names.sort_unstable();
            names.dedup();
            boundaries[*from as usize]
                .exports
                .extend(names.iter().cloned());
        }
        list.sort_by_key(|(from, _)| {
            order
                .iter()
                .position(|chunk| chunk == from)
                .unwrap_or(usize::MAX)
        });
        boundaries[chunk_index].imports = list;
    }
    // A wrapped module an `import()` loads: the `import()` calls its initializer from the
    // chunk's exports.
    for root in &chunks.roots {
        if !root.is_entry
            && let Some(init) = &module_names(db, config, root.file).init
        {
            boundaries[root.chunk as usize].exports.push(init.clone());
        }
    }
    for boundary in &mut boundaries {
        boundary.exports.sort_unstable();
        boundary.exports.dedup();
    }
    boundaries
}

/// The exports of a root module, and what each reads.
pub fn root_exports(
    db: &dyn Db,
    config: BuildConfig,
    root: crate::files::SourceFile,
) -> Vec<(Name, crate::link::Replacement)> {
    crate::link::resolve_exports::module_exports(db, config, root)
        .resolved
        .iter()
        .map(|(name, binding)| {
            (
                name.clone(),
                crate::link::replacements::replacement(db, config, None, binding),
            )
        })
        .collect()
}

/// The top-level names a module's code declares in its chunk: a lazy module's initializer
/// and namespace (its bindings are inside the initializer), a CommonJS module's wrapper and
/// views, an ES module's bindings and namespace.
fn declared_names(
    db: &dyn Db,
    config: BuildConfig,
    file: crate::files::SourceFile,
    is_lazy: bool,
) -> Vec<&str> {
    let names = &module_names(db, config, file);
    let mut declared: Vec<&str> = [
        &names.namespace,
        &names.init,
        &names.require,
        &names.interop,
        &names.node_interop,
    ]
    .into_iter()
    .flatten()
    .map(Name::as_str)
    .collect();
    if !is_lazy && names.require.is_none() {
        declared.extend(names.symbols.iter().map(|(_, name)| name.as_str()));
    }
    declared
}

/// Calls `visit` with every text link spelled for `file`'s part of its chunk: the
/// replacements its live items use, its namespace object's getters, its initializer's
/// calls and its CommonJS views.
pub(crate) fn mentioned_names(
    db: &dyn Db,
    config: BuildConfig,
    file: crate::files::SourceFile,
    visit: &mut dyn FnMut(&str),
) {
    let linked = linked_module(db, config, file);
    if let Some(namespace) = &linked.namespace {
        for (_, replacement) in &namespace.members {
            visit(&replacement.text);
        }
        for star in &namespace.external_stars {
            visit(star);
        }
    }
    if let Some(init) = &linked.init {
        for dependency in &init.dependencies {
            visit(dependency);
        }
        for (view, expression) in &init.commonjs_views {
            visit(view);
            visit(expression);
        }
    }
    if linked.live_items.is_empty() {
        return;
    }
    let replacements = &linked.replacements;
    let facts = &module_facts(db, file).items;
    for &item in &linked.live_items {
        let facts = &facts[item as usize];
        for reference in &facts.references {
            if let Some(replacement) = replacements.symbols.get(reference) {
                visit(&replacement.text);
            }
        }
        for member in &facts.namespace_members {
            if let Some(replacement) = replacements.namespace_members.get(member) {
                visit(&replacement.text);
            }
        }
        for specifier in &facts.dynamic_imports {
            if let Some(replacement) = replacements.dynamic_imports.get(specifier) {
                visit(&replacement.text);
            }
        }
        for specifier in &facts.requires {
            if let Some(replacement) = replacements.requires.get(specifier) {
                visit(&replacement.text);
            }
        }
    }
}

/// Calls `visit` with each identifier of generated code `text` that is not a property name
/// (after a `.`) and not inside a string literal.
pub fn identifiers<'t>(text: &'t str, visit: &mut dyn FnMut(&'t str)) {
    let bytes = text.as_bytes();
    let mut position = 0;
    let mut after_dot = false;
    while position < bytes.len() {
        let byte = bytes[position];
        match byte {
            b'"' | b'\'' => {
                position += 1;
                while position < bytes.len() && bytes[position] != byte {
                    position += if bytes[position] == b'\\' { 2 } else { 1 };
                }
                position += 1;
                after_dot = false;
            }
            b'.' => {
                position += 1;
                after_dot = true;
            }
            _ if byte == b'$' || byte == b'_' || byte.is_ascii_alphabetic() || byte >= 0x80 => {
                let start = position;
                while position < bytes.len()
                    && (bytes[position] == b'$'
                        || bytes[position] == b'_'
                        || bytes[position].is_ascii_alphanumeric()
                        || bytes[position] >= 0x80)
                {
                    position += 1;
                }
                if !after_dot {
                    visit(&text[start..position]);
                }
                after_dot = false;
            }
            _ if byte.is_ascii_digit() => {
                while position < bytes.len()
                    && (bytes[position].is_ascii_alphanumeric() || bytes[position] == b'.')
                {
                    position += 1;
                }
                after_dot = false;
            }
            _ if byte.is_ascii_whitespace() => position += 1,
            _ => {
                position += 1;
                after_dot = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::identifiers;

    #[test]
    fn identifiers_skip_properties_and_strings() {
        let mut found = Vec::new();
        identifiers(
            "__toESM(require_x(), 1, [\"a\", 'b\\'c']).d + ns_é.x[\"y\"] + 1.5e3 + $z",
            &mut |name| found.push(name),
        );
        assert_eq!(found, ["__toESM", "require_x", "ns_é", "$z"]);
    }
}
