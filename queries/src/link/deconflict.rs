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
    "__commonJS",
    "__toESM",
    "__toCommonJS",
    "__fileURLToPath",
    "__pathDirname",
    "__createRequire",
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
    /// Per module, the names chosen for bindings it refers to under another local name.
    visible: FxHashMap<SourceFile, Vec<Name>>,
    chosen: Vec<Name>,
}

impl<'l> Deconflicter<'l> {
    /// `globals` are the names read as globals by the modules that are in the bundle.
    pub fn new(
        nested_names: FxHashMap<SourceFile, &'l [Name]>,
        globals: impl IntoIterator<Item = Name>,
    ) -> Self {
        let mut taken: FxHashSet<Name> = GENERATED_CODE_NAMES
            .iter()
            .map(|&word| Name::from(word))
            .collect();
        taken.extend(globals);
        Deconflicter {
            nested_names,
            taken,
            next_suffix: FxHashMap::default(),
            visible: FxHashMap::default(),
            chosen: Vec::new(),
        }
    }

    /// Per module, the names chosen for bindings it refers to under another local name
    /// (a nested binding of one of them would capture); and every name chosen, sorted.
    pub fn into_choices(self) -> (FxHashMap<SourceFile, Vec<Name>>, Vec<Name>) {
        let mut chosen = self.chosen;
        chosen.sort_unstable();
        (self.visible, chosen)
    }

    fn take(&mut self, name: Name, users: &Users) -> Name {
        for (module, local) in users {
            if local.as_ref() != Some(&name) {
                self.visible.entry(*module).or_default().push(name.clone());
            }
        }
        self.taken.insert(name.clone());
        self.chosen.push(name.clone());
        name
    }

    /// Picks the first of `preferred`, `preferred$1`, `preferred$2`, ... that is free and
    /// safe for every user, and takes it.
    pub fn assign(&mut self, preferred: &str, users: &Users) -> Name {
        // The common case: the preferred name is an identifier, free and safe.
        if names::is_binding_name(preferred) {
            let candidate = Name::from(preferred);
            if self.is_free(&candidate) && self.safe_for_users(&candidate, users) {
                return self.take(candidate, users);
            }
        }
        let base = Name::from(names::legal_identifier(preferred));
        let mut suffix = self.next_suffix.get(&base).copied().unwrap_or(0);
        loop {
            let candidate = if suffix == 0 {
                base.clone()
            } else {
                Name::from(format!("{base}${suffix}"))
            };
            if self.is_free(&candidate) && self.safe_for_users(&candidate, users) {
                self.next_suffix.insert(base, suffix + 1);
                return self.take(candidate, users);
            }
            suffix += 1;
        }
    }

    fn is_free(&self, candidate: &Name) -> bool {
        !self.taken.contains(candidate)
            && !names::is_reserved_word(candidate)
            && !names::is_global_object(candidate)
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
