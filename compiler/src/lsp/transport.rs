//! The server's stdio transport: a writer thread, and a reader thread that frames messages
//! itself, so that no input can stop it. lsp-server's own reader ends the session at the
//! first malformed frame and trusts any `Content-Length`; this one is bounded and
//! resynchronizes:
//!
//! - A frame is headers, a blank line (`\r\n\r\n`, or `\n\n` from lax clients), and a body
//!   of exactly `Content-Length` bytes, at most [`MAX_MESSAGE_BYTES`].
//! - Anything that is not a frame (garbage, NUL bytes, the tail of a body whose length was
//!   declared too short) is skipped up to the next line that starts a header.
//! - A missing, non-numeric, negative or oversized length skips the frame without
//!   allocating for it.
//! - A length declared too long would swallow the next frame and wait for bytes that never
//!   come. A JSON body cannot contain a raw line break followed by `Content-Length:` (line
//!   breaks inside JSON strings are escaped), so seeing one inside the body marks the real
//!   end of the frame: the frame is skipped and the next one is served.
//! - A body that is not a JSON-RPC message is reported (answered with an error when it has
//!   an `id`) and skipped.

use std::io::{self, Read, Write};

use crossbeam::channel::{Sender, unbounded};
use lsp_server::{Connection, ErrorCode, Message, RequestId, Response};

/// The largest message the server accepts (a document of tens of megabytes fits).
pub const MAX_MESSAGE_BYTES: usize = 64 << 20;

/// Header lines longer than this are garbage, not headers.
const MAX_HEADER_BYTES: usize = 8 << 10;

/// What the reader found in the stream.
#[derive(Debug)]
pub enum Frame {
    Message(Message),
    /// Bytes that were skipped, and why; with the request's id when the body had one.
    Malformed {
        reason: String,
        id: Option<RequestId>,
    },
}

/// Reads frames from `input`, buffering what it has read past the current frame.
pub struct FrameReader<R> {
    input: R,
    buffer: Vec<u8>,
    /// How far into the current body the search for a following header has looked.
    scanned: usize,
}

impl<R: Read> FrameReader<R> {
    pub fn new(input: R) -> Self {
        FrameReader {
            input,
            buffer: Vec::new(),
            scanned: 0,
        }
    }

    /// The next frame, or `None` at the end of the input.
    pub fn next_frame(&mut self) -> io::Result<Option<Frame>> {
        loop {
            // Skip to the start of a header.
            match header_start(&self.buffer) {
                Some(0) => {}
                Some(start) => {
                    self.consume(start);
                    return Ok(Some(malformed("bytes outside a frame were skipped")));
                }
                None => {
                    let keep = partial_header_suffix(&self.buffer);
                    let garbage = self.buffer.len() - keep;
                    if garbage > 0 {
                        self.consume(garbage);
                        return Ok(Some(malformed("bytes outside a frame were skipped")));
                    }
                    if !self.fill()? {
                        return Ok(None);
                    }
                    continue;
                }
            }
            let Some((header_end, body_start)) = header_end(&self.buffer) else {
                if self.buffer.len() > MAX_HEADER_BYTES {
                    // Skip this header line; the next header start (if any) follows.
                    self.consume(1);
                    return Ok(Some(malformed(
                        "a header block that does not end was skipped",
                    )));
                }
                if !self.fill()? {
                    return Ok(None);
                }
                continue;
            };
            let length = match content_length(&self.buffer[..header_end]) {
                Ok(length) => length,
                Err(reason) => {
                    self.consume(body_start);
                    return Ok(Some(malformed(&reason)));
                }
            };
            // Wait for the body, unless a following header shows the length was wrong.
            loop {
                let available = self.buffer.len() - body_start;
                let search_from = body_start + self.scanned.min(available);
                // The whole received tail: a header line ends in a line break, which may
                // lie past the declared end.
                let search_to = self.buffer.len();
                let declared_end = body_start + length;
                if let Some(next) = following_header(&self.buffer[search_from..search_to])
                    && search_from + next < declared_end
                {
                    self.consume(search_from + next);
                    return Ok(Some(malformed(
                        "a frame whose Content-Length was longer than its body was skipped",
                    )));
                }
                // A header line may still be arriving at the end: look at it again later.
                self.scanned = (search_to - body_start).saturating_sub(MAX_HEADER_BYTES.min(64));
                if available >= length {
                    break;
                }
                if !self.fill()? {
                    return Ok(None);
                }
            }
            let frame = parse_body(&self.buffer[body_start..body_start + length]);
            self.consume(body_start + length);
            return Ok(Some(frame));
        }
    }

