//! Source-map segments of the printed module, as byte offsets: oxc's codegen records each
//! segment at a generated line and UTF-16 column of the whole printed module; object code
//! needs them as offsets into each item's text, so that they move with the text when the
//! markers come out and when render patches the relocations.

use oxc_sourcemap::SourceMap;
use rustc_hash::FxHashMap;

use crate::{
    lines::line_breaks,
    names::{is_identifier_part, is_identifier_start, is_keyword},
    parse::{
        input_map::InputMap,
        record::{Mapping, Name},
    },
};

/// A segment of the printed module: `offset` is a byte offset into the printed text.
pub struct PrintedMapping<'m> {
    pub offset: u32,
    pub source: u32,
    pub line: u32,
    pub column: u32,
    pub name: Option<&'m str>,
}

/// The segments of `map` (codegen's map of `printed`, from `source`), each at its byte
/// offset in `printed`, chained through the module's `input_map` when it has one (a
/// position the input map does not map is left out).
///
/// A segment may only claim an identifier the source has at its position. Lowering
/// synthesizes code with the positions of what it lowers (`E["A"] = 0` for the enum member
/// `A = 0`); such a segment moves past the synthesized identifier, onto the rest of what it
/// maps. Identifiers that are markers (`marker_prefix`) get their names at render (through
/// an input map, the name the original source has there).
pub fn printed_mappings<'m>(
    printed: &str,
    map: &'m SourceMap<'_>,
    source: &'m str,
    input_map: Option<&'m InputMap>,
    marker_prefix: &str,
) -> Vec<PrintedMapping<'m>> {
    let mut printed_lines = LineTable::new(printed);
    // The texts segments point into, each with its lines (made when first needed).
    let texts: Vec<Option<&str>> = match input_map {
        Some(input) => input
            .sources
            .iter()
            .map(|source| source.content.as_deref())
            .collect(),
        None => vec![Some(source)],
    };
    let mut lines: Vec<Option<LineTable>> = texts.iter().map(|_| None).collect();
    let lookup = input_map.map(|input| input.map.generate_lookup_table());
    let mut mappings = Vec::with_capacity(map.get_tokens().len());
    for token in map.get_tokens() {
        let Some(offset) = printed_lines.offset(printed, token.get_dst_line(), token.get_dst_col())
        else {
            continue;
        };
        let mut mapping = PrintedMapping {
            offset: offset as u32,
            source: 0,
            line: token.get_src_line(),
            column: token.get_src_col(),
            name: token.get_name_id().and_then(|id| map.get_name(id)),
        };
        if let (Some(input), Some(lookup)) = (input_map, &lookup) {
            let Some(original) = input.map.lookup_token(lookup, mapping.line, mapping.column)
            else {
                continue;
            };
            let Some(source) = original.get_source_id() else {
                continue;
            };
            mapping.source = source;
            mapping.line = original.get_src_line();
            mapping.column = original.get_src_col();
            mapping.name = original.get_name_id().and_then(|id| input.map.get_name(id));
        }
        let Some(word) = identifier_at(&printed[offset..]) else {
            mappings.push(mapping);
            continue;
        };
        let relocation = word.starts_with(marker_prefix);
        // Only a segment without a name may be moved or named after the original (most
        // identifiers of minified code are renamed, and their segments have names).
        let checked = mapping.name.is_none()
            && if relocation {
                input_map.is_some()
            } else {
                !is_keyword(word)
            };
        if !checked {
            mappings.push(mapping);
            continue;
        }
        // The identifier at the original position: `None` when the text is not known.
        let original_word = texts
            .get(mapping.source as usize)
            .copied()
            .flatten()
            .map(|text| {
                let lines =
                    lines[mapping.source as usize].get_or_insert_with(|| LineTable::new(text));
                lines
                    .offset(text, mapping.line, mapping.column)
                    .and_then(|start| identifier_at(&text[start..]))
            });
        if relocation {
            // A relocation: render writes the final name and names the binding. Through an
            // input map the original may be spelled otherwise (the name then is what the
            // original has there), or be no name at all (a helper the generator added): the
            // segment then goes after the name.
            match original_word {
                Some(Some(original)) => mapping.name = Some(original),
                Some(None) => mapping.offset += word.len() as u32,
                None => {}
            }
        } else if original_word.is_some_and(|original| original != Some(word)) {
            mapping.offset += word.len() as u32;
        }
        mappings.push(mapping);
    }
    mappings
}

