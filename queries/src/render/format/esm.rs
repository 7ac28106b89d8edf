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
                } else if names::is_identifier_name(imported) {
                    format!("{imported} as {local}")
                } else {
                    format!("{} as {local}", string_literal(imported))
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
