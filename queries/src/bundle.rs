//! The whole build as one query: the chunk's code, or the diagnostics that stop it. This
//! is also where link's position-free diagnostics get their text ranges.

use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    diagnostics::{Diagnostic, TextRange},
    files::SourceFile,
    link::{
        LinkDiagnostic, Location,
        bind_imports::module_bindings,
        graph::{Dependency, ModuleGraph, module_dependencies, module_graph},
        resolve_exports::{module_export_problems, module_exports},
        tree_shaking::liveness,
    },
    parse::{ModuleKind, module_record},
    render::{Code, render_chunk},
    settings::module_settings,
    summary::View,
};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleOutput {
    /// The first chunk's code (without splitting, the bundle's); `None` when an error
    /// stopped the build.
    pub code: Option<Code>,
    /// With splitting, every chunk (the first is `code`); otherwise empty.
    pub chunks: Vec<OutputChunk>,
    /// Errors and warnings, in module order.
    pub diagnostics: Vec<Diagnostic>,
}

/// One file of a split build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputChunk {
    /// Its file name in the output directory, hash included.
    pub file_name: String,
    /// The entry it is the file of, if it is one's.
    pub entry: Option<SourceFile>,
    pub code: Code,
}

impl BundleOutput {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Builds the bundle `config` describes: nothing past parsing when a module the entries
/// reach has a syntax error (see [`discovered_modules`]).
#[salsa::tracked(returns(ref))]
pub fn bundle(db: &dyn Db, config: BuildConfig) -> BundleOutput {
    let _span = tracing::debug_span!("bundle").entered();
    let discovered = discovered_modules(db, config);
    if !discovered.syntax_errors.is_empty() {
        return BundleOutput {
            code: None,
            chunks: Vec::new(),
            diagnostics: discovered.syntax_errors.clone(),
        };
    }
    let diagnostics = bundle_diagnostics(db, config);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return BundleOutput {
            code: None,
            chunks: Vec::new(),
            diagnostics: diagnostics.clone(),
        };
    }
    let (code, chunks) = bundle_code(db, config);
    BundleOutput {
        code: Some(code),
        chunks,
        diagnostics: diagnostics.clone(),
    }
}

/// The code of a build no error stops: the first chunk's and, split, every chunk with its
/// file name.
pub fn bundle_code(db: &dyn Db, config: BuildConfig) -> (Code, Vec<OutputChunk>) {
    let chunks = if config.splitting(db) {
        crate::split::naming::named_chunks(db, config)
    } else {
        Vec::new()
    };
    let code = match chunks.first() {
        Some(first) => first.code.clone(),
        None => render_chunk(db, config, crate::split::chunks::ChunkId::default()).clone(),
    };
    (code, chunks)
}

/// The modules the entries reach (following every static, dynamic and `require`
/// dependency, as discovery does), in breadth-first order, and the syntax and scope errors
/// in their text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DiscoveredModules {
    pub modules: Vec<SourceFile>,
    pub syntax_errors: Vec<Diagnostic>,
}

/// What parsing found, before anything is linked. When a module has a syntax error the
/// build stops here, as esbuild's does: the errors are the syntax errors (what linking would
/// add, such as the imports of a module that no longer parses, is their consequence). A
/// module with a syntax error is a leaf of this walk: its dependencies are not resolved. So
/// no query that link reads (a module's dependencies, imports, record or facts, the module
/// graph) is computed for the broken text, and their memos stay the ones from before the
/// error: when it is fixed, they come out equal to those, and the whole-bundle passes are
/// not re-run. A syntax error and its fix cost about what body edits cost.
#[salsa::tracked(returns(ref))]
pub fn discovered_modules(db: &dyn Db, config: BuildConfig) -> DiscoveredModules {
    let mut seen: rustc_hash::FxHashSet<SourceFile> = rustc_hash::FxHashSet::default();
    let mut modules: Vec<SourceFile> = Vec::new();
    for &entry in config.entries(db) {
        if seen.insert(entry) {
            modules.push(entry);
        }
    }
    let mut syntax_errors = Vec::new();
    let mut next = 0;
    while let Some(&file) = modules.get(next) {
        next += 1;
        let before = syntax_errors.len();
        syntax_errors.extend(syntax_errors_of(db, file).cloned());
        if syntax_errors.len() > before {
            continue;
        }
        let dependencies = module_dependencies(db, config, file);
        for dependency in dependencies
            .dependencies
            .iter()
            .chain(&dependencies.dynamic_dependencies)
        {
            if let Dependency::Module(target) = dependency
                && seen.insert(*target)
            {
                modules.push(*target);
            }
        }
    }
    DiscoveredModules {
        modules,
        syntax_errors,
    }
}