/// The identifier `text` starts with, if any.
fn identifier_at(text: &str) -> Option<&str> {
    // Most code is ASCII: look at bytes while it is.
    let bytes = text.as_bytes();
    let ascii_part = |byte: &u8| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'$');
    if let Some(&first) = bytes.first()
        && first.is_ascii()
    {
        if !ascii_part(&first) || first.is_ascii_digit() {
            return None;
        }
        match bytes.iter().position(|byte| !ascii_part(byte)) {
            None => return Some(text),
            Some(end) if bytes[end].is_ascii() => return Some(&text[..end]),
            // A character beyond ASCII may continue it.
            Some(_) => {}
        }
    }
    let first = text.chars().next()?;
    if !is_identifier_start(first) {
        return None;
    }
    let end = text
        .char_indices()
        .find(|&(_, c)| !is_identifier_part(c))
        .map_or(text.len(), |(index, _)| index);
    Some(&text[..end])
}

/// Where each line of a text starts, and whether it is ASCII (then a UTF-16 column is a
/// byte count). Lines end as JavaScript's (and codegen's) do: `\n`, `\r\n`, `\r`, U+2028,
/// U+2029. Each other line gets a table from UTF-16 column to byte offset when first asked:
/// a minified module is one long line, asked about thousands of times.
struct LineTable {
    /// Start and end (before the line break) of each line, and whether it is ASCII.
    lines: Vec<(u32, u32, bool)>,
    columns: FxHashMap<u32, Vec<u32>>,
}

impl LineTable {
    fn new(text: &str) -> LineTable {
        let bytes = text.as_bytes();
        let mut lines = Vec::new();
        let mut start = 0usize;
        // These tables are made for every module's source and printed text, and most are
        // ASCII with `\n` line breaks only: then every line is ASCII, and one byte ends each.
        if text.is_ascii() && memchr::memchr(b'\r', bytes).is_none() {
            for index in memchr::memchr_iter(b'\n', bytes) {
                lines.push((start as u32, index as u32, true));
                start = index + 1;
            }
            lines.push((start as u32, bytes.len() as u32, true));
            return LineTable {
                lines,
                columns: FxHashMap::default(),
            };
        }
        for (index, length) in line_breaks(bytes) {
            lines.push((start as u32, index as u32, bytes[start..index].is_ascii()));
            start = index + length;
        }
        lines.push((start as u32, bytes.len() as u32, bytes[start..].is_ascii()));
        LineTable {
            lines,
            columns: FxHashMap::default(),
        }
    }

    /// The byte offset of a zero-based line and UTF-16 column of `text`, if it is in the
    /// text (the end of a line counts; a column inside a surrogate pair is its character).
    fn offset(&mut self, text: &str, line: u32, column: u32) -> Option<usize> {
        let &(start, end, ascii) = self.lines.get(line as usize)?;
        let (start, end) = (start as usize, end as usize);
        if ascii {
            return (column as usize <= end - start).then_some(start + column as usize);
        }
        let columns = self.columns.entry(line).or_insert_with(|| {
            let mut columns = Vec::with_capacity(end - start + 1);
            for (index, character) in text[start..end].char_indices() {
                for _ in 0..character.len_utf16() {
                    columns.push((start + index) as u32);
                }
            }
            columns.push(end as u32);
            columns
        });
        columns.get(column as usize).map(|&offset| offset as usize)
    }
}

