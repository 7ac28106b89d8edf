//! Which chunk each module goes to, and what each chunk's code does.
//!
//! The roots are the entries and, with splitting, every ES module an `import()` loads. A
//! module's *root set* is the set of roots whose code needs it (see [`live_edges`]: the
//! bindings live code uses, through re-exports; the effects static imports run; `require`s
//! and `import()`s of CommonJS, whose wrapper any chunk can call); the modules with the
//! same root set form one chunk. Need is transitive, so a module's dependencies have root
//! sets that contain its own: a chunk only imports chunks whose root sets strictly contain
//! its own, and modules that need each other share a chunk.
//!
//! Loading a root's file runs the chunks it imports first, depth first, then its own
//! steps; loading the root unbundled runs its modules in the post-order of its static
//! imports. Where the two differ for modules with side effects, the module graph wraps
//! the shared modules in initializers ([`modules_to_wrap`]), and a chunk's steps call them
//! where the unbundled walk reaches them. What still differs is an `order_problem`, which
//! the build reports rather than change what the program does.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use crate::{
    Db,
    config::BuildConfig,
    files::SourceFile,
    link::{
        Binding,
        bind_imports::module_bindings,
        display_name,
        graph::{
            Dependency, ExecutionStep, ModuleDependencies, ModuleGraph, dynamic_roots,
            graph_dependencies, graph_views, module_dependencies, module_graph, post_order,
        },
        resolve_exports::module_exports,
        tree_shaking::{Liveness, liveness},
    },
    parse::module_facts,
};

/// Something loading runs: an entry, or a module an `import()` loads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Root {
    pub file: SourceFile,
    pub is_entry: bool,
    /// Its file: what importing the entry or its `import()`s load; for a wrapped module an
    /// `import()` loads, the chunk whose initializer for it the `import()` calls.
    pub chunk: u32,
}

/// What a chunk is, independent of its position in the list: the paths of its roots
/// (relative to the build's root), and whether it is a facade. Keys the per-chunk queries,
/// so a chunk added elsewhere does not make the others render again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChunkId {
    pub roots: Vec<String>,
    pub facade: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub id: ChunkId,
    /// Stands for its hash in other chunks' code until every chunk is rendered: the hash's
    /// length, between two [`PLACEHOLDER_MARK`]s.
    pub placeholder: String,
    /// The roots whose loading runs this chunk, ascending (positions in `ChunkGraph::roots`).
    pub roots: Vec<u32>,
    /// The root this chunk is the file of: it holds the root's module and only that root
    /// loads it, or it is a facade that re-exports a root whose module is in a shared chunk.
    pub root: Option<u32>,
    /// Its modules, in the order they run (lazy ones, which run when first loaded, first).
    pub modules: Vec<SourceFile>,
    /// The chunks its modules import, in the order they must load.
    pub imports: Vec<u32>,
    /// What its code does, in order: define or run each module, and call the initializers
    /// of wrapped modules where they must run (see [`Step`]).
    pub steps: Vec<Step>,
    /// `[name]` in its file name: its root's file stem, or `chunk` for a shared chunk.
    pub name: String,
    /// `[dir]` in its file name: its root's directory relative to the entries' lowest
    /// common ancestor (empty for a shared chunk).
    pub dir: String,
    /// Its path in the output directory (`/`-separated), its hash as its placeholder.
    pub file: String,
}

/// One step of a chunk's code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A module's code: run where it stands, or, for a lazy module, its initializer defined.
    Module(SourceFile),
    /// `init_x();`: a lazy module that this chunk's code imports statically runs here.
    Init(SourceFile),
}

impl Chunk {
    /// An entry whose code is in another chunk: it only re-exports.
    pub fn is_facade(&self) -> bool {
        self.modules.is_empty() && self.root.is_some()
    }
}

/// Loading `root` would run `later` before `earlier`, which the unbundled modules run first
/// (both have side effects).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderProblem {
    pub root: SourceFile,
    pub earlier: SourceFile,
    pub later: SourceFile,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChunkGraph {
    pub roots: Vec<Root>,
    pub chunks: Vec<Chunk>,
    /// The chunk of each module, by position in the module graph.
    pub module_chunk: Vec<u32>,
    pub order_problem: Option<OrderProblem>,
}

impl ChunkGraph {
    /// The position of the chunk `id` names.
    pub fn index_of(&self, id: &ChunkId) -> Option<u32> {
        self.chunks
            .iter()
            .position(|chunk| chunk.id == *id)
            .map(|index| index as u32)
    }
}

/// Assigns the modules to chunks and says what each chunk's code does. Reads the module
/// graph, liveness, bindings and facts (which items have side effects), never code: a body
/// edit leaves it equal.
#[salsa::tracked(returns(ref))]
pub fn chunk_graph(db: &dyn Db, config: BuildConfig) -> ChunkGraph {
    let _span = tracing::debug_span!("chunk_graph").entered();
    let graph = module_graph(db, config);
    // Without splitting there is one chunk: nothing to compute edges for.
    let edges = match config.splitting(db) {
        true => live_edges(db, config, graph),
        false => Vec::new(),
    };
    let mut chunk_graph = assign(db, config, graph, &edges, Some(liveness(db, config)));
    let dependencies = graph_dependencies(db, config, graph);
    for index in 0..chunk_graph.chunks.len() {
        chunk_graph.chunks[index].steps = steps(graph, &dependencies, &chunk_graph, index);
    }
    chunk_graph.order_problem =
        order_problem(db, config, graph, &dependencies, &chunk_graph, Load::Steps);
    chunk_graph
}

