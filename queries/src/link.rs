//! Link: turns module records into a linked bundle without ever looking at an AST.
//!
//! Link is a chain of queries, per module where the work is per module, global where it
//! must see the whole bundle (and then projected back per module), so that an edit re-links
//! only what it affects. In data-flow order:
//!
//! 1. [`graph`]: `module_dependencies` (one module's specifiers, resolved) and
//!    `module_graph` (discovery from the entries, execution order, lazy modules).
//! 2. [`resolve_exports`]: `module_exports`, a module's export table after following
//!    re-exports and `export *` (the spec's `ResolveExport`).
//! 3. [`bind_imports`]: `module_bindings`, a module's imports and namespace member reads
//!    bound to declarations; an export change re-runs it for importers only.
//! 4. [`tree_shaking`]: `liveness` (global).
//! 5. [`final_names`]: `final_names` (global), and `external_names`. [`module_links`]
//!    projects both back per module ([`module_liveness`], [`module_names`]).
//! 6. [`replacements`]: `linked_module`, what each relocation of a module becomes;
//!    [`chunk`]: `chunk_links`, the entry's exports, externals and helpers. Render only
//!    patches.
//!
//! Modules are identified by their [`SourceFile`] and externals by their specifier, never
//! by a position in the graph, so a result stays equal when unrelated modules come and go.

pub mod bind_imports;
pub mod chunk;
pub mod deconflict;
pub mod final_names;
pub mod graph;
pub mod replacements;
pub mod resolve_exports;
pub mod tree_shaking;

use std::{path::Path, sync::Arc};

use crate::{
    Db,
    config::BuildConfig,
    diagnostics::Diagnostic,
    files::{SourceFile, file_key, file_shard},
    names,
    parse::{ImportedName, Name},
};
use bind_imports::ObjectMember;
use final_names::ModuleNames;
use graph::graph_members;
use tree_shaking::{ModuleLiveness, liveness};

/// What the whole-bundle passes decided about one module: which of its items are live and
/// what its bindings are called. A tracked struct, made by [`module_links`] for every module
/// of the graph and identified by its file: salsa compares each field with what the last
/// run of the passes made, so a query that read one module's liveness or names runs again
/// only when those changed, and finding that out runs no per-module query. The fields
/// share the passes' per-module results rather than copying them: after a graph edit,
/// copying every module's (and freeing the copies that came out equal) was half of
/// projecting them on three.js x10.
#[salsa::tracked(debug)]
pub struct ModuleLink<'db> {
    #[returns(copy)]
    pub file: SourceFile,
    /// Reached only through `import()` (the graph's `is_lazy`), kept here so that the
    /// per-module queries that ask do not read the graph, which changes with every module
    /// that comes or goes.
    #[tracked]
    #[returns(copy)]
    pub is_lazy: bool,
    #[tracked]
    #[returns(ref)]
    pub liveness: Arc<ModuleLiveness>,
    #[tracked]
    #[returns(ref)]
    pub names: Arc<ModuleNames>,
}

/// [`liveness`] and [`final_names`] projected back per module, in [`LINK_SHARDS`] shards
/// (see [`module_link`]), each sorted by [`file_key`]: the lists compare equal while the
/// graph does (the structs keep their identities), and each module's fields change only
/// when its own part of the passes' results did. Sharded here, in one pass over the graph,
/// rather than by each shard's query in a pass of its own (64 passes over 3,871 modules
/// on three.js x10 after every graph edit).
#[salsa::tracked(returns(ref))]
pub fn module_links(db: &dyn Db, config: BuildConfig) -> Vec<Vec<(u32, ModuleLink<'_>)>> {
    let _span = tracing::debug_span!("module_links").entered();
    let graph = graph_members(db, config);
    let liveness = liveness(db, config);
    let names = final_names::final_names(db, config);
    let ascii = crate::settings::ascii_output(db);
    let mut shards = vec![Vec::new(); LINK_SHARDS as usize];
    for (module, (liveness, names)) in graph
        .modules
        .iter()
        .zip(liveness.modules.iter().zip(&names.modules))
    {
        let names = match ascii.then(|| names.escaped()).flatten() {
            Some(escaped) => Arc::new(escaped),
            None => names.clone(),
        };
        let link = ModuleLink::new(db, module.file, module.is_lazy, liveness.clone(), names);
        shards[shard_of(module.file) as usize].push((file_key(module.file), link));
    }
    for shard in &mut shards {
        shard.sort_unstable_by_key(|(key, _)| *key);
    }
    shards
}

/// Which of `file`'s items are live (nothing, for a module not in the graph).
pub fn module_liveness(db: &dyn Db, config: BuildConfig, file: SourceFile) -> &ModuleLiveness {
    static NONE: std::sync::LazyLock<ModuleLiveness> = std::sync::LazyLock::new(Default::default);
    match module_link(db, config, file) {
        Some(link) => link.liveness(db).as_ref(),
        None => &NONE,
    }
}

