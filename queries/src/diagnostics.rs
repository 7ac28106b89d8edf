//! Diagnostics are returned values, never side channels: one type with a file, a byte range,
//! a severity and a message, rendered with a code frame by oxc's diagnostics.

use std::{fmt::Write as _, path::Path, path::PathBuf};

use oxc::span::Span;
use oxc_diagnostics::{GraphicalReportHandler, GraphicalTheme, NamedSource, OxcDiagnostic};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A byte range in a file's text.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl From<Span> for TextRange {
    fn from(span: Span) -> Self {
        TextRange {
            start: span.start,
            end: span.end,
        }
    }
}

/// The code of a diagnostic that reports a bug in verde rather than in the input.
pub const INTERNAL_ERROR: &str = "INTERNAL_ERROR";

/// One problem found by a query.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, greppable code such as `UNRESOLVED_IMPORT` or `SYNTAX_ERROR`.
    pub code: &'static str,
    pub message: String,
    pub file: Option<PathBuf>,
    pub range: Option<TextRange>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: None,
            range: None,
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// A bug in verde, caught where it happened: the build fails with exit code 70.
    pub fn internal_error(message: impl Into<String>) -> Self {
        Diagnostic::error(INTERNAL_ERROR, message)
            .with_help("this is a bug in verde; please report it with the input that caused it")
    }

    pub fn is_internal_error(&self) -> bool {
        self.code == INTERNAL_ERROR
    }

    pub fn in_file(mut self, file: &Path, range: Option<TextRange>) -> Self {
        self.file = Some(file.to_path_buf());
        self.range = range;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders `file:line:column: severity[CODE]: message`, then a code frame when the text
    /// of the file is at hand. `root` shortens paths for display.
    pub fn render(&self, source: Option<&str>, root: &Path) -> String {
        let display_path = self.file.as_deref().map(|file| {
            file.strip_prefix(root)
                .unwrap_or(file)
                .to_string_lossy()
                .into_owned()
        });
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = String::new();
        if let Some(path) = &display_path {
            out.push_str(path);
            if let (Some(range), Some(source)) = (self.range, source) {
                let (line, column) = line_column(source, range.start);
                let _ = write!(out, ":{line}:{column}");
            }
            out.push_str(": ");
        }
        let _ = writeln!(out, "{severity}[{}]: {}", self.code, self.message);
        if let (Some(range), Some(source), Some(path)) = (self.range, source, &display_path) {
            // A range from anywhere (a wrapper's offsets, a stale position) is clamped into
            // the text and onto character boundaries: rendering never panics.
            let end = floor_char_boundary(source, range.end.max(range.start) as usize) as u32;
            let start = floor_char_boundary(source, range.start.min(end) as usize) as u32;
            if let Some(frame) = self.long_line_frame(source, path, start, end) {
                out.push_str(&frame);
                return out;
            }
            let mut diagnostic = match self.severity {
                Severity::Error => OxcDiagnostic::error(self.message.clone()),
                Severity::Warning => OxcDiagnostic::warn(self.message.clone()),
            }
            .with_label(Span::new(start, end));
            if let Some(help) = &self.help {
                diagnostic = diagnostic.with_help(help.clone());
            }
            let report = diagnostic.with_source_code(NamedSource::new(path, source.to_owned()));
            let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
            let mut frame = String::new();
            if handler.render_report(&mut frame, report.as_ref()).is_ok() {
                out.push_str(&frame);
            }
        } else if let Some(help) = &self.help {
            let _ = writeln!(out, "  help: {help}");
        }
        out
    }
}

/// Lines longer than this (minified code) get a frame that shows a window around the
/// label, not the whole line.
const LONG_LINE: usize = 400;

/// Characters of a long line shown on each side of the label.
const WINDOW: usize = 60;

