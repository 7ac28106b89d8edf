//! The language server under bad input (issue 9), over stdio with the real binary: bad
//! frames, a bad `initialize`, reserved words in rename, files outside the workspace, a
//! FIFO in it, a bug in a query, and a very large document. After each, the server must
//! still answer the next request.

mod common;
#[path = "common/lsp_client.rs"]
mod lsp_client;

use std::{io::Write as _, path::PathBuf};

use lsp_client::Client;
use lsp_server::ErrorCode;
use serde_json::{Value, json};

fn project(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = common::scratch_dir(&format!("lsp-reliability-{name}"));
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn symbols(client: &mut Client, file: &str) -> Value {
    let uri = client.uri(file);
    client.result(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    )
}

fn error_code(response: lsp_server::Response) -> i32 {
    response.response_result.expect_err("an error answer").code
}

#[test]
fn every_bad_frame_is_skipped_and_the_next_request_answered() {
    let dir = project("frames", &[("main.js", "export const a = 1;\n")]);
    let mut client = Client::start(&dir, Value::Null);
    client.open("main.js", 1);
    let note = r#"{"jsonrpc":"2.0","method":"verde/nothing","params":{}}"#;
    let bad_frames = [
        format!("Content-Length: 5\r\n\r\n{note}"),
        format!("Content-Length: {}\r\n\r\n{note}", note.len() + 40),
        format!("Content-Type: application/vscode-jsonrpc\r\n\r\n{note}"),
        format!("Content-Length: abc\r\n\r\n{note}"),
        format!("Content-Length: -5\r\n\r\n{note}"),
        format!("Content-Length: 1099511627776\r\n\r\n{note}"),
        "\0\0\0\0 not a frame at all \0".to_owned(),
        "Content-Length: 9\r\n\r\n{garbage}".to_owned(),
    ];
    for bad in bad_frames {
        client.stdin.write_all(bad.as_bytes()).unwrap();
        client.stdin.flush().unwrap();
        let answer = symbols(&mut client, "main.js");
        assert_eq!(answer[0]["name"], json!("a"), "after {bad:?}");
    }
    // A lax client's LF-only headers are read, not skipped.
    let request = r#"{"jsonrpc":"2.0","id":"lf","method":"verde/unknown","params":{}}"#;
    write!(
        client.stdin,
        "Content-Length: {}\n\n{request}",
        request.len()
    )
    .unwrap();
    client.stdin.flush().unwrap();
    let response = client.response(&lsp_server::RequestId::from("lf".to_owned()));
    assert_eq!(error_code(response), ErrorCode::MethodNotFound as i32);
    assert!(client.is_running());
    client.shutdown();
}

#[test]
fn a_bad_initialize_is_answered_and_a_good_one_still_accepted() {
    let dir = project("initialize", &[("main.js", "export const a = 1;\n")]);
    let mut client = Client::spawn(&dir);
    let response = client.request("initialize", json!({ "capabilities": 5, "rootUri": 7 }));
    assert_eq!(error_code(response), ErrorCode::InvalidParams as i32);
    let response = client.request(
        "initialize",
        json!({ "processId": null, "rootUri": client.uri("."), "capabilities": {} }),
    );
    assert!(response.response_result.is_ok(), "{response:?}");
    client.notify("initialized", json!({}));
    client.open("main.js", 1);
    assert_eq!(symbols(&mut client, "main.js")[0]["name"], json!("a"));
    client.shutdown();
}

#[test]
fn rename_refuses_reserved_words() {
    let dir = project(
        "rename-reserved",
        &[("main.js", "export const value = 1;\nconsole.log(value);\n")],
    );
    let mut client = Client::start(&dir, Value::Null);
    client.open("main.js", 1);
    for word in [
        "class",
        "let",
        "await",
        "enum",
        "eval",
        "arguments",
        "yield",
        "1x",
    ] {
        let mut params = client.position("main.js", 0, 14);
        params["newName"] = json!(word);
        let response = client.request("textDocument/rename", params);
        assert_eq!(
            error_code(response),
            ErrorCode::InvalidParams as i32,
            "{word}"
        );
    }
    let mut params = client.position("main.js", 0, 14);
    params["newName"] = json!("renamed");
    let edit = client.result("textDocument/rename", params);
    assert_eq!(
        edit["changes"][client.uri("main.js")]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    client.shutdown();
}

#[test]
fn files_outside_the_workspace_are_not_served() {
    let dir = project("inside", &[("main.js", "export const a = 1;\n")]);
    let outside = project("outside", &[("secret.js", "export const secret = 1;\n")]);
    let mut client = Client::start(&dir, Value::Null);
    let secret = url::Url::from_file_path(outside.join("secret.js"))
        .unwrap()
        .to_string();
    // Opening it is ignored; asking about it is refused.
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": {
            "uri": secret, "languageId": "javascript", "version": 1,
            "text": "export const secret = 1;\n"
        }}),
    );
    let response = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": secret } }),
    );
    assert_eq!(error_code(response), ErrorCode::RequestFailed as i32);
    let escaping = url::Url::from_file_path(dir.join("../lsp-reliability-outside/secret.js"))
        .unwrap()
        .to_string();
    let response = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": escaping }, "position": { "line": 0, "character": 14 } }),
    );
    assert_eq!(error_code(response), ErrorCode::RequestFailed as i32);
    client.open("main.js", 1);
    assert_eq!(symbols(&mut client, "main.js")[0]["name"], json!("a"));
    client.shutdown();
}

