//! Assembling the chunk: loading externals, runtime helpers, namespace objects, lazy
//! initializers, the modules' code in execution order, and the format's way of exporting
//! (ES `export`, CommonJS properties of `exports`, or an IIFE assigning a global).

use std::fmt::Write as _;

use std::sync::Arc;

use super::{Code, patch_item, runtime};
use crate::{
    Db,
    config::{BuildConfig, OutputFormat},
    files::SourceFile,
    link::{
        Replacement, ReplacementKind,
        chunk::{ChunkLinks, Helpers, chunk_links},
        graph::{ExecutionStep, module_graph},
        module_link,
        replacements::{
            CommonJsWrapper, NamespaceObject, commonjs_view, linked_module, module_replacements,
        },
        string_literal,
    },
    names,
    parse::{DEFAULT_LOCAL, module_items, module_record},
};

/// The whole output chunk, as pieces: one per module (cached by [`rendered_module`]) and a
/// few for the format's prologue and epilogue, so that a rebuild reuses every unchanged
/// module's text instead of copying the bundle.
#[salsa::tracked(returns(ref))]
pub fn render_chunk(db: &dyn Db, config: BuildConfig) -> Code {
    let _span = tracing::debug_span!("render_chunk").entered();
    let chunk = chunk_links(db, config);
    let graph = module_graph(db, config);
    let format = config.format(db);
    let mut pieces: Vec<Arc<str>> = Vec::with_capacity(graph.modules.len() + 4);

    // An entry's `#!` line stays the first line of the bundle.
    let mut prologue = String::new();
    if let Some(&entry) = graph.entries.first()
        && let Some(hashbang) = &module_record(db, entry).hashbang
    {
        let _ = writeln!(prologue, "#!{hashbang}");
    }
    if format == OutputFormat::Iife {
        prologue.push_str(&iife_header(chunk, config.global_name(db).as_deref()));
    }
    let exports_object = format != OutputFormat::Esm;
    if exports_object {
        prologue.push_str("'use strict';\n\n");
        // An entry that exports `__esModule` itself defines the property (as a getter, below).
        let exports = |wanted: &str| chunk.entry_exports.iter().any(|(name, _)| name == wanted);
        if exports("default") && !exports("__esModule") {
            prologue.push_str("Object.defineProperty(exports, '__esModule', { value: true });\n\n");
        }
    }
    write_externals(&mut prologue, chunk, format);
    write_helpers(&mut prologue, chunk.helpers);
    if exports_object {
        write_exports_object(&mut prologue, chunk);
    }
    pieces.push(Arc::from(prologue));

    // What must run before any module code.
    let mut any_hoisted = false;
    for module in &graph.modules {
        if let Some(hoisted) = &rendered_module(db, config, module.file).hoisted {
            pieces.push(hoisted.clone());
            any_hoisted = true;
        }
    }
    if any_hoisted {
        pieces.push(Arc::from("\n"));
    }

    // Namespace objects first: their getters are lazy, so they can exist before the code
    // that declares what they read, and any module (even in a cycle) can use them.
    let mut any_namespace = false;
    for module in &graph.modules {
        if !module.is_lazy
            && let Some(namespace) = &rendered_module(db, config, module.file).namespace
        {
            pieces.push(namespace.clone());
            any_namespace = true;
        }
    }
    if any_namespace {
        pieces.push(Arc::from("\n"));
    }

    // CommonJS modules' wrappers next: defining one runs nothing, and any code may call it.
    for module in &graph.modules {
        let rendered = rendered_module(db, config, module.file);
        if rendered.commonjs && !rendered.code.is_empty() {
            pieces.push(rendered.code.clone());
        }
    }
    let modules = graph
        .lazy_modules
        .iter()
        .chain(graph.execution_order.iter().filter_map(|step| match step {
            ExecutionStep::Module(file) => Some(file),
            ExecutionStep::External(_) => None,
        }));
    for &file in modules {
        let rendered = rendered_module(db, config, file);
        // A CommonJS module runs where ES modules import it (its wrapper is above).
        let piece = if rendered.commonjs {
            rendered.startup.as_ref()
        } else {
            Some(&rendered.code)
        };
        if let Some(piece) = piece.filter(|piece| !piece.is_empty()) {
            pieces.push(piece.clone());
        }
    }

    let mut epilogue = String::new();
    if format == OutputFormat::Esm {
        write_esm_exports(&mut epilogue, chunk);
    }
    if format == OutputFormat::Iife {
        epilogue.push_str(&iife_footer(chunk));
    }
    if epilogue.is_empty() {
        // End the file with one newline, not a blank line.
        if let Some(last) = pieces.last_mut()
            && last.ends_with("\n\n")
        {
            *last = Arc::from(last.trim_end_matches('\n').to_owned() + "\n");
        }
    } else {
        pieces.push(Arc::from(epilogue));
    }
    Code::from_pieces(pieces)
}