impl Diagnostic {
    /// The code frame for a label on a line longer than [`LONG_LINE`]: the same shape as
    /// oxc's frames, around the label only.
    fn long_line_frame(&self, source: &str, path: &str, start: u32, end: u32) -> Option<String> {
        let (start, end) = (start as usize, end as usize);
        let line_start = source[..start].rfind('\n').map_or(0, |index| index + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |index| start + index);
        if line_end - line_start <= LONG_LINE {
            return None;
        }
        let line = &source[line_start..line_end];
        let label_start = start - line_start;
        let label_end = (end.min(line_end) - line_start).max(label_start);
        // A window of characters around the label, on character boundaries.
        let before: Vec<(usize, char)> = line[..label_start].char_indices().collect();
        let window_start = before
            .len()
            .checked_sub(WINDOW)
            .map_or(0, |index| before[index].0);
        let label_chars = line[label_start..label_end]
            .chars()
            .count()
            .clamp(1, WINDOW);
        let window_end = line[label_start..]
            .char_indices()
            .nth(label_chars + WINDOW)
            .map_or(line.len(), |(index, _)| label_start + index);
        let (line_number, column) = line_column(source, start as u32);
        let gutter = line_number.to_string().len();
        let ellipsis_before = if window_start > 0 { "…" } else { "" };
        let ellipsis_after = if window_end < line.len() { "…" } else { "" };
        let marker = match self.severity {
            Severity::Error => "×",
            Severity::Warning => "⚠",
        };
        let indent =
            line[window_start..label_start].chars().count() + ellipsis_before.chars().count();
        let mut frame = String::new();
        let _ = writeln!(frame, "\n  {marker} {}", self.message);
        let _ = writeln!(frame, "{:gutter$} ╭─[{path}:{line_number}:{column}]", "");
        let _ = writeln!(
            frame,
            "{line_number} │ {ellipsis_before}{}{ellipsis_after}",
            &line[window_start..window_end]
        );
        let _ = writeln!(
            frame,
            "{:gutter$} · {}{}",
            "",
            " ".repeat(indent),
            "─".repeat(label_chars)
        );
        let _ = writeln!(frame, "{:gutter$} ╰────", "");
        if let Some(help) = &self.help {
            let _ = writeln!(frame, "  help: {help}");
        }
        Some(frame)
    }
}

/// `offset` clamped to the text and moved back to the start of its character.
fn floor_char_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One-based line and column (in characters) of a byte offset.
pub fn line_column(source: &str, offset: u32) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset as usize);
    let index = line_index::LineIndex::new(source);
    let utf8 = index.line_col(line_index::TextSize::new(offset as u32));
    let characters = index
        .to_wide(line_index::WideEncoding::Utf32, utf8)
        .expect("a character boundary converts");
    (characters.line as usize + 1, characters.col as usize + 1)
}

/// The byte offset of a one-based line and byte column, as JSON parsers report them
/// (clamped to the text).
pub fn offset_of(source: &str, line: usize, column: usize) -> usize {
    let line_start = source
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    floor_char_boundary(
        source,
        (line_start + column.saturating_sub(1)).min(source.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::line_column;

    #[test]
    fn a_label_on_a_long_line_shows_a_window_around_it() {
        let source = format!("{}BAD{}\n", "a".repeat(1_000), "b".repeat(1_000));
        let diagnostic = super::Diagnostic::error("SYNTAX_ERROR", "unexpected token").in_file(
            std::path::Path::new("/min.js"),
            Some(super::TextRange {
                start: 1_000,
                end: 1_003,
            }),
        );
        let rendered = diagnostic.render(Some(&source), std::path::Path::new("/"));
        assert!(
            rendered.starts_with("min.js:1:1001: error[SYNTAX_ERROR]"),
            "{rendered}"
        );
        assert!(rendered.len() < 600, "{rendered}");
        let frame_line = rendered.lines().find(|line| line.contains("BAD")).unwrap();
        let underline = rendered.lines().find(|line| line.contains("───")).unwrap();
        assert_eq!(
            frame_line.chars().position(|c| c == 'B'),
            underline.chars().position(|c| c == '─'),
            "{rendered}"
        );
    }

    #[test]
    fn ranges_inside_characters_or_past_the_end_render_without_panicking() {
        let source = ": ééééééééé\n";
        for (start, end) in [(3, 4), (4, 200), (100, 50), (1, 2)] {
            let diagnostic = super::Diagnostic::error("SYNTAX_ERROR", "bad").in_file(
                std::path::Path::new("/d.json"),
                Some(super::TextRange { start, end }),
            );
            let rendered = diagnostic.render(Some(source), std::path::Path::new("/"));
            assert!(rendered.starts_with("d.json:"), "{rendered}");
        }
    }

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let source = "ab\né€x\n";
        assert_eq!(line_column(source, 0), (1, 1));
        assert_eq!(line_column(source, 3), (2, 1));
        // `x` comes after two multi-byte characters (5 bytes) on line 2.
        assert_eq!(line_column(source, 8), (2, 3));
        assert_eq!(line_column(source, 1000), (3, 1));
    }
}
