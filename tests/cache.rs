//! The on-disk module cache, through the real binary: a second process parses nothing and
//! writes the same bytes; an edit re-parses that one module; a damaged, deleted, foreign or
//! full cache never changes the output and never fails the build; processes share it.

mod common;

use std::{
    path::{Path, PathBuf},
    process::Command,
};

/// The cache tests' app (`common::cache_app`) in a scratch directory of its own.
fn project(name: &str) -> PathBuf {
    let dir = common::scratch_dir(&format!("cache-{name}"));
    common::cache_app(&dir);
    dir
}

const EXPECTED_OUTPUT: &str = "p:hello cache 13\n";

/// The option sets the tests build with: each compiles modules differently.
const OPTION_SETS: &[&[&str]] = &[
    &[],
    &["--minify", "--sourcemap"],
    &[
        "--format",
        "cjs",
        "--platform",
        "node",
        "--define",
        "DEBUG=false",
    ],
];

use common::CacheBuild as Build;

/// `verde`, choosing its module cache as a user's shell would: these tests check where the
/// cache goes, so not through the harness's `VERDE_CACHE_DIR` (see `common::verde`), nor
/// through one the developer's shell may set.
fn default_cache_verde() -> Command {
    let mut command = Command::new(common::verde_binary());
    command.env_remove("VERDE_CACHE_DIR");
    command
}

fn build(dir: &Path, outfile: &str, options: &[&str], cache: &[&str]) -> Build {
    let mut command = default_cache_verde();
    command
        .args(["build", "src/main.ts", "--outfile", outfile, "--stats"])
        .args(["--jsx-import-source", "jsx-lite"])
        .args(options)
        .args(cache)
        .current_dir(dir);
    Build::run(&mut command, &dir.join(outfile))
}

/// The output of a build that reads and writes no cache.
fn reference(dir: &Path, options: &[&str]) -> Vec<Vec<u8>> {
    let clean = build(dir, "reference.js", options, &["--no-cache"]);
    clean.assert_clean();
    assert_eq!(clean.parsed_and_restored().1, 0);
    clean.files
}

/// Renames `reference.js` in what a build wrote to `outfile` (the map names its file).
fn as_reference(files: &[Vec<u8>], outfile: &str) -> Vec<Vec<u8>> {
    files
        .iter()
        .map(|file| {
            String::from_utf8(file.clone())
                .unwrap()
                .replace(outfile, "reference.js")
                .into_bytes()
        })
        .collect()
}

#[test]
fn a_second_process_parses_nothing_and_writes_the_same_bytes() {
    let dir = project("second-process");
    let cache = dir.join("node_modules/.cache/verde");
    for options in OPTION_SETS {
        let expected = reference(&dir, options);
        let cold = build(&dir, "cold.js", options, &[]);
        cold.assert_clean();
        let (parsed, restored) = cold.parsed_and_restored();
        assert_eq!((parsed, restored), (5, 0), "{options:?}: {}", cold.stderr);
        assert!(
            cache.join("modules.redb").is_file(),
            "the default cache dir"
        );
        assert_eq!(
            as_reference(&cold.files, "cold.js"),
            expected,
            "{options:?}"
        );

        let warm = build(&dir, "warm.js", options, &[]);
        warm.assert_clean();
        assert_eq!(
            warm.parsed_and_restored(),
            (0, 5),
            "{options:?}: {}",
            warm.stderr
        );
        assert_eq!(
            as_reference(&warm.files, "warm.js"),
            expected,
            "{options:?}"
        );
    }
    // The bundle runs (the CommonJS one as well).
    let bundle = dir.join("run.mjs");
    std::fs::write(
        &bundle,
        &build(&dir, "warm.js", OPTION_SETS[1], &[]).files[0],
    )
    .unwrap();
    assert_eq!(common::run_node(&bundle), EXPECTED_OUTPUT);
}

