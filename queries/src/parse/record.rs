//! The results of parsing one module: a small, position-free module record that link reads,
//! and per item (top-level statement) its object code and facts.
//!
//! Nothing here holds an AST. Names, not offsets or indices into other tables, tie the pieces
//! together, so an edit that moves code around leaves these values equal and salsa's early
//! cutoff stops the wave.

use oxc::str::CompactStr;
use serde::{Deserialize, Serialize};

use crate::diagnostics::TextRange;

/// An identifier or export name.
pub type Name = CompactStr;

/// The synthetic local name of `export default <expression>` (and of an anonymous default
/// function or class). It cannot clash with a real binding: it is not an identifier.
pub const DEFAULT_LOCAL: &str = "*default*";

/// What an import binding or a re-export takes from the other module.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ImportedName {
    /// `import { name }` (and `import name` as `Named("default")`).
    Named(Name),
    /// `import * as ns`.
    Namespace,
}

/// `import { imported as local } from requests[request]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ImportBinding {
    pub local: Name,
    pub request: u32,
    pub imported: ImportedName,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExportTarget {
    /// A binding of this module: a declaration, or an import binding re-exported by name.
    Local(Name),
    /// `export { imported as exported } from requests[request]`, or
    /// `export * as exported from requests[request]` with `ImportedName::Namespace`.
    ReExport {
        request: u32,
        imported: ImportedName,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ExportEntry {
    pub exported: Name,
    pub target: ExportTarget,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SymbolKind {
    Var,
    Let,
    Const,
    Function,
    Class,
    /// The value of `export default <expression>`.
    DefaultExpression,
}

/// What tree shaking reads of a module's record: not its imports and exports, which it
/// reads bound (`module_bindings`, `module_exports`), so that an import added or removed that
/// leaves the bindings, the order and what is live alone does not run tree shaking again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ModuleShape {
    pub kind: ModuleKind,
    pub has_direct_eval: bool,
    /// It has `import()`s of string specifiers.
    pub has_dynamic_requests: bool,
    /// The names of its top-level symbols, in the record's order.
    pub symbols: Vec<Name>,
    /// Each specifier its items `require`, with its position among the requests (where its
    /// dependency is), sorted by specifier.
    pub requires: Vec<(Name, u32)>,
    /// Each specifier its items `import()`, with its position among the dynamic requests,
    /// sorted by specifier.
    pub dynamic_imports: Vec<(Name, u32)>,
}

impl ModuleShape {
    pub fn new(record: &ModuleRecord, facts: &[ItemFacts]) -> ModuleShape {
        ModuleShape {
            kind: record.kind,
            has_direct_eval: record.has_direct_eval,
            has_dynamic_requests: !record.dynamic_requests.is_empty(),
            symbols: record
                .symbols
                .iter()
                .map(|symbol| symbol.name.clone())
                .collect(),
            requires: positions(facts.iter().flat_map(|item| &item.requires), |specifier| {
                record.request(specifier)
            }),
            dynamic_imports: positions(
                facts.iter().flat_map(|item| &item.dynamic_imports),
                |specifier| record.dynamic_request(specifier),
            ),
        }
    }

    /// The position among the requests of `specifier`, which an item `require`s.
    pub fn request(&self, specifier: &str) -> Option<usize> {
        Self::position(&self.requires, specifier)
    }

    /// The position among the dynamic requests of `specifier`, which an item `import()`s.
    pub fn dynamic_request(&self, specifier: &str) -> Option<usize> {
        Self::position(&self.dynamic_imports, specifier)
    }

    fn position(positions: &[(Name, u32)], specifier: &str) -> Option<usize> {
        positions
            .binary_search_by(|(name, _)| name.as_str().cmp(specifier))
            .ok()
            .map(|found| positions[found].1 as usize)
    }
}

/// Each of `specifiers` with its `position`, sorted by specifier, once each.
fn positions<'n>(
    specifiers: impl Iterator<Item = &'n Name>,
    position: impl Fn(&str) -> Option<usize>,
) -> Vec<(Name, u32)> {
    let mut found: Vec<(Name, u32)> = specifiers
        .filter_map(|specifier| Some((specifier.clone(), position(specifier)? as u32)))
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// A binding declared at the top level of the module (import bindings are in `imports`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TopLevelSymbol {
    pub name: Name,
    pub kind: SymbolKind,
    /// Assigned somewhere after its declaration.
    pub reassigned: bool,
}

/// How a module is linked: as an ES module (its bindings hoisted into the bundle's scope), or
/// as CommonJS (its code wrapped in a function run on first `require`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ModuleKind {
    #[default]
    EsModule,
    CommonJs,
}

