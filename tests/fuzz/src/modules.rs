//! The multi-module text format of the fuzz corpora and reproducers, the one the fixtures use
//! (`tests/fixtures/`): a line `//- name.js` starts a module, the text up to the next such
//! line is its source. Text before the first header is a comment. Input without any header
//! is one module, `main.js`. The first module is the entry.
//!
//! Names are made safe for a file system: only `[A-Za-z0-9_.$-]` and `/` are kept, `.` and
//! `..` components are dropped, a name without a JavaScript extension gets `.js`, an empty
//! or repeated name becomes `m<index>.js`.

/// One module: a path relative to the project root, and its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    pub name: String,
    pub text: String,
}

const HEADER: &str = "//- ";

/// Splits `text` into modules (see the module documentation).
pub fn parse(text: &str) -> Vec<Module> {
    let mut modules: Vec<Module> = Vec::new();
    let mut in_module = false;
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix(HEADER) {
            let name = sanitize(name.trim_end_matches(['\n', '\r']), &modules);
            modules.push(Module {
                name,
                text: String::new(),
            });
            in_module = true;
        } else if in_module {
            modules.last_mut().expect("a module").text.push_str(line);
        }
    }
    if !in_module {
        modules.push(Module {
            name: "main.js".to_owned(),
            text: text.to_owned(),
        });
    }
    modules
}

/// The text form of `modules`, which [`parse`] reads back unchanged.
pub fn render(comment: &str, modules: &[Module]) -> String {
    let mut text = String::new();
    for line in comment.lines() {
        text.push_str("// ");
        text.push_str(line);
        text.push('\n');
    }
    for module in modules {
        text.push_str(HEADER);
        text.push_str(&module.name);
        text.push('\n');
        text.push_str(&module.text);
        if !module.text.is_empty() && !module.text.ends_with('\n') {
            text.push('\n');
        }
    }
    text
}

fn sanitize(raw: &str, earlier: &[Module]) -> String {
    let kept: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$' | '-' | '/'))
        .collect();
    let mut name = kept
        .split('/')
        .filter(|part| !part.is_empty() && *part != "." && *part != "..")
        .collect::<Vec<_>>()
        .join("/");
    let has_extension = [".js", ".mjs", ".cjs", ".jsx", ".json"]
        .iter()
        .any(|extension| name.len() > extension.len() && name.ends_with(extension));
    if !name.is_empty() && !has_extension {
        name.push_str(".js");
    }
    if name.is_empty() || earlier.iter().any(|module| module.name == name) {
        name = format!("m{}.js", earlier.len());
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let text = "// a comment\n//- main.js\nimport './a.js';\n//- a.js\nexport {};\n";
        let modules = parse(text);
        assert_eq!(modules.len(), 2);
        assert_eq!(parse(&render("a comment", &modules)), modules);
        assert_eq!(parse("x")[0].name, "main.js");
        assert_eq!(parse("//- ../../etc/x\n//- \n")[0].name, "etc/x.js");
        assert_eq!(parse("//- a.js\n//- a.js\n")[1].name, "m1.js");
    }
}
