//! What a build wrote, for people and for tools: esbuild's `--metafile` JSON (which bundle
//! analyzers read), the `--analyze` table of each output's largest inputs, and the list of
//! written files with their sizes that a build prints.

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    path::{Path, PathBuf},
};

use serde::{Serialize, Serializer, ser::SerializeMap as _};
pub use verde_queries::metafile::{
    ImportKind, ImportTarget, InputFormat, MetaImport, MetaInput, MetaOutput, Metafile,
    OutputImport, OutputTarget,
};

/// A file a build wrote (or left as it was because its bytes did not change).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenFile {
    /// Where it was written.
    pub path: PathBuf,
    /// Its size.
    pub bytes: usize,
    /// The output whose code it is, by position in the build's outputs; `None` for a
    /// source map.
    pub output: Option<usize>,
    /// Whether the build replaced it: false when the file held these bytes already (a
    /// writer that wrote them last leaves it alone).
    pub replaced: bool,
}

/// The metafile of one or more builds (the CLI builds each entry on its own without
/// splitting), as esbuild writes it: paths relative to `root` with `/` separators.
pub fn metafile_json(builds: &[(&Metafile, &[WrittenFile])], root: &Path) -> String {
    let mut inputs = Vec::new();
    let mut outputs = Vec::new();
    for (metafile, written) in builds {
        add_build(metafile, written, root, &mut inputs, &mut outputs);
    }
    let json = JsonMetafile {
        inputs: Ordered(inputs),
        outputs: Ordered(outputs),
    };
    let mut text = serde_json::to_string_pretty(&json).expect("a metafile serializes");
    text.push('\n');
    text
}

fn add_build(
    metafile: &Metafile,
    written: &[WrittenFile],
    root: &Path,
    inputs: &mut Vec<(String, JsonInput)>,
    outputs: &mut Vec<(String, JsonOutput)>,
) {
    let relative = |path: &Path| relative_path(path, root);
    let output_path = |index: usize| {
        written
            .iter()
            .find(|file| file.output == Some(index))
            .map(|file| relative(&file.path))
    };
    inputs.extend(metafile.inputs.iter().map(|input| {
        let imports = input
            .imports
            .iter()
            .map(|import| {
                let (path, external) = match &import.target {
                    ImportTarget::Module(path) => (relative(path), false),
                    ImportTarget::External(name) => (name.to_string(), true),
                };
                JsonImport {
                    path,
                    kind: import.kind.as_str(),
                    external,
                    original: Some(import.original.to_string()),
                }
            })
            .collect();
        (
            relative(&input.path),
            JsonInput {
                bytes: input.bytes,
                imports,
                format: input.format.map(InputFormat::as_str),
            },
        )
    }));
    for file in written {
        let Some(index) = file.output else {
            // A source map: esbuild lists it with nothing in it.
            outputs.push((
                relative(&file.path),
                JsonOutput {
                    bytes: file.bytes,
                    ..JsonOutput::default()
                },
            ));
            continue;
        };
        let Some(output) = metafile.outputs.get(index) else {
            continue;
        };
        let imports = output
            .imports
            .iter()
            .filter_map(|import| {
                let (path, external) = match &import.target {
                    OutputTarget::Chunk(chunk) => (output_path(*chunk)?, false),
                    OutputTarget::External(name) => (name.to_string(), true),
                };
                Some(JsonImport {
                    path,
                    kind: import.kind.as_str(),
                    external,
                    original: None,
                })
            })
            .collect();
        outputs.push((
            relative(&file.path),
            JsonOutput {
                imports,
                exports: output.exports.iter().map(ToString::to_string).collect(),
                entry_point: output.entry.as_deref().map(relative),
                inputs: Ordered(
                    output
                        .inputs
                        .iter()
                        .map(|(path, bytes)| {
                            (
                                relative(path),
                                BytesInOutput {
                                    bytes_in_output: *bytes,
                                },
                            )
                        })
                        .collect(),
                ),
                bytes: file.bytes,
            },
        ));
    }
}

/// `--analyze`: each output with its size, then its largest inputs with their bytes and
/// their share of the output, as esbuild prints it.
pub fn analysis(metafile: &Metafile, written: &[WrittenFile], root: &Path) -> String {
    const SHOWN: usize = 10;
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for file in written {
        let Some(output) = file.output.and_then(|index| metafile.outputs.get(index)) else {
            continue;
        };
        let total = file.bytes.max(1) as f64;
        let share = |bytes: usize| format!("{:.1}%", bytes as f64 * 100.0 / total);
        rows.push((String::new(), String::new(), String::new()));
        rows.push((
            relative_path(&file.path, root),
            human_size(file.bytes),
            share(file.bytes),
        ));
        let mut inputs: Vec<&(PathBuf, usize)> = output.inputs.iter().collect();
        inputs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let rest: usize = inputs.iter().skip(SHOWN).map(|(_, bytes)| bytes).sum();
        let shown = inputs.len().min(SHOWN);
        for (position, (path, bytes)) in inputs.iter().take(SHOWN).enumerate() {
            let last = position + 1 == shown && rest == 0;
            let branch = if last { " └ " } else { " ├ " };
            rows.push((
                format!("{branch}{}", relative_path(path, root)),
                human_size(*bytes),
                share(*bytes),
            ));
        }
        if inputs.len() > SHOWN {
            rows.push((
                format!(" └ ({} more)", inputs.len() - SHOWN),
                human_size(rest),
                share(rest),
            ));
        }
    }
    table(&rows)
}

