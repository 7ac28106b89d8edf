//! Lowering: TypeScript and JSX become JavaScript inside the parse query, with oxc's
//! transformer, before the module's record and object code are made from it. No AST leaves
//! the query, and the transformer keeps the spans of the nodes it keeps, so diagnostics
//! still point into the `.ts`/`.tsx` text. TypeScript follows isolated-module semantics
//! (what esbuild, swc and oxc compile): type-only imports and exports, and imports used only
//! as types, are removed (unless `verbatimModuleSyntax`); enums and namespaces become
//! objects; a `const enum` is inlined where it is used in its own module; parameter
//! properties, `declare`, `satisfies`, `abstract`, `override` and definite assignments are
//! lowered or dropped; legacy decorators are lowered under `experimentalDecorators`.

use std::path::Path;

use oxc::{
    allocator::Allocator,
    ast::ast::{Program, Statement, TSModuleReference},
    ast_visit::Visit,
    semantic::Scoping,
    span::{GetSpan, Span},
    transformer::{
        CompilerAssumptions, DecoratorOptions, JsxOptions, JsxRuntime, Module, TransformOptions,
        Transformer, TypeScriptOptions,
    },
};

use oxc_ecmascript::BoundNames;

use crate::{
    diagnostics::Diagnostic,
    parse::Name,
    settings::{JsxMode, ModuleSettings},
};

/// Whether `settings` ask for any lowering.
pub(super) fn needs_lowering(settings: &ModuleSettings) -> bool {
    settings.typescript.is_some()
        || settings
            .jsx
            .as_ref()
            .is_some_and(|jsx| jsx.mode != JsxMode::Preserve)
}

/// How a TypeScript module is written: `import x = require(...)` and `export =` make it
/// CommonJS (lowered to `require` and `module.exports`), unless it also has ES module
/// imports or exports, which tsc refuses too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct TypeScriptModuleSyntax {
    /// The first `import x = require(...)` or `export =`.
    pub commonjs: Option<Span>,
    /// An ES module import or export of a value.
    pub es_module: bool,
}

pub(super) fn module_syntax(program: &Program<'_>) -> TypeScriptModuleSyntax {
    let mut syntax = TypeScriptModuleSyntax::default();
    for statement in &program.body {
        match statement {
            Statement::TSImportEqualsDeclaration(import)
                if matches!(
                    import.module_reference,
                    TSModuleReference::ExternalModuleReference(_)
                ) =>
            {
                syntax.commonjs.get_or_insert(import.span);
            }
            Statement::TSExportAssignment(export) => {
                syntax.commonjs.get_or_insert(export.span);
            }
            Statement::ImportDeclaration(import) => {
                syntax.es_module |= !import.import_kind.is_type();
            }
            Statement::ExportNamedDeclaration(export) => {
                syntax.es_module |= !export.export_kind.is_type();
            }
            Statement::ExportFromDeclaration(export) => {
                syntax.es_module |= !export.export_kind.is_type();
            }
            Statement::ExportAllDeclaration(export) => {
                syntax.es_module |= !export.export_kind.is_type();
            }
            Statement::ExportDefaultDeclaration(_) | Statement::ExportDeclaration(_) => {
                syntax.es_module = true;
            }
            _ => {}
        }
    }
    syntax
}

/// Syntax verde cannot bundle, found before lowering: TypeScript's CommonJS forms mixed
/// with ES module imports or exports, and standard decorators without
/// `experimentalDecorators`.
pub(super) fn unsupported_syntax(
    program: &Program<'_>,
    text: &str,
    settings: &ModuleSettings,
) -> Vec<(String, Span)> {
    let mut found = Vec::new();
    let syntax = module_syntax(program);
    if let (Some(span), true) = (syntax.commonjs, syntax.es_module) {
        found.push((
            "`import x = require(...)` and `export =` make a CommonJS module, which cannot also have ES module imports or exports: use one or the other".to_owned(),
            span,
        ));
    }
    let legacy_decorators = settings
        .typescript
        .as_ref()
        .is_some_and(|typescript| typescript.experimental_decorators);
    // No `@`, no decorator: most modules need no walk.
    if !legacy_decorators && text.contains('@') {
        let mut decorators = Decorators(None);
        decorators.visit_program(program);
        if let Some(span) = decorators.0 {
            found.push((
                "verde lowers decorators only as TypeScript's `experimentalDecorators` define them: set it in tsconfig.json".to_owned(),
                span,
            ));
        }
    }
    found
}