/// The modules a split graph wraps in initializers, when running every module as its chunk
/// loads would change the order modules with side effects run in: the ES modules of shared
/// chunks (whose root set has more than one root), except the roots' own modules and the
/// modules declaring what a root exports (a root's file exports live bindings, which an
/// initializer's locals cannot be). Each root's file calls their initializers where they
/// must run. If what is left still runs out of order, `chunk_graph` says so.
///
/// `dependencies` is each module's, by position (see [`graph_dependencies`]).
pub fn modules_to_wrap(
    db: &dyn Db,
    config: BuildConfig,
    graph: &ModuleGraph,
    dependencies: &[&ModuleDependencies],
) -> Vec<SourceFile> {
    let edges: Vec<Vec<SourceFile>> = graph
        .modules
        .iter()
        .map(|module| chunk_edges(db, config, module.file))
        .collect();
    let chunk_graph = assign(db, config, graph, &edges, None);
    if order_problem(db, config, graph, dependencies, &chunk_graph, Load::Eager).is_none() {
        return Vec::new();
    }
    let is_entry = |file: SourceFile| {
        chunk_graph
            .roots
            .iter()
            .any(|root| root.is_entry && root.file == file)
    };
    // A root's file exports live bindings, which an initializer's locals cannot be. (A
    // module an `import()` loads that is wrapped itself has no file: `import()` yields the
    // namespace object its initializer returns, whose getters are live.)
    let mut exported_by_root = rustc_hash::FxHashSet::default();
    for root in chunk_graph.roots.iter().filter(|root| {
        let chunk = chunk_graph.module_chunk[graph.index[&root.file] as usize];
        root.is_entry || chunk_graph.chunks[chunk as usize].roots.len() == 1
    }) {
        for (_, binding) in &module_exports(db, config, root.file).resolved {
            if let Binding::Symbol { module, .. } = binding {
                exported_by_root.insert(*module);
            }
        }
    }
    graph
        .modules
        .iter()
        .enumerate()
        .filter(|(index, module)| {
            chunk_graph.chunks[chunk_graph.module_chunk[*index] as usize]
                .roots
                .len()
                > 1
                && !module.is_lazy
                && !is_entry(module.file)
                && !exported_by_root.contains(&module.file)
                && !dependencies[*index].commonjs
        })
        .map(|(_, module)| module.file)
        .collect()
}

