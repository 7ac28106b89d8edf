//! A compiled module in the on-disk cache ([`crate::cache`]): its key, made of everything
//! [`compile_module`](super::compile::compile_module) reads, and its bytes (postcard).
//!
//! Compiling is a function of the module's path, text, settings and input map, and of the
//! compiler itself: the key hashes all of them, the compiler as the fingerprint `build.rs`
//! takes of its sources and locked dependencies. A module with any diagnostic is not
//! stored: its messages name files of this machine, and it is cheap to compile again.

use std::path::Path;

use xxhash_rust::xxh3::Xxh3;

use super::{compile::CompiledModule, input_map::InputMap};
use crate::{
    cache::{CacheKey, ModuleCache},
    settings::ModuleSettings,
};

/// The key of the module at `path` with `text`, compiled with `settings` and `input_map`.
/// Paths are named as `cache` names them (relative to the project, so that checkouts on two
/// machines share keys), except where compiling writes the absolute path into the code.
pub(super) fn module_key(
    cache: &ModuleCache,
    path: &Path,
    text: &str,
    settings: &ModuleSettings,
    input_map: Option<&InputMap>,
) -> CacheKey {
    let mut hasher = Xxh3::new();
    let mut field = |bytes: &[u8]| {
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(env!("VERDE_COMPILER_FINGERPRINT").as_bytes());
    field(cache.key_path(path).as_os_str().as_encoded_bytes());
    // The development JSX runtime is told each element's file (`jsxDEV`'s `fileName`).
    if settings.jsx.as_ref().is_some_and(|jsx| jsx.development) {
        field(path.as_os_str().as_encoded_bytes());
    }
    field(text.as_bytes());
    // Every field of the settings, new ones included, through their `Debug` form.
    field(format!("{settings:?}").as_bytes());
    if let Some(input) = input_map {
        field(input.json.as_bytes());
        for source in &input.sources {
            field(cache.key_path(&source.path).as_os_str().as_encoded_bytes());
            field(source.content.as_deref().unwrap_or("\0none").as_bytes());
        }
    }
    hasher.digest128()
}

/// The bytes to store for `compiled`, unless it must be compiled each time.
pub(super) fn encode(compiled: &CompiledModule) -> Option<Vec<u8>> {
    if !compiled.diagnostics.is_empty() {
        return None;
    }
    postcard::to_allocvec(compiled).ok()
}

/// The module stored as `bytes`; `None` if they do not decode (then it is compiled).
pub(super) fn decode(bytes: &[u8]) -> Option<CompiledModule> {
    postcard::from_bytes(bytes).ok()
}
