//! Assembling the chunk: loading externals, runtime helpers, namespace objects, lazy
//! initializers, the modules' code in execution order, and the format's way of exporting
//! (ES `export`, CommonJS properties of `exports`, or an IIFE assigning a global).

use std::fmt::Write as _;

use super::{rendered_module, runtime};
use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    link::{
        LinkedBundle, LinkedModule, NamespaceObject, Replacement, ReplacementKind,
        deconflict::legal_identifier, graph::ExecutionStep, graph::module_graph,
        is_identifier_name, linked_bundle, string_literal,
    },
    parse::module_record,
};

/// The whole output chunk.
#[salsa::tracked(returns(ref))]
pub fn render_chunk(db: &dyn Db, config: BuildConfig) -> String {
    let _span = tracing::debug_span!("render_chunk").entered();
    let bundle = linked_bundle(db, config);
    let graph = module_graph(db, config);
    let format = config.format(db);
    let root = config.root(db);
    let mut out = String::new();

    let exports_object = format != OutputFormat::Esm;
    if exports_object {
        out.push_str("'use strict';\n\n");
        if bundle
            .entry_exports
            .iter()
            .any(|(name, _)| name == "default")
        {
            out.push_str("Object.defineProperty(exports, '__esModule', { value: true });\n\n");
        }
    }

    write_externals(&mut out, bundle, format);
    write_helpers(&mut out, bundle);
    if exports_object {
        write_exports_object(&mut out, bundle);
    }

    // Namespace objects first: their getters are lazy, so they can exist before the code
    // that declares what they read, and any module (even in a cycle) can use them.
    let mut namespaces = String::new();
    for module in &bundle.modules {
        if let (Some(namespace), false) = (&module.namespace, module.is_lazy) {
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

    let module_header = |module: &LinkedModule| {
        let path = module.file.path(db);
        let shown = path.strip_prefix(root).unwrap_or(path);
        format!("// {}\n", shown.to_string_lossy())
    };
    for &lazy in &graph.lazy_modules {
        let module = &bundle.modules[lazy as usize];
        let (Some(init), Some(namespace)) = (&module.init, &module.namespace) else {
            continue;
        };
        if !bundle_includes_lazy(module) {
            continue;
        }
        out.push_str(&module_header(module));
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
        out.push_str(rendered_module(db, config, module.file));
        let _ = writeln!(out, "\treturn {};\n}}\n", namespace.name);
    }

    for step in &graph.execution_order {
        let ExecutionStep::Module(id) = *step else {
            continue;
        };
        let module = &bundle.modules[id as usize];
        if module.live_items.is_empty() {
            continue;
        }
        out.push_str(&module_header(module));
        out.push_str(rendered_module(db, config, module.file));
        out.push('\n');
    }

    if format == OutputFormat::Esm {
        write_esm_exports(&mut out, bundle);
    }
    if format == OutputFormat::Iife {
        out = wrap_iife(&out, bundle, config.global_name(db).as_deref());
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    // An entry's `#!` line stays the first line of the bundle.
    if let Some(&entry) = graph.entries.first()
        && let Some(hashbang) = &module_record(db, graph.modules[entry as usize].file).hashbang
    {
        out.insert_str(0, &format!("#!{hashbang}\n"));
    }
    out
}

fn bundle_includes_lazy(module: &LinkedModule) -> bool {
    module.is_lazy && module.init.is_some()
}

fn write_externals(out: &mut String, bundle: &LinkedBundle, format: OutputFormat) {
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

fn write_helpers(out: &mut String, bundle: &LinkedBundle) {
    let helpers = bundle.helpers;
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
fn write_exports_object(out: &mut String, bundle: &LinkedBundle) {
    for (name, replacement) in &bundle.entry_exports {
        let _ = writeln!(
            out,
            "Object.defineProperty(exports, {}, {{ enumerable: true, get: function () {{ return {}; }} }});",
            string_literal(name),
            value_expression(replacement)
        );
    }
    for &external in &bundle.entry_external_stars {
        let Some(var) = &bundle.externals[external as usize].module_var else {
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

fn write_esm_exports(out: &mut String, bundle: &LinkedBundle) {
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
    for &external in &bundle.entry_external_stars {
        let _ = writeln!(
            out,
            "export * from {};",
            string_literal(&bundle.externals[external as usize].specifier)
        );
    }
}

fn wrap_iife(body: &str, bundle: &LinkedBundle, global_name: Option<&str>) -> String {
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