/// The chunks, their modules and imports (no steps yet), from what each module's code needs
/// (`edges`, by module position). A module no root needs has no code in the output: it is
/// in no chunk.
fn assign(
    db: &dyn Db,
    config: BuildConfig,
    graph: &ModuleGraph,
    edges: &[Vec<SourceFile>],
    liveness: Option<&Liveness>,
) -> ChunkGraph {
    let order = modules_in_order(graph);
    let mut roots: Vec<Root> = graph
        .entries
        .iter()
        .map(|&file| Root {
            file,
            is_entry: true,
            chunk: 0,
        })
        .collect();
    if !config.splitting(db) {
        let name = graph
            .entries
            .first()
            .map_or_else(|| "chunk".to_owned(), |&entry| file_stem(db, entry));
        return ChunkGraph {
            roots,
            chunks: vec![Chunk {
                id: ChunkId::default(),
                placeholder: String::new(),
                roots: vec![0],
                root: (!graph.entries.is_empty()).then_some(0),
                modules: order,
                imports: Vec::new(),
                steps: Vec::new(),
                file: format!("{name}.js"),
                name,
                dir: String::new(),
            }],
            module_chunk: vec![0; graph.modules.len()],
            order_problem: None,
        };
    }

    roots.extend(
        dynamic_roots(db, config, graph)
            .into_iter()
            .map(|file| Root {
                file,
                is_entry: false,
                chunk: 0,
            }),
    );

    // Root sets, as bit sets of `words` words per module.
    let words = roots.len().div_ceil(64).max(1);
    let mut sets = root_sets(graph, &roots, words, |module| &edges[module]);
    // A module with code in the output that no root's code was found to need keeps it:
    // it goes where static imports put it (a safety net; the edges should find it).
    let has_code = |liveness: &Liveness, module: usize| {
        let live = &liveness.modules[module];
        live.included
            && (!live.live_items.is_empty() || live.namespace || graph.modules[module].is_lazy)
    };
    let orphans: Vec<usize> = match liveness {
        Some(liveness) => (0..graph.modules.len())
            .filter(|&module| {
                has_code(liveness, module)
                    && sets[module * words..(module + 1) * words]
                        .iter()
                        .all(|word| *word == 0)
            })
            .collect(),
        None => Vec::new(),
    };
    if !orphans.is_empty() {
        tracing::warn!(
            count = orphans.len(),
            "modules with code no root needs; placed by static imports"
        );
        let static_sets = root_sets(graph, &roots, words, |module| {
            chunk_edges(db, config, graph.modules[module].file)
        });
        for module in orphans {
            let range = module * words..(module + 1) * words;
            sets[range.clone()].copy_from_slice(&static_sets[range]);
        }
    }
    let root_set = |module: usize| &sets[module * words..(module + 1) * words];

    // One chunk per root set: the roots' own first, in root order, then the shared ones in
    // the order their first module runs.
    let mut chunk_by_set: FxHashMap<&[u64], u32> = FxHashMap::default();
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut module_chunk = vec![u32::MAX; graph.modules.len()];
    let mut assign = |module: usize, chunks: &mut Vec<Chunk>| {
        let set = root_set(module);
        if set.iter().all(|word| *word == 0) {
            return;
        }
        let chunk = *chunk_by_set.entry(set).or_insert_with(|| {
            chunks.push(Chunk {
                id: ChunkId::default(),
                placeholder: String::new(),
                roots: (0..roots.len() as u32)
                    .filter(|&r| set[r as usize / 64] & (1 << (r % 64)) != 0)
                    .collect(),
                root: None,
                modules: Vec::new(),
                imports: Vec::new(),
                steps: Vec::new(),
                name: "chunk".to_owned(),
                dir: String::new(),
                file: String::new(),
            });
            chunks.len() as u32 - 1
        });
        module_chunk[module] = chunk;
    };
    for root in &roots {
        assign(graph.index[&root.file] as usize, &mut chunks);
    }
    for &file in &order {
        assign(graph.index[&file] as usize, &mut chunks);
    }
    for &file in &order {
        let chunk = module_chunk[graph.index[&file] as usize];
        if let Some(chunk) = chunks.get_mut(chunk as usize) {
            chunk.modules.push(file);
        }
    }
    // `[dir]`: a root's directory under the entries' lowest common ancestor.
    let outbase = entries_ancestor(db, graph);
    let root_dir = |file: SourceFile| directory_under(file.path(db), &outbase);
    // Each root's file: the chunk with its module when no other root loads that chunk;
    // otherwise a facade that imports the chunk and re-exports the root's exports. So a
    // root's file exports exactly what the root exports (what `import()` of it must
    // yield), and a chunk that other chunks import from is never a root's file.
    for position in 0..roots.len() {
        let chunk = module_chunk[graph.index[&roots[position].file] as usize];
        let own = chunks[chunk as usize].roots == [position as u32];
        let chunk = if !roots[position].is_entry && graph.is_lazy(roots[position].file) {
            // Wrapped: its `import()`s call its initializer in the chunk that has it.
            if own {
                chunks[chunk as usize].name = file_stem(db, roots[position].file);
                chunks[chunk as usize].dir = root_dir(roots[position].file);
            }
            chunk
        } else if own {
            chunks[chunk as usize].root = Some(position as u32);
            chunks[chunk as usize].name = file_stem(db, roots[position].file);
            chunks[chunk as usize].dir = root_dir(roots[position].file);
            chunk
        } else {
            chunks.push(Chunk {
                id: ChunkId::default(),
                placeholder: String::new(),
                roots: vec![position as u32],
                root: Some(position as u32),
                modules: Vec::new(),
                imports: vec![chunk],
                steps: Vec::new(),
                name: file_stem(db, roots[position].file),
                dir: root_dir(roots[position].file),
                file: String::new(),
            });
            chunks.len() as u32 - 1
        };
        roots[position].chunk = chunk;
    }
    // What each chunk imports, in the order its modules first import from them.
    for (index, chunk) in chunks.iter_mut().enumerate() {
        for &file in &chunk.modules {
            for target in &edges[graph.index[&file] as usize] {
                let target_chunk = module_chunk[graph.index[target] as usize];
                if target_chunk != index as u32
                    && target_chunk != u32::MAX
                    && !chunk.imports.contains(&target_chunk)
                {
                    chunk.imports.push(target_chunk);
                }
            }
        }
    }
    // Identities, and placeholders made from them (stable when other chunks come and go).
    let root_path = |root: u32| {
        let path = roots[root as usize].file.path(db);
        path.strip_prefix(config.root(db))
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned()
    };
    for chunk in &mut chunks {
        let mut paths: Vec<String> = chunk.roots.iter().map(|&root| root_path(root)).collect();
        paths.sort();
        chunk.id = ChunkId {
            roots: paths,
            facade: chunk.is_facade(),
        };
        let hash = xxhash_rust::xxh3::xxh3_64(format!("{:?}", chunk.id).as_bytes());
        chunk.placeholder = placeholder(&base32(hash)[..HASH_LENGTH - 2]);
    }
    let mut placeholders: Vec<&str> = chunks
        .iter()
        .map(|chunk| chunk.placeholder.as_str())
        .collect();
    placeholders.sort_unstable();
    if placeholders.windows(2).any(|pair| pair[0] == pair[1]) {
        // Two identities hashed alike: positions are unique.
        for (index, chunk) in chunks.iter_mut().enumerate() {
            chunk.placeholder = placeholder(&format!("{index:06x}"));
        }
    }
    let names = config.output_names(db);
    for chunk in &mut chunks {
        let is_entry = chunk.root.is_some_and(|root| roots[root as usize].is_entry);
        let pattern = if is_entry { &names.entry } else { &names.chunk };
        chunk.file = expand_names_pattern(pattern, &chunk.dir, &chunk.name, &chunk.placeholder);
    }
    ChunkGraph {
        roots,
        chunks,
        module_chunk,
        order_problem: None,
    }
}