/// How many top-level items the modules the entries reach have between them (a build's
/// statistics; none counted past a syntax error). A query, so that a build that changed no
/// module's facts confirms one memo rather than reading every module's facts again (most
/// of a millisecond after each edit on three.js x10).
#[salsa::tracked]
pub fn item_count(db: &dyn Db, config: BuildConfig) -> usize {
    let discovered = discovered_modules(db, config);
    if !discovered.syntax_errors.is_empty() {
        return 0;
    }
    discovered
        .modules
        .iter()
        .map(|&file| crate::parse::module_facts(db, file).items.len())
        .sum()
}

/// Whether `file`'s text has a syntax or scope error (then the build stops after parsing).
pub fn has_syntax_errors(db: &dyn Db, file: SourceFile) -> bool {
    syntax_errors_of(db, file).next().is_some()
}

/// The syntax and scope errors of `file`'s text.
fn syntax_errors_of(db: &dyn Db, file: SourceFile) -> impl Iterator<Item = &Diagnostic> {
    View::of(db, file)
        .diagnostics(db)
        .syntax
        .iter()
        .filter(|diagnostic| diagnostic.is_error())
}

/// Every problem of the build, in module order.
#[salsa::tracked(returns(ref))]
pub fn bundle_diagnostics(db: &dyn Db, config: BuildConfig) -> Vec<Diagnostic> {
    let graph = module_graph(db, config);
    let liveness = liveness(db, config);
    let mut diagnostics = output_problems(db, config, graph);
    diagnostics.extend(crate::split::chunks::order_diagnostic(db, config));
    // What each module says of its tsconfig and whether it could be read come with its
    // problems, gathered by shard: each shard's list holds its modules in the graph's order.
    let shards: Vec<&[ModuleProblems]> = (0..PROBLEM_SHARDS)
        .map(|shard| shard_problems(db, config, shard).as_slice())
        .collect();
    let mut taken = vec![0; PROBLEM_SHARDS as usize];
    let problems: Vec<&ModuleProblems> = graph
        .modules
        .iter()
        .map(|module| {
            let shard = problem_shard(module.file);
            taken[shard] += 1;
            &shards[shard][taken[shard] - 1]
        })
        .collect();
    // A broken tsconfig is reported once, however many modules it configures.
    let mut settings_problems: Vec<&Diagnostic> = problems
        .iter()
        .filter_map(|problems| problems.settings.as_ref())
        .collect();
    settings_problems.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    settings_problems.dedup();
    diagnostics.extend(settings_problems.into_iter().cloned());
    for ((module, live), problems) in graph.modules.iter().zip(&liveness.modules).zip(problems) {
        match &problems.unreadable {
            Some(reason) => {
                diagnostics.push(unreadable_module(db, config, graph, module.file, reason))
            }
            None => diagnostics.extend(problems.located.iter().cloned()),
        }
        if live.namespace {
            diagnostics.extend(namespace_conflicts(db, config, module.file));
        }
    }
    diagnostics
}

/// Problems of the options rather than of a module: an IIFE's exports need a valid global
/// name to go to.
fn output_problems(db: &dyn Db, config: BuildConfig, graph: &ModuleGraph) -> Vec<Diagnostic> {
    if config.format(db) != OutputFormat::Iife {
        return Vec::new();
    }
    match config.global_name(db) {
        Some(name) => crate::config::global_name_problem(name)
            .map(|problem| {
                Diagnostic::error(
                    "INVALID_GLOBAL_NAME",
                    format!("the IIFE's global name is invalid: {problem}"),
                )
            })
            .into_iter()
            .collect(),
        None => {
            let Some(&entry) = graph.entries.first() else {
                return Vec::new();
            };
            let exports = module_exports(db, config, entry);
            if exports.resolved.is_empty() && exports.external_stars.is_empty() {
                return Vec::new();
            }
            vec![
                Diagnostic::error(
                    "MISSING_NAME_OPTION_FOR_IIFE_EXPORT",
                    "the entry has exports, and an IIFE without a global name would drop them",
                )
                .in_file(entry.path(db), None)
                .with_help(
                    "name the global variable with `--name GLOBAL`, or build `--format esm`",
                ),
            ]
        }
    }
}

