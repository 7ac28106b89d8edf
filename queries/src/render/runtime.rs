//! The runtime helpers a bundle may need, written once, in rollup's shapes, so that
//! CommonJS interop behaves the way code written for rollup expects.

/// `import x from 'external'` in CommonJS output.
pub const INTEROP_DEFAULT: &str =
    "function _interopDefault (e) { return e && e.__esModule ? e : { default: e }; }\n";

/// `import * as ns from 'external'` (and `import('external')`) in CommonJS output.
pub const INTEROP_NAMESPACE_DEFAULT: &str = "function _interopNamespaceDefault (e) {
\tvar n = Object.create(null);
\tif (e) {
\t\tObject.keys(e).forEach(function (k) {
\t\t\tif (k !== 'default') {
\t\t\t\tvar d = Object.getOwnPropertyDescriptor(e, k);
\t\t\t\tObject.defineProperty(n, k, d.get ? d : {
\t\t\t\t\tenumerable: true,
\t\t\t\t\tget: function () { return e[k]; }
\t\t\t\t});
\t\t\t}
\t\t});
\t}
\tn.default = e;
\treturn Object.freeze(n);
}
";

/// A namespace object that re-exports everything of some external modules (`export *`).
pub const MERGE_NAMESPACES: &str = "function _mergeNamespaces (n, m) {
\tm.forEach(function (e) {
\t\te && typeof e !== 'string' && !Array.isArray(e) && Object.keys(e).forEach(function (k) {
\t\t\tif (k !== 'default' && !(k in n)) {
\t\t\t\tvar d = Object.getOwnPropertyDescriptor(e, k);
\t\t\t\tObject.defineProperty(n, k, d.get ? d : {
\t\t\t\t\tenumerable: true,
\t\t\t\t\tget: function () { return e[k]; }
\t\t\t\t});
\t\t\t}
\t\t});
\t});
\treturn Object.freeze(n);
}
";
