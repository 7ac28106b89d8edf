//! `verde lsp`: the language server, over stdio.
//!
//! One [`Compiler`](crate::Compiler) owns the database, on the main loop's thread. Open
//! documents are overlays on its inputs; other files come from disk and change when the
//! client's file watcher says so. Every request runs on a worker thread against a
//! [`Snapshot`](crate::Snapshot); an edit cancels the requests in flight (salsa
//! cancellation), which are then answered with the LSP `RequestCancelled` error.
//! Diagnostics of the open documents are recomputed and published after every change.
//!
//! The rooms, in the order a message goes through them: `transport` (frames on stdio,
//! bounded and resynchronizing), `server` (the main loop), `workspace` (root, entries,
//! project files), `pool` (worker threads), `handlers` (requests to snapshot reads), and
//! `convert` (positions and URIs).

mod convert;
mod handlers;
mod pool;
mod server;
mod transport;
mod workspace;

use lsp_server::{Connection, ErrorCode, Message, Response};
use lsp_types::InitializeParams;

/// Runs the server on stdin and stdout until the client says `exit`.
pub fn run() -> Result<(), String> {
    let (connection, io_threads) = transport::stdio_connection();
    let params = initialize(&connection)?;
    let pool = pool::Pool::new()?;
    let mut server = server::Server::new(connection.sender.clone(), &params, pool);
    server.after_initialize(&params);
    let result = server.main_loop(&connection.receiver);
    // The writer ends when every sender is gone.
    drop(server);
    drop(connection);
    io_threads.join();
    result
}

/// The initialize handshake. An `initialize` whose params do not parse is answered with
/// `InvalidParams`, and the server waits for one that does.
fn initialize(connection: &Connection) -> Result<InitializeParams, String> {
    loop {
        let (id, params) = connection
            .initialize_start()
            .map_err(|error| format!("lsp: initialize failed: {error}"))?;
        match serde_json::from_value::<InitializeParams>(params) {
            Ok(params) => {
                let result = serde_json::json!({
                    "capabilities": handlers::server_capabilities(),
                    "serverInfo": { "name": "verde", "version": env!("CARGO_PKG_VERSION") },
                });
                connection
                    .initialize_finish(id, result)
                    .map_err(|error| format!("lsp: initialize failed: {error}"))?;
                return Ok(params);
            }
            Err(error) => {
                let response = Response::new_err(
                    id,
                    ErrorCode::InvalidParams as i32,
                    format!("bad initialize params: {error}"),
                );
                connection
                    .sender
                    .send(Message::Response(response))
                    .map_err(|_| "lsp: the client went away".to_owned())?;
            }
        }
    }
}
