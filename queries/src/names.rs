//! What counts as an identifier, and which words no binding may take, from oxc_syntax's
//! Unicode and keyword tables (the same ones its parser uses).

use oxc::syntax::{identifier, keyword};

/// Whether `text` can be written as an identifier: after a `.`, as a property key, or (if
/// it is also not reserved, see [`is_binding_name`]) as a binding.
pub fn is_identifier_name(text: &str) -> bool {
    // The patched table leaves out the katakana middle dots, which engines before Unicode
    // 15.1 do not accept in identifiers.
    identifier::is_identifier_name_patched(text)
}

/// Whether `character` can start an identifier.
pub fn is_identifier_start(character: char) -> bool {
    identifier::is_identifier_start(character)
}

/// Whether `character` can continue an identifier.
pub fn is_identifier_part(character: char) -> bool {
    identifier::is_identifier_part(character)
}

/// A keyword, or a word reserved for one (`this`, `null`, `let`, `yield`...): never an
/// identifier reference, unlike `eval` and `arguments`.
pub fn is_keyword(text: &str) -> bool {
    shaped_like_a_reserved_word(text) && keyword::is_reserved_keyword(text)
}

/// A word that cannot name a binding in module (strict) code: keywords, future reserved
/// words, `let`, `static`, `yield`, `await`, and `eval` and `arguments`.
pub fn is_reserved_word(text: &str) -> bool {
    shaped_like_a_reserved_word(text)
        && (keyword::is_reserved_keyword(text) || matches!(text, "eval" | "arguments"))
}

/// Whether `text` is 2 to 10 lower-case ASCII letters, as every reserved word is: most
/// names are ruled out without hashing them into the keyword table (naming asks about each
/// of the 30,000 bindings of three.js x10 on every edit of the graph).
fn shaped_like_a_reserved_word(text: &str) -> bool {
    (2..=10).contains(&text.len()) && text.bytes().all(|byte| byte.is_ascii_lowercase())
}

/// Whether `text` can name a top-level binding of an ES module.
pub fn is_binding_name(text: &str) -> bool {
    is_identifier_name(text) && !is_reserved_word(text)
}

/// `undefined`, `NaN`, `Infinity`, `globalThis`: bindable, but a bundle that shadows them
/// breaks whatever reads them.
pub fn is_global_object(text: &str) -> bool {
    keyword::is_global_object(text)
}

/// Turns arbitrary text (a file name, a package specifier) into a binding name: invalid
/// characters are dropped and the next letter is upper-cased (`lazy-helper` →
/// `lazyHelper`), a leading digit gets a `_`, and a reserved word gets a `_` too.
pub fn legal_identifier(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut upper_next = false;
    for character in text.chars() {
        // The katakana middle dots are left out, as in `is_identifier_name`.
        let valid = !matches!(character, '\u{30FB}' | '\u{FF65}')
            && if out.is_empty() {
                identifier::is_identifier_start(character)
            } else {
                identifier::is_identifier_part(character)
            };
        if valid {
            if upper_next {
                out.extend(character.to_uppercase());
                upper_next = false;
            } else {
                out.push(character);
            }
        } else if out.is_empty() && character.is_ascii_digit() {
            out.push('_');
            out.push(character);
        } else {
            upper_next = !out.is_empty();
        }
    }
    if out.is_empty() || !is_binding_name(&out) {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reserved_word_is_shaped_like_one() {
        let words = keyword::RESERVED_KEYWORDS
            .iter()
            .chain(&["eval", "arguments"]);
        for word in words {
            assert!(shaped_like_a_reserved_word(word), "{word}");
            assert!(is_reserved_word(word), "{word}");
        }
        assert!(is_keyword("instanceof") && !is_keyword("eval"));
        for name in [
            "Vector2",
            "x",
            "_this",
            "letter",
            "lets",
            "default$1",
            "ab_c",
        ] {
            assert!(!is_reserved_word(name), "{name}");
        }
    }

    #[test]
    fn legal_identifiers_from_file_names_and_specifiers() {
        assert_eq!(legal_identifier("lazy-helper"), "lazyHelper");
        assert_eq!(legal_identifier("@scope/pkg"), "scopePkg");
        assert_eq!(legal_identifier("3d"), "_3d");
        assert_eq!(legal_identifier("naïve"), "naïve");
        assert_eq!(legal_identifier("$ok_1"), "$ok_1");
        assert_eq!(legal_identifier("..."), "_");
        assert_eq!(legal_identifier("class"), "_class");
        assert_eq!(legal_identifier("x\u{30FB}y"), "xY");
    }

    #[test]
    fn binding_names_exclude_reserved_words() {
        for word in [
            "class",
            "let",
            "await",
            "enum",
            "eval",
            "arguments",
            "yield",
            "static",
        ] {
            assert!(!is_binding_name(word), "{word}");
            assert!(is_identifier_name(word), "{word}");
        }
        for name in ["a", "$", "_x1", "ünïcode", "\u{1438}"] {
            assert!(is_binding_name(name), "{name}");
        }
        for text in ["", "1abc", "a-b", "a b", "a;b"] {
            assert!(!is_identifier_name(text), "{text:?}");
        }
    }
}