#[test]
fn after_an_edit_exactly_the_edited_module_is_parsed() {
    let dir = project("edit");
    let options = OPTION_SETS[1];
    build(&dir, "first.js", options, &[]).assert_clean();
    let view = dir.join("src/view.tsx");
    let text = std::fs::read_to_string(&view).unwrap();
    std::fs::write(&view, text.replace("':'", "'='")).unwrap();
    let edited = build(&dir, "edited.js", options, &[]);
    edited.assert_clean();
    assert_eq!(edited.parsed_and_restored(), (1, 4), "{}", edited.stderr);
    assert_eq!(
        as_reference(&edited.files, "edited.js"),
        reference(&dir, options)
    );
    // Back to the first text: nothing to parse, both versions are kept.
    std::fs::write(&view, text).unwrap();
    let reverted = build(&dir, "reverted.js", options, &[]);
    reverted.assert_clean();
    assert_eq!(
        reverted.parsed_and_restored(),
        (0, 5),
        "{}",
        reverted.stderr
    );
    assert_eq!(
        as_reference(&reverted.files, "reverted.js"),
        reference(&dir, options)
    );
}

#[test]
fn a_damaged_deleted_or_foreign_cache_never_changes_the_output() {
    let dir = project("damage");
    let options = OPTION_SETS[1];
    let expected = reference(&dir, options);
    let store = dir.join("node_modules/.cache/verde/modules.redb");
    type Damage = fn(&Path);
    let damages: &[(&str, Damage)] = &[
        ("truncated", |store| {
            let bytes = std::fs::read(store).unwrap();
            std::fs::write(store, &bytes[..bytes.len() / 2]).unwrap();
        }),
        ("bytes flipped", |store| {
            let mut bytes = std::fs::read(store).unwrap();
            for at in (100..bytes.len()).step_by(997) {
                bytes[at] ^= 0x5a;
            }
            std::fs::write(store, bytes).unwrap();
        }),
        ("a byte of an entry flipped", |store| {
            assert!(flip_inside_an_entry(store), "the entry is stored as it is");
        }),
        ("deleted", |store| std::fs::remove_file(store).unwrap()),
        ("foreign", |store| {
            std::fs::write(store, "not a cache, but the same name\n".repeat(500)).unwrap();
        }),
        ("emptied", |store| std::fs::write(store, "").unwrap()),
    ];
    for (what, damage) in damages {
        let filled = build(&dir, "filled.js", options, &[]);
        filled.assert_clean();
        damage(&store);
        let after = build(&dir, "after.js", options, &[]);
        after.assert_clean();
        assert_eq!(
            as_reference(&after.files, "after.js"),
            expected,
            "{what}: {}",
            after.stderr
        );
        if *what == "a byte of an entry flipped" {
            // That entry only is a miss.
            assert_eq!(after.parsed_and_restored(), (1, 4), "{}", after.stderr);
        }
        // The next build is correct too, and the one after it finds every module in the
        // cache again (a store redb found damaged is removed at the end of the build that
        // found it).
        let again = build(&dir, "again.js", options, &[]);
        again.assert_clean();
        assert_eq!(as_reference(&again.files, "again.js"), expected, "{what}");
        let third = build(&dir, "third.js", options, &[]);
        third.assert_clean();
        assert_eq!(
            third.parsed_and_restored(),
            (0, 5),
            "{what}: {}",
            third.stderr
        );
        assert_eq!(as_reference(&third.files, "third.js"), expected, "{what}");
    }
}

/// Flips a byte inside the entry of `view.tsx`, found by a string of its object code: the
/// entry's digest no longer matches it. Returns whether it was found.
fn flip_inside_an_entry(store: &Path) -> bool {
    let mut bytes = std::fs::read(store).unwrap();
    let needle = b"greeting";
    let Some(at) = bytes
        .windows(needle.len())
        .position(|window| window == needle)
    else {
        return false;
    };
    bytes[at + 2] ^= 0x01;
    std::fs::write(store, bytes).unwrap();
    true
}

