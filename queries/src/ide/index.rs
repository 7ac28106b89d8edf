//! The editor's view of one module: where each top-level binding is declared and every place
//! a name that link can resolve occurs. The build path keeps no positions beyond what its
//! diagnostics need; this query parses the module again, keeps positions, and is held in a
//! small LRU so the editor path never holds more than a few modules' worth of them.

use oxc::{
    allocator::Allocator,
    ast::{
        AstKind,
        ast::{
            ExportDefaultDeclarationKind, ImportDeclarationSpecifier, ModuleExportName, Statement,
        },
    },
    parser::Parser,
    semantic::{Scoping, SemanticBuilder},
    span::{GetSpan, Span},
};

use crate::{
    Db,
    diagnostics::TextRange,
    files::{SourceFile, SourceText, source_text},
    parse::{DEFAULT_LOCAL, Name},
    settings::module_settings,
};

/// What kind of top-level binding a symbol is, as an editor shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    Function,
    Class,
    Variable,
    Constant,
    /// The value of `export default <expression>`.
    DefaultExport,
    Import,
}

/// A top-level binding of the module, or one of its import bindings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedSymbol {
    /// The local name (`*default*` for `export default <expression>`).
    pub name: Name,
    pub kind: SymbolKind,
    /// The binding identifier (for `export default <expression>`, the `default` keyword).
    pub declaration: TextRange,
    /// The whole top-level statement that declares it.
    pub statement: TextRange,
}

/// What an occurrence of a name refers to, before link resolves it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OccurrenceTarget {
    /// A top-level binding or import binding of this module, by local name: its
    /// declaration or a reference to it.
    Local { name: Name, is_declaration: bool },
    /// `name` in `import { name as local } from "specifier"` or
    /// `export { name as exported } from "specifier"`: an export of another module.
    Imported { specifier: Name, name: Name },
    /// `member` in `namespace.member`, where `namespace` is an `import * as`.
    Member { namespace: Name, member: Name },
    /// The exported name in `export { local as exported }`: an export of this module.
    Export { exported: Name },
    /// A module specifier: `"./x.js"` in `import ... from "./x.js"` or `import("./x.js")`.
    Specifier(Name),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Occurrence {
    pub range: TextRange,
    pub target: OccurrenceTarget,
    /// A reference evaluated while the module itself is evaluated (not inside a function):
    /// reading an import there before its module ran is a TDZ error.
    pub is_eager: bool,
}

/// The editor's index of one module. Empty when the module does not parse.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModuleIndex {
    /// In declaration order.
    pub symbols: Vec<IndexedSymbol>,
    /// Indices into `symbols`, sorted by name (a binary search per lookup).
    symbols_by_name: Vec<u32>,
    /// Sorted by start offset.
    pub occurrences: Vec<Occurrence>,
}

impl ModuleIndex {
    pub fn symbol(&self, name: &str) -> Option<&IndexedSymbol> {
        let position = self
            .symbols_by_name
            .partition_point(|&index| self.symbols[index as usize].name.as_str() < name);
        self.symbols_by_name
            .get(position)
            .map(|&index| &self.symbols[index as usize])
            .filter(|symbol| symbol.name == name)
    }

    /// The occurrence whose range contains `offset` (or ends at it: a cursor just after a
    /// name is on it).
    pub fn occurrence_at(&self, offset: u32) -> Option<&Occurrence> {
        let after = self
            .occurrences
            .partition_point(|occurrence| occurrence.range.start <= offset);
        self.occurrences[..after]
            .iter()
            .rev()
            .take(4)
            .find(|occurrence| occurrence.range.end >= offset)
    }
}

