//! Parse + scope: one query per module that parses it with oxc, analyzes its scopes, and in
//! the same execution produces everything later phases need, then drops the AST.
//!
//! Results: a position-free [`ModuleRecord`] (imports, exports, top-level symbols, names that
//! matter for deconflicting), one [`Item`] per top-level statement with its object code and
//! facts, the spans diagnostics need, and the module's syntax diagnostics. The arena lives on
//! this query's stack frame only: nothing downstream can hold an AST.

mod analysis;
mod cached;
pub(crate) mod commonjs;
mod compile;
mod constants;
pub mod input_map;
mod json;
mod minify;
pub mod nesting;
mod object_code;
pub mod record;
mod side_effects;
mod single_use;
mod static_objects;
mod transform;

use std::sync::Arc;

use crate::{
    Db,
    diagnostics::{Diagnostic, TextRange},
    files::{SourceFile, SourceText, source_text},
    summary::View,
};
pub use constants::MAX_LITERAL_LENGTH;
pub use input_map::MapSource;
pub use record::*;
pub use single_use::{arrow_code, value_code};

/// A top-level statement of a module. Its identity is (module, kind, name, occurrence), never
/// an offset, so it survives edits elsewhere in the file; its fields are tracked one by one,
/// so a query that reads only `facts` is not invalidated when only `code` changed.
#[salsa::tracked(debug)]
pub struct Item<'db> {
    /// The module the item belongs to.
    #[returns(copy)]
    pub module: SourceFile,
    #[returns(copy)]
    pub kind: ItemKind,
    #[returns(ref)]
    pub name: Name,
    /// How many items of the module before this one have the same kind and name. salsa
    /// would tell them apart by itself (its disambiguator), but it hashes only the fields:
    /// 80,000 anonymous statements in one module all landed in one hash bucket, and took
    /// 24 s to create. The same count as a field gives them the same identities, hashed apart.
    #[returns(copy)]
    pub occurrence: u32,
    /// Shared with the module's published summary.
    #[tracked]
    #[returns(ref)]
    pub code: Arc<ObjectCode>,
    #[tracked]
    #[returns(copy)]
    pub range: TextRange,
}

/// Everything the parse query produces for one module.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct ParsedModule<'db> {
    pub record: ModuleRecord,
    pub scope_names: ScopeNames,
    pub items: Vec<Item<'db>>,
    /// The facts of each item, in item order.
    pub facts: Vec<ItemFacts>,
    pub spans: ModuleSpans,
    /// What the items' source-map segments point into (empty without source maps).
    pub map_sources: Arc<[MapSource]>,
    /// Its legal comments, for the end of the bundle (`--legal-comments=eof`).
    pub legal_comments: Vec<String>,
    pub diagnostics: ModuleDiagnostics,
}

/// A module's objects whose members importers may read in place, sorted by binding, each
/// with its (key, binding) pairs.
pub type StaticObjects = Vec<(Name, Vec<(Name, Name)>)>;

