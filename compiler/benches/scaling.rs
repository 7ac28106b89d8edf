//! How build time grows with the shape of the input (issue 9's super-linear cases): one
//! module of many statements (named, and anonymous), one module of many exports, a long `export *` chain, a wide
//! `export *` barrel, and a long operator chain. Each shape at two sizes, so a super-linear
//! phase shows as a ratio well above the size ratio. Generated in memory; cold builds by a
//! fresh `Compiler` per sample.
//!
//!     cargo bench --bench scaling
//!     cargo bench --bench scaling -- star_chain     # one shape (divan filters by name)

use std::{fmt::Write as _, sync::Arc};

use divan::Bencher;
use verde::{BuildOptions, Compiler, MemorySystem};

fn main() {
    divan::main();
}

/// Files of a generated project; the entry is `/main.js`.
type Project = Vec<(String, String)>;

fn build(bencher: Bencher, project: Project) {
    let system = Arc::new(MemorySystem::new());
    for (path, text) in &project {
        system.write(path, text.as_bytes());
    }
    let options = BuildOptions {
        entries: vec!["/main.js".into()],
        ..BuildOptions::default()
    };
    bencher
        .with_inputs(|| Compiler::with_system("/", system.clone()).without_query_log())
        .bench_local_values(|mut compiler| {
            let output = compiler.build(&options);
            assert!(!output.has_errors(), "{:?}", output.diagnostics);
            (output, compiler)
        });
}

/// `count` top-level `var` statements and a read of the last.
fn statements(count: usize) -> Project {
    let mut main = String::new();
    for index in 0..count {
        let _ = writeln!(main, "var v{index} = {index};");
    }
    let _ = writeln!(main, "console.log(v{});", count - 1);
    vec![("/main.js".to_owned(), main)]
}

/// `count` anonymous top-level statements (expression statements all alike to salsa but for
/// their position).
fn anonymous_statements(count: usize) -> Project {
    let main: String = (0..count)
        .map(|index| format!("console.log({index});\n"))
        .collect();
    vec![("/main.js".to_owned(), main)]
}

/// One module of `count` exported functions, all imported through a namespace.
fn exports(count: usize) -> Project {
    let mut module = String::new();
    for index in 0..count {
        let _ = writeln!(
            module,
            "export function f{index}(a) {{ return a + {index}; }}"
        );
    }
    vec![
        ("/exports.js".to_owned(), module),
        (
            "/main.js".to_owned(),
            "import * as all from './exports.js';\nconsole.log(Object.keys(all).length);\n"
                .to_owned(),
        ),
    ]
}

/// `m0.js` re-exports `m1.js` re-exports ... `m{count-1}.js`, each with one export of its own.
fn star_chain(count: usize) -> Project {
    let mut project: Project = (0..count)
        .map(|index| {
            let next = if index + 1 < count {
                format!("export * from './m{}.js';\n", index + 1)
            } else {
                String::new()
            };
            (
                format!("/m{index}.js"),
                format!("{next}export const v{index} = {index};\n"),
            )
        })
        .collect();
    project.push((
        "/main.js".to_owned(),
        format!(
            "import * as ns from './m0.js';\nimport {{ v{last} }} from './m0.js';\nconsole.log(Object.keys(ns).length, v{last});\n",
            last = count - 1
        ),
    ));
    project
}

/// One barrel with `count` `export *`, each of a module with one export.
fn star_barrel(count: usize) -> Project {
    let mut project: Project = (0..count)
        .map(|index| {
            (
                format!("/m{index}.js"),
                format!("export const v{index} = {index};\n"),
            )
        })
        .collect();
    let barrel: String = (0..count)
        .map(|index| format!("export * from './m{index}.js';\n"))
        .collect();
    project.push(("/barrel.js".to_owned(), barrel));
    project.push((
        "/main.js".to_owned(),
        "import * as ns from './barrel.js';\nconsole.log(Object.keys(ns).length);\n".to_owned(),
    ));
    project
}

/// `1 + 1 + ... + 1` with `count` terms.
fn operator_chain(count: usize) -> Project {
    vec![(
        "/main.js".to_owned(),
        format!("console.log(1{});\n", " + 1".repeat(count - 1)),
    )]
}

#[divan::bench(args = [40_000, 80_000], sample_count = 5, sample_size = 1)]
fn top_level_statements(bencher: Bencher, count: usize) {
    build(bencher, statements(count));
}

#[divan::bench(args = [40_000, 80_000], sample_count = 5, sample_size = 1)]
fn anonymous_top_level_statements(bencher: Bencher, count: usize) {
    build(bencher, anonymous_statements(count));
}

#[divan::bench(args = [20_000, 40_000], sample_count = 5, sample_size = 1)]
fn exports_of_one_module(bencher: Bencher, count: usize) {
    build(bencher, exports(count));
}

#[divan::bench(args = [200, 400], sample_count = 5, sample_size = 1)]
fn export_star_chain(bencher: Bencher, count: usize) {
    build(bencher, star_chain(count));
}

#[divan::bench(args = [1_000, 2_000], sample_count = 5, sample_size = 1)]
fn export_star_barrel(bencher: Bencher, count: usize) {
    build(bencher, star_barrel(count));
}

#[divan::bench(args = [100_000, 200_000], sample_count = 5, sample_size = 1)]
fn operator_chain_terms(bencher: Bencher, count: usize) {
    build(bencher, operator_chain(count));
}
