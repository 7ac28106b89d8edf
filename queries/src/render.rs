//! Render: concatenate the live items' object code in execution order, patch every
//! relocation with the text link chose for it, and wrap the result for the output format.
//! Each module renders on its own (a query per module, reading its items' object code), so
//! an edit re-renders the modules it changed and the chunk is re-assembled from the cached
//! pieces of the others.

mod chunk;
mod format;
mod glue;
mod module;
mod namespace;
pub mod runtime;
pub mod sourcemap;

use std::fmt::Write as _;

use crate::{
    link::{ReplacementKind, replacements::Replacements},
    parse::{Mapping, Reloc, RelocTarget},
};

pub use chunk::render_chunk;
pub use module::{RenderedModule, rendered_module};
use sourcemap::{PieceMap, PieceMapBuilder};

use std::{fmt, io, sync::Arc};

/// Generated code as a list of pieces that are cached separately, so that a rebuild shares
/// every unchanged piece with the previous result instead of copying the whole text.
/// Equality and display are over the concatenated text.
#[derive(Clone, Default)]
pub struct Code {
    pieces: Vec<Arc<str>>,
    /// The source maps of the pieces that have one, by piece index, in order.
    maps: Vec<(usize, Arc<PieceMap>)>,
}

impl Code {
    pub fn from_pieces(pieces: Vec<Arc<str>>) -> Self {
        Code {
            pieces,
            maps: Vec::new(),
        }
    }

    /// Pieces, and the source maps of some of them (by piece index, in order).
    pub fn with_maps(pieces: Vec<Arc<str>>, maps: Vec<(usize, Arc<PieceMap>)>) -> Self {
        Code { pieces, maps }
    }

    pub fn pieces(&self) -> &[Arc<str>] {
        &self.pieces
    }

    /// The same code with the pieces `replace` rewrites replaced. A rewritten piece must
    /// keep its length and its lines (its source map still holds).
    pub fn with_pieces_rewritten(&self, mut replace: impl FnMut(&str) -> Option<String>) -> Code {
        let pieces = self
            .pieces
            .iter()
            .map(|piece| match replace(piece) {
                Some(rewritten) => {
                    debug_assert_eq!(rewritten.len(), piece.len());
                    Arc::from(rewritten)
                }
                None => piece.clone(),
            })
            .collect();
        Code {
            pieces,
            maps: self.maps.clone(),
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.pieces.iter().map(|piece| piece.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A hash of the bytes (xxh3): equal for equal code.
    pub fn content_hash(&self) -> u64 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for piece in &self.pieces {
            hasher.update(piece.as_bytes());
        }
        hasher.digest()
    }

    /// Whether the code is empty or ends a line.
    pub fn ends_with_newline(&self) -> bool {
        self.pieces
            .iter()
            .rev()
            .find(|piece| !piece.is_empty())
            .is_none_or(|piece| piece.ends_with('\n'))
    }

    /// How many leading pieces `self` and `other` share (the same cached piece, or equal
    /// text), and how many bytes those are: where writing `other` over a file that holds
    /// `self` has to start.
    pub fn shared_prefix(&self, other: &Code) -> (usize, usize) {
        let mut bytes = 0;
        let shared = self
            .pieces
            .iter()
            .zip(&other.pieces)
            .take_while(|(a, b)| same_piece(a, b))
            .map(|(piece, _)| bytes += piece.len())
            .count();
        (shared, bytes)
    }

    /// How many trailing pieces `self` and `other` share, among those after the first
    /// `after` pieces of each, and how many bytes those are. When the two are as long as
    /// each other, these pieces sit at the same offsets in both: writing `other` over a
    /// file that holds `self` can stop where they start.
    pub fn shared_suffix(&self, other: &Code, after: usize) -> (usize, usize) {
        let room = self
            .pieces
            .len()
            .min(other.pieces.len())
            .saturating_sub(after);
        let mut bytes = 0;
        let shared = self
            .pieces
            .iter()
            .rev()
            .zip(other.pieces.iter().rev())
            .take(room)
            .take_while(|(a, b)| same_piece(a, b))
            .map(|(piece, _)| bytes += piece.len())
            .count();
        (shared, bytes)
    }

    /// Writes the pieces with vectored writes, straight from where they are cached: no
    /// buffer is assembled, and a rebuild that changed one module copies nothing in user
    /// space but that module's text. Up to 1,024 pieces a call (the usual `IOV_MAX`).
    pub fn write_vectored_to(&self, out: &mut impl io::Write) -> io::Result<()> {
        self.write_vectored_range(0..self.pieces.len(), out)
    }

    /// Writes the pieces in `range`, as [`Code::write_vectored_to`] writes all.
    pub fn write_vectored_range(
        &self,
        range: std::ops::Range<usize>,
        out: &mut impl io::Write,
    ) -> io::Result<()> {
        const MAX_SLICES: usize = 1024;
        let pieces = self.pieces.get(range).unwrap_or_default();
        for batch in pieces.chunks(MAX_SLICES) {
            let mut slices: Vec<io::IoSlice<'_>> = batch
                .iter()
                .filter(|piece| !piece.is_empty())
                .map(|piece| io::IoSlice::new(piece.as_bytes()))
                .collect();
            let mut remaining = slices.as_mut_slice();
            while !remaining.is_empty() {
                match out.write_vectored(remaining) {
                    Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero)),
                    Ok(written) => io::IoSlice::advance_slices(&mut remaining, written),
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                    Err(error) => return Err(error),
                }
            }
        }
        Ok(())
    }
}