/// What later phases read of a module's parse, one tracked field per part, made by
/// [`module_view`]. When the view is made again, salsa compares each field with its old
/// value and keeps the old revision of every field that came out equal: a query that reads
/// only `record` is not re-run after an edit that changed only `items`. After an edit
/// elsewhere, a field read is confirmed in one step, where a projection query of its own
/// would be a memo to verify (see docs/ARCHITECTURE.md, "Durability").
#[salsa::tracked(debug)]
pub struct ModuleView<'db> {
    #[returns(copy)]
    pub file: SourceFile,
    /// The position-free record: what link depends on. Equal after edits that do not
    /// change the module's imports, exports or top-level names, which stops the wave there.
    #[tracked]
    #[returns(ref)]
    pub record: Arc<ModuleRecord>,
    /// The names only naming reads: nested bindings and globals. Apart from the record so
    /// that a new local or a new global read in a function body leaves the record (and the
    /// whole-bundle passes that read it) alone; see `link::final_names`.
    #[tracked]
    #[returns(ref)]
    pub scope_names: Arc<ScopeNames>,
    /// What tree shaking reads of the record: apart from it so that an import added or
    /// removed (a change of the record's imports) leaves tree shaking alone unless the
    /// module's bindings, the graph or what is live changed.
    #[tracked]
    #[returns(ref)]
    pub shape: Arc<ModuleShape>,
    /// The module's items, in source order. Equal as long as no item was added, removed
    /// or renamed.
    #[tracked]
    #[returns(ref)]
    pub items: Vec<Item<'db>>,
    /// What link needs to know about each item. One field per module rather than one per
    /// item, so that whole-bundle passes depend on a few thousand fields, not on every item.
    #[tracked]
    #[returns(ref)]
    pub facts: Arc<ModuleFacts>,
    /// What binding the module's imports needs.
    #[tracked]
    #[returns(ref)]
    pub imports: Arc<ModuleImports>,
    /// What the items' source-map segments point into: the module itself, or the sources of
    /// its input map (empty without source maps).
    #[tracked]
    #[returns(ref)]
    pub map_sources: Arc<[MapSource]>,
    /// Its legal comments, for the end of the bundle (`--legal-comments=eof`).
    #[tracked]
    #[returns(ref)]
    pub legal_comments: Arc<Vec<String>>,
    /// Its constants that importers read in place, with their literals, sorted by name
    /// ([`ModuleFacts::constant`]): what an importer's replacement table reads of it, so
    /// that a change to its facts (a new reference in a function body) re-runs no importer.
    /// With them, flagged, its `var` constants, which only its own code reads in place
    /// ([`ModuleFacts::hoisted_constant`]).
    #[tracked]
    #[returns(ref)]
    pub constants: Arc<Vec<(Name, Name, bool)>>,
    /// Its objects whose members importers may read in place, sorted by binding, each with
    /// its (key, binding) pairs ([`ModuleFacts::static_object`]); a field of its own for the
    /// same reason as `constants`.
    #[tracked]
    #[returns(ref)]
    pub static_objects: Arc<StaticObjects>,
    /// Its functions that never read `this`, sorted ([`ItemFacts::ignores_this`]): an
    /// importer calling one as a member of an object reads it in place all the same.
    #[tracked]
    #[returns(ref)]
    pub ignoring_this: Arc<Vec<Name>>,
}

/// The problems of one module on its own: why it could not be read, or its syntax and
/// scope errors.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModuleDiagnostics {
    pub unreadable: Option<String>,
    /// Syntax and scope errors, and warnings about the module's own text (an input source
    /// map that cannot be used).
    pub syntax: Vec<Diagnostic>,
}

