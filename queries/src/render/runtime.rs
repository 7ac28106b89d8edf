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

/// A module namespace object from getters, as minified bundles spell one: each member is
/// `name: () => binding` (live), the object has a null prototype, `Symbol.toStringTag`
/// `'Module'` and is frozen, as the object literal with `get name () {...}` members that
/// readable bundles write (a getter spelled as an arrow is 10 bytes shorter). Only minified
/// bundles use it, so it is written short too.
pub const NAMESPACE: &str = "function __namespace (getters) {
\tvar n = { __proto__: null };
\tObject.keys(getters).forEach((k) => Object.defineProperty(n, k, { enumerable: !0, get: getters[k] }));
\tn[Symbol.toStringTag] = 'Module';
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

/// `require` for an ES module bundle run by node: externals and run-time requires load.
pub const REQUIRE_SHIM: &str = "import { createRequire as __createRequire } from 'module';\nvar require = __createRequire(import.meta.url);\n";

/// `__filename` and `__dirname` (the bundle's own, as for any CommonJS code in it) for an ES
/// module bundle run by node.
pub const DIRNAME_SHIM: &str = "import { fileURLToPath as __fileURLToPath } from 'url';\nimport { dirname as __pathDirname } from 'path';\nvar __filename = __fileURLToPath(import.meta.url);\nvar __dirname = __pathDirname(__filename);\n";

/// A CommonJS module's wrapper: runs it once, on the first call, with `this`, `exports`
/// and `module` as node gives them, and returns its `module.exports` (a partial one to a
/// cycle that comes back while it runs, as in node). The entry of a CommonJS bundle gets
/// the bundle's own `module` (`real`), so `require.main === module` holds in it.
pub const COMMONJS: &str = "function __commonJS (fn, real) {
\tvar module;
\treturn function () {
\t\tif (!module) {
\t\t\tmodule = real || { exports: {} };
\t\t\tfn.call(module.exports, module.exports, module);
\t\t}
\t\treturn module.exports;
\t};
}
";

/// What an ES module importing CommonJS sees. As transpiled code sees it: every own property
/// of `module.exports`, live (enumerable as it is there, and `__esModule`), and `default`:
/// `module.exports`, or its `default` when it is marked `__esModule`. In node mode
/// (`nodeMode`, for importers node reads as ES modules), as node's namespace of it: the
/// names node detects (`names`), live, and `default`, always `module.exports`. Keys in the
/// sorted order of a module namespace; one view per exports object and mode, like a
/// namespace.
pub const TO_ESM: &str = "function __toESM (value, nodeMode, names) {
\tvar object = value != null && (typeof value === 'object' || typeof value === 'function');
\tvar key = nodeMode ? 'nodeViews' : 'views';
\tvar views = object && (__toESM[key] || (__toESM[key] = new WeakMap()));
\tif (views && views.has(value)) return views.get(value);
\tvar view = Object.create(null);
\tvar keys = (names || (object ? Object.getOwnPropertyNames(value) : []).filter(function (k) { return k !== 'default'; })).concat('default').sort();
\tkeys.forEach(function (k) {
\t\tif (k === 'default') Object.defineProperty(view, k, !nodeMode && value && value.__esModule
\t\t\t? { enumerable: true, get: function () { return value.default; } }
\t\t\t: { enumerable: true, value: value });
\t\telse Object.defineProperty(view, k, {
\t\t\tenumerable: names ? true : k === '__esModule' || Object.getOwnPropertyDescriptor(value, k).enumerable,
\t\t\tget: function () { return object ? value[k] : undefined; }
\t\t});
\t});
\tObject.defineProperty(view, Symbol.toStringTag, { value: 'Module' });
\tif (views) views.set(value, view);
\treturn view;
}
";

/// What `require` of an ES module gives, as node gives it: its export named
/// `"module.exports"` if it has one, else the namespace's exports (live), with `__esModule`
/// when it has a default export; the same object every time.
pub const TO_COMMONJS: &str = "function __toCommonJS (ns) {
\tif ('module.exports' in ns) return ns['module.exports'];
\tvar views = __toCommonJS.views || (__toCommonJS.views = new WeakMap());
\tvar view = views.get(ns);
\tif (view) return view;
\tview = Object.create(null);
\tif ('default' in ns && !('__esModule' in ns)) Object.defineProperty(view, '__esModule', { enumerable: true, value: true });
\tObject.keys(ns).forEach(function (k) {
\t\tObject.defineProperty(view, k, { enumerable: true, get: function () { return ns[k]; } });
\t});
\tObject.defineProperty(view, Symbol.toStringTag, { value: 'Module' });
\tviews.set(ns, view);
\treturn view;
}
";