    /// Reads more input; false at the end.
    fn fill(&mut self) -> io::Result<bool> {
        let mut chunk = [0u8; 64 << 10];
        loop {
            match self.input.read(&mut chunk) {
                Ok(0) => return Ok(false),
                Ok(read) => {
                    self.buffer.extend_from_slice(&chunk[..read]);
                    return Ok(true);
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            }
        }
    }

    fn consume(&mut self, bytes: usize) {
        self.buffer.drain(..bytes);
        self.scanned = 0;
    }
}

fn malformed(reason: &str) -> Frame {
    Frame::Malformed {
        reason: reason.to_owned(),
        id: None,
    }
}

fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.len() >= prefix.len() && bytes[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Whether a header line starts at `bytes[0]`: `Content-Length:` or `Content-Type:`, then
/// the rest of the line without a `"` (`None`: the line has not fully arrived yet). A JSON
/// body cannot hold such a line: in a string the line break would be escaped and the
/// closing quote would come first, and outside strings the text is not JSON.
fn header_line_at(bytes: &[u8]) -> Option<bool> {
    let name = [&b"content-length:"[..], b"content-type:"]
        .into_iter()
        .find(|name| starts_with_ignore_case(bytes, name));
    let Some(name) = name else {
        // A prefix of a header name at the very end may still become one.
        let could_become = [&b"content-length:"[..], b"content-type:"]
            .iter()
            .any(|name| {
                name.len() > bytes.len() && name[..bytes.len()].eq_ignore_ascii_case(bytes)
            });
        return if could_become { None } else { Some(false) };
    };
    let rest = &bytes[name.len()..];
    for &byte in rest.iter().take(MAX_HEADER_BYTES) {
        match byte {
            b'\n' => return Some(true),
            b'"' => return Some(false),
            _ => {}
        }
    }
    if rest.len() >= MAX_HEADER_BYTES {
        Some(false)
    } else {
        None
    }
}

/// Where the first header line (or a line that may still become one) starts.
fn header_start(buffer: &[u8]) -> Option<usize> {
    (0..buffer.len()).find(|&start| {
        matches!(buffer[start], b'c' | b'C') && header_line_at(&buffer[start..]) != Some(false)
    })
}

/// How many bytes at the end of `buffer` could be the beginning of a header line still
/// being received (kept rather than skipped).
fn partial_header_suffix(buffer: &[u8]) -> usize {
    (buffer.len().saturating_sub(MAX_HEADER_BYTES)..buffer.len())
        .find(|&start| header_line_at(&buffer[start..]).is_none())
        .map_or(0, |start| buffer.len() - start)
}

/// The end of the header block (before the blank line) and the start of the body.
fn header_end(buffer: &[u8]) -> Option<(usize, usize)> {
    let limit = buffer.len().min(MAX_HEADER_BYTES + 4);
    (0..limit).find_map(|index| {
        let rest = &buffer[index..];
        if rest.starts_with(b"\r\n\r\n") {
            Some((index, index + 4))
        } else if rest.starts_with(b"\n\n") {
            Some((index, index + 2))
        } else if rest.starts_with(b"\n\r\n") {
            Some((index, index + 3))
        } else {
            None
        }
    })
}

/// The `Content-Length` of a header block.
fn content_length(headers: &[u8]) -> Result<usize, String> {
    let headers = String::from_utf8_lossy(headers);
    let mut length = None;
    for line in headers.split('\n') {
        let line = line.trim_end_matches('\r');
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!(
                "a header line without a colon was skipped: {line:?}"
            ));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            match value.parse::<u64>() {
                Ok(parsed) if parsed as usize <= MAX_MESSAGE_BYTES => {
                    length = Some(parsed as usize);
                }
                Ok(parsed) => {
                    return Err(format!(
                        "a message of {parsed} bytes was skipped (the limit is {MAX_MESSAGE_BYTES})"
                    ));
                }
                Err(_) => return Err(format!("a Content-Length of {value:?} was skipped")),
            }
        }
    }
    length.ok_or_else(|| "a frame without Content-Length was skipped".to_owned())
}

/// Where a header line inside what was declared to be a body starts (see
/// [`header_line_at`]): the declared length ran past the real end of the body.
fn following_header(body: &[u8]) -> Option<usize> {
    (0..body.len()).find(|&start| {
        matches!(body[start], b'c' | b'C') && header_line_at(&body[start..]) == Some(true)
    })
}

fn parse_body(body: &[u8]) -> Frame {
    match serde_json::from_slice::<Message>(body) {
        Ok(message) => Frame::Message(message),
        Err(error) => {
            // Answer a request we can identify.
            let id = serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|value| value.get("id").cloned())
                .and_then(|id| serde_json::from_value::<RequestId>(id).ok());
            Frame::Malformed {
                reason: format!("a message that is not JSON-RPC was skipped: {error}"),
                id,
            }
        }
    }
}

/// The connection over stdin and stdout, with this module's reader.
pub fn stdio_connection() -> (Connection, IoThreads) {
    let (to_client, outbox) = unbounded::<Message>();
    let (inbox, from_client) = unbounded::<Message>();
    let writer = std::thread::spawn(move || {
        let stdout = io::stdout();
        let mut stdout = stdout.lock();
        for message in outbox {
            if message.write(&mut stdout).is_err() || stdout.flush().is_err() {
                break;
            }
        }
    });
    let replies = to_client.clone();
    std::thread::spawn(move || read_frames(io::stdin().lock(), &inbox, &replies));
    let connection = Connection {
        sender: to_client,
        receiver: from_client,
    };
    (connection, IoThreads { writer })
}

