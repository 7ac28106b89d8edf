//! Seeded random graphs of CommonJS modules (with cycles, every way of exporting that node's
//! cjs-module-lexer reads, `__esModule` modules, ES modules and JSON required from CommonJS)
//! imported by an ES module entry, bundled by the real binary for node, and run in node next
//! to the same modules unbundled: both must print the same lines, in the same order (each
//! module prints when it runs). Node is the oracle; nothing expected is written down.

mod common;

use std::{fmt::Write as _, path::Path, process::Command};

use common::Random;

/// How a CommonJS module exports.
#[derive(Clone, Copy, PartialEq)]
enum Style {
    /// `exports.v = ...; exports.f = function ...`: node detects `v` and `f`.
    Assigned,
    /// `module.exports = { v, f }` (identifiers: detected).
    Literal,
    /// `module.exports = function ...; module.exports.v = ...`: `v` is detected.
    Function,
    /// `__esModule` with `exports.default`: what Babel and TypeScript write.
    EsModuleFlag,
    /// `module.exports = { v: 1 + x }`: a value node does not look into; nothing detected.
    Opaque,
}

const STYLES: [Style; 5] = [
    Style::Assigned,
    Style::Literal,
    Style::Function,
    Style::EsModuleFlag,
    Style::Opaque,
];

/// Writes one graph into `dir` and returns the entry's name.
fn write_graph(random: &mut Random, dir: &Path) -> &'static str {
    let modules = 2 + random.below(6);
    let styles: Vec<Style> = (0..modules)
        .map(|_| STYLES[random.below(STYLES.len())])
        .collect();
    let esm_leaves = random.below(3);
    for (index, &style) in styles.iter().enumerate() {
        let mut code = String::new();
        let _ = writeln!(code, "console.log('c{index} runs');");
        // Requests: later modules mostly (a tree), sometimes an earlier one (a cycle: it sees
        // the exports assigned so far), an ES module or a JSON file.
        let mut terms = vec![format!("{}", index + 1)];
        for other in 0..modules {
            if other == index || !random.chance(if other > index { 45 } else { 15 }) {
                continue;
            }
            let _ = writeln!(code, "const d{other} = require('./c{other}.cjs');");
            let _ = writeln!(
                code,
                "console.log('c{index} sees c{other}:', typeof d{other}, String(d{other} && d{other}.v));"
            );
            if other > index {
                terms.push(format!("(Number(d{other}.v) || 0)"));
            }
        }
        for leaf in 0..esm_leaves {
            if random.chance(40) {
                let _ = writeln!(code, "const e{leaf} = require('./e{leaf}.mjs');");
                let _ = writeln!(
                    code,
                    "console.log('c{index} sees e{leaf}:', e{leaf}.value, e{leaf}.default, e{leaf}.__esModule);"
                );
                terms.push(format!("e{leaf}.value"));
            }
        }
        if random.chance(25) {
            let _ = writeln!(code, "const data = require('./data.json');");
            terms.push("data.list.length".to_owned());
        }
        let value = terms.join(" + ");
        match style {
            Style::Assigned => {
                let _ = writeln!(code, "exports.v = {value};");
                let _ = writeln!(code, "exports.f = function (x) {{ return x * {index}; }};");
            }
            Style::Literal => {
                let _ = writeln!(code, "const v = {value};");
                let _ = writeln!(code, "function f(x) {{ return x + {index}; }}");
                let _ = writeln!(code, "module.exports = {{ v, f }};");
            }
            Style::Function => {
                let _ = writeln!(
                    code,
                    "module.exports = function (x) {{ return x - {index}; }};"
                );
                let _ = writeln!(code, "module.exports.v = {value};");
            }
            Style::EsModuleFlag => {
                let _ = writeln!(
                    code,
                    "Object.defineProperty(exports, '__esModule', {{ value: true }});"
                );
                let _ = writeln!(code, "exports.default = 'default of c{index}';");
                let _ = writeln!(code, "exports.v = {value};");
            }
            Style::Opaque => {
                let _ = writeln!(code, "module.exports = {{ v: 0 + {value}, w: 'w' }};");
            }
        }
        std::fs::write(dir.join(format!("c{index}.cjs")), code).unwrap();
    }
    for leaf in 0..esm_leaves {
        let code = format!(
            "console.log('e{leaf} runs');\nexport const value = {};\nexport default 'e{leaf} default';\n",
            (leaf + 1) * 100
        );
        std::fs::write(dir.join(format!("e{leaf}.mjs")), code).unwrap();
    }
    std::fs::write(dir.join("data.json"), r#"{ "list": [1, 2, 3] }"#).unwrap();

    // The entry imports some of the modules, each in one or more ways.
    let mut imports = String::new();
    let mut uses = String::new();
    for (index, &style) in styles.iter().enumerate() {
        if !random.chance(60) && index != 0 {
            continue;
        }
        let _ = writeln!(imports, "import c{index} from './c{index}.cjs';");
        let _ = writeln!(
            uses,
            "console.log('c{index} default:', typeof c{index}, String(c{index} && c{index}.v));"
        );
        if random.chance(50) {
            let _ = writeln!(imports, "import * as n{index} from './c{index}.cjs';");
            let _ = writeln!(
                uses,
                "console.log('c{index} namespace:', Object.keys(n{index}).join(), n{index}.default === c{index});"
            );
        }
        let detected_v = style != Style::Opaque;
        if detected_v && random.chance(60) {
            let _ = writeln!(imports, "import {{ v as v{index} }} from './c{index}.cjs';");
            let _ = writeln!(uses, "console.log('c{index} v:', String(v{index}));");
        }
    }
    std::fs::write(
        dir.join("main.mjs"),
        format!("{imports}console.log('main runs');\n{uses}"),
    )
    .unwrap();
    "main.mjs"
}

fn node_output(file: &Path) -> String {
    let output = Command::new("node")
        .arg(file)
        .current_dir(file.parent().unwrap())
        .output()
        .expect("node runs");
    common::describe_output(&output)
}

#[test]
fn random_commonjs_graphs_run_as_node_runs_them() {
    let root = common::scratch_dir("commonjs-graphs");
    let mut random = Random(0x00C0_111E_C7ED);
    let mut failures = Vec::new();
    for graph in 0..60 {
        let dir = root.join(format!("graph{graph}"));
        std::fs::create_dir_all(&dir).unwrap();
        let entry = write_graph(&mut random, &dir);
        let unbundled = node_output(&dir.join(entry));
        let bundle = root.join(format!("graph{graph}.bundle.mjs"));
        let build = common::run_successfully(
            common::verde()
                .current_dir(&dir)
                .args(["build", entry, "--platform", "node", "--outfile"])
                .arg(&bundle),
            "verde build",
        );
        assert!(build.status.success());
        let bundled = node_output(&bundle);
        if bundled != unbundled {
            failures.push(format!(
                "graph {graph} ({}):\n--- node, unbundled ---\n{unbundled}--- bundle ---\n{bundled}",
                dir.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