/// Parses and scopes `file`. Never fails: problems are diagnostics, and a module that does
/// not parse has an empty record.
#[salsa::tracked(returns(ref), no_eq)]
pub fn parsed_module(db: &dyn Db, file: SourceFile) -> ParsedModule<'_> {
    let path = file.path(db);
    let _span = tracing::debug_span!("parsed_module", path = %path.display()).entered();
    let text = match source_text(db, file) {
        SourceText::Text(text) => text.clone(),
        other => {
            db.work().parsed();
            return ParsedModule {
                record: ModuleRecord::default(),
                scope_names: ScopeNames::default(),
                items: Vec::new(),
                facts: Vec::new(),
                spans: ModuleSpans::default(),
                map_sources: Arc::from([]),
                legal_comments: Vec::new(),
                diagnostics: ModuleDiagnostics {
                    unreadable: other.error_message(),
                    syntax: Vec::new(),
                },
            };
        }
    };
    let settings = crate::settings::module_settings(db, file);
    let mut input_map_problem = None;
    let input_map = match settings
        .source_map
        .then(|| input_map::load(db, path, &text))
        .flatten()
    {
        Some(Ok(map)) => Some(map),
        Some(Err(reason)) => {
            input_map_problem = Some(reason);
            None
        }
        None => None,
    };
    let mut compiled = compiled_module(db, path, &text, settings, input_map.as_ref());
    // A package's own business, as esbuild has it (npm packages often name maps they do
    // not ship).
    if let Some(reason) = input_map_problem.filter(|_| !crate::files::is_library(path)) {
        let comment = text.trim_end().rfind('\n').map_or(0, |line| line + 1) as u32;
        compiled.diagnostics.push(
            Diagnostic::warning(
                "INPUT_SOURCE_MAP",
                format!("the source map this module names cannot be used: {reason}"),
            )
            .in_file(
                path,
                Some(TextRange {
                    start: comment,
                    end: text.trim_end().len() as u32,
                }),
            )
            .with_help("the bundle's map points into this module's own text instead"),
        );
    }
    // Where the object code's segments point: the module itself, or its input map's sources.
    let map_sources: Arc<[MapSource]> = match (settings.source_map, input_map) {
        (false, _) => Arc::from([]),
        (true, Some(input)) => Arc::from(input.sources),
        (true, None) => Arc::from([MapSource {
            path: Arc::from(path.as_path()),
            content: Some(text.clone()),
        }]),
    };
    let mut facts = Vec::with_capacity(compiled.items.len());
    let mut occurrences: rustc_hash::FxHashMap<(ItemKind, Name), u32> = Default::default();
    let items = compiled
        .items
        .into_iter()
        .map(|item| {
            facts.push(item.facts);
            let seen = occurrences
                .entry((item.kind, item.name.clone()))
                .or_insert(0);
            let occurrence = *seen;
            *seen += 1;
            Item::new(
                db,
                file,
                item.kind,
                item.name,
                occurrence,
                Arc::new(item.code),
                item.range,
            )
        })
        .collect();
    ParsedModule {
        record: compiled.record,
        scope_names: compiled.scope_names,
        items,
        facts,
        spans: compiled.spans,
        map_sources,
        legal_comments: compiled.legal_comments,
        diagnostics: ModuleDiagnostics {
            unreadable: None,
            syntax: compiled.diagnostics,
        },
    }
}

/// The module compiled, or as the on-disk cache kept it from an earlier process.
fn compiled_module(
    db: &dyn Db,
    path: &std::path::Path,
    text: &str,
    settings: &crate::settings::ModuleSettings,
    input_map: Option<&input_map::InputMap>,
) -> compile::CompiledModule {
    let cache = db.module_cache();
    let key = cache.map(|cache| cached::module_key(cache, path, text, settings, input_map));
    if let (Some(cache), Some(key)) = (cache, key)
        && let Some(compiled) = cache.get(key).and_then(|bytes| cached::decode(&bytes))
    {
        db.work().restored();
        return compiled;
    }
    db.work().parsed();
    let compiled = compile::compile_module(path, text, settings, input_map);
    if let (Some(cache), Some(key)) = (cache, key)
        && let Some(bytes) = cached::encode(&compiled)
    {
        cache.put(key, bytes);
    }
    compiled
}

/// The module's parse as the driver publishes it (see [`crate::summary`]), and as link
/// reads a module nothing was published for.
#[salsa::tracked]
pub fn module_view(db: &dyn Db, file: SourceFile) -> ModuleView<'_> {
    let parsed = parsed_module(db, file);
    let facts = ModuleFacts::new(
        parsed.facts.clone(),
        &parsed.record.symbols,
        &parsed.record.imports,
    );
    let constants = facts.constants();
    let static_objects = facts.static_objects();
    let ignoring_this = facts.ignoring_this();
    // In `Arc`s, shared with the module's published summary.
    ModuleView::new(
        db,
        file,
        Arc::new(parsed.record.clone()),
        Arc::new(parsed.scope_names.clone()),
        Arc::new(ModuleShape::new(&parsed.record, &parsed.facts)),
        parsed.items.clone(),
        Arc::new(facts),
        Arc::new(ModuleImports::new(&parsed.record, &parsed.facts)),
        parsed.map_sources.clone(),
        Arc::new(parsed.legal_comments.clone()),
        Arc::new(constants),
        Arc::new(static_objects),
        Arc::new(ignoring_this),
    )
}

