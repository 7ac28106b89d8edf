#!/usr/bin/env node
// session.mjs: an editing session replayed on a copy of three.js x10, through
// `verde build --watch` and through esbuild's `context.rebuild()`.
//
// Usage:  node tests/bench/session.mjs CORPUS_DIR      (run by tests/bench/session.sh)
// Env:    VERDE=path/to/verde (required), PEERS_DIR=where esbuild is installed,
//         EDITS=240 (at least 200), FILES=36 (at least 30), SEED=1, SKIP_ESBUILD=1,
//         MIN_MAP=1 (both tools minify and write an external source map)
//
// A seeded generator picks FILES modules of the corpus and makes EDITS edits to them, of
// these kinds (each file's first edit is counted as "first edit of a file" as well):
//   body         a number literal inside a function body changes
//   same-again   the previous body edit, made again to the same place
//   new-local    `const tmp = ...` declared at the start of a function body
//   new-global   a global the module did not read (`typeof verdeGlobalN`) read there
//   import+      a side-effect import of a sibling module added at the top
//   import-      that import removed again
//   export+      an export added (`export const verdeExportN = N`)
//   export-      an export added earlier removed
//   export-ren   an export added earlier renamed
//   file+        a new module created and imported
//   file-        such a module deleted and its import removed
//   syntax-err   a syntax error appended (the build fails, the output is kept)
//   syntax-fix   that error removed (always the next edit)
// Every edit is a write of one or two files; verde's time is taken from the write to the
// `[verde]` line watch mode prints for the rebuild (end to end: file watcher included) and
// as the rebuild time that line reports; esbuild's is the `rebuild()` call made right after
// the same writes. Prints a Markdown table per tool: median, p95 and max per kind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const corpusDir = path.resolve(process.argv[2] || '');
const VERDE = process.env.VERDE;
if (!process.argv[2] || !VERDE) {
  console.error('usage: VERDE=path/to/verde node session.mjs CORPUS_DIR');
  process.exit(2);
}
const EDITS = Math.max(200, Number(process.env.EDITS || 240));
const FILES = Math.max(30, Number(process.env.FILES || 36));
const SEED = Number(process.env.SEED || 1);
const SETTLE_MS = 40;
const WAIT_MS = 60_000;
const log = (...a) => console.error('[session]', ...a);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// mulberry32: a small seeded generator, so a session is the same on every run.
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] };
}

// --- the project under edit: a copy, so the corpus stays as it is -----------------------
const source = path.join(corpusDir, 'three10');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'verde-session-'));
const root = path.join(work, 'three10');
fs.cpSync(source, root, { recursive: true });
const entry = path.join(root, 'entry.js');
const files = new Map(); // relative path -> text, as the generator believes it is now

function read(rel) {
  if (!files.has(rel)) files.set(rel, fs.readFileSync(path.join(root, rel), 'utf8'));
  return files.get(rel);
}

