//! `--charset=ascii` (the default, as esbuild's): code is printed with every character
//! outside ASCII written as an escape. A browser reads a script without a declared charset
//! as Latin-1 and would garble the rest, and an engine keeps a source it can store one byte
//! per character as such (V8 decodes and scans a 13 MB bundle of three.js in about a third
//! of the time when none of it needs two bytes).
//!
//! One mechanism for every printer (object code, inlined constants, render's minified
//! glue): [`escape_program`] rewrites the AST just before it is printed so that oxc's
//! printer, which writes decoded strings and names as they are, writes escapes instead.
//! `\uXXXX` means the same character in a string, a template, a regular expression and an
//! identifier, so an escape never changes what the code does. Left as written: comments
//! (legal comments are copied verbatim), the raw text of tagged templates (the tag can read
//! it), and modules whose JSX is kept as JSX (`--jsx=preserve`): JSX text, attribute
//! strings and tag names have no such escapes.

use std::fmt::Write as _;

use oxc::{
    allocator::Allocator,
    ast::ast::{
        Directive, IdentifierName, IdentifierReference, LabelIdentifier, PrivateIdentifier,
        Program, RegExpLiteral, StringLiteral, TaggedTemplateExpression, TemplateLiteral,
    },
    ast_visit::{VisitMut, walk_mut},
    semantic::Scoping,
    str::{Ident, Str},
};

/// How non-ASCII characters are printed (`--charset`, esbuild's spelling).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Charset {
    /// Escaped, so the output is ASCII but for comments and tagged templates' raw text.
    #[default]
    Ascii,
    /// As they are (UTF-8).
    Utf8,
}

impl Charset {
    pub fn from_name(name: &str) -> Option<Charset> {
        Some(match name {
            "ascii" => Charset::Ascii,
            "utf8" => Charset::Utf8,
            _ => return None,
        })
    }
}

/// Whether a program parsed from `source` can print anything outside ASCII: only if the
/// source has some, or an escape that decodes to some (`\u`, `\x`, an octal escape), or
/// the program was rewritten after parsing (lowering and compressing make new text, e.g.
/// JSX entities decoded, `String.fromCharCode` folded). Most modules have none of these,
/// and [`escape_program`] need not walk them.
pub fn may_print_non_ascii(source: &str, rewritten: bool) -> bool {
    rewritten
        || !source.is_ascii()
        || source
            .as_bytes()
            .windows(2)
            .any(|pair| pair[0] == b'\\' && matches!(pair[1], b'u' | b'x' | b'0'..=b'9'))
}

/// Rewrites `program` so that it prints as ASCII: strings, templates, regular expressions
/// and names get escapes. `scoping` is the printer's (the names of bindings and of the
/// references to them are printed from it). Names containing `keep` (verde's relocation
/// markers, taken out of the printed text afterwards) are left as they are.
pub fn escape_program<'a>(
    allocator: &'a Allocator,
    program: &mut Program<'a>,
    scoping: Option<&mut Scoping>,
    keep: Option<&str>,
) {
    let kept = |name: &str| keep.is_some_and(|keep| name.contains(keep));
    if let Some(scoping) = scoping {
        let renamed: Vec<_> = scoping
            .symbol_ids()
            .filter_map(|symbol| {
                let name = scoping.symbol_name(symbol);
                (!name.is_ascii() && !kept(name))
                    .then(|| (symbol, allocator.alloc_str(&escaped_identifier(name))))
            })
            .collect();
        for (symbol, name) in renamed {
            scoping.set_symbol_name(symbol, Ident::from(name));
        }
    }
    let mut escaper = Escaper {
        allocator,
        keep,
        tagged_depth: 0,
    };
    escaper.visit_program(program);
}

struct Escaper<'a, 'k> {
    allocator: &'a Allocator,
    keep: Option<&'k str>,
    /// Inside the quasi of a tagged template (whose raw text the tag can read).
    tagged_depth: u32,
}

impl<'a> Escaper<'a, '_> {
    fn ident(&self, name: Ident<'a>) -> Ident<'a> {
        if name.is_ascii() || self.keep.is_some_and(|keep| name.contains(keep)) {
            return name;
        }
        Ident::from(self.allocator.alloc_str(&escaped_identifier(&name)))
    }

    fn str(&self, text: String) -> Str<'a> {
        Str::from(self.allocator.alloc_str(&text))
    }
}

