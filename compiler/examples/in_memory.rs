//! Bundles three modules that exist only in memory, then asks the same database editor
//! questions on another thread.
//!
//!     cargo run --example in_memory

#![allow(clippy::print_stdout)]

use std::sync::Arc;

use verde::{BuildOptions, Compiler, MemorySystem, OutputFormat};

fn main() {
    let files = MemorySystem::new();
    files.write(
        "/app/main.js",
        "import { greet } from './lib/index.js';\ngreet('world');\n",
    );
    files.write("/app/lib/index.js", "export * from './greet.js';\n");
    files.write(
        "/app/lib/greet.js",
        "export function greet(name) { console.log(`hello, ${name}`); }\nexport function unused() {}\n",
    );
    let mut compiler = Compiler::with_system("/app", Arc::new(files));
    let options = BuildOptions {
        entries: vec!["main.js".into()],
        format: OutputFormat::Esm,
        ..BuildOptions::default()
    };

    let output = compiler.build(&options);
    for diagnostic in &output.diagnostics {
        println!("{}", compiler.render_diagnostic(diagnostic));
    }
    let code = output.code.expect("the build succeeds");
    println!("--- bundle ({} modules) ---\n{code}", output.stats.modules);

    // Reads on another thread share every memoized result of the build.
    let snapshot = compiler.snapshot(&options);
    let reader = std::thread::spawn(move || {
        let call = "import { greet } from './lib/index.js';\n".len() as u32;
        let definition = snapshot.definition("/app/main.js", call)?;
        let hover = snapshot.hover(
            "/app/lib/greet.js",
            "export function greet(name) { console.log(`hello, ${name}`); }\nexport function ".len()
                as u32,
        )?;
        Ok::<_, verde::Cancelled>((definition, hover))
    });
    let (definition, hover) = reader.join().expect("no panic").expect("not cancelled");
    let definition = definition.expect("greet is declared");
    println!(
        "--- `greet` is declared in {} at byte {} ---",
        definition.path.display(),
        definition.range.start
    );
    let hover = hover.expect("unused is a declaration");
    println!(
        "--- `{}`: in the bundle? {:?} ---",
        hover.declaration, hover.included
    );
}
