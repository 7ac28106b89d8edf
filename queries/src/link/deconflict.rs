//! Final names. Every top-level binding of the bundle gets one name in the single scope the
//! modules now share. A name is taken only if it is free, is not a global some module reads,
//! and would not be captured by a nested binding of a module that refers to it under a
//! different name.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::{files::SourceFile, parse::Name};

/// Words no binding may take: the language's reserved words, and the names the generated
/// wrapper code itself uses.
const RESERVED: &[&str] = &[
    "arguments",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "eval",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "undefined",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "NaN",
    "Infinity",
    // Used by the format wrappers and runtime helpers.
    "exports",
    "module",
    "require",
    "__filename",
    "__dirname",
    "Object",
    "Promise",
    "Symbol",
    "_interopDefault",
    "_interopNamespaceDefault",
    "_mergeNamespaces",
];

/// Who refers to a binding: the module, and the local name it uses there (`None` when the
/// reference is not spelled as an identifier in that module, e.g. `ns.member`).
pub type Users = Vec<(SourceFile, Option<Name>)>;

pub struct Deconflicter<'l> {
    /// Each module's names bound in nested scopes (sorted).
    nested_names: FxHashMap<SourceFile, &'l [Name]>,
    taken: FxHashSet<Name>,
    /// The suffix to try first for a base name: one past the last one taken. Without it, the
    /// k-th binding called `x` would try `x$1` to `x$k`, which is quadratic in big bundles.
    next_suffix: FxHashMap<Name, usize>,
}

impl<'l> Deconflicter<'l> {
    /// `globals` are the names read as globals by the modules that are in the bundle.
    pub fn new(
        nested_names: FxHashMap<SourceFile, &'l [Name]>,
        globals: impl IntoIterator<Item = Name>,
    ) -> Self {
        let mut taken: FxHashSet<Name> = RESERVED.iter().map(|&word| Name::from(word)).collect();
        taken.extend(globals);
        Deconflicter {
            nested_names,
            taken,
            next_suffix: FxHashMap::default(),
        }
    }

    /// Picks the first of `preferred`, `preferred$1`, `preferred$2`, ... that is free and
    /// safe for every user, and takes it.
    pub fn assign(&mut self, preferred: &str, users: &Users) -> Name {
        // The common case: the preferred name is an identifier, free and safe.
        if crate::link::is_identifier_name(preferred) {
            let candidate = Name::from(preferred);
            if !self.taken.contains(&candidate) && self.safe_for_users(&candidate, users) {
                self.taken.insert(candidate.clone());
                return candidate;
            }
        }
        let base = Name::from(legal_identifier(preferred));
        let mut suffix = self.next_suffix.get(&base).copied().unwrap_or(0);
        loop {
            let candidate = if suffix == 0 {
                base.clone()
            } else {
                Name::from(format!("{base}${suffix}"))
            };
            if !self.taken.contains(&candidate) && self.safe_for_users(&candidate, users) {
                self.taken.insert(candidate.clone());
                self.next_suffix.insert(base, suffix + 1);
                return candidate;
            }
            suffix += 1;
        }
    }

    fn safe_for_users(&self, candidate: &Name, users: &Users) -> bool {
        users.iter().all(|(module, local)| {
            local.as_ref() == Some(candidate)
                || self
                    .nested_names
                    .get(module)
                    .is_none_or(|nested| nested.binary_search(candidate).is_err())
        })
    }
}

/// Turns arbitrary text (a file name, a package specifier) into an identifier.
pub fn legal_identifier(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut upper_next = false;
    for (index, character) in text.chars().enumerate() {
        let valid = if index == 0 {
            character == '$' || character == '_' || character.is_alphabetic()
        } else {
            character == '$' || character == '_' || character.is_alphanumeric()
        };
        if valid {
            if upper_next {
                out.extend(character.to_uppercase());
                upper_next = false;
            } else {
                out.push(character);
            }
        } else if index == 0 && character.is_ascii_digit() {
            out.push('_');
            out.push(character);
        } else {
            upper_next = !out.is_empty();
        }
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::legal_identifier;

    #[test]
    fn legal_identifiers_from_file_names_and_specifiers() {
        assert_eq!(legal_identifier("lazy-helper"), "lazyHelper");
        assert_eq!(legal_identifier("@scope/pkg"), "scopePkg");
        assert_eq!(legal_identifier("3d"), "_3d");
        assert_eq!(legal_identifier("naïve"), "naïve");
        assert_eq!(legal_identifier("$ok_1"), "$ok_1");
        assert_eq!(legal_identifier("..."), "_");
    }
}
