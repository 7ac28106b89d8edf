//! How each module is compiled: its loader (by extension, or `--loader`), and the
//! TypeScript and JSX options that apply to it, from the nearest `tsconfig.json` and the
//! command line. One query per module whose result is equal for modules configured alike,
//! so an edit of a tsconfig re-parses exactly the modules whose settings it changes: a
//! change of `jsx` re-parses the `.tsx` and `.jsx` modules under it, not the `.ts` ones.

pub mod define;
pub mod loader;
pub mod package_scope;
pub mod tsconfig;

use std::path::PathBuf;

pub use crate::charset::Charset;
use crate::{Db, diagnostics::Diagnostic, files::SourceFile};
pub use define::Defines;
pub use loader::{Loader, is_module_source};
pub use package_scope::ModuleFormat;
use tsconfig::{TsconfigOptions, module_tsconfig, tsconfig_options};

/// What the command line says about compiling modules: the same for every module, an input
/// of its own (one per database), so that changing it re-runs what depends on it and
/// nothing else.
#[salsa::input(singleton, debug)]
pub struct CompileOptions {
    /// `--loader .ext=kind` overrides, extension with its dot.
    #[returns(ref)]
    pub loaders: Vec<(String, Loader)>,
    /// `--jsx`, `--jsx-import-source`, `--jsx-dev`.
    #[returns(ref)]
    pub jsx: JsxFlags,
    /// `--tsconfig FILE`: this one configures every module instead of the nearest one.
    #[returns(ref)]
    pub tsconfig: Option<PathBuf>,
    /// `--define KEY=VALUE`: expressions replaced before anything else reads the module.
    #[returns(ref)]
    pub defines: Defines,
    /// `--platform`: which conditions and fields resolution uses, and what is built in.
    #[returns(copy)]
    pub platform: Platform,
    /// `--sourcemap`: object code carries source-map segments.
    #[returns(copy)]
    pub source_maps: bool,
    /// `--minify-whitespace`: object code and render write no whitespace they can leave out.
    #[returns(copy)]
    pub minify_whitespace: bool,
    /// `--minify-identifiers`: nested bindings get the shortest names their scopes allow
    /// (oxc's mangler, per module), top-level bindings short names from naming.
    #[returns(copy)]
    pub minify_identifiers: bool,
    /// `--minify-syntax`: each module is rewritten into shorter equivalent code (oxc's
    /// compressor, per module) before anything reads it.
    #[returns(copy)]
    pub minify_syntax: bool,
    /// `--legal-comments`: where the comments that carry a license go.
    #[returns(copy)]
    pub legal_comments: LegalComments,
    /// `--keep-names`: functions and classes keep their `.name` when identifiers are
    /// minified (see [`keep_names`]).
    #[returns(copy)]
    pub keep_names: bool,
    /// `--charset`: how characters outside ASCII are printed.
    #[returns(copy)]
    pub charset: Charset,
}

/// Whether this build prints characters outside ASCII as escapes (`--charset=ascii`).
pub fn ascii_output(db: &dyn Db) -> bool {
    CompileOptions::try_get(db).map_or(Charset::default(), |options| options.charset(db))
        == Charset::Ascii
}

/// Where comments that carry a license (`/*!`, `//!`, `@license`, `@preserve`) go
/// (`--legal-comments`, esbuild's spelling and default for bundles).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LegalComments {
    /// Dropped.
    None,
    /// Where they are, before the statement they precede.
    Inline,
    /// Gathered at the end of the bundle, each once.
    #[default]
    Eof,
}

impl LegalComments {
    pub fn from_name(name: &str) -> Option<LegalComments> {
        Some(match name {
            "none" => LegalComments::None,
            "inline" => LegalComments::Inline,
            "eof" => LegalComments::Eof,
            _ => return None,
        })
    }
}

/// Where legal comments go in this build (`--legal-comments`).
pub fn legal_comments(db: &dyn Db) -> LegalComments {
    CompileOptions::try_get(db).map_or(LegalComments::default(), |options| {
        options.legal_comments(db)
    })
}

/// Whether bindings get short names (`--minify-identifiers`).
pub fn minify_identifiers(db: &dyn Db) -> bool {
    CompileOptions::try_get(db).is_some_and(|options| options.minify_identifiers(db))
}

