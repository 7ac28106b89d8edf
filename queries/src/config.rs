//! The build configuration: an input like the source files, so changing an option re-runs
//! only the queries that read it.

use std::path::PathBuf;

use crate::files::SourceFile;

/// The module format of the output chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum OutputFormat {
    /// ES module: `import`/`export` statements.
    #[default]
    Esm,
    /// CommonJS: `require()` and properties of `exports`.
    Cjs,
    /// A function expression called at once, assigning the exports to a global variable.
    Iife,
}

impl OutputFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Esm => "esm",
            OutputFormat::Cjs => "cjs",
            OutputFormat::Iife => "iife",
        }
    }
}

/// What to build: the entry modules and the options that shape the output.
#[salsa::input(debug)]
pub struct BuildConfig {
    /// The directory paths in diagnostics are shown relative to.
    #[returns(ref)]
    pub root: PathBuf,
    #[returns(ref)]
    pub entries: Vec<SourceFile>,
    /// Import specifiers left to the runtime. `name` matches `name` and `name/sub/path`;
    /// a trailing `*` matches any suffix.
    #[returns(ref)]
    pub externals: Vec<String>,
    #[returns(copy)]
    pub format: OutputFormat,
    /// The global variable an `iife` bundle assigns its exports to.
    #[returns(ref)]
    pub global_name: Option<String>,
    /// Code splitting (`--outdir` with ES module output, or `--splitting`): every entry and
    /// every module an `import()` loads is the root of a chunk, and each module is in
    /// exactly one chunk.
    #[returns(copy)]
    pub splitting: bool,
    /// How split output files are named (`--entry-names`, `--chunk-names`).
    #[returns(ref)]
    pub output_names: OutputNames,
}

/// esbuild's file-name templates (`--entry-names`, `--chunk-names`): `[dir]` (the root's
/// directory relative to the entries' lowest common ancestor), `[name]` (its file stem, or
/// `chunk`), `[hash]` (a content hash of the final bytes) and `[ext]` (`js`); `.js` is
/// appended.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OutputNames {
    /// The files of entries.
    pub entry: String,
    /// Shared chunks and the files of what `import()` loads.
    pub chunk: String,
}

impl Default for OutputNames {
    fn default() -> Self {
        OutputNames {
            entry: "[name]".to_owned(),
            chunk: "[name]-[hash]".to_owned(),
        }
    }
}

/// Why `pattern` cannot name output files, if it cannot: an unknown placeholder, a path
/// that leaves the output directory, or (`needs_hash`) no `[hash]` to tell apart chunks
/// that share a name.
pub fn names_pattern_problem(pattern: &str, needs_hash: bool) -> Option<String> {
    let mut rest = pattern;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else {
            break;
        };
        let placeholder = &rest[open..open + close + 1];
        if !["[dir]", "[name]", "[hash]", "[ext]"].contains(&placeholder) {
            return Some(format!(
                "unknown placeholder {placeholder} (expected [dir], [name], [hash] or [ext])"
            ));
        }
        rest = &rest[open + close + 1..];
    }
    if pattern.starts_with('/') || pattern.starts_with('\\') {
        return Some("it must be relative to the output directory".to_owned());
    }
    if pattern.split(['/', '\\']).any(|segment| segment == "..") {
        return Some("it must not leave the output directory (`..`)".to_owned());
    }
    if needs_hash && !pattern.contains("[hash]") {
        return Some("it needs [hash]: the shared chunks would all have the same name".to_owned());
    }
    None
}

/// Why `name` cannot be an IIFE's global name, if it cannot: it must be a binding name, or
/// a dotted path of identifier names under one (`myLib`, `my.lib`, `window.x.y`), as
/// esbuild accepts them.
pub fn global_name_problem(name: &str) -> Option<String> {
    let mut segments = name.split('.');
    let first = segments.next().unwrap_or_default();
    if first.is_empty() {
        return Some(format!("\"{name}\" is not a name"));
    }
    if crate::names::is_reserved_word(first) {
        return Some(format!("\"{first}\" is a reserved word"));
    }
    if !crate::names::is_identifier_name(first) {
        return Some(format!("\"{first}\" is not an identifier"));
    }
    for segment in segments {
        if !crate::names::is_identifier_name(segment) {
            return Some(format!(
                "\"{segment}\" is not an identifier (in \"{name}\")"
            ));
        }
    }
    None
}

/// Whether `specifier` is listed as external. `node:` builtins always are.
pub fn is_external(externals: &[String], specifier: &str) -> bool {
    if specifier.starts_with("node:") {
        return true;
    }
    externals.iter().any(|pattern| {
        if let Some(prefix) = pattern.strip_suffix('*') {
            specifier.starts_with(prefix)
        } else {
            specifier == pattern
                || (specifier.starts_with(pattern.as_str())
                    && specifier[pattern.len()..].starts_with('/')
                    && !pattern.starts_with('.'))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::is_external;

    #[test]
    fn names_patterns_use_esbuild_placeholders_inside_the_output_directory() {
        use super::names_pattern_problem;
        for good in [
            "[name]",
            "[dir]/[name]-[hash]",
            "pages/[name].[hash]",
            "[ext]/[name]",
        ] {
            assert_eq!(names_pattern_problem(good, false), None, "{good}");
        }
        assert_eq!(names_pattern_problem("[name]-[hash]", true), None);
        for bad in ["[nom]", "/abs/[name]", "../[name]", "a/../../[name]"] {
            assert!(names_pattern_problem(bad, false).is_some(), "{bad:?}");
        }
        assert!(names_pattern_problem("[name]", true).is_some());
    }

    #[test]
    fn global_names_are_identifiers_or_dotted_paths() {
        use super::global_name_problem;
        for good in ["myLib", "my.lib", "window.a.default", "$", "\u{e9}t\u{e9}"] {
            assert_eq!(global_name_problem(good), None, "{good}");
        }
        for bad in [
            "my-lib",
            "class",
            "1abc",
            "",
            "a;alert(1)//",
            "a..b",
            "a.",
            ".a",
            "eval",
        ] {
            assert!(global_name_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn externals_match_names_subpaths_and_prefixes() {
        let externals = vec![
            "react".to_owned(),
            "@scope/pkg".to_owned(),
            "lodash/*".to_owned(),
        ];
        assert!(is_external(&externals, "react"));
        assert!(is_external(&externals, "react/jsx-runtime"));
        assert!(!is_external(&externals, "react-dom"));
        assert!(is_external(&externals, "@scope/pkg/deep"));
        assert!(is_external(&externals, "lodash/fp"));
        assert!(!is_external(&externals, "lodash"));
        assert!(is_external(&externals, "node:fs"));
        assert!(!is_external(&externals, "./react"));
    }
}
