//! What the build read and wrote, and what each output holds: the data of esbuild's
//! `--metafile` (inputs with their sizes and imports; outputs with what they import and
//! export, their entry, and how many bytes of each input they hold), which the command
//! line also prints as `--analyze`. Read from the memoized results of link, split and
//! render after a build; nothing here is a query, and nothing parses or renders again.

use std::path::PathBuf;

use crate::{
    Db,
    bundle::discovered_modules,
    config::BuildConfig,
    files::{SourceFile, SourceText, source_text},
    link::{
        chunk::chunk_links,
        graph::{Dependency, module_dependencies, module_graph},
    },
    parse::{ModuleKind, Name, module_record},
    render::rendered_module,
    split::{boundary::chunk_boundaries, chunks::chunk_graph},
};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metafile {
    /// Every module the build read, in discovery order.
    pub inputs: Vec<MetaInput>,
    /// One per output chunk, in the order of the build's chunks.
    pub outputs: Vec<MetaOutput>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaInput {
    pub path: PathBuf,
    /// The size of its text.
    pub bytes: usize,
    /// What it imports, in source order: static imports (or `require`s), then `import()`s.
    pub imports: Vec<MetaImport>,
    pub format: Option<InputFormat>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    Esm,
    Cjs,
}

impl InputFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Esm => "esm",
            InputFormat::Cjs => "cjs",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaImport {
    pub target: ImportTarget,
    pub kind: ImportKind,
    /// The specifier as written.
    pub original: Name,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportTarget {
    Module(PathBuf),
    External(Name),
}

/// esbuild's names for how a file imports another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    ImportStatement,
    RequireCall,
    DynamicImport,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::ImportStatement => "import-statement",
            ImportKind::RequireCall => "require-call",
            ImportKind::DynamicImport => "dynamic-import",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaOutput {
    /// The entry it is the file of.
    pub entry: Option<PathBuf>,
    /// The other outputs it loads, and the externals it imports.
    pub imports: Vec<OutputImport>,
    /// The names it exports, sorted.
    pub exports: Vec<Name>,
    /// The inputs it holds code of, with the bytes of that code, in discovery order.
    pub inputs: Vec<(PathBuf, usize)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputImport {
    pub target: OutputTarget,
    pub kind: ImportKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputTarget {
    /// Another output, by position.
    Chunk(usize),
    External(Name),
}

/// The metafile of the build `config` describes, which must have succeeded.
pub fn metafile(db: &dyn Db, config: BuildConfig) -> Metafile {
    let _span = tracing::debug_span!("metafile").entered();
    let inputs = discovered_modules(db, config)
        .modules
        .iter()
        .map(|&file| meta_input(db, config, file))
        .collect();
    let graph = module_graph(db, config);
    let chunks = chunk_graph(db, config);
    let boundaries = chunk_boundaries(db, config);
    let root_chunk = |file: SourceFile| {
        chunks
            .roots
            .iter()
            .find(|root| root.file == file)
            .map(|root| root.chunk as usize)
    };
    let outputs = chunks
        .chunks
        .iter()
        .enumerate()
        .map(|(index, chunk)| {
            let links = chunk_links(db, config, chunk.id.clone());
            let static_kind = match config.format(db) {
                crate::config::OutputFormat::Esm => ImportKind::ImportStatement,
                _ => ImportKind::RequireCall,
            };
            let mut imports: Vec<OutputImport> = Vec::new();
            let mut push = |import: OutputImport| {
                if !imports.contains(&import) {
                    imports.push(import);
                }
            };
            let from_chunks = chunk.imports.iter().copied().chain(
                boundaries
                    .get(index)
                    .into_iter()
                    .flat_map(|boundary| boundary.imports.iter().map(|(from, _)| *from)),
            );
            for from in from_chunks {
                push(OutputImport {
                    target: OutputTarget::Chunk(from as usize),
                    kind: static_kind,
                });
            }
            for external in &links.externals {
                push(OutputImport {
                    target: OutputTarget::External(external.specifier.clone()),
                    kind: static_kind,
                });
            }
            let mut held = Vec::new();
            for &file in &chunk.modules {
                let dependencies = module_dependencies(db, config, file);
                for dependency in &dependencies.dynamic_dependencies {
                    let target = match dependency {
                        // Without splitting, what `import()` loads is in this file.
                        Dependency::Module(target) if config.splitting(db) => {
                            match root_chunk(*target) {
                                Some(chunk) if chunk != index => OutputTarget::Chunk(chunk),
                                _ => continue,
                            }
                        }
                        Dependency::External(specifier) => {
                            OutputTarget::External(specifier.clone())
                        }
                        _ => continue,
                    };
                    push(OutputImport {
                        target,
                        kind: ImportKind::DynamicImport,
                    });
                }
                let bytes = module_bytes(db, config, file);
                if bytes > 0 {
                    held.push((file, bytes));
                }
            }
            // In the order the modules were discovered, as the inputs are listed.
            held.sort_by_key(|(file, _)| graph.index.get(file).copied());
            let mut exports: Vec<Name> = links
                .entry_exports
                .iter()
                .map(|(name, _)| name.clone())
                .filter(|_| {
                    chunk
                        .root
                        .is_some_and(|root| chunks.roots[root as usize].is_entry)
                })
                .chain(
                    boundaries
                        .get(index)
                        .into_iter()
                        .flat_map(|boundary| boundary.exports.iter().cloned()),
                )
                .collect();
            exports.sort();
            exports.dedup();
            MetaOutput {
                entry: chunk
                    .root
                    .map(|root| &chunks.roots[root as usize])
                    .filter(|root| root.is_entry)
                    .map(|root| root.file.path(db).clone()),
                imports,
                exports,
                inputs: held
                    .into_iter()
                    .map(|(file, bytes)| (file.path(db).clone(), bytes))
                    .collect(),
            }
        })
        .collect();
    Metafile { inputs, outputs }
}

fn meta_input(db: &dyn Db, config: BuildConfig, file: SourceFile) -> MetaInput {
    let bytes = match source_text(db, file) {
        SourceText::Text(text) => text.len(),
        _ => 0,
    };
    let record = module_record(db, file);
    let dependencies = module_dependencies(db, config, file);
    let static_kind = match dependencies.commonjs {
        true => ImportKind::RequireCall,
        false => ImportKind::ImportStatement,
    };
    let statics = record
        .requests
        .iter()
        .zip(&dependencies.dependencies)
        .map(|request| (request, static_kind));
    let dynamics = record
        .dynamic_requests
        .iter()
        .zip(&dependencies.dynamic_dependencies)
        .map(|request| (request, ImportKind::DynamicImport));
    let imports = statics
        .chain(dynamics)
        .filter_map(|((specifier, dependency), kind)| {
            let target = match dependency {
                Dependency::Module(target) => ImportTarget::Module(target.path(db).clone()),
                Dependency::External(name) => ImportTarget::External(name.clone()),
                Dependency::Unresolved => return None,
            };
            Some(MetaImport {
                target,
                kind,
                original: specifier.clone(),
            })
        })
        .collect();
    let format = match record.kind {
        ModuleKind::CommonJs => Some(InputFormat::Cjs),
        // A script without imports or exports is neither (as esbuild says).
        ModuleKind::EsModule
            if !record.requests.is_empty()
                || !record.exports.is_empty()
                || record.has_top_level_await =>
        {
            Some(InputFormat::Esm)
        }
        ModuleKind::EsModule => None,
    };
    MetaInput {
        path: file.path(db).clone(),
        bytes,
        imports,
        format,
    }
}

/// How many bytes of the output are `file`'s: its code, namespace object, hoisted
/// statements and CommonJS start-up.
fn module_bytes(db: &dyn Db, config: BuildConfig, file: SourceFile) -> usize {
    let rendered = rendered_module(db, config, file);
    let is_lazy = module_graph(db, config)
        .module(file)
        .is_some_and(|module| module.is_lazy);
    let namespace = match is_lazy {
        true => 0,
        false => rendered.namespace.as_ref().map_or(0, |text| text.len()),
    };
    rendered.code.len()
        + namespace
        + rendered.hoisted.as_ref().map_or(0, |text| text.len())
        + rendered.startup.as_ref().map_or(0, |text| text.len())
}