/// The editor's index of `file`. Held in a small LRU: the editor works on a few modules at a
/// time, and a find-references over the project must not keep every module's index.
#[salsa::tracked(returns(ref), lru = 256)]
pub fn module_index(db: &dyn Db, file: SourceFile) -> ModuleIndex {
    let SourceText::Text(text) = source_text(db, file) else {
        return ModuleIndex::default();
    };
    let allocator = Allocator::default();
    let mut source_type = module_settings(db, file).loader.source_type();
    // A CommonJS module is a script (sloppy code parses as the build parsed it).
    if crate::parse::module_record(db, file).kind == crate::parse::ModuleKind::CommonJs {
        source_type = source_type.with_unambiguous(true);
    }
    let parsed = Parser::new(&allocator, text, source_type).parse();
    if parsed.panicked {
        return ModuleIndex::default();
    }
    let program = parsed.program;
    let semantic = SemanticBuilder::new()
        .with_build_nodes(true)
        .build(&program)
        .semantic;
    let scoping = semantic.scoping();
    let nodes = semantic.nodes();
    let mut index = ModuleIndex::default();
    let mut add = |range: Span, target: OccurrenceTarget, is_eager: bool| {
        index.occurrences.push(Occurrence {
            range: range.into(),
            target,
            is_eager,
        });
    };

    // Module syntax: specifiers, imported and exported names.
    let mut symbols = Vec::new();
    for statement in &program.body {
        match statement {
            Statement::ImportDeclaration(import) => {
                let specifier = Name::from(import.source.value.as_str());
                add(
                    import.source.span,
                    OccurrenceTarget::Specifier(specifier.clone()),
                    false,
                );
                for binding in import.specifiers.iter().flatten() {
                    let local = binding.local();
                    if let ImportDeclarationSpecifier::ImportSpecifier(named) = binding {
                        add(
                            named.imported.span(),
                            OccurrenceTarget::Imported {
                                specifier: specifier.clone(),
                                name: export_name(&named.imported),
                            },
                            false,
                        );
                    }
                    symbols.push(IndexedSymbol {
                        name: Name::from(local.name.as_str()),
                        kind: SymbolKind::Import,
                        declaration: local.span.into(),
                        statement: import.span.into(),
                    });
                }
            }
            Statement::ExportNamedDeclaration(export) => {
                for specifier in &export.specifiers {
                    add(
                        specifier.exported.span(),
                        OccurrenceTarget::Export {
                            exported: export_name(&specifier.exported),
                        },
                        false,
                    );
                }
            }
            Statement::ExportFromDeclaration(export) => {
                let from = Name::from(export.source.value.as_str());
                add(
                    export.source.span,
                    OccurrenceTarget::Specifier(from.clone()),
                    false,
                );
                for specifier in &export.specifiers {
                    add(
                        specifier.local.span(),
                        OccurrenceTarget::Imported {
                            specifier: from.clone(),
                            name: export_name(&specifier.local),
                        },
                        false,
                    );
                    add(
                        specifier.exported.span(),
                        OccurrenceTarget::Export {
                            exported: export_name(&specifier.exported),
                        },
                        false,
                    );
                }
            }
            Statement::ExportAllDeclaration(export) => add(
                export.source.span,
                OccurrenceTarget::Specifier(Name::from(export.source.value.as_str())),
                false,
            ),
            Statement::ExportDefaultDeclaration(export)
                if export.declaration.is_expression()
                    || matches!(
                        &export.declaration,
                        ExportDefaultDeclarationKind::FunctionDeclaration(f) if f.id.is_none()
                    )
                    || matches!(
                        &export.declaration,
                        ExportDefaultDeclarationKind::ClassDeclaration(c) if c.id.is_none()
                    ) =>
            {
                let keyword = Span::new(
                    export.span.start,
                    export.span.start + "export default".len() as u32,
                );
                symbols.push(IndexedSymbol {
                    name: Name::from(DEFAULT_LOCAL),
                    kind: SymbolKind::DefaultExport,
                    declaration: keyword.into(),
                    statement: export.span.into(),
                });
            }
            _ => {}
        }
    }

    // Top-level declarations and every reference to a top-level or import binding.
    let statement_spans: Vec<Span> = program.body.iter().map(GetSpan::span).collect();
    let root = scoping.root_scope_id();
    let mut root_symbols: Vec<_> = scoping.get_bindings(root).values().copied().collect();
    root_symbols.sort_unstable();
    for symbol_id in root_symbols {
        let flags = scoping.symbol_flags(symbol_id);
        if flags.is_type() && !flags.is_value() {
            continue;
        }
        let name = Name::from(scoping.symbol_name(symbol_id));
        let declaration: TextRange = scoping.symbol_span(symbol_id).into();
        if !flags.is_import() {
            let kind = if flags.is_function() {
                SymbolKind::Function
            } else if flags.is_class() {
                SymbolKind::Class
            } else if flags.is_const_variable() {
                SymbolKind::Constant
            } else {
                SymbolKind::Variable
            };
            // The top-level statement around the declaration (statements are in order).
            let after = statement_spans.partition_point(|span| span.start <= declaration.start);
            let statement = after
                .checked_sub(1)
                .map(|index| statement_spans[index])
                .filter(|span| declaration.end <= span.end)
                .map_or(declaration, Into::into);
            symbols.push(IndexedSymbol {
                name: name.clone(),
                kind,
                declaration,
                statement,
            });
        }
        add(
            Span::new(declaration.start, declaration.end),
            OccurrenceTarget::Local {
                name: name.clone(),
                is_declaration: true,
            },
            false,
        );
        for &reference_id in scoping.get_resolved_reference_ids(symbol_id) {
            let node_id = scoping.get_reference(reference_id).node_id();
            let node = nodes.get_node(node_id);
            let range = node.kind().span();
            let is_eager = !in_function(scoping, node.scope_id());
            add(
                range,
                OccurrenceTarget::Local {
                    name: name.clone(),
                    is_declaration: false,
                },
                is_eager,
            );
            // `namespace.member` through an `import * as namespace`.
            if flags.is_import()
                && let AstKind::StaticMemberExpression(member) = nodes.parent_kind(node_id)
                && member.object.span() == range
            {
                add(
                    member.property.span,
                    OccurrenceTarget::Member {
                        namespace: name.clone(),
                        member: Name::from(member.property.name.as_str()),
                    },
                    is_eager,
                );
            }
        }
    }
    symbols.sort_by_key(|symbol| symbol.declaration.start);
    let mut by_name: Vec<u32> = (0..symbols.len() as u32).collect();
    // Stable: a name declared twice (`var`) finds its first declaration.
    by_name.sort_by(|&a, &b| symbols[a as usize].name.cmp(&symbols[b as usize].name));
    index.symbols_by_name = by_name;
    index.symbols = symbols;
    index.occurrences.sort_by_key(|occurrence| {
        (
            occurrence.range.start,
            occurrence.range.end,
            // A shorthand `import { x }` or `export { x }` is two occurrences with one
            // range; the local binding comes first.
            !matches!(occurrence.target, OccurrenceTarget::Local { .. }),
        )
    });
    index.occurrences.dedup();
    index
}

fn export_name(name: &ModuleExportName<'_>) -> Name {
    Name::from(name.name().as_str())
}

/// Whether code in `scope` runs later than the module body: inside a function, arrow or
/// method (a class static block or field initializer of a top-level class runs at once).
fn in_function(scoping: &Scoping, scope: oxc::syntax::scope::ScopeId) -> bool {
    scoping
        .scope_ancestors(scope)
        .any(|ancestor| scoping.scope_flags(ancestor).is_function())
}
