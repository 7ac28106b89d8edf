//! Tentative naming family by family: which shard a name's family is in, the shards'
//! lists of preferred names (a tracked struct each, compared field by field), and the
//! query that names one shard. See the module documentation of `final_names` and
//! docs/ARCHITECTURE.md ("Link", step 5).

use std::sync::Arc;

use defer_drop::DeferDrop;
use rustc_hash::FxHashMap;

use super::{
    Scopes,
    requests::{NameRequest, name_requests},
};
use crate::{Db, config::BuildConfig, link::deconflict::Deconflicter, names, parse::Name};

/// How many shards [`super::tentative_names`] names the families in.
pub(super) const NAME_SHARDS: usize = 64;

/// The shard of the family of the names `preferred` may become: the name made a legal
/// identifier (as the deconflicter makes it), without its trailing `$n` suffixes (`x`,
/// `x$1`, `x$1$2` are one family). Every candidate for a preferred name (`base`, then
/// `base$1`, `base$2`, ...) is in the family of the preferred name.
pub(super) fn name_shard(preferred: &str) -> usize {
    use std::hash::BuildHasher;
    let legal;
    let mut family = if names::is_binding_name(preferred) {
        preferred
    } else {
        legal = names::legal_identifier(preferred);
        legal.as_str()
    };
    while let Some((base, suffix)) = family.rsplit_once('$')
        && !suffix.is_empty()
        && suffix.bytes().all(|byte| byte.is_ascii_digit())
    {
        family = base;
    }
    (rustc_hash::FxBuildHasher.hash_one(family) % NAME_SHARDS as u64) as usize
}

/// The names chosen, as a set: sorted per shard of [`name_shard`], so that a shard named
/// again replaces only its part.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct ChosenSet {
    pub(super) shards: Vec<Arc<[Name]>>,
}

impl ChosenSet {
    pub(super) fn new(names: impl IntoIterator<Item = Name>) -> ChosenSet {
        let mut shards = vec![Vec::new(); NAME_SHARDS];
        for name in names {
            shards[name_shard(&name)].push(name);
        }
        ChosenSet {
            shards: shards
                .into_iter()
                .map(|mut shard| {
                    shard.sort_unstable();
                    shard.into()
                })
                .collect(),
        }
    }

    pub(super) fn contains(&self, name: &str) -> bool {
        self.shards[name_shard(name)]
            .binary_search_by(|chosen| chosen.as_str().cmp(name))
            .is_ok()
    }
}

/// The bindings step 1 names, and the shards it names them in. Not compared with the last
/// result (what reads it runs whenever this did); the shards' lists are, field by field.
#[derive(Debug, salsa::SalsaValue)]
pub(super) struct NamingRequests<'db> {
    /// Freed on a background thread (see `docs/ARCHITECTURE.md`, "Where ASTs live and die").
    pub(super) list: DeferDrop<Vec<NameRequest>>,
    /// Per request, its shard and its place in the shard's list.
    pub(super) positions: Vec<(u32, u32)>,
    pub(super) shards: Vec<NamingShard<'db>>,
}

/// The preferred names of one shard's families, in the order they are named. A tracked
/// struct made by [`naming_requests`] for each shard: salsa compares the list with the one
/// the last run made, so [`shard_names`] runs again only when its shard's list changed.
#[salsa::tracked(debug)]
pub(super) struct NamingShard<'db> {
    #[returns(copy)]
    pub(super) index: u32,
    #[tracked]
    #[returns(ref)]
    pub(super) preferred: Vec<Name>,
}

#[salsa::tracked(returns(ref), no_eq)]
pub(super) fn naming_requests(db: &dyn Db, config: BuildConfig) -> NamingRequests<'_> {
    let _span = tracing::debug_span!("naming_requests").entered();
    let requests = name_requests(db, config, &Scopes::Ignored);
    let mut preferred: Vec<Vec<Name>> = vec![Vec::new(); NAME_SHARDS];
    let positions = requests
        .list
        .iter()
        .map(|request| {
            let shard = name_shard(&request.preferred);
            preferred[shard].push(request.preferred.clone());
            (shard as u32, preferred[shard].len() as u32 - 1)
        })
        .collect();
    let shards = preferred
        .into_iter()
        .enumerate()
        .map(|(index, preferred)| NamingShard::new(db, index as u32, preferred))
        .collect();
    NamingRequests {
        list: DeferDrop::new(requests.list),
        positions,
        shards,
    }
}

/// One shard's names, in the order of its list, and sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ShardNames {
    pub(super) names: Vec<Name>,
    pub(super) sorted: Arc<[Name]>,
}

/// Names one shard's families without nested names or globals: each name the first of
/// its candidates not taken before it (see [`Deconflicter`]).
#[salsa::tracked(returns(ref))]
pub(super) fn shard_names<'db>(db: &'db dyn Db, shard: NamingShard<'db>) -> ShardNames {
    let mut deconflicter = Deconflicter::new(FxHashMap::default(), [], false);
    let names: Vec<Name> = shard
        .preferred(db)
        .iter()
        .map(|preferred| deconflicter.assign_preferred(preferred, [].iter()))
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    ShardNames {
        names,
        sorted: sorted.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small seeded generator (xorshift), so that the test is the same on every run.
    struct Seeded(u64);

    impl Seeded {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Naming each shard of [`name_shard`] on its own chooses what naming every request in
    /// one pass does: what `tentative_names` relies on.
    #[test]
    fn families_named_apart_get_the_names_named_together_get() {
        let bases = [
            "x", "x$1", "x$2", "x$1$1", "y", "y$10", "class", "eval", "Object", "a-b", "a_b", "$",
            "$1", "_", "Math", "require", "default", "é", "x$", "x$a",
        ];
        let mut random = Seeded(0x5eed_1234_abcd_0042);
        for round in 0..50 {
            let preferred: Vec<Name> = (0..200 + round * 20)
                .map(|_| {
                    let base = bases[random.below(bases.len())];
                    match random.below(4) {
                        0 => Name::from(format!("{base}${}", random.below(5))),
                        _ => Name::from(base),
                    }
                })
                .collect();
            let mut together = Deconflicter::new(FxHashMap::default(), [], false);
            let expected: Vec<Name> = preferred
                .iter()
                .map(|name| together.assign_preferred(name, [].iter()))
                .collect();
            let mut apart: Vec<Deconflicter> = (0..NAME_SHARDS)
                .map(|_| Deconflicter::new(FxHashMap::default(), [], false))
                .collect();
            let named: Vec<Name> = preferred
                .iter()
                .map(|name| apart[name_shard(name)].assign_preferred(name, [].iter()))
                .collect();
            assert_eq!(named, expected, "round {round}");
            // Every name chosen is in the shard of the name it was chosen for.
            for (chosen, preferred) in named.iter().zip(&preferred) {
                assert_eq!(
                    name_shard(chosen),
                    name_shard(preferred),
                    "{preferred} -> {chosen}"
                );
            }
            let set = ChosenSet::new(named.iter().cloned());
            assert!(named.iter().all(|name| set.contains(name)));
            assert!(!set.contains("never$chosen"));
        }
    }
}