/// Whether two pieces hold the same text: the same cached piece (a rebuild's code shares
/// most of its pieces with the last one's), or equal text. `Arc<str>`'s own equality
/// compares the bytes even of one piece with itself: only `Arc<T>` of a sized `T` checks
/// the pointers first. Comparing the 13 MB of a three.js x10 bundle's pieces byte by byte
/// took 1.1 ms of each rebuild's write.
fn same_piece(a: &Arc<str>, b: &Arc<str>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

impl PartialEq for Code {
    fn eq(&self, other: &Self) -> bool {
        if self.len() != other.len() || self.maps.len() != other.maps.len() {
            return false;
        }
        let same_maps = self
            .maps
            .iter()
            .zip(&other.maps)
            .all(|(a, b)| a.0 == b.0 && (Arc::ptr_eq(&a.1, &b.1) || a.1 == b.1));
        if !same_maps {
            return false;
        }
        // Walk both piece lists in step, comparing the overlapping slices: rebuilds share
        // most pieces with the previous result, whose slices start at the same address.
        let (mut left, mut right) = (self.pieces.iter(), other.pieces.iter());
        let (mut a, mut b): (&[u8], &[u8]) = (&[], &[]);
        loop {
            if a.is_empty() {
                match left.next() {
                    Some(piece) => a = piece.as_bytes(),
                    None => return b.is_empty() && right.all(|piece| piece.is_empty()),
                }
                continue;
            }
            if b.is_empty() {
                match right.next() {
                    Some(piece) => b = piece.as_bytes(),
                    None => return false,
                }
                continue;
            }
            let common = a.len().min(b.len());
            if a.as_ptr() != b.as_ptr() && a[..common] != b[..common] {
                return false;
            }
            a = &a[common..];
            b = &b[common..];
        }
    }
}

impl Eq for Code {}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.pieces.iter().try_for_each(|piece| f.write_str(piece))
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Code({} bytes in {} pieces)",
            self.len(),
            self.pieces.len()
        )
    }
}

/// The keyword of a declaration statement as minified code writes it (`let a=1,b=2;`):
/// `let `, `const ` or `var ` with its space, when `text` starts with one. In module code,
/// which is strict, `let ` can only start a declaration. That the text is nothing but the
/// declaration is for the caller to know (an item is one statement).
pub(crate) fn declaration_keyword(text: &str) -> Option<&'static str> {
    ["let ", "const ", "var "]
        .into_iter()
        .find(|keyword| text.starts_with(keyword))
}

