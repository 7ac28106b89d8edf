//! Final names. Every top-level binding of the bundle gets one name in the single scope the
//! modules now share. A name is taken only if it is free, is not a global some module reads,
//! and would not be captured by a nested binding of a module that refers to it under a
//! different name.
//!
//! Given the nested names and globals, or without them (empty), the choices are made in the
//! same order from the same candidates; the constraints with them are a superset of those
//! without. So if no name chosen without them is a global or one of a user's nested names
//! (what [`Deconflicter::into_choices`] lets a caller check), every choice made with them
//! would be the same: at each step the candidates rejected without them are rejected with
//! them too, and the one chosen is allowed by both.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::{files::SourceFile, names, parse::Name};

/// Names the generated wrapper code and runtime helpers use, which no binding may take
/// (besides reserved words and the global objects, see `names.rs`).
const GENERATED_CODE_NAMES: &[&str] = &[
    "exports",
    "module",
    "require",
    "__filename",
    "__dirname",
    "Object",
    "Promise",
    "Symbol",
    "Array",
    "WeakMap",
    "_interopDefault",
    "_interopNamespaceDefault",
    "_mergeNamespaces",
    "__namespace",
    "__commonJS",
    "__toESM",
    "__toCommonJS",
    "__fileURLToPath",
    "__pathDirname",
    "__createRequire",
];

/// Who refers to a binding: the module, and the local name it uses there (`None` when the
/// reference is not spelled as an identifier in that module, e.g. `ns.member`).
pub type Users = Vec<User>;
pub type User = (SourceFile, Option<Name>);

pub struct Deconflicter<'l> {
    /// Each module's names bound in nested scopes (sorted).
    nested_names: FxHashMap<SourceFile, &'l [Name]>,
    /// With short names: each module's nested names that are short names, by their index
    /// (see [`short_name`]), sorted. Every candidate is a short name, so checking a number
    /// says what checking the name would, without comparing strings (most of naming's time
    /// on three.js x10 minified went to those comparisons).
    nested_short_names: FxHashMap<SourceFile, Vec<u32>>,
    taken: FxHashSet<Name>,
    /// The suffix to try first for a base name: one past the last one taken. Without it, the
    /// k-th binding called `x` would try `x$1` to `x$k`, which is quadratic in big bundles.
    next_suffix: FxHashMap<Name, usize>,
    /// `--minify-identifiers`: names are the shortest free ones, not the preferred ones.
    short_names: bool,
    /// For each short name (by index), the first index from it on whose name may still be
    /// free: a union-find over the taken ones, so that finding a name skips the taken ones
    /// in (amortized) constant time. The most used bindings are named first and have the
    /// most users, so they leave free names behind that later bindings take; a plain scan
    /// from the first free name was quadratic (a second of naming on three.js x10).
    next_untaken: Vec<u32>,
}

impl<'l> Deconflicter<'l> {
    /// `globals` are the names read as globals by the modules that are in the bundle.
    pub fn new(
        nested_names: FxHashMap<SourceFile, &'l [Name]>,
        globals: impl IntoIterator<Item = Name>,
        short_names: bool,
    ) -> Self {
        let mut taken: FxHashSet<Name> = GENERATED_CODE_NAMES
            .iter()
            .map(|&word| Name::from(word))
            .collect();
        taken.extend(globals);
        let nested_short_names = if short_names {
            nested_names
                .iter()
                .map(|(&module, names)| {
                    let mut indices: Vec<u32> = names
                        .iter()
                        .filter_map(|name| short_name_index(name))
                        .collect();
                    indices.sort_unstable();
                    (module, indices)
                })
                .collect()
        } else {
            FxHashMap::default()
        };
        Deconflicter {
            nested_names,
            nested_short_names,
            taken,
            next_suffix: FxHashMap::default(),
            short_names,
            next_untaken: Vec::new(),
        }
    }

    fn take(&mut self, name: Name) -> Name {
        self.taken.insert(name.clone());
        name
    }