#[test]
fn a_fifo_in_the_workspace_blocks_nothing() {
    let dir = project(
        "fifo",
        &[(
            "main.js",
            "import { p } from './pipe.js';\nexport const a = p;\n",
        )],
    );
    let status = std::process::Command::new("mkfifo")
        .arg(dir.join("pipe.js"))
        .status()
        .unwrap();
    assert!(status.success());
    let mut client = Client::start(&dir, Value::Null);
    client.open("main.js", 1);
    let diagnostics = client.diagnostics("main.js", 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    client.change(
        "main.js",
        2,
        "import { p } from './pipe.js';\nexport const b = p;\n",
    );
    assert_eq!(client.diagnostics("main.js", 2).len(), 1);
    // References wait for the workspace scan, which must not hang on the FIFO.
    let mut params = client.position("main.js", 1, 13);
    params["context"] = json!({ "includeDeclaration": true });
    let found = client.result("textDocument/references", params);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    client.shutdown();
}

#[test]
fn a_bug_in_a_query_is_an_internal_error_and_the_next_edit_recovers() {
    let dir = project(
        "fault",
        &[
            (
                "main.js",
                "import { x } from './dep.js';\nexport const y = x;\n",
            ),
            ("dep.js", "export const x = '__verde_fault_link__';\n"),
        ],
    );
    let mut client = Client::start(&dir, Value::Null);
    client.open("main.js", 1);
    let diagnostics = client.diagnostics("main.js", 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], json!("INTERNAL_ERROR"));
    // Requests still get answers (an error for what needs the broken query).
    let response = client.request("textDocument/definition", client.position("main.js", 1, 17));
    assert!(
        response.response_result.is_ok() || error_code(response) == ErrorCode::InternalError as i32
    );
    // The fix arrives as an edit of the other module; the next diagnostics are clean.
    client.open("dep.js", 1);
    client.change("dep.js", 2, "export const x = 'fixed';\n");
    client.change(
        "main.js",
        2,
        "import { x } from './dep.js';\nexport const y = x;\n",
    );
    assert!(client.diagnostics("main.js", 2).is_empty());
    assert!(client.is_running());
    client.shutdown();
}

#[test]
fn a_very_large_document_does_not_freeze_the_server() {
    let mut big = String::with_capacity(7_000_000);
    for index in 0..160_000 {
        big.push_str(&format!(
            "export function f{index}(a) {{ return a + {index}; }}\n"
        ));
    }
    let dir = project(
        "large",
        &[("big.js", &big), ("small.js", "export const a = 1;\n")],
    );
    let mut client = Client::start(&dir, Value::Null);
    // Each answer must come within the client's timeout (it took about 50 s before).
    client.open("big.js", 1);
    client.open("small.js", 1);
    assert_eq!(symbols(&mut client, "small.js")[0]["name"], json!("a"));
    assert!(client.diagnostics("big.js", 1).is_empty());
    let symbols = symbols(&mut client, "big.js");
    assert_eq!(symbols.as_array().unwrap().len(), 160_000);
    client.shutdown();
}
