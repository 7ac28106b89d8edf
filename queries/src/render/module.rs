//! One module's contribution to the chunk, rendered from its items' object code and its
//! replacement table: its text (wrapped in its initializer when it is lazy, in
//! `__commonJS` when it is CommonJS), its namespace object, and what must run first.

use std::{fmt::Write as _, sync::Arc};

use super::{
    MovedValue, declaration_keyword,
    glue::Glue,
    namespace::namespace_object_expression,
    patch_item,
    sourcemap::{PieceMap, PieceMapBuilder},
};
use crate::{
    Db,
    config::BuildConfig,
    files::SourceFile,
    link::replacements::{
        CommonJsWrapper, LinkedModule, commonjs_view, linked_module, module_replacements,
    },
    parse::{DEFAULT_LOCAL, MapSource, module_map_sources, module_record},
};

/// One module's contribution to the chunk.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RenderedModule {
    /// A `// path` header and its live items, each relocation patched; a lazy module comes
    /// wrapped in its initializer. Empty when nothing of the module is in the bundle.
    pub code: Arc<str>,
    /// Where `code` came from (with source maps on).
    pub map: Option<Arc<PieceMap>>,
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
    /// Minified, the declarations `code` begins and ends with are left open, so that the
    /// chunk can join them with its neighbours' (`let a=1;` and `let b=2;` of two modules
    /// are `let a=1,b=2;`): `code` begins after this keyword of its first declaration
    /// (`let `, `const ` or `var `), which whoever writes it before `code` must write...
    pub opens_with: Option<&'static str>,
    /// ... and ends inside a declaration of this keyword, without its `;`.
    pub ends_open: Option<&'static str>,
}