/// The exports of a CommonJS module that can be known without running it: what node's
/// cjs-module-lexer detects (`exports.x =`, `module.exports = { x }`,
/// `Object.defineProperty(exports, "x", ...)`, and re-exports of required modules).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CommonJsExports {
    /// Names assigned or defined, sorted (without `default`).
    pub names: Vec<Name>,
    /// Requests (indices into `requests`) whose exports it re-exports.
    pub reexports: Vec<u32>,
    /// `module.exports` is assigned something whose names cannot be known.
    pub opaque: bool,
}

/// The names of a module that only naming reads: they change with most edits inside function
/// bodies (a new local, a new global read), so they are not part of [`ModuleRecord`], whose
/// readers are the whole-bundle passes.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ScopeNames {
    /// Names bound in any nested scope (sorted). A top-level binding this module refers to
    /// must not be renamed to one of these, or the nested binding would capture the
    /// reference.
    pub nested: Vec<Name>,
    /// Names this module reads as globals (sorted); no top-level binding of the bundle may
    /// take them.
    pub globals: Vec<Name>,
}

/// Everything link needs to know about a module. Position-free: an edit that only moves
/// code leaves it equal.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ModuleRecord {
    pub kind: ModuleKind,
    /// An ES module node reads as one (`.mjs`, `.mts`, a `"type": "module"` package): when it
    /// imports CommonJS, `default` is `module.exports` even if `__esModule` is set.
    pub node_mode: bool,
    /// A CommonJS module's exports, as far as they can be known.
    pub commonjs_exports: CommonJsExports,
    /// Specifiers of static `import`/`export ... from` statements, deduplicated, in the order
    /// they first appear: this is the order the dependencies execute in.
    pub requests: Vec<Name>,
    /// Specifiers of `import('...')` with a string argument, in order of appearance.
    pub dynamic_requests: Vec<Name>,
    pub imports: Vec<ImportBinding>,
    pub exports: Vec<ExportEntry>,
    /// `export * from requests[i]`.
    pub star_exports: Vec<u32>,
    pub symbols: Vec<TopLevelSymbol>,
    pub has_top_level_await: bool,
    /// A direct `eval(...)` can see (and assign) the module's top-level bindings by name:
    /// link keeps them all, under their own names.
    pub has_direct_eval: bool,
    /// `export default function () {}`: bundled under a made-up name, its `.name` must be
    /// set back to `default` before any code can read it.
    pub anonymous_default_function: bool,
    /// `#!...` on the first line, without the `#!`.
    pub hashbang: Option<String>,
    /// Names a TypeScript module exports as types only (interfaces, type aliases,
    /// `declare`d bindings, namespaces without values), sorted: lowering removed them, and
    /// link drops imports and re-exports of them instead of reporting them missing.
    pub type_exports: Vec<Name>,
    /// A fault a test asked for (debug builds only, see `fault.rs`).
    pub injected_fault: Option<crate::fault::Phase>,
    /// Indices into `exports`, `imports` and `symbols` sorted by name, so that looking a
    /// name up is a binary search: a module of 100,000 exports is looked up 100,000 times.
    /// Filled by [`ModuleRecord::index_names`].
    exports_by_name: Vec<u32>,
    imports_by_local: Vec<u32>,
    symbols_by_name: Vec<u32>,
    dynamic_requests_by_name: Vec<u32>,
    requests_by_name: Vec<u32>,
}

impl ModuleRecord {
    /// Builds the by-name indices (once the record is complete).
    pub fn index_names(&mut self) {
        fn sorted<T>(items: &[T], key: impl Fn(&T) -> &Name) -> Vec<u32> {
            let mut order: Vec<u32> = (0..items.len() as u32).collect();
            // Stable: among equal names (redeclared `var`s), source order.
            order.sort_by(|&a, &b| key(&items[a as usize]).cmp(key(&items[b as usize])));
            order
        }
        self.exports_by_name = sorted(&self.exports, |entry| &entry.exported);
        self.imports_by_local = sorted(&self.imports, |import| &import.local);
        self.symbols_by_name = sorted(&self.symbols, |symbol| &symbol.name);
        self.dynamic_requests_by_name = sorted(&self.dynamic_requests, |specifier| specifier);
        self.requests_by_name = sorted(&self.requests, |specifier| specifier);
    }

