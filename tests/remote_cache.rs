//! The remote module cache against a real server: Debian's nginx with WebDAV `PUT` on
//! 127.0.0.1, as teams serve Bazel's HTTP cache protocol. A build uploads; another checkout
//! of the project with an empty local cache parses nothing and writes the same bytes; a
//! server that is down, slow, failing, refusing or serving damaged blobs never changes the
//! output and never fails the build.

mod common;

use std::{
    net::{Ipv4Addr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// nginx serving three sites: a WebDAV store, one that answers 500 to everything, and a
/// store that wants `Authorization: Bearer secret`.
struct Nginx {
    child: Child,
    store: PathBuf,
    port: u16,
    failing_port: u16,
    guarded_port: u16,
}

impl Nginx {
    fn start(dir: &Path) -> Nginx {
        let nginx = common::debian_binary("nginx", "nginx").expect(
            "`nginx` is not installed and apt-get could not install it: `apt-get install nginx`",
        );
        let store = dir.join("store");
        std::fs::create_dir_all(&store).unwrap();
        let [port, failing_port, guarded_port] = [free_port(), free_port(), free_port()];
        let conf = format!(
            "daemon off;\n\
             master_process off;\n\
             pid {dir}/nginx.pid;\n\
             error_log stderr crit;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n\
             \x20 access_log off;\n\
             \x20 client_body_temp_path {dir}/body;\n\
             \x20 proxy_temp_path {dir}/proxy;\n\
             \x20 fastcgi_temp_path {dir}/fastcgi;\n\
             \x20 uwsgi_temp_path {dir}/uwsgi;\n\
             \x20 scgi_temp_path {dir}/scgi;\n\
             \x20 client_max_body_size 64m;\n\
             \x20 server {{\n\
             \x20   listen 127.0.0.1:{port};\n\
             \x20   root {store};\n\
             \x20   log_not_found off;\n\
             \x20   dav_methods PUT;\n\
             \x20   create_full_put_path on;\n\
             \x20 }}\n\
             \x20 server {{\n\
             \x20   listen 127.0.0.1:{failing_port};\n\
             \x20   location / {{ return 500; }}\n\
             \x20 }}\n\
             \x20 server {{\n\
             \x20   listen 127.0.0.1:{guarded_port};\n\
             \x20   root {store};\n\
             \x20   log_not_found off;\n\
             \x20   dav_methods PUT;\n\
             \x20   create_full_put_path on;\n\
             \x20   if ($http_authorization != \"Bearer secret\") {{ return 401; }}\n\
             \x20 }}\n\
             }}\n",
            dir = dir.display(),
            store = store.display(),
        );
        let conf_path = dir.join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let child = Command::new(nginx)
            .arg("-c")
            .arg(&conf_path)
            .arg("-p")
            .arg(dir)
            .args(["-e", "stderr"])
            .stdin(Stdio::null())
            .spawn()
            .expect("nginx starts");
        let server = Nginx {
            child,
            store,
            port,
            failing_port,
            guarded_port,
        };
        let started = Instant::now();
        while [port, failing_port, guarded_port]
            .iter()
            .any(|&port| TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err())
        {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "nginx does not listen"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The files in the store's `ac` or `cas` directory.
    fn stored(&self, kind: &str) -> Vec<PathBuf> {
        match std::fs::read_dir(self.store.join(kind)) {
            Ok(entries) => entries.map(|entry| entry.unwrap().path()).collect(),
            Err(_) => Vec::new(),
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on (at the moment of asking).
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

use common::CacheBuild as Build;

const MINIFIED_WITH_MAPS: &[&str] = &["--minify", "--sourcemap"];

/// Builds `dir`'s app into `out.js` with `args`, its local cache in `cache` (`None`: none).
fn build(dir: &Path, cache: Option<&Path>, args: &[&str]) -> Build {
    let mut command = Command::new(common::verde_binary());
    command
        .args(["build", "src/main.ts", "--outfile", "out.js", "--stats"])
        .args(["--jsx-import-source", "jsx-lite"])
        .args(MINIFIED_WITH_MAPS)
        .args(args)
        .current_dir(dir)
        .env_remove("VERDE_NO_CACHE");
    match cache {
        Some(cache) => command.arg("--cache-dir").arg(cache),
        None => command.arg("--no-cache"),
    };
    Build::run(&mut command, &dir.join("out.js"))
}

/// A checkout of the app in `scratch/name`, and what a build with no cache writes there.
fn checkout(scratch: &Path, name: &str) -> (PathBuf, Vec<Vec<u8>>) {
    let dir = scratch.join(name);
    common::cache_app(&dir);
    let clean = build(&dir, None, &[]);
    clean.assert_clean();
    (dir, clean.files)
}

#[test]
fn another_checkout_with_an_empty_local_cache_parses_nothing() {
    let scratch = common::scratch_dir("remote-cache-checkouts");
    let nginx = Nginx::start(&scratch.join("nginx"));
    let remote = ["--remote-cache", &nginx.url()];
    let (first, expected) = checkout(&scratch, "first");

    let uploading = build(&first, Some(&scratch.join("cache-first")), &remote);
    uploading.assert_clean();
    assert_eq!(uploading.parsed_and_restored().0, 5, "{}", uploading.stderr);
    assert_eq!(uploading.files, expected);
    assert!(uploading.warnings().is_empty(), "{}", uploading.stderr);
    assert_eq!(nginx.stored("ac").len(), 1, "the build's action result");
    assert_eq!(nginx.stored("cas").len(), 1, "the build's pack");

    // Another build of the same modules (an option that does not change them): a result of
    // its own names the same pack, which the server has (`HEAD`) and is not sent again.
    let pack = &nginx.stored("cas")[0];
    let inode =
        |path: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap());
    let uploaded = inode(pack);
    let with_metafile = [&remote[..], &["--metafile", "meta.json"]].concat();
    let other = build(&first, Some(&scratch.join("cache-first")), &with_metafile);
    other.assert_clean();
    assert_eq!(other.parsed_and_restored().0, 0, "{}", other.stderr);
    assert_eq!(nginx.stored("ac").len(), 2);
    assert_eq!(nginx.stored("cas"), std::slice::from_ref(pack));
    assert_eq!(inode(pack), uploaded, "the pack was not written again");

    // Another directory, as on another machine: keys name paths inside the project.
    let (second, expected_second) = checkout(&scratch, "second");
    assert_eq!(expected_second, expected);
    let fresh = build(&second, Some(&scratch.join("cache-second")), &remote);
    fresh.assert_clean();
    assert_eq!(fresh.parsed_and_restored().0, 0, "{}", fresh.stderr);
    assert_eq!(fresh.files, expected);
    assert!(fresh.warnings().is_empty(), "{}", fresh.stderr);
    // What the remote cache gave is kept locally: no server needed the next time.
    let local = build(&second, Some(&scratch.join("cache-second")), &[]);
    assert_eq!(local.parsed_and_restored().0, 0, "{}", local.stderr);
    assert_eq!(local.files, expected);

    // An edit since the upload: the pack has every module but the edited one.
    let view = second.join("src/view.tsx");
    let text = std::fs::read_to_string(&view).unwrap();
    std::fs::write(&view, text.replace("':'", "'='")).unwrap();
    let expected_edit = build(&second, None, &[]).files;
    let edited = build(&second, Some(&scratch.join("cache-edited")), &remote);
    edited.assert_clean();
    assert_eq!(edited.parsed_and_restored().0, 1, "{}", edited.stderr);
    assert_eq!(edited.files, expected_edit);
    // It uploaded its own pack: a third checkout with the edit parses nothing.
    let (third, _) = checkout(&scratch, "third");
    std::fs::write(third.join("src/view.tsx"), text.replace("':'", "'='")).unwrap();
    let after = build(&third, Some(&scratch.join("cache-third")), &remote);
    assert_eq!(after.parsed_and_restored().0, 0, "{}", after.stderr);
    assert_eq!(after.files, expected_edit);
    // And the bundle runs.
    let bundle = third.join("run.mjs");
    std::fs::write(&bundle, &after.files[0]).unwrap();
    assert_eq!(common::run_node(&bundle), "p=hello cache 13\n");
}

#[test]
fn a_server_down_slow_failing_or_corrupt_never_changes_the_output() {
    let scratch = common::scratch_dir("remote-cache-faults");
    let nginx = Nginx::start(&scratch.join("nginx"));
    let (dir, expected) = checkout(&scratch, "app");
    let fresh = |name: &str, url: &str, extra: &[&str]| {
        let cache = scratch.join(name);
        let mut args = vec!["--remote-cache", url];
        args.extend_from_slice(extra);
        let build = build(&dir, Some(&cache), &args);
        build.assert_clean();
        assert_eq!(build.files, expected, "{name}: {}", build.stderr);
        build
    };
    let one_warning = |build: &Build, says: &str| {
        let warnings = build.warnings();
        assert_eq!(warnings.len(), 1, "{}", build.stderr);
        assert!(warnings[0].contains(says), "{}", build.stderr);
    };

    // Nothing listens.
    let down = fresh("down", &format!("http://127.0.0.1:{}", free_port()), &[]);
    assert_eq!(down.parsed_and_restored().0, 5);
    one_warning(&down, "cannot be used");

    // A server that accepts connections and never answers.
    let silent = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let silent_url = format!("http://{}", silent.local_addr().unwrap());
    let held = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in silent.incoming().take(4) {
            held.push(stream);
        }
        std::thread::sleep(Duration::from_secs(5));
    });
    let slow = fresh("slow", &silent_url, &["--remote-cache-timeout", "0.5"]);
    assert_eq!(slow.parsed_and_restored().0, 5);
    one_warning(&slow, "timeout");
    drop(held);

    // 500 to everything.
    let failing = fresh(
        "failing",
        &format!("http://127.0.0.1:{}", nginx.failing_port),
        &[],
    );
    assert_eq!(failing.parsed_and_restored().0, 5);
    one_warning(&failing, "500");

    // A store that wants a token: refused without it, used with it.
    let guarded = format!("http://127.0.0.1:{}", nginx.guarded_port);
    let refused = fresh("refused", &guarded, &[]);
    one_warning(&refused, "401");
    assert!(nginx.stored("cas").is_empty());
    let token = ["--remote-cache-header", "Authorization: Bearer secret"];
    let read_only = [&token[..], &["--remote-cache-read-only"]].concat();
    let reading = fresh("read-only", &guarded, &read_only);
    assert!(reading.warnings().is_empty(), "{}", reading.stderr);
    assert!(
        nginx.stored("cas").is_empty(),
        "a read-only job uploads nothing"
    );
    let uploading = fresh("uploading", &guarded, &token);
    assert!(uploading.warnings().is_empty(), "{}", uploading.stderr);
    assert_eq!(nginx.stored("cas").len(), 1);
    let warm = fresh("warm", &nginx.url(), &[]);
    assert_eq!(warm.parsed_and_restored().0, 0, "{}", warm.stderr);

    // A blob whose bytes are not its hash: not used, and replaced by the build's own.
    for blob in nginx.stored("cas") {
        let mut bytes = std::fs::read(&blob).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x20;
        std::fs::write(&blob, bytes).unwrap();
    }
    let corrupt = fresh("corrupt", &nginx.url(), &[]);
    assert_eq!(corrupt.parsed_and_restored().0, 5, "{}", corrupt.stderr);
    one_warning(&corrupt, "SHA-256");
    let repaired = fresh("repaired", &nginx.url(), &[]);
    assert_eq!(repaired.parsed_and_restored().0, 0, "{}", repaired.stderr);
    assert!(repaired.warnings().is_empty(), "{}", repaired.stderr);

    // An action result that is not one (a foreign writer): not used.
    for result in nginx.stored("ac") {
        std::fs::write(&result, b"not a protobuf \xff\xff\xff").unwrap();
    }
    let foreign = fresh("foreign", &nginx.url(), &[]);
    assert_eq!(foreign.parsed_and_restored().0, 5, "{}", foreign.stderr);
    one_warning(&foreign, "action result");
}

#[test]
fn remote_cache_flags_are_checked() {
    let scratch = common::scratch_dir("remote-cache-flags");
    let (dir, _) = checkout(&scratch, "app");
    for (args, says) in [
        (&["--remote-cache", "ftp://host"][..], "not http"),
        (
            &[
                "--remote-cache",
                "http://host",
                "--remote-cache-header",
                "oops",
            ],
            "not a header",
        ),
        (
            &[
                "--remote-cache",
                "http://host",
                "--remote-cache-timeout",
                "0",
            ],
            "seconds",
        ),
        (&["--remote-cache-read-only"], "--remote-cache"),
    ] {
        let build = build(&dir, Some(&scratch.join("cache")), args);
        assert_eq!(
            build.output.status.code(),
            Some(2),
            "{args:?}: {}",
            build.stderr
        );
        assert!(build.stderr.contains(says), "{args:?}: {}", build.stderr);
    }
    // `--no-cache` and a remote cache contradict each other.
    let both = build(&dir, None, &["--remote-cache", "http://host"]);
    assert_eq!(both.output.status.code(), Some(2), "{}", both.stderr);
}
