//! Input source maps. A module whose text ends with `//# sourceMappingURL=` (a `data:` URL,
//! or a file next to it, as npm packages ship them) was generated from other sources; with
//! source maps on, its segments are chained through that map, so the bundle's map points
//! at the original files. The map and the original texts it does not embed are read
//! through the database, so editing them re-parses the module.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use base64::Engine as _;
use oxc_sourcemap::SourceMap;

use url::Url;

use crate::{
    Db,
    files::{SourceText, source_text},
};

/// A source a module's segments point into: its path (absolute, or as the input map spelled
/// it when that is not a file path) and its text, when known.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MapSource {
    pub path: Arc<Path>,
    pub content: Option<Arc<str>>,
}

/// A module's input map and its sources, in the map's order.
pub struct InputMap {
    pub map: SourceMap<'static>,
    pub sources: Vec<MapSource>,
    /// The map as written (part of the module's key in the on-disk cache).
    pub json: String,
}

/// The URL of the module's `//# sourceMappingURL=` comment: the last line that is not
/// blank, if it is one (tools append it; a comment elsewhere describes something else).
pub fn source_mapping_url(text: &str) -> Option<&str> {
    let last = text
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())?
        .trim();
    let url = last
        .strip_prefix("//# sourceMappingURL=")
        .or_else(|| last.strip_prefix("//@ sourceMappingURL="))?
        .trim();
    (!url.is_empty() && !url.contains(char::is_whitespace)).then_some(url)
}

/// The input map of the module at `path` with `text`: `None` if it names none, or why the
/// one it names cannot be used (then the module maps to itself, and the build warns). URLs
/// are resolved as URLs (`url`): relative to the module, then the sources relative to the
/// map.
pub fn load(db: &dyn Db, path: &Path, text: &str) -> Option<Result<InputMap, String>> {
    let url = source_mapping_url(text)?;
    Some(load_url(db, path, url))
}

fn load_url(db: &dyn Db, path: &Path, url: &str) -> Result<InputMap, String> {
    let module_url =
        Url::from_file_path(path).map_err(|()| "the module's path is not a file URL".to_owned())?;
    let (json, map_url) = if let Some(data) = url.strip_prefix("data:") {
        let Some((header, payload)) = data.split_once(',') else {
            return Err("its `data:` URL has no `,`".to_owned());
        };
        if !header.ends_with(";base64") {
            return Err("its `data:` URL is not base64".to_owned());
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(payload)
            .map_err(|error| format!("its `data:` URL is not valid base64: {error}"))?;
        let json = String::from_utf8(bytes).map_err(|_| "the map is not UTF-8 text".to_owned())?;
        (json, module_url)
    } else {
        let map_url = module_url
            .join(url)
            .map_err(|error| format!("`{url}` is not a URL: {error}"))?;
        let map_path = map_url
            .to_file_path()
            .map_err(|()| format!("`{url}` is not a file"))?;
        let json =
            read(db, &map_path).ok_or_else(|| format!("{} cannot be read", map_path.display()))?;
        (json.to_string(), map_url)
    };
    let map = SourceMap::from_json_string(&json)
        .map_err(|error| format!("it is not a source map: {error}"))?
        .into_owned();
    let root = map.get_source_root().unwrap_or_default().to_owned();
    let contents: Vec<Option<String>> = map
        .get_source_contents()
        .map(|content| content.map(str::to_owned))
        .collect();
    let sources = map
        .get_sources()
        .enumerate()
        .map(|(index, source)| {
            let spelled = if root.is_empty() {
                source.to_owned()
            } else {
                format!("{}/{source}", root.trim_end_matches('/'))
            };
            // A file, or a source that is not one (`webpack://...`), kept as spelled.
            let path = match map_url.join(&spelled) {
                Ok(url) => url
                    .to_file_path()
                    .unwrap_or_else(|()| PathBuf::from(url.as_str())),
                Err(_) => PathBuf::from(spelled),
            };
            let content = match contents.get(index).cloned().flatten() {
                Some(content) => Some(Arc::from(content)),
                None if path.is_absolute() => read(db, &path),
                None => None,
            };
            MapSource {
                path: Arc::from(path.as_path()),
                content,
            }
        })
        .collect();
    Ok(InputMap { map, sources, json })
}

/// A file's text, read through the database (so a change of it re-runs the reader).
fn read(db: &dyn Db, path: &Path) -> Option<Arc<str>> {
    let file = db.files().file(db, path);
    match source_text(db, file) {
        SourceText::Text(text) => Some(text.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_is_the_last_line_that_is_not_blank() {
        assert_eq!(
            source_mapping_url("x();\n//# sourceMappingURL=x.js.map\n\n"),
            Some("x.js.map")
        );
        assert_eq!(
            source_mapping_url("//# sourceMappingURL=old.map\nx();\n"),
            None
        );
        assert_eq!(
            source_mapping_url("x();\n//@ sourceMappingURL=data:application/json;base64,e30=\n"),
            Some("data:application/json;base64,e30=")
        );
    }
}
