//! A real browser: the multi-page app in `tests/browser/app/` (two pages sharing a UI
//! module and its state, routes loaded by `import()`), split by the real binary into
//! `--outdir`, served from 127.0.0.1 and driven in headless Chromium (Debian's `chromium`
//! package, which `.ci/run` installs, and so does this test when it is missing) by
//! Playwright (`tests/browser/drive.mjs`). Every page renders, each route's chunk is fetched
//! when its button is first pressed and never again, and no chunk is fetched twice.

mod common;

use std::{path::Path, process::Command};

use serde_json::Value;

#[test]
fn a_split_app_renders_in_chromium_and_fetches_each_chunk_once() {
    let chromium = common::debian_binary("chromium", "chromium").expect(
        "`chromium` is not installed and apt-get could not install it: `apt-get install chromium`",
    );
    let browser_dir = common::repo_root().join("tests/browser");
    let app = browser_dir.join("app");
    let dist = common::scratch_dir("browser-app");
    for flags in [&[][..], &["--minify", "--sourcemap"][..]] {
        let _ = std::fs::remove_dir_all(&dist);
        let build = common::verde()
            .current_dir(&app)
            .args(["build", "home.js", "about.js", "--outdir"])
            .arg(&dist)
            .args(flags)
            .output()
            .expect("verde runs");
        assert!(
            build.status.success(),
            "{}",
            String::from_utf8_lossy(&build.stderr)
        );
        for page in ["index.html", "about.html"] {
            std::fs::copy(app.join(page), dist.join(page)).unwrap();
        }
        let files = chunk_files(&dist);
        let settings = find(&files, "settings-");
        let help = find(&files, "help-");
        let shared = find(&files, "chunk-");
        // The route-only module is in its route's chunk, not in a shared one.
        let settings_code = std::fs::read_to_string(dist.join(settings)).unwrap();
        assert!(settings_code.contains("[${"), "{settings_code}");

        let drive = common::run_successfully(
            Command::new("node")
                .arg(browser_dir.join("drive.mjs"))
                .arg(common::node_tools_dir())
                .arg(&dist)
                .arg(&chromium),
            "the browser driver",
        );
        let report: Value = serde_json::from_slice(&drive.stdout).unwrap();
        let context = format!("flags {flags:?}:\n{report:#}");
        assert_eq!(report["errors"], serde_json::json!([]), "{context}");
        let steps: Vec<(&str, &str, u64)> = report["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|step| {
                (
                    step["title"].as_str().unwrap(),
                    step["text"].as_str().unwrap(),
                    step["requests"].as_u64().unwrap(),
                )
            })
            .collect();
        let titles: Vec<(&str, &str)> = steps.iter().map(|(t, text, _)| (*t, *text)).collect();
        assert_eq!(
            titles,
            [
                ("Home (1)", "Home\n\nthe home page"),
                ("Settings (2)", "Settings\n\n[after 1 views]"),
                ("Settings (3)", "Settings\n\n[after 2 views]"),
                ("Help (4)", "Help\n\npress the buttons"),
                ("About (1)", "About\n\nthe about page"),
                ("Help (2)", "Help\n\npress the buttons"),
            ],
            "{context}"
        );
        let requests: Vec<&str> = report["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|path| path.as_str().unwrap())
            .collect();
        let fetched_by = |step: usize| &requests[..steps[step].2 as usize];
        let fetches = |path: &str, within: &[&str]| {
            within
                .iter()
                .filter(|request| request.trim_start_matches('/') == path)
                .count()
        };
        // The home page loads its file and the shared chunk, not the routes.
        assert_eq!(fetches("home.js", fetched_by(0)), 1, "{context}");
        assert_eq!(fetches(shared, fetched_by(0)), 1, "{context}");
        assert_eq!(fetches(settings, fetched_by(0)), 0, "{context}");
        assert_eq!(fetches(help, fetched_by(0)), 0, "{context}");
        // Each route's chunk comes with its first use.
        assert_eq!(fetches(settings, fetched_by(1)), 1, "{context}");
        assert_eq!(fetches(help, fetched_by(2)), 0, "{context}");
        assert_eq!(fetches(help, fetched_by(3)), 1, "{context}");
        // No chunk is fetched twice: the second page takes the shared chunk and the help
        // route from the cache their content hashes allow.
        for file in &files {
            assert!(
                fetches(file, &requests) <= 1,
                "{file} fetched twice: {context}"
            );
        }
        assert_eq!(fetches("about.js", &requests), 1, "{context}");
        assert!(
            requests.iter().all(|request| !request.ends_with(".map")),
            "{context}"
        );
    }
}

/// The `.js` files in `dist`.
fn chunk_files(dist: &Path) -> Vec<String> {
    std::fs::read_dir(dist)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".js"))
        .collect()
}

fn find<'f>(files: &'f [String], prefix: &str) -> &'f str {
    files
        .iter()
        .find(|file| file.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix}[hash].js in {files:?}"))
}
