//! Go to definition, find references, rename and hover: an occurrence from the editor's
//! index, resolved with the build's own link queries (`module_bindings`, `module_exports`),
//! so the editor sees exactly the bindings a build would use.

use super::index::{ModuleIndex, Occurrence, OccurrenceTarget, SymbolKind, module_index};
use crate::{
    Db,
    config::BuildConfig,
    diagnostics::TextRange,
    files::{SourceFile, SourceText, source_text},
    link::{
        Binding, bind_imports::module_bindings, graph::module_graph,
        resolve_exports::module_exports, tree_shaking::liveness,
    },
    parse::{ExportTarget, Name, module_facts, module_record},
    resolve::{Resolution, resolve_import},
};

/// A range in a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileRange {
    pub file: SourceFile,
    pub range: TextRange,
}

/// What an occurrence stands for once imports are followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Binding(Binding),
    Module(SourceFile),
}

/// What the occurrence at `offset` of `file` refers to, following imports, re-exports and
/// `export *` to the declaring module.
pub fn resolve_at(
    db: &dyn Db,
    config: BuildConfig,
    file: SourceFile,
    offset: u32,
) -> Option<Target> {
    let occurrence = module_index(db, file).occurrence_at(offset)?;
    resolve_occurrence(db, config, file, &occurrence.target)
}

fn resolve_occurrence(
    db: &dyn Db,
    config: BuildConfig,
    file: SourceFile,
    target: &OccurrenceTarget,
) -> Option<Target> {
    let binding = match target {
        OccurrenceTarget::Local { name, .. } => {
            match module_bindings(db, config, file).import(name) {
                Some(binding) => binding.clone(),
                None => Binding::Symbol {
                    module: file,
                    local: name.clone(),
                },
            }
        }
        OccurrenceTarget::Imported { specifier, name } => {
            let Resolution::Module { file: target, .. } = resolve_import(
                db,
                file,
                specifier.clone(),
                crate::parse::module_kind(db, file),
            ) else {
                return None;
            };
            module_exports(db, config, *target).lookup(name).ok()?
        }
        OccurrenceTarget::Member { namespace, member } => module_bindings(db, config, file)
            .member(namespace, member)?
            .clone(),
        OccurrenceTarget::Export { exported } => {
            module_exports(db, config, file).lookup(exported).ok()?
        }
        OccurrenceTarget::Specifier(specifier) => {
            return match resolve_import(
                db,
                file,
                specifier.clone(),
                crate::parse::module_kind(db, file),
            ) {
                Resolution::Module { file, .. } => Some(Target::Module(*file)),
                _ => None,
            };
        }
    };
    Some(Target::Binding(binding))
}

/// Where `target` is declared: the binding identifier, or the start of a module.
pub fn declaration_of(db: &dyn Db, target: &Target) -> Option<FileRange> {
    match target {
        Target::Module(file) => Some(FileRange {
            file: *file,
            range: TextRange { start: 0, end: 0 },
        }),
        Target::Binding(Binding::Symbol { module, local }) => Some(FileRange {
            file: *module,
            range: module_index(db, *module).symbol(local)?.declaration,
        }),
        Target::Binding(Binding::Namespace(module)) => Some(FileRange {
            file: *module,
            range: TextRange { start: 0, end: 0 },
        }),
        Target::Binding(Binding::CommonJs { module, .. }) => Some(FileRange {
            file: *module,
            range: TextRange { start: 0, end: 0 },
        }),
        Target::Binding(Binding::External { .. }) => None,
    }
}

/// Every occurrence in `files` that refers to `binding` (its declaration included), sorted.
/// A range can come twice: a shorthand `import { x }` is the import binding and the
/// imported name at once.
/// Only modules whose link results mention the binding are indexed.
pub fn references(
    db: &dyn Db,
    config: BuildConfig,
    binding: &Binding,
    files: &[SourceFile],
) -> Vec<(FileRange, Occurrence)> {
    let mut found = Vec::new();
    for &file in files {
        if !may_refer_to(db, config, file, binding) {
            continue;
        }
        let index = module_index(db, file);
        for occurrence in &index.occurrences {
            if matches!(occurrence.target, OccurrenceTarget::Specifier(_)) {
                continue;
            }
            if resolve_occurrence(db, config, file, &occurrence.target)
                .is_some_and(|target| target == Target::Binding(binding.clone()))
            {
                found.push((
                    FileRange {
                        file,
                        range: occurrence.range,
                    },
                    occurrence.clone(),
                ));
            }
        }
    }
    found.sort_by(|a, b| (a.0.file.path(db), a.0.range).cmp(&(b.0.file.path(db), b.0.range)));
    found
}

/// A cheap filter before indexing `file`: its own binding, or one its imports, namespace
/// reads or re-exports resolve to.
pub fn may_refer_to(db: &dyn Db, config: BuildConfig, file: SourceFile, binding: &Binding) -> bool {
    if let Binding::Symbol { module, .. } | Binding::Namespace(module) = binding
        && *module == file
    {
        return true;
    }
    let bindings = module_bindings(db, config, file);
    bindings.imports.iter().any(|(_, bound)| bound == binding)
        || bindings.members.iter().any(|(_, bound)| bound == binding)
        || module_exports(db, config, file)
            .resolved
            .iter()
            .any(|(_, bound)| bound == binding)
}

