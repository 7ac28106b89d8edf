//! Chunk file names: `[name]-[hash].js`, where the hash is a content hash of the chunk's
//! final bytes, which include the names of the chunks it imports (statically or with
//! `import()`). Chunks can name each other in a cycle (through `import()`), so each chunk is
//! rendered with placeholders for the hashes it mentions, hashed as it is (its *own* hash),
//! and its final hash combines its own hash with the own hashes of every chunk it reaches.
//! The placeholders have the hash's length, so replacing them moves no column a source map
//! points at.

use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use super::chunks::{ChunkGraph, HASH_LENGTH, PLACEHOLDER_MARK, chunk_graph, file_name_hash};
use crate::{Db, bundle::OutputChunk, config::BuildConfig, render::render_chunk};

/// Every chunk, rendered and named, its placeholders replaced.
pub fn named_chunks(db: &dyn Db, config: BuildConfig) -> Vec<OutputChunk> {
    let _span = tracing::debug_span!("named_chunks").entered();
    let chunks = chunk_graph(db, config);
    let count = chunks.chunks.len();
    let rendered: Vec<_> = chunks
        .chunks
        .iter()
        .map(|chunk| render_chunk(db, config, chunk.id.clone()))
        .collect();

    let mut own = vec![0u64; count];
    let mut references: Vec<Vec<u32>> = vec![Vec::new(); count];
    for (index, code) in rendered.iter().enumerate() {
        let mut hasher = Xxh3::new();
        for piece in code.pieces() {
            hasher.update(piece.as_bytes());
            for_each_placeholder(chunks, piece, |_, chunk| references[index].push(chunk));
        }
        own[index] = hasher.digest();
    }

    let mut hashes = Vec::with_capacity(count);
    for index in 0..count {
        // The chunks it reaches, through the names it mentions.
        let mut reached = vec![false; count];
        let mut stack = vec![index as u32];
        while let Some(chunk) = stack.pop() {
            if std::mem::replace(&mut reached[chunk as usize], true) {
                continue;
            }
            stack.extend(references[chunk as usize].iter().copied());
        }
        let mut bytes = Vec::with_capacity(8 * count);
        bytes.extend_from_slice(&own[index].to_le_bytes());
        for (chunk, reached) in reached.iter().enumerate() {
            if *reached && chunk != index {
                bytes.extend_from_slice(&own[chunk].to_le_bytes());
            }
        }
        hashes.push(file_name_hash(xxh3_64(&bytes)));
    }

    rendered
        .iter()
        .enumerate()
        .map(|(index, code)| {
            let code = code.with_pieces_rewritten(|piece| {
                piece.contains(PLACEHOLDER_MARK as char).then(|| {
                    let mut bytes = piece.as_bytes().to_vec();
                    for_each_placeholder(chunks, piece, |at, chunk| {
                        bytes[at..at + HASH_LENGTH]
                            .copy_from_slice(hashes[chunk as usize].as_bytes());
                    });
                    String::from_utf8(bytes).expect("ASCII replaced ASCII")
                })
            });
            let mut file_name = chunks.file_name_template(index as u32);
            for_each_placeholder(chunks, &file_name.clone(), |at, chunk| {
                file_name.replace_range(at..at + HASH_LENGTH, &hashes[chunk as usize]);
            });
            let chunk = &chunks.chunks[index];
            OutputChunk {
                file_name,
                entry: chunk
                    .root
                    .map(|root| &chunks.roots[root as usize])
                    .filter(|root| root.is_entry)
                    .map(|root| root.file),
                code,
            }
        })
        .collect()
}

/// Calls `visit` with the byte offset and chunk index of each hash placeholder in `text`.
fn for_each_placeholder(chunks: &ChunkGraph, text: &str, mut visit: impl FnMut(usize, u32)) {
    let mark = PLACEHOLDER_MARK as char;
    let mut from = 0;
    while let Some(found) = text[from..].find(mark) {
        let at = from + found;
        match chunks.placeholder_at(&text.as_bytes()[at..]) {
            Some(chunk) => {
                visit(at, chunk);
                from = at + HASH_LENGTH;
            }
            None => from = at + 1,
        }
    }
}