/// Every name the module exports as written, types included.
pub(super) fn exported_names(program: &Program<'_>) -> Vec<Name> {
    let mut names = Vec::new();
    for statement in &program.body {
        match statement {
            Statement::ExportNamedDeclaration(export) => {
                for specifier in &export.specifiers {
                    names.push(Name::from(specifier.exported.name().as_str()));
                }
            }
            Statement::ExportDeclaration(export) => {
                if let Some(id) = export.declaration.id() {
                    names.push(Name::from(id.name.as_str()));
                }
                export
                    .declaration
                    .bound_names(&mut |id| names.push(Name::from(id.name.as_str())));
            }
            Statement::ExportFromDeclaration(export) => {
                for specifier in &export.specifiers {
                    names.push(Name::from(specifier.exported.name().as_str()));
                }
            }
            Statement::ExportDefaultDeclaration(_) => names.push(Name::from("default")),
            _ => {}
        }
    }
    names
}

/// The first decorator of a program.
struct Decorators(Option<Span>);

impl<'a> Visit<'a> for Decorators {
    fn visit_decorator(&mut self, decorator: &oxc::ast::ast::Decorator<'a>) {
        self.0.get_or_insert(decorator.span());
    }
}

/// Lowers `program` as `settings` say, returning the problems the transformer reports.
pub(super) fn lower<'a>(
    allocator: &'a Allocator,
    path: &Path,
    program: &mut Program<'a>,
    scoping: Scoping,
    settings: &ModuleSettings,
    commonjs: bool,
) -> Vec<Diagnostic> {
    let mut options = TransformOptions::default();
    // Helpers the lowering needs are imported, not required (see `virtual_modules.rs`); a
    // TypeScript CommonJS module's `import x = require()` and `export =` become `require`
    // and `module.exports`.
    options.env.module = if commonjs {
        Module::CommonJS
    } else {
        Module::Esm
    };
    if let Some(typescript) = &settings.typescript {
        options.typescript = TypeScriptOptions {
            only_remove_type_imports: typescript.verbatim_module_syntax,
            remove_class_fields_without_initializer: !typescript.use_define_for_class_fields,
            optimize_const_enums: true,
            ..TypeScriptOptions::default()
        };
        options.assumptions = CompilerAssumptions {
            set_public_class_fields: !typescript.use_define_for_class_fields,
            ..CompilerAssumptions::default()
        };
        // The legacy transform also lowers `accessor` fields (auto-accessors), which node
        // does not run; decorators themselves only reach it under `experimentalDecorators`
        // (`unsupported_syntax` refuses them otherwise).
        options.decorator = DecoratorOptions {
            legacy: true,
            emit_decorator_metadata: typescript.emit_decorator_metadata,
            ..DecoratorOptions::default()
        };
    }
    options.jsx = match &settings.jsx {
        Some(jsx) if jsx.mode != JsxMode::Preserve => {
            let mut lowering = JsxOptions {
                runtime: match jsx.mode {
                    JsxMode::Classic => JsxRuntime::Classic,
                    _ => JsxRuntime::Automatic,
                },
                development: jsx.development,
                import_source: Some(jsx.import_source.clone()),
                pragma: jsx.factory.clone(),
                pragma_frag: jsx.fragment_factory.clone(),
                ..JsxOptions::enable()
            };
            lowering.conform();
            lowering
        }
        _ => JsxOptions::disable(),
    };
    let transformed =
        Transformer::new(allocator, path, &options).build_with_scoping(scoping, program);
    transformed
        .diagnostics
        .iter()
        .map(|error| super::compile::oxc_error_to_diagnostic(path, error))
        .collect()
}
