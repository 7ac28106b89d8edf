//! Source maps, composed from what each module's render already has: its object code's
//! segments moved to where patching put them ([`PieceMap`], cached with the module's text
//! and already encoded), then the chunk's map joined from the pieces' encodings, offset by
//! the line and column each piece starts at (`encode.rs`). Nothing is re-printed,
//! re-parsed, or, but for a module that rendered again, re-encoded.

mod encode;

use std::{path::Path, sync::Arc};

use rayon::prelude::*;
use url::Url;

use super::Code;
use crate::{
    lines::line_breaks,
    parse::{MapSource, Mapping, Name},
};
use encode::{EncodedSegments, MappingsJoiner, json_string};

/// The source map of one piece of the chunk (a module's text): its segments, relative to
/// the piece's first byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PieceMap {
    /// What the segments point into: the module, or its input map's sources.
    pub sources: Arc<[MapSource]>,
    /// Original names of renamed bindings, as the map's `names` lists them: JSON strings,
    /// comma-separated. Escaped once, when the module is rendered, not on every composition
    /// of the chunk's map (three.js x10 minified has 76,560 names).
    names_json: Arc<str>,
    /// How many names `names_json` lists.
    name_count: u32,
    /// Where the piece's text ends: how many line breaks it has, and the UTF-16 length of
    /// its last line (so composing a chunk's map does not scan the code).
    pub end: (u32, u32),
    /// The segments as `mappings` encodes them.
    encoded: EncodedSegments,
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
    /// An index into the piece's names, or [`Mapping::NO_NAME`].
    pub name: u32,
}

/// Collects a module's segments while its items are patched into one text: their byte
/// offsets in it, with names numbered for the module.
#[derive(Default)]
pub struct PieceMapBuilder {
    at: Vec<(u32, Mapping)>,
    names: Vec<Name>,
    name_indices: rustc_hash::FxHashMap<Name, u32>,
}

impl PieceMapBuilder {
    /// Records `mapping` at byte `offset` of the piece, with its original `name`. A later
    /// segment at the same offset replaces an earlier one: codegen maps a statement and
    /// then the token that starts it, and the token is the precise one.
    pub fn push(&mut self, offset: u32, mapping: Mapping, name: Option<&str>) {
        let name = name.map_or(Mapping::NO_NAME, |name| self.name_index(name));
        self.push_indexed(offset, mapping, name);
    }

    /// The number of `name` among the piece's names (given one the first time).
    pub fn name_index(&mut self, name: &str) -> u32 {
        if let Some(&index) = self.name_indices.get(name) {
            return index;
        }
        let index = self.names.len() as u32;
        self.names.push(Name::from(name));
        self.name_indices.insert(Name::from(name), index);
        index
    }

