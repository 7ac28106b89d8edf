//! Markers and relocations: the identifiers that stand for a linked name while a module is
//! printed, and how they are taken back out of the printed text.
//!
//! A marker is `prefix` + a number + `_`, where the prefix is `$ᐸ` followed by zero or more
//! `v`s, the first such prefix that occurs in no text the printer can reproduce. That makes
//! every occurrence of the prefix in the printed module one of ours, by construction:
//!
//! - The printer writes its own punctuation, keywords, whitespace and numbers in ASCII, and
//!   the prefix contains U+1438, so none of that can spell it.
//! - Everything else it writes comes from the AST: slices of the source text (regular
//!   expressions, template literals' raw text, directives, JSX text, kept comments),
//!   decoded string values (re-escaped only into ASCII escapes), and decoded identifier
//!   names (`$\u1438` decodes to `$ᐸ`). [`MarkerPrefix::choose`] checks the prefix against
//!   the source text and against every decoded string and name of the AST.
//! - The prefix cannot straddle two tokens: where two tokens the printer writes could join
//!   into `$ᐸ`, the first would end in `$` and the second start with `ᐸ`, an identifier
//!   start; but the printer separates an identifier from a preceding word with a space, and
//!   strings, templates and regular expressions end with their delimiters.
//!
//! So extraction never mistakes user text for a relocation, whatever the user spelled and
//! however it was escaped.

use oxc::{
    ast::ast::{
        BindingIdentifier, IdentifierName, IdentifierReference, JSXIdentifier, JSXText,
        LabelIdentifier, PrivateIdentifier, Program, StringLiteral, TemplateElement,
    },
    ast_visit::Visit,
};
use rustc_hash::FxHashMap;

use crate::parse::record::{Mapping, ObjectCode, Reloc, RelocTarget};

/// The character every marker prefix contains: it is never printed by the printer itself.
const MARKER_CHARACTER: char = '\u{1438}';
/// The first byte of [`MARKER_CHARACTER`] in UTF-8.
const MARKER_LEAD_BYTE: u8 = 0xE1;

/// The prefix of every marker of one module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkerPrefix(String);

impl MarkerPrefix {
    /// The first prefix that occurs neither in `source` nor in any string or name the
    /// printer could reproduce from `program` (decoded). `lowered`: the program was lowered
    /// after parsing, which makes strings and names the source does not hold (a `const
    /// enum`'s folded strings, JSX runtime specifiers from the settings); the printer still
    /// copies slices of `source` for what lowering kept (regular expressions, raw template
    /// text).
    pub fn choose(program: &Program<'_>, source: &str, lowered: bool) -> MarkerPrefix {
        // Decoded text differs from the source only through escapes (`\u` in names,
        // strings and templates; `&#` entities in JSX): without any, and without the
        // character itself, no decoded text can hold it, and the AST need not be walked.
        let texts = if lowered
            || source.contains(MARKER_CHARACTER)
            || source.contains("\\u")
            || source.contains("&#")
        {
            let mut texts = PrintableTexts::default();
            texts.visit_program(program);
            texts.containing_marker_character
        } else {
            Vec::new()
        };
        let prefix = (0..)
            .map(|attempt| format!("${MARKER_CHARACTER}{}", "v".repeat(attempt)))
            .find(|prefix| {
                !source.contains(prefix.as_str())
                    && !texts.iter().any(|text| text.contains(prefix.as_str()))
            })
            .expect("a long enough prefix occurs nowhere");
        MarkerPrefix(prefix)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name of the statement printed before each item.
    pub fn separator(&self) -> String {
        format!("{}_", self.0)
    }
}

/// The decoded strings and names of a module that contain [`MARKER_CHARACTER`]: only those
/// can contain a prefix (almost always none).
#[derive(Default)]
struct PrintableTexts {
    containing_marker_character: Vec<String>,
}

impl PrintableTexts {
    fn add(&mut self, text: &str) {
        // The character's first byte in UTF-8 is looked for first: a byte search is what
        // most texts (short, and ASCII) need, not a search for three bytes.
        if text.as_bytes().contains(&MARKER_LEAD_BYTE) && text.contains(MARKER_CHARACTER) {
            self.containing_marker_character.push(text.to_owned());
        }
    }
}

impl<'a> Visit<'a> for PrintableTexts {
    fn visit_identifier_name(&mut self, it: &IdentifierName<'a>) {
        self.add(&it.name);
    }

    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        self.add(&it.name);
    }

    fn visit_binding_identifier(&mut self, it: &BindingIdentifier<'a>) {
        self.add(&it.name);
    }

    fn visit_label_identifier(&mut self, it: &LabelIdentifier<'a>) {
        self.add(&it.name);
    }

    fn visit_private_identifier(&mut self, it: &PrivateIdentifier<'a>) {
        self.add(&it.name);
    }