/// The files a build wrote with their sizes: what a build prints by default.
pub fn summary(written: &[WrittenFile], root: &Path) -> String {
    let mut rows = vec![(String::new(), String::new(), String::new())];
    rows.extend(written.iter().map(|file| {
        (
            relative_path(&file.path, root),
            human_size(file.bytes),
            String::new(),
        )
    }));
    table(&rows)
}

/// Two-space indented rows, the name column padded so the sizes line up.
fn table(rows: &[(String, String, String)]) -> String {
    let width = |text: &str| text.chars().count();
    let names = rows.iter().map(|row| width(&row.0)).max().unwrap_or(0);
    let sizes = rows.iter().map(|row| width(&row.1)).max().unwrap_or(0);
    let shares = rows.iter().map(|row| width(&row.2)).max().unwrap_or(0);
    let mut out = String::new();
    for (name, size, share) in rows {
        if name.is_empty() {
            out.push('\n');
            continue;
        }
        let line = format!(
            "  {name}{}  {}{size}  {}{share}",
            " ".repeat(names - width(name)),
            " ".repeat(sizes - width(size)),
            " ".repeat(shares - width(share)),
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// `123b`, `1.2kb`, `3.4mb`: esbuild's sizes (powers of 1024).
pub fn human_size(bytes: usize) -> String {
    let bytes = bytes as f64;
    if bytes < 1024.0 {
        format!("{bytes}b")
    } else if bytes < 1024.0 * 1024.0 {
        format!("{:.1}kb", bytes / 1024.0)
    } else if bytes < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1}mb", bytes / (1024.0 * 1024.0))
    } else {
        format!("{:.1}gb", bytes / (1024.0 * 1024.0 * 1024.0))
    }
}

/// `path` relative to `root` (through `..` when it is outside), with `/`s, as esbuild
/// names files.
fn relative_path(path: &Path, root: &Path) -> String {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let path: Vec<_> = path.components().collect();
    let root: Vec<_> = root.components().collect();
    let common = path.iter().zip(&root).take_while(|(a, b)| a == b).count();
    let ups = std::iter::repeat_n("..".to_owned(), root.len() - common);
    let downs = path[common..]
        .iter()
        .map(|component| component.as_os_str().to_string_lossy().into_owned());
    ups.chain(downs).collect::<Vec<_>>().join("/")
}

#[derive(Serialize)]
struct JsonMetafile {
    inputs: Ordered<JsonInput>,
    outputs: Ordered<JsonOutput>,
}

#[derive(Serialize)]
struct JsonInput {
    bytes: usize,
    imports: Vec<JsonImport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonImport {
    path: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    external: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    original: Option<String>,
}

#[derive(Serialize, Default)]
struct JsonOutput {
    imports: Vec<JsonImport>,
    exports: Vec<String>,
    #[serde(rename = "entryPoint", skip_serializing_if = "Option::is_none")]
    entry_point: Option<String>,
    inputs: Ordered<BytesInOutput>,
    bytes: usize,
}

#[derive(Serialize)]
struct BytesInOutput {
    #[serde(rename = "bytesInOutput")]
    bytes_in_output: usize,
}

/// A JSON object whose keys keep the order given (a later duplicate key wins).
struct Ordered<V>(Vec<(String, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<V: Serialize> Serialize for Ordered<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let last: BTreeMap<&str, usize> = self
            .0
            .iter()
            .enumerate()
            .map(|(index, (key, _))| (key.as_str(), index))
            .collect();
        let mut map = serializer.serialize_map(Some(last.len()))?;
        for (index, (key, value)) in self.0.iter().enumerate() {
            if last[key.as_str()] == index {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_written_as_esbuild_writes_them() {
        assert_eq!(human_size(0), "0b");
        assert_eq!(human_size(1023), "1023b");
        assert_eq!(human_size(1024), "1.0kb");
        assert_eq!(human_size(1536), "1.5kb");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0mb");
    }

    #[test]
    fn paths_are_relative_to_the_root_with_slashes() {
        let root = Path::new("/project");
        assert_eq!(
            relative_path(Path::new("/project/src/a.js"), root),
            "src/a.js"
        );
        assert_eq!(
            relative_path(Path::new("/elsewhere/b.js"), root),
            "../elsewhere/b.js"
        );
    }
}