/// The segments in `printed[start..end]`, relative to `start`, with their names collected
/// into `names` (each once).
pub fn item_mappings(
    printed: &[PrintedMapping<'_>],
    start: usize,
    end: usize,
    names: &mut Vec<Name>,
) -> Vec<Mapping> {
    let first = printed.partition_point(|mapping| (mapping.offset as usize) < start);
    let last = printed.partition_point(|mapping| (mapping.offset as usize) < end);
    let mut indices: FxHashMap<&str, u32> = FxHashMap::default();
    printed[first..last]
        .iter()
        .map(|mapping| Mapping {
            offset: mapping.offset - start as u32,
            source: mapping.source,
            line: mapping.line,
            column: mapping.column,
            name: mapping.name.map_or(Mapping::NO_NAME, |name| {
                *indices.entry(name).or_insert_with(|| {
                    names.push(Name::from(name));
                    names.len() as u32 - 1
                })
            }),
            after_relocation: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use oxc::{
        allocator::Allocator,
        codegen::{Codegen, CodegenOptions},
        parser::Parser,
        span::SourceType,
    };

    use super::*;

    #[test]
    fn identifiers_are_found_in_ascii_and_beyond() {
        assert_eq!(identifier_at("abc_$1+x"), Some("abc_$1"));
        assert_eq!(identifier_at("$"), Some("$"));
        assert_eq!(identifier_at("1abc"), None);
        assert_eq!(identifier_at("+abc"), None);
        assert_eq!(identifier_at(""), None);
        assert_eq!(identifier_at("café=1"), Some("café"));
        assert_eq!(identifier_at("été "), Some("été"));
        assert_eq!(identifier_at("a\u{200c}b c"), Some("a\u{200c}b"));
        assert_eq!(identifier_at("a\u{2028}b"), Some("a"));
    }

    #[test]
    fn ascii_lines_are_found_as_any_others() {
        let text = "a\nbc\n\nd";
        let table = LineTable::new(text);
        assert_eq!(
            table.lines,
            [(0, 1, true), (2, 4, true), (5, 5, true), (6, 7, true)]
        );
        // With a `\r`, the general path: `\r\n` is one break.
        let table = LineTable::new("a\r\nb");
        assert_eq!(table.lines, [(0, 1, true), (3, 4, true)]);
    }

    #[test]
    fn lines_end_at_every_javascript_line_terminator() {
        let text = "a\nbé\r\nc\rd\u{2028}e\u{2029}f\u{2027}g\r";
        let table = LineTable::new(text);
        let lines: Vec<(&str, bool)> = table
            .lines
            .iter()
            .map(|&(start, end, ascii)| (&text[start as usize..end as usize], ascii))
            .collect();
        assert_eq!(
            lines,
            [
                ("a", true),
                ("bé", false),
                ("c", true),
                ("d", true),
                ("e", true),
                ("f\u{2027}g", false),
                ("", true),
            ]
        );
    }

    #[test]
    fn segments_land_on_the_bytes_codegen_printed_for_them() {
        let source = "const é = 1;\nfunction f(a) {\n  return 'ünï' + a;\n}\n";
        let allocator = Allocator::default();
        let program = Parser::new(&allocator, source, SourceType::mjs())
            .parse()
            .program;
        let printed = Codegen::new()
            .with_options(CodegenOptions {
                source_map_path: Some("x.js".into()),
                ..CodegenOptions::default()
            })
            .build(&program);
        let map = printed.map.unwrap();
        let mappings = printed_mappings(&printed.code, &map, source, None, "$\u{1438}");
        assert!(!mappings.is_empty());
        // Every segment at an identifier or keyword starts the same word in the source.
        let source_offset = |line: u32, column: u32| {
            let line_start: usize = source
                .split_inclusive('\n')
                .take(line as usize)
                .map(str::len)
                .sum();
            let mut units = 0;
            line_start
                + source[line_start..]
                    .char_indices()
                    .find(|(_, c)| {
                        let found = units >= column;
                        units += c.len_utf16() as u32;
                        found
                    })
                    .map_or(0, |(index, _)| index)
        };
        let word = |text: &str| -> String {
            text.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        };
        let mut words = 0;
        for mapping in &mappings {
            let generated = word(&printed.code[mapping.offset as usize..]);
            if generated.is_empty() {
                continue;
            }
            words += 1;
            let original = word(&source[source_offset(mapping.line, mapping.column)..]);
            assert_eq!(generated, original, "at byte {}", mapping.offset);
        }
        assert!(words >= 5, "{words} words mapped");
    }
}
