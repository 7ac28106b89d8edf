//! JSON modules. The text is checked as strict JSON (serde_json: an error has its line and
//! column in the `.json` file), then turned into an ES module: each top-level key that can
//! name a binding becomes `export const key = value`, so that unused keys are tree-shaken,
//! and the default export is the whole value. A `"__proto__"` key is written as a computed
//! key at any depth, so that it stays an own property as `JSON.parse` makes it, rather than
//! setting the prototype as an object literal would.

use oxc::{
    allocator::Allocator,
    ast::ast::{Expression, ObjectPropertyKind, PropertyKey},
    ast_visit::{Visit, walk},
    parser::Parser,
    span::{GetSpan, SourceType, Span},
};
use rustc_hash::FxHashMap;
use serde::de::IgnoredAny;

use crate::{diagnostics::offset_of, names::is_binding_name};

/// Why the text is not JSON, and where (a byte offset into it).
#[derive(Debug)]
pub struct JsonError {
    pub message: String,
    pub offset: usize,
}

/// The ES module a JSON text stands for.
pub fn json_module(text: &str) -> Result<String, JsonError> {
    // Strict JSON (and no number-range check: `1e400` is `Infinity`, as for `JSON.parse`).
    if let Err(error) = serde_json::from_str::<IgnoredAny>(text) {
        return Err(JsonError {
            offset: offset_of(text, error.line(), error.column()),
            message: format!("invalid JSON: {error}")
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_owned(),
        });
    }
    // Valid JSON is a JavaScript expression; only `__proto__` keys mean something else.
    let allocator = Allocator::default();
    let expression = Parser::new(&allocator, text, SourceType::mjs())
        .parse_expression()
        .map_err(|_| JsonError {
            message: "invalid JSON".to_owned(),
            offset: 0,
        })?;
    let mut proto_keys = ProtoKeys(Vec::new());
    proto_keys.visit_expression(&expression);
    let value = |span: Span| with_computed_proto_keys(text, span, &proto_keys.0);

    let mut module = String::with_capacity(text.len() + 64);
    let Expression::ObjectExpression(object) = &expression else {
        module.push_str("export default ");
        module.push_str(&value(expression.span()));
        module.push_str(";\n");
        return Ok(module);
    };
    // Keys in the order they first appear, each with its last value (as `JSON.parse`).
    let mut keys: Vec<(String, Span)> = Vec::new();
    let mut position: FxHashMap<String, usize> = FxHashMap::default();
    for property in &object.properties {
        let ObjectPropertyKind::ObjectProperty(property) = property else {
            continue;
        };
        let PropertyKey::StringLiteral(key) = &property.key else {
            continue;
        };
        let key = key.value.to_string();
        match position.get(&key) {
            Some(&index) => keys[index].1 = property.value.span(),
            None => {
                position.insert(key.clone(), keys.len());
                keys.push((key, property.value.span()));
            }
        }
    }
    let exported = |key: &str| is_binding_name(key);
    for (key, span) in &keys {
        if exported(key) {
            module.push_str(&format!("export const {key} = {};\n", value(*span)));
        }
    }
    module.push_str("export default {");
    for (index, (key, span)) in keys.iter().enumerate() {
        module.push_str(if index == 0 { "\n\t" } else { ",\n\t" });
        let quoted = serde_json::to_string(key).expect("a string serializes");
        if key == "__proto__" {
            module.push_str(&format!("[{quoted}]: "));
        } else {
            module.push_str(&format!("{quoted}: "));
        }
        if exported(key) {
            module.push_str(key);
        } else {
            module.push_str(&value(*span));
        }
    }
    module.push_str("\n};\n");
    Ok(module)
}

/// The spans of `"__proto__"` keys (not computed) in an object literal.
struct ProtoKeys(Vec<Span>);

impl<'a> Visit<'a> for ProtoKeys {
    fn visit_object_property(&mut self, property: &oxc::ast::ast::ObjectProperty<'a>) {
        if let PropertyKey::StringLiteral(key) = &property.key
            && !property.computed
            && key.value == "__proto__"
        {
            self.0.push(key.span);
        }
        walk::walk_object_property(self, property);
    }
}

/// The text of `span`, with every `"__proto__"` key inside it made computed.
fn with_computed_proto_keys(text: &str, span: Span, proto_keys: &[Span]) -> String {
    let (start, end) = (span.start as usize, span.end as usize);
    let mut out = String::with_capacity(end - start);
    let mut copied = start;
    for key in proto_keys
        .iter()
        .filter(|key| start <= key.start as usize && key.end as usize <= end)
    {
        out.push_str(&text[copied..key.start as usize]);
        out.push('[');
        out.push_str(&text[key.start as usize..key.end as usize]);
        out.push(']');
        copied = key.end as usize;
    }
    out.push_str(&text[copied..end]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_become_exports_and_proto_stays_an_own_property() {
        let module = json_module(
            r#"{ "a": 1, "not-a-name": [2], "__proto__": { "__proto__": 3 }, "class": 4, "a": 5 }"#,
        )
        .unwrap();
        assert_eq!(
            module,
            "export const a = 5;\nexport const __proto__ = { [\"__proto__\"]: 3 };\nexport default {\n\t\"a\": a,\n\t\"not-a-name\": [2],\n\t[\"__proto__\"]: __proto__,\n\t\"class\": 4\n};\n"
        );
        assert_eq!(
            json_module("[1e400, -0]").unwrap(),
            "export default [1e400, -0];\n"
        );
    }

    #[test]
    fn errors_point_into_the_json_text() {
        let error = json_module("{\n  \"a\": ,\n}").err().unwrap();
        assert_eq!(error.offset, "{\n  \"a\": ".len());
        assert!(
            error.message.starts_with("invalid JSON: expected value"),
            "{}",
            error.message
        );
    }
}