/// Passes the messages of `input` to `inbox` until the input ends or the client says
/// `exit`; answers or logs what it skips through `replies`.
fn read_frames(input: impl Read, inbox: &Sender<Message>, replies: &Sender<Message>) {
    let mut reader = FrameReader::new(input);
    loop {
        match reader.next_frame() {
            Ok(Some(Frame::Message(message))) => {
                let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if inbox.send(message).is_err() || is_exit {
                    return;
                }
            }
            Ok(Some(Frame::Malformed { reason, id })) => {
                tracing::warn!("lsp: {reason}");
                let reply = match id {
                    Some(id) => {
                        Response::new_err(id, ErrorCode::InvalidRequest as i32, reason).into()
                    }
                    None => log_message(&format!("verde: {reason}")),
                };
                let _ = replies.send(reply);
            }
            Ok(None) | Err(_) => return,
        }
    }
}

/// A `window/logMessage` warning.
pub fn log_message(message: &str) -> Message {
    use lsp_types::notification::Notification as _;
    lsp_server::Notification::new(
        lsp_types::notification::LogMessage::METHOD.to_owned(),
        lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::WARNING,
            message: message.to_owned(),
        },
    )
    .into()
}

pub struct IoThreads {
    writer: std::thread::JoinHandle<()>,
}

impl IoThreads {
    /// Waits until every message is written. (The reader may be blocked on stdin; the
    /// process exits without it.)
    pub fn join(self) {
        let _ = self.writer.join();
    }
}

/// Lets tests feed a reader from memory.
#[cfg(test)]
fn frames_of(input: &[u8]) -> Vec<Frame> {
    let mut reader = FrameReader::new(input);
    std::iter::from_fn(|| reader.next_frame().unwrap()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const PING: &str = r#"{"jsonrpc":"2.0","id":7,"method":"ping"}"#;

    fn served(frames: &[Frame]) -> Vec<String> {
        frames
            .iter()
            .filter_map(|frame| match frame {
                Frame::Message(Message::Request(request)) => Some(request.method.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn good_frames_are_served() {
        let input = frame(PING) + &frame(PING);
        assert_eq!(served(&frames_of(input.as_bytes())), ["ping", "ping"]);
    }

    #[test]
    fn every_bad_frame_is_skipped_and_the_next_good_one_served() {
        let bad_frames = [
            // Too small, too large, missing, non-numeric, negative, oversized.
            format!("Content-Length: 5\r\n\r\n{PING}"),
            format!("Content-Length: {}\r\n\r\n{PING}", PING.len() + 40),
            format!("Content-Type: x\r\n\r\n{PING}"),
            format!("Content-Length: abc\r\n\r\n{PING}"),
            format!("Content-Length: -5\r\n\r\n{PING}"),
            format!("Content-Length: 1099511627776\r\n\r\n{PING}"),
            "\0\0\0garbage\r\n".to_owned(),
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":3}"#),
        ];
        for bad in bad_frames {
            let input = bad.clone() + &frame(PING);
            let frames = frames_of(input.as_bytes());
            assert_eq!(served(&frames), ["ping"], "after {bad:?}: {frames:?}");
            assert!(
                frames
                    .iter()
                    .any(|frame| matches!(frame, Frame::Malformed { .. })),
                "{bad:?} is reported"
            );
        }
    }

    #[test]
    fn lax_line_endings_are_accepted() {
        let input = format!("Content-Length: {}\n\n{PING}", PING.len());
        assert_eq!(served(&frames_of(input.as_bytes())), ["ping"]);
    }

    #[test]
    fn a_request_with_a_bad_body_is_answered_by_id() {
        let frames = frames_of(frame(r#"{"jsonrpc":"2.0","id":3}"#).as_bytes());
        assert!(matches!(
            &frames[..],
            [Frame::Malformed { id: Some(id), .. }] if *id == RequestId::from(3)
        ));
    }

    #[test]
    fn a_document_mentioning_content_length_is_not_cut() {
        let body =
            r#"{"jsonrpc":"2.0","method":"note","params":{"text":"a\nContent-Length: 3\n"}}"#;
        let frames = frames_of(frame(body).as_bytes());
        assert!(matches!(
            &frames[..],
            [Frame::Message(Message::Notification(_))]
        ));
    }

    /// A reader that hands out one byte at a time, to check that frames split anywhere
    /// across reads come out the same.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
            let Some((&first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buffer[0] = first;
            self.0 = rest;
            Ok(1)
        }
    }

    #[test]
    fn frames_split_across_reads_are_served() {
        let input = format!("Content-Length: 5\r\n\r\n{PING}") + &frame(PING) + &frame(PING);
        let mut reader = FrameReader::new(Trickle(input.as_bytes()));
        let frames: Vec<Frame> = std::iter::from_fn(|| reader.next_frame().unwrap()).collect();
        assert_eq!(served(&frames), ["ping", "ping"]);
    }
}
