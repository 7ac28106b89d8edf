//! Source maps, composed from what each module's render already has: its object code's
//! segments moved to where patching put them ([`PieceMap`], cached with the module's text),
//! then the chunk's map made by offsetting each piece's segments by the line and column the
//! piece starts at. Nothing is re-printed or re-parsed; oxc_sourcemap encodes the result.

use std::{borrow::Cow, path::Path, sync::Arc};

use oxc_sourcemap::{SourceMap, Token};
use rustc_hash::FxHashMap;
use url::Url;

use super::Code;
use crate::{
    lines::line_break_at,
    parse::{MapSource, Mapping, Name},
};

/// The source map of one piece of the chunk (a module's text): its segments, relative to
/// the piece's first byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PieceMap {
    /// What the segments point into: the module, or its input map's sources.
    pub sources: Arc<[MapSource]>,
    /// Original names of renamed bindings.
    pub names: Vec<Name>,
    /// In the order of their generated positions.
    pub segments: Vec<Segment>,
    /// Where the piece's text ends: how many line breaks it has, and the UTF-16 length of
    /// its last line (so composing a chunk's map does not scan the code).
    pub end: (u32, u32),
}

/// A generated position (line and UTF-16 column from the piece's start) and where it came
/// from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub line: u32,
    pub column: u32,
    /// An index into [`PieceMap::sources`].
    pub source: u32,
    pub source_line: u32,
    pub source_column: u32,
    /// An index into [`PieceMap::names`], or [`Mapping::NO_NAME`].
    pub name: u32,
}

/// Collects a module's segments while its items are patched into one text: their byte
/// offsets in it, with names numbered for the module.
#[derive(Default)]
pub struct PieceMapBuilder {
    at: Vec<(u32, Mapping)>,
    names: Vec<Name>,
    name_indices: FxHashMap<Name, u32>,
}

