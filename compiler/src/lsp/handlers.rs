//! Request handlers: LSP params in, [`Snapshot`] reads, LSP results out. They run on worker
//! threads; a read cancelled by an edit becomes the `RequestCancelled` error.

use std::{collections::HashMap, path::Path, path::PathBuf};

use lsp_server::{ErrorCode, Request, RequestId, Response};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionOptions, CompletionParams, CompletionResponse,
    DiagnosticSeverity, DidChangeWatchedFilesRegistrationOptions, DocumentSymbol,
    DocumentSymbolParams, DocumentSymbolResponse, FileSystemWatcher, GlobPattern,
    GotoDefinitionParams, GotoDefinitionResponse, HoverContents, HoverParams,
    HoverProviderCapability, MarkupContent, MarkupKind, NumberOrString, OneOf,
    PublishDiagnosticsParams, Registration, RegistrationParams, RenameParams, ServerCapabilities,
    TextDocumentPositionParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri, WorkspaceEdit,
    request::{
        Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest, References, Rename,
        Request as _,
    },
};
use serde_json::Value;

use super::convert::{LineIndex, path_of, uri_of};
use crate::{Cancellable, Cancelled, Location, Severity, Snapshot, SymbolKind};

pub fn server_capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["{".to_owned(), ",".to_owned(), " ".to_owned()]),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// Asks the client to report changes to the workspace's source files, `package.json`s and
/// `tsconfig.json`s.
pub fn watch_registration() -> RegistrationParams {
    let watchers = ["**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx,json}"]
        .iter()
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String((*glob).to_owned()),
            kind: None,
        })
        .collect();
    RegistrationParams {
        registrations: vec![Registration {
            id: "verde-watch".to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
            register_options: Some(
                serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers })
                    .expect("registration options serialize"),
            ),
        }],
    }
}

/// Why a request failed.
enum Failure {
    Cancelled,
    InvalidParams(String),
    MethodNotFound,
    /// The request is valid but cannot be done (a rename that would clash).
    Refused(String),
    Failed(String),
}

impl From<Cancelled> for Failure {
    fn from(_: Cancelled) -> Self {
        Failure::Cancelled
    }
}

type Handled = Result<Value, Failure>;

/// Answers one request. Never panics out: a panic in a handler (a bug) becomes an internal
/// error response, so the server lives on.
pub fn handle_request(snapshot: &Snapshot, project: &[PathBuf], request: Request) -> Response {
    let id = request.id.clone();
    let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        dispatch(snapshot, project, request)
    }))
    .unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
            .unwrap_or_else(|| "a handler panicked".to_owned());
        Err(Failure::Failed(message))
    });
    respond(id, handled)
}

fn respond(id: RequestId, handled: Handled) -> Response {
    match handled {
        Ok(value) => Response::new_ok(id, value),
        Err(Failure::Cancelled) => Response::new_err(
            id,
            ErrorCode::RequestCanceled as i32,
            "cancelled: the workspace changed while the request ran".to_owned(),
        ),
        Err(Failure::InvalidParams(message)) => {
            Response::new_err(id, ErrorCode::InvalidParams as i32, message)
        }
        Err(Failure::MethodNotFound) => Response::new_err(
            id,
            ErrorCode::MethodNotFound as i32,
            "verde does not handle this method".to_owned(),
        ),
        Err(Failure::Refused(message)) => {
            Response::new_err(id, ErrorCode::RequestFailed as i32, message)
        }
        Err(Failure::Failed(message)) => {
            Response::new_err(id, ErrorCode::InternalError as i32, message)
        }
    }
}

fn dispatch(snapshot: &Snapshot, project: &[PathBuf], request: Request) -> Handled {
    fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, Failure> {
        serde_json::from_value(request.params)
            .map_err(|error| Failure::InvalidParams(format!("{}: {error}", request.method)))
    }
    fn to_value(value: impl serde::Serialize) -> Handled {
        Ok(serde_json::to_value(value).expect("LSP results serialize"))
    }
    match request.method.as_str() {
        GotoDefinition::METHOD => to_value(definition(
            snapshot,
            params::<GotoDefinitionParams>(request)?,
        )?),
        References::METHOD => {
            let params: lsp_types::ReferenceParams = params(request)?;
            to_value(references(snapshot, project, params)?)
        }
        HoverRequest::METHOD => to_value(hover(snapshot, params::<HoverParams>(request)?)?),
        DocumentSymbolRequest::METHOD => to_value(document_symbols(
            snapshot,
            params::<DocumentSymbolParams>(request)?,
        )?),
        Rename::METHOD => rename(snapshot, project, params::<RenameParams>(request)?),
        Completion::METHOD => to_value(completion(snapshot, params::<CompletionParams>(request)?)?),
        _ => Err(Failure::MethodNotFound),
    }
}

