//! A minimal LSP client for tests and benchmarks: starts `verde lsp`, writes JSON-RPC
//! messages to its stdin and reads its answers back.

#![allow(dead_code)]

use std::{
    io::BufReader,
    path::{Path, PathBuf},
    process::{Child, ChildStdin, Stdio},
    sync::mpsc,
    time::Duration,
};

use lsp_server::{Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

pub struct Client {
    pub stdin: ChildStdin,
    child: Child,
    messages: mpsc::Receiver<Message>,
    /// Notifications that arrived while waiting for something else.
    pending: Vec<Notification>,
    /// Answers to requests other than the one being waited for.
    answers: Vec<Response>,
    next_id: i32,
    root: PathBuf,
}

pub const TIMEOUT: Duration = Duration::from_secs(30);

impl Client {
    pub fn start(root: &Path, initialization_options: Value) -> Client {
        let mut client = Client::spawn(root);
        let response = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": client.uri("."),
                "capabilities": {},
                "initializationOptions": initialization_options,
            }),
        );
        assert!(response.response_result.is_ok(), "{response:?}");
        let capabilities = &response.response_result.unwrap()["capabilities"];
        assert_eq!(capabilities["definitionProvider"], json!(true));
        client.notify("initialized", json!({}));
        client
    }

    /// The server started, before the initialize handshake.
    pub fn spawn(root: &Path) -> Client {
        let mut child = crate::common::verde()
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("verde lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            while let Ok(Some(message)) = Message::read(&mut stdout) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            pending: Vec::new(),
            answers: Vec::new(),
            next_id: 0,
            root: root.to_path_buf(),
        }
    }

    /// Whether the server process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// The server's peak resident set so far, in MB (Linux).
    pub fn peak_rss_mb(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    }

    pub fn uri(&self, file: &str) -> String {
        let path = if file == "." {
            self.root.clone()
        } else {
            self.root.join(file)
        };
        url::Url::from_file_path(path).unwrap().to_string()
    }

    pub fn write(&mut self, message: Message) {
        message.write(&mut self.stdin).expect("the server reads");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.write(Notification::new(method.to_owned(), params).into());
    }

    pub fn send_request(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.write(Request::new(id.clone(), method.to_owned(), params).into());
        id
    }

    /// The answer to request `id`. Answers come in any order (requests run in parallel,
    /// and a cancelled one is answered at once): others are kept for later.
    pub fn response(&mut self, id: &RequestId) -> Response {
        if let Some(position) = self.answers.iter().position(|answer| answer.id == *id) {
            return self.answers.remove(position);
        }
        loop {
            match self
                .messages
                .recv_timeout(TIMEOUT)
                .unwrap_or_else(|error| panic!("no answer to request {id} ({error})"))
            {
                Message::Response(response) if response.id == *id => return response,
                Message::Response(response) => self.answers.push(response),
                Message::Notification(notification) => self.pending.push(notification),
                Message::Request(_) => {}
            }
        }
    }

    pub fn request(&mut self, method: &str, params: Value) -> Response {
        let id = self.send_request(method, params);
        self.response(&id)
    }

    pub fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response.response_result.is_ok(), "{method}: {response:?}");
        response.response_result.unwrap()
    }

    /// The next diagnostics published for `file` whose version is `version`.
    pub fn diagnostics(&mut self, file: &str, version: i32) -> Vec<Value> {
        let uri = self.uri(file);
        let matches = |notification: &Notification| {
            notification.method == "textDocument/publishDiagnostics"
                && notification.params["uri"] == json!(uri)
                && notification.params["version"] == json!(version)
        };
        if let Some(position) = self.pending.iter().position(matches) {
            let notification = self.pending.remove(position);
            return notification.params["diagnostics"]
                .as_array()
                .unwrap()
                .clone();
        }
        loop {
            match self.messages.recv_timeout(TIMEOUT).expect("diagnostics") {
                Message::Notification(notification) if matches(&notification) => {
                    return notification.params["diagnostics"]
                        .as_array()
                        .unwrap()
                        .clone();
                }
                Message::Notification(notification) => self.pending.push(notification),
                Message::Response(response) => self.answers.push(response),
                Message::Request(_) => {}
            }
        }
    }

    pub fn open(&mut self, file: &str, version: i32) {
        let text = std::fs::read_to_string(self.root.join(file)).unwrap();
        let uri = self.uri(file);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": "javascript", "version": version, "text": text
            }}),
        );
    }

    pub fn change(&mut self, file: &str, version: i32, text: &str) {
        let uri = self.uri(file);
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    pub fn position(&self, file: &str, line: u32, character: u32) -> Value {
        json!({
            "textDocument": { "uri": self.uri(file) },
            "position": { "line": line, "character": character },
        })
    }

    pub fn shutdown(mut self) {
        let response = self.request("shutdown", Value::Null);
        assert!(response.response_result.is_ok());
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status:?}");
    }
}