/// Each module's root set, as `words` words of bits per module: the roots whose walk over
/// `edges` (the modules a module's code needs, by module position) reaches it.
fn root_sets<E: AsRef<[SourceFile]>>(
    graph: &ModuleGraph,
    roots: &[Root],
    words: usize,
    edges: impl Fn(usize) -> E,
) -> Vec<u64> {
    let mut sets = vec![0u64; graph.modules.len() * words];
    let mut stack = Vec::new();
    for (position, root) in roots.iter().enumerate() {
        let (word, bit) = (position / 64, 1u64 << (position % 64));
        stack.push(graph.index[&root.file] as usize);
        while let Some(module) = stack.pop() {
            let slot = &mut sets[module * words + word];
            if *slot & bit != 0 {
                continue;
            }
            *slot |= bit;
            let targets = edges(module);
            stack.extend(
                targets
                    .as_ref()
                    .iter()
                    .map(|target| graph.index[target] as usize),
            );
        }
    }
    sets
}

/// What chunk `index`'s code does, in order. Lazy modules' initializers are defined first.
/// Then each eager module runs, after the initializers of the wrapped modules it imports,
/// called where the unbundled modules would start running them: in a root's own chunk,
/// walking the static imports depth first from the root, a wrapped module is initialized
/// when the walk reaches it (its initializer walks its own imports the same way), and an
/// eager module runs when the walk leaves it.
fn steps(
    graph: &ModuleGraph,
    dependencies: &[&ModuleDependencies],
    chunk_graph: &ChunkGraph,
    index: usize,
) -> Vec<Step> {
    let chunk = &chunk_graph.chunks[index];
    let mut steps: Vec<Step> = chunk
        .modules
        .iter()
        .filter(|&&file| graph.is_lazy(file))
        .map(|&file| Step::Module(file))
        .collect();
    let mut in_chunk = vec![false; graph.modules.len()];
    for &file in &chunk.modules {
        in_chunk[graph.index[&file] as usize] = !graph.is_lazy(file);
    }
    let own_root = chunk
        .root
        .filter(|_| !chunk.is_facade())
        .map(|root| chunk_graph.roots[root as usize].file);
    let Some(own_root) = own_root else {
        // A shared chunk: its eager modules in execution order (which puts a module's
        // static imports first, cycles as the first root that loads them enters them),
        // each after the initializers of the wrapped modules it imports.
        let mut emitted = vec![false; graph.modules.len()];
        for &file in &chunk.modules {
            if !in_chunk[graph.index[&file] as usize] {
                continue;
            }
            let imports = dependencies[graph.index[&file] as usize].static_imports();
            for dependency in imports {
                if let Dependency::Module(target) = dependency
                    && graph.is_lazy(*target)
                    && !std::mem::replace(&mut emitted[graph.index[target] as usize], true)
                {
                    steps.push(Step::Init(*target));
                }
            }
            steps.push(Step::Module(file));
        }
        return steps;
    };
    // A root's own chunk: the root's walk, then any module it did not reach. The walk goes
    // through the modules of other chunks too (they ran when their chunks loaded), for the
    // modules of this chunk that it reaches only through them: a package's index of
    // re-exports in a shared chunk, with the part only this root uses behind it here. Each
    // of this chunk's modules comes after the modules it imports, as unbundled.
    let starts: Vec<SourceFile> = std::iter::once(own_root)
        .chain(chunk.modules.iter().copied())
        .filter(|&file| in_chunk[graph.index[&file] as usize])
        .collect();
    let mut visited = vec![false; graph.modules.len()];
    for start in starts {
        if std::mem::replace(&mut visited[graph.index[&start] as usize], true) {
            continue;
        }
        // Each module on the walk, the next of its imports to visit, and whether its code
        // is in another chunk (whose steps initialize the wrapped modules it imports).
        let mut stack: Vec<(SourceFile, usize, bool)> = vec![(start, 0, false)];
        while let Some((module, next, elsewhere)) = stack.last_mut() {
            let imports = dependencies[graph.index[module] as usize].static_imports();
            if let Some(dependency) = imports.get(*next) {
                *next += 1;
                let elsewhere = *elsewhere;
                let Dependency::Module(target) = dependency else {
                    continue;
                };
                let target_index = graph.index[target] as usize;
                if graph.is_lazy(*target) {
                    if !elsewhere && !std::mem::replace(&mut visited[target_index], true) {
                        steps.push(Step::Init(*target));
                    }
                    continue;
                }
                if std::mem::replace(&mut visited[target_index], true) {
                    continue;
                }
                // A module with no code (in no chunk) is walked through as its importer.
                let target_elsewhere = match chunk_graph.module_chunk[target_index] {
                    u32::MAX => elsewhere,
                    _ => !in_chunk[target_index],
                };
                stack.push((*target, 0, target_elsewhere));
            } else {
                if in_chunk[graph.index[&*module] as usize] {
                    steps.push(Step::Module(*module));
                }
                stack.pop();
            }
        }
    }
    steps
}

