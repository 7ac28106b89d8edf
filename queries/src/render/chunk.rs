//! The chunk: the format's prologue (hashbang, `'use strict'`, externals, runtime helpers,
//! CommonJS exports), what must run first, namespace objects, CommonJS wrappers, every
//! module's cached text in execution order, and the format's epilogue. Assembled from the
//! pieces [`rendered_module`] caches, so a rebuild copies no module text.

use std::{fmt::Write as _, sync::Arc};

use super::{
    Code,
    format::{cjs, esm, iife},
    glue::Glue,
    module::{RenderedModule, rendered_module},
    runtime,
};
use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    files::SourceFile,
    link::{
        chunk::{Helpers, chunk_links},
        graph::graph_views,
        module_names,
        tree_shaking::liveness,
    },
    parse::module_record,
    settings::LegalComments,
    split::{
        chunks::{ChunkId, Step, chunk_graph},
        plan::chunk_plan,
    },
};
use rustc_hash::{FxHashMap, FxHashSet};

/// Output chunk `index` of [`chunk_graph`], as pieces: one per module (cached by
/// [`rendered_module`]) and a few for the format's prologue and epilogue, so that a rebuild
/// reuses every unchanged module's text instead of copying the bundle. A split chunk names
/// the chunks it imports with their hashes as placeholders (see `bundle`).
#[salsa::tracked(returns(ref))]
pub fn render_chunk(db: &dyn Db, config: BuildConfig, id: ChunkId) -> Code {
    let _span = tracing::debug_span!("render_chunk").entered();
    let plan = chunk_plan(db, config, id.clone());
    let chunk = chunk_links(db, config, id.clone());
    let format = config.format(db);
    let mut pieces: Vec<Arc<str>> = Vec::with_capacity(plan.modules.len() + 4);
    let mut maps = Vec::new();

    let glue = Glue::of(db);
    // An entry's `#!` line stays the first line of its file.
    let mut prologue = String::new();
    if let Some(root) = plan.root.as_ref().filter(|root| root.is_entry)
        && let Some(hashbang) = &module_record(db, root.file).hashbang
    {
        let _ = writeln!(prologue, "#!{hashbang}");
    }
    if format == OutputFormat::Iife {
        prologue.push_str(&iife::header(
            chunk,
            config.global_name(db).as_deref(),
            glue,
        ));
    }
    // Whole statements from here on.
    let mut statements = String::new();
    let exports_object = format != OutputFormat::Esm;
    if exports_object {
        statements.push_str("'use strict';\n\n");
        // An entry that exports `__esModule` itself defines the property (as a getter, below).
        let exports = |wanted: &str| chunk.entry_exports.iter().any(|(name, _)| name == wanted);
        if exports("default") && !exports("__esModule") {
            statements
                .push_str("Object.defineProperty(exports, '__esModule', { value: true });\n\n");
        }
    }
    match format {
        OutputFormat::Esm => {
            esm::write_imports(&mut statements, chunk);
            esm::write_chunk_imports(&mut statements, &plan.imports);
        }
        OutputFormat::Cjs | OutputFormat::Iife => {
            cjs::write_requires(&mut statements, chunk, format);
            cjs::write_chunk_requires(&mut statements, &plan.imports);
        }
    }
    write_helpers(&mut statements, chunk.helpers);
    if exports_object {
        cjs::write_exports_object(&mut statements, chunk);
        cjs::write_chunk_exports(&mut statements, &plan.exports);
    }
    prologue.push_str(&glue.statements(statements));
    pieces.push(Arc::from(prologue));

    // The chunk's modules in discovery order (the order of its definitions), each asked
    // for once: the passes below read every one several times. In runs (see
    // `rendered_run`).
    let rendered: Vec<&RenderedModule> = module_runs(db, config, &plan.modules)
        .into_iter()
        .flat_map(|run| rendered_run(db, run))
        .collect();
    // What must run before any module code.
    let mut any_hoisted = false;
    for module in &rendered {
        if let Some(hoisted) = &module.hoisted {
            pieces.push(hoisted.clone());
            any_hoisted = true;
        }
    }
    if any_hoisted && !glue.minify {
        pieces.push(Arc::from("\n"));
    }

    // Namespace objects first: their getters are lazy, so they can exist before the code
    // that declares what they read, and any module (even in a cycle) can use them.
    let mut any_namespace = false;
    for (&(_, is_lazy), module) in plan.modules.iter().zip(&rendered) {
        if !is_lazy && let Some(namespace) = &module.namespace {
            pieces.push(namespace.clone());
            any_namespace = true;
        }
    }
    if any_namespace && !glue.minify {
        pieces.push(Arc::from("\n"));
    }

    // CommonJS modules' wrappers next: defining one runs nothing, and any code may call it.
    for module in &rendered {
        if module.commonjs && !module.code.is_empty() {
            if let Some(map) = &module.map {
                maps.push((pieces.len(), map.clone()));
            }
            pieces.push(module.code.clone());
        }
    }
    // Minified modules leave the declarations they begin and end with open: the keyword of
    // the one the pieces so far end inside, if they do.
    // The steps name modules by file.
    let by_file: FxHashMap<SourceFile, &RenderedModule> = plan
        .modules
        .iter()
        .map(|&(file, _)| file)
        .zip(rendered.iter().copied())
        .collect();
    let mut open: Option<&'static str> = None;
    let joints = Joints::default();
    for step in &plan.steps {
        let file = match *step {
            Step::Module(file) => file,
            Step::Init(file) => {
                if let Some(init) = &module_names(db, config, file).init {
                    joints.close(&mut pieces, &mut open);
                    pieces.push(Arc::from(glue.statements(format!("{init}();\n"))));
                }
                continue;
            }
        };
        let rendered = by_file
            .get(&file)
            .copied()
            .unwrap_or_else(|| rendered_module(db, config, file));
        // A CommonJS module runs where ES modules import it (its wrapper is above).
        let (piece, map) = if rendered.commonjs {
            (rendered.startup.as_ref(), None)
        } else {
            (Some(&rendered.code), rendered.map.as_ref())
        };
        if let Some(piece) = piece.filter(|piece| !piece.is_empty()) {
            // (A CommonJS module's startup opens and ends no declaration.)
            joints.open(&mut pieces, &mut open, rendered.opens_with);
            if let Some(map) = map {
                maps.push((pieces.len(), map.clone()));
            }
            pieces.push(piece.clone());
            open = rendered.ends_open;
        }
    }
    joints.close(&mut pieces, &mut open);

    let mut epilogue = String::new();
    if format == OutputFormat::Esm {
        esm::write_chunk_exports(&mut epilogue, &plan.exports);
        esm::write_exports(&mut epilogue, chunk);
        epilogue = glue.statements(epilogue);
    }
    if format == OutputFormat::Iife {
        epilogue.push_str(&iife::footer(chunk, glue));
    }
    let legal = legal_comments(db, config, id);
    if !legal.is_empty() {
        if glue.minify {
            epilogue.push('\n');
        }
        epilogue.push_str(legal);
    }
    if epilogue.is_empty() {
        // End the file with one newline, not a blank line.
        if let Some(last) = pieces.last_mut()
            && last.ends_with("\n\n")
        {
            *last = Arc::from(last.trim_end_matches('\n').to_owned() + "\n");
        }
    } else {
        pieces.push(Arc::from(epilogue));
    }
    Code::with_maps(pieces, maps)
}