    /// Picks the first of `preferred`, `preferred$1`, `preferred$2`, ... that is free and
    /// safe for every user, and takes it.
    pub fn assign<'u>(
        &mut self,
        preferred: &str,
        users: impl Iterator<Item = &'u User> + Clone,
    ) -> Name {
        if self.short_names {
            return self.assign_short(users);
        }
        self.assign_preferred(preferred, users)
    }

    /// Like [`Self::assign`], but the preferred name first even with short names: for a
    /// binding that code the bundle cannot see may read by its name (a direct `eval`).
    pub fn assign_preferred<'u>(
        &mut self,
        preferred: &str,
        users: impl Iterator<Item = &'u User> + Clone,
    ) -> Name {
        // The common case: the preferred name is an identifier, free and safe.
        let base = if names::is_binding_name(preferred) {
            let candidate = Name::from(preferred);
            if self.is_free(&candidate) && self.safe_for_users(&candidate, users.clone()) {
                return self.take(candidate);
            }
            // Already legal: `legal_identifier` would return it as it is.
            candidate
        } else {
            Name::from(names::legal_identifier(preferred))
        };
        let mut suffix = self.next_suffix.get(&base).copied().unwrap_or(0);
        let mut spelled = String::new();
        loop {
            let candidate = if suffix == 0 {
                base.clone()
            } else {
                use std::fmt::Write as _;
                spelled.clear();
                let _ = write!(spelled, "{base}${suffix}");
                Name::from(spelled.as_str())
            };
            if self.is_free(&candidate) && self.safe_for_users(&candidate, users.clone()) {
                self.next_suffix.insert(base, suffix + 1);
                return self.take(candidate);
            }
            suffix += 1;
        }
    }

    /// Takes the first short name (`e`, `t`, ... `Q`, `$`, `ee`, ...) that is free and safe
    /// for every user. A name skipped because a user's nested binding would capture it
    /// stays free for later bindings.
    fn assign_short<'u>(&mut self, users: impl Iterator<Item = &'u User>) -> Name {
        // Each user's nested short names, and the index of its own local name if that is a
        // short name (a user may see the name it already uses).
        let nested = std::mem::take(&mut self.nested_short_names);
        let checks: Vec<(&[u32], Option<u32>)> = users
            .map(|(module, local)| {
                (
                    nested.get(module).map_or(&[][..], Vec::as_slice),
                    local.as_deref().and_then(short_name_index),
                )
            })
            .collect();
        let safe = |index: u32| {
            checks.iter().all(|(nested, local)| {
                *local == Some(index) || nested.binary_search(&index).is_err()
            })
        };
        let mut index = self.next_untaken(0);
        let name = loop {
            if safe(index as u32) {
                let candidate = short_name(index);
                // Free or not, no later binding takes it: a name taken by a preferred name,
                // reserved, or a global is never free again.
                self.mark_taken(index);
                if self.is_free(&candidate) {
                    break self.take(candidate);
                }
            }
            index = self.next_untaken(index + 1);
        };
        drop(checks);
        self.nested_short_names = nested;
        name
    }

    /// The first short-name index from `index` on that is not marked taken.
    fn next_untaken(&mut self, index: usize) -> usize {
        if self.next_untaken.len() <= index {
            let start = self.next_untaken.len() as u32;
            self.next_untaken.extend(start..=index as u32);
        }
        let mut at = index;
        loop {
            let next = self.next_untaken[at] as usize;
            if next == at {
                return at;
            }
            if self.next_untaken.len() <= next {
                let start = self.next_untaken.len() as u32;
                self.next_untaken.extend(start..=next as u32);
            }
            // Path halving: point past the next link, so later walks are shorter.
            self.next_untaken[at] = self.next_untaken[next];
            at = next;
        }
    }

    fn mark_taken(&mut self, index: usize) {
        self.next_untaken(index + 1);
        self.next_untaken[index] = index as u32 + 1;
    }

    fn is_free(&self, candidate: &Name) -> bool {
        !self.taken.contains(candidate)
            && !names::is_reserved_word(candidate)
            && !names::is_global_object(candidate)
    }

    fn safe_for_users<'u>(
        &self,
        candidate: &Name,
        mut users: impl Iterator<Item = &'u User>,
    ) -> bool {
        users.all(|(module, local)| {
            local.as_ref() == Some(candidate)
                || self
                    .nested_names
                    .get(module)
                    .is_none_or(|nested| nested.binary_search(candidate).is_err())
        })
    }
}