/// Renders one module from its items' object code and its replacement table.
#[salsa::tracked(returns(ref))]
pub fn rendered_module(db: &dyn Db, config: BuildConfig, file: SourceFile) -> RenderedModule {
    db.work().rendered();
    let linked = linked_module(db, config, file);
    let glue = Glue::of(db);
    let namespace = match (&linked.namespace, linked.is_lazy) {
        (Some(namespace), false) => Some(Arc::from(glue.statements(format!(
            "var {} = {};\n",
            namespace.name,
            namespace_object_expression(namespace, glue)
        )))),
        _ => None,
    };
    let empty = RenderedModule {
        code: Arc::from(""),
        namespace: namespace.clone(),
        ..RenderedModule::default()
    };
    if let Some(wrapper) = &linked.commonjs {
        return render_commonjs(db, config, file, wrapper, linked);
    }
    if linked.live_items.is_empty() && !linked.is_lazy {
        return empty;
    }
    let replacements = &linked.replacements;
    // `export default function () {}` is declared under a bundle name: set its `.name`
    // back before anything can read it (the declaration is hoisted, this statement is put
    // where the hoisting ends up: the top of the chunk, or of the lazy initializer).
    // The record is read only for a module with a default export local.
    let hoisted = replacements
        .symbols
        .get(DEFAULT_LOCAL)
        .filter(|_| module_record(db, file).anonymous_default_function)
        .map(|default| {
            glue.statements(format!(
                "Object.defineProperty({}, \"name\", {{ value: \"default\" }});\n",
                default.text
            ))
        });
    let mut out = module_header(db, config, file);
    let mut map = PieceMapBuilder::default();
    let (live_items, moved, sources) = single_use_values(db, config, file, linked);
    let mut write_items = |out: &mut String, open: bool| {
        write_live_items(
            db,
            out,
            file,
            &live_items,
            (replacements, &moved),
            &mut map,
            open,
        )
    };
    let declarations = if linked.is_lazy {
        let (Some(init), Some(namespace)) = (&linked.init, &linked.namespace) else {
            return empty;
        };
        if !linked.included {
            return empty;
        }
        // Not whole statements (module code goes inside): spelled short here.
        let namespace_object = namespace_object_expression(namespace, glue);
        let name = &namespace.name;
        let mut startup = String::new();
        for dependency in &init.dependencies {
            let _ = writeln!(startup, "{dependency}();");
        }
        for (view, expression) in &init.commonjs_views {
            let _ = writeln!(startup, "{view} = {expression};");
        }
        if let Some(hoisted) = &hoisted {
            startup.push_str(hoisted);
        }
        if glue.minify {
            let _ = write!(
                out,
                "var {name};function {}(){{if({name})return {name};{name}={namespace_object};{}",
                init.name,
                glue.statements(startup)
            );
            write_items(&mut out, false);
            let _ = write!(out, "return {name}}}");
        } else {
            let _ = writeln!(out, "var {name};");
            let _ = writeln!(out, "function {}() {{", init.name);
            let _ = writeln!(out, "\tif ({name}) return {name};");
            let _ = writeln!(
                out,
                "\t{name} = {};",
                namespace_object.replace('\n', "\n\t")
            );
            for line in startup.lines() {
                let _ = writeln!(out, "\t{line}");
            }
            write_items(&mut out, false);
            let _ = writeln!(out, "\treturn {name};\n}}\n");
        }
        Declarations::default()
    } else {
        let declarations = write_items(&mut out, true);
        if !glue.minify {
            out.push('\n');
        }
        declarations
    };
    RenderedModule {
        map: (!map.is_empty())
            .then(|| {
                let sources = sources.unwrap_or_else(|| module_map_sources(db, file).clone());
                map.finish(&out, sources)
            })
            .flatten()
            .map(Arc::new),
        code: Arc::from(out),
        namespace,
        hoisted: hoisted.filter(|_| !linked.is_lazy).map(Arc::from),
        opens_with: declarations.opens_with,
        ends_open: declarations.ends_open,
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
    linked: &LinkedModule,
) -> RenderedModule {
    let replacements = &linked.replacements;
    let live_items = &linked.live_items;
    let glue = Glue::of(db);
    let mut out = module_header(db, config, file);
    // Not whole statements (module code goes inside): spelled short here.
    if glue.minify {
        let _ = write!(
            out,
            "var {}=__commonJS(function(exports,module){{",
            wrapper.require
        );
    } else {
        let _ = writeln!(
            out,
            "var {} = __commonJS(function (exports, module) {{",
            wrapper.require
        );
    }
    let mut map = PieceMapBuilder::default();
    write_live_items(
        db,
        &mut out,
        file,
        live_items,
        (replacements, &[]),
        &mut map,
        false,
    );
    // The entry of a CommonJS bundle runs with the bundle's `module`.
    out.push_str(match (wrapper.exports_bundle, glue.minify) {
        (true, false) => "}, module);\n\n",
        (false, false) => "});\n\n",
        (true, true) => "},module);",
        (false, true) => "});",
    });

    let mut startup = String::new();
    let require = &wrapper.require;
    // Its views are made at startup where it runs then, and by the initializers of lazy ES
    // modules that import it (which may run first): declared here, before either.
    let mut views = String::new();
    for view in [&wrapper.interop, &wrapper.node_interop]
        .into_iter()
        .flatten()
    {
        let _ = writeln!(views, "var {view};");
    }
    if !views.is_empty() {
        views.push('\n');
    }
    out.push_str(&glue.statements(views));
    if wrapper.exports_bundle {
        let _ = writeln!(startup, "{require}();");
    } else if !linked.included || linked.is_lazy {
        // Run by whoever requires it.
    } else if wrapper.interop.is_none() && wrapper.node_interop.is_none() {
        let _ = writeln!(startup, "{require}();");
    } else {
        if let Some(interop) = &wrapper.interop {
            let view = commonjs_view(db, config, file, require, false);
            let _ = writeln!(startup, "{interop} = {view};");
        }
        if let Some(interop) = &wrapper.node_interop {
            let view = commonjs_view(db, config, file, require, true);
            let _ = writeln!(startup, "{interop} = {view};");
        }
    }
    if !startup.is_empty() {
        startup.push('\n');
    }
    let startup = glue.statements(startup);
    RenderedModule {
        map: piece_map(db, file, map, &out),
        code: Arc::from(out),
        namespace: None,
        hoisted: None,
        commonjs: true,
        startup: Some(Arc::from(startup)),
        ..RenderedModule::default()
    }
}

/// `// path` (relative to the root) before a module's code; nothing when minifying.
fn module_header(db: &dyn Db, config: BuildConfig, file: SourceFile) -> String {
    if crate::settings::minify_whitespace(db) {
        return String::new();
    }
    let root = config.root(db);
    let path = file.path(db);
    let shown = path.strip_prefix(root).unwrap_or(path);
    format!("// {}\n", shown.to_string_lossy())
}

/// The declarations a module's code is left open at, minified (see
/// [`RenderedModule::opens_with`]).
#[derive(Default)]
struct Declarations {
    opens_with: Option<&'static str>,
    ends_open: Option<&'static str>,
}

/// The live items' object code, each relocation patched (by the module's replacement
/// table, or as one of the values written where they are read), their source-map segments
/// recorded in `map`. With `open` (and minified), the declarations the text begins and
/// ends with are left open for the chunk to join.
fn write_live_items(
    db: &dyn Db,
    out: &mut String,
    file: SourceFile,
    live_items: &[u32],
    (replacements, moved): (&crate::link::replacements::Replacements, &[MovedValue<'_>]),
    map: &mut PieceMapBuilder,
    open: bool,
) -> Declarations {
    let view = crate::summary::View::of(db, file);
    let glue = Glue::of(db);
    let open = open && glue.minify;
    let mut declarations = Declarations::default();
    // Minified, adjacent declarations of one kind become one (`let a=1;let b=2;` is
    // `let a=1,b=2;`): the keyword of the declaration `out` ends with, if it does.
    let mut open_declaration: Option<&'static str> = None;
    for (position, &index) in live_items.iter().enumerate() {
        let code = view.code(db, index as usize);
        crate::fault::inject(
            crate::fault::requested(&code.text),
            crate::fault::Phase::Render,
        );
        let map = (!code.mappings.is_empty()).then_some(&mut *map);
        let keyword = declaration_keyword(&code.text);
        let joined = keyword.filter(|keyword| {
            glue.minify && open_declaration == Some(*keyword) && out.ends_with(';')
        });
        let opens = keyword.filter(|_| open && position == 0 && out.is_empty());
        if joined.is_some() {
            out.pop();
        }
        let start = out.len();
        let alone = patch_item(
            out,
            code,
            replacements,
            glue,
            map,
            match (joined, opens) {
                (Some(keyword), _) => Some((keyword.len(), ",")),
                (None, Some(keyword)) => Some((keyword.len(), "")),
                (None, None) => None,
            },
            moved,
        );
        let written = &out[start..];
        open_declaration = if !(glue.minify && alone && written.ends_with(';')) {
            None
        } else if joined.is_some() {
            joined
        } else if opens.is_some() {
            opens
        } else {
            declaration_keyword(written)
        };
        if position == 0 {
            declarations.opens_with = opens;
        }
    }
    if open && open_declaration.is_some() {
        out.pop();
        declarations.ends_open = open_declaration;
    }
    declarations
}

/// The live items a module writes (not those written where their binding is read), the
/// values other modules' items (or its own) write in place of its reads, and the sources
/// of its piece map when such values come from other modules: its own, then theirs, to
/// which their mappings are renumbered (`None`: its own, read only when the piece map has
/// segments, so that without source maps rendering does not depend on them).
fn single_use_values<'db>(
    db: &'db dyn Db,
    config: BuildConfig,
    file: SourceFile,
    linked: &LinkedModule,
) -> (Vec<u32>, Vec<MovedValue<'db>>, Option<Arc<[MapSource]>>) {
    let live_items = linked
        .live_items
        .iter()
        .copied()
        .filter(|item| linked.moved_out.binary_search(item).is_err())
        .collect();
    if linked.moved_in.is_empty() {
        return (live_items, Vec::new(), None);
    }
    let own_sources = module_map_sources(db, file);
    let mut sources = PieceSources {
        list: own_sources.to_vec(),
        first: vec![(file, 0)],
    };
    let moved = moved_values(db, config, &linked.moved_in, &|_| true, &mut sources);
    let sources = match sources.list.len() == own_sources.len() {
        true => own_sources.clone(),
        false => Arc::from(sources.list),
    };
    (live_items, moved, Some(sources))
}

/// The sources of a piece map with values of other modules in it, and where each module's
/// start in the list.
struct PieceSources {
    list: Vec<MapSource>,
    first: Vec<(SourceFile, u32)>,
}

impl PieceSources {
    fn base_of(&mut self, db: &dyn Db, module: SourceFile) -> u32 {
        if let Some(&(_, base)) = self.first.iter().find(|(file, _)| *file == module) {
            return base;
        }
        let base = self.list.len() as u32;
        self.list
            .extend(module_map_sources(db, module).iter().cloned());
        self.first.push((module, base));
        base
    }
}

/// The values written in place of the reads of a module (`moved_in`, its linked module's)
/// that `wanted` picks, each with those written in it, in turn.
fn moved_values<'db>(
    db: &'db dyn Db,
    config: BuildConfig,
    moved_in: &[crate::link::tree_shaking::MovedIn],
    wanted: &dyn Fn(&crate::parse::Name) -> bool,
    sources: &mut PieceSources,
) -> Vec<MovedValue<'db>> {
    let mut moved = Vec::new();
    for moved_in in moved_in {
        let crate::link::tree_shaking::MovedIn {
            local,
            from,
            item,
            called,
            ..
        } = moved_in;
        if !wanted(local) {
            continue;
        }
        let code = crate::summary::View::of(db, *from).code(db, *item as usize);
        // A function called there is written as an arrow function when it may be.
        let arrow = match called {
            true => crate::parse::module_facts(db, *from).items[*item as usize].arrow,
            false => None,
        };
        let arrow = arrow.and_then(|body| crate::parse::arrow_code(code, body));
        // Checked when the item was found movable.
        let Some(mut value) = arrow.or_else(|| crate::parse::value_code(code)) else {
            continue;
        };
        let base = sources.base_of(db, *from);
        for mapping in &mut value.mappings {
            mapping.source += base;
        }
        let read_here = |name: &crate::parse::Name| {
            value.relocs.iter().any(|reloc| {
                matches!(&reloc.target, crate::parse::RelocTarget::Symbol(read) if read == name)
            })
        };
        let nested = moved_values(
            db,
            config,
            &linked_module(db, config, *from).moved_in,
            &read_here,
            sources,
        );
        moved.push(MovedValue {
            local: local.clone(),
            called: *called,
            code: value,
            replacements: module_replacements(db, config, *from),
            nested,
        });
    }
    moved
}

/// The map of a module's rendered `text` from the segments recorded in `map`. Reads what
/// the segments point into only when there are segments: without source maps, rendering
/// does not depend on it.
fn piece_map(
    db: &dyn Db,
    file: SourceFile,
    map: PieceMapBuilder,
    text: &str,
) -> Option<Arc<PieceMap>> {
    if map.is_empty() {
        return None;
    }
    map.finish(text, module_map_sources(db, file).clone())
        .map(Arc::new)
}
