//! CommonJS output (and the body of an IIFE): `require()` of externals, and the entry's
//! exports as getters on `exports`.

use std::fmt::Write as _;

use crate::{
    config::OutputFormat,
    link::{chunk::ChunkLinks, string_literal},
    names,
    render::namespace::value_expression,
};

/// `require()` of the external modules ES modules import (an IIFE takes them as
/// parameters), and their interop views.
pub(in crate::render) fn write_requires(
    out: &mut String,
    bundle: &ChunkLinks,
    format: OutputFormat,
) {
    if bundle.externals.is_empty() {
        return;
    }
    for external in &bundle.externals {
        let specifier = string_literal(&external.specifier);
        let load = if format == OutputFormat::Cjs {
            format!("require({specifier})")
        } else {
            names::legal_identifier(&external.specifier)
        };
        match &external.module_var {
            Some(var) if format == OutputFormat::Cjs => {
                let _ = writeln!(out, "var {var} = {load};");
            }
            Some(_) => {}
            None => {
                let _ = writeln!(out, "{load};");
            }
        }
    }
    for external in &bundle.externals {
        let Some(var) = &external.module_var else {
            continue;
        };
        if let Some(default) = &external.default_var {
            let _ = writeln!(out, "var {default} = /*#__PURE__*/_interopDefault({var});");
        }
        if let Some(namespace) = &external.namespace_var {
            let _ = writeln!(
                out,
                "var {namespace} = /*#__PURE__*/_interopNamespaceDefault({var});"
            );
        }
    }
    out.push('\n');
}

/// CommonJS and IIFE: each export is a getter on `exports`, defined before any module code
/// runs, so it is live and visible to cycles.
pub(in crate::render) fn write_exports_object(out: &mut String, bundle: &ChunkLinks) {
    for (name, replacement) in &bundle.entry_exports {
        let _ = writeln!(
            out,
            "Object.defineProperty(exports, {}, {{ enumerable: true, get: function () {{ return {}; }} }});",
            string_literal(name),
            value_expression(replacement)
        );
    }
    for external in &bundle.entry_external_stars {
        let Some(var) = &external.module_var else {
            continue;
        };
        let _ = writeln!(
            out,
            "Object.keys({var}).forEach(function (k) {{\n\tif (k !== 'default' && !Object.prototype.hasOwnProperty.call(exports, k)) Object.defineProperty(exports, k, {{\n\t\tenumerable: true,\n\t\tget: function () {{ return {var}[k]; }}\n\t}});\n}});"
        );
    }
    if !bundle.entry_exports.is_empty() || !bundle.entry_external_stars.is_empty() {
        out.push('\n');
    }
}

/// Split CommonJS output: `var { a, b } = require("./chunk-HASH.js");` for each chunk it
/// loads, in load order. The names are copies: a chunk only imports from chunks that have
/// run to their end when `require` returns (no cycles between chunks), and the build
/// refuses to share a binding that changes later (see `split::chunks::order_diagnostic`).
pub(in crate::render) fn write_chunk_requires(
    out: &mut String,
    imports: &[(String, Vec<crate::parse::Name>)],
) {
    for (specifier, names) in imports {
        if names.is_empty() {
            let _ = writeln!(out, "require({specifier});");
        } else {
            let names: Vec<&str> = names.iter().map(|name| name.as_str()).collect();
            let _ = writeln!(
                out,
                "var {{ {} }} = require({specifier});",
                names.join(", ")
            );
        }
    }
    if !imports.is_empty() {
        out.push('\n');
    }
}

/// Split CommonJS output: a getter on `exports` for each binding other chunks import.
pub(in crate::render) fn write_chunk_exports(out: &mut String, names: &[crate::parse::Name]) {
    for name in names {
        let _ = writeln!(
            out,
            "Object.defineProperty(exports, {}, {{ enumerable: true, get: function () {{ return {name}; }} }});",
            string_literal(name),
        );
    }
    if !names.is_empty() {
        out.push('\n');
    }
}
