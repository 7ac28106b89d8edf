//! The output does not depend on the number of threads: real corpora bundled by the real
//! binary with `--threads 1, 2, 3, 4, 8` come out byte for byte the same. (Parallel
//! evaluation only warms memos; every whole-bundle decision is made by one query.)

mod common;

fn bundle(corpus: &str, entry: &str, threads: usize) -> Vec<u8> {
    let out = common::scratch_dir(&format!("threads-{corpus}-{threads}")).join("bundle.js");
    let build = common::verde()
        .args(["build", entry, "--outfile"])
        .arg(&out)
        .args(["--threads", &threads.to_string()])
        .current_dir(common::corpora_dir())
        .output()
        .expect("verde runs");
    assert!(
        build.status.success(),
        "verde --threads {threads} failed on {corpus}:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    std::fs::read(&out).expect("the bundle was written")
}

fn assert_independent_of_threads(corpus: &str, entry: &str) {
    let one = bundle(corpus, entry, 1);
    assert!(!one.is_empty());
    for threads in [2, 3, 4, 8] {
        let many = bundle(corpus, entry, threads);
        assert!(
            one == many,
            "{corpus}: the bundle built with --threads {threads} differs from --threads 1 \
             (first difference at byte {})",
            one.iter()
                .zip(&many)
                .position(|(a, b)| a != b)
                .unwrap_or(one.len().min(many.len()))
        );
    }
}

#[test]
fn three() {
    assert_independent_of_threads("three", "three/entry.js");
}

#[test]
fn date_fns() {
    assert_independent_of_threads("date-fns", "date-fns/entry.js");
}

#[test]
fn lodash_es() {
    assert_independent_of_threads("lodash-es", "lodash-es/entry.js");
}
