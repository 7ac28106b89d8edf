//! `verde lsp` spoken to over stdio, as an editor would: JSON-RPC messages to the real
//! binary, answers read back and checked.

mod common;
#[path = "common/lsp_client.rs"]
mod lsp_client;

use std::{io::Write as _, path::PathBuf};

use lsp_client::Client;
use serde_json::{Value, json};

/// A scratch project with `files`, for the test `name`.
fn project(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = common::scratch_dir(&format!("lsp-{name}"));
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const SHAPES: &str =
    "export class Shape {}\nexport const unit = 1;\nexport function area(s) { return unit; }\n";
const INDEX: &str = "export * from './shapes.js';\n";
// A string with characters outside the BMP before the names, so UTF-16 columns differ from
// byte and character columns.
const MAIN: &str = "const label = '😀😀'; import { area, Shape, nothing } from './lib/index.js';\nconsole.log(label, area(new Shape()));\n";

fn range_of(value: &Value) -> (u64, u64, u64, u64) {
    let range = &value["range"];
    (
        range["start"]["line"].as_u64().unwrap(),
        range["start"]["character"].as_u64().unwrap(),
        range["end"]["line"].as_u64().unwrap(),
        range["end"]["character"].as_u64().unwrap(),
    )
}

/// `lib/shapes.js`, `lib/index.js` re-exporting it, `main.js` importing from it (open), and
/// `extra` files; the server started on it.
fn shapes_project(name: &str, extra: &[(&str, &str)]) -> Client {
    let mut files = vec![
        ("lib/shapes.js", SHAPES),
        ("lib/index.js", INDEX),
        ("main.js", MAIN),
    ];
    files.extend_from_slice(extra);
    let dir = project(name, &files);
    let mut client = Client::start(&dir, Value::Null);
    client.open("main.js", 1);
    client
}

/// The UTF-16 column of `needle` on its line of `text`.
fn column(line: &str, needle: &str) -> u64 {
    line[..line.find(needle).unwrap()].encode_utf16().count() as u64
}

#[test]
fn diagnostics_follow_edits_with_utf16_positions() {
    let mut client = shapes_project("diagnostics", &[]);
    let diagnostics = client.diagnostics("main.js", 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], json!("MISSING_EXPORT"));
    assert_eq!(diagnostics[0]["severity"], json!(1));
    let first_line = MAIN.lines().next().unwrap();
    let start = column(first_line, "nothing");
    assert_eq!(range_of(&diagnostics[0]), (0, start, 0, start + 7));

    // Fixed, then broken in two other ways.
    client.change(
        "main.js",
        2,
        "import { area } from './lib/index.js';\narea();\n",
    );
    assert_eq!(client.diagnostics("main.js", 2), Vec::<Value>::new());
    client.change(
        "main.js",
        3,
        "import { area } from './lib/missing.js';\narea(;\n",
    );
    let diagnostics = client.diagnostics("main.js", 3);
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SYNTAX_ERROR"], "{diagnostics:?}");
    client.change(
        "main.js",
        4,
        "import { area } from './lib/missing.js';\narea();\n",
    );
    let diagnostics = client.diagnostics("main.js", 4);
    assert_eq!(diagnostics[0]["code"], json!("UNRESOLVED_IMPORT"));
    assert_eq!(range_of(&diagnostics[0]), (0, 21, 0, 39));
    client.shutdown();
}

#[test]
fn navigation_across_modules() {
    let mut client = shapes_project("navigation", &[]);
    let second_line = MAIN.lines().nth(1).unwrap();

    // Definition through `export *`, from a use of the import.
    let position = client.position("main.js", 1, column(second_line, "Shape") as u32 + 2);
    let definition = client.result("textDocument/definition", position);
    assert_eq!(definition["uri"], json!(client.uri("lib/shapes.js")));
    assert_eq!(range_of(&definition), (0, 13, 0, 18));

    // References of `area` from its declaration: the declaration, the import, the call.
    let mut position = client.position("lib/shapes.js", 2, 17);
    position["context"] = json!({ "includeDeclaration": true });
    let references = client.result("textDocument/references", position.clone());
    let found: Vec<(String, (u64, u64, u64, u64))> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|location| {
            let uri = location["uri"].as_str().unwrap();
            let file = uri.rsplit('/').next().unwrap().to_owned();
            (file, range_of(location))
        })
        .collect();
    let first_line = MAIN.lines().next().unwrap();
    let import_column = column(first_line, "area");
    let call_column = column(second_line, "area");
    assert_eq!(
        found,
        // Sorted by path: `lib/shapes.js` before `main.js`.
        vec![
            ("shapes.js".to_owned(), (2, 16, 2, 20)),
            (
                "main.js".to_owned(),
                (0, import_column, 0, import_column + 4)
            ),
            ("main.js".to_owned(), (1, call_column, 1, call_column + 4)),
        ]
    );
    position["context"] = json!({ "includeDeclaration": false });
    let references = client.result("textDocument/references", position);
    assert_eq!(references.as_array().unwrap().len(), 2);

    // Hover: the declaration, its module, and whether a build keeps it (no entries are
    // configured here, so that part is left out).
    let hover = client.result(
        "textDocument/hover",
        client.position("main.js", 1, call_column as u32),
    );
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("export function area(s)"), "{value}");
    assert!(value.contains("lib/shapes.js"), "{value}");

    // The outline of a module: its items.
    let symbols = client.result(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": client.uri("lib/shapes.js") } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|symbol| symbol["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Shape", "unit", "area"]);

    // Rename across modules: one edit per occurrence, per file.
    let edit = client.result(
        "textDocument/rename",
        json!({
            "textDocument": { "uri": client.uri("main.js") },
            "position": { "line": 1, "character": call_column },
            "newName": "surface",
        }),
    );
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes[&client.uri("main.js")].as_array().unwrap().len(), 2);
    assert_eq!(
        changes[&client.uri("lib/shapes.js")]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(!changes.contains_key(&client.uri("lib/index.js")));
    // `label` is taken in main.js: refused, with a reason.
    let response = client.request(
        "textDocument/rename",
        json!({
            "textDocument": { "uri": client.uri("main.js") },
            "position": { "line": 1, "character": call_column },
            "newName": "label",
        }),
    );
    let error = response.response_result.unwrap_err();
    assert_eq!(error.code, lsp_server::ErrorCode::RequestFailed as i32);
    assert!(error.message.contains("main.js"), "{}", error.message);

    // Completion inside the braces of a named import.
    client.change("main.js", 2, "import {  } from './lib/index.js';\n");
    let completion = client.result("textDocument/completion", client.position("main.js", 0, 9));
    let labels: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["Shape", "area", "unit"]);
    client.shutdown();
}