/// Names a namespace object leaves out because several `export *` provide them.
fn namespace_conflicts(db: &dyn Db, config: BuildConfig, file: SourceFile) -> Vec<Diagnostic> {
    let reexporter = crate::link::display_name(db, file);
    module_exports(db, config, file)
        .ambiguous_names()
        .map(|name| {
            Diagnostic::warning(
                "NAMESPACE_CONFLICT",
                format!(
                    "\"{name}\" is re-exported by more than one `export *` of \"{reexporter}\" with different bindings; the namespace leaves it out"
                ),
            )
            .in_file(file.path(db), None)
        })
        .collect()
}

/// What one module says is wrong, for the build's diagnostics to gather in one fetch per
/// module.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModuleProblems {
    /// Why the file cannot be read, if it cannot (then it has no other problems).
    pub unreadable: Option<String>,
    /// What is wrong with the tsconfig that configures it (reported once, however many
    /// modules it configures).
    pub settings: Option<Diagnostic>,
    /// The problems located in it (see [`module_problems`]).
    pub located: Vec<Diagnostic>,
}

/// The problems of one module (see [`problems_of`]), for the editor, which asks for one
/// module's. A build gathers them by shard ([`shard_problems`]).
#[salsa::tracked(returns(ref))]
pub fn module_problems(db: &dyn Db, config: BuildConfig, file: SourceFile) -> ModuleProblems {
    problems_of(db, config, file)
}

/// How many shards a build gathers its modules' problems in.
pub const PROBLEM_SHARDS: u32 = 64;

/// The shard of `file`'s problems.
fn problem_shard(file: SourceFile) -> usize {
    crate::files::file_shard(file, PROBLEM_SHARDS) as usize
}

/// The graph's modules by problem shard, each shard's in the graph's order.
#[salsa::tracked(returns(ref))]
fn problem_shard_lists(db: &dyn Db, config: BuildConfig) -> Vec<Vec<SourceFile>> {
    let mut shards = vec![Vec::new(); PROBLEM_SHARDS as usize];
    for module in &module_graph(db, config).modules {
        shards[problem_shard(module.file)].push(module.file);
    }
    shards
}

/// The modules of problem shard `shard`, in the graph's order: equal, and what reads it
/// confirmed, unless a module of the shard came, went or moved in the order.
#[salsa::tracked(returns(ref))]
pub fn problem_shard_members(db: &dyn Db, config: BuildConfig, shard: u32) -> Vec<SourceFile> {
    problem_shard_lists(db, config)[shard as usize].clone()
}

/// The problems of the modules of problem shard `shard`, in its order. A query per shard
/// rather than per module: every edit confirms every module's problems (each reads the
/// module's summary, its dependencies and its bindings, inputs of every durability), and
/// confirming a memo costs about a thousand instructions of salsa's bookkeeping besides
/// its dependencies, so 64 memos cost a fraction of 3,871 on three.js x10. An edit that
/// changes a module's problems (or what they are worked out from) works out its shard's
/// again, a few dozen modules.
#[salsa::tracked(returns(ref))]
pub fn shard_problems(db: &dyn Db, config: BuildConfig, shard: u32) -> Vec<ModuleProblems> {
    problem_shard_members(db, config, shard)
        .iter()
        .map(|&file| problems_of(db, config, file))
        .collect()
}

/// The problems of one module: whether it can be read, its tsconfig's problem, and, if it
/// can be read, the problems located in it: syntax and scope errors, unresolved
/// specifiers, exports and imports that do not resolve, top-level await the output cannot
/// express.
fn problems_of(db: &dyn Db, config: BuildConfig, file: SourceFile) -> ModuleProblems {
    let settings = module_settings(db, file).problem.clone();
    if let Some(reason) = &View::of(db, file).diagnostics(db).unreadable {
        return ModuleProblems {
            unreadable: Some(reason.clone()),
            settings,
            located: Vec::new(),
        };
    }
    ModuleProblems {
        unreadable: None,
        settings,
        located: located_problems(db, config, file),
    }
}

