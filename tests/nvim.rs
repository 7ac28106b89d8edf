//! A real editor's LSP client against `verde lsp`: Neovim, headless, with its built-in client
//! (`nvim` comes from Debian's `neovim` package; `.ci/run` installs it, and so does this test
//! when it is missing). The Lua side is `tests/nvim/e2e.lua`; it writes what happened and
//! this test checks it.

mod common;

use std::{path::Path, process::Command};

#[test]
fn neovim_jumps_to_definitions_and_shows_diagnostics() {
    let nvim = common::debian_binary("nvim", "neovim").expect(
        "`nvim` is not installed and apt-get could not install it: `apt-get install neovim`",
    );
    let project = common::scratch_dir("nvim");
    std::fs::create_dir_all(project.join("lib")).unwrap();
    std::fs::write(
        project.join("lib/shapes.js"),
        "// Shapes.\n\nexport const unit = 1;\nexport function area(s) {\n\treturn s * unit;\n}\n",
    )
    .unwrap();
    std::fs::write(
        project.join("lib/index.js"),
        "export * from './shapes.js';\n",
    )
    .unwrap();
    std::fs::write(
        project.join("main.js"),
        "import { area, perimeter } from './lib/index.js';\nconsole.log(area(2), perimeter);\n",
    )
    .unwrap();
    let result = project.join("result.txt");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/nvim/e2e.lua");
    let status = common::with_module_cache(&mut Command::new(nvim))
        .args(["--headless", "--clean", "-u", "NONE", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("VERDE_BIN", env!("CARGO_BIN_EXE_verde"))
        .env("VERDE_PROJECT", &project)
        .env("VERDE_RESULT", &result)
        .current_dir(&project)
        .status()
        .expect("nvim runs");
    assert!(status.success(), "nvim exited with {status:?}");
    let report = std::fs::read_to_string(&result).expect("the script wrote its report");

    let lines: Vec<&str> = report.lines().collect();
    assert!(!report.contains("error="), "{report}");
    assert!(lines.contains(&"started=true"), "{report}");
    assert!(lines.contains(&"diagnostics_arrived=true"), "{report}");
    // Line 0, the column of `perimeter` in the import.
    assert!(
        lines.iter().any(|line| line.starts_with("diagnostic=0:15:")
            && line.contains("\"perimeter\" is not exported by \"index.js\"")),
        "{report}"
    );
    assert!(lines.contains(&"jumped=true"), "{report}");
    let file = lines
        .iter()
        .find_map(|line| line.strip_prefix("definition_file="))
        .unwrap();
    assert!(file.ends_with("/lib/shapes.js"), "{report}");
    // `export function area` is on line 4 (1-based), `area` at column 16.
    assert!(lines.contains(&"definition_line=4"), "{report}");
    assert!(lines.contains(&"definition_column=16"), "{report}");
}