/// How many of a chunk's modules one [`rendered_run`] holds, on average...
const RUN_LENGTH: u64 = 64;

/// ... and at most.
const MAX_RUN_LENGTH: usize = 4 * RUN_LENGTH as usize;

/// Consecutive modules of a chunk's plan, rendered together by [`rendered_run`]. Made by
/// [`render_chunk`] and identified by the run's first module: salsa compares the list with
/// the one the last run of `render_chunk` made for that module, so a run whose modules
/// stayed the same is confirmed, not run again.
#[salsa::tracked(debug)]
struct ModuleRun<'db> {
    #[returns(copy)]
    config: BuildConfig,
    #[returns(copy)]
    first: SourceFile,
    #[tracked]
    #[returns(ref)]
    modules: Vec<SourceFile>,
}

/// The chunk's modules in runs. Where a run starts is decided by the module (its file's
/// key, hashed, is a multiple of [`RUN_LENGTH`]), not by its position: a module created
/// or deleted changes its own run's list and no other, where runs of a fixed length would
/// all shift by one and run again (a graph edit on three.js x10 ran 61 runs of 64 fetches).
/// Which modules go together never shows in the output.
fn module_runs<'db>(
    db: &'db dyn Db,
    config: BuildConfig,
    modules: &[(SourceFile, bool)],
) -> Vec<ModuleRun<'db>> {
    use std::hash::BuildHasher;
    let starts_run = |file: SourceFile| {
        rustc_hash::FxBuildHasher
            .hash_one(crate::files::file_key(file))
            .is_multiple_of(RUN_LENGTH)
    };
    let mut runs = Vec::new();
    let mut run: Vec<SourceFile> = Vec::new();
    for &(file, _) in modules {
        if !run.is_empty() && (starts_run(file) || run.len() == MAX_RUN_LENGTH) {
            runs.push(ModuleRun::new(db, config, run[0], std::mem::take(&mut run)));
        }
        run.push(file);
    }
    if !run.is_empty() {
        runs.push(ModuleRun::new(db, config, run[0], run));
    }
    runs
}