/// The literal importers read in place of `name`, a binding of `file`, if it is such a
/// constant ([`ModuleFacts::constant`], read through the view's `constants` field).
pub fn module_constant<'db>(db: &'db dyn Db, file: SourceFile, name: &Name) -> Option<&'db Name> {
    let constants = View::of(db, file).constants(db);
    constants
        .binary_search_by(|(constant, _, _)| constant.cmp(name))
        .ok()
        .filter(|&index| !constants[index].2)
        .map(|index| &constants[index].1)
}

/// The `var` constants of `file` its own code may read in place, with their literals
/// ([`ModuleFacts::hoisted_constant`], read through the view's `constants` field).
pub fn module_hoisted_constants(
    db: &dyn Db,
    file: SourceFile,
) -> impl Iterator<Item = (&Name, &Name)> {
    View::of(db, file)
        .constants(db)
        .iter()
        .filter(|(_, _, hoisted)| *hoisted)
        .map(|(name, literal, _)| (name, literal))
}

/// The (key, binding) pairs of `name`, a binding of `file`, if it is an object importers may
/// read members of in place ([`ModuleFacts::static_object`], read through the view's
/// `static_objects` field).
pub fn module_static_object<'db>(
    db: &'db dyn Db,
    file: SourceFile,
    name: &Name,
) -> Option<&'db [(Name, Name)]> {
    let objects = View::of(db, file).static_objects(db);
    objects
        .binary_search_by(|(object, _)| object.cmp(name))
        .ok()
        .map(|index| objects[index].1.as_slice())
}

/// Whether `name`, a binding of `file`, is a function that never reads `this`.
pub fn module_ignores_this(db: &dyn Db, file: SourceFile, name: &Name) -> bool {
    View::of(db, file)
        .ignoring_this(db)
        .binary_search(name)
        .is_ok()
}

/// The module's position-free record.
pub fn module_record(db: &dyn Db, file: SourceFile) -> &ModuleRecord {
    View::of(db, file).record(db)
}

/// The sources the module's source-map segments point into.
pub fn module_map_sources(db: &dyn Db, file: SourceFile) -> &Arc<[MapSource]> {
    View::of(db, file).map_sources(db)
}

/// The names only naming reads: nested bindings and globals, as naming last read them
/// (the driver holds back changes that cannot matter to it, see
/// `summary::publish_held_back`; the editor reads the parse's).
pub fn module_scope_names(db: &dyn Db, file: SourceFile) -> &ScopeNames {
    View::of(db, file).scope_names(db)
}

/// What link needs to know about each item (what it declares and refers to, whether it has
/// side effects), in item order.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModuleFacts {
    pub items: Vec<ItemFacts>,
    /// Every top-level binding and the items that declare it, sorted by name.
    pub declared_by: Vec<(Name, Vec<u32>)>,
    /// [`Self::declared_by`]'s positions by name (see [`DeclaredTable`]).
    declared_table: DeclaredTable,
    /// Per item, where the bindings it declares are in [`Self::declared_by`]. This and the
    /// two fields below are worked out once per parse, so that tree shaking, which runs
    /// again after every edit of the graph or of an export, looks up no name of a module's
    /// own (those lookups were a fifth of the pass on three.js x10).
    pub declared_symbols: PerItem,
    /// Per item, in the order of its `references`, where each leads, encoded (read through
    /// [`Self::references`]): its place in [`Self::declared_by`], or, for an import, its
    /// place among the module's import locals ([`import_locals`]), which the module's
    /// bindings map to the import they bound (`ModuleBindings::import_of_local`). So tree
    /// shaking compares no name of a reference (a binary search among the bound imports'
    /// names was a sixth of the pass on three.js x10).
    referenced_symbols: PerItem,
    /// For each of the record's top-level symbols, in its order, where it is in
    /// [`Self::declared_by`] ([`NOT_DECLARED`] for one no item declares).
    pub symbol_positions: Vec<u32>,
    /// The items that may have side effects, ascending: tree shaking's roots in the module.
    pub side_effect_items: Vec<u32>,
    /// Whether some item declares a constant (read in place, see [`ItemFacts::constant`]),
    /// and whether one of those is long (`link::is_long_literal`): most modules declare
    /// none, and tree shaking then looks up none of their bindings as one.
    pub declares_constant: bool,
    pub declares_long_constant: bool,
}