impl PieceMapBuilder {
    /// Records `mapping` at byte `offset` of the piece, with its original `name`. A later
    /// segment at the same offset replaces an earlier one: codegen maps a statement and
    /// then the token that starts it, and the token is the precise one.
    pub fn push(&mut self, offset: u32, mut mapping: Mapping, name: Option<&str>) {
        mapping.name = match name {
            Some(name) => match self.name_indices.get(name) {
                Some(&index) => index,
                None => {
                    let index = self.names.len() as u32;
                    self.names.push(Name::from(name));
                    self.name_indices.insert(Name::from(name), index);
                    index
                }
            },
            None => Mapping::NO_NAME,
        };
        match self.at.last_mut() {
            Some(last) if last.0 == offset => *last = (offset, mapping),
            _ => self.at.push((offset, mapping)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// The map of `text`, the piece the segments were recorded in; `None` without segments.
    pub fn finish(self, text: &str, sources: Arc<[MapSource]>) -> Option<PieceMap> {
        if self.at.is_empty() {
            return None;
        }
        let mut position = Position::default();
        let mut walked = 0usize;
        let segments = self
            .at
            .iter()
            .map(|&(offset, mapping)| {
                let mut offset = (offset as usize).clamp(walked, text.len());
                while !text.is_char_boundary(offset) {
                    offset -= 1;
                }
                position.advance(&text[walked..offset]);
                walked = offset;
                Segment {
                    line: position.line,
                    column: position.column,
                    source: mapping.source,
                    source_line: mapping.line,
                    source_column: mapping.column,
                    name: mapping.name,
                }
            })
            .collect();
        position.advance(&text[walked..]);
        Some(PieceMap {
            sources,
            names: self.names,
            segments,
            end: (position.line, position.column),
        })
    }
}

/// A line and UTF-16 column, as source maps count them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Position {
    line: u32,
    column: u32,
}

impl Position {
    /// Moves past a text that has `lines` line breaks and a last line `column` wide.
    fn skip(&mut self, (lines, column): (u32, u32)) {
        if lines == 0 {
            self.column += column;
        } else {
            self.line += lines;
            self.column = column;
        }
    }

    /// Moves past `text`. Lines end where JavaScript's do (`\n`, `\r\n`, `\r`, U+2028,
    /// U+2029), as oxc's codegen counts them.
    fn advance(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut line_start = None;
        let mut index = 0;
        while index < bytes.len() {
            match line_break_at(bytes, index) {
                Some(length) => {
                    index += length;
                    self.line += 1;
                    line_start = Some(index);
                }
                None => index += 1,
            }
        }
        let tail = &text[line_start.unwrap_or(0)..];
        let width = if tail.is_ascii() {
            tail.len() as u32
        } else {
            tail.chars().map(|c| c.len_utf16() as u32).sum()
        };
        self.column = match line_start {
            Some(_) => width,
            None => self.column + width,
        };
    }
}

/// What a chunk's map says besides its segments.
#[derive(Clone, Debug)]
pub struct SourceMapOptions<'a> {
    /// The output file's name (the map's `file`).
    pub file: Option<&'a str>,
    /// `sources` are written relative to this directory (the map file's).
    pub sources_relative_to: &'a Path,
    /// Whether `sourcesContent` holds the original texts.
    pub sources_content: bool,
}

impl Code {
    /// The source map of this code (oxc_sourcemap's, to write as JSON or a `data:` URL).
    pub fn source_map<'c>(&'c self, options: &SourceMapOptions<'c>) -> SourceMap<'c> {
        let total = self.maps.iter().map(|(_, map)| map.segments.len()).sum();
        let mut tokens: Vec<Token> = Vec::with_capacity(total);
        let mut sources: Vec<Cow<'_, str>> = Vec::new();
        let mut contents: Vec<Option<Cow<'_, str>>> = Vec::new();
        let mut source_ids: FxHashMap<&Path, u32> = FxHashMap::default();
        let mut names: Vec<Cow<'_, str>> = Vec::new();
        let mut name_ids: FxHashMap<&str, u32> = FxHashMap::default();
        let mut local_names: Vec<u32> = Vec::new();
        let mut local_sources: Vec<u32> = Vec::new();
        let mut maps = self.maps.iter().peekable();
        let mut start = Position::default();
        for (index, piece) in self.pieces.iter().enumerate() {
            let maps_of_piece = maps.next_if(|(at, _)| *at == index).map(|(_, map)| map);
            if let Some(map) = maps_of_piece {
                local_sources.clear();
                local_sources.extend(map.sources.iter().map(|source| {
                    *source_ids.entry(&source.path).or_insert_with(|| {
                        sources.push(Cow::Owned(relative_source(
                            &source.path,
                            options.sources_relative_to,
                        )));
                        contents.push(
                            source
                                .content
                                .as_deref()
                                .filter(|_| options.sources_content)
                                .map(Cow::Borrowed),
                        );
                        sources.len() as u32 - 1
                    })
                }));
                local_names.clear();
                local_names.extend(map.names.iter().map(|name| {
                    *name_ids.entry(name.as_str()).or_insert_with(|| {
                        names.push(Cow::Borrowed(name.as_str()));
                        names.len() as u32 - 1
                    })
                }));
                tokens.extend(map.segments.iter().map(|segment| {
                    let (line, column) = if segment.line == 0 {
                        (start.line, start.column + segment.column)
                    } else {
                        (start.line + segment.line, segment.column)
                    };
                    Token::new(
                        line,
                        column,
                        segment.source_line,
                        segment.source_column,
                        local_sources.get(segment.source as usize).copied(),
                        local_names.get(segment.name as usize).copied(),
                    )
                }));
            }
            match maps_of_piece {
                Some(map) => start.skip(map.end),
                None => start.advance(piece),
            }
        }
        SourceMap::new(
            options.file.map(Cow::Borrowed),
            names,
            None,
            sources,
            contents,
            tokens.into_boxed_slice(),
            None,
        )
    }
}

/// `source` as a URL relative to `directory` (what `sources` holds: `../src/a.ts`). A
/// source that is not a file path (an input map's `webpack://...`) is written as it is.
fn relative_source(source: &Path, directory: &Path) -> String {
    let relative = Url::from_directory_path(directory)
        .ok()
        .zip(Url::from_file_path(source).ok())
        .and_then(|(directory, source)| directory.make_relative(&source));
    relative.unwrap_or_else(|| source.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_utf16_columns() {
        let mut position = Position::default();
        position.advance("ab");
        assert_eq!(position, Position { line: 0, column: 2 });
        position.advance("c\r\nd😀");
        assert_eq!(position, Position { line: 1, column: 3 });
        position.advance("\u{2028}é\rx\n");
        assert_eq!(position, Position { line: 4, column: 0 });
    }

    #[test]
    fn sources_are_relative_to_the_map() {
        assert_eq!(
            relative_source(Path::new("/p/src/a.ts"), Path::new("/p/dist")),
            "../src/a.ts"
        );
        assert_eq!(
            relative_source(Path::new("/p/a.js"), Path::new("/p")),
            "a.js"
        );
        assert_eq!(
            relative_source(Path::new("/p/my file.ts"), Path::new("/p/dist")),
            "../my%20file.ts"
        );
        assert_eq!(
            relative_source(Path::new("webpack://lib/a.ts"), Path::new("/p")),
            "webpack://lib/a.ts"
        );
    }
}
