#![allow(clippy::print_stdout)]
use std::{path::Path, sync::Arc, time::Instant};
use verde::{BuildOptions, Compiler, MemorySystem};

fn load(directory: &Path, system: &MemorySystem) {
    for entry in std::fs::read_dir(directory).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            load(&path, system);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "js" || ext == "json")
        {
            system.write(&path, std::fs::read(&path).unwrap());
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let root = Path::new("/tmp/peers/corpora");
    let system = Arc::new(MemorySystem::new());
    load(&root.join("three10"), &system);
    let options = BuildOptions {
        entries: vec!["three10/entry.js".into()],
        ..BuildOptions::default()
    };
    let mut compiler = Compiler::with_system(root, system.clone()).without_query_log();
    let t = Instant::now();
    compiler.build(&options);
    println!("cold {:?}", t.elapsed());
    if std::env::args().nth(1).as_deref() == Some("export") {
        let leaf = root.join("three10/copy1/math/MathUtils.js");
        let original = std::fs::read_to_string(&leaf).unwrap();
        let mut times = Vec::new();
        for round in 0..60 {
            compiler.set_file_text(
                &leaf,
                format!("{original}\nexport const benchExport{round} = 1;\n"),
            );
            let t = Instant::now();
            compiler.build(&options);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!("export median {:.1}", median(times));
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("count") {
        let mut compiler = Compiler::with_system(root, system.clone());
        compiler.build(&options);
        let leaf = root.join("three10/copy1/constants.js");
        let original = std::fs::read_to_string(&leaf).unwrap();
        for round in 0..3 {
            compiler.set_file_text(&leaf, original.replace("'187'", &format!("'18{round}-x'")));
            compiler.log_validations(true);
            let _ = compiler.take_query_log();
            compiler.build(&options);
            let log = compiler.take_query_log();
            println!("{log:#?}");
        }
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("loop") {
        let leaf = root.join("three10/copy1/constants.js");
        let original = std::fs::read_to_string(&leaf).unwrap();
        let mut times = Vec::new();
        for round in 0..100 {
            let text = if std::env::args().nth(2).as_deref() == Some("string") {
                original.replace("'187'", &format!("'18{round}-x'"))
            } else {
                format!("{original}\n// edit {round}\n")
            };
            compiler.set_file_text(&leaf, text);
            if let Some(ms) = std::env::var("SLEEP_MS").ok().and_then(|v| v.parse().ok()) {
                std::thread::sleep(std::time::Duration::from_millis(ms));
            }
            let t = Instant::now();
            compiler.build(&options);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!("loop median {:.1}", median(times));
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("disk") {
        let root = Path::new("/tmp/w10");
        let mut compiler = Compiler::new(root).without_query_log();
        let options = BuildOptions {
            entries: vec!["entry.js".into()],
            ..BuildOptions::default()
        };
        compiler.build(&options);
        let leaf = root.join("copy1/constants.js");
        let original = std::fs::read_to_string(&leaf).unwrap();
        let mut times = Vec::new();
        for round in 0..60 {
            std::fs::write(&leaf, format!("{original}\n// edit {round}\n")).unwrap();
            compiler.file_changed(&leaf);
            let t = Instant::now();
            compiler.build(&options);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        std::fs::write(&leaf, original).unwrap();
        println!("disk loop median {:.1}", median(times));
        return;
    }
    let mut firsts = Vec::new();
    let mut seconds = Vec::new();
    let mut exports = Vec::new();
    for copy in 1..=9 {
        for name in ["constants.js", "math/MathUtils.js"] {
            let leaf = root.join(format!("three10/copy{copy}/{name}"));
            let original = std::fs::read_to_string(&leaf).unwrap();
            for (round, times) in [(0, &mut firsts), (1, &mut seconds)] {
                compiler.set_file_text(&leaf, format!("{original}\n// edit {round}\n"));
                let t = Instant::now();
                compiler.build(&options);
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            compiler.set_file_text(
                &leaf,
                format!("{original}\nexport const benchExport = 1;\n"),
            );
            let t = Instant::now();
            compiler.build(&options);
            exports.push(t.elapsed().as_secs_f64() * 1000.0);
            compiler.set_file_text(&leaf, original);
            compiler.build(&options);
        }
    }
    println!(
        "first edit median {:.1}  later edit median {:.1}  export edit {:.1}",
        median(firsts),
        median(seconds),
        median(exports)
    );
}
