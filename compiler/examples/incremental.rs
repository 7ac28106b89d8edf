//! An incremental loop: build, edit one module, build again, and see which queries ran.
//! The later builds re-run only what the edits reach, the first edit of a file included
//! (each project module's view is low durability from the start; see
//! docs/ARCHITECTURE.md, "Durability").
//!
//!     cargo run --example incremental

#![allow(clippy::print_stdout)]

use std::sync::Arc;

use verde::{BuildOptions, Compiler, MemorySystem};

fn main() {
    let files = MemorySystem::new();
    files.write(
        "/app/main.js",
        "import { label } from './label.js';\nimport { count } from './count.js';\nconsole.log(label(count));\n",
    );
    files.write(
        "/app/label.js",
        "export function label(n) { return `${n} items`; }\n",
    );
    files.write("/app/count.js", "export const count = 1;\n");
    let mut compiler = Compiler::with_system("/app", Arc::new(files));
    let options = BuildOptions {
        entries: vec!["main.js".into()],
        ..BuildOptions::default()
    };

    let edits = [
        ("a cold build", None),
        (
            "an edit inside a function body",
            Some((
                "label.js",
                "export function label(n) { return `${n} things`; }\n",
            )),
        ),
        (
            "an edit that adds an export",
            Some((
                "count.js",
                "export const count = 2;\nexport const limit = 10;\n",
            )),
        ),
        ("no edit at all", None),
    ];
    for (what, edit) in edits {
        if let Some((path, text)) = edit {
            compiler.set_file_text(path, text);
        }
        let output = compiler.build(&options);
        assert!(!output.has_errors(), "{:?}", output.diagnostics);
        let queries = compiler.take_query_log();
        println!(
            "{what}: parsed {} module(s), bound imports of {}, rendered {}",
            queries.count("parsed_module"),
            queries.count("module_bindings"),
            queries.count("rendered_module"),
        );
    }
    let code = compiler.build(&options).code.expect("code").to_string();
    println!("--- bundle ---\n{code}");
}