/// A module's top-level names by hash, each entry a position in [`ModuleFacts::declared_by`]
/// (which holds the names, so the table holds none). Tree shaking looks names up here
/// wherever it crosses to another module (an export of a namespace, an import's target):
/// about 35,000 lookups on three.js x10 after every edit of the graph or of an export,
/// where a binary search over the sorted names (their bytes compared at each step) was a
/// fifth of the pass.
#[derive(Clone, Default)]
struct DeclaredTable(hashbrown::HashTable<u32>);

impl DeclaredTable {
    /// The table of `declared`'s names.
    fn new(declared: &[(Name, Vec<u32>)]) -> DeclaredTable {
        let mut table = hashbrown::HashTable::with_capacity(declared.len());
        for (position, (name, _)) in declared.iter().enumerate() {
            table.insert_unique(Self::hash(name), position as u32, |&other| {
                Self::hash(&declared[other as usize].0)
            });
        }
        DeclaredTable(table)
    }

    fn hash(name: &str) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(name)
    }

    /// The position of `name`, given the name at each position.
    fn find<'a>(&self, name: &str, name_at: impl Fn(usize) -> &'a str) -> Option<usize> {
        self.0
            .find(Self::hash(name), |&position| {
                name_at(position as usize) == name
            })
            .map(|&position| position as usize)
    }
}

/// Made from [`ModuleFacts::declared_by`] alone: equal whenever that list is, which the
/// facts compare.
impl PartialEq for DeclaredTable {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for DeclaredTable {}

impl std::fmt::Debug for DeclaredTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeclaredTable({} names)", self.0.len())
    }
}

/// The position, in [`ModuleFacts::symbol_positions`], of a name no item of the module
/// declares.
pub const NOT_DECLARED: u32 = u32::MAX;

/// Where a reference of an item leads (see [`ModuleFacts::references`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Referenced {
    /// A binding the module declares, by its place in [`ModuleFacts::declared_by`].
    Declared(usize),
    /// An import, by its local's place among [`import_locals`].
    Import(usize),
    /// Neither (a name that is not a binding of the module).
    Nothing,
}

/// In [`ModuleFacts::referenced_symbols`], the mark of an import's place.
const IMPORT_MARK: u32 = 1 << 31;

/// The module's import locals, sorted and each once: a reference to an import is recorded
/// by its place here, and a module's bindings say which import each of them bound.
pub fn import_locals(imports: &[ImportBinding]) -> Vec<&Name> {
    let mut locals: Vec<&Name> = imports.iter().map(|import| &import.local).collect();
    locals.sort_unstable();
    locals.dedup();
    locals
}

/// A list of numbers per item, flattened: item `i`'s are `values[starts[i]..starts[i + 1]]`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PerItem {
    starts: Vec<u32>,
    values: Vec<u32>,
}

impl PerItem {
    fn from_lists(lists: impl IntoIterator<Item = impl IntoIterator<Item = u32>>) -> PerItem {
        let mut per_item = PerItem {
            starts: vec![0],
            values: Vec::new(),
        };
        for list in lists {
            per_item.values.extend(list);
            per_item.starts.push(per_item.values.len() as u32);
        }
        per_item
    }

