//! Assembling the chunk: loading externals, runtime helpers, namespace objects, lazy
//! initializers, the modules' code in execution order, and the format's way of exporting
//! (ES `export`, CommonJS properties of `exports`, or an IIFE assigning a global).

use std::fmt::Write as _;

use std::sync::Arc;

use super::{rendered_item, runtime};
use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    files::SourceFile,
    link::{
        Replacement, ReplacementKind,
        chunk::{ChunkLinks, Helpers, chunk_links},
        deconflict::legal_identifier,
        graph::{ExecutionStep, module_graph},
        is_identifier_name,
        replacements::{LinkedModule, NamespaceObject, linked_module},
        string_literal,
        tree_shaking::module_liveness,
    },
    parse::{module_items, module_record},
};

/// The whole output chunk.
#[salsa::tracked(returns(ref))]
pub fn render_chunk(db: &dyn Db, config: BuildConfig) -> Arc<str> {
    let _span = tracing::debug_span!("render_chunk").entered();
    let chunk = chunk_links(db, config);
    let graph = module_graph(db, config);
    let format = config.format(db);
    let root = config.root(db);
    let mut out = String::new();

    let exports_object = format != OutputFormat::Esm;
    if exports_object {
        out.push_str("'use strict';\n\n");
        if chunk
            .entry_exports
            .iter()
            .any(|(name, _)| name == "default")
        {
            out.push_str("Object.defineProperty(exports, '__esModule', { value: true });\n\n");
        }
    }

    write_externals(&mut out, chunk, format);
    write_helpers(&mut out, chunk.helpers);
    if exports_object {
        write_exports_object(&mut out, chunk);
    }

    // Namespace objects first: their getters are lazy, so they can exist before the code
    // that declares what they read, and any module (even in a cycle) can use them.
    let mut namespaces = String::new();
    for module in &graph.modules {
        if module.is_lazy {
            continue;
        }
        if let Some(namespace) = &linked_module(db, config, module.file).namespace {
            let _ = writeln!(
                namespaces,
                "var {} = {};",
                namespace.name,
                namespace_object_expression(namespace)
            );
        }
    }
    if !namespaces.is_empty() {
        out.push_str(&namespaces);
        out.push('\n');
    }

    let write_items = |out: &mut String, file: SourceFile, linked: &LinkedModule| {
        let path = file.path(db);
        let shown = path.strip_prefix(root).unwrap_or(path);
        let _ = writeln!(out, "// {}", shown.to_string_lossy());
        let items = module_items(db, file);
        for &index in &linked.live_items {
            out.push_str(rendered_item(db, config, items[index as usize]));
        }
    };
    for &file in &graph.lazy_modules {
        let linked = linked_module(db, config, file);
        let (Some(init), Some(namespace)) = (&linked.init, &linked.namespace) else {
            continue;
        };
        if !module_liveness(db, config, file).included {
            continue;
        }
        let mut body = String::new();
        write_items(&mut body, file, linked);
        let (header, code) = body.split_once('\n').unwrap_or((&body, ""));
        let _ = writeln!(out, "{header}");
        let _ = writeln!(out, "var {};", namespace.name);
        let _ = writeln!(out, "function {}() {{", init.name);
        let _ = writeln!(out, "\tif ({0}) return {0};", namespace.name);
        let _ = writeln!(
            out,
            "\t{} = {};",
            namespace.name,
            namespace_object_expression(namespace).replace('\n', "\n\t")
        );
        for dependency in &init.dependencies {
            let _ = writeln!(out, "\t{dependency}();");
        }
        out.push_str(code);
        let _ = writeln!(out, "\treturn {};\n}}\n", namespace.name);
    }

    for step in &graph.execution_order {
        let ExecutionStep::Module(file) = step else {
            continue;
        };
        let linked = linked_module(db, config, *file);
        if linked.live_items.is_empty() {
            continue;
        }
        write_items(&mut out, *file, linked);
        out.push('\n');
    }

    if format == OutputFormat::Esm {
        write_esm_exports(&mut out, chunk);
    }
    if format == OutputFormat::Iife {
        out = wrap_iife(&out, chunk, config.global_name(db).as_deref());
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    // An entry's `#!` line stays the first line of the bundle.
    if let Some(&entry) = graph.entries.first()
        && let Some(hashbang) = &module_record(db, entry).hashbang
    {
        out.insert_str(0, &format!("#!{hashbang}\n"));
    }
    Arc::from(out)
}

fn write_externals(out: &mut String, bundle: &ChunkLinks, format: OutputFormat) {
    if bundle.externals.is_empty() {
        return;
    }
    for external in &bundle.externals {
        let specifier = string_literal(&external.specifier);
        match format {
            OutputFormat::Esm => {
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
                        } else if is_identifier_name(imported) {
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
            OutputFormat::Cjs | OutputFormat::Iife => {
                let load = if format == OutputFormat::Cjs {
                    format!("require({specifier})")
                } else {
                    legal_identifier(&external.specifier)
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
        }
    }
    if format != OutputFormat::Esm {
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
    }
    out.push('\n');
}

fn write_helpers(out: &mut String, helpers: Helpers) {
    if helpers.interop_default {
        out.push_str(runtime::INTEROP_DEFAULT);
    }
    if helpers.interop_namespace {
        out.push_str(runtime::INTEROP_NAMESPACE_DEFAULT);
    }
    if helpers.merge_namespaces {
        out.push_str(runtime::MERGE_NAMESPACES);
    }
    if helpers.interop_default || helpers.interop_namespace || helpers.merge_namespaces {
        out.push('\n');
    }
}

fn value_expression(replacement: &Replacement) -> String {
    match replacement.kind {
        ReplacementKind::Other => format!("({})", replacement.text),
        _ => replacement.text.to_string(),
    }
}

fn property_key(name: &str) -> String {
    if is_identifier_name(name) {
        name.to_owned()
    } else {
        string_literal(name)
    }
}

/// `Object.freeze({ __proto__: null, get name () { return binding; }, ... })`: getters keep
/// bindings live, the null prototype and freezing match a real module namespace.
fn namespace_object_expression(namespace: &NamespaceObject) -> String {
    let mut members = String::from("{\n\t__proto__: null");
    for (name, replacement) in &namespace.members {
        let _ = write!(
            members,
            ",\n\tget {} () {{ return {}; }}",
            property_key(name),
            value_expression(replacement)
        );
    }
    members.push_str(",\n\t[Symbol.toStringTag]: 'Module'\n}");
    if namespace.external_stars.is_empty() {
        format!("/*#__PURE__*/Object.freeze({members})")
    } else {
        format!(
            "/*#__PURE__*/_mergeNamespaces({members}, [{}])",
            namespace.external_stars.join(", ")
        )
    }
}

/// CommonJS and IIFE: each export is a getter on `exports`, defined before any module code
/// runs, so it is live and visible to cycles.
fn write_exports_object(out: &mut String, bundle: &ChunkLinks) {
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

fn write_esm_exports(out: &mut String, bundle: &ChunkLinks) {
    let mut specifiers = Vec::new();
    let mut prelude = String::new();
    for (name, replacement) in &bundle.entry_exports {
        let local = if replacement.kind == ReplacementKind::Identifier {
            replacement.text.to_string()
        } else {
            // Not a plain binding (cannot happen for ES output today); give it one.
            let local = format!("__export_{}", legal_identifier(name));
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

fn wrap_iife(body: &str, bundle: &ChunkLinks, global_name: Option<&str>) -> String {
    let externals: Vec<(&str, String)> = bundle
        .externals
        .iter()
        .filter_map(|external| {
            external
                .module_var
                .as_deref()
                .map(|var| (var, legal_identifier(&external.specifier)))
        })
        .collect();
    let has_exports = !bundle.entry_exports.is_empty() || !bundle.entry_external_stars.is_empty();
    let mut parameters: Vec<&str> = Vec::new();
    let mut arguments: Vec<String> = Vec::new();
    if has_exports {
        parameters.push("exports");
        arguments.push("{}".to_owned());
    }
    for (var, global) in &externals {
        parameters.push(var);
        arguments.push(global.clone());
    }
    let mut out = String::new();
    if let (Some(name), true) = (global_name, has_exports) {
        let _ = write!(out, "var {name} = ");
    }
    let _ = writeln!(out, "(function ({}) {{", parameters.join(", "));
    // The body is not indented: a template literal spanning lines would change.
    out.push_str(body.trim_end());
    out.push('\n');
    if has_exports {
        out.push_str("\n\treturn exports;\n");
    }
    let _ = writeln!(out, "}})({});", arguments.join(", "));
    out
}