// Modules in the bundle (a one-shot build's `// path` headers) with a function body to edit
// and a number in it.
function candidates() {
  const outfile = path.join(work, 'modules.js');
  // No module cache: this build must not fill the one watch mode's first build reads, or
  // that build would restore every module instead of compiling it (not a cold build).
  const built = spawnSync(VERDE, ['build', entry, '--outfile', outfile, '--no-cache'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('the one-shot build failed');
  const prefix = `// ${root}/`;
  return fs.readFileSync(outfile, 'utf8').split('\n')
    .filter((line) => line.startsWith(prefix) && line.endsWith('.js'))
    .map((line) => line.slice(prefix.length))
    .filter((rel) => {
      const text = fs.readFileSync(path.join(root, rel), 'utf8');
      const match = FUNCTION_BODY.exec(text);
      return match && /(?<![\w$.])\d/.test(text.slice(match.index));
    })
    .sort();
}

const FUNCTION_BODY = /^(?:\t(?!(?:if|for|while|switch|catch|with)\b)[\w$]+|(?:export )?function [\w$]+)\s*\([^()]*\)\s*\{\n/m;

// --- the edit script ---------------------------------------------------------------------
// An edit is a list of file operations ({ rel, text } to write, { rel, remove: true } to
// delete) and its kinds. The script is generated once and replayed for each tool.
function makeScript() {
  const r = rng(SEED);
  const pool = candidates();
  const chosen = [];
  while (chosen.length < FILES) {
    const rel = r.pick(pool);
    if (!chosen.includes(rel)) chosen.push(rel);
  }
  const state = new Map(chosen.map((rel) => [rel, read(rel)]));
  const touched = new Set();
  const added = new Map(); // rel -> [export names added and not removed]
  const imports = new Map(); // rel -> import line added
  const created = []; // [{ importer, rel, line }]
  const broken = new Set();
  let lastBody = null;
  const script = [];
  // Just inside the first method or function body (never a `switch`, where a declaration
  // would be a syntax error).
  const body = (text) => {
    const match = FUNCTION_BODY.exec(text);
    return match ? match.index + match[0].length : -1;
  };

  for (let n = 0; script.length < EDITS; n++) {
    let kind = r.pick([
      'body', 'body', 'same-again', 'new-local', 'new-global', 'import+', 'import-',
      'export+', 'export-', 'export-ren', 'file+', 'file-', 'syntax-err',
    ]);
    // Undoing kinds edit a file that has something to undo.
    const undoable = {
      'import-': [...imports.keys()],
      'export-': [...added.keys()].filter((file) => added.get(file).length > 0),
      'export-ren': [...added.keys()].filter((file) => added.get(file).length > 0),
      'file-': created.map((c) => c.importer),
    }[kind];
    if (undoable && undoable.length === 0) continue;
    let rel = undoable ? r.pick(undoable.sort()) : r.pick(chosen);
    // A syntax error is fixed by the next edit, as it is when someone types.
    if (broken.size > 0) [rel] = [...broken];
    const text = state.get(rel);
    const kinds = [];
    const ops = [];
    const write = (file, contents) => {
      state.set(file, contents);
      ops.push({ rel: file, text: contents });
    };
    if (broken.has(rel)) kind = 'syntax-fix';
    if (kind === 'same-again' && !lastBody) kind = 'body';
    if (kind !== 'body' && kind !== 'same-again') lastBody = null;
    switch (kind) {
      case 'body': {
        const at = body(text);
        const digit = text.slice(at).search(/(?<![\w$.])\d/);
        if (at < 0 || digit < 0) continue;
        const index = at + digit;
        const edited = text.slice(0, index) + String((Number(text[index]) + 1) % 10) + text.slice(index + 1);
        write(rel, edited);
        lastBody = { rel, index };
        break;
      }
      case 'same-again': {
        const { rel: file, index } = lastBody;
        const current = state.get(file);
        if (broken.has(file)) continue;
        write(file, current.slice(0, index) + String((Number(current[index]) + 1) % 10) + current.slice(index + 1));
        break;
      }
      case 'new-local':
      case 'new-global': {
        const at = body(text);
        if (at < 0) continue;
        const line = kind === 'new-local' ? `\tconst verdeLocal${n} = ${n};\n` : `\tvoid typeof verdeGlobal${n};\n`;
        write(rel, text.slice(0, at) + line + text.slice(at));
        break;
      }
      case 'import+': {
        if (imports.has(rel)) continue;
        const dir = path.dirname(rel);
        const siblings = fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.js') && path.join(dir, f) !== rel);
        if (siblings.length === 0) continue;
        const line = `import './${r.pick(siblings.sort())}';\n`;
        imports.set(rel, line);
        write(rel, line + text);
        break;
      }
      case 'import-': {
        const line = imports.get(rel);
        if (!line || !text.startsWith(line)) continue;
        imports.delete(rel);
        write(rel, text.slice(line.length));
        break;
      }
      case 'export+': {
        const name = `verdeExport${n}`;
        added.set(rel, [...(added.get(rel) || []), name]);
        write(rel, `${text}\nexport const ${name} = ${n};\n`);
        break;
      }
      case 'export-':
      case 'export-ren': {
        const names = added.get(rel) || [];
        if (names.length === 0) continue;
        const name = names.pop();
        const line = `\nexport const ${name} = `;
        if (!text.includes(line)) continue;
        if (kind === 'export-ren') {
          const renamed = `${name}r`;
          names.push(renamed);
          write(rel, text.replace(line, `\nexport const ${renamed} = `));
        } else {
          const start = text.indexOf(line);
          const end = text.indexOf('\n', start + 1);
          write(rel, text.slice(0, start) + text.slice(end));
        }
        added.set(rel, names);
        break;
      }
      case 'file+': {
        const file = path.join(path.dirname(rel), `verde_new_${n}.js`);
        const line = `import { verdeFresh${n} } from './verde_new_${n}.js';\nglobalThis.verdeFresh = verdeFresh${n};\n`;
        ops.push({ rel: file, text: `export const verdeFresh${n} = ${n};\n` });
        write(rel, line + text);
        created.push({ importer: rel, rel: file, line });
        break;
      }
      case 'file-': {
        const index = created.findIndex((c) => c.importer === rel && state.get(rel).startsWith(c.line));
        if (index < 0) continue;
        const [{ rel: file, line }] = created.splice(index, 1);
        write(rel, text.slice(line.length));
        ops.push({ rel: file, remove: true });
        break;
      }
      case 'syntax-err': {
        broken.add(rel);
        write(rel, `${text}\nconst = ;\n`);
        break;
      }
      case 'syntax-fix': {
        broken.delete(rel);
        write(rel, text.replace('\nconst = ;\n', ''));
        break;
      }
    }
    kinds.push(kind);
    if (!touched.has(rel)) {
      touched.add(rel);
      kinds.push('first edit of a file');
    }
    script.push({ kinds, ops });
  }
  return script;
}

function apply(edit) {
  for (const op of edit.ops) {
    const file = path.join(root, op.rel);
    if (op.remove) fs.rmSync(file, { force: true });
    else fs.writeFileSync(file, op.text);
  }
}

function restore() {
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(source, root, { recursive: true });
}

// --- verde: watch mode as a child process ------------------------------------------------
async function runVerde(script) {
  const outfile = path.join(work, 'verde.js');
  const minMap = process.env.MIN_MAP === '1' ? ['--minify', '--sourcemap'] : [];
  // A module cache of the session's own, empty at the start (a user's first build), so
  // that no earlier run's entries make the first build a warm one; edits that bring back an
  // earlier text of a module read it from there, as they would for a user.
  const cache = ['--cache-dir', path.join(work, 'module-cache')];
  const child = spawn(VERDE, ['build', entry, '--format', 'esm', '--outfile', outfile, '--watch', ...cache, ...minMap], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, RUST_BACKTRACE: '' },
  });
  const lines = [];
  let waiter = null;
  let buffer = '';
  child.stderr.on('data', (chunk) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!line.startsWith('[verde]')) continue;
      lines.push({ line, at: performance.now() });
      if (waiter) { const w = waiter; waiter = null; w(); }
    }
  });
  const nextLine = () => new Promise((resolve, reject) => {
    if (lines.length) return resolve(lines.shift());
    const timer = setTimeout(() => reject(new Error('timed out waiting for a rebuild')), WAIT_MS);
    waiter = () => { clearTimeout(timer); resolve(lines.shift()); };
  });
  const initial = await nextLine();
  const cold = Number(/([\d.]+) ms/.exec(initial.line)[1]);
  log(`verde initial build: ${cold} ms`);
  // A build that succeeded wrote the bundle, or left it alone because its bytes did not
  // change (an edit inside code that tree shaking drops).
  const succeeded = (line) => line.includes('; wrote ') || line.includes('; unchanged: ');
  const results = [];
  for (const [i, edit] of script.entries()) {
    await sleep(SETTLE_MS);
    lines.length = 0;
    const started = performance.now();
    apply(edit);
    const first = await nextLine();
    let tool = Number(/([\d.]+) ms/.exec(first.line)[1]);
    let failed = !succeeded(first.line);
    let unchanged = first.line.includes('; unchanged: ');
    let end = first.at;
    // A two-file edit may be seen as two bursts: count the second rebuild too.
    await sleep(SETTLE_MS);
    while (lines.length) {
      const more = lines.shift();
      tool += Number(/([\d.]+) ms/.exec(more.line)[1]);
      failed = !succeeded(more.line);
      unchanged = more.line.includes('; unchanged: ');
      end = more.at;
    }
    results.push({ kinds: edit.kinds, e2e: end - started, tool, failed, unchanged });
    if (i % 50 === 49) log(`verde: ${i + 1} edits`);
  }
  child.kill('SIGINT');
  return { cold, results };
}