/// What each module's code in the output needs in its own or an earlier-loaded chunk, by
/// module position: the modules declaring the bindings its live items use (through any
/// re-exports), the modules whose code has effects that its static imports reach through
/// modules whose code has none (so importing a package's index of re-exports does not
/// pull everything it re-exports into the importer's chunks), what it `require`s, and the
/// CommonJS modules it `import()`s.
fn live_edges(db: &dyn Db, config: BuildConfig, graph: &ModuleGraph) -> Vec<Vec<SourceFile>> {
    let liveness = liveness(db, config);
    let views = graph_views(db, config);
    let count = graph.modules.len();
    let static_imports = |index: usize| {
        module_dependencies(db, config, graph.modules[index].file)
            .static_imports()
            .iter()
            .filter_map(|dependency| match dependency {
                Dependency::Module(target) => Some(graph.index[target] as usize),
                _ => None,
            })
    };
    // Whether a module's code in the output has effects when it runs (CommonJS runs as a
    // whole), unless its package declares it free of them: importing it is then needed
    // for those effects. Bindings need no import path: the binding edges below reach them.
    let effectful: Vec<bool> = (0..count)
        .map(|index| {
            let live = &liveness.modules[index];
            let file = graph.modules[index].file;
            live.included
                && graph.modules[index].has_side_effects
                && (module_dependencies(db, config, file).commonjs || {
                    let facts = &views[index].facts(db).items;
                    live.live_items
                        .iter()
                        .any(|&item| facts[item as usize].has_side_effects)
                })
        })
        .collect();
    // The modules with effects a module's static imports reach through modules without.
    let mut reached = vec![usize::MAX; count];
    let mut effects_reached = |from: usize| -> Vec<usize> {
        let mut found = Vec::new();
        let mut stack: Vec<usize> = static_imports(from).collect();
        while let Some(module) = stack.pop() {
            if std::mem::replace(&mut reached[module], from) == from || module == from {
                continue;
            }
            if effectful[module] {
                found.push(module);
            } else {
                stack.extend(static_imports(module));
            }
        }
        found
    };
    // The roots: their exports are what their files export.
    let mut exposed = vec![false; count];
    for root in graph
        .entries
        .iter()
        .copied()
        .chain(dynamic_roots(db, config, graph))
    {
        exposed[graph.index[&root] as usize] = true;
    }
    let binding_module = |binding: &Binding| match binding {
        Binding::Symbol { module, .. }
        | Binding::Namespace(module)
        | Binding::CommonJs { module, .. } => Some(*module),
        Binding::External { .. } => None,
    };
    (0..count)
        .map(|index| {
            let file = graph.modules[index].file;
            let mut edges: Vec<SourceFile> = effects_reached(index)
                .into_iter()
                .map(|target| graph.modules[target].file)
                .collect();
            // The wrapped modules it imports: its code (or initializer) calls theirs.
            edges.extend(
                static_imports(index)
                    .filter(|&target| {
                        graph.modules[target].is_lazy && liveness.modules[target].included
                    })
                    .map(|target| graph.modules[target].file),
            );
            // `require`s and `import()`s of CommonJS.
            let dependencies = module_dependencies(db, config, file);
            edges.extend(chunk_edges(db, config, file).into_iter().filter(|target| {
                !dependencies
                    .static_imports()
                    .contains(&Dependency::Module(*target))
            }));
            let live = &liveness.modules[index];
            if live.included {
                let facts = &views[index].facts(db).items;
                let bindings = module_bindings(db, config, file);
                for &item in &live.live_items {
                    let item = &facts[item as usize];
                    let used =
                        item.references
                            .iter()
                            .filter_map(|name| bindings.import(name))
                            .chain(item.namespace_members.iter().flat_map(
                                |(namespace, member)| {
                                    // An object's member is read in place or through the
                                    // object: either needs its module first.
                                    let object_member = bindings
                                        .object_member(namespace, member)
                                        .map(|object_member| &object_member.property);
                                    bindings
                                        .member(namespace, member)
                                        .or_else(|| bindings.import(namespace))
                                        .into_iter()
                                        .chain(object_member)
                                },
                            ));
                    edges.extend(used.filter_map(binding_module));
                }
                // A root's file exports its exports; a namespace object reads them all.
                if live.namespace || graph.modules[index].is_lazy || exposed[index] {
                    let exports = &module_exports(db, config, file).resolved;
                    edges.extend(
                        exports
                            .iter()
                            .filter_map(|(_, binding)| binding_module(binding)),
                    );
                }
            }
            edges.retain(|&target| target != file);
            let mut seen = rustc_hash::FxHashSet::default();
            edges.retain(|target| seen.insert(*target));
            edges
        })
        .collect()
}

/// Every module, in the order the bundle without splitting runs them: lazy modules (whose
/// initializers are defined first), then the execution order.
fn modules_in_order(graph: &ModuleGraph) -> Vec<SourceFile> {
    let mut seen = vec![false; graph.modules.len()];
    let mut order = Vec::with_capacity(graph.modules.len());
    let eager = graph.execution_order.iter().filter_map(|step| match step {
        ExecutionStep::Module(file) => Some(file),
        ExecutionStep::External(_) => None,
    });
    let all = graph.modules.iter().map(|module| &module.file);
    for &file in graph.lazy_modules.iter().chain(eager).chain(all) {
        let index = graph.index[&file] as usize;
        if !seen[index] {
            seen[index] = true;
            order.push(file);
        }
    }
    order
}

