//! How deeply a module's brackets nest, measured on the text before parsing, so that a
//! module nested past [`MAX_NESTING_DEPTH`] is a clean error rather than a parse that
//! spends a gigabyte of stack. (The stack itself is sized from the source length, see
//! `stack.rs`; this limit is about what is reasonable, not about what is safe.)
//!
//! The scan skips comments, string literals, template text and regular expressions (a `/`
//! starts one where a division could not: after an operator, a keyword-like word, or an
//! opening bracket), and counts `(`, `[`, `{` and `${` against their closers.

/// The deepest bracket nesting a module may have. Node's own parser gives up at about 1,500
/// nested parentheses; generated code that nests deeper than this is not code anyone runs.
pub const MAX_NESTING_DEPTH: usize = 100_000;

/// The byte offset of the first bracket that nests deeper than `limit`, if any.
pub fn too_deep_at(text: &str, limit: usize) -> Option<usize> {
    // Nothing can nest deeper than the text is long.
    if text.len() <= limit {
        return None;
    }
    let bytes = text.as_bytes();
    // One entry per open bracket: `true` for a template substitution `${`.
    let mut open: Vec<bool> = Vec::new();
    // Whether a `/` here would start a regular expression.
    let mut regex_allowed = true;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        match byte {
            b'/' if bytes.get(index + 1) == Some(&b'/') => {
                index = memchr_line_end(bytes, index);
                continue;
            }
            b'/' if bytes.get(index + 1) == Some(&b'*') => {
                index = find(bytes, index + 2, b"*/").map_or(bytes.len(), |end| end + 2);
                continue;
            }
            b'/' if regex_allowed => {
                index = skip_regex(bytes, index + 1);
                regex_allowed = false;
                continue;
            }
            b'\'' | b'"' => {
                index = skip_string(bytes, index + 1, byte);
                regex_allowed = false;
                continue;
            }
            b'`' => {
                index = skip_template_text(bytes, index + 1, &mut open);
                if open.len() > limit {
                    return Some(index);
                }
                regex_allowed = false;
                continue;
            }
            b'(' | b'[' | b'{' => {
                open.push(false);
                if open.len() > limit {
                    return Some(index);
                }
                regex_allowed = true;
            }
            b')' | b']' => {
                open.pop();
                regex_allowed = false;
            }
            b'}' => {
                if open.pop() == Some(true) {
                    // The end of a template substitution: template text resumes.
                    index = skip_template_text(bytes, index + 1, &mut open);
                    if open.len() > limit {
                        return Some(index);
                    }
                    regex_allowed = false;
                    continue;
                }
                regex_allowed = true;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'$' | b'0'..=b'9' | 0x80.. => {
                let start = index;
                while index < bytes.len()
                    && matches!(bytes[index], b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'$' | b'0'..=b'9' | b'.' | 0x80..)
                {
                    index += 1;
                }
                // After a word a `/` divides, unless the word is a keyword that precedes
                // an expression.
                regex_allowed = matches!(
                    &text[start..index],
                    "return"
                        | "typeof"
                        | "instanceof"
                        | "in"
                        | "of"
                        | "new"
                        | "delete"
                        | "void"
                        | "throw"
                        | "case"
                        | "do"
                        | "else"
                        | "yield"
                        | "await"
                );
                continue;
            }
            _ => regex_allowed = true,
        }
        index += 1;
    }
    None
}

fn memchr_line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |offset| from + offset)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes[from..]
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|offset| from + offset)
}

/// Past the closing `quote` (or the end of the line, for an unterminated string).
fn skip_string(bytes: &[u8], mut index: usize, quote: u8) -> usize {
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 2,
            b'\n' => return index,
            byte if byte == quote => return index + 1,
            _ => index += 1,
        }
    }
    bytes.len()
}

/// Past the end of a regular expression's body and flags.
fn skip_regex(bytes: &[u8], mut index: usize) -> usize {
    let mut in_class = false;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 2,
            b'\n' => return index,
            b'[' => {
                in_class = true;
                index += 1;
            }
            b']' => {
                in_class = false;
                index += 1;
            }
            b'/' if !in_class => {
                index += 1;
                while index < bytes.len() && bytes[index].is_ascii_alphabetic() {
                    index += 1;
                }
                return index;
            }
            _ => index += 1,
        }
    }
    bytes.len()
}

/// Past template text: to the closing backquote, or just past a `${`, which opens a
/// substitution (pushed on `open`).
fn skip_template_text(bytes: &[u8], mut index: usize, open: &mut Vec<bool>) -> usize {
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 2,
            b'`' => return index + 1,
            b'$' if bytes.get(index + 1) == Some(&b'{') => {
                open.push(true);
                return index + 2;
            }
            _ => index += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::too_deep_at;

    #[test]
    fn counts_brackets_but_not_those_in_strings_comments_templates_or_regexes() {
        let deep = format!("x = {}1{};", "(".repeat(50), ")".repeat(50));
        assert_eq!(too_deep_at(&deep, 49), Some(4 + 49));
        assert_eq!(too_deep_at(&deep, 50), None);
        let quiet = format!(
            "a = '{0}'; b = \"{0}\"; // {0}\n/* {0} */ c = `{0}`; d = /{0}/; e = 1 / 2 / 3; {1}",
            "(".repeat(60),
            " ".repeat(60)
        );
        assert_eq!(too_deep_at(&quiet, 3), None);
        let substitutions = format!(
            "t = {}1{};{}",
            "`${".repeat(20),
            "}`".repeat(20),
            " ".repeat(50)
        );
        assert_eq!(too_deep_at(&substitutions, 20), None);
        assert!(too_deep_at(&substitutions, 19).is_some());
    }
}