/// Whether a function or class that gets another name keeps its original `.name`. Always,
/// unless identifiers are minified without `--keep-names`: then, as with esbuild, terser
/// and SWC, `.name` is the short name (or none), which is what makes minified code small.
pub fn keep_names(db: &dyn Db) -> bool {
    CompileOptions::try_get(db)
        .is_none_or(|options| options.keep_names(db) || !options.minify_identifiers(db))
}

/// Whether the build writes no whitespace it can leave out (`--minify-whitespace`).
pub fn minify_whitespace(db: &dyn Db) -> bool {
    CompileOptions::try_get(db).is_some_and(|options| options.minify_whitespace(db))
}

/// The runtime a bundle is for (esbuild's `--platform`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Platform {
    /// Browsers: the `browser` condition and field; node's built-in modules are errors.
    #[default]
    Browser,
    /// Node: the `node` condition, `import` or `require` by the importer's kind; built-in
    /// modules are external.
    Node,
    /// Neither: only the `import` and `default` conditions, no main fields but `main`.
    Neutral,
}

impl Platform {
    pub fn from_name(name: &str) -> Option<Platform> {
        Some(match name {
            "browser" => Platform::Browser,
            "node" => Platform::Node,
            "neutral" => Platform::Neutral,
            _ => return None,
        })
    }
}

/// The JSX options of the command line (each overrides the tsconfig's).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct JsxFlags {
    pub mode: Option<JsxMode>,
    pub import_source: Option<String>,
    pub development: bool,
}

/// How JSX is compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsxMode {
    /// `jsx()` / `jsxs()` from `<import source>/jsx-runtime` (React 17's runtime).
    Automatic,
    /// `React.createElement(...)` (or the factory tsconfig or a `@jsx` pragma names).
    Classic,
    /// JSX is kept as written.
    Preserve,
}

impl JsxMode {
    pub fn from_name(name: &str) -> Option<JsxMode> {
        Some(match name {
            "automatic" => JsxMode::Automatic,
            "classic" => JsxMode::Classic,
            "preserve" => JsxMode::Preserve,
            _ => return None,
        })
    }
}

/// Everything that decides how one module is compiled.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ModuleSettings {
    pub loader: Loader,
    /// For TypeScript modules.
    pub typescript: Option<TypeScriptSettings>,
    /// For modules with JSX.
    pub jsx: Option<JsxSettings>,
    /// Why the tsconfig could not be used (then the defaults apply, and the build fails).
    pub problem: Option<Diagnostic>,
    /// What the extension and the package scope say about the module's kind.
    pub format: ModuleFormat,
    /// `--define`s (shared, compared by value).
    pub defines: Defines,
    /// Whether the object code carries source-map segments (`--sourcemap`; never for JSON,
    /// whose module is generated).
    pub source_map: bool,
    /// Whether the object code is printed without the whitespace it can leave out.
    pub minify_whitespace: bool,
    /// Whether nested bindings are renamed to short names.
    pub minify_identifiers: bool,
    /// Whether functions and classes keep their `.name` (see [`keep_names`]).
    pub keep_names: bool,
    /// Whether the module is rewritten into shorter equivalent code.
    pub minify_syntax: bool,
    /// Where its legal comments go.
    pub legal_comments: LegalComments,
    /// How characters outside ASCII are printed.
    pub charset: Charset,
}

/// The TypeScript options lowering reads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TypeScriptSettings {
    /// `verbatimModuleSyntax`: imports not marked `type` are kept even when only types use
    /// them.
    pub verbatim_module_syntax: bool,
    /// `useDefineForClassFields`: class fields are defined (`[[Define]]`) rather than
    /// assigned in the constructor. When unset, derived from `target` as tsc derives it.
    pub use_define_for_class_fields: bool,
    /// `experimentalDecorators`: legacy decorators.
    pub experimental_decorators: bool,
    /// `emitDecoratorMetadata` (with legacy decorators).
    pub emit_decorator_metadata: bool,
}

/// The JSX options lowering reads.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct JsxSettings {
    pub mode: JsxMode,
    /// The automatic runtime's package (`react` unless said otherwise).
    pub import_source: String,
    /// The classic runtime's factory and fragment (`React.createElement`, `React.Fragment`).
    pub factory: Option<String>,
    pub fragment_factory: Option<String>,
    /// The development runtime (`jsxDEV`).
    pub development: bool,
}

