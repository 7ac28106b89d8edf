//! Render: concatenate the live items' object code in execution order, patch every
//! relocation with the text link chose for it, and wrap the result for the output format.
//! Each module renders on its own (a query per module, reading its items' object code), so
//! an edit re-renders the modules it changed and the chunk is re-assembled from the cached
//! pieces of the others.

mod chunk;
mod format;
mod module;
mod namespace;
pub mod runtime;

use std::fmt::Write as _;

use crate::{
    link::{ReplacementKind, replacements::Replacements},
    parse::RelocTarget,
};

pub use chunk::render_chunk;
pub use module::{RenderedModule, rendered_module};

use std::{fmt, io, sync::Arc};

/// Generated code as a list of pieces that are cached separately, so that a rebuild shares
/// every unchanged piece with the previous result instead of copying the whole text.
/// Equality and display are over the concatenated text.
#[derive(Clone, Default)]
pub struct Code {
    pieces: Vec<Arc<str>>,
}

impl Code {
    pub fn from_pieces(pieces: Vec<Arc<str>>) -> Self {
        Code { pieces }
    }

    pub fn pieces(&self) -> &[Arc<str>] {
        &self.pieces
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.pieces.iter().map(|piece| piece.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the pieces with vectored writes, straight from where they are cached: no
    /// buffer is assembled, and a rebuild that changed one module copies nothing in user
    /// space but that module's text. Up to 1,024 pieces a call (the usual `IOV_MAX`).
    pub fn write_vectored_to(&self, out: &mut impl io::Write) -> io::Result<()> {
        const MAX_SLICES: usize = 1024;
        for batch in self.pieces.chunks(MAX_SLICES) {
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

impl PartialEq for Code {
    fn eq(&self, other: &Self) -> bool {
        if self.len() != other.len() {
            return false;
        }
        // Walk both piece lists in step, comparing the overlapping slices: rebuilds share
        // most pieces with the previous result, and `Arc<str>` equality checks pointers first.
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

pub(crate) fn patch_item(out: &mut String, code: &crate::parse::ObjectCode, linked: &Replacements) {
    let text = code.text.as_str();
    let mut copied = 0usize;
    let mut class_became_let = false;
    // Renamed classes whose original name cannot be kept in place (something the class
    // refers to is spelled like it): their `.name` is set back after the statement.
    let mut name_fixups: Vec<(&str, &str)> = Vec::new();
    for reloc in &code.relocs {
        let offset = reloc.offset as usize;
        out.push_str(&text[copied..offset]);
        copied = offset;
        let replacement = match &reloc.target {
            RelocTarget::ClassDeclaration(name) => {
                let final_name = linked
                    .symbols
                    .get(name)
                    .map_or(name.as_str(), |r| r.text.as_str());
                let preserved = linked.preserved_class_names.binary_search(name).is_ok();
                if preserved && out.ends_with("class ") {
                    // `class original {}` becomes `let final = class original {};`: same
                    // binding semantics, and the class keeps its name.
                    out.truncate(out.len() - "class ".len());
                    let _ = write!(out, "let {final_name} = class {name}");
                    class_became_let = true;
                } else {
                    if final_name != name.as_str() {
                        name_fixups.push((final_name, name));
                    }
                    out.push_str(final_name);
                }
                continue;
            }
            RelocTarget::ClassName(name) => {
                if linked.preserved_class_names.binary_search(name).is_ok() {
                    out.push_str(name);
                } else if let Some(renamed) = linked
                    .symbols
                    .get(name)
                    .filter(|replacement| replacement.text != *name)
                {
                    name_fixups.push((&renamed.text, name));
                }
                continue;
            }
            RelocTarget::ClassSelfReference(name) => {
                if linked.preserved_class_names.binary_search(name).is_ok() {
                    out.push_str(name);
                } else {
                    out.push_str(
                        linked
                            .symbols
                            .get(name)
                            .map_or(name.as_str(), |r| r.text.as_str()),
                    );
                }
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
            continue;
        };
        let called = matches!(text[offset..].bytes().next(), Some(b'(' | b'`'));
        match replacement.kind {
            ReplacementKind::Identifier | ReplacementKind::Primary => {
                out.push_str(&replacement.text);
            }
            ReplacementKind::Member if called => {
                let _ = write!(out, "(0, {})", replacement.text);
            }
            ReplacementKind::Member => out.push_str(&replacement.text),
            ReplacementKind::Other => {
                let _ = write!(out, "({})", replacement.text);
            }
        }
    }
    let rest = &text[copied..];
    if class_became_let {
        let body = rest.trim_end_matches('\n');
        out.push_str(body);
        out.push(';');
        out.push_str(&rest[body.len()..]);
    } else {
        out.push_str(rest);
    }
    for (final_name, original) in name_fixups {
        let _ = writeln!(
            out,
            "Object.defineProperty({final_name}, \"name\", {{ value: {} }});",
            crate::link::string_literal(original)
        );
    }
}
