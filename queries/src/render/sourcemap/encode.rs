//! A piece's segments encoded once, when its module renders, and a chunk's map joined from
//! those encodings: a rebuild that re-rendered one module re-encodes one module's segments,
//! and joining copies every other piece's `mappings` as it is.
//!
//! `mappings` encodes each field relative to the segment before it (the generated column
//! only within a line, the name relative to the last segment that had one). So within a
//! piece, every segment is encoded the same wherever the piece lands, provided its sources
//! and names are one block each in the chunk's lists: all but two, which depend on what
//! came before the piece and are encoded when joining: its first segment, and its first
//! named segment when that is not the first. A source (or name) used by two pieces is
//! listed once per piece. VLQ comes from the `vlq` crate, JSON escaping from serde_json.

use std::sync::Arc;

use super::Segment;

/// The encoded segments of one piece (see the module comment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodedSegments {
    first: Segment,
    /// The segments after the first, each relative to the one before, with their
    /// separators; without the first named one when the first has no name. Shared, so
    /// that a joined map holds it rather than a copy.
    text: Arc<str>,
    /// That first named segment: its fields relative to the one before it (generated
    /// column, source, original line and column), its name, and the segments after it
    /// (`text` then holds those before it).
    first_named: Option<([i64; 4], u32, Arc<str>)>,
    last: Segment,
    /// The name of the last segment that has one.
    last_name: Option<u32>,
}

/// Where the chunk's encoding stands: the fields of the last segment written (with the
/// piece offsets applied), which the next one is encoded relative to.
#[derive(Clone, Copy, Debug, Default)]
struct State {
    line: u32,
    column: u32,
    source: u32,
    source_line: u32,
    source_column: u32,
    name: u32,
    any: bool,
}

fn vlq(out: &mut Vec<u8>, value: i64) {
    vlq::encode(value, out).expect("writing to a vector does not fail");
}

fn delta(to: u32, from: u32) -> i64 {
    i64::from(to) - i64::from(from)
}

impl State {
    /// Writes `segment` (positions already in the chunk's terms) and moves to it.
    fn write(&mut self, out: &mut Vec<u8>, segment: &Segment, name: Option<u32>) {
        self.separate(out, segment.line);
        let fields = self.deltas_to(segment);
        self.write_fields(out, fields, name);
        self.move_to(segment);
    }

    /// `segment`'s fields but its name, relative to this state (the generated column
    /// relative to the line's start when `separate` moved to a new line).
    fn deltas_to(&self, segment: &Segment) -> [i64; 4] {
        [
            delta(segment.column, self.column),
            delta(segment.source, self.source),
            delta(segment.source_line, self.source_line),
            delta(segment.source_column, self.source_column),
        ]
    }

    /// Moves past `segment` (its name is set where a name is written).
    fn move_to(&mut self, segment: &Segment) {
        self.line = segment.line;
        self.column = segment.column;
        self.source = segment.source;
        self.source_line = segment.source_line;
        self.source_column = segment.source_column;
    }

    /// The separator before a segment on generated line `line`: `;` per line passed, or
    /// `,` on the same line.
    fn separate(&mut self, out: &mut Vec<u8>, line: u32) {
        if line > self.line {
            for _ in self.line..line {
                out.push(b';');
            }
            self.column = 0;
        } else if self.any {
            out.push(b',');
        }
        self.any = true;
    }

    fn write_fields(&mut self, out: &mut Vec<u8>, fields: [i64; 4], name: Option<u32>) {
        for field in fields {
            vlq(out, field);
        }
        if let Some(name) = name {
            vlq(out, delta(name, self.name));
            self.name = name;
        }
    }
}

fn named(segment: &Segment) -> Option<u32> {
    (segment.name != crate::parse::Mapping::NO_NAME).then_some(segment.name)
}

impl EncodedSegments {
    /// Encodes `segments` (at least one; positions relative to the piece's start, sources
    /// and names indices into the piece's own lists).
    pub(super) fn new(segments: &[Segment]) -> Self {
        let first = segments[0];
        let mut state = State {
            line: first.line,
            column: first.column,
            source: first.source,
            source_line: first.source_line,
            source_column: first.source_column,
            name: first.name,
            any: true,
        };
        let mut known_name = named(&first).is_some();
        let mut text = Vec::new();
        let mut first_named = None;
        for segment in &segments[1..] {
            let name = named(segment);
            if name.is_some() && !known_name {
                // Its name is relative to a segment of an earlier piece: encoded when
                // joining. The rest of it is the piece's own.
                state.separate(&mut text, segment.line);
                first_named = Some((text.len(), state.deltas_to(segment), segment.name));
                state.move_to(segment);
                state.name = segment.name;
                known_name = true;
                continue;
            }
            state.write(&mut text, segment, name);
        }
        let ascii = |bytes: &[u8]| -> Arc<str> {
            Arc::from(std::str::from_utf8(bytes).expect("VLQ digits and separators are ASCII"))
        };
        let (text, first_named) = match first_named {
            Some((at, fields, name)) => {
                (ascii(&text[..at]), Some((fields, name, ascii(&text[at..]))))
            }
            None => (ascii(&text), None),
        };
        EncodedSegments {
            first,
            text,
            first_named,
            last: *segments.last().expect("a piece with segments"),
            last_name: segments.iter().rev().find_map(named),
        }
    }
}