// --- esbuild: context.rebuild() after the same writes -------------------------------------
async function runEsbuild(script) {
  const require = createRequire(path.join(process.env.PEERS_DIR || '/tmp/peers/tools', 'package.json'));
  const esbuild = await import(require.resolve('esbuild'));
  const ctx = await esbuild.context({
    entryPoints: [entry], outfile: path.join(work, 'esbuild.js'), bundle: true,
    format: 'esm', platform: 'browser', logLevel: 'silent',
    ...(process.env.MIN_MAP === '1' ? { minify: true, sourcemap: true } : {}),
  });
  await ctx.rebuild();
  const results = [];
  for (const [i, edit] of script.entries()) {
    apply(edit);
    const started = performance.now();
    let failed = false;
    try { await ctx.rebuild(); } catch { failed = true; /* a syntax error: as verde's, the build fails */ }
    results.push({ kinds: edit.kinds, tool: performance.now() - started, failed });
    if (i % 50 === 49) log(`esbuild: ${i + 1} edits`);
  }
  await ctx.dispose();
  return { results };
}

// --- report --------------------------------------------------------------------------------
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const median = (xs) => quantile(xs, 0.5);
const fmt = (x) => (x == null ? '–' : x < 10 ? x.toFixed(1) : String(Math.round(x)));

