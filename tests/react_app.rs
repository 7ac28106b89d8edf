//! A React 18 application (`tests/react/`: JSX through the automatic runtime, components
//! written with `React.createElement`, hooks, context, memo, forwardRef, a class component)
//! server-rendered with `react-dom/server`'s `renderToString`. React 18 is CommonJS whose
//! `index.js` files pick the development or the production build on
//! `process.env.NODE_ENV`. Bundled by the real binary with `--platform node` and
//! `--define process.env.NODE_ENV="production"`, the app must print the HTML that node prints
//! running it unbundled, and the bundle must hold none of React's development-only code.
//! Without the define, the development build is bundled and the HTML is the same.

mod common;
#[path = "npm/install.rs"]
mod npm_install;

use std::{
    path::{Path, PathBuf},
    process::Command,
};

/// Text only React's development builds have (checked below against the installed files, so
/// that a marker that stops meaning "development" fails loudly instead of passing quietly).
const DEVELOPMENT_MARKERS: [&str; 4] = [
    "checkPropTypes",
    "Warning: ",
    "ReactDebugCurrentFrame",
    "validateExplicitKey",
];

/// The builds the app can reach, under `node_modules`.
const DEVELOPMENT_FILES: [&str; 4] = [
    "react/cjs/react.development.js",
    "react/cjs/react-jsx-runtime.development.js",
    "react-dom/cjs/react-dom-server-legacy.node.development.js",
    "react-dom/cjs/react-dom-server.node.development.js",
];
const PRODUCTION_FILES: [&str; 4] = [
    "react/cjs/react.production.min.js",
    "react/cjs/react-jsx-runtime.production.min.js",
    "react-dom/cjs/react-dom-server-legacy.node.production.min.js",
    "react-dom/cjs/react-dom-server.node.production.min.js",
];

/// A scratch copy of `tests/react/` whose `node_modules` is the npm suite's.
fn app_dir(name: &str) -> PathBuf {
    let dir = common::scratch_dir(name);
    let fixture = common::repo_root().join("tests/react");
    for entry in std::fs::read_dir(&fixture).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    std::os::unix::fs::symlink(
        npm_install::npm_packages_dir().join("node_modules"),
        dir.join("node_modules"),
    )
    .unwrap();
    dir
}

/// Bundles `main.mjs` for node into `out/NAME.mjs` with `extra` flags; returns the bundle's text.
fn bundle(dir: &Path, name: &str, extra: &[&str]) -> String {
    let out = format!("out/{name}.mjs");
    common::run_successfully(
        common::verde()
            .args(["build", "main.mjs", "--platform", "node", "--format", "esm"])
            .args(extra)
            .args(["--outfile", &out])
            .current_dir(dir),
        "verde build",
    );
    std::fs::read_to_string(dir.join(out)).unwrap()
}

/// What node prints running the app unbundled (JSX compiled by TypeScript's transpileModule),
/// with `NODE_ENV` set to `node_env` or unset.
fn unbundled_html(name: &str, node_env: Option<&str>) -> String {
    let dir = app_dir(name);
    common::transpile_in_place(&dir);
    let mut command = Command::new("node");
    command
        .arg("--import")
        .arg(common::node_scripts_dir().join("register.mjs"))
        .arg(dir.join("main.mjs"))
        .current_dir(&dir)
        .env_remove("NODE_ENV");
    if let Some(value) = node_env {
        command.env("NODE_ENV", value);
    }
    let html = common::describe_output(&command.output().expect("node runs"));
    assert!(
        html.starts_with("<main id=\"app\"><h1>Fruits</h1>"),
        "node could not render the app unbundled:\n{html}"
    );
    html
}

fn run_bundle(dir: &Path, name: &str) -> String {
    let output = Command::new("node")
        .arg(dir.join(format!("out/{name}.mjs")))
        .env_remove("NODE_ENV")
        .output()
        .expect("node runs");
    common::describe_output(&output)
}

#[test]
fn the_markers_are_development_only() {
    let modules = npm_install::npm_packages_dir().join("node_modules");
    let read = |file: &str| std::fs::read_to_string(modules.join(file)).unwrap();
    let development: Vec<String> = DEVELOPMENT_FILES.iter().map(|file| read(file)).collect();
    let production: Vec<String> = PRODUCTION_FILES.iter().map(|file| read(file)).collect();
    for marker in DEVELOPMENT_MARKERS {
        assert!(
            development.iter().any(|text| text.contains(marker)),
            "no development build of React has {marker:?}"
        );
        for (file, text) in PRODUCTION_FILES.iter().zip(&production) {
            assert!(!text.contains(marker), "{file} has {marker:?}");
        }
    }
}

#[test]
fn a_production_bundle_renders_what_node_renders_without_development_code() {
    let dir = app_dir("react-app-production");
    let code = bundle(
        &dir,
        "production",
        &["--define", "process.env.NODE_ENV=\"production\""],
    );
    assert_eq!(
        run_bundle(&dir, "production"),
        unbundled_html("react-app-node-production", Some("production"))
    );
    for marker in DEVELOPMENT_MARKERS {
        assert!(
            !code.contains(marker),
            "the production bundle has React's development code ({marker:?})"
        );
    }
    assert!(
        !code.contains("process.env.NODE_ENV"),
        "the define left process.env.NODE_ENV in the bundle"
    );
}

#[test]
fn without_the_define_the_development_build_renders_the_same() {
    let dir = app_dir("react-app-development");
    let code = bundle(&dir, "development", &[]);
    assert_eq!(
        run_bundle(&dir, "development"),
        unbundled_html("react-app-node-development", None)
    );
    for marker in DEVELOPMENT_MARKERS {
        assert!(
            code.contains(marker),
            "the development bundle lacks {marker:?}: the markers no longer detect development code"
        );
    }
}
