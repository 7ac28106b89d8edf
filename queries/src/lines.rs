//! Line breaks as JavaScript (and source maps, and oxc's codegen) count them: `\n`, `\r\n`,
//! `\r`, U+2028 and U+2029.

/// The length in bytes of the line break that starts at `index` of `bytes`, if one does.
pub fn line_break_at(bytes: &[u8], index: usize) -> Option<usize> {
    match bytes.get(index)? {
        b'\r' if bytes.get(index + 1) == Some(&b'\n') => Some(2),
        b'\n' | b'\r' => Some(1),
        0xE2 if matches!(bytes.get(index + 1..index + 3), Some([0x80, 0xA8 | 0xA9])) => Some(3),
        _ => None,
    }
}

/// Every line break of `bytes`: where each starts, and its length. The text between them is
/// skipped at memchr's speed (every break starts with `\n`, `\r`, or 0xE2 for U+2028 and
/// U+2029), not looked at byte by byte.
pub fn line_breaks(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut next = 0;
    memchr::memchr3_iter(b'\n', b'\r', 0xE2, bytes).filter_map(move |index| {
        // The `\n` of a `\r\n` already taken.
        if index < next {
            return None;
        }
        let length = line_break_at(bytes, index)?;
        next = index + length;
        Some((index, length))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_javascript_line_terminator_is_a_break() {
        let text = "a\nb\r\nc\rd\u{2028}e\u{2029}f\u{2027}".as_bytes();
        let breaks: Vec<(usize, usize)> = (0..text.len())
            .filter_map(|index| line_break_at(text, index).map(|length| (index, length)))
            .collect();
        // `\r\n` is one break of two bytes (its `\n` on its own is found too, and skipped by
        // callers that move past the break); U+2027 is not a break.
        assert_eq!(breaks, [(1, 1), (3, 2), (4, 1), (6, 1), (8, 3), (12, 3)]);
        // Found in one pass, each break once.
        let found: Vec<(usize, usize)> = line_breaks(text).collect();
        assert_eq!(found, [(1, 1), (3, 2), (6, 1), (8, 3), (12, 3)]);
    }
}
