//! The packages of the npm suite (`tests/npm/package.json`, pinned, with its lockfile),
//! installed once per test run under cargo's temporary directory, as `common::node_tools_dir`
//! does for the TypeScript tools: an `npm install` of what is there already is quick.
//! Shared by `npm_packages.rs` and `react_app.rs` (`#[path = "npm/install.rs"] mod npm_install;`).

#![allow(dead_code)]

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

use crate::common;

/// `tests/npm/`: package.json, package-lock.json, compare.mjs, probe.mjs, packages.mjs.
pub fn npm_suite_dir() -> PathBuf {
    common::repo_root().join("tests/npm")
}

/// The install directory (its `node_modules` holds every package of the suite).
pub fn npm_packages_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("npm-packages");
        std::fs::create_dir_all(&dir).expect("the npm packages directory is creatable");
        for name in ["package.json", "package-lock.json"] {
            let from = npm_suite_dir().join(name);
            let to = dir.join(name);
            let wanted =
                std::fs::read(&from).unwrap_or_else(|error| panic!("{}: {error}", from.display()));
            // Rewriting an identical file would make npm think the manifest changed.
            if std::fs::read(&to).ok().as_deref() != Some(wanted.as_slice()) {
                std::fs::write(&to, wanted).unwrap();
            }
        }
        common::run_successfully(
            Command::new("npm")
                .current_dir(&dir)
                .args(["install", "--no-audit", "--no-fund"]),
            "npm install of tests/npm/package.json (it needs the npm registry)",
        );
        dir
    })
}
