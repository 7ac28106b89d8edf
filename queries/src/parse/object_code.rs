//! Object code: every item printed by oxc's codegen with holes (relocations) wherever the
//! linker must put a final name.
//!
//! Each top-level and import binding is renamed in the scoping tables to a marker identifier
//! before printing, so the printer itself handles every syntactic position (shorthand
//! properties, destructuring, exports of classes...). The steps, one room each:
//!
//! 1. [`relocations`]: choose a marker prefix no printable text of the module can spell, and
//!    afterwards take the markers back out as `Reloc { offset, target }` lists.
//! 2. [`exports`]: take `export` syntax off each item.
//! 3. [`rewriter`]: replace the expressions link fills in (namespace member reads,
//!    `import('...')`, `import.meta`, top-level `this`) with markers, and record what each
//!    item uses, with [`checks`] for what the parser does not report.
//! 4. Print the whole module once, with a separator statement before each item, and cut the
//!    text at the separators.

mod checks;
mod exports;
mod mappings;
pub mod relocations;
mod rewriter;

use oxc::{
    allocator::{Allocator, Vec as ArenaVec},
    ast::{
        ast::{Expression, Program, Statement},
        builder::AstBuilder,
    },
    ast_visit::VisitMut,
    codegen::{Codegen, CodegenOptions, CommentOptions, LegalComment},
    semantic::Scoping,
    span::SPAN,
    syntax::symbol::SymbolId,
};
use rustc_hash::{FxHashMap, FxHashSet};

use super::{
    input_map::InputMap,
    record::{ModuleKind, Name, ObjectCode, RelocTarget},
};
use relocations::{MalformedMarker, MarkerPrefix, Markers, split_at_separators};
pub use rewriter::{ItemUses, ModuleFindings};

pub struct PrintedItem {
    pub code: ObjectCode,
    pub uses: ItemUses,
}

pub struct PrintedModule {
    pub items: Vec<PrintedItem>,
    pub findings: ModuleFindings,
}

/// What printing needs to know about the module besides its program.
#[derive(Clone, Copy)]
pub struct PrintSettings<'s> {
    /// The module's text.
    pub source_text: &'s str,
    /// Whether the program was lowered or rewritten (see `MarkerPrefix::choose`).
    pub lowered: bool,
    pub kind: ModuleKind,
    /// Whether the object code carries source-map segments.
    pub source_map: bool,
    /// The module's input source map, to chain the segments through.
    pub input_map: Option<&'s InputMap>,
    /// Whether to print without the whitespace that can be left out.
    pub minify_whitespace: bool,
    /// Whether legal comments stay where they are (`--legal-comments=inline`).
    pub legal_comments_inline: bool,
    /// Whether static member reads of every import are relocations, not only of namespace
    /// imports (see `Rewriter::member_reads_of_imports`).
    pub member_reads_of_imports: bool,
    /// Whether non-ASCII characters are printed as escapes (`--charset=ascii`).
    pub ascii: bool,
}