function table(title, results, field) {
  const kinds = [...new Set(results.flatMap((r) => r.kinds))].sort();
  console.log(`\n${title}\n`);
  console.log('| edit kind | n | median ms | p95 ms | max ms |');
  console.log('|---|---:|---:|---:|---:|');
  for (const kind of kinds) {
    const xs = results.filter((r) => r.kinds.includes(kind)).map((r) => r[field]);
    console.log(`| ${kind} | ${xs.length} | ${fmt(median(xs))} | ${fmt(quantile(xs, 0.95))} | ${fmt(Math.max(...xs))} |`);
  }
  const all = results.map((r) => r[field]);
  console.log(`| **all** | ${all.length} | ${fmt(median(all))} | ${fmt(quantile(all, 0.95))} | ${fmt(Math.max(...all))} |`);
  console.log(`\n${results.filter((r) => r.failed).length} of ${results.length} builds failed (syntax errors).`);
  const unchanged = results.filter((r) => r.unchanged).length;
  if (unchanged) console.log(`${unchanged} left the bundle unchanged (not rewritten).`);
  return all;
}

const script = makeScript();
const touchedFiles = new Set(script.flatMap((e) => e.ops.map((o) => o.rel)));
log(`${script.length} edits over ${touchedFiles.size} files (seed ${SEED})`);
try {
  const verde = await runVerde(script);
  restore();
  const e2e = table('verde, file write to rebuild reported (end to end)', verde.results, 'e2e');
  table('verde, rebuild time it reports', verde.results, 'tool');
  let esbuildMedian = null;
  if (!process.env.SKIP_ESBUILD) {
    const esbuild = await runEsbuild(script);
    esbuildMedian = median(table('esbuild, context.rebuild()', esbuild.results, 'tool'));
  }
  const kinds = [...new Set(verde.results.flatMap((r) => r.kinds))];
  const worstMedian = Math.max(...kinds.map((k) => median(verde.results.filter((r) => r.kinds.includes(k)).map((r) => r.e2e))));
  console.log(`\nverde cold build (watch mode's first build): ${fmt(verde.cold)} ms`);
  console.log(`verde p95 over all edits, end to end: ${fmt(quantile(e2e, 0.95))} ms` +
    (esbuildMedian ? ` = ${(quantile(e2e, 0.95) / esbuildMedian).toFixed(3)}x esbuild's median rebuild (${fmt(esbuildMedian)} ms)` : ''));
  console.log(`verde's slowest kind, median end to end: ${fmt(worstMedian)} ms = ${(worstMedian / verde.cold).toFixed(3)}x its cold build`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