/// Joins pieces' encodings into one `mappings`: the segments encoded at joining time, and
/// the pieces' own encodings shared as they are.
#[derive(Default)]
pub(super) struct MappingsJoiner {
    pieces: Vec<Arc<str>>,
    /// Encoded since the last shared piece.
    out: Vec<u8>,
    state: State,
}

impl MappingsJoiner {
    /// Appends a piece that starts at generated `line` and `column` of the chunk, whose
    /// sources and names start at `source_base` and `name_base` of the chunk's lists.
    pub(super) fn push(
        &mut self,
        piece: &EncodedSegments,
        (line, column): (u32, u32),
        source_base: u32,
        name_base: u32,
    ) {
        let place = |segment: &Segment| Segment {
            line: line + segment.line,
            column: if segment.line == 0 {
                column + segment.column
            } else {
                segment.column
            },
            source: source_base + segment.source,
            ..*segment
        };
        let first = place(&piece.first);
        self.state.write(
            &mut self.out,
            &first,
            named(&piece.first).map(|name| name_base + name),
        );
        self.share(&piece.text);
        if let Some((fields, name, after)) = &piece.first_named {
            self.state
                .write_fields(&mut self.out, *fields, Some(name_base + name));
            self.share(after);
        }
        self.state.move_to(&place(&piece.last));
        if let Some(name) = piece.last_name {
            self.state.name = name_base + name;
        }
    }

    /// Appends `text` as it is, after what was encoded before it.
    fn share(&mut self, text: &Arc<str>) {
        self.flush();
        if !text.is_empty() {
            self.pieces.push(text.clone());
        }
    }

    fn flush(&mut self) {
        if !self.out.is_empty() {
            let encoded =
                std::str::from_utf8(&self.out).expect("VLQ digits and separators are ASCII");
            self.pieces.push(Arc::from(encoded));
            self.out.clear();
        }
    }

    /// The `mappings` string's pieces.
    pub(super) fn finish(mut self) -> Vec<Arc<str>> {
        self.flush();
        self.pieces
    }
}

/// `mappings` joined, as one string.
#[cfg(test)]
fn joined(pieces: Vec<Arc<str>>) -> String {
    crate::render::Code::from_pieces(pieces).to_string()
}

/// `text` as a JSON string, quotes included.
pub(super) fn json_string(out: &mut String, text: &str) {
    out.push_str(&serde_json::to_string(text).expect("a string serializes"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Mapping;

    fn segment(line: u32, column: u32, source: u32, source_column: u32, name: u32) -> Segment {
        Segment {
            line,
            column,
            source,
            source_line: line,
            source_column,
            name,
        }
    }

    #[test]
    fn joined_pieces_decode_to_their_segments_offset() {
        const NONE: u32 = Mapping::NO_NAME;
        // A piece whose first named segment is not its first, spanning two lines; one with
        // a named first segment; one on a single line.
        let first = [
            segment(0, 0, 0, 0, NONE),
            segment(0, 4, 0, 4, 1),
            segment(1, 2, 1, 6, 0),
            segment(1, 9, 0, 1, NONE),
        ];
        let second = [segment(0, 1, 0, 3, 0), segment(0, 5, 0, 8, 0)];
        let third = [segment(0, 0, 0, 0, NONE), segment(0, 7, 0, 2, NONE)];
        let mut joiner = MappingsJoiner::default();
        // At line 0 column 3 (sources 0-1, names 0-1), at line 1 column 20 (source 2,
        // name 2), at line 4 column 0 (source 3).
        joiner.push(&EncodedSegments::new(&first), (0, 3), 0, 0);
        joiner.push(&EncodedSegments::new(&second), (1, 20), 2, 2);
        joiner.push(&EncodedSegments::new(&third), (4, 0), 3, 3);
        let json = format!(
            r#"{{"version":3,"names":["n0","n1","n2"],"sources":["a","b","c","d"],"mappings":"{}"}}"#,
            joined(joiner.finish())
        );
        let map = oxc_sourcemap::SourceMap::from_json_string(&json).unwrap();
        // Generated line and column, source, original line and column, name.
        type Decoded = (u32, u32, Option<u32>, u32, u32, Option<u32>);
        let decoded: Vec<Decoded> = map
            .get_tokens()
            .map(|token| {
                (
                    token.get_dst_line(),
                    token.get_dst_col(),
                    token.get_source_id(),
                    token.get_src_line(),
                    token.get_src_col(),
                    token.get_name_id(),
                )
            })
            .collect();
        assert_eq!(
            decoded,
            vec![
                (0, 3, Some(0), 0, 0, None),
                (0, 7, Some(0), 0, 4, Some(1)),
                (1, 2, Some(1), 1, 6, Some(0)),
                (1, 9, Some(0), 1, 1, None),
                (1, 21, Some(2), 0, 3, Some(2)),
                (1, 25, Some(2), 0, 8, Some(2)),
                (4, 0, Some(3), 0, 0, None),
                (4, 7, Some(3), 0, 2, None),
            ]
        );
    }
}