/// The edits that rename `binding` to `new_name`: every occurrence spelled like the binding's
/// local name (an alias such as `import { x as y }` keeps `y`; `export { x as y }` keeps the
/// exported name), once per range. Refused when the new name would clash in a module it
/// touches.
pub fn rename_edits(
    db: &dyn Db,
    config: BuildConfig,
    binding: &Binding,
    new_name: &str,
    files: &[SourceFile],
) -> Result<Vec<FileRange>, RenameConflict> {
    let Binding::Symbol { local, .. } = binding else {
        return Ok(Vec::new());
    };
    let edits: Vec<(FileRange, Occurrence)> = references(db, config, binding, files)
        .into_iter()
        .filter(|(at, _)| text_of(db, *at).is_some_and(|text| text == local.as_str()))
        .collect();
    for (at, occurrence) in &edits {
        if let Some(conflict) = conflict(db, config, at.file, &occurrence.target, new_name) {
            return Err(conflict);
        }
    }
    let mut edits: Vec<FileRange> = edits.into_iter().map(|(at, _)| at).collect();
    edits.dedup();
    Ok(edits)
}

/// Why a rename would change what some code means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameConflict {
    pub file: SourceFile,
    pub reason: &'static str,
}

/// Whether renaming `target` in `file` to `new_name` would clash: a new local name must not
/// be bound already, read as a global, or bound in a nested scope (which could capture a
/// reference); a new export name must not be exported already.
fn conflict(
    db: &dyn Db,
    config: BuildConfig,
    file: SourceFile,
    target: &OccurrenceTarget,
    new_name: &str,
) -> Option<RenameConflict> {
    let clash = |reason| Some(RenameConflict { file, reason });
    let record = module_record(db, file);
    // The parse's own: the summary's may be held back (see `summary::publish_held_back`).
    let scope_names = crate::parse::module_view(db, file).scope_names(db);
    let renames_local = matches!(target, OccurrenceTarget::Local { .. });
    if renames_local {
        if record.symbol(new_name).is_some() || record.import(new_name).is_some() {
            return clash("a top-level binding of that name exists");
        }
        if scope_names.globals.iter().any(|name| name == new_name) {
            return clash("the module reads a global of that name");
        }
        if scope_names.nested.iter().any(|name| name == new_name) {
            return clash("a nested binding of that name could capture a reference");
        }
    }
    let renames_export = match target {
        OccurrenceTarget::Export { .. } => true,
        // `export const name = ...` (or `export { name }`): the export is renamed too.
        OccurrenceTarget::Local {
            name,
            is_declaration: true,
        } => record.exports.iter().any(|export| {
            export.exported == *name && export.target == ExportTarget::Local(name.clone())
        }),
        _ => false,
    };
    if renames_export && module_exports(db, config, file).lookup(new_name).is_ok() {
        return clash("the module already exports that name");
    }
    None
}

fn text_of(db: &dyn Db, at: FileRange) -> Option<&str> {
    let SourceText::Text(text) = source_text(db, at.file) else {
        return None;
    };
    text.get(at.range.start as usize..at.range.end as usize)
}

/// What hovering an occurrence shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverInfo {
    /// The first line of the declaring statement.
    pub declaration: String,
    pub kind: SymbolKind,
    /// The declaring module.
    pub module: SourceFile,
    /// Whether a build of the configured entries keeps the declaration; `None` when the
    /// module is not reached from them (or there are none).
    pub included: Option<bool>,
}

pub fn hover(db: &dyn Db, config: BuildConfig, target: &Target) -> Option<HoverInfo> {
    let Target::Binding(Binding::Symbol { module, local }) = target else {
        return None;
    };
    let module = *module;
    let index: &ModuleIndex = module_index(db, module);
    let symbol = index.symbol(local)?;
    let SourceText::Text(text) = source_text(db, module) else {
        return None;
    };
    let statement = text.get(symbol.statement.start as usize..symbol.statement.end as usize)?;
    let declaration = statement
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_owned();
    Some(HoverInfo {
        declaration,
        kind: symbol.kind,
        module,
        included: is_included(db, config, module, local),
    })
}

/// Whether tree shaking keeps the item declaring `local` in a build of the configured
/// entries.
fn is_included(db: &dyn Db, config: BuildConfig, module: SourceFile, local: &Name) -> Option<bool> {
    let graph = module_graph(db, config);
    let &position = graph.index.get(&module)?;
    let live = &liveness(db, config).modules[position as usize];
    if !live.included {
        return Some(false);
    }
    let facts = module_facts(db, module);
    let declaring = facts.declaring(local);
    Some(
        declaring
            .iter()
            .any(|item| live.live_items.binary_search(item).is_ok()),
    )
}