/// The document's path and the byte offset of the position.
fn locate(
    snapshot: &Snapshot,
    position: &TextDocumentPositionParams,
) -> Result<Option<(PathBuf, u32)>, Failure> {
    let Some(path) = path_of(&position.text_document.uri) else {
        return Err(Failure::InvalidParams("not a file: URI".to_owned()));
    };
    let Some(text) = snapshot.file_text(&path)? else {
        return Ok(None);
    };
    let offset = LineIndex::new(&text).offset(position.position);
    Ok(Some((path, offset)))
}

/// Locations for the client.
fn to_lsp_locations(
    snapshot: &Snapshot,
    locations: Vec<Location>,
) -> Cancellable<Vec<lsp_types::Location>> {
    let mut converted = Vec::with_capacity(locations.len());
    // Callers pass locations sorted by path: one text read and one line index per file.
    for same_file in locations.chunk_by(|a, b| a.path == b.path) {
        let path = &same_file[0].path;
        // The server answers with the workspace's files only.
        if !path.starts_with(snapshot.root()) {
            continue;
        }
        let Some(text) = snapshot.file_text(path)? else {
            continue;
        };
        let index = LineIndex::new(&text);
        let uri = uri_of(path);
        converted.extend(
            same_file
                .iter()
                .map(|location| lsp_types::Location::new(uri.clone(), index.range(location.range))),
        );
    }
    Ok(converted)
}

fn definition(
    snapshot: &Snapshot,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, Failure> {
    let Some((path, offset)) = locate(snapshot, &params.text_document_position_params)? else {
        return Ok(None);
    };
    let Some(location) = snapshot.definition(&path, offset)? else {
        return Ok(None);
    };
    Ok(to_lsp_locations(snapshot, vec![location])?
        .pop()
        .map(GotoDefinitionResponse::Scalar))
}

fn references(
    snapshot: &Snapshot,
    project: &[PathBuf],
    params: lsp_types::ReferenceParams,
) -> Result<Vec<lsp_types::Location>, Failure> {
    let Some((path, offset)) = locate(snapshot, &params.text_document_position)? else {
        return Ok(Vec::new());
    };
    let mut found = snapshot.references(&path, offset, project)?;
    if !params.context.include_declaration
        && let Some(declaration) = snapshot.definition(&path, offset)?
    {
        found.retain(|location| *location != declaration);
    }
    Ok(to_lsp_locations(snapshot, found)?)
}

fn hover(snapshot: &Snapshot, params: HoverParams) -> Result<Option<lsp_types::Hover>, Failure> {
    let Some((path, offset)) = locate(snapshot, &params.text_document_position_params)? else {
        return Ok(None);
    };
    let Some(hover) = snapshot.hover(&path, offset)? else {
        return Ok(None);
    };
    let module = hover
        .path
        .strip_prefix(snapshot.root())
        .unwrap_or(&hover.path)
        .display()
        .to_string();
    let kind = match hover.kind {
        SymbolKind::Function => "function",
        SymbolKind::Class => "class",
        SymbolKind::Variable => "variable",
        SymbolKind::Constant => "constant",
        SymbolKind::DefaultExport => "default export",
        SymbolKind::Import => "import",
    };
    let build = match hover.included {
        Some(true) => "\n\nIncluded in the bundle.",
        Some(false) => "\n\nTree-shaken: a build of the entries leaves it out.",
        None => "",
    };
    let value = format!(
        "```js\n{}\n```\n{kind} in `{module}`{build}",
        hover.declaration
    );
    Ok(Some(lsp_types::Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    }))
}