/// A declaration's value written in place of its binding's one read (see
/// `link::tree_shaking::single_use`): the value's object code (its mappings' sources
/// numbered as in the reading module's piece map) and its own module's replacements.
pub(crate) struct MovedValue<'r> {
    /// The reading module's local name for the binding.
    pub local: crate::parse::Name,
    /// The read is a call's callee: the value (a function) goes in parentheses.
    pub called: bool,
    pub code: crate::parse::ObjectCode,
    pub replacements: &'r Replacements,
    /// The values written in place of reads in this value (a value that calls something
    /// may read others, as date-fns's `localize = { era: build({ values: eraValues }) }`).
    pub nested: Vec<MovedValue<'r>>,
}

/// Writes `code` to `out` with every relocation patched. With `map`, also records where
/// each of the item's source-map segments landed in `out` (a relocation's segment at the
/// start of the name written for it).
///
/// With `joined`, `code` is a declaration that continues another: its keyword (as many
/// bytes as [`declaration_keyword`] found) is written as the given text instead: a `,`
/// when it continues the one `out` ends with (the caller has taken the `;` off `out`), or
/// nothing when whoever assembles the chunk writes what comes before it.
///
/// A read of a binding whose value is among `moved` is written as that value.
///
/// Returns whether what it wrote is the item's statement alone (nothing set a renamed
/// class's `.name` after it).
pub(crate) fn patch_item(
    out: &mut String,
    code: &crate::parse::ObjectCode,
    linked: &Replacements,
    glue: glue::Glue,
    map: Option<&mut PieceMapBuilder>,
    joined: Option<(usize, &str)>,
    moved: &[MovedValue<'_>],
) -> bool {
    let text = code.text.as_str();
    let mut copied = 0usize;
    let mut class_became_let = false;
    let mut segments = SegmentRecorder {
        pending: code.mappings.iter().peekable(),
        names: &code.names,
        name_numbers: match map {
            Some(_) => vec![Mapping::NO_NAME; code.names.len()],
            None => Vec::new(),
        },
        map,
    };
    if let Some((keyword, written)) = joined {
        if written.is_empty() {
            // Nothing stands for the keyword here: its segments would land on the name
            // that follows it.
            segments.skip(keyword);
        } else {
            // The keyword's segments go where its replacement is.
            segments.at(keyword, out.len());
            out.push_str(written);
        }
        copied = keyword;
    }
    // Renamed classes whose original name cannot be kept in place (something the class
    // refers to is spelled like it): their `.name` is set back after the statement.
    let mut name_fixups: Vec<(&str, &str)> = Vec::new();
    for reloc in &code.relocs {
        let offset = reloc.offset as usize;
        segments.before(offset, copied, out.len());
        out.push_str(&text[copied..offset]);
        copied = offset;
        if let RelocTarget::Symbol(name) = &reloc.target
            && let Some(value) = moved.iter().find(|value| value.local == *name)
        {
            // The value's own segments stand for the read's.
            segments.skip_at(offset);
            let mut map = segments.map.take();
            if value.called {
                // Where a name needed a space before it (`return f()`), a `(` does not.
                if glue.minify && out.ends_with(' ') {
                    out.pop();
                }
                out.push('(');
            }
            patch_item(
                out,
                &value.code,
                value.replacements,
                glue,
                map.as_deref_mut(),
                None,
                &value.nested,
            );
            if value.called {
                out.push(')');
            }
            segments.map = map;
            continue;
        }
        // Where the name written for the relocation starts: its segments go there.
        let mut name_at = out.len();
        let replacement = match &reloc.target {
            RelocTarget::ClassDeclaration(name) => {
                let original = glue.name(name);
                let final_name = linked
                    .symbols
                    .get(name)
                    .map_or(name.as_str(), |r| r.text.as_str());
                let preserved = linked.preserved_class_names.binary_search(name).is_ok();
                if preserved && out.ends_with("class ") {
                    // `class original {}` becomes `let final = class original {};`: same
                    // binding semantics, and the class keeps its name.
                    out.truncate(out.len() - "class ".len());
                    name_at = out.len() + "let ".len();
                    let assign = if glue.minify { "=" } else { " = " };
                    let _ = write!(out, "let {final_name}{assign}class {original}");
                    class_became_let = true;
                } else {
                    if final_name != name.as_str() && linked.keep_class_names {
                        name_fixups.push((final_name, name));
                    }
                    out.push_str(final_name);
                }
                segments.at_relocation(reloc, out, name_at);
                continue;
            }
            RelocTarget::ClassName(name) => {
                if linked.preserved_class_names.binary_search(name).is_ok() {
                    out.push_str(&glue.name(name));
                } else if let Some(renamed) = linked
                    .symbols
                    .get(name)
                    .filter(|replacement| replacement.text != *name && linked.keep_class_names)
                {
                    name_fixups.push((&renamed.text, name));
                }
                segments.at_relocation(reloc, out, name_at);
                continue;
            }
            RelocTarget::ClassSelfReference(name) => {
                if linked.preserved_class_names.binary_search(name).is_ok() {
                    out.push_str(&glue.name(name));
                } else {
                    out.push_str(
                        linked
                            .symbols
                            .get(name)
                            .map_or(name.as_str(), |r| r.text.as_str()),
                    );
                }
                segments.at_relocation(reloc, out, name_at);
                continue;
            }
            RelocTarget::Symbol(name) => linked.symbols.get(name),
            RelocTarget::NamespaceMember { namespace, member } => linked
                .namespace_members
                .get(&(namespace.clone(), member.clone())),
            RelocTarget::DynamicImport(specifier) => linked.dynamic_imports.get(specifier),
            RelocTarget::Require(specifier) => linked.requires.get(specifier),
            RelocTarget::ImportMeta => Some(&linked.import_meta),
        };
        let Some(replacement) = replacement else {
            // A binding nothing live needs (a second declarator of a live declaration, say).
            if let RelocTarget::Symbol(name) = &reloc.target {
                out.push_str(name);
            } else {
                out.push_str("void 0");
            }
            segments.at_relocation(reloc, out, name_at);
            continue;
        };
        let called = matches!(text[offset..].bytes().next(), Some(b'(' | b'`'));
        match replacement.kind {
            ReplacementKind::Identifier | ReplacementKind::Primary => {
                out.push_str(&replacement.text);
            }
            ReplacementKind::Member if called => {
                let zero = if glue.minify { "(0," } else { "(0, " };
                name_at += zero.len();
                let _ = write!(out, "{zero}{})", replacement.text);
            }
            ReplacementKind::Member => out.push_str(&replacement.text),
            ReplacementKind::Literal
                if text[offset..].starts_with('.')
                    && !replacement.text.starts_with(['"', '\'', '`']) =>
            {
                name_at += "(".len();
                let _ = write!(out, "({})", replacement.text);
            }
            ReplacementKind::Literal => {
                // The printer parted the keyword before a name from it with a space, which
                // a string does not need (`case"a"`, `return"a"`).
                if glue.minify
                    && replacement.text.starts_with(['"', '\'', '`'])
                    && let Some(before) = out.strip_suffix(' ')
                    && KEYWORDS_BEFORE_AN_OPERAND
                        .iter()
                        .any(|keyword| ends_with_word(before, keyword))
                {
                    out.pop();
                    name_at -= 1;
                }
                out.push_str(&replacement.text);
            }
            ReplacementKind::Other => {
                name_at += "(".len();
                let _ = write!(out, "({})", replacement.text);
            }
        }
        segments.at_relocation(reloc, out, name_at);
    }
    segments.before(usize::MAX, copied, out.len());
    let rest = &text[copied..];
    if class_became_let {
        let body = rest.trim_end_matches('\n');
        out.push_str(body);
        out.push(';');
        out.push_str(&rest[body.len()..]);
    } else {
        out.push_str(rest);
    }
    let alone = name_fixups.is_empty();
    for (final_name, original) in name_fixups {
        let original = crate::link::string_literal(original);
        if glue.minify {
            let _ = write!(
                out,
                "Object.defineProperty({final_name},\"name\",{{value:{original}}});"
            );
        } else {
            let _ = writeln!(
                out,
                "Object.defineProperty({final_name}, \"name\", {{ value: {original} }});"
            );
        }
    }
    alone
}

/// Moves an item's source-map segments to where patching writes their text.
struct SegmentRecorder<'c, 'm> {
    pending: std::iter::Peekable<std::slice::Iter<'c, Mapping>>,
    names: &'c [crate::parse::Name],
    /// The number the piece's map gives each of `names`, when first needed (most segments
    /// of minified code are named, and each name is looked up once per item, not once per
    /// segment).
    name_numbers: Vec<u32>,
    map: Option<&'m mut PieceMapBuilder>,
}

impl SegmentRecorder<'_, '_> {
    /// The segments before `offset` of the item's text, all at `at` (the text before
    /// `offset` is not written; `at` is what stands for it).
    fn at(&mut self, offset: usize, at: usize) {
        self.record_before(offset, |_| at);
    }

    /// Drops the segments of the name at `offset` (not those of what follows it).
    fn skip_at(&mut self, offset: usize) {
        while self
            .pending
            .next_if(|m| m.offset as usize == offset && !m.after_relocation)
            .is_some()
        {}
    }

    /// Drops the segments before `offset` of the item's text (it is not written).
    fn skip(&mut self, offset: usize) {
        while self
            .pending
            .next_if(|m| (m.offset as usize) < offset)
            .is_some()
        {}
    }

    /// The segments before `offset` of the item's text, whose text from `copied` on is
    /// written at `at`.
    fn before(&mut self, offset: usize, copied: usize, at: usize) {
        self.record_before(offset, |mapping| at + mapping.offset as usize - copied);
    }

    /// Records the segments before `offset` of the item's text, each where `written` says.
    fn record_before(&mut self, offset: usize, written: impl Fn(&Mapping) -> usize) {
        while let Some(mapping) = self.pending.next_if(|m| (m.offset as usize) < offset) {
            if let Some(map) = self.map.as_deref_mut() {
                let name = match self.names.get(mapping.name as usize) {
                    Some(name) => {
                        let number = &mut self.name_numbers[mapping.name as usize];
                        if *number == Mapping::NO_NAME {
                            *number = map.name_index(name);
                        }
                        *number
                    }
                    None => Mapping::NO_NAME,
                };
                map.push_indexed(written(mapping) as u32, *mapping, name);
            }
        }
    }

    /// The segments of `reloc`, whose name was written at `name_at` of `out`. They name the
    /// binding's original name when the bundle renamed it (codegen may have kept only the
    /// segment of the statement the name starts, without a name).
    fn at_relocation(&mut self, reloc: &Reloc, out: &str, name_at: usize) {
        let offset = reloc.offset as usize;
        while let Some(mapping) = self
            .pending
            .next_if(|m| m.offset as usize == offset && !m.after_relocation)
        {
            let Some(map) = self.map.as_deref_mut() else {
                continue;
            };
            // What the source has at the relocation: the binding, or the namespace of a
            // member read (`ns.x`).
            let local = match &reloc.target {
                RelocTarget::Symbol(name)
                | RelocTarget::ClassDeclaration(name)
                | RelocTarget::ClassSelfReference(name)
                | RelocTarget::NamespaceMember {
                    namespace: name, ..
                } => Some(name.as_str()),
                _ => None,
            };
            let original = self
                .names
                .get(mapping.name as usize)
                .map(|name| name.as_str())
                .or(local);
            let written = out.get(name_at..).unwrap_or_default();
            let kept = original.is_some_and(|original| {
                written.starts_with(original)
                    && !written[original.len()..]
                        .chars()
                        .next()
                        .is_some_and(crate::names::is_identifier_part)
            });
            map.push(name_at as u32, *mapping, original.filter(|_| !kept));
        }
    }
}

/// Keywords a string operand may follow without a space between them.
const KEYWORDS_BEFORE_AN_OPERAND: &[&str] = &[
    "case",
    "do",
    "else",
    "in",
    "instanceof",
    "return",
    "throw",
    "typeof",
    "void",
];

/// Whether `text` ends with `word` as a whole word (no identifier character before it).
fn ends_with_word(text: &str, word: &str) -> bool {
    text.strip_suffix(word).is_some_and(|rest| {
        !rest
            .chars()
            .next_back()
            .is_some_and(crate::names::is_identifier_part)
    })
}
