// Describes one module as node sees it, for compare.mjs (one fresh process per module, so that
// packages cannot see each other or the other side of the comparison).
//
//   node probe.mjs MODULE_FILE PACKAGE_ID OUT_JSON [--ns]
//
// Imports MODULE_FILE (with --ns: its `ns` export, a namespace `import * as ns` made by an
// unbundled helper module) and writes to OUT_JSON: the sorted export names; per export its
// typeof, a function's length, a primitive's value; the sorted keys of `default` when it is
// an object or function; and the serialized result of the package's call (packages.mjs). An
// import that throws is described as { threw }.

import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { packages } from './packages.mjs';

const [file, id, outFile, mode] = process.argv.slice(2);
const spec = packages.find((entry) => entry.id === id);
if (!spec) throw new Error(`unknown package ${id}`);

/** The first line of an error, without absolute paths (they differ between runs). */
function describeError(error) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `thrown ${typeof error}: ${String(error)}`;
  return text.split('\n')[0].replace(/(file:\/\/)?\/[^\s'"`]+/g, '<path>').slice(0, 160);
}

/** JSON-able form of a call's result: deterministic, no prototypes, cycles cut. */
function serialize(value, depth = 0, seen = new Set()) {
  if (value === undefined) return { $: 'undefined' };
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $: String(value) };
  if (typeof value === 'bigint') return { $: `${value}n` };
  if (typeof value === 'symbol') return { $: value.toString() };
  if (typeof value === 'function') return { $: 'function', length: value.length };
  if (depth > 8) return { $: 'too deep' };
  if (seen.has(value)) return { $: 'cycle' };
  seen.add(value);
  try {
    if (value instanceof Error) return { $: 'error', name: value.name, message: value.message };
    if (value instanceof Date) return { $: 'date', value: value.toISOString() };
    if (ArrayBuffer.isView(value)) return { $: 'bytes', value: [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)] };
    if (Array.isArray(value)) return value.map((item) => serialize(item, depth + 1, seen));
    if (value instanceof Map) return { $: 'map', entries: [...value].map((pair) => serialize(pair, depth + 1, seen)) };
    if (value instanceof Set) return { $: 'set', values: [...value].map((item) => serialize(item, depth + 1, seen)) };
    const out = {};
    for (const key of Object.keys(value).sort()) out[key] = serialize(value[key], depth + 1, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

function describeValue(value) {
  const described = { type: value === null ? 'null' : typeof value };
  if (typeof value === 'function') described.length = value.length;
  if (['string', 'number', 'boolean'].includes(typeof value)) {
    described.value = typeof value === 'string' && value.length > 200 ? `${value.slice(0, 200)}...` : value;
  }
  return described;
}

const withTimeout = (promise, ms, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} timed out`)), ms).unref())]);

async function probe() {
  let namespace;
  try {
    const imported = await import(pathToFileURL(file).href);
    namespace = mode === '--ns' ? imported.ns : imported;
  } catch (error) {
    return { threw: describeError(error) };
  }
  const names = Object.keys(namespace).sort();
  const exports = {};
  for (const name of names) exports[name] = describeValue(namespace[name]);
  const result = { names, exports };
  const fallback = namespace.default;
  if ((typeof fallback === 'object' && fallback !== null) || typeof fallback === 'function') {
    result.defaultKeys = Object.keys(fallback).sort();
  }
  try {
    result.call = serialize(await withTimeout(Promise.resolve(spec.call(namespace)), 10_000, 'the call'));
  } catch (error) {
    result.call = { threwInCall: describeError(error) };
  }
  return result;
}

const result = await probe();
fs.writeFileSync(outFile, JSON.stringify(result));
// Timers or handles a package left open must not keep the process alive.
process.exit(0);
