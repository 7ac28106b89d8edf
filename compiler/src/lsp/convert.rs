//! Positions between verde (byte offsets into UTF-8 text) and LSP (lines and UTF-16 code
//! units), and paths to and from `file:` URIs.

use std::{path::PathBuf, str::FromStr};

use line_index::{TextSize, WideEncoding, WideLineCol};
use lsp_types::{Position, Range, Uri};
use verde_queries::diagnostics::TextRange;

/// Converts positions of one text both ways, over rust-analyzer's `line-index`.
pub struct LineIndex<'t> {
    text: &'t str,
    index: line_index::LineIndex,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        LineIndex {
            text,
            index: line_index::LineIndex::new(text),
        }
    }

    /// The LSP position of a byte offset (clamped to the text, snapped to a character).
    pub fn position(&self, offset: u32) -> Position {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let utf8 = self.index.line_col(TextSize::new(offset as u32));
        let wide = self
            .index
            .to_wide(WideEncoding::Utf16, utf8)
            .expect("a position on a character boundary converts");
        Position::new(wide.line, wide.col)
    }

    pub fn range(&self, range: TextRange) -> Range {
        Range::new(self.position(range.start), self.position(range.end))
    }

    /// The byte offset of an LSP position. A character past the end of its line means the
    /// end of the line; a line past the end means the end of the text.
    pub fn offset(&self, position: Position) -> u32 {
        let Some(line) = self.index.line(position.line) else {
            return self.text.len() as u32;
        };
        let wide = WideLineCol {
            line: position.line,
            col: position.character,
        };
        // The line's range includes its line break; a position past the end stops before it.
        let mut line_end = u32::from(line.end());
        if line_end > u32::from(line.start())
            && self.text.as_bytes()[line_end as usize - 1] == b'\n'
        {
            line_end -= 1;
        }
        self.index
            .to_utf8(WideEncoding::Utf16, wide)
            .and_then(|utf8| self.index.offset(utf8))
            .map_or(line_end, |offset| u32::from(offset).min(line_end))
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
