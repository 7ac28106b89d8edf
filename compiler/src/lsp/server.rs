//! The server's main loop: requests run on the pool against snapshots, notifications
//! change the compiler's inputs, and after every change the open documents' diagnostics
//! are recomputed and published.

use std::{path::PathBuf, sync::Arc};

use crossbeam::channel::{Receiver, Sender, select, unbounded};
use lsp_server::{ErrorCode, Message, Notification, ReqQueue, Request, Response};
use lsp_types::{
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileChangeType, InitializeParams,
    PublishDiagnosticsParams, notification::Notification as _,
};
use rustc_hash::FxHashMap;

use super::{
    convert::path_of,
    handlers,
    pool::Pool,
    transport::log_message,
    workspace::{Workspace, is_source_file},
};
use crate::{BuildOptions, Compiler, Snapshot};

/// What a worker sends back to the main loop.
enum Done {
    Response(Response),
    /// The workspace's source files, scanned once at start-up.
    Project(Vec<PathBuf>),
    Diagnostics {
        generation: u64,
        published: Vec<PublishDiagnosticsParams>,
    },
}

struct Document {
    version: i32,
}

pub struct Server {
    sender: Sender<Message>,
    compiler: Compiler,
    workspace: Arc<Workspace>,
    options: BuildOptions,
    documents: FxHashMap<PathBuf, Document>,
    /// The modules find-references and rename search: the workspace's source files.
    project: Arc<Vec<PathBuf>>,
    /// Whether the start-up scan of the workspace is done; until it is, requests that
    /// search the project wait in `waiting_for_project`.
    scanned: bool,
    waiting_for_project: Vec<Request>,
    requests: ReqQueue<(), ()>,
    /// Bumped on every change; a diagnostics result of an older generation is stale.
    generation: u64,
    pool: Pool,
    done: (Sender<Done>, Receiver<Done>),
}

impl Server {
    pub fn new(sender: Sender<Message>, params: &InitializeParams, pool: Pool) -> Self {
        let workspace = Arc::new(Workspace::new(params));
        let options = BuildOptions {
            entries: workspace.entries(params.initialization_options.as_ref()),
            ..BuildOptions::default()
        };
        let done = unbounded();
        // Scanning a large workspace takes a while; documents can be opened meanwhile.
        let scanned = done.0.clone();
        let scan = workspace.clone();
        std::thread::spawn(move || {
            let _ = scanned.send(Done::Project(scan.project_files()));
        });
        let mut compiler = Compiler::new(workspace.root.clone()).without_query_log();
        // The command line's cache: a server started after a build parses nothing it built.
        let root = &workspace.root;
        match crate::open_project_cache(root, root, None, crate::DEFAULT_CACHE_MAX_SIZE) {
            Ok(cache) => compiler.set_module_cache(Some(Arc::new(cache))),
            Err(problem) => tracing::warn!(%problem, "the module cache cannot be used"),
        }
        Server {
            sender,
            compiler,
            workspace,
            options,
            documents: FxHashMap::default(),
            project: Arc::default(),
            scanned: false,
            waiting_for_project: Vec::new(),
            requests: ReqQueue::default(),
            generation: 0,
            pool,
            done,
        }
    }