/// The modules whose code `file`'s code needs in its own or an earlier-loaded chunk: what
/// it imports statically, what it `require`s, and the CommonJS modules it `import()`s.
fn chunk_edges(db: &dyn Db, config: BuildConfig, file: SourceFile) -> Vec<SourceFile> {
    let dependencies = module_dependencies(db, config, file);
    let modules = |list: &'_ [Dependency]| -> Vec<SourceFile> {
        list.iter()
            .filter_map(|dependency| match dependency {
                Dependency::Module(target) => Some(*target),
                _ => None,
            })
            .collect()
    };
    let mut edges = modules(&dependencies.dependencies);
    edges.extend(
        modules(&dependencies.dynamic_dependencies)
            .into_iter()
            .filter(|&target| module_dependencies(db, config, target).commonjs),
    );
    edges
}

/// How loading a chunk runs its modules, for [`order_problem`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Load {
    /// Every module that is not lazy, in chunk order (before any module is wrapped).
    Eager,
    /// The chunk's steps, initializers included.
    Steps,
}

/// The first root whose loading would run its modules with side effects in another order
/// than the unbundled modules do.
fn order_problem(
    db: &dyn Db,
    config: BuildConfig,
    graph: &ModuleGraph,
    dependencies: &[&ModuleDependencies],
    chunk_graph: &ChunkGraph,
    load: Load,
) -> Option<OrderProblem> {
    if chunk_graph.chunks.len() < 2 {
        return None;
    }
    // A module of a package that declares itself free of side effects (`"sideEffects":
    // false`) may run in another order, as that declaration allows; its imports still
    // run before it.
    // Not through `graph_views`: `module_graph` asks this (`modules_to_wrap`).
    let has_side_effects = |file: SourceFile| {
        graph
            .module(file)
            .is_some_and(|module| module.has_side_effects)
            && (dependencies[graph.index[&file] as usize].commonjs
                || module_facts(db, file)
                    .items
                    .iter()
                    .any(|item| item.has_side_effects))
    };
    // The modules each root's static imports reach (what has run once it has loaded).
    let closures: Vec<Vec<bool>> = chunk_graph
        .roots
        .iter()
        .map(|root| {
            let mut visited = vec![false; graph.modules.len()];
            let mut visited_externals = vec![false; graph.externals.len()];
            post_order(
                graph,
                dependencies,
                root.file,
                &mut visited,
                &mut visited_externals,
                &mut Vec::new(),
            );
            visited
        })
        .collect();
    for (position, root) in chunk_graph.roots.iter().enumerate() {
        // An entry may load first. A module an `import()` loads runs after the root whose
        // code made the `import()` has loaded: check it after each such root (or alone
        // when no root's static imports reach an importer).
        let mut before: Vec<Option<usize>> = Vec::new();
        if !root.is_entry {
            for (other, closure) in closures.iter().enumerate() {
                let imports_it = dependencies.iter().enumerate().any(|(index, module)| {
                    closure[index]
                        && module
                            .dynamic_dependencies
                            .contains(&Dependency::Module(root.file))
                });
                if other != position && imports_it {
                    before.push(Some(other));
                }
            }
        }
        if before.is_empty() {
            before.push(None);
        }
        for before in before {
            let mut visited = vec![false; graph.modules.len()];
            let mut visited_externals = vec![false; graph.externals.len()];
            let mut loader = Loader {
                db,
                config,
                graph,
                chunk_graph,
                load,
                loaded: vec![false; chunk_graph.chunks.len()],
                initialized: vec![false; graph.modules.len()],
                ran: Vec::new(),
            };
            for load_root in before.into_iter().chain([position]) {
                let load_root = &chunk_graph.roots[load_root];
                let mut unbundled = Vec::new();
                post_order(
                    graph,
                    dependencies,
                    load_root.file,
                    &mut visited,
                    &mut visited_externals,
                    &mut unbundled,
                );
                loader.ran.clear();
                loader.load_chunk(load_root.chunk);
                if graph.is_lazy(load_root.file) {
                    loader.initialize(load_root.file);
                }
                let unbundled = unbundled.into_iter().filter_map(|step| match step {
                    ExecutionStep::Module(file) if has_side_effects(file) => Some(file),
                    _ => None,
                });
                let split = loader.ran.iter().filter(|&&file| has_side_effects(file));
                if let Some((earlier, later)) = unbundled
                    .zip(split)
                    .find(|(unbundled, split)| unbundled != *split)
                {
                    return Some(OrderProblem {
                        root: root.file,
                        earlier,
                        later: *later,
                    });
                }
            }
        }
    }
    None
}

/// Loads chunks as the runtime does, recording the modules that run.
struct Loader<'a> {
    db: &'a dyn Db,
    config: BuildConfig,
    graph: &'a ModuleGraph,
    chunk_graph: &'a ChunkGraph,
    load: Load,
    loaded: Vec<bool>,
    initialized: Vec<bool>,
    ran: Vec<SourceFile>,
}

