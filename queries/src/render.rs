//! Render: concatenate the live items' object code in execution order, patch every
//! relocation with the text link chose for it, and wrap the result for the output format.
//! Each item renders on its own (a query per item), so an edit re-renders the items it
//! changed and the chunk is re-assembled from cached pieces.

mod format;
pub mod runtime;

use std::fmt::Write as _;

use crate::{
    Db,
    config::BuildConfig,
    link::{
        ReplacementKind,
        replacements::{Replacements, module_replacements},
    },
    parse::{Item, RelocTarget},
};

pub use format::render_chunk;

/// One live item's object code with every relocation patched. Keyed by item, so an edit
/// re-renders only the items whose object code (or whose module's links) changed.
#[salsa::tracked(returns(ref))]
pub fn rendered_item(db: &dyn Db, config: BuildConfig, item: Item<'_>) -> String {
    let replacements = module_replacements(db, config, item.module(db));
    let mut out = String::new();
    patch_item(&mut out, item.code(db), replacements);
    out
}

fn patch_item(out: &mut String, code: &crate::parse::ObjectCode, linked: &Replacements) {
    let text = code.text.as_str();
    let mut copied = 0usize;
    let mut class_became_let = false;
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
                    out.push_str(final_name);
                }
                continue;
            }
            RelocTarget::ClassName(name) => {
                if linked.preserved_class_names.binary_search(name).is_ok() {
                    out.push_str(name);
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
}