/// One module's contribution to the chunk.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RenderedModule {
    /// A `// path` header and its live items, each relocation patched; a lazy module comes
    /// wrapped in its initializer. Empty when nothing of the module is in the bundle.
    pub code: Arc<str>,
    /// `var name = Object.freeze({...});` when an eager module needs a namespace object.
    pub namespace: Option<Arc<str>>,
    /// Statements that must run before any module code: the `.name` of a hoisted function
    /// that the bundle renamed (an eager module's; a lazy module has them at the top of its
    /// initializer).
    pub hoisted: Option<Arc<str>>,
    /// A CommonJS module: `code` is its wrapper, and `startup` runs it where ES modules
    /// import it (`var import_x = __toESM(require_x());`).
    pub commonjs: bool,
    pub startup: Option<Arc<str>>,
}

/// Renders one module from its items' object code and its replacement table.
#[salsa::tracked(returns(ref))]
pub fn rendered_module(db: &dyn Db, config: BuildConfig, file: SourceFile) -> RenderedModule {
    let linked = linked_module(db, config, file);
    let namespace = match (&linked.namespace, linked.is_lazy) {
        (Some(namespace), false) => Some(Arc::from(format!(
            "var {} = {};\n",
            namespace.name,
            namespace_object_expression(namespace)
        ))),
        _ => None,
    };
    let empty = RenderedModule {
        code: Arc::from(""),
        namespace: namespace.clone(),
        ..RenderedModule::default()
    };
    if let Some(wrapper) = &linked.commonjs {
        return render_commonjs(db, config, file, wrapper, &linked.live_items);
    }
    if linked.live_items.is_empty() && !linked.is_lazy {
        return empty;
    }
    let replacements = module_replacements(db, config, file);
    // `export default function () {}` is declared under a bundle name: set its `.name`
    // back before anything can read it (the declaration is hoisted, this statement is put
    // where the hoisting ends up: the top of the chunk, or of the lazy initializer).
    let hoisted = module_record(db, file)
        .anonymous_default_function
        .then(|| replacements.symbols.get(DEFAULT_LOCAL))
        .flatten()
        .map(|default| {
            format!(
                "Object.defineProperty({}, \"name\", {{ value: \"default\" }});\n",
                default.text
            )
        });
    let root = config.root(db);
    let path = file.path(db);
    let shown = path.strip_prefix(root).unwrap_or(path);
    let items = module_items(db, file);
    let mut out = String::new();
    let _ = writeln!(out, "// {}", shown.to_string_lossy());
    let write_items = |out: &mut String| {
        for &index in &linked.live_items {
            let code = items[index as usize].code(db);
            crate::fault::inject(
                crate::fault::requested(&code.text),
                crate::fault::Phase::Render,
            );
            patch_item(out, code, replacements);
        }
    };
    if linked.is_lazy {
        let (Some(init), Some(namespace)) = (&linked.init, &linked.namespace) else {
            return empty;
        };
        if !module_link(db, config, file).liveness.included {
            return empty;
        }
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
        if let Some(hoisted) = &hoisted {
            out.push('\t');
            out.push_str(hoisted);
        }
        write_items(&mut out);
        let _ = writeln!(out, "\treturn {};\n}}\n", namespace.name);
    } else {
        write_items(&mut out);
        out.push('\n');
    }
    RenderedModule {
        code: Arc::from(out),
        namespace,
        hoisted: hoisted.filter(|_| !linked.is_lazy).map(Arc::from),
        ..RenderedModule::default()
    }
}

