//! Namespace objects, and the expressions their getters (and the CommonJS exports object)
//! return.

use std::fmt::Write as _;

use super::glue::Glue;
use crate::{
    link::{Replacement, ReplacementKind, replacements::NamespaceObject, string_literal},
    names,
};

pub(super) fn value_expression(replacement: &Replacement) -> String {
    match replacement.kind {
        ReplacementKind::Other => format!("({})", replacement.text),
        _ => replacement.text.to_string(),
    }
}

/// `name` as a property key (or an export's name): as an identifier when it is one, with
/// escapes for what is not ASCII (they mean the same in either charset), else as a string.
pub(super) fn property_key(name: &str) -> String {
    if names::is_identifier_name(name) {
        crate::charset::escaped_identifier(name)
    } else {
        string_literal(name)
    }
}

/// `Object.freeze({ __proto__: null, get name () { return binding; }, ... })`: getters keep
/// bindings live, the null prototype and freezing match a real module namespace. Spelled
/// short when minifying (through the `__namespace` helper, or, merging externals'
/// namespaces, as a literal without whitespace): it also stands inside a lazy module's
/// initializer, which is not whole statements (see `glue.rs`).
pub(super) fn namespace_object_expression(namespace: &NamespaceObject, glue: Glue) -> String {
    if glue.minify && namespace.external_stars.is_empty() {
        return minified_namespace_object(namespace);
    }
    let mut members = String::new();
    if glue.minify {
        members.push_str("{__proto__:null");
        for (name, replacement) in &namespace.members {
            let _ = write!(
                members,
                ",get {}(){{return {}}}",
                property_key(name),
                value_expression(replacement)
            );
        }
        members.push_str(",[Symbol.toStringTag]:\"Module\"}");
    } else {
        members.push_str("{\n\t__proto__: null");
        for (name, replacement) in &namespace.members {
            let _ = write!(
                members,
                ",\n\tget {} () {{ return {}; }}",
                property_key(name),
                value_expression(replacement)
            );
        }
        members.push_str(",\n\t[Symbol.toStringTag]: 'Module'\n}");
    }
    match (namespace.external_stars.is_empty(), glue.minify) {
        (true, true) => format!("Object.freeze({members})"),
        (true, false) => format!("/*#__PURE__*/Object.freeze({members})"),
        (false, true) => format!(
            "_mergeNamespaces({members},[{}])",
            namespace.external_stars.join(",")
        ),
        (false, false) => format!(
            "/*#__PURE__*/_mergeNamespaces({members}, [{}])",
            namespace.external_stars.join(", ")
        ),
    }
}

/// `__namespace({name:()=>binding,...})`: the same object, spelled short (see
/// `runtime::NAMESPACE`).
fn minified_namespace_object(namespace: &NamespaceObject) -> String {
    let mut getters = String::from("__namespace({");
    for (index, (name, replacement)) in namespace.members.iter().enumerate() {
        if index > 0 {
            getters.push(',');
        }
        // `__proto__: value` in an object literal sets the prototype; computed, it is a key.
        let key = if name == "__proto__" {
            "[\"__proto__\"]".to_owned()
        } else {
            property_key(name)
        };
        let _ = write!(getters, "{key}:()=>{}", value_expression(replacement));
    }
    getters.push_str("})");
    getters
}