/// The characters a short name starts with, and those that may follow: in the order of
/// oxc's mangler (`oxc_mangler::base54`), most frequent in minified code first. The item
/// mangler names nested bindings in that order, so top-level names drawn from the same
/// letters compress better: 124 bytes less gzipped on three.js, 825 on three.js x10, 72 on
/// lodash-es, 54 on rxjs than in alphabetical order, at the same size.
const FIRST: &[u8] = b"etnriaoscludfpmhg_vybxSCwTEDOkAjMNPFILRzBVHUWGKqJYXZQ$";
const REST: &[u8] = b"etnriaoscludfpmhg_vybxSCwTEDOkAjMNPFILRzBVHUWGKqJYXZQ$1024368579";

/// The index of `name` among the short names, if it is one (the inverse of [`short_name`]).
fn short_name_index(name: &str) -> Option<u32> {
    let (&first, rest) = name.as_bytes().split_first()?;
    let first = FIRST.iter().position(|&c| c == first)? as u64;
    // `short_name` writes the quotient q, after the first character, as digits d1..dk with
    // q = 1 + d1 + 64 (1 + d2 + 64 (...)), 64 digits: read back from the last digit.
    let mut quotient: u64 = 0;
    for &byte in rest.iter().rev() {
        let digit = REST.iter().position(|&c| c == byte)? as u64;
        quotient = quotient
            .checked_mul(REST.len() as u64)?
            .checked_add(1 + digit)?;
    }
    u32::try_from(
        quotient
            .checked_mul(FIRST.len() as u64)?
            .checked_add(first)?,
    )
    .ok()
}

/// The `index`-th short name: one character of [`FIRST`], then two, and so on
/// (digits too after the first character).
fn short_name(mut index: usize) -> Name {
    let mut name = String::new();
    name.push(FIRST[index % FIRST.len()] as char);
    index /= FIRST.len();
    while index > 0 {
        index -= 1;
        name.push(REST[index % REST.len()] as char);
        index /= REST.len();
    }
    Name::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_go_to_the_first_name_free_and_safe_for_the_users() {
        let db = crate::db::Database::default();
        let module = db.file(std::path::Path::new("/m.js"));
        let nested = [Name::from("e"), Name::from("t")];
        let nested_names = FxHashMap::from_iter([(module, &nested[..])]);
        let mut deconflicter = Deconflicter::new(nested_names, [Name::from("n")], true);
        let used_in_module: Users = vec![(module, Some(Name::from("x")))];
        // `e` and `t` would be captured in the module, `n` is a global.
        assert_eq!(deconflicter.assign("x", used_in_module.iter()), "r");
        // What the module's binding skipped is still free for others, in order.
        assert_eq!(deconflicter.assign("y", [].iter()), "e");
        assert_eq!(deconflicter.assign("z", [].iter()), "t");
        assert_eq!(deconflicter.assign("w", [].iter()), "i");
        assert_eq!(deconflicter.assign("v", used_in_module.iter()), "a");
        // Past the one-character names, with every earlier one taken.
        let names: Vec<Name> = (0..200)
            .map(|_| deconflicter.assign("u", [].iter()))
            .collect();
        assert!(names.iter().all(|name| name.as_str() != "n"));
        let distinct: FxHashSet<&Name> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        assert_eq!(names[47], "$");
        assert_eq!(names[48], "ee");
    }

    #[test]
    fn short_names_are_distinct_and_shortest_first() {
        let names: Vec<Name> = (0..5000).map(short_name).collect();
        assert_eq!(names[0], "e");
        assert_eq!(names[53], "$");
        assert_eq!(names[54], "ee");
        assert!(names[..54].iter().all(|name| name.len() == 1));
        assert!(names[54..54 + 54 * 64].iter().all(|name| name.len() == 2));
        let distinct: FxHashSet<&Name> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        assert!(names.iter().all(|name| names::is_identifier_name(name)));
        for (index, name) in names.iter().enumerate() {
            assert_eq!(short_name_index(name), Some(index as u32), "{name}");
        }
        assert_eq!(short_name_index("été"), None);
        assert_eq!(short_name_index("1a"), None);
        assert_eq!(short_name_index(""), None);
        assert_eq!(short_name_index("aVeryLongNameIndeed"), None);
    }
}
