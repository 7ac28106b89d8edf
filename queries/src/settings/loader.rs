//! Loaders: how a file's text is read. By extension, as esbuild and TypeScript name them,
//! unless `--loader .ext=kind` says otherwise.

use std::path::Path;

use oxc::span::SourceType;

/// How a module's text is parsed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Loader {
    /// JavaScript (`.js`, `.mjs`, `.cjs`).
    #[default]
    Js,
    /// JavaScript with JSX (`.jsx`).
    Jsx,
    /// TypeScript (`.ts`, `.mts`, `.cts`).
    Ts,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
    /// A JSON module (`.json`).
    Json,
    /// Type declarations (`.d.ts`, `.d.mts`, `.d.cts`): never bundled; importing one gives an
    /// empty module.
    TypeDeclarations,
}

impl Loader {
    /// The loader `--loader .ext=kind` names.
    pub fn from_name(name: &str) -> Option<Loader> {
        Some(match name {
            "js" => Loader::Js,
            "jsx" => Loader::Jsx,
            "ts" => Loader::Ts,
            "tsx" => Loader::Tsx,
            "json" => Loader::Json,
            _ => return None,
        })
    }

    /// The loader of `path`: an override for its extension, else the extension's own.
    pub fn for_path(path: &Path, overrides: &[(String, Loader)]) -> Loader {
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("");
        if [".d.ts", ".d.mts", ".d.cts"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
        {
            return Loader::TypeDeclarations;
        }
        let extension = path.extension().and_then(|ext| ext.to_str()).unwrap_or("");
        if let Some((_, loader)) = overrides
            .iter()
            .find(|(overridden, _)| overridden.trim_start_matches('.') == extension)
        {
            return *loader;
        }
        match extension {
            "ts" | "mts" | "cts" => Loader::Ts,
            "tsx" => Loader::Tsx,
            "jsx" => Loader::Jsx,
            "json" => Loader::Json,
            _ => Loader::Js,
        }
    }

    pub fn is_typescript(self) -> bool {
        matches!(self, Loader::Ts | Loader::Tsx | Loader::TypeDeclarations)
    }

    pub fn has_jsx(self) -> bool {
        matches!(self, Loader::Jsx | Loader::Tsx)
    }

    /// The parser's source type for this loader (always an ES module).
    pub fn source_type(self) -> SourceType {
        match self {
            Loader::Js | Loader::Json => SourceType::mjs(),
            Loader::Jsx => SourceType::jsx(),
            Loader::Ts => SourceType::ts(),
            Loader::Tsx => SourceType::tsx(),
            Loader::TypeDeclarations => SourceType::d_ts(),
        }
        .with_module(true)
    }
}

/// Whether `path` has the extension of a JavaScript or TypeScript module: a file no
/// tsconfig, manifest or input map is read from, in any project that is not pathological.
pub fn is_module_source(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            matches!(
                extension,
                "js" | "mjs" | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx"
            )
        })
}

/// Parses `--loader .ext=kind` (or `ext=kind`).
pub fn parse_loader_flag(flag: &str) -> Result<(String, Loader), String> {
    let (extension, kind) = flag
        .split_once('=')
        .ok_or_else(|| format!("expected EXT=KIND, such as .js=jsx, not {flag:?}"))?;
    let extension = extension.trim().trim_start_matches('.');
    if extension.is_empty() || !extension.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!("{flag:?} does not name a file extension"));
    }
    let loader = Loader::from_name(kind.trim())
        .ok_or_else(|| format!("unknown loader {kind:?} (expected js, jsx, ts, tsx or json)"))?;
    Ok((format!(".{extension}"), loader))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loaders_by_extension_and_override() {
        let overrides = vec![(".js".to_owned(), Loader::Jsx)];
        assert_eq!(Loader::for_path(Path::new("/a.ts"), &[]), Loader::Ts);
        assert_eq!(
            Loader::for_path(Path::new("/a.d.ts"), &overrides),
            Loader::TypeDeclarations
        );
        assert_eq!(Loader::for_path(Path::new("/a.cts"), &[]), Loader::Ts);
        assert_eq!(Loader::for_path(Path::new("/a.tsx"), &[]), Loader::Tsx);
        assert_eq!(Loader::for_path(Path::new("/a.js"), &[]), Loader::Js);
        assert_eq!(
            Loader::for_path(Path::new("/a.js"), &overrides),
            Loader::Jsx
        );
        assert_eq!(Loader::for_path(Path::new("/a.json"), &[]), Loader::Json);
        assert_eq!(
            parse_loader_flag(".js=jsx"),
            Ok((".js".to_owned(), Loader::Jsx))
        );
        assert_eq!(
            parse_loader_flag("mjs=ts"),
            Ok((".mjs".to_owned(), Loader::Ts))
        );
        assert!(parse_loader_flag(".js=css").is_err());
        assert!(parse_loader_flag("jsx").is_err());
    }
}