    fn visit_jsx_identifier(&mut self, it: &JSXIdentifier<'a>) {
        self.add(&it.name);
    }

    fn visit_jsx_text(&mut self, it: &JSXText<'a>) {
        self.add(&it.value);
    }

    fn visit_string_literal(&mut self, it: &StringLiteral<'a>) {
        self.add(&it.value);
    }

    fn visit_template_element(&mut self, it: &TemplateElement<'a>) {
        self.add(&it.value.raw);
        if let Some(cooked) = &it.value.cooked {
            self.add(cooked);
        }
    }
}

/// The relocation targets of one module, each with its marker number.
pub struct Markers {
    prefix: MarkerPrefix,
    targets: Vec<RelocTarget>,
    index: FxHashMap<RelocTarget, usize>,
}

/// Printed text that holds the prefix without a well-formed marker after it: impossible by
/// the argument in the module documentation, and reported as an internal error if it ever
/// happens rather than producing wrong code.
#[derive(Debug, PartialEq, Eq)]
pub struct MalformedMarker {
    pub offset: usize,
}

impl Markers {
    pub fn new(prefix: MarkerPrefix) -> Self {
        Markers {
            prefix,
            targets: Vec::new(),
            index: FxHashMap::default(),
        }
    }

    pub fn prefix(&self) -> &MarkerPrefix {
        &self.prefix
    }

    /// The marker identifier for `target` (the same one every time it is asked for).
    pub fn marker(&mut self, target: RelocTarget) -> String {
        let next = self.targets.len();
        let index = *self.index.entry(target.clone()).or_insert_with(|| {
            self.targets.push(target);
            next
        });
        format!("{}{index}_", self.prefix.as_str())
    }

    /// Takes the markers out of `chunk`, recording where each one was. `mappings` (offsets
    /// into `chunk`, sorted) move with the text; one that points into a marker ends up at
    /// its relocation.
    pub fn extract(
        &self,
        chunk: &str,
        mut mappings: Vec<Mapping>,
    ) -> Result<ObjectCode, MalformedMarker> {
        let prefix = self.prefix.as_str();
        let mut text = String::with_capacity(chunk.len());
        let mut relocs = Vec::new();
        let mut rest = chunk;
        let mut pending = mappings.iter_mut().peekable();
        while let Some(position) = rest.find(prefix) {
            let marker_start = chunk.len() - rest.len() + position;
            let malformed = MalformedMarker {
                offset: marker_start,
            };
            let after = &rest[position + prefix.len()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let target = after[..digits]
                .parse::<usize>()
                .ok()
                .and_then(|index| self.targets.get(index))
                .filter(|_| after[digits..].starts_with('_'))
                .ok_or(malformed)?;
            // Bytes of `chunk` taken out so far: text before the marker keeps its distance
            // to the marker.
            let removed = marker_start - text.len() - position;
            text.push_str(&rest[..position]);
            let marker_end = marker_start + prefix.len() + digits + 1;
            while let Some(mapping) = pending.next_if(|m| (m.offset as usize) <= marker_end) {
                mapping.after_relocation = mapping.offset as usize == marker_end;
                mapping.offset = if (mapping.offset as usize) < marker_start {
                    mapping.offset - removed as u32
                } else {
                    text.len() as u32
                };
            }
            relocs.push(Reloc {
                offset: text.len() as u32,
                target: target.clone(),
            });
            rest = &after[digits + 1..];
        }
        let removed = (chunk.len() - rest.len() - text.len()) as u32;
        for mapping in pending {
            mapping.offset -= removed;
        }
        text.push_str(rest);
        Ok(ObjectCode {
            text,
            relocs,
            mappings,
            names: Vec::new(),
        })
    }
}

/// The text between consecutive separator statements (`$S;` and a line break, or `$S;`
/// when minified), in order. The text after the last separator is not an item.
pub fn split_at_separators<'t>(text: &'t str, separator: &str) -> Vec<&'t str> {
    let mut chunks = Vec::new();
    let mut rest = match text.find(separator) {
        Some(position) => &text[position..],
        None => return chunks,
    };
    while let Some(stripped) = rest.strip_prefix(separator) {
        let body = stripped.strip_prefix(';').unwrap_or(stripped);
        let body = body.strip_prefix('\n').unwrap_or(body);
        let Some(end) = body.find(separator) else {
            break;
        };
        chunks.push(&body[..end]);
        rest = &body[end..];
    }
    chunks
}

#[cfg(test)]
mod tests {
    use oxc::{allocator::Allocator, parser::Parser, span::SourceType};

    use super::*;

    #[test]
    fn the_lead_byte_is_the_marker_characters_first() {
        assert_eq!(MARKER_CHARACTER.to_string().as_bytes()[0], MARKER_LEAD_BYTE);
    }