#[test]
fn a_cache_past_its_bound_evicts_and_still_writes_the_same_bytes() {
    let dir = project("bound");
    let options = OPTION_SETS[1];
    let expected = reference(&dir, options);
    // The five modules take about 2 KB (minified, with maps).
    let bound = ["--cache-max-size", "1K"];
    for round in 0..3 {
        let run = build(&dir, "bounded.js", options, &bound);
        run.assert_clean();
        assert_eq!(
            as_reference(&run.files, "bounded.js"),
            expected,
            "round {round}"
        );
        // They do not all fit: some are parsed again every time.
        assert!(run.parsed_and_restored().0 > 0, "{}", run.stderr);
    }
    let stats = default_cache_verde()
        .args(["cache", "stats"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let stats = String::from_utf8(stats.stdout).unwrap();
    let entries: u64 = stats
        .lines()
        .find_map(|line| line.strip_prefix("entries:"))
        .and_then(|rest| rest.trim().strip_suffix(" bytes"))
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("{stats}"));
    assert!((1..=1024).contains(&entries), "{stats}");
}

#[test]
fn processes_share_one_cache_at_once() {
    let dir = project("shared");
    let options = OPTION_SETS[1];
    let expected = reference(&dir, options);
    for round in 0..2 {
        let children: Vec<_> = (0..4)
            .map(|index| {
                default_cache_verde()
                    .args(["build", "src/main.ts", "--outfile"])
                    .arg(format!("out{index}.js"))
                    .args(["--jsx-import-source", "jsx-lite"])
                    .args(options)
                    .current_dir(&dir)
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for (index, child) in children.into_iter().enumerate() {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "round {round}: {stderr}");
            assert!(!stderr.contains("warning"), "round {round}: {stderr}");
            let outfile = format!("out{index}.js");
            let files = vec![
                std::fs::read(dir.join(&outfile)).unwrap(),
                std::fs::read(dir.join(format!("{outfile}.map"))).unwrap(),
            ];
            assert_eq!(as_reference(&files, &outfile), expected, "round {round}");
        }
    }
    let warm = build(&dir, "warm.js", options, &[]);
    assert_eq!(warm.parsed_and_restored(), (0, 5), "{}", warm.stderr);
}

#[test]
fn cache_stats_and_clean_and_the_flags_that_choose_the_cache() {
    let dir = project("commands");
    let elsewhere = dir.join("elsewhere");
    let elsewhere_flag = elsewhere.to_str().unwrap();
    build(&dir, "out.js", &[], &["--cache-dir", elsewhere_flag]).assert_clean();
    assert!(elsewhere.join("modules.redb").is_file());
    assert!(
        !dir.join("node_modules/.cache/verde").exists(),
        "--cache-dir replaces the default"
    );
    // `VERDE_CACHE_DIR`, for scripts: the cache goes there, and `verde cache` finds it.
    let from_env = dir.join("from-env");
    let env_cache_dir = default_cache_verde()
        .args(["build", "src/main.ts", "--outfile", "out.js"])
        .args(["--jsx-import-source", "jsx-lite"])
        .env("VERDE_CACHE_DIR", &from_env)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(env_cache_dir.status.success(), "{env_cache_dir:?}");
    assert!(from_env.join("modules.redb").is_file());
    assert!(!dir.join("node_modules/.cache/verde").exists());
    let env_stats = default_cache_verde()
        .args(["cache", "stats"])
        .env("VERDE_CACHE_DIR", &from_env)
        .output()
        .unwrap();
    let env_stats = String::from_utf8_lossy(&env_stats.stdout);
    assert!(env_stats.contains("modules: 5"), "{env_stats}");
    let no_cache = build(&dir, "out.js", &[], &["--no-cache"]);
    no_cache.assert_clean();
    assert!(!dir.join("node_modules/.cache/verde").exists());
    // `VERDE_NO_CACHE=1`, for scripts: the warm cache is not read.
    let env_no_cache = default_cache_verde()
        .args(["build", "src/main.ts", "--outfile", "out.js", "--stats"])
        .args([
            "--jsx-import-source",
            "jsx-lite",
            "--cache-dir",
            elsewhere_flag,
        ])
        .env("VERDE_NO_CACHE", "1")
        .current_dir(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&env_no_cache.stderr);
    assert!(stderr.contains("5 parsed, 0 from the cache"), "{stderr}");

    let cache = |args: &[&str]| {
        let output = default_cache_verde()
            .arg("cache")
            .args(args)
            .args(["--cache-dir", elsewhere_flag])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(
        cache(&["stats"]).contains("modules: 5"),
        "{}",
        cache(&["stats"])
    );
    cache(&["clean"]);
    assert!(
        cache(&["stats"]).contains("modules: 0"),
        "{}",
        cache(&["stats"])
    );
    let after_clean = build(&dir, "out.js", &[], &["--cache-dir", elsewhere_flag]);
    assert_eq!(after_clean.parsed_and_restored(), (5, 0));

    // A cache directory that cannot be made: a warning, and the build goes on.
    std::fs::write(dir.join("a-file"), "").unwrap();
    let unusable = build(&dir, "out.js", &[], &["--cache-dir", "a-file/cache"]);
    unusable.assert_clean();
    assert!(
        unusable
            .stderr
            .contains("warning: the module cache cannot be used"),
        "{}",
        unusable.stderr
    );
    let bad_size = build(&dir, "out.js", &[], &["--cache-max-size", "lots"]);
    assert_eq!(
        bad_size.output.status.code(),
        Some(2),
        "{}",
        bad_size.stderr
    );
    assert!(
        bad_size.stderr.contains("is not a size"),
        "{}",
        bad_size.stderr
    );
}

/// `verde build --watch` of the cache tests' app in `dir`, writing `watched.js`; its
/// further lines on standard error (kept, so that its standard error stays open); the line
/// of its initial build.
fn watch(
    dir: &Path,
) -> (
    std::process::Child,
    std::sync::mpsc::Receiver<String>,
    String,
) {
    let mut child = default_cache_verde()
        .args(["build", "src/main.ts", "--outfile", "watched.js", "--watch"])
        .args(["--jsx-import-source", "jsx-lite"])
        .current_dir(dir)
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let lines = common::stderr_lines(&mut child);
    let first = std::iter::from_fn(|| lines.recv_timeout(std::time::Duration::from_secs(20)).ok())
        .find(|line| line.starts_with("[verde]"))
        .expect("the initial build's line");
    (child, lines, first)
}

#[test]
fn watch_mode_starts_from_the_cache() {
    let dir = project("watch");
    build(&dir, "first.js", &[], &[]).assert_clean();
    let (mut child, _lines, first) = watch(&dir);
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.contains("initial build: 0 modules re-parsed (5 from the cache)"),
        "{first}"
    );
}

/// Each rebuild of watch mode writes what it compiled to the cache once the writes before
/// it are done, on a thread of its own, rather than waiting for them before its output
/// (the first rebuild after a cold build used to wait for the cold build's writes). Edits
/// made one after another from the initial build on all reach the cache: a process started
/// once watch mode has exited reads every module, the edited one as last written, from it.
#[test]
fn watch_mode_edits_reach_the_cache_after_the_writes_before_them() {
    let dir = project("watch-edits");
    let (mut child, _lines, first) = watch(&dir);
    assert!(
        first.contains("initial build: 5 modules re-parsed"),
        "{first}"
    );
    let view = dir.join("src/view.tsx");
    let original = std::fs::read_to_string(&view).unwrap();
    for edit in 1..=3 {
        let marker = format!("edit {edit}");
        let edited = original.replace(
            "element.props.children;",
            &format!("element.props.children + ' {marker}';"),
        );
        assert_ne!(edited, original);
        std::fs::write(&view, edited).unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !std::fs::read_to_string(dir.join("watched.js"))
            .is_ok_and(|code| code.contains(&marker))
        {
            assert!(
                std::time::Instant::now() < deadline,
                "no rebuild with {marker:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
    // SIGINT, as Ctrl-C sends it: watch mode exits once the cache holds what it wrote.
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(interrupted.success());
    assert!(child.wait().unwrap().success());

    let warm = build(&dir, "warm.js", &[], &[]);
    warm.assert_clean();
    assert_eq!(warm.parsed_and_restored(), (0, 5), "{}", warm.stderr);
    assert!(String::from_utf8_lossy(&warm.files[0]).contains("edit 3"));
}