    /// Item `item`'s numbers (none for an item out of range).
    pub fn of(&self, item: usize) -> &[u32] {
        match (self.starts.get(item), self.starts.get(item + 1)) {
            (Some(&start), Some(&end)) => &self.values[start as usize..end as usize],
            _ => &[],
        }
    }
}

impl ModuleFacts {
    fn new(
        items: Vec<ItemFacts>,
        symbols: &[TopLevelSymbol],
        imports: &[ImportBinding],
    ) -> ModuleFacts {
        let mut declared_by: Vec<(Name, Vec<u32>)> = Vec::new();
        for (index, facts) in items.iter().enumerate() {
            for name in &facts.declares {
                declared_by.push((name.clone(), vec![index as u32]));
            }
        }
        declared_by.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        // Merge the entries of a name declared by several items (`var x` twice).
        declared_by.dedup_by(|next, kept| {
            if next.0 == kept.0 {
                kept.1.append(&mut next.1);
                true
            } else {
                false
            }
        });
        let mut declared_symbols = vec![Vec::new(); items.len()];
        for (symbol, (_, declaring)) in declared_by.iter().enumerate() {
            for &item in declaring {
                declared_symbols[item as usize].push(symbol as u32);
            }
        }
        let side_effect_items = (0..items.len() as u32)
            .filter(|&item| items[item as usize].has_side_effects)
            .collect();
        let declares_constant = items.iter().any(|item| item.constant.is_some());
        let declares_long_constant = items.iter().any(|item| {
            item.constant
                .as_ref()
                .is_some_and(|literal| crate::link::is_long_literal(literal))
        });
        let declared_table = DeclaredTable::new(&declared_by);
        let mut facts = ModuleFacts {
            items,
            declared_table,
            declared_by,
            declared_symbols: PerItem::from_lists(declared_symbols),
            referenced_symbols: PerItem::default(),
            symbol_positions: Vec::new(),
            side_effect_items,
            declares_constant,
            declares_long_constant,
        };
        let position = |facts: &ModuleFacts, name: &str| {
            facts
                .declared_index(name)
                .map_or(NOT_DECLARED, |symbol| symbol as u32)
        };
        facts.symbol_positions = symbols
            .iter()
            .map(|symbol| position(&facts, &symbol.name))
            .collect();
        let import_locals = import_locals(imports);
        let referenced = |facts: &ModuleFacts, name: &Name| match facts.declared_index(name) {
            Some(symbol) => symbol as u32,
            None => import_locals
                .binary_search(&name)
                .map_or(NOT_DECLARED, |rank| IMPORT_MARK | rank as u32),
        };
        facts.referenced_symbols = PerItem::from_lists(
            facts
                .items
                .iter()
                .map(|item| item.references.iter().map(|name| referenced(&facts, name))),
        );
        facts
    }