    /// Asks the client to watch the workspace's source files, when it can.
    pub fn after_initialize(&mut self, params: &InitializeParams) {
        let can_watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|workspace| workspace.did_change_watched_files.as_ref())
            .and_then(|watch| watch.dynamic_registration)
            .unwrap_or(false);
        if can_watch {
            let registration = handlers::watch_registration();
            let request = self.requests.outgoing.register(
                "client/registerCapability".to_owned(),
                registration,
                (),
            );
            self.send(request.into());
        }
    }

    /// Serves until the client sends `exit`. Per the protocol, exiting without a
    /// `shutdown` first is an error.
    pub fn main_loop(&mut self, inbox: &Receiver<Message>) -> Result<(), String> {
        let mut shut_down = false;
        loop {
            select! {
                recv(inbox) -> message => {
                    let Ok(message) = message else {
                        return Err("lsp: the client closed the connection without `exit`".to_owned());
                    };
                    match message {
                        Message::Request(request) if shut_down => {
                            self.send(Response::new_err(
                                request.id,
                                ErrorCode::InvalidRequest as i32,
                                "the server is shutting down".to_owned(),
                            ).into());
                        }
                        Message::Request(request) if request.method == "shutdown" => {
                            shut_down = true;
                            self.send(Response::new_ok(request.id, ()).into());
                        }
                        Message::Request(request) => self.on_request(request),
                        Message::Notification(notification) if notification.method == "exit" => {
                            return if shut_down {
                                Ok(())
                            } else {
                                Err("lsp: `exit` before `shutdown`".to_owned())
                            };
                        }
                        Message::Notification(notification) => self.on_notification(notification),
                        Message::Response(response) => {
                            self.requests.outgoing.complete(response.id);
                        }
                    }
                }
                recv(self.done.1) -> done => {
                    let Ok(done) = done else { continue };
                    self.on_done(done);
                }
            }
        }
    }

    fn send(&self, message: Message) {
        // The writer thread only goes away when the client does; then nothing is listening.
        let _ = self.sender.send(message);
    }

    fn snapshot(&mut self) -> Snapshot {
        self.compiler.snapshot(&self.options)
    }

    fn on_request(&mut self, request: Request) {
        use lsp_types::request::{References, Rename, Request as _};
        // The server reads and answers for the workspace's files and open documents only.
        if let Some(path) = request
            .params
            .pointer("/textDocument/uri")
            .and_then(|uri| serde_json::from_value::<lsp_types::Uri>(uri.clone()).ok())
            .and_then(|uri| path_of(&uri))
            && !self.workspace.contains(&path)
            && !self.documents.contains_key(&path)
        {
            self.send(
                Response::new_err(
                    request.id,
                    ErrorCode::RequestFailed as i32,
                    format!("{} is outside the workspace", path.display()),
                )
                .into(),
            );
            return;
        }
        self.requests.incoming.register(request.id.clone(), ());
        if !self.scanned && matches!(request.method.as_str(), References::METHOD | Rename::METHOD) {
            self.waiting_for_project.push(request);
            return;
        }
        self.run(request);
    }

    /// Answers `request` on a worker.
    fn run(&mut self, request: Request) {
        let snapshot = self.snapshot();
        let project = self.project.clone();
        let done = self.done.0.clone();
        self.pool.requests.spawn(move || {
            let response = handlers::handle_request(&snapshot, &project, request);
            drop(snapshot);
            let _ = done.send(Done::Response(response));
        });
    }

    fn on_done(&mut self, done: Done) {
        match done {
            Done::Project(files) => {
                // Files opened during the scan are in already.
                let project = Arc::make_mut(&mut self.project);
                project.extend(files);
                project.sort();
                project.dedup();
                self.scanned = true;
                for request in std::mem::take(&mut self.waiting_for_project) {
                    // Unless the client cancelled it meanwhile.
                    if !self.requests.incoming.is_completed(&request.id) {
                        self.run(request);
                    }
                }
            }
            Done::Response(response) => {
                // A request the client cancelled was answered already.
                if self.requests.incoming.complete(&response.id).is_some() {
                    self.send(response.into());
                }
            }
            Done::Diagnostics {
                generation,
                published,
            } => {
                if generation != self.generation {
                    return;
                }
                for params in published {
                    let notification = Notification::new(
                        lsp_types::notification::PublishDiagnostics::METHOD.to_owned(),
                        params,
                    );
                    self.send(notification.into());
                }
                // What the round compiled goes to the module cache.
                for warning in self.compiler.take_cache_warnings() {
                    tracing::warn!(message = %warning.message, "module cache");
                }
                self.compiler.start_cache_writes();
            }
        }
    }

    fn on_notification(&mut self, notification: Notification) {
        use lsp_types::notification::{
            Cancel, DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument,
            DidOpenTextDocument, DidSaveTextDocument,
        };
        let method = notification.method.clone();
        let handled = match method.as_str() {
            Cancel::METHOD => notification
                .extract::<lsp_types::CancelParams>(Cancel::METHOD)
                .map(|params| {
                    let id = match params.id {
                        lsp_types::NumberOrString::Number(id) => id.into(),
                        lsp_types::NumberOrString::String(id) => id.into(),
                    };
                    if let Some(response) = self.requests.incoming.cancel(id) {
                        self.send(response.into());
                    }
                }),
            DidOpenTextDocument::METHOD => notification
                .extract::<DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                .map(|params| {
                    let Some(path) = self.workspace_path(&params.text_document.uri) else {
                        return;
                    };
                    self.add_to_project(path.clone());
                    let document = params.text_document;
                    self.set_document(path, document.text, document.version);
                }),
            DidChangeTextDocument::METHOD => notification
                .extract::<DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                .map(|params| {
                    let Some(path) = self.workspace_path(&params.text_document.uri) else {
                        return;
                    };
                    // Full sync: the last change holds the whole text.
                    let Some(change) = params.content_changes.into_iter().next_back() else {
                        return;
                    };
                    self.set_document(path, change.text, params.text_document.version);
                }),
            DidSaveTextDocument::METHOD => notification
                .extract::<DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                .map(|params| {
                    if let (Some(path), Some(text)) =
                        (self.workspace_path(&params.text_document.uri), params.text)
                    {
                        self.compiler.set_file_text(&path, text);
                    }
                    self.changed();
                }),
            DidCloseTextDocument::METHOD => notification
                .extract::<DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                .map(|params| {
                    let Some(path) = self.workspace_path(&params.text_document.uri) else {
                        return;
                    };
                    self.documents.remove(&path);
                    // The disk's version shows through again; clear what the client saw.
                    self.compiler.clear_file_override(&path);
                    self.send(
                        Notification::new(
                            lsp_types::notification::PublishDiagnostics::METHOD.to_owned(),
                            PublishDiagnosticsParams::new(
                                params.text_document.uri,
                                Vec::new(),
                                None,
                            ),
                        )
                        .into(),
                    );
                    self.changed();
                }),
            DidChangeWatchedFiles::METHOD => notification
                .extract::<DidChangeWatchedFilesParams>(DidChangeWatchedFiles::METHOD)
                .map(|params| {
                    for change in params.changes {
                        let Some(path) = self.workspace_path(&change.uri) else {
                            continue;
                        };
                        if change.typ == FileChangeType::DELETED {
                            Arc::make_mut(&mut self.project).retain(|known| *known != path);
                        } else {
                            self.add_to_project(path.clone());
                        }
                        // An open document's text is the editor's, not the disk's.
                        if !self.documents.contains_key(&path) {
                            self.compiler.file_changed(&path);
                        }
                    }
                    self.changed();
                }),
            _ => Ok(()),
        };
        if let Err(error) = handled {
            self.send(log_message(&format!("verde: ignored {method}: {error}")));
        }
    }

    /// The path of a `file:` URI inside the workspace; anything else is logged and ignored.
    fn workspace_path(&self, uri: &lsp_types::Uri) -> Option<PathBuf> {
        let path = path_of(uri)?;
        if self.workspace.contains(&path) {
            Some(path)
        } else {
            self.send(log_message(&format!(
                "verde: ignored {}: it is outside the workspace",
                path.display()
            )));
            None
        }
    }

    /// An open document's text and version, from the client.
    fn set_document(&mut self, path: PathBuf, text: String, version: i32) {
        self.compiler.set_file_text(&path, text);
        self.documents.insert(path, Document { version });
        self.changed();
    }

    fn add_to_project(&mut self, path: PathBuf) {
        if is_source_file(&path) && !self.project.contains(&path) {
            Arc::make_mut(&mut self.project).push(path);
        }
    }

    /// Inputs changed: recompute the open documents' diagnostics.
    fn changed(&mut self) {
        self.generation += 1;
        let generation = self.generation;
        let mut documents: Vec<(PathBuf, i32)> = self
            .documents
            .iter()
            .map(|(path, document)| (path.clone(), document.version))
            .collect();
        // Published in path order, whatever the map's order.
        documents.sort_unstable();
        let snapshot = self.snapshot();
        let done = self.done.0.clone();
        self.pool.diagnostics.spawn(move || {
            let mut published = Vec::with_capacity(documents.len());
            for (path, version) in documents {
                match handlers::publish_diagnostics(&snapshot, &path, version) {
                    Ok(params) => published.push(params),
                    // A newer change scheduled its own run.
                    Err(crate::Cancelled) => return,
                }
            }
            drop(snapshot);
            let _ = done.send(Done::Diagnostics {
                generation,
                published,
            });
        });
    }
}