impl<'a> VisitMut<'a> for Escaper<'a, '_> {
    fn visit_string_literal(&mut self, it: &mut StringLiteral<'a>) {
        if !it.value.is_ascii() {
            it.value = self.str(lone_surrogate_escapes(&it.value, it.lone_surrogates));
            it.lone_surrogates = true;
        }
    }

    fn visit_template_literal(&mut self, it: &mut TemplateLiteral<'a>) {
        if self.tagged_depth == 0 {
            for quasi in &mut it.quasis {
                if !quasi.value.raw.is_ascii() {
                    quasi.value.raw = self.str(escaped_source_text(&quasi.value.raw, false));
                }
            }
        }
        // The expressions inside are not the tag's raw text.
        let depth = std::mem::take(&mut self.tagged_depth);
        walk_mut::walk_template_literal(self, it);
        self.tagged_depth = depth;
    }

    fn visit_tagged_template_expression(&mut self, it: &mut TaggedTemplateExpression<'a>) {
        self.visit_expression(&mut it.tag);
        self.tagged_depth += 1;
        self.visit_template_literal(&mut it.quasi);
        self.tagged_depth -= 1;
    }

    fn visit_reg_exp_literal(&mut self, it: &mut RegExpLiteral<'a>) {
        let pattern = &it.regex.pattern.text;
        if !pattern.is_ascii() {
            let unicode = it.regex.flags.iter().any(|flag| {
                matches!(
                    flag,
                    oxc::ast::ast::RegExpFlags::U | oxc::ast::ast::RegExpFlags::V
                )
            });
            it.regex.pattern.text = self.str(escaped_source_text(pattern, !unicode));
        }
    }

    fn visit_directive(&mut self, it: &mut Directive<'a>) {
        // Printed from its raw text (`'use strict'` must stay free of escapes; any other
        // directive means nothing, and keeps its value).
        if !it.directive.is_ascii() {
            it.directive = self.str(escaped_source_text(&it.directive, true));
        }
    }

    fn visit_identifier_name(&mut self, it: &mut IdentifierName<'a>) {
        it.name = self.ident(it.name);
    }

    fn visit_identifier_reference(&mut self, it: &mut IdentifierReference<'a>) {
        // A reference to a binding prints the binding's name from the scoping (renamed
        // above); an unresolved one (a global) prints its own.
        it.name = self.ident(it.name);
    }

    fn visit_label_identifier(&mut self, it: &mut LabelIdentifier<'a>) {
        it.name = self.ident(it.name);
    }

    fn visit_private_identifier(&mut self, it: &mut PrivateIdentifier<'a>) {
        it.name = self.ident(it.name);
    }
}

/// `name` as `--charset=ascii` writes it: itself when it is ASCII, else with escapes.
pub fn ascii_identifier(name: &str) -> std::borrow::Cow<'_, str> {
    if name.is_ascii() {
        std::borrow::Cow::Borrowed(name)
    } else {
        std::borrow::Cow::Owned(escaped_identifier(name))
    }
}

/// `name` with every non-ASCII character as an identifier escape (`\u{...}` beyond the
/// basic plane: a pair of surrogate escapes is not an identifier).
pub fn escaped_identifier(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    for character in name.chars() {
        push_escape(&mut out, character, false);
    }
    out
}

/// `text` (a string's value) as `\u` escapes wherever it is not ASCII, in oxc's encoding of
/// a string with lone surrogates, which the printer writes as `\uXXXX`: U+FFFD followed by
/// the code unit in four hex digits (upper case, so that U+FFFD itself is not mistaken for
/// the `fffd` oxc writes for a literal U+FFFD). `lone_surrogates`: `text` is in that
/// encoding already.
fn lone_surrogate_escapes(text: &str, lone_surrogates: bool) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut characters = text.chars();
    while let Some(character) = characters.next() {
        if character.is_ascii() {
            out.push(character);
            continue;
        }
        if lone_surrogates && character == '\u{FFFD}' {
            let hex: String = characters.by_ref().take(4).collect();
            if hex != "fffd" {
                // A lone surrogate, already an escape.
                out.push('\u{FFFD}');
                out.push_str(&hex);
                continue;
            }
        }
        let mut units = [0u16; 2];
        for unit in character.encode_utf16(&mut units) {
            let _ = write!(out, "\u{FFFD}{unit:04X}");
        }
    }
    out
}

