//! Render's own code: runtime helpers, namespace objects, imports and exports of the
//! format, what runs at startup. It is written readable; when minifying, whole statements
//! of it are printed again by oxc's minifying printer, with short nested names when
//! identifiers are minified (one definition of each shape, and the printer that prints the
//! modules decides how it is spelled short), while the few
//! shapes that wrap module code (a lazy module's initializer, a CommonJS wrapper, the IIFE)
//! are spelled short where they are written.

use oxc::{
    allocator::Allocator,
    codegen::{Codegen, CodegenOptions, CommentOptions, LegalComment},
    mangler::{MangleOptions, Mangler},
    parser::Parser,
    span::SourceType,
};

use crate::Db;

/// How render's own code is spelled in this build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Glue {
    /// `--minify-whitespace`: no whitespace or comments the code does not need.
    pub minify: bool,
    /// `--minify-identifiers` too: the helpers' parameters and variables get short names.
    pub mangle: bool,
    /// `--charset=ascii`: names are written with escapes for what is not ASCII.
    pub ascii: bool,
}

impl Glue {
    pub(crate) fn of(db: &dyn Db) -> Self {
        Glue {
            minify: crate::settings::minify_whitespace(db),
            mangle: crate::settings::minify_identifiers(db),
            ascii: crate::settings::ascii_output(db),
        }
    }

    /// A module's own name for a binding (final names come spelled for the charset from
    /// `link::module_links`) as this build writes it.
    pub(crate) fn name(self, name: &str) -> std::borrow::Cow<'_, str> {
        if self.ascii {
            crate::charset::ascii_identifier(name)
        } else {
            std::borrow::Cow::Borrowed(name)
        }
    }

    /// `statements` (whole statements, as render writes them) as this build spells them.
    /// Minified, every statement ends with its `;`, so module code can follow directly.
    pub(super) fn statements(self, statements: String) -> String {
        if !self.minify || statements.trim().is_empty() {
            return statements;
        }
        let allocator = Allocator::default();
        let parsed = Parser::new(&allocator, &statements, SourceType::mjs()).parse();
        if !parsed.diagnostics.is_empty() || parsed.panicked {
            // A bug in render; the code as written is still right, only longer.
            debug_assert!(false, "glue does not parse: {:?}", parsed.diagnostics);
            return statements;
        }
        // Nested names only: the top-level ones are the bundle's (helpers, imports), and a
        // name the statements read but do not declare (a binding of the bundle) is one the
        // mangler leaves free.
        let mut scoping = self.mangle.then(|| {
            Mangler::new()
                .with_options(MangleOptions {
                    top_level: Some(false),
                    ..MangleOptions::default()
                })
                .build(&parsed.program)
                .scoping
        });
        let mut program = parsed.program;
        if self.ascii && (!statements.is_ascii() || statements.contains('\\')) {
            // The printer writes names and strings decoded: escape them again.
            crate::charset::escape_program(&allocator, &mut program, scoping.as_mut(), None);
        }
        let mut printed = Codegen::new()
            .with_options(CodegenOptions {
                minify: true,
                comments: CommentOptions {
                    normal: false,
                    jsdoc: false,
                    annotation: false,
                    legal: LegalComment::None,
                },
                ..CodegenOptions::default()
            })
            .with_scoping(scoping)
            .build(&program)
            .code;
        if !printed.ends_with(';') {
            printed.push(';');
        }
        printed
    }
}