    fn find<'r, T>(
        items: &'r [T],
        order: &[u32],
        key: impl Fn(&T) -> &Name,
        name: &str,
    ) -> Option<&'r T> {
        let position = order.partition_point(|&index| key(&items[index as usize]).as_str() < name);
        order
            .get(position)
            .map(|&index| &items[index as usize])
            .filter(|item| key(item) == name)
    }

    /// Whether the module exports `name` as a type only.
    pub fn is_type_export(&self, name: &str) -> bool {
        self.type_exports
            .binary_search_by(|exported| exported.as_str().cmp(name))
            .is_ok()
    }

    /// The export named `exported`.
    pub fn export(&self, exported: &str) -> Option<&ExportEntry> {
        Self::find(
            &self.exports,
            &self.exports_by_name,
            |entry| &entry.exported,
            exported,
        )
    }

    pub fn import(&self, local: &str) -> Option<&ImportBinding> {
        Self::find(
            &self.imports,
            &self.imports_by_local,
            |import| &import.local,
            local,
        )
    }

    pub fn symbol(&self, name: &str) -> Option<&TopLevelSymbol> {
        Self::find(
            &self.symbols,
            &self.symbols_by_name,
            |symbol| &symbol.name,
            name,
        )
    }

    /// The position of `specifier` among the dynamic requests.
    pub fn dynamic_request(&self, specifier: &str) -> Option<usize> {
        Self::position(
            &self.dynamic_requests,
            &self.dynamic_requests_by_name,
            specifier,
        )
    }

    /// The position of `specifier` among the requests (a CommonJS module's `require`s).
    pub fn request(&self, specifier: &str) -> Option<usize> {
        Self::position(&self.requests, &self.requests_by_name, specifier)
    }

    fn position(specifiers: &[Name], order: &[u32], specifier: &str) -> Option<usize> {
        let position =
            order.partition_point(|&index| specifiers[index as usize].as_str() < specifier);
        order
            .get(position)
            .map(|&index| index as usize)
            .filter(|&index| specifiers[index] == specifier)
    }
}

/// Source ranges of the record's entries, index for index, kept apart from the record so
/// that link does not depend on positions. Diagnostics and the LSP read them.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ModuleSpans {
    pub requests: Vec<TextRange>,
    pub dynamic_requests: Vec<TextRange>,
    pub imports: Vec<TextRange>,
    pub exports: Vec<TextRange>,
    /// The first read of each `namespace.member` in the module.
    pub namespace_members: Vec<((Name, Name), TextRange)>,
    /// The first `await` outside any function.
    pub top_level_await: Option<TextRange>,
    /// The first direct `eval(...)`.
    pub direct_eval: Option<TextRange>,
    /// `require(...)` calls with an argument that is not a string literal.
    pub require_expressions: Vec<TextRange>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ItemKind {
    Function,
    Class,
    Variable,
    DefaultExport,
    Statement,
}

/// What an item's object code leaves open for the linker to fill in.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RelocTarget {
    /// A top-level binding or import binding of this module, by local name.
    Symbol(Name),
    /// `namespace.member` read through an `import * as namespace`.
    NamespaceMember { namespace: Name, member: Name },
    /// `import('specifier')`.
    DynamicImport(Name),
    /// `require('specifier')` in a CommonJS module (the whole call).
    Require(Name),
    /// `import.meta`.
    ImportMeta,
    /// The name of a top-level class declaration (the binding it declares).
    ClassDeclaration(Name),
    /// The (absent) own name of an anonymous class initializing the top-level binding.
    ClassName(Name),
    /// A reference to a top-level class from inside its own body.
    ClassSelfReference(Name),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reloc {
    /// Byte offset into `ObjectCode::text` where the linked text goes.
    pub offset: u32,
    pub target: RelocTarget,
}

/// One item printed by oxc's codegen, with holes where linked names go.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct ObjectCode {
    pub text: String,
    /// Sorted by offset.
    pub relocs: Vec<Reloc>,
    /// Where the text came from, when source maps are on (empty otherwise): sorted by
    /// offset. A relocation's mapping sits at its offset and names the binding's original
    /// name, so it still holds after render puts the final name there.
    #[serde(with = "compact_mappings")]
    pub mappings: Vec<Mapping>,
    /// The original names the mappings refer to.
    pub names: Vec<Name>,
}

