//! Positions between verde (byte offsets into UTF-8 text) and LSP (lines and UTF-16 code
//! units), and paths to and from `file:` URIs.

use std::{path::PathBuf, str::FromStr};

use lsp_types::{Position, Range, Uri};
use verde_queries::diagnostics::TextRange;

/// Line starts of one text, to convert positions both ways.
pub struct LineIndex<'t> {
    text: &'t str,
    line_starts: Vec<u32>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, byte)| *byte == b'\n')
                .map(|(index, _)| index as u32 + 1),
        );
        LineIndex { text, line_starts }
    }

    /// The LSP position of a byte offset (clamped to the text, snapped to a character).
    pub fn position(&self, offset: u32) -> Position {
        let offset = offset.min(self.text.len() as u32);
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let mut end = offset as usize;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let character = self.text[start..end].encode_utf16().count() as u32;
        Position::new(line as u32, character)
    }

    pub fn range(&self, range: TextRange) -> Range {
        Range::new(self.position(range.start), self.position(range.end))
    }

    /// The byte offset of an LSP position. A character past the end of its line means the
    /// end of the line; a line past the end means the end of the text.
    pub fn offset(&self, position: Position) -> u32 {
        let Some(&start) = self.line_starts.get(position.line as usize) else {
            return self.text.len() as u32;
        };
        let line_end = self
            .line_starts
            .get(position.line as usize + 1)
            .map_or(self.text.len(), |&next| next as usize - 1);
        let line = &self.text[start as usize..line_end];
        let mut units = 0;
        for (index, c) in line.char_indices() {
            if units >= position.character {
                return start + index as u32;
            }
            units += c.len_utf16() as u32;
        }
        start + line.len() as u32
    }
}

/// The path of a `file:` URI.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The `file:` URI of an absolute path.
pub fn uri_of(path: &std::path::Path) -> Uri {
    let url = url::Url::from_file_path(path).expect("an absolute path");
    Uri::from_str(url.as_str()).expect("a file URL is a valid URI")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_round_trip() {
        let text = "const a = 'é😀';\nlet b = a;\n";
        let index = LineIndex::new(text);
        // `;` after the string: 'é' is one UTF-16 unit, '😀' two.
        let semicolon = text.find(';').unwrap() as u32;
        assert_eq!(index.position(semicolon), Position::new(0, 15));
        assert_eq!(index.offset(Position::new(0, 15)), semicolon);
        let b = text.find('b').unwrap() as u32;
        assert_eq!(index.position(b), Position::new(1, 4));
        assert_eq!(index.offset(Position::new(1, 4)), b);
        assert_eq!(index.offset(Position::new(1, 99)), text.len() as u32 - 1);
        assert_eq!(index.offset(Position::new(9, 0)), text.len() as u32);
    }

    #[test]
    fn uris_round_trip() {
        let path = std::path::Path::new("/tmp/a b/ü.js");
        let uri = uri_of(path);
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/%C3%BC.js");
        assert_eq!(path_of(&uri).unwrap(), path);
    }
}