/// How `file` is compiled.
#[salsa::tracked(returns(ref))]
pub fn module_settings(db: &dyn Db, file: SourceFile) -> ModuleSettings {
    let options = CompileOptions::try_get(db);
    let loader = Loader::for_path(
        file.path(db),
        options.map_or(&[][..], |options| options.loaders(db)),
    );
    let mut settings = ModuleSettings {
        loader,
        format: package_scope::module_format(db, file),
        defines: options
            .map(|options| options.defines(db).clone())
            .unwrap_or_default(),
        source_map: loader != Loader::Json
            && options.is_some_and(|options| options.source_maps(db)),
        minify_whitespace: options.is_some_and(|options| options.minify_whitespace(db)),
        minify_identifiers: options.is_some_and(|options| options.minify_identifiers(db)),
        keep_names: keep_names(db),
        minify_syntax: loader != Loader::Json
            && options.is_some_and(|options| options.minify_syntax(db)),
        legal_comments: options.map_or(LegalComments::default(), |options| {
            options.legal_comments(db)
        }),
        charset: options.map_or(Charset::default(), |options| options.charset(db)),
        ..ModuleSettings::default()
    };
    if !loader.is_typescript() && !loader.has_jsx() {
        // Plain JavaScript and JSON read no tsconfig.
        return settings;
    }
    let tsconfig = match module_tsconfig(db, file).map(|tsconfig| tsconfig_options(db, tsconfig)) {
        Some(Ok(options)) => options.clone(),
        Some(Err(problem)) => {
            settings.problem = Some(problem.clone());
            TsconfigOptions::default()
        }
        None => TsconfigOptions::default(),
    };
    if loader.is_typescript() {
        settings.typescript = Some(TypeScriptSettings {
            verbatim_module_syntax: tsconfig.verbatim_module_syntax.unwrap_or(false),
            use_define_for_class_fields: tsconfig
                .use_define_for_class_fields
                .unwrap_or_else(|| target_defines_class_fields(tsconfig.target.as_deref())),
            experimental_decorators: tsconfig.experimental_decorators.unwrap_or(false),
            emit_decorator_metadata: tsconfig.emit_decorator_metadata.unwrap_or(false),
        });
    }
    if loader.has_jsx() {
        let flags = options
            .map(|options| options.jsx(db).clone())
            .unwrap_or_default();
        let (tsconfig_mode, tsconfig_development) = match tsconfig.jsx.as_deref() {
            Some("react") => (Some(JsxMode::Classic), false),
            Some("react-jsx") => (Some(JsxMode::Automatic), false),
            Some("react-jsxdev") => (Some(JsxMode::Automatic), true),
            Some("preserve" | "react-native") => (Some(JsxMode::Preserve), false),
            _ => (None, false),
        };
        settings.jsx = Some(JsxSettings {
            mode: flags.mode.or(tsconfig_mode).unwrap_or(JsxMode::Automatic),
            import_source: flags
                .import_source
                .or(tsconfig.jsx_import_source)
                .unwrap_or_else(|| "react".to_owned()),
            factory: tsconfig.jsx_factory,
            fragment_factory: tsconfig.jsx_fragment_factory,
            development: flags.development || tsconfig_development,
        });
    }
    settings
}

/// tsc's default for `useDefineForClassFields`: true from ES2022 on (and for ESNext), false
/// below, and false when `target` is unset (its default target is ES5).
fn target_defines_class_fields(target: Option<&str>) -> bool {
    let Some(target) = target else {
        return false;
    };
    let target = target.to_ascii_lowercase();
    if target == "esnext" {
        return true;
    }
    target
        .strip_prefix("es")
        .and_then(|year| year.parse::<u32>().ok())
        .is_some_and(|year| year >= 2022)
}

#[cfg(test)]
mod tests {
    use super::target_defines_class_fields;

    #[test]
    fn class_fields_are_defined_from_es2022_on() {
        for (target, defines) in [
            (None, false),
            (Some("ES5"), false),
            (Some("es2021"), false),
            (Some("ES2022"), true),
            (Some("ESNext"), true),
            (Some("es6"), false),
        ] {
            assert_eq!(target_defines_class_fields(target), defines, "{target:?}");
        }
    }
}