    fn prefix_for(source: &str) -> String {
        let allocator = Allocator::default();
        let parsed = Parser::new(&allocator, source, SourceType::mjs()).parse();
        assert!(parsed.diagnostics.is_empty(), "{source}");
        MarkerPrefix::choose(&parsed.program, source, false).0
    }

    #[test]
    fn separators_cut_the_printed_module_into_items() {
        let text = "\"use strict\";\n$S_;\nlet a = 1;\n$S_;\nfunction f() {}\n$S_;\n";
        assert_eq!(
            split_at_separators(text, "$S_"),
            vec!["let a = 1;\n", "function f() {}\n"]
        );
        // Minified: a statement's `;` comes before the next separator.
        let minified = "$S_;let a=1;$S_;function f(){}$S_;x();$S_";
        assert_eq!(
            split_at_separators(minified, "$S_"),
            vec!["let a=1;", "function f(){}", "x();"]
        );
        assert!(split_at_separators("no items\n", "$S_").is_empty());
    }

    #[test]
    fn markers_become_relocations_at_the_right_offsets() {
        let mut markers = Markers::new(MarkerPrefix("$P".to_owned()));
        let a = markers.marker(RelocTarget::Symbol("a".into()));
        let meta = markers.marker(RelocTarget::ImportMeta);
        assert_eq!(markers.marker(RelocTarget::Symbol("a".into())), a);
        let code = markers
            .extract(&format!("{a} = {meta}.url + {a};\n"), Vec::new())
            .unwrap();
        assert_eq!(code.text, " = .url + ;\n");
        let offsets: Vec<u32> = code.relocs.iter().map(|reloc| reloc.offset).collect();
        assert_eq!(offsets, vec![0, 3, 10]);
        assert_eq!(code.relocs[1].target, RelocTarget::ImportMeta);
    }

    #[test]
    fn mappings_move_with_the_text_and_into_relocations() {
        let mut markers = Markers::new(MarkerPrefix("$P".to_owned()));
        let a = markers.marker(RelocTarget::Symbol("a".into()));
        let b = markers.marker(RelocTarget::Symbol("b".into()));
        // `$P0_ = f($P1_);`: mappings at `$P0_`, inside it, at `=`, `f`, `$P1_` and `;`.
        let chunk = format!("{a} = f({b});\n");
        let at = |offset: u32| Mapping {
            offset,
            source: 0,
            line: 0,
            column: offset,
            name: Mapping::NO_NAME,
            after_relocation: false,
        };
        let code = markers
            .extract(
                &chunk,
                vec![at(0), at(2), at(5), at(7), at(9), at(13), at(14)],
            )
            .unwrap();
        assert_eq!(code.text, " = f();\n");
        let offsets: Vec<(u32, bool)> = code
            .mappings
            .iter()
            .map(|m| (m.offset, m.after_relocation))
            .collect();
        // `a` and inside it at the first relocation, `=`, `f`, `b`'s relocation, the `)`
        // right after it, `;`.
        assert_eq!(
            offsets,
            vec![
                (0, false),
                (0, false),
                (1, false),
                (3, false),
                (5, false),
                (5, true),
                (6, false)
            ]
        );
        assert_eq!(code.relocs[1].offset, 5);
    }

    #[test]
    fn a_malformed_marker_is_an_error_not_a_panic() {
        let mut markers = Markers::new(MarkerPrefix("$P".to_owned()));
        markers.marker(RelocTarget::ImportMeta);
        assert_eq!(
            markers.extract("x $P7_ y", Vec::new()),
            Err(MalformedMarker { offset: 2 })
        );
        assert_eq!(
            markers.extract("$Px", Vec::new()),
            Err(MalformedMarker { offset: 0 })
        );
        assert_eq!(
            markers.extract("$P0", Vec::new()),
            Err(MalformedMarker { offset: 0 })
        );
    }

    #[test]
    fn the_prefix_avoids_names_and_strings_spelled_with_escapes() {
        assert_eq!(prefix_for("let a = 1;"), "$\u{1438}");
        // Escaped identifiers decode to the prefix; the raw source does not contain it.
        for source in [
            "let \\u0024\\u1438 = 1;",
            "label$\\u1438: for (;;) break label$\\u1438;",
            "class A { #$\\u1438 = 1; m$\\u1438() {} }",
            "const o = { $\\u1438: 1 }; o.$\\u1438;",
            "function f($\\u1438) {}",
            "const s = '$\\u1438';",
            "const t = `$\\u1438`;",
        ] {
            assert_eq!(prefix_for(source), "$\u{1438}v", "{source}");
        }
        assert_eq!(
            prefix_for("let $\\u1438 = 1, $\\u1438v = 2;"),
            "$\u{1438}vv"
        );
    }
}