/// The problems located in a module that can be read.
fn located_problems(db: &dyn Db, config: BuildConfig, file: SourceFile) -> Vec<Diagnostic> {
    let mut diagnostics = View::of(db, file).diagnostics(db).syntax.clone();
    let export_problems = module_export_problems(db, config, file);
    let link_diagnostics = module_dependencies(db, config, file)
        .diagnostics
        .iter()
        .chain(&export_problems)
        .chain(&module_bindings(db, config, file).diagnostics);
    for link_diagnostic in link_diagnostics {
        diagnostics.push(locate(db, link_diagnostic));
    }
    diagnostics.extend(top_level_await(db, config, file));
    if module_record(db, file).has_direct_eval {
        diagnostics.push(
            Diagnostic::warning(
                "EVAL",
                "direct `eval` can read any binding in scope: verde keeps this module's top-level bindings under their own names, but names it imports may be renamed in the bundle",
            )
            .in_file(file.path(db), View::of(db, file).spans(db).direct_eval)
            .with_help("pass what the evaluated code needs as arguments of a `new Function(...)`, or use indirect eval `(0, eval)(...)`"),
        );
    }
    diagnostics.extend(commonjs_star_exports(db, config, file));
    // A package's own business (esbuild does not show these for packages either).
    let view = View::of(db, file);
    if !crate::files::is_library(file.path(db)) && view.has_require_expressions(db) {
        for &range in &view.spans(db).require_expressions {
            diagnostics.push(
                Diagnostic::warning(
                    "REQUIRE_EXPRESSION",
                    "this `require` is not bundled: its argument is not a string literal, so it is left to `require` at run time",
                )
                .in_file(file.path(db), Some(range))
                .with_help("require each possible module with a string literal, or mark them external"),
            );
        }
    }
    diagnostics
}

/// `export * from` a CommonJS module whose `module.exports` is assigned something whose
/// names cannot be known: only the names that can be are re-exported.
fn commonjs_star_exports(db: &dyn Db, config: BuildConfig, file: SourceFile) -> Vec<Diagnostic> {
    let record = module_record(db, file);
    let dependencies = &module_dependencies(db, config, file).dependencies;
    record
        .star_exports
        .iter()
        .filter_map(|&request| match dependencies.get(request as usize) {
            Some(Dependency::Module(target)) => Some((request, *target)),
            _ => None,
        })
        .filter(|(_, target)| {
            // Opaque, and nothing else to go by (esbuild's output, for one, lists its names
            // in a `0 && (module.exports = { ... })` annotation for node's sake).
            let target = module_record(db, *target);
            let exports = &target.commonjs_exports;
            target.kind == ModuleKind::CommonJs
                && exports.opaque
                && exports.names.is_empty()
                && exports.reexports.is_empty()
        })
        .map(|(request, target)| {
            Diagnostic::warning(
                "COMMONJS_EXPORT_STAR",
                format!(
                    "\"{}\" is CommonJS and assigns `module.exports` a value whose names cannot be known without running it: `export *` re-exports only the names it can see",
                    crate::link::display_name(db, target)
                ),
            )
            .in_file(
                file.path(db),
                View::of(db, file)
                    .spans(db)
                    .requests
                    .get(request as usize)
                    .copied(),
            )
            .with_help("import it as a default or namespace import instead")
        })
        .collect()
}

/// Gives a link diagnostic the text range its location names.
fn locate(db: &dyn Db, link_diagnostic: &LinkDiagnostic) -> Diagnostic {
    let spans = View::of(db, link_diagnostic.file).spans(db);
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
    diagnostic
}

/// Top-level await cannot be expressed in every output, nor (yet) in lazy modules.
fn top_level_await(db: &dyn Db, config: BuildConfig, file: SourceFile) -> Option<Diagnostic> {
    if !module_record(db, file).has_top_level_await {
        return None;
    }
    let format = config.format(db);
    let at = View::of(db, file).spans(db).top_level_await;
    let path = file.path(db);
    if format != OutputFormat::Esm {
        Some(
            Diagnostic::error(
                "TOP_LEVEL_AWAIT",
                format!(
                    "top-level await is not available in the \"{}\" output format",
                    format.as_str()
                ),
            )
            .in_file(path, at)
            .with_help("use `--format esm`"),
        )
    } else if crate::link::module_is_lazy(db, config, file) {
        Some(
            Diagnostic::error(
                "TOP_LEVEL_AWAIT",
                "top-level await in a module that is only loaded with `import()` is not supported yet",
            )
            .in_file(path, at)
            .with_help("import the module statically somewhere, or move the `await` into a function"),
        )
    } else {
        None
    }
}

/// A module that could not be read is reported where it is imported, or as the entry.
fn unreadable_module(
    db: &dyn Db,
    config: BuildConfig,
    graph: &ModuleGraph,
    file: SourceFile,
    reason: &str,
) -> Diagnostic {
    let path = file.path(db);
    for importer in &graph.modules {
        let dependencies = module_dependencies(db, config, importer.file);
        let record = module_record(db, importer.file);
        let spans = View::of(db, importer.file).spans(db);
        let target = Dependency::Module(file);
        let found = dependencies
            .dependencies
            .iter()
            .position(|dependency| *dependency == target)
            .map(|index| (&record.requests[index], spans.requests.get(index)))
            .or_else(|| {
                dependencies
                    .dynamic_dependencies
                    .iter()
                    .position(|dependency| *dependency == target)
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
