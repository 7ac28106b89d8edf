//! The package scope of a module: what the nearest `package.json` says about how node reads
//! the `.js` files under it (`"type": "module"` or `"commonjs"`), and what that and the
//! extension make of the module's kind. Node's rule: `.mjs`/`.mts` are ES modules, `.cjs`/
//! `.cts` CommonJS, and other files follow the nearest `package.json`'s `type`; without one,
//! verde decides by the syntax (see `parse/compile.rs`).

use crate::{
    Db,
    files::{FileStatus, SourceFile, SourceText, file_status, source_text},
};

/// What a module's extension and package scope say about its kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ModuleFormat {
    /// Nothing says: ES module syntax makes it an ES module, `require`, `module` or `exports`
    /// a CommonJS one.
    #[default]
    Detect,
    /// `.mjs`, `.mts`, or `"type": "module"`: node reads it as an ES module, and an import of
    /// CommonJS from it gets `module.exports` as `default` whatever `__esModule` says.
    EsModule,
    /// `.cjs`, `.cts`, or `"type": "commonjs"`.
    CommonJs,
}

/// The `type` field of the nearest `package.json` above `file`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PackageType {
    #[default]
    Unspecified,
    Module,
    CommonJs,
}

/// What decides the kind of `file`: its extension, else its package's `type`.
pub fn module_format(db: &dyn Db, file: SourceFile) -> ModuleFormat {
    let path = file.path(db);
    match path.extension().and_then(|extension| extension.to_str()) {
        Some("mjs" | "mts") => ModuleFormat::EsModule,
        Some("cjs" | "cts") => ModuleFormat::CommonJs,
        Some("json") => ModuleFormat::EsModule,
        _ => match package_type(db, file) {
            PackageType::Module => ModuleFormat::EsModule,
            PackageType::CommonJs => ModuleFormat::CommonJs,
            PackageType::Unspecified => ModuleFormat::Detect,
        },
    }
}

/// The `type` of the nearest `package.json` above `file` (the first one found decides, as in
/// node, even when it has no `type`).
pub fn package_type(db: &dyn Db, file: SourceFile) -> PackageType {
    match file.path(db).parent() {
        Some(directory) => directory_package_type(db, db.files().file(db, directory)),
        None => PackageType::Unspecified,
    }
}

/// The package type of the modules in `directory`: one query per directory, shared by its
/// modules and its subdirectories.
#[salsa::tracked(returns(copy))]
fn directory_package_type(db: &dyn Db, directory: SourceFile) -> PackageType {
    let path = directory.path(db);
    let candidate = db.files().file(db, &path.join("package.json"));
    if *file_status(db, candidate) == FileStatus::File {
        return package_json_type(db, candidate);
    }
    match path.parent() {
        Some(parent) => directory_package_type(db, db.files().file(db, parent)),
        None => PackageType::Unspecified,
    }
}

/// The `type` field of one `package.json`: read once for all the modules under it (a
/// package's manifest can be large: date-fns's lists hundreds of exports).
#[salsa::tracked(returns(copy))]
fn package_json_type(db: &dyn Db, package_json: SourceFile) -> PackageType {
    match source_text(db, package_json) {
        SourceText::Text(text) => type_field(text),
        _ => PackageType::Unspecified,
    }
}

/// The `type` field of a `package.json` text (a malformed one says nothing: the resolver
/// reports it when it reads the file).
fn type_field(text: &str) -> PackageType {
    #[derive(serde::Deserialize)]
    struct Fields {
        #[serde(rename = "type")]
        kind: Option<String>,
    }
    match serde_json::from_str::<Fields>(text) {
        Ok(Fields {
            kind: Some(kind), ..
        }) => match kind.as_str() {
            "module" => PackageType::Module,
            "commonjs" => PackageType::CommonJs,
            _ => PackageType::Unspecified,
        },
        _ => PackageType::Unspecified,
    }
}

#[cfg(test)]
mod tests {
    use super::{PackageType, type_field};

    #[test]
    fn type_field_of_package_json() {
        assert_eq!(type_field(r#"{"type":"module"}"#), PackageType::Module);
        assert_eq!(type_field(r#"{"type":"commonjs"}"#), PackageType::CommonJs);
        assert_eq!(type_field(r#"{"name":"x"}"#), PackageType::Unspecified);
        assert_eq!(type_field("{"), PackageType::Unspecified);
    }
}