    /// [`Self::push`] with the name given by its number ([`Self::name_index`]), or
    /// [`Mapping::NO_NAME`].
    pub fn push_indexed(&mut self, offset: u32, mut mapping: Mapping, name: u32) {
        mapping.name = name;
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
        let segments: Vec<Segment> = self
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
        let mut names_json = String::new();
        for (index, name) in self.names.iter().enumerate() {
            if index > 0 {
                names_json.push(',');
            }
            json_string(&mut names_json, name);
        }
        Some(PieceMap {
            sources,
            names_json: Arc::from(names_json),
            name_count: self.names.len() as u32,
            encoded: EncodedSegments::new(&segments),
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
        let mut line_start = None;
        for (index, length) in line_breaks(text.as_bytes()) {
            self.line += 1;
            line_start = Some(index + length);
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

/// What writing a chunk's map keeps for the next build of the same output: each piece's
/// `sources` and `sourcesContent` entries as JSON (the texts escaped), by the identity of
/// its (cached, shared) list of sources. A rebuild escapes the sources of the modules that
/// rendered again, not the whole bundle's texts.
#[derive(Default)]
pub struct SourceMapCache {
    /// The options the entries were made for.
    made_for: Option<(std::path::PathBuf, bool)>,
    /// By the address of the list (held by the entry, so not reused while it is a key).
    entries: rustc_hash::FxHashMap<usize, SourcesJson>,
}

impl std::fmt::Debug for SourceMapCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SourceMapCache({} lists of sources)", self.entries.len())
    }
}

struct SourcesJson {
    /// Held so that its address is not reused while it is a key.
    _sources: Arc<[MapSource]>,
    paths: Arc<str>,
    contents: Arc<str>,
    used: bool,
}

impl SourcesJson {
    fn new(sources: &Arc<[MapSource]>, options: &SourceMapOptions<'_>) -> SourcesJson {
        let mut paths = String::new();
        let mut contents = String::new();
        for (index, source) in sources.iter().enumerate() {
            if index > 0 {
                paths.push(',');
                contents.push(',');
            }
            json_string(
                &mut paths,
                &relative_source(&source.path, options.sources_relative_to),
            );
            match source
                .content
                .as_deref()
                .filter(|_| options.sources_content)
            {
                Some(content) => json_string(&mut contents, content),
                None => contents.push_str("null"),
            }
        }
        SourcesJson {
            _sources: sources.clone(),
            paths: Arc::from(paths),
            contents: Arc::from(contents),
            used: false,
        }
    }
}

/// A cache key: the address of a (shared) list of sources.
fn key_of(sources: &Arc<[MapSource]>) -> usize {
    Arc::as_ptr(sources).cast::<MapSource>().addr()
}

impl SourceMapCache {
    fn sources_json(
        &mut self,
        sources: &Arc<[MapSource]>,
        options: &SourceMapOptions<'_>,
    ) -> &SourcesJson {
        let entry = self
            .entries
            .entry(key_of(sources))
            .or_insert_with(|| SourcesJson::new(sources, options));
        entry.used = true;
        entry
    }

    /// Escapes the lists of sources among `lists` that are not cached yet, in parallel: on
    /// a first build that is every module's text (as much as the code itself, or more).
    fn escape_missing<'l>(
        &mut self,
        lists: impl Iterator<Item = &'l Arc<[MapSource]>>,
        options: &SourceMapOptions<'_>,
    ) {
        let mut missing: Vec<&Arc<[MapSource]>> = lists
            .filter(|sources| !sources.is_empty() && !self.entries.contains_key(&key_of(sources)))
            .collect();
        missing.sort_unstable_by_key(|sources| key_of(sources));
        missing.dedup_by_key(|sources| key_of(sources));
        let escaped: Vec<SourcesJson> = missing
            .par_iter()
            .map(|sources| SourcesJson::new(sources, options))
            .collect();
        for (sources, json) in missing.into_iter().zip(escaped) {
            self.entries.insert(key_of(sources), json);
        }
    }

    /// Starts a map for `options`: entries made for other options are dropped.
    fn begin(&mut self, options: &SourceMapOptions<'_>) {
        let wanted = (
            options.sources_relative_to.to_path_buf(),
            options.sources_content,
        );
        if self.made_for.as_ref() != Some(&wanted) {
            self.entries.clear();
            self.made_for = Some(wanted);
        }
    }

    /// Ends a map: entries it did not use are dropped.
    fn end(&mut self) {
        self.entries
            .retain(|_, entry| std::mem::take(&mut entry.used));
    }
}

impl Code {
    /// The source map of this code, as JSON, in pieces: the escaped sources `cache` keeps
    /// between builds and each piece's encoded segments are shared, not copied, so a
    /// rebuild assembles the map without copying the texts it holds (a map with
    /// `sourcesContent` is several times the size of the code).
    pub fn source_map(&self, options: &SourceMapOptions<'_>, cache: &mut SourceMapCache) -> Code {
        cache.begin(options);
        cache.escape_missing(self.maps.iter().map(|(_, map)| &map.sources), options);
        let mut joiner = MappingsJoiner::default();
        let mut sources: Vec<Arc<str>> = Vec::new();
        let mut contents: Vec<Arc<str>> = Vec::new();
        let mut names: Vec<Arc<str>> = Vec::new();
        let (mut source_count, mut name_count) = (0u32, 0u32);
        let mut maps = self.maps.iter().peekable();
        let mut start = Position::default();
        let comma: Arc<str> = Arc::from(",");
        for (index, piece) in self.pieces.iter().enumerate() {
            let Some((_, map)) = maps.next_if(|(at, _)| *at == index) else {
                start.advance(piece);
                continue;
            };
            joiner.push(
                &map.encoded,
                (start.line, start.column),
                source_count,
                name_count,
            );
            if !map.sources.is_empty() {
                let json = cache.sources_json(&map.sources, options);
                if source_count > 0 {
                    sources.push(comma.clone());
                    contents.push(comma.clone());
                }
                sources.push(json.paths.clone());
                contents.push(json.contents.clone());
                source_count += map.sources.len() as u32;
            }
            if map.name_count > 0 {
                if name_count > 0 {
                    names.push(comma.clone());
                }
                names.push(map.names_json.clone());
                name_count += map.name_count;
            }
            start.skip(map.end);
        }
        cache.end();
        let mut head = String::from("{\"version\":3,");
        if let Some(file) = options.file {
            head.push_str("\"file\":");
            json_string(&mut head, file);
            head.push(',');
        }
        head.push_str("\"names\":[");
        let mut pieces = vec![Arc::from(head)];
        pieces.extend(names);
        pieces.push(Arc::from("],\"sources\":["));
        pieces.extend(sources);
        if options.sources_content {
            pieces.push(Arc::from("],\"sourcesContent\":["));
            pieces.extend(contents);
        }
        pieces.push(Arc::from("],\"mappings\":\""));
        pieces.extend(joiner.finish());
        pieces.push(Arc::from("\"}"));
        Code::from_pieces(pieces)
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