#[test]
fn survives_malformed_messages_and_cancels_stale_requests() {
    // Enough importers of `area` that the first find-references takes a while.
    let importers: Vec<(String, String)> = (0..300)
        .map(|n| {
            (
                format!("use/{n}.js"),
                format!("import {{ area }} from '../lib/index.js';\nexport const a{n} = area;\n"),
            )
        })
        .collect();
    let importers: Vec<(&str, &str)> = importers
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let mut client = shapes_project("cancellation", &importers);

    // Not JSON; JSON that is not a message; then a normal request still works.
    client
        .stdin
        .write_all(b"Content-Length: 9\r\n\r\n{garbage}")
        .unwrap();
    client
        .stdin
        .write_all(b"Content-Length: 12\r\n\r\n{\"foo\": 42}\n")
        .unwrap();
    let response = client.request("textDocument/hover", client.position("main.js", 1, 0));
    assert!(response.response_result.is_ok(), "{response:?}");

    // Bad params and unknown methods get errors, not silence.
    let response = client.request("textDocument/definition", json!({ "nonsense": true }));
    assert_eq!(
        response.response_result.unwrap_err().code,
        lsp_server::ErrorCode::InvalidParams as i32
    );
    let response = client.request("verde/unknown", json!({}));
    assert_eq!(
        response.response_result.unwrap_err().code,
        lsp_server::ErrorCode::MethodNotFound as i32
    );

    // A request the client cancels before the answer is sent gets the cancellation error;
    // every request gets exactly one answer either way.
    let mut ids = Vec::new();
    for _ in 0..20 {
        let mut position = client.position("lib/shapes.js", 2, 17);
        position["context"] = json!({ "includeDeclaration": true });
        let id = client.send_request("textDocument/references", position);
        client.notify(
            "$/cancelRequest",
            json!({ "id": id.to_string().parse::<i32>().unwrap() }),
        );
        ids.push(id);
    }
    let mut cancelled = 0;
    for id in &ids {
        let response = client.response(id);
        if let Err(error) = response.response_result {
            assert_eq!(error.code, lsp_server::ErrorCode::RequestCanceled as i32);
            cancelled += 1;
        }
    }
    assert!(cancelled > 0, "at least one request was still in flight");

    // Edits while requests run: each request is answered (a result, or cancelled because
    // the document changed), and the server ends in the state of the last edit.
    let mut ids = Vec::new();
    for version in 2..12 {
        let id = client.send_request("textDocument/hover", client.position("main.js", 1, 20));
        ids.push(id);
        client.change("main.js", version, MAIN);
    }
    for id in &ids {
        let response = client.response(id);
        if let Err(error) = response.response_result {
            assert_eq!(error.code, lsp_server::ErrorCode::RequestCanceled as i32);
        }
    }
    let diagnostics = client.diagnostics("main.js", 11);
    assert_eq!(diagnostics.len(), 1);
    client.shutdown();
}

#[test]
fn files_changed_on_disk_are_seen_through_watch_notifications() {
    let dir = project(
        "watch",
        &[
            ("lib.js", "export const one = 1;\n"),
            (
                "main.js",
                "import { one, two } from './lib.js';\nconsole.log(one, two);\n",
            ),
        ],
    );
    let mut client = Client::start(&dir, Value::Null);
    client.open("main.js", 1);
    let diagnostics = client.diagnostics("main.js", 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], json!("MISSING_EXPORT"));

    // `lib.js` is not open: the server reads the disk, and learns of the change from the
    // client's file watcher.
    std::fs::write(
        dir.join("lib.js"),
        "export const one = 1;\nexport const two = 2;\n",
    )
    .unwrap();
    let uri = client.uri("lib.js");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri, "type": 2 }] }),
    );
    assert_eq!(client.diagnostics("main.js", 1), Vec::<Value>::new());

    // Definition into the changed file lands on the new declaration.
    let definition = client.result("textDocument/definition", client.position("main.js", 1, 17));
    assert_eq!(definition["uri"], json!(uri));
    assert_eq!(range_of(&definition), (1, 13, 1, 16));
    client.shutdown();
}