/// One source-map segment of an item: `offset` (bytes into `ObjectCode::text`) comes from
/// `line` and `column` of `source` (zero-based; the column in UTF-16 code units, as source
/// maps count).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mapping {
    pub offset: u32,
    /// Which of the module's map sources (`module_map_sources`) the position is in: the
    /// module itself, or one its input source map names.
    pub source: u32,
    pub line: u32,
    pub column: u32,
    /// An index into `ObjectCode::names`, or [`Mapping::NO_NAME`].
    pub name: u32,
    /// At a relocation's offset: whether the segment is for what follows the name written
    /// there (the `)` in `f(x)`), not for the name.
    pub after_relocation: bool,
}

impl Mapping {
    pub const NO_NAME: u32 = u32::MAX;
}

/// Mappings as the on-disk cache stores them: each relative to the one before (as a source
/// map's `mappings` are), with no name as 0, so that most fields are one byte in postcard's
/// variable-length integers. Half the size of the fields as they are (three.js x10,
/// minified: 13.2 MB of 26.8 MB).
mod compact_mappings {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Mapping;

    /// What the first mapping is relative to.
    const START: Mapping = Mapping {
        offset: 0,
        source: 0,
        line: 0,
        column: 0,
        name: Mapping::NO_NAME,
        after_relocation: false,
    };

    /// (offset, line, column) relative to the previous mapping's (the column absolute on a
    /// new line), the source, the name plus one (0: none), after a relocation.
    type Compact = (u32, i64, i64, u32, u32, bool);