/// Prints the statements `item_statements` of `program` (indices into its body) as object
/// code. Consumes the scoping tables, whose top-level names it overwrites with markers.
pub fn print_items<'a>(
    allocator: &'a Allocator,
    program: &mut Program<'a>,
    mut scoping: Scoping,
    settings: &PrintSettings<'_>,
    item_statements: &[usize],
) -> Result<PrintedModule, MalformedMarker> {
    let PrintSettings {
        source_text,
        lowered,
        kind,
        source_map,
        input_map,
        minify_whitespace,
        legal_comments_inline,
        member_reads_of_imports,
        ascii,
    } = *settings;
    let commonjs = kind == ModuleKind::CommonJs;
    let root = scoping.root_scope_id();
    // A CommonJS module's top-level bindings stay local to its wrapper: only its requests
    // are relocations.
    let mut root_symbols: Vec<SymbolId> = if commonjs {
        Vec::new()
    } else {
        scoping.get_bindings(root).values().copied().collect()
    };
    root_symbols.sort_unstable();

    let mut markers = Markers::new(MarkerPrefix::choose(program, source_text, lowered));
    let namespace_locals = namespace_import_locals(program);
    let mut root_names = FxHashMap::default();
    let mut namespace_imports = FxHashSet::default();
    let mut imports = FxHashSet::default();
    for &symbol_id in &root_symbols {
        let name = Name::from(scoping.symbol_name(symbol_id));
        let marker = markers.marker(RelocTarget::Symbol(name.clone()));
        if scoping.symbol_flags(symbol_id).is_import() {
            imports.insert(symbol_id);
            if namespace_locals.contains(name.as_str()) {
                namespace_imports.insert(symbol_id);
            }
        }
        root_names.insert(symbol_id, name);
        scoping.set_symbol_name(symbol_id, marker.as_str().into());
    }

    let separator_name = markers.prefix().separator();
    let builder = AstBuilder::new(allocator);
    let old_body = std::mem::replace(&mut program.body, ArenaVec::new_in(&builder));
    let mut new_body = ArenaVec::with_capacity_in(item_statements.len() * 2, &builder);
    let mut rewriter = rewriter::Rewriter {
        builder: &builder,
        scoping: &scoping,
        root_names: &root_names,
        namespace_imports: &namespace_imports,
        imports: &imports,
        member_reads_of_imports: member_reads_of_imports && !commonjs,
        markers: &mut markers,
        commonjs,
        this_depth: 0,
        function_depth: 0,
        class_being_declared: None,
        uses: ItemUses::default(),
        findings: ModuleFindings::default(),
    };
    let mut facts = Vec::with_capacity(item_statements.len());
    let mut next_item = item_statements.iter().peekable();
    for (index, statement) in old_body.into_iter().enumerate() {
        if next_item.peek() != Some(&&index) {
            continue;
        }
        next_item.next();
        let unwrapped = exports::unwrap_export(&builder, rewriter.markers, statement);
        let mut statement = unwrapped.statement;
        if !commonjs {
            rewriter.name_top_level_classes(&mut statement);
        }
        rewriter.visit_statement(&mut statement);
        rewriter.class_being_declared = None;
        facts.push(std::mem::take(&mut rewriter.uses));
        let separator = oxc::str::Ident::from(allocator.alloc_str(&separator_name));
        new_body.push(Statement::new_expression_statement(
            SPAN,
            Expression::new_identifier(SPAN, separator, &builder),
            &builder,
        ));
        new_body.push(statement);
        rewriter.findings.anonymous_default_function |= unwrapped.anonymous_default_function;
    }
    // One more separator after the last item: minified printing writes a statement's `;`
    // only before the next statement, and each item must have its own.
    let separator = oxc::str::Ident::from(allocator.alloc_str(&separator_name));
    new_body.push(Statement::new_expression_statement(
        SPAN,
        Expression::new_identifier(SPAN, separator, &builder),
        &builder,
    ));
    let mut findings = std::mem::take(&mut rewriter.findings);
    for (symbol_id, marker) in std::mem::take(&mut findings.catch_parameter_aliases) {
        scoping.set_symbol_name(symbol_id, marker.as_str().into());
    }
    program.body = new_body;
    program.directives.clear();
    program.hashbang = None;
    if ascii && crate::charset::may_print_non_ascii(source_text, lowered) {
        crate::charset::escape_program(
            allocator,
            program,
            Some(&mut scoping),
            Some(markers.prefix().as_str()),
        );
    }

    let options = CodegenOptions {
        minify: minify_whitespace,
        comments: CommentOptions {
            normal: false,
            jsdoc: false,
            // `/* @__PURE__ */` tells a later bundler what it may drop; a minified bundle
            // is shipped as it is (esbuild drops them too).
            annotation: !minify_whitespace,
            legal: if legal_comments_inline {
                LegalComment::Inline
            } else {
                LegalComment::None
            },
        },
        // Codegen names the map's source after this; verde's maps name it themselves.
        source_map_path: source_map.then(std::path::PathBuf::new),
        ..CodegenOptions::default()
    };
    let printed = Codegen::new()
        .with_options(options)
        .with_scoping(Some(scoping))
        .build(program);
    let text = printed.code;
    let printed_mappings = printed
        .map
        .as_ref()
        .map(|map| {
            mappings::printed_mappings(
                &text,
                map,
                source_text,
                input_map,
                markers.prefix().as_str(),
            )
        })
        .unwrap_or_default();

    let chunks = split_at_separators(&text, &separator_name);
    debug_assert_eq!(chunks.len(), facts.len());
    let items = chunks
        .into_iter()
        .zip(facts)
        .map(|(chunk, uses)| {
            let start = chunk.as_ptr() as usize - text.as_ptr() as usize;
            let mut names = Vec::new();
            let item_mappings =
                mappings::item_mappings(&printed_mappings, start, start + chunk.len(), &mut names);
            let mut code = markers.extract(chunk, item_mappings)?;
            code.names = names;
            Ok(PrintedItem { code, uses })
        })
        .collect::<Result<_, _>>()?;
    Ok(PrintedModule { items, findings })
}

/// The local names of `import * as local` bindings.
fn namespace_import_locals<'a>(program: &Program<'a>) -> FxHashSet<&'a str> {
    let mut locals = FxHashSet::default();
    for statement in &program.body {
        let Statement::ImportDeclaration(import) = statement else {
            continue;
        };
        for specifier in import.specifiers.iter().flatten() {
            if let oxc::ast::ast::ImportDeclarationSpecifier::ImportNamespaceSpecifier(namespace) =
                specifier
            {
                locals.insert(namespace.local.name.as_str());
            }
        }
    }
    locals
}
