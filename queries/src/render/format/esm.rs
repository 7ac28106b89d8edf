//! ES module output: `import` statements for externals, `export { ... }` at the end.

use std::fmt::Write as _;

use crate::{
    link::{ReplacementKind, chunk::ChunkLinks, string_literal},
    names,
    render::namespace::{property_key, value_expression},
};

/// `import` statements for the external modules ES modules import.
pub(in crate::render) fn write_imports(out: &mut String, bundle: &ChunkLinks) {
    if bundle.externals.is_empty() {
        return;
    }
    for external in &bundle.externals {
        let specifier = string_literal(&external.specifier);
        if let Some(namespace) = &external.namespace_var {
            let _ = writeln!(out, "import * as {namespace} from {specifier};");
        }
        let default = external
            .named
            .iter()
            .find(|(imported, _)| imported == "default")
            .map(|(_, local)| local.clone());
        let named: Vec<String> = external
            .named
            .iter()
            .filter(|(imported, _)| imported != "default")
            .map(|(imported, local)| {
                if imported == local {
                    local.to_string()
                } else {
                    format!("{} as {local}", property_key(imported))
                }
            })
            .collect();
        let mut clause = Vec::new();
        if let Some(default) = default {
            clause.push(default.to_string());
        }
        if !named.is_empty() {
            clause.push(format!("{{ {} }}", named.join(", ")));
        }
        if !clause.is_empty() {
            let _ = writeln!(out, "import {} from {specifier};", clause.join(", "));
        } else if external.namespace_var.is_none() {
            let _ = writeln!(out, "import {specifier};");
        }
    }
    out.push('\n');
}

/// `export { local as name, ... }` for the entry's exports, and `export *` of externals.
pub(in crate::render) fn write_exports(out: &mut String, bundle: &ChunkLinks) {
    let mut specifiers = Vec::new();
    let mut prelude = String::new();
    for (name, replacement) in &bundle.entry_exports {
        let local = if replacement.kind == ReplacementKind::Identifier {
            replacement.text.to_string()
        } else {
            // Not a plain binding (cannot happen for ES output today); give it one.
            let local = format!("__export_{}", names::legal_identifier(name));
            let _ = writeln!(prelude, "var {local} = {};", value_expression(replacement));
            local
        };
        let exported = property_key(name);
        if exported == local {
            specifiers.push(local);
        } else {
            specifiers.push(format!("{local} as {exported}"));
        }
    }
    out.push_str(&prelude);
    if !specifiers.is_empty() {
        let _ = writeln!(out, "export {{ {} }};", specifiers.join(", "));
    }
    for external in &bundle.entry_external_stars {
        let _ = writeln!(
            out,
            "export * from {};",
            string_literal(&external.specifier)
        );
    }
}

/// `import { a, b } from "./chunk-HASH.js";` for each chunk this one imports, in load order
/// (a chunk it needs no name from is still imported, for its code to run first).
pub(in crate::render) fn write_chunk_imports(
    out: &mut String,
    imports: &[(String, Vec<crate::parse::Name>)],
) {
    for (specifier, names) in imports {
        if names.is_empty() {
            let _ = writeln!(out, "import {specifier};");
        } else {
            let names: Vec<&str> = names.iter().map(|name| name.as_str()).collect();
            let _ = writeln!(out, "import {{ {} }} from {specifier};", names.join(", "));
        }
    }
    if !imports.is_empty() {
        out.push('\n');
    }
}

/// `export { a, b };`: the bindings other chunks import from this one.
pub(in crate::render) fn write_chunk_exports(out: &mut String, names: &[crate::parse::Name]) {
    if !names.is_empty() {
        let names: Vec<&str> = names.iter().map(|name| name.as_str()).collect();
        let _ = writeln!(out, "export {{ {} }};", names.join(", "));
    }
}
