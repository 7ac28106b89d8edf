//! `verde lsp`: the language server, over stdio.
//!
//! One [`Compiler`] owns the database, on the main loop's thread. Open documents are
//! overlays on its inputs ([`Compiler::set_file_text`]); other files come from disk and change
//! when the client's file watcher says so. Every request runs on a worker thread against a
//! [`Snapshot`]; an edit cancels the requests in flight (salsa cancellation), which are then
//! answered with the LSP `RequestCancelled` error. Diagnostics of the open documents are
//! recomputed and published after every change.

mod convert;
mod handlers;

use std::{
    io::{self, BufReader},
    path::{Path, PathBuf},
    sync::Arc,
};

use crossbeam::channel::{Receiver, Sender, select, unbounded};
use lsp_server::{Connection, Message, Notification, ReqQueue, Request, Response};
use lsp_types::{
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileChangeType, InitializeParams,
    PublishDiagnosticsParams, notification::Notification as _,
};
use rustc_hash::FxHashMap;

use crate::{BuildOptions, Compiler, Snapshot};
use convert::path_of;

/// Runs the server on stdin and stdout until the client says `exit`.
pub fn run() -> Result<(), String> {
    let (connection, io_threads) = stdio_connection();
    let (id, params) = connection
        .initialize_start()
        .map_err(|error| format!("lsp: initialize failed: {error}"))?;
    let params: InitializeParams = serde_json::from_value(params)
        .map_err(|error| format!("lsp: bad initialize params: {error}"))?;
    let capabilities = handlers::server_capabilities();
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "verde", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|error| format!("lsp: initialize failed: {error}"))?;
    let mut server = Server::new(connection.sender.clone(), &params);
    server.after_initialize(&params);
    let result = server.main_loop(&connection.receiver);
    // The writer ends when every sender is gone.
    drop(server);
    drop(connection);
    io_threads.join();
    result
}

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

struct Server {
    sender: Sender<Message>,
    compiler: Compiler,
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
    fn new(sender: Sender<Message>, params: &InitializeParams) -> Self {
        let root = workspace_root(params);
        let options = BuildOptions {
            entries: entries(&root, params.initialization_options.as_ref()),
            ..BuildOptions::default()
        };
        let done = unbounded();
        // Scanning a large workspace takes a while; documents can be opened meanwhile.
        let scanned = done.0.clone();
        let scan_root = root.clone();
        std::thread::spawn(move || {
            let _ = scanned.send(Done::Project(project_files(&scan_root)));
        });
        Server {
            sender,
            compiler: Compiler::new(root),
            options,
            documents: FxHashMap::default(),
            project: Arc::default(),
            scanned: false,
            waiting_for_project: Vec::new(),
            requests: ReqQueue::default(),
            generation: 0,
            pool: Pool::new(),
            done,
        }
    }

