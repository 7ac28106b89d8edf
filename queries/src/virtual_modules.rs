//! Modules verde supplies itself. Lowering legacy decorators makes oxc's transformer import
//! helpers from `@oxc-project/runtime/helpers/...`; verde resolves those specifiers to the
//! small ES modules below, so a TypeScript project builds without that package installed.
//! They live at paths no file system has (under `<verde>/`), and `source_text` serves them.

use std::path::{Path, PathBuf};

/// The directory virtual modules live in.
const ROOT: &str = "<verde>/runtime";

/// The package oxc's lowering imports its helpers from.
const HELPERS_PACKAGE: &str = "@oxc-project/runtime/helpers/";

/// The helpers: TypeScript's legacy decorator semantics (the `__decorate`, `__param` and
/// `__metadata` of tsc's output).
const HELPERS: &[(&str, &str)] = &[
    (
        "decorate",
        "export default function decorate(decorators, target, key, descriptor) {
\tconst argumentCount = arguments.length;
\tlet result = argumentCount < 3
\t\t? target
\t\t: descriptor === null
\t\t\t? (descriptor = Object.getOwnPropertyDescriptor(target, key))
\t\t\t: descriptor;
\tif (typeof Reflect === 'object' && typeof Reflect.decorate === 'function') {
\t\tresult = Reflect.decorate(decorators, target, key, descriptor);
\t} else {
\t\tfor (let index = decorators.length - 1; index >= 0; index--) {
\t\t\tconst decorator = decorators[index];
\t\t\tif (decorator) {
\t\t\t\tresult = (argumentCount < 3
\t\t\t\t\t? decorator(result)
\t\t\t\t\t: argumentCount > 3
\t\t\t\t\t\t? decorator(target, key, result)
\t\t\t\t\t\t: decorator(target, key)) || result;
\t\t\t}
\t\t}
\t}
\tif (argumentCount > 3 && result) Object.defineProperty(target, key, result);
\treturn result;
}
",
    ),
    (
        "decorateParam",
        "export default function decorateParam(index, decorator) {
\treturn function (target, key) {
\t\tdecorator(target, key, index);
\t};
}
",
    ),
    (
        "decorateMetadata",
        "export default function decorateMetadata(key, value) {
\tif (typeof Reflect === 'object' && typeof Reflect.metadata === 'function') {
\t\treturn Reflect.metadata(key, value);
\t}
}
",
    ),
];

/// The virtual module `specifier` names, if it names one.
pub fn resolve(specifier: &str) -> Option<PathBuf> {
    let name = specifier.strip_prefix(HELPERS_PACKAGE)?;
    let name = name.strip_suffix(".js").unwrap_or(name);
    HELPERS
        .iter()
        .any(|(helper, _)| *helper == name)
        .then(|| Path::new(ROOT).join(format!("{name}.js")))
}

/// The text of the virtual module at `path`, if it is one.
pub fn text(path: &Path) -> Option<&'static str> {
    let name = path
        .strip_prefix(ROOT)
        .ok()?
        .to_str()?
        .strip_suffix(".js")?;
    HELPERS
        .iter()
        .find(|(helper, _)| *helper == name)
        .map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_resolve_to_their_text() {
        let path = resolve("@oxc-project/runtime/helpers/decorate").unwrap();
        assert!(
            text(&path)
                .unwrap()
                .starts_with("export default function decorate(")
        );
        assert!(resolve("@oxc-project/runtime/helpers/nope").is_none());
        assert!(text(Path::new("/src/decorate.js")).is_none());
    }
}
