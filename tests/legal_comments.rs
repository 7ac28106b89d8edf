//! Legal comments (`/*!`, `//!`, `@license`, `@preserve`): where `--legal-comments` puts
//! them, and that the bundle still runs as the modules do.

mod common;

use std::path::Path;

const MAIN: &str = "/*! main license */\n\
                    import { used } from './lib.js';\n\
                    import './shaken.js';\n\
                    // an ordinary comment\n\
                    console.log(used());\n";
const LIB: &str = "/**\n * @license MIT lib\n */\n\
                   //! lib line\n\
                   export function used() { return 'used'; }\n\
                   /*! main license */\n\
                   export const unused = 2;\n";
/// Nothing of it is in the bundle, so neither is its license.
const SHAKEN: &str = "/*! shaken license */\nexport const nothing = 0;\n";

fn build(flags: &[&str]) -> String {
    let dir = common::scratch_dir(&format!("legal-{}", flags.join("").replace(['-', '='], "")));
    for (name, text) in [("main.js", MAIN), ("lib.js", LIB), ("shaken.js", SHAKEN)] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    std::fs::write(
        dir.join("package.json"),
        r#"{ "type": "module", "sideEffects": false }"#,
    )
    .unwrap();
    let out = dir.join("out.js");
    common::run_successfully(
        common::verde()
            .args(["build", "main.js", "--outfile"])
            .arg(&out)
            .args(flags)
            .current_dir(&dir),
        &format!("verde build {}", flags.join(" ")),
    );
    assert_eq!(
        common::run_node(&out),
        common::run_node(&dir.join("main.js"))
    );
    read(&out)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn by_default_legal_comments_are_gathered_at_the_end_once_each() {
    for flags in [&[][..], &["--minify"][..]] {
        let bundle = build(flags);
        let end = bundle
            .find("/*! main license */")
            .unwrap_or_else(|| panic!("{flags:?}: no license in\n{bundle}"));
        assert_eq!(
            &bundle[end..],
            "/*! main license */\n/**\n * @license MIT lib\n */\n//! lib line\n",
            "{flags:?}: {bundle}"
        );
        assert!(!bundle.contains("shaken license"), "{bundle}");
        assert!(!bundle.contains("ordinary comment"), "{bundle}");
    }
}

#[test]
fn inline_legal_comments_stay_before_their_statements() {
    let bundle = build(&["--legal-comments=inline"]);
    let license = bundle.find("/*! main license */").expect("the license");
    let statement = bundle.find("console.log").expect("the statement");
    assert!(license < statement, "{bundle}");
    assert!(
        bundle.find("//! lib line").unwrap() < bundle.find("function used").unwrap(),
        "{bundle}"
    );
    assert!(!bundle.contains("shaken license"), "{bundle}");
}

#[test]
fn legal_comments_can_be_left_out() {
    let bundle = build(&["--legal-comments=none"]);
    assert!(
        !bundle.contains("license") && !bundle.contains("//!"),
        "{bundle}"
    );
}