fn document_symbols(
    snapshot: &Snapshot,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>, Failure> {
    let Some(path) = path_of(&params.text_document.uri) else {
        return Err(Failure::InvalidParams("not a file: URI".to_owned()));
    };
    let Some(text) = snapshot.file_text(&path)? else {
        return Ok(None);
    };
    let index = LineIndex::new(&text);
    #[expect(
        deprecated,
        reason = "`deprecated` is a required field of DocumentSymbol"
    )]
    let symbols = snapshot
        .symbols(&path)?
        .into_iter()
        .map(|symbol| DocumentSymbol {
            name: symbol.name,
            detail: None,
            kind: match symbol.kind {
                SymbolKind::Function => lsp_types::SymbolKind::FUNCTION,
                SymbolKind::Class => lsp_types::SymbolKind::CLASS,
                SymbolKind::Constant => lsp_types::SymbolKind::CONSTANT,
                SymbolKind::Variable | SymbolKind::DefaultExport | SymbolKind::Import => {
                    lsp_types::SymbolKind::VARIABLE
                }
            },
            tags: None,
            deprecated: None,
            range: index.range(symbol.range),
            selection_range: index.range(symbol.selection_range),
            children: None,
        })
        .collect();
    Ok(Some(DocumentSymbolResponse::Nested(symbols)))
}

#[expect(
    clippy::mutable_key_type,
    reason = "lsp_types' WorkspaceEdit is keyed by Uri, whose lazily filled cache does not change its hash"
)]
fn rename(snapshot: &Snapshot, project: &[PathBuf], params: RenameParams) -> Handled {
    let Some((path, offset)) = locate(snapshot, &params.text_document_position)? else {
        return Ok(Value::Null);
    };
    let edits = match snapshot.rename(&path, offset, &params.new_name, project)? {
        Ok(edits) => edits,
        Err(error @ crate::RenameError::InvalidName(_)) => {
            return Err(Failure::InvalidParams(error.to_string()));
        }
        Err(error) => return Err(Failure::Refused(error.to_string())),
    };
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for location in to_lsp_locations(snapshot, edits)? {
        changes
            .entry(location.uri)
            .or_default()
            .push(TextEdit::new(location.range, params.new_name.clone()));
    }
    Ok(serde_json::to_value(WorkspaceEdit::new(changes)).expect("LSP results serialize"))
}

fn completion(
    snapshot: &Snapshot,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>, Failure> {
    let Some((path, offset)) = locate(snapshot, &params.text_document_position)? else {
        return Ok(None);
    };
    let names = snapshot.import_completions(&path, offset)?;
    if names.is_empty() {
        return Ok(None);
    }
    let items = names
        .into_iter()
        .filter(|name| name != "default")
        .map(|name| CompletionItem {
            label: name,
            kind: Some(CompletionItemKind::VARIABLE),
            ..CompletionItem::default()
        })
        .collect();
    Ok(Some(CompletionResponse::Array(items)))
}

/// The diagnostics of one open document, for `textDocument/publishDiagnostics`.
pub fn publish_diagnostics(
    snapshot: &Snapshot,
    path: &Path,
    version: i32,
) -> Cancellable<PublishDiagnosticsParams> {
    let diagnostics = snapshot.diagnostics(path)?;
    let text = snapshot.file_text(path)?.unwrap_or_default();
    let index = LineIndex::new(&text);
    let diagnostics = diagnostics
        .into_iter()
        // A diagnostic of another file (an unreadable import, say) is reported there.
        .filter(|diagnostic| diagnostic.file.as_deref().is_none_or(|file| file == path))
        .map(|diagnostic| {
            let range = diagnostic
                .range
                .map_or_else(lsp_types::Range::default, |range| index.range(range));
            let mut message = diagnostic.message;
            if let Some(help) = diagnostic.help {
                message.push_str("\nhelp: ");
                message.push_str(&help);
            }
            lsp_types::Diagnostic {
                range,
                severity: Some(match diagnostic.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                }),
                code: Some(NumberOrString::String(diagnostic.code.to_owned())),
                source: Some("verde".to_owned()),
                message,
                ..lsp_types::Diagnostic::default()
            }
        })
        .collect();
    Ok(PublishDiagnosticsParams::new(
        uri_of(path),
        diagnostics,
        Some(version),
    ))
}