    /// Where each of item `item`'s references leads, in the order of its `references`.
    pub fn references(&self, item: usize) -> impl Iterator<Item = Referenced> + '_ {
        self.referenced_symbols
            .of(item)
            .iter()
            .map(|&value| match value {
                NOT_DECLARED => Referenced::Nothing,
                value if value & IMPORT_MARK != 0 => {
                    Referenced::Import((value & !IMPORT_MARK) as usize)
                }
                value => Referenced::Declared(value as usize),
            })
    }

    /// The items that declare `name`.
    pub fn declaring(&self, name: &str) -> &[u32] {
        self.declared_index(name)
            .map_or(&[], |index| &self.declared_by[index].1)
    }

    /// Where `name` is in [`Self::declared_by`], if the module declares it.
    pub fn declared_index(&self, name: &str) -> Option<usize> {
        self.declared_table
            .find(name, |index| self.declared_by[index].0.as_str())
    }

    /// The literal importers read in place of `name`, if it is such a constant (see
    /// [`ItemFacts::constant`]).
    pub fn constant(&self, name: &str) -> Option<&Name> {
        match self.declaring(name) {
            [item] if !self.items[*item as usize].constant_hoisted => {
                self.items[*item as usize].constant.as_ref()
            }
            _ => None,
        }
    }

    /// The literal the module's own code may read in place of `name`, if it is a `var`
    /// constant (see [`ItemFacts::constant_hoisted`]).
    pub fn hoisted_constant(&self, name: &str) -> Option<&Name> {
        match self.declaring(name) {
            [item] if self.items[*item as usize].constant_hoisted => {
                self.items[*item as usize].constant.as_ref()
            }
            _ => None,
        }
    }

    /// The (key, binding) pairs of the object `name` is, if importers may read its members
    /// in place (see [`ItemFacts::static_object`]).
    pub fn static_object(&self, name: &str) -> Option<&[(Name, Name)]> {
        match self.declaring(name) {
            [item] => self.items[*item as usize].static_object.as_deref(),
            _ => None,
        }
    }

    /// Every binding [`Self::static_object`] gives properties for, with them, sorted by
    /// name.
    fn static_objects(&self) -> StaticObjects {
        self.declared_by
            .iter()
            .filter_map(|(name, _)| Some((name.clone(), self.static_object(name)?.to_vec())))
            .collect()
    }

    /// Every binding declared by an item that declares only a function that never reads
    /// `this`, sorted.
    fn ignoring_this(&self) -> Vec<Name> {
        self.declared_by
            .iter()
            .filter(|(_, items)| match items.as_slice() {
                [item] => self.items[*item as usize].ignores_this,
                _ => false,
            })
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Every binding [`Self::constant`] or [`Self::hoisted_constant`] gives a literal for,
    /// with it and whether it is hoisted, sorted by name.
    fn constants(&self) -> Vec<(Name, Name, bool)> {
        self.declared_by
            .iter()
            .filter_map(|(name, _)| match self.constant(name) {
                Some(literal) => Some((name.clone(), literal.clone(), false)),
                None => Some((name.clone(), self.hoisted_constant(name)?.clone(), true)),
            })
            .collect()
    }
}

pub fn module_facts(db: &dyn Db, file: SourceFile) -> &ModuleFacts {
    View::of(db, file).facts(db)
}

/// The module's read, syntax and scope errors.
#[salsa::tracked(returns(ref))]
pub fn module_diagnostics(db: &dyn Db, file: SourceFile) -> ModuleDiagnostics {
    parsed_module(db, file).diagnostics.clone()
}

/// What binding a module's imports needs: its specifiers, its import bindings and the
/// namespace members it reads. Equal after edits that change only exports or code, so
/// those do not re-bind the module.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModuleImports {
    /// CommonJS modules' requests are `require` calls: they run when called, not first.
    pub kind: ModuleKind,
    /// An ES module importing CommonJS the way node does (see [`ModuleRecord::node_mode`]).
    pub node_mode: bool,
    pub requests: Vec<Name>,
    pub dynamic_requests: Vec<Name>,
    pub imports: Vec<ImportBinding>,
    /// Sorted.
    pub namespace_members: Vec<(Name, Name)>,
    /// Those of `namespace_members` that are called members of imports that are not
    /// namespaces ([`ItemFacts::called_members`]), sorted.
    pub called_members: Vec<(Name, Name)>,
}

impl ModuleImports {
    fn new(record: &ModuleRecord, facts: &[ItemFacts]) -> ModuleImports {
        // The items' lists of members as one sorted list.
        let gather = |list: fn(&ItemFacts) -> &Vec<(Name, Name)>| {
            let mut members: Vec<(Name, Name)> = facts
                .iter()
                .flat_map(|facts| list(facts).iter().cloned())
                .collect();
            members.sort_unstable();
            members.dedup();
            members
        };
        let namespace_members = gather(|facts| &facts.namespace_members);
        let called_members = gather(|facts| &facts.called_members);
        ModuleImports {
            called_members,
            kind: record.kind,
            node_mode: record.node_mode,
            requests: record.requests.clone(),
            dynamic_requests: record.dynamic_requests.clone(),
            imports: record.imports.clone(),
            namespace_members,
        }
    }
}