impl Loader<'_> {
    /// Its imports first, depth first, then its own code.
    fn load_chunk(&mut self, chunk: u32) {
        if std::mem::replace(&mut self.loaded[chunk as usize], true) {
            return;
        }
        let chunk = &self.chunk_graph.chunks[chunk as usize];
        for &import in &chunk.imports {
            self.load_chunk(import);
        }
        match self.load {
            Load::Eager => self.ran.extend(
                chunk
                    .modules
                    .iter()
                    .filter(|&&file| !self.graph.is_lazy(file)),
            ),
            Load::Steps => {
                for step in &chunk.steps {
                    match *step {
                        Step::Module(file) if !self.graph.is_lazy(file) => self.ran.push(file),
                        Step::Module(_) => {}
                        Step::Init(file) => self.initialize(file),
                    }
                }
            }
        }
    }

    /// A lazy module's initializer: once; its lazy static imports' initializers first.
    fn initialize(&mut self, file: SourceFile) {
        let index = self.graph.index[&file] as usize;
        if std::mem::replace(&mut self.initialized[index], true) {
            return;
        }
        for dependency in module_dependencies(self.db, self.config, file).static_imports() {
            if let Dependency::Module(target) = dependency
                && self.graph.is_lazy(*target)
            {
                self.initialize(*target);
            }
        }
        self.ran.push(file);
    }
}

/// `[name]` for a root's chunk: its file name without the extension, as an entry's output
/// is named without splitting.
fn file_stem(db: &dyn Db, file: SourceFile) -> String {
    file.path(db).file_stem().map_or_else(
        || display_name(db, file),
        |stem| stem.to_string_lossy().into_owned(),
    )
}

/// The length of the content hash in a chunk's file name.
pub const HASH_LENGTH: usize = 8;
/// Starts and ends a hash placeholder: a control character oxc's printer never writes
/// unescaped in code it prints.
pub const PLACEHOLDER_MARK: u8 = 0x01;

impl ChunkGraph {
    /// The path of chunk `index` in the output directory, with the hash (known only once
    /// every chunk is rendered) as its placeholder.
    pub fn file_name_template(&self, index: u32) -> String {
        self.chunks[index as usize].file.clone()
    }

    /// How chunk `from` names chunk `to` in an `import` (a string literal): relative to
    /// its own file.
    pub fn specifier(&self, from: u32, to: u32) -> String {
        let from: Vec<&str> = self.chunks[from as usize].file.split('/').collect();
        let to: Vec<&str> = self.chunks[to as usize].file.split('/').collect();
        let directory = &from[..from.len() - 1];
        let common = directory
            .iter()
            .zip(&to)
            .take_while(|(a, b)| a == b)
            .count();
        let mut path = match directory.len() - common {
            0 => "./".to_owned(),
            ups => "../".repeat(ups),
        };
        path.push_str(&to[common..].join("/"));
        quoted_with_placeholders(&path)
    }

    /// The chunk whose hash placeholder starts at `text[0]`, if one does.
    pub fn placeholder_at(&self, text: &[u8]) -> Option<u32> {
        if text.len() < HASH_LENGTH
            || text[0] != PLACEHOLDER_MARK
            || text[HASH_LENGTH - 1] != PLACEHOLDER_MARK
        {
            return None;
        }
        let placeholder = &text[..HASH_LENGTH];
        self.chunks
            .iter()
            .position(|chunk| chunk.placeholder.as_bytes() == placeholder)
            .map(|index| index as u32)
    }
}

/// `text` as a string literal, its hash placeholders as they are (their marks would be
/// escaped otherwise, and the placeholders not found).
fn quoted_with_placeholders(text: &str) -> String {
    let mark = PLACEHOLDER_MARK as char;
    let mut out = String::from("\"");
    let mut rest = text;
    while !rest.is_empty() {
        let (plain, placeholder) = match rest.find(mark) {
            Some(at) if rest.len() >= at + HASH_LENGTH => {
                (&rest[..at], Some(&rest[at..at + HASH_LENGTH]))
            }
            _ => (rest, None),
        };
        let literal = crate::link::string_literal(plain);
        out.push_str(&literal[1..literal.len() - 1]);
        rest = &rest[plain.len()..];
        if let Some(placeholder) = placeholder {
            out.push_str(placeholder);
            rest = &rest[placeholder.len()..];
        }
    }
    out.push('"');
    out
}

/// A chunk's path in the output directory from a `--entry-names`/`--chunk-names` template:
/// its placeholders filled in, empty and `.` segments dropped, `.js` appended.
pub fn expand_names_pattern(pattern: &str, dir: &str, name: &str, hash: &str) -> String {
    let expanded = pattern
        .replace("[dir]", dir)
        .replace("[name]", name)
        .replace("[ext]", "js")
        .replace("[hash]", hash);
    let mut path = expanded
        .split(['/', '\\'])
        .filter(|segment| !segment.is_empty() && *segment != ".")
        .collect::<Vec<_>>()
        .join("/");
    if path.is_empty() {
        path.push_str(name);
    }
    path + ".js"
}

/// The entries' lowest common ancestor directory: what `[dir]` is relative to.
fn entries_ancestor(db: &dyn Db, graph: &ModuleGraph) -> PathBuf {
    common_ancestor(graph.entries.iter().map(|entry| entry.path(db).as_path()))
}