/// What `file`'s bindings are called (nothing, for a module not in the graph).
pub fn module_names(db: &dyn Db, config: BuildConfig, file: SourceFile) -> &ModuleNames {
    static NONE: std::sync::LazyLock<ModuleNames> = std::sync::LazyLock::new(Default::default);
    match module_link(db, config, file) {
        Some(link) => link.names(db).as_ref(),
        None => &NONE,
    }
}

/// Whether `file` is reached only through `import()` (false for a module not in the graph).
pub fn module_is_lazy(db: &dyn Db, config: BuildConfig, file: SourceFile) -> bool {
    module_link(db, config, file).is_some_and(|link| link.is_lazy(db))
}

/// `file`'s [`ModuleLink`] (none for a module not in the graph). A query of its own, over
/// the links of `file`'s shard only: the graph and the whole list change whenever a module
/// comes or goes (the graph with any import added or removed), while the struct found keeps
/// its identity. So the per-module queries that read a module's liveness or names depend on
/// this memo, which comes out equal, and an edit that adds or removes an import re-runs none
/// of them unless their module's own fields changed. The shard keeps this memo itself from
/// running again: after a graph edit every shard runs again (a copy of its part of the
/// list) and comes out equal unless a module of its own came or went, so the lookups of
/// the other modules are confirmed, not run (a module added to three.js x10 and removed
/// again, in watch mode: the render step 14.2 and 18.2 → 10.7 and 12.2 ms, medians of 12).
#[salsa::tracked]
fn module_link(db: &dyn Db, config: BuildConfig, file: SourceFile) -> Option<ModuleLink<'_>> {
    let shard = module_link_shard(db, config, shard_of(file));
    let found = shard.binary_search_by_key(&file_key(file), |(key, _)| *key);
    found.ok().map(|index| shard[index].1)
}

/// How many shards the links are looked up in: a graph edit runs every shard again (each a
/// copy of its part of [`module_links`]), and the lookups of the modules of the shards
/// that changed.
const LINK_SHARDS: u32 = 64;

fn shard_of(file: SourceFile) -> u32 {
    file_shard(file, LINK_SHARDS)
}

/// The links of the graph's modules in shard `shard`, sorted by [`file_key`].
#[salsa::tracked(returns(ref))]
fn module_link_shard(db: &dyn Db, config: BuildConfig, shard: u32) -> Vec<(u32, ModuleLink<'_>)> {
    module_links(db, config)[shard as usize].clone()
}

/// The literal an importer reads in place of a binding of another module: the binding's
/// literal if it is a constant of its module (`constant`, see `parse::constants`), unless
/// that module is lazy, whose bindings are read through its namespace once it has run. Tree
/// shaking then needs nothing for the read, and the importer's replacement table writes the
/// literal: both decide with this.
///
/// A literal longer than `MAX_LITERAL_LENGTH` is read in place only where its reads are
/// few enough that writing it at each costs no more than declaring it once under a name
/// (`reads_pay`, which tree shaking works out from the counts, asked only for such a
/// literal; see [`literal_reads_pay`]). Read more often, it is not: tree shaking keeps its
/// declaration, which link names, and the replacement table writes that name, shorter than
/// the literal.
pub fn read_in_place(
    constant: Option<&Name>,
    lazy: bool,
    reads_pay: impl FnOnce() -> bool,
) -> Option<&Name> {
    constant.filter(|literal| !lazy && (!is_long_literal(literal) || reads_pay()))
}

/// Whether writing `literal` at each of its `reads` costs no more than a declaration
/// (`name=literal,`) and a name at each read. A name is taken as three characters, what
/// most of a large bundle's get (three.js x10 has 7,800 top-level names), though naming
/// gives shorter ones to the most used: taken as two, three.js x10 minified is 95 bytes
/// larger and 3.9 KB larger gzipped (a literal written again compresses better than a name
/// that stands for it), and lodash-es, with 840 names, 10 bytes larger gzipped. Read once, a
/// literal always pays.
pub fn literal_reads_pay(literal: &str, reads: u32) -> bool {
    const NAME: usize = 3;
    let length = literal.len();
    reads as usize * length.saturating_sub(NAME) <= length + NAME + 2
}

/// Whether a constant's literal is longer than `MAX_LITERAL_LENGTH`: read in place only
/// where it is read once (see [`read_in_place`]).
pub fn is_long_literal(literal: &str) -> bool {
    literal.len() > crate::parse::MAX_LITERAL_LENGTH
}

/// Whether an importer reads the binding an imported object's member holds in place of the
/// member (see `parse::static_objects`): when the object's module is not lazy (`lazy`:
/// its bindings are read through its namespace once it has run), and nothing keeps the
/// object itself (`declared`: what the module's live items declare). Tree shaking marks the
/// member's binding, not the object, for such a read (it cannot know yet whether something
/// else keeps the object; if something does, the object holds that binding anyway); naming
/// and the importer's replacement table decide with this, which writes the binding, or the
/// member read as written when the object stays.
pub fn read_member_in_place(member: &ObjectMember, lazy: bool, declared: &[Name]) -> bool {
    !lazy && !declared.contains(&member.object)
}

