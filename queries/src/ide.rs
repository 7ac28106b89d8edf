//! The editor path: what `verde lsp` and embedders ask about one position of one module.
//!
//! It reuses the build's queries for everything link knows (resolution, export tables,
//! import bindings, liveness) and adds one of its own, [`index::module_index`], a second
//! parse that keeps positions, held in a salsa LRU so the build path stays free of them.

pub mod index;
pub mod navigation;

use rustc_hash::FxHashSet;

use crate::{
    Db,
    bundle::module_problems,
    config::BuildConfig,
    diagnostics::Diagnostic,
    files::SourceFile,
    link::{
        Binding,
        graph::{Dependency, module_dependencies},
    },
    parse::{
        DEFAULT_LOCAL, Name, SymbolKind as RecordSymbolKind, module_diagnostics, module_record,
    },
    resolve::{Resolution, resolve_import},
};
use index::{OccurrenceTarget, module_index};

/// Every problem of `file` on its own and as linked: read and syntax errors, unresolved
/// imports, missing or ambiguous exports, and reads of imports in a cycle that would throw
/// because the imported module has not run yet.
pub fn file_diagnostics(db: &dyn Db, config: BuildConfig, file: SourceFile) -> Vec<Diagnostic> {
    if let Some(reason) = &module_diagnostics(db, file).unreadable {
        return vec![
            Diagnostic::error(
                "UNREADABLE_FILE",
                format!("cannot read this file: {reason}"),
            )
            .in_file(file.path(db), None),
        ];
    }
    let mut diagnostics = module_problems(db, config, file).located.clone();
    if diagnostics
        .iter()
        .all(|diagnostic| diagnostic.code != "SYNTAX_ERROR")
    {
        diagnostics.extend(cycle_hazards(db, config, file));
    }
    diagnostics
}

/// Reads, while `file` is evaluated, of a `let`, `const` or `class` binding imported from a
/// module that imports `file` back. When the cycle is entered through that module, `file`
/// runs first and the read throws a `ReferenceError` (the binding is in its temporal dead
/// zone).
fn cycle_hazards(db: &dyn Db, config: BuildConfig, file: SourceFile) -> Vec<Diagnostic> {
    // First from link results alone: imports of unhoisted bindings whose module imports
    // this one back. Most modules have none, and then the editor index (a second parse) is
    // not needed.
    let bindings = crate::link::bind_imports::module_bindings(db, config, file);
    let mut cycles: rustc_hash::FxHashMap<SourceFile, Option<Vec<SourceFile>>> =
        rustc_hash::FxHashMap::default();
    let mut hazards: rustc_hash::FxHashMap<&Name, Vec<SourceFile>> =
        rustc_hash::FxHashMap::default();
    for (import, binding) in &bindings.imports {
        let Binding::Symbol { module, local } = binding else {
            continue;
        };
        if *module == file {
            continue;
        }
        let is_hoisted = match module_record(db, *module).symbol(local) {
            Some(symbol) => matches!(
                symbol.kind,
                RecordSymbolKind::Var | RecordSymbolKind::Function
            ),
            None => local != DEFAULT_LOCAL,
        };
        if is_hoisted {
            continue;
        }
        let cycle = cycles
            .entry(*module)
            .or_insert_with(|| import_path(db, config, *module, file));
        if let Some(cycle) = cycle {
            hazards.insert(import, cycle.clone());
        }
    }
    if hazards.is_empty() {
        return Vec::new();
    }

    let mut reported = FxHashSet::default();
    let mut diagnostics = Vec::new();
    for occurrence in &module_index(db, file).occurrences {
        let OccurrenceTarget::Local {
            name,
            is_declaration: false,
        } = &occurrence.target
        else {
            continue;
        };
        if !occurrence.is_eager || reported.contains(name) {
            continue;
        }
        let Some(cycle) = hazards.get(name) else {
            continue;
        };
        reported.insert(name.clone());
        let mut names: Vec<String> = vec![crate::link::display_name(db, file)];
        names.extend(
            cycle
                .iter()
                .map(|step| crate::link::display_name(db, *step)),
        );
        diagnostics.push(
            Diagnostic::warning(
                "CIRCULAR_IMPORT_TDZ",
                format!(
                    "\"{name}\" is read while this module is evaluated, but it comes from a module that imports this one back ({}): when the cycle is entered there, this read throws a ReferenceError",
                    names.join(" -> ")
                ),
            )
            .in_file(file.path(db), Some(occurrence.range))
            .with_help("read it inside a function, or break the cycle"),
        );
    }
    diagnostics
}

