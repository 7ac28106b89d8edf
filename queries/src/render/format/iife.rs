//! IIFE output: the CommonJS body inside a function called at once, whose result a global
//! takes.

use std::fmt::Write as _;

use crate::{link::chunk::ChunkLinks, names, render::glue::Glue};

/// The IIFE's opening line: the parameters are `exports` and the external modules, which
/// an IIFE takes from globals of the same names.
pub(in crate::render) fn header(
    bundle: &ChunkLinks,
    global_name: Option<&str>,
    glue: Glue,
) -> String {
    let mut parameters: Vec<&str> = Vec::new();
    if has_exports(bundle) {
        parameters.push("exports");
    }
    parameters.extend(
        bundle
            .externals
            .iter()
            .filter_map(|external| external.module_var.as_deref()),
    );
    // Spelled short when minifying: module code follows, so this is not whole statements.
    let (assign, or, end, comma) = if glue.minify {
        ("=", "||", "", ",")
    } else {
        (" = ", " || ", "\n", ", ")
    };
    let mut out = String::new();
    if let (Some(name), true) = (global_name, has_exports(bundle)) {
        // `a.b.c`: create the objects on the way, keeping any that exist (esbuild's shape).
        let segments: Vec<&str> = name.split('.').collect();
        if segments.len() == 1 {
            let _ = write!(out, "var {name}{assign}");
        } else {
            let _ = write!(out, "var {0}{assign}{0}{or}{{}};{end}", segments[0]);
            for index in 2..segments.len() {
                let _ = write!(
                    out,
                    "{0}{assign}{0}{or}{{}};{end}",
                    segments[..index].join(".")
                );
            }
            let _ = write!(out, "{name}{assign}");
        }
    }
    // The body is not indented: a template literal spanning lines would change.
    if glue.minify {
        let _ = write!(out, "(function({}){{", parameters.join(comma));
    } else {
        let _ = writeln!(out, "(function ({}) {{", parameters.join(comma));
    }
    out
}

/// The IIFE's closing line: return the exports, pass the externals.
pub(in crate::render) fn footer(bundle: &ChunkLinks, glue: Glue) -> String {
    let mut arguments: Vec<String> = Vec::new();
    if has_exports(bundle) {
        arguments.push("{}".to_owned());
    }
    arguments.extend(
        bundle
            .externals
            .iter()
            .filter(|external| external.module_var.is_some())
            .map(|external| names::legal_identifier(&external.specifier)),
    );
    let mut out = String::new();
    if glue.minify {
        if has_exports(bundle) {
            out.push_str("return exports");
        }
        let _ = write!(out, "}})({});", arguments.join(","));
        return out;
    }
    if has_exports(bundle) {
        out.push_str("\treturn exports;\n");
    }
    let _ = writeln!(out, "}})({});", arguments.join(", "));
    out
}

fn has_exports(bundle: &ChunkLinks) -> bool {
    !bundle.entry_exports.is_empty() || !bundle.entry_external_stars.is_empty()
}