/// What a name resolves to after following imports and re-exports.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Binding {
    /// A top-level declaration of a module (or its `export default` value).
    Symbol { module: SourceFile, local: Name },
    /// The namespace object of a module.
    Namespace(SourceFile),
    /// Something an external module provides.
    External {
        specifier: Name,
        imported: ImportedName,
    },
    /// A property of a CommonJS module's exports, or (`Namespace`) the ES module view of
    /// them, read at run time. `node_mode`: the importer reads it as node does (`default`
    /// is always `module.exports`, and a namespace has only the names node detects). A
    /// named import has it only for `default` (any other name is read from the exports
    /// themselves); a member read through a node-mode namespace keeps it.
    CommonJs {
        module: SourceFile,
        imported: ImportedName,
        node_mode: bool,
    },
}

impl Binding {
    /// What importing `imported` from the CommonJS module `module` binds, for an importer
    /// in node mode or not.
    pub fn commonjs(module: SourceFile, imported: ImportedName, node_mode: bool) -> Binding {
        let node_mode = node_mode
            && match &imported {
                ImportedName::Named(name) => name == "default",
                ImportedName::Namespace => true,
            };
        Binding::CommonJs {
            module,
            imported,
            node_mode,
        }
    }
}

/// Why a name did not resolve.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ResolveFailure {
    Missing,
    /// Two `export *` provide the name with different bindings.
    Ambiguous(Vec<Binding>),
    /// The re-export chain leads back to itself.
    Circular,
    /// The module the name comes from did not resolve; that was reported already.
    Unresolved,
    /// A TypeScript module exports the name as a type only (an interface, a type alias, a
    /// `declare`d binding): isolated-module compilers cannot tell such a re-export or import
    /// from a value's, so it is dropped rather than reported, as esbuild does.
    TypeOnly,
}

/// What a relocation becomes, and how it may be spliced into surrounding code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Replacement {
    pub text: Name,
    pub kind: ReplacementKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReplacementKind {
    /// A plain identifier: fits anywhere an identifier does.
    Identifier,
    /// `object.property`: needs `(0, ...)` when called, so `this` is not the object.
    Member,
    /// A call or other primary expression: fits anywhere, even when called.
    Primary,
    /// Anything else: parenthesized.
    Other,
    /// A number or string literal (an imported constant read in place): fits anywhere, but
    /// a number before a `.` is parenthesized (`(1).toFixed()`, not `1.toFixed()`).
    Literal,
}

impl Replacement {
    pub fn identifier(text: impl Into<Name>) -> Self {
        Replacement {
            text: text.into(),
            kind: ReplacementKind::Identifier,
        }
    }

    pub fn member(object: &str, property: &str) -> Self {
        let text = if names::is_identifier_name(property) {
            format!("{object}.{property}")
        } else {
            format!("{object}[{}]", string_literal(property))
        };
        Replacement {
            text: text.into(),
            kind: ReplacementKind::Member,
        }
    }

    pub fn primary(text: impl Into<Name>) -> Self {
        Replacement {
            text: text.into(),
            kind: ReplacementKind::Primary,
        }
    }

    pub fn other(text: impl Into<Name>) -> Self {
        Replacement {
            text: text.into(),
            kind: ReplacementKind::Other,
        }
    }
}

/// Where in a module a link diagnostic points; turned into a text range when reported, so
/// that link results do not depend on positions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    Module,
    NamespaceMember { namespace: Name, member: Name },
    Request(u32),
    DynamicRequest(u32),
    Import(u32),
    Export(u32),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LinkDiagnostic {
    pub file: SourceFile,
    pub location: Location,
    pub diagnostic: Diagnostic,
}

impl LinkDiagnostic {
    pub fn new(db: &dyn Db, file: SourceFile, location: Location, diagnostic: Diagnostic) -> Self {
        LinkDiagnostic {
            file,
            location,
            diagnostic: diagnostic.in_file(file.path(db), None),
        }
    }
}

/// The file name of a module, for messages.
pub fn display_name(db: &dyn Db, file: SourceFile) -> String {
    file.path(db)
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned())
}

/// [`module_stem`] of `file`'s path, remembered: naming asks for the stems of the modules
/// whose namespace object, initializer or wrapper it names after every edit of the graph
/// (about 2,000 instructions each, the path taken apart and the identifier made: 2.3
/// million instructions of every such edit on three.js x10, on naming's thread).
#[salsa::tracked(returns(ref))]
pub fn file_stem(db: &dyn Db, file: SourceFile) -> String {
    module_stem(file.path(db))
}

/// A readable identifier for names derived from a module: its file stem, or its directory's
/// name for an `index` file.
pub fn module_stem(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "index"
        && let Some(parent) = path.parent().and_then(Path::file_name)
    {
        return names::legal_identifier(&parent.to_string_lossy());
    }
    names::legal_identifier(&stem)
}

/// A JavaScript string literal for `text`, in ASCII (escapes mean the same in either
/// charset, and render's own strings are few).
pub fn string_literal(text: &str) -> String {
    let literal = serde_json::to_string(text).expect("a string serializes");
    if literal.is_ascii() {
        literal
    } else {
        crate::charset::escaped_source_text(&literal, true)
    }
}