    /// Asks the client to watch the workspace's source files, when it can.
    fn after_initialize(&mut self, params: &InitializeParams) {
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
    fn main_loop(&mut self, inbox: &Receiver<Message>) -> Result<(), String> {
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
                                lsp_server::ErrorCode::InvalidRequest as i32,
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
        self.pool.spawn(move || {
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
                    let Some(path) = path_of(&params.text_document.uri) else {
                        return;
                    };
                    self.add_to_project(path.clone());
                    let document = params.text_document;
                    self.set_document(path, document.text, document.version);
                }),
            DidChangeTextDocument::METHOD => notification
                .extract::<DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                .map(|params| {
                    let Some(path) = path_of(&params.text_document.uri) else {
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
                        (path_of(&params.text_document.uri), params.text)
                    {
                        self.compiler.set_file_text(&path, text);
                    }
                    self.changed();
                }),
            DidCloseTextDocument::METHOD => notification
                .extract::<DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                .map(|params| {
                    let Some(path) = path_of(&params.text_document.uri) else {
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
                        let Some(path) = path_of(&change.uri) else {
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
            self.log(&format!("verde: ignored {method}: {error}"));
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
        self.pool.spawn(move || {
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

    fn log(&self, message: &str) {
        let params = lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::WARNING,
            message: message.to_owned(),
        };
        self.send(
            Notification::new(
                lsp_types::notification::LogMessage::METHOD.to_owned(),
                params,
            )
            .into(),
        );
    }
}

/// Worker threads for requests. Each job owns its snapshot and drops it before it ends, so
/// an edit on the main thread waits only for the jobs in flight to unwind.
struct Pool {
    jobs: Sender<Box<dyn FnOnce() + Send>>,
}

impl Pool {
    fn new() -> Self {
        let (jobs, queue) = unbounded::<Box<dyn FnOnce() + Send>>();
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
        for index in 0..threads {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("verde-lsp-{index}"))
                .spawn(move || {
                    for job in queue {
                        // A bug in one job must not take the worker down with it; the
                        // panic message is on stderr already.
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    }
                })
                .expect("spawning a worker thread");
        }
        Pool { jobs }
    }

    fn spawn(&self, job: impl FnOnce() + Send + 'static) {
        self.jobs
            .send(Box::new(job))
            .expect("the worker threads outlive the server");
    }
}

/// stdio transport that survives malformed messages: a message that is not JSON-RPC is
/// reported on stderr and skipped, where lsp-server's own reader would stop.
fn stdio_connection() -> (Connection, IoThreads) {
    let (to_client, outbox) = unbounded::<Message>();
    let (inbox, from_client) = unbounded::<Message>();
    let writer = std::thread::spawn(move || {
        let stdout = io::stdout();
        let mut stdout = stdout.lock();
        for message in outbox {
            if message.write(&mut stdout).is_err() {
                break;
            }
        }
    });
    std::thread::spawn(move || {
        let stdin = io::stdin();
        let mut stdin = BufReader::new(stdin.lock());
        loop {
            match Message::read(&mut stdin) {
                Ok(Some(message)) => {
                    let is_exit =
                        matches!(&message, Message::Notification(n) if n.method == "exit");
                    if inbox.send(message).is_err() || is_exit {
                        break;
                    }
                }
                Ok(None) => break,
                // The bytes of a bad message are consumed: go on with the next one.
                Err(error) if error.kind() == io::ErrorKind::InvalidData => {
                    tracing::warn!("lsp: skipped a malformed message: {error}");
                }
                Err(_) => break,
            }
        }
    });
    let connection = Connection {
        sender: to_client,
        receiver: from_client,
    };
    (connection, IoThreads { writer })
}

struct IoThreads {
    writer: std::thread::JoinHandle<()>,
}

impl IoThreads {
    /// Waits until every message is written. (The reader may be blocked on stdin; the
    /// process exits without it.)
    fn join(self) {
        let _ = self.writer.join();
    }
}

fn workspace_root(params: &InitializeParams) -> PathBuf {
    #[expect(deprecated, reason = "older clients only send rootUri")]
    let root_uri = params.root_uri.as_ref();
    params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| &folder.uri)
        .or(root_uri)
        .and_then(path_of)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("/"))
}

/// The entries whose build hover reports on: `initializationOptions.entries`, or the
/// workspace package's `module` or `main`.
fn entries(root: &Path, options: Option<&serde_json::Value>) -> Vec<PathBuf> {
    if let Some(entries) = options
        .and_then(|options| options.get("entries"))
        .and_then(|entries| entries.as_array())
    {
        return entries
            .iter()
            .filter_map(|entry| entry.as_str())
            .map(|entry| root.join(entry))
            .collect();
    }
    let Ok(text) = std::fs::read_to_string(root.join("package.json")) else {
        return Vec::new();
    };
    let Ok(package) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    ["module", "main"]
        .iter()
        .find_map(|field| package.get(field).and_then(|value| value.as_str()))
        .map(|entry| vec![root.join(entry)])
        .unwrap_or_default()
}

fn is_source_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|ext| ext.to_str()),
        Some("js" | "mjs" | "jsx")
    )
}

/// The workspace's source files, as git would see them (`.gitignore` respected, hidden
/// files and `node_modules` skipped).
fn project_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(root)
        .filter_entry(|entry| entry.file_name() != "node_modules")
        .build()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|kind| kind.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|path| is_source_file(path))
        .collect();
    files.sort();
    files
}