/// The rendered form of one run's modules, in order. `render_chunk` asks for these runs
/// rather than for each module: a fetch of a module's memo costs about 760 instructions
/// even when it is confirmed already (the key interned, the dependency recorded), and
/// `render_chunk` runs again after every edit. After a body edit, only the edited
/// module's run runs again; after a module is created or deleted, only its run; the
/// others are confirmed edge by edge, which costs a fraction of a fetch per module.
#[salsa::tracked(returns(ref))]
fn rendered_run<'db>(db: &'db dyn Db, run: ModuleRun<'db>) -> Vec<RenderedModule> {
    let config = run.config(db);
    run.modules(db)
        .iter()
        .map(|&file| rendered_module(db, config, file).clone())
        .collect()
}

/// What goes between two modules' pieces when they leave declarations open, made once per
/// chunk and shared by every joint.
struct Joints {
    comma: Arc<str>,
    semicolon: Arc<str>,
    keywords: [Arc<str>; 3],
}

impl Default for Joints {
    fn default() -> Self {
        Joints {
            comma: Arc::from(","),
            semicolon: Arc::from(";"),
            keywords: [Arc::from("let "), Arc::from("const "), Arc::from("var ")],
        }
    }
}

impl Joints {
    /// Before a piece that opens with a declaration of `keyword` (or with none): `,` when
    /// the pieces end inside a declaration of that keyword, else the end of theirs and the
    /// keyword.
    fn open(
        &self,
        pieces: &mut Vec<Arc<str>>,
        open: &mut Option<&'static str>,
        keyword: Option<&'static str>,
    ) {
        match keyword {
            Some(keyword) if *open == Some(keyword) => {
                pieces.push(self.comma.clone());
                *open = None;
            }
            Some(keyword) => {
                self.close(pieces, open);
                let written = self
                    .keywords
                    .iter()
                    .find(|written| written.as_ref() == keyword);
                pieces.push(written.cloned().unwrap_or_else(|| Arc::from(keyword)));
            }
            None => self.close(pieces, open),
        }
    }

    /// Ends the declaration the pieces end inside, if they do.
    fn close(&self, pieces: &mut Vec<Arc<str>>, open: &mut Option<&'static str>) {
        if open.take().is_some() {
            pieces.push(self.semicolon.clone());
        }
    }
}

/// The legal comments of the chunk's modules, each once, in module order, at the end
/// (`--legal-comments=eof`, esbuild's default for bundles): the licenses of what was
/// bundled ship with it.
#[salsa::tracked(returns(ref))]
pub fn legal_comments(db: &dyn Db, config: BuildConfig, id: ChunkId) -> String {
    if crate::settings::legal_comments(db) != LegalComments::Eof {
        return String::new();
    }
    let chunks = chunk_graph(db, config);
    let Some(chunk) = chunks.index_of(&id) else {
        return String::new();
    };
    let liveness = liveness(db, config);
    let mut seen = FxHashSet::default();
    let mut out = String::new();
    for ((view, live), &in_chunk) in graph_views(db, config)
        .iter()
        .zip(&liveness.modules)
        .zip(&chunks.module_chunk)
    {
        // Only the modules with code in the chunk.
        if in_chunk != chunk || !live.included || live.live_items.is_empty() {
            continue;
        }
        for comment in view.legal_comments(db) {
            if seen.insert(comment.as_str()) {
                out.push_str(comment);
                out.push('\n');
            }
        }
    }
    out
}

fn write_helpers(out: &mut String, helpers: Helpers) {
    let texts = [
        (helpers.require_shim, runtime::REQUIRE_SHIM),
        (helpers.dirname_shim, runtime::DIRNAME_SHIM),
        (helpers.commonjs, runtime::COMMONJS),
        (helpers.to_esm, runtime::TO_ESM),
        (helpers.to_commonjs, runtime::TO_COMMONJS),
        (helpers.interop_default, runtime::INTEROP_DEFAULT),
        (
            helpers.interop_namespace,
            runtime::INTEROP_NAMESPACE_DEFAULT,
        ),
        (helpers.merge_namespaces, runtime::MERGE_NAMESPACES),
        (helpers.namespace, runtime::NAMESPACE),
    ];
    let mut any = false;
    for (used, text) in texts {
        if used {
            out.push_str(text);
            any = true;
        }
    }
    if any {
        out.push('\n');
    }
}