/// Source text that the printer copies (a template's raw text, a regular expression's
/// pattern) with every non-ASCII character escaped. A character after an odd run of
/// backslashes is an identity escape (`\é` means `é`): its backslash goes, the escape
/// stands for both. `surrogate_pairs`: a character beyond the basic plane is written as
/// two escapes (a regular expression without the `u` or `v` flag reads it as two code
/// units), else as `\u{...}`.
pub fn escaped_source_text(text: &str, surrogate_pairs: bool) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut backslashes = 0usize;
    for character in text.chars() {
        if character.is_ascii() {
            backslashes = if character == '\\' {
                backslashes + 1
            } else {
                0
            };
            out.push(character);
            continue;
        }
        let escaped = backslashes % 2 == 1;
        backslashes = 0;
        if escaped && matches!(character, '\u{2028}' | '\u{2029}') {
            // A line continuation in a template (it stands for nothing): so does `\`
            // before a line feed.
            out.push('\n');
            continue;
        }
        if escaped {
            out.pop();
        }
        push_escape(&mut out, character, surrogate_pairs);
    }
    out
}

fn push_escape(out: &mut String, character: char, surrogate_pairs: bool) {
    if character.is_ascii() {
        out.push(character);
    } else if (character as u32) < 0x10000 || surrogate_pairs {
        let mut units = [0u16; 2];
        for unit in character.encode_utf16(&mut units) {
            let _ = write!(out, "\\u{unit:04X}");
        }
    } else {
        let _ = write!(out, "\\u{{{:X}}}", character as u32);
    }
}

#[cfg(test)]
mod tests {
    use oxc::{codegen::Codegen, parser::Parser, semantic::SemanticBuilder, span::SourceType};

    use super::*;

    /// `source` printed as `--charset=ascii` prints it.
    fn printed_ascii(source: &str, keep: Option<&str>) -> String {
        let allocator = Allocator::default();
        let mut program = Parser::new(&allocator, source, SourceType::mjs())
            .parse()
            .program;
        let mut scoping = SemanticBuilder::new()
            .build(&program)
            .semantic
            .into_scoping();
        escape_program(&allocator, &mut program, Some(&mut scoping), keep);
        Codegen::new()
            .with_scoping(Some(scoping))
            .build(&program)
            .code
    }

    #[test]
    fn programs_print_as_ascii_but_for_tagged_templates_and_kept_names() {
        let source = r#"function g() { 'dïrective'; }
const café = `é${tag`raw é ${`ü`}`}`;
obj.ñ(/ß/, 'ö', k\u00e9y);
function f(ä) { return ä; }
let $ᐸ0_ = 1;"#;
        let expected = r#"function g() {
	"d\u00EFrective";
}
const caf\u00E9 = `\u00E9${tag`raw é ${`\u00FC`}`}`;
obj.\u00F1(/\u00DF/, "\u00F6", k\u00E9y);
function f(\u00E4) {
	return \u00E4;
}
let $ᐸ0_ = 1;
"#;
        assert_eq!(printed_ascii(source, Some("$ᐸ")), expected);
    }

    #[test]
    fn escapes_spell_the_same_characters() {
        assert_eq!(escaped_identifier("café"), "caf\\u00E9");
        assert_eq!(escaped_identifier("𝑥"), "\\u{1D465}");
        assert_eq!(
            escaped_source_text("ατ \\é \\\\é", false),
            "\\u03B1\\u03C4 \\u00E9 \\\\\\u00E9"
        );
        assert_eq!(escaped_source_text("😀", true), "\\uD83D\\uDE00");
        assert_eq!(escaped_source_text("a\\\u{2028}b", false), "a\\\nb");
        assert_eq!(escaped_source_text("😀", false), "\\u{1F600}");
        assert_eq!(
            lone_surrogate_escapes("é\u{FFFD}", false),
            "\u{FFFD}00E9\u{FFFD}FFFD"
        );
        // Already encoded: a lone surrogate stays, a literal U+FFFD gets an upper-case escape.
        assert_eq!(
            lone_surrogate_escapes("\u{FFFD}d800\u{FFFD}fffd", true),
            "\u{FFFD}d800\u{FFFD}FFFD"
        );
    }
}