/// A CommonJS module: its items inside `__commonJS(function (exports, module) { ... })`,
/// which runs them once, on the first call, with `this` as `exports` (as node does).
fn render_commonjs(
    db: &dyn Db,
    config: BuildConfig,
    file: SourceFile,
    wrapper: &CommonJsWrapper,
    live_items: &[u32],
) -> RenderedModule {
    let replacements = module_replacements(db, config, file);
    let root = config.root(db);
    let path = file.path(db);
    let shown = path.strip_prefix(root).unwrap_or(path);
    let items = module_items(db, file);
    let mut out = String::new();
    let _ = writeln!(out, "// {}", shown.to_string_lossy());
    let _ = writeln!(
        out,
        "var {} = __commonJS(function (exports, module) {{",
        wrapper.require
    );
    for &index in live_items {
        let code = items[index as usize].code(db);
        crate::fault::inject(
            crate::fault::requested(&code.text),
            crate::fault::Phase::Render,
        );
        patch_item(&mut out, code, replacements);
    }
    out.push_str("});\n\n");

    let mut startup = String::new();
    let require = &wrapper.require;
    if wrapper.exports_bundle {
        let _ = writeln!(startup, "module.exports = {require}();");
    } else if !module_link(db, config, file).liveness.included
        || module_graph(db, config).is_lazy(file)
    {
        // Run by whoever requires it.
    } else if wrapper.interop.is_none() && wrapper.node_interop.is_none() {
        let _ = writeln!(startup, "{require}();");
    } else {
        if let Some(interop) = &wrapper.interop {
            let view = commonjs_view(db, config, file, require, false);
            let _ = writeln!(startup, "var {interop} = {view};");
        }
        if let Some(interop) = &wrapper.node_interop {
            let view = commonjs_view(db, config, file, require, true);
            let _ = writeln!(startup, "var {interop} = {view};");
        }
    }
    if !startup.is_empty() {
        startup.push('\n');
    }
    RenderedModule {
        code: Arc::from(out),
        namespace: None,
        hoisted: None,
        commonjs: true,
        startup: Some(Arc::from(startup)),
    }
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
            OutputFormat::Cjs | OutputFormat::Iife => {
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
    let texts = [
        (helpers.require_shim, runtime::REQUIRE_SHIM),
        (helpers.dirname_shim, runtime::DIRNAME_SHIM),
        (helpers.commonjs, runtime::COMMONJS),
        (helpers.to_esm, runtime::TO_ESM),
        (helpers.to_commonjs, runtime::TO_COMMONJS),
        (helpers.interop_default, runtime::INTEROP_DEFAULT),
        (
            helpers.interop_namespace,
            runtime::INTEROP_NAMESPACE_DEFAULT,
        ),
        (helpers.merge_namespaces, runtime::MERGE_NAMESPACES),
    ];
    let mut any = false;
    for (used, text) in texts {
        if used {
            out.push_str(text);
            any = true;
        }
    }
    if any {
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
    if names::is_identifier_name(name) {
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

/// The IIFE's opening line: the parameters are `exports` and the external modules, which
/// an IIFE takes from globals of the same names.
fn iife_header(bundle: &ChunkLinks, global_name: Option<&str>) -> String {
    let mut parameters: Vec<&str> = Vec::new();
    if has_exports(bundle) {
        parameters.push("exports");
    }
    parameters.extend(
        bundle
            .externals
            .iter()
            .filter_map(|external| external.module_var.as_deref()),
    );
    let mut out = String::new();
    if let (Some(name), true) = (global_name, has_exports(bundle)) {
        // `a.b.c`: create the objects on the way, keeping any that exist (esbuild's shape).
        let segments: Vec<&str> = name.split('.').collect();
        if segments.len() == 1 {
            let _ = write!(out, "var {name} = ");
        } else {
            let _ = writeln!(out, "var {0} = {0} || {{}};", segments[0]);
            for end in 2..segments.len() {
                let _ = writeln!(out, "{0} = {0} || {{}};", segments[..end].join("."));
            }
            let _ = write!(out, "{name} = ");
        }
    }
    // The body is not indented: a template literal spanning lines would change.
    let _ = writeln!(out, "(function ({}) {{", parameters.join(", "));
    out
}

fn iife_footer(bundle: &ChunkLinks) -> String {
    let mut arguments: Vec<String> = Vec::new();
    if has_exports(bundle) {
        arguments.push("{}".to_owned());
    }
    arguments.extend(
        bundle
            .externals
            .iter()
            .filter(|external| external.module_var.is_some())
            .map(|external| names::legal_identifier(&external.specifier)),
    );
    let mut out = String::new();
    if has_exports(bundle) {
        out.push_str("\treturn exports;\n");
    }
    let _ = writeln!(out, "}})({});", arguments.join(", "));
    out
}

fn has_exports(bundle: &ChunkLinks) -> bool {
    !bundle.entry_exports.is_empty() || !bundle.entry_external_stars.is_empty()
}
