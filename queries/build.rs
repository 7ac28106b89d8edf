//! Fingerprints the compiler: a digest of this crate's sources and of the workspace's
//! lock file (which pins oxc and every other dependency). The on-disk module cache keys its
//! entries with it, so a build of verde that compiles modules differently never reads what
//! another build wrote, even at the same version number.

use std::{
    hash::{DefaultHasher, Hash, Hasher},
    path::Path,
};

fn main() {
    let mut hasher = DefaultHasher::new();
    let mut files = Vec::new();
    collect(Path::new("src"), &mut files);
    files.push(Path::new("../Cargo.lock").to_owned());
    files.sort();
    for file in &files {
        file.hash(&mut hasher);
        std::fs::read(file).unwrap_or_default().hash(&mut hasher);
    }
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=../Cargo.lock");
    println!(
        "cargo:rustc-env=VERDE_COMPILER_FINGERPRINT={}-{:016x}",
        std::env::var("CARGO_PKG_VERSION").unwrap_or_default(),
        hasher.finish()
    );
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