/// The modules on a path of static imports from `from` to `to` (both included), if any.
fn import_path(
    db: &dyn Db,
    config: BuildConfig,
    from: SourceFile,
    to: SourceFile,
) -> Option<Vec<SourceFile>> {
    let mut parents = rustc_hash::FxHashMap::default();
    parents.insert(from, from);
    let mut queue = std::collections::VecDeque::from([from]);
    while let Some(module) = queue.pop_front() {
        for dependency in &module_dependencies(db, config, module).dependencies {
            let Dependency::Module(next) = dependency else {
                continue;
            };
            if parents.contains_key(next) {
                continue;
            }
            parents.insert(*next, module);
            if *next == to {
                let mut path = vec![to];
                let mut at = to;
                while at != from {
                    at = parents[&at];
                    path.push(at);
                }
                path.reverse();
                return Some(path);
            }
            queue.push_back(*next);
        }
    }
    None
}

/// The names `import { ... } from specifier` can take in `file`, sorted: the target
/// module's export table (`default` included when it has one).
pub fn importable_names(
    db: &dyn Db,
    config: BuildConfig,
    file: SourceFile,
    specifier: &str,
) -> Vec<Name> {
    let Resolution::Module { file: target, .. } = resolve_import(
        db,
        file,
        Name::from(specifier),
        crate::parse::module_kind(db, file),
    ) else {
        return Vec::new();
    };
    crate::link::resolve_exports::module_exports(db, config, *target)
        .resolved
        .iter()
        .map(|(name, _)| name.clone())
        .collect()
}

/// The specifier of the `import { ... } from "specifier"` whose braces contain `offset`,
/// read from the text so it works while the statement is still being typed.
pub fn import_braces_at(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let before = text.get(..offset)?;
    let open = before.rfind('{')?;
    if before[open..].contains(['}', ';']) {
        return None;
    }
    let head = before[..open].trim_end();
    let head = head.strip_suffix(',').map_or(head, |head| {
        // `import Default, { ... }`
        head.trim_end()
            .trim_end_matches(|c: char| c == '$' || c == '_' || c.is_alphanumeric())
    });
    let head = head.trim_end();
    let head = head.strip_suffix("type").map_or(head, str::trim_end);
    if !head.ends_with("import")
        || head[..head.len() - "import".len()]
            .chars()
            .next_back()
            .is_some_and(|c| c == '$' || c == '_' || c == '.' || c.is_alphanumeric())
    {
        return None;
    }
    let after = &text[offset..];
    let close = after.find('}')?;
    if after[..close].contains(['{', ';']) {
        return None;
    }
    let rest = after[close + 1..]
        .trim_start()
        .strip_prefix("from")?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = rest[1..].find(quote)?;
    Some(rest[1..1 + end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::import_braces_at;

    #[test]
    fn import_braces() {
        let text = "import { a,  } from './x.js';\nconst y = { b };";
        assert_eq!(import_braces_at(text, 12).as_deref(), Some("./x.js"));
        assert_eq!(import_braces_at(text, 42), None);
        let text = "import D, { } from \"./d\"";
        assert_eq!(import_braces_at(text, 12).as_deref(), Some("./d"));
        let text = "reimport { } from './x'";
        assert_eq!(import_braces_at(text, 11), None);
    }
}
