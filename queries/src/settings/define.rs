//! `--define KEY=VALUE`, with esbuild's meaning: every read of the global `KEY` (an
//! identifier or a member chain such as `process.env.NODE_ENV`) becomes `VALUE` (JSON, or an
//! identifier or member chain), and the constant branches that makes are folded away, so
//! that code only a development build runs, and the modules only it requires, never reach
//! the bundle. Applied inside `parsed_module` (see `parse/compile.rs`) by oxc's
//! `ReplaceGlobalDefines` and its minifier's dead-code elimination.

use std::sync::Arc;

use oxc::{
    allocator::Allocator,
    ast::ast::Program,
    minifier::{CompressOptions, CompressOptionsUnused, Compressor},
    semantic::{Scoping, SemanticBuilder},
};
use oxc_transformer_plugins::{ReplaceGlobalDefines, ReplaceGlobalDefinesConfig};

/// The `--define`s of a build: compared and hashed by their text, with oxc's matcher built
/// once.
#[derive(Clone, Default)]
pub struct Defines(Option<Arc<DefinesInner>>);

struct DefinesInner {
    pairs: Vec<(String, String)>,
    config: ReplaceGlobalDefinesConfig,
}

impl Defines {
    /// Checks every pair (see [`parse_define_flag`]) and builds the matcher.
    pub fn new(pairs: Vec<(String, String)>) -> Result<Defines, String> {
        if pairs.is_empty() {
            return Ok(Defines(None));
        }
        let config = ReplaceGlobalDefinesConfig::new(&pairs).map_err(|errors| {
            errors
                .into_iter()
                .map(|error| error.message.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        Ok(Defines(Some(Arc::new(DefinesInner { pairs, config }))))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub fn pairs(&self) -> &[(String, String)] {
        self.0.as_ref().map_or(&[], |inner| &inner.pairs)
    }
}

impl PartialEq for Defines {
    fn eq(&self, other: &Self) -> bool {
        self.pairs() == other.pairs()
    }
}

impl Eq for Defines {}

impl std::hash::Hash for Defines {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.pairs().hash(state);
    }
}

impl std::fmt::Debug for Defines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.pairs()).finish()
    }
}

/// Parses `KEY=VALUE` as esbuild takes it: `KEY` an identifier or a member chain, `VALUE`
/// JSON (`"production"`, `false`, `{"a":1}`) or an identifier or member chain.
pub fn parse_define_flag(flag: &str) -> Result<(String, String), String> {
    let (key, value) = flag.split_once('=').ok_or_else(|| {
        format!("expected KEY=VALUE, such as process.env.NODE_ENV=\"production\", not {flag:?}")
    })?;
    let key = key.trim();
    if !is_member_chain(key) {
        return Err(format!(
            "{key:?} is not an identifier or a member chain such as process.env.NODE_ENV"
        ));
    }
    let value = value.trim();
    if serde_json::from_str::<serde_json::Value>(value).is_err() && !is_member_chain(value) {
        return Err(format!(
            "the value {value:?} of {key} is neither JSON nor an identifier (a string needs quotes: {key}='\"{value}\"')"
        ));
    }
    Ok((key.to_owned(), value.to_owned()))
}

fn is_member_chain(text: &str) -> bool {
    !text.is_empty() && text.split('.').all(crate::names::is_identifier_name)
}

/// Replaces the defined globals in `program`; when that changed anything, folds the
/// constant conditions it made and drops the dead branches. Returns the program's scoping,
/// rebuilt if the program changed.
pub fn apply<'a>(
    allocator: &'a Allocator,
    program: &mut Program<'a>,
    scoping: Scoping,
    defines: &Defines,
) -> Scoping {
    let Some(inner) = &defines.0 else {
        return scoping;
    };
    let replaced =
        ReplaceGlobalDefines::new(allocator, inner.config.clone()).build(scoping, program);
    if !replaced.changed {
        return replaced.scoping;
    }
    let options = CompressOptions {
        // Only what the folding makes unreachable goes; unused code is tree shaking's.
        unused: CompressOptionsUnused::Keep,
        ..CompressOptions::dce()
    };
    Compressor::new(allocator).dead_code_elimination_with_scoping(
        program,
        replaced.scoping,
        options,
    );
    SemanticBuilder::new()
        .build(program)
        .semantic
        .into_scoping()
}

#[cfg(test)]
mod tests {
    use super::parse_define_flag;

    #[test]
    fn define_flags_take_json_or_names() {
        assert_eq!(
            parse_define_flag("process.env.NODE_ENV=\"production\""),
            Ok((
                "process.env.NODE_ENV".to_owned(),
                "\"production\"".to_owned()
            ))
        );
        assert!(parse_define_flag("DEBUG=false").is_ok());
        assert!(parse_define_flag("global=globalThis").is_ok());
        assert!(parse_define_flag("process.env.NODE_ENV=production").is_ok());
        assert!(parse_define_flag("a-b=1").is_err());
        assert!(parse_define_flag("x=1 + 2").is_err());
        assert!(parse_define_flag("x").is_err());
    }
}
