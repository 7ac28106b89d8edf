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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
            let end = range.end.max(range.start).min(source.len() as u32);
            let start = range.start.min(end);
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

/// One-based line and column (in characters) of a byte offset.
pub fn line_column(source: &str, offset: u32) -> (usize, usize) {
    let mut offset = (offset as usize).min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let index = line_index::LineIndex::new(source);
    let utf8 = index.line_col(line_index::TextSize::new(offset as u32));
    let characters = index
        .to_wide(line_index::WideEncoding::Utf32, utf8)
        .expect("a character boundary converts");
    (characters.line as usize + 1, characters.col as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::line_column;

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