/// Whether the module is an ES module or CommonJS, which picks the conditions its imports
/// resolve with (see `resolve::resolve_import`).
pub fn module_kind(db: &dyn Db, file: SourceFile) -> ModuleKind {
    View::of(db, file).kind(db)
}

pub fn module_imports(db: &dyn Db, file: SourceFile) -> &ModuleImports {
    View::of(db, file).imports(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(declares: &[&str], references: &[&str]) -> ItemFacts {
        ItemFacts {
            declares: declares.iter().map(|&name| Name::from(name)).collect(),
            references: references.iter().map(|&name| Name::from(name)).collect(),
            ..ItemFacts::default()
        }
    }

    #[test]
    fn facts_keep_the_positions_of_declared_and_referenced_bindings() {
        // `var x` declared twice, an import `imported`, and a record symbol no item declares.
        let items = vec![
            item(&["x"], &[]),
            item(&["b", "a"], &["imported", "x"]),
            item(&["x"], &["a", "b"]),
        ];
        let symbol = |name: &str| TopLevelSymbol {
            name: Name::from(name),
            kind: SymbolKind::Var,
            reassigned: false,
        };
        let symbols = [symbol("x"), symbol("undeclared"), symbol("a"), symbol("b")];
        let import = |local: &str| ImportBinding {
            local: Name::from(local),
            request: 0,
            imported: ImportedName::Named(Name::from(local)),
        };
        let imports = [import("later"), import("imported"), import("unreferenced")];
        let facts = ModuleFacts::new(items, &symbols, &imports);
        let position = |name: &str| facts.declared_index(name).unwrap() as u32;
        assert_eq!(facts.declared_symbols.of(0), [position("x")]);
        let mut declared = facts.declared_symbols.of(1).to_vec();
        declared.sort_unstable();
        assert_eq!(declared, [position("a"), position("b")]);
        assert_eq!(facts.declared_symbols.of(2), [position("x")]);
        assert_eq!(facts.declaring("x"), [0, 2]);
        let references = |item: usize| facts.references(item).collect::<Vec<_>>();
        let declared = |name: &str| Referenced::Declared(position(name) as usize);
        // `imported` is the first of the sorted import locals.
        assert_eq!(references(1), [Referenced::Import(0), declared("x")]);
        assert_eq!(references(2), [declared("a"), declared("b")]);
        assert!(references(0).is_empty());
        assert!(references(3).is_empty());
        assert_eq!(
            import_locals(&imports),
            [
                &Name::from("imported"),
                &Name::from("later"),
                &Name::from("unreferenced")
            ]
        );
        assert_eq!(
            facts.symbol_positions,
            [position("x"), NOT_DECLARED, position("a"), position("b")]
        );
    }

    /// The hashed lookup finds each declared name at its place in the sorted list, and
    /// no other name, whatever the table's size and however names collide in it.
    #[test]
    fn declared_names_are_found_where_the_sorted_list_has_them() {
        for count in [0, 1, 2, 3, 7, 8, 9, 100, 1000] {
            let names: Vec<String> = (0..count).map(|index| format!("name{index}")).collect();
            let items = names
                .iter()
                .map(|name| item(&[name.as_str()], &[]))
                .collect();
            let facts = ModuleFacts::new(items, &[], &[]);
            for (position, (name, _)) in facts.declared_by.iter().enumerate() {
                assert_eq!(
                    facts.declared_index(name),
                    Some(position),
                    "{name} of {count}"
                );
            }
            for absent in ["", "name", "undeclared", "name1000", "Name0"] {
                assert_eq!(facts.declared_index(absent), None, "{absent} in {count}");
            }
        }
    }
}