    pub fn serialize<S: Serializer>(
        mappings: &[Mapping],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut previous = START;
        serializer.collect_seq(mappings.iter().map(|mapping| {
            let line = i64::from(mapping.line) - i64::from(previous.line);
            let column = if line == 0 {
                i64::from(mapping.column) - i64::from(previous.column)
            } else {
                i64::from(mapping.column)
            };
            let compact: Compact = (
                mapping.offset.wrapping_sub(previous.offset),
                line,
                column,
                mapping.source,
                mapping.name.wrapping_add(1),
                mapping.after_relocation,
            );
            previous = *mapping;
            compact
        }))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Mapping>, D::Error> {
        let compact = Vec::<Compact>::deserialize(deserializer)?;
        let mut previous = START;
        Ok(compact
            .into_iter()
            .map(|(offset, line, column, source, name, after_relocation)| {
                let line_number = (i64::from(previous.line) + line) as u32;
                let column = if line == 0 {
                    (i64::from(previous.column) + column) as u32
                } else {
                    column as u32
                };
                previous = Mapping {
                    offset: previous.offset.wrapping_add(offset),
                    source,
                    line: line_number,
                    column,
                    name: name.wrapping_sub(1),
                    after_relocation,
                };
                previous
            })
            .collect())
    }

    #[cfg(test)]
    mod tests {
        use serde::Serialize;

        use super::*;

        #[test]
        fn mappings_come_back_as_they_were() {
            let mappings = vec![
                Mapping {
                    offset: 0,
                    source: 0,
                    line: 3,
                    column: 10,
                    name: Mapping::NO_NAME,
                    after_relocation: false,
                },
                Mapping {
                    offset: 5,
                    source: 0,
                    line: 3,
                    column: 4,
                    name: 0,
                    after_relocation: true,
                },
                Mapping {
                    offset: 9,
                    source: 1,
                    line: 1,
                    column: 7,
                    name: 2,
                    after_relocation: false,
                },
                Mapping {
                    offset: 40,
                    source: 1,
                    line: 900,
                    column: 0,
                    name: Mapping::NO_NAME,
                    after_relocation: false,
                },
            ];
            #[derive(Serialize, Deserialize)]
            struct Wrapper(#[serde(with = "super")] Vec<Mapping>);
            let bytes = postcard::to_allocvec(&Wrapper(mappings.clone())).unwrap();
            let Wrapper(back) = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(back, mappings);
        }
    }
}

/// How many references of one item to one binding [`ItemFacts::repeated_references`] counts.
pub const COUNTED_REFERENCES: u8 = 4;

/// How often an item must refer to a binding for naming to count it more than once (see
/// [`ItemFacts::frequent_references`]).
pub const FREQUENT_REFERENCES: u32 = 32;

/// What link needs to know about one item.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct ItemFacts {
    /// Top-level bindings this item declares.
    pub declares: Vec<Name>,
    /// Top-level and import bindings it refers to (read or written), sorted.
    pub references: Vec<Name>,
    /// Of those, the ones it refers to more than once, sorted, with how many times, up to
    /// [`COUNTED_REFERENCES`] (which stands for that many or more: link weighs a constant's
    /// reads up to there, and typing one more reference in a body seldom changes this).
    pub repeated_references: Vec<(Name, u8)>,
    /// With `--minify-identifiers`, of those, the ones it refers to at least
    /// [`FREQUENT_REFERENCES`] times, with how often as a power of two (the floor of its
    /// logarithm), sorted: naming counts such an item as that many (see
    /// `link::final_names`). Rounded so that typing in a body seldom changes it.
    pub frequent_references: Vec<(Name, u8)>,
    /// Namespace members read statically (`ns.member`), sorted.
    pub namespace_members: Vec<(Name, Name)>,
    /// Of those, the ones it reads more than once, sorted.
    pub repeated_namespace_members: Vec<(Name, Name)>,
    /// Of those, the members of imports that are not namespaces which it calls
    /// (`object.method()`, which passes the object as `this`), sorted.
    pub called_members: Vec<(Name, Name)>,
    /// Specifiers of the `import()` calls in it.
    pub dynamic_imports: Vec<Name>,
    /// Specifiers of the `require()` calls in it (CommonJS modules).
    pub requires: Vec<Name>,
    /// Whether evaluating it may have an effect beyond defining its bindings.
    pub has_side_effects: bool,
    /// Top-level bindings of classes it declares, and of anonymous classes it assigns to
    /// a declared binding: render keeps their `.name` if link renames them.
    pub class_names: Vec<Name>,
    /// With `--minify-syntax`: it declares one constant (or exports one as its default),
    /// this literal, which the modules importing it read in its place, if it is short or
    /// read once (see `parse::constants`).
    pub constant: Option<Name>,
    /// The constant is a `var`, which no code of its module runs before: only its own
    /// module reads it in place, and only when no cycle of imports can call the module's
    /// functions before it has run (see `parse::constants`).
    pub constant_hoisted: bool,
    /// With `--minify-syntax`: it declares one object whose properties hold top-level
    /// bindings of the module, these (key, binding) pairs sorted by key, which the modules
    /// importing it may read in place of its members (see `parse::static_objects`).
    pub static_object: Option<Vec<(Name, Name)>>,
    /// With `--minify-syntax`: it declares one function that never reads `this` (an arrow,
    /// or a function whose own body does not), which does the same called as an object's
    /// member or alone (see `parse::static_objects`).
    pub ignores_this: bool,
    /// With `--minify-syntax`: it declares one binding, never assigned, whose value link may
    /// write where the binding's one read is (see `parse::single_use`).
    pub movable: Movable,
    /// With `--minify-syntax`: the top-level bindings it reads where it evaluates once and
    /// any expression may stand (a property's value, an argument, ...), sorted, each with
    /// whether code may run before it in the item and the read's place in the item's order
    /// of evaluation (see `parse::single_use`).
    pub slot_reads: Vec<(Name, bool, u32)>,
    /// With `--minify-syntax`: the top-level bindings it calls (`f(...)`), sorted, each with
    /// whether the call is in a nested scope (a function, a class, a block), whose bindings
    /// could capture what a function written there refers to (see `parse::single_use`).
    pub call_reads: Vec<(Name, bool)>,
    /// With `--minify-syntax`, for a movable function declaration: how it is written as an
    /// arrow function where it is moved to a call, when it may be (see `parse::single_use`).
    pub arrow: Option<ArrowBody>,
    /// With `--minify-syntax`: evaluating it runs no code and reads nothing (declarations
    /// of literals and functions, imports, export lists): a value moved past it cannot
    /// tell (see `parse::single_use`).
    pub runs_no_code: bool,
}

/// The body of a function declaration written as an arrow function at its one call (see
/// `parse::single_use`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ArrowBody {
    /// Its body as it is: `(e)=>{...}`.
    Block,
    /// The expression its body returns, alone: `(e)=>x`, in parentheses when it is a
    /// sequence (`(e)=>(a,b)`).
    Expression { sequence: bool },
}

/// Whether a declaration's value may be written where its binding's one read is (see
/// `parse::single_use`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Movable {
    #[default]
    No,
    /// It only makes something new (a function, an object of literals): made later, it is
    /// the same value, and nothing can tell when it was made.
    Value,
    /// It runs code (a call, a read): it may move only past code that runs none.
    Expression,
    /// A function declaration: its value exists before any code of the bundle runs, so it
    /// may move to a read anywhere, and to a call even in a function that runs it many
    /// times (each call then makes the function it calls, and nothing can tell).
    Function,
}