/// The lowest common ancestor of the directories of `files`.
pub fn common_ancestor<'a>(files: impl IntoIterator<Item = &'a Path>) -> PathBuf {
    let mut ancestor: Option<PathBuf> = None;
    for file in files {
        let parent = file.parent().unwrap_or(Path::new(""));
        ancestor = Some(match ancestor {
            None => parent.to_path_buf(),
            Some(ancestor) => ancestor
                .components()
                .zip(parent.components())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    ancestor.unwrap_or_default()
}

/// `[dir]` of `file`: its directory relative to `ancestor`, `/`-separated (empty when it
/// is not under it).
pub fn directory_under(file: &Path, ancestor: &Path) -> String {
    let parent = file.parent().unwrap_or(Path::new(""));
    parent.strip_prefix(ancestor).map_or_else(
        |_| String::new(),
        |relative| {
            relative
                .components()
                .map(|component| component.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        },
    )
}

/// `[hash]` in a file name: the first digits of `hash` in base 32.
pub fn file_name_hash(hash: u64) -> String {
    base32(hash)[..HASH_LENGTH].to_owned()
}

fn placeholder(digits: &str) -> String {
    let mark = PLACEHOLDER_MARK as char;
    format!("{mark}{digits}{mark}")
}

/// Thirteen base-32 digits of `hash` (lower-case letters and digits, as file names want).
pub fn base32(hash: u64) -> String {
    const DIGITS: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    (0..13)
        .map(|digit| DIGITS[((hash >> (digit * 5)) & 31) as usize] as char)
        .collect()
}

/// The error a build gets when splitting would change the order modules with side effects
/// run in (see [`OrderProblem`]).
pub fn order_diagnostic(
    db: &dyn Db,
    config: BuildConfig,
) -> Option<crate::diagnostics::Diagnostic> {
    let chunks = chunk_graph(db, config);
    // A chunk may only take names from chunks that every root loading it loads too (whose
    // root sets contain its own): anything else would load another root's code, or import
    // in a cycle. The assignment guarantees it; this keeps a bug from writing such code.
    let boundaries = crate::split::boundary::chunk_boundaries(db, config);
    for (index, boundary) in boundaries.iter().enumerate() {
        let roots = &chunks.chunks[index].roots;
        for (from, names) in &boundary.imports {
            let from_roots = &chunks.chunks[*from as usize].roots;
            if !roots.iter().all(|root| from_roots.contains(root)) {
                return Some(crate::diagnostics::Diagnostic::internal_error(format!(
                    "code splitting made chunk \"{}\" import {} from chunk \"{}\", which not every root that loads it loads",
                    chunks.chunks[index].name,
                    names.join(", "),
                    chunks.chunks[*from as usize].name,
                )));
            }
        }
    }
    if config.format(db) == crate::config::OutputFormat::Cjs
        && let Some(problem) = commonjs_chunks_problem(db, config, chunks, boundaries)
    {
        return Some(problem);
    }
    let problem = chunks.order_problem.as_ref()?;
    let name = |file: SourceFile| display_name(db, file);
    Some(
        crate::diagnostics::Diagnostic::error(
            "SPLITTING_ORDER",
            format!(
                "code splitting would run \"{}\" before \"{}\" when \"{}\" loads, but \"{}\" runs first unbundled, and both have side effects",
                name(problem.later),
                name(problem.earlier),
                name(problem.root),
                name(problem.earlier),
            ),
        )
        .in_file(problem.root.path(db), None)
        .with_help(format!(
            "\"{}\" is shared with another entry or `import()`, so its chunk loads before \"{}\"'s own modules: import it first in \"{}\", or build each entry with --outfile",
            name(problem.later),
            name(problem.root),
            name(problem.root),
        )),
    )
}

/// What split CommonJS output cannot do. A chunk takes the bindings of the chunks it loads
/// as copies (`var { a } = require(...)`), made when `require` returns: right for every
/// binding that does not change once its chunk has run, wrong for one assigned later (a
/// `let` that a function reassigns, or the bindings of a module wrapped in an initializer,
/// which the order of side effects needs). Those builds are refused, never written.
fn commonjs_chunks_problem(
    db: &dyn Db,
    config: BuildConfig,
    chunks: &ChunkGraph,
    boundaries: &[crate::split::boundary::ChunkBoundary],
) -> Option<crate::diagnostics::Diagnostic> {
    let graph = module_graph(db, config);
    let help = "build with --format esm, whose chunks import live bindings";
    for boundary in boundaries {
        for (from, names) in &boundary.imports {
            for &file in &chunks.chunks[*from as usize].modules {
                let module_names = crate::link::module_names(db, config, file);
                let record = crate::parse::module_record(db, file);
                for (local, final_name) in &module_names.symbols {
                    if names.binary_search(final_name).is_err() {
                        continue;
                    }
                    let message = if graph.is_lazy(file) {
                        format!(
                            "CommonJS chunks cannot keep the order of side effects here: \"{}\" is shared, and would have to run when an importer reaches it rather than when its chunk loads, after another chunk took a copy of \"{local}\"",
                            display_name(db, file),
                        )
                    } else if record.symbol(local).is_some_and(|symbol| symbol.reassigned) {
                        format!(
                            "\"{local}\" of \"{}\" is reassigned, and another CommonJS chunk uses it: it would see a copy that does not change",
                            display_name(db, file),
                        )
                    } else {
                        continue;
                    };
                    return Some(
                        crate::diagnostics::Diagnostic::error("SPLITTING_LIVE_BINDING", message)
                            .in_file(file.path(db), None)
                            .with_help(help),
                    );
                }
            }
        }
    }
    None
}
