#!/usr/bin/env node
// steps.mjs: where a watch rebuild's time goes, per edit kind, on a copy of three.js x10.
//
// Usage:  VERDE=path/to/verde node tests/bench/steps.mjs CORPUS_DIR
// Env:    ROUNDS=5 (edits of each kind), BASE=path/to/another/verde (run both, alternating,
//         to compare two builds in the same minutes of a noisy machine)
//
// Runs `verde build --watch` with `VERDE_LOG=debug` and makes, ROUNDS times, one edit of each
// kind to `copy3/math/Vector2.js`: a body edit, a new local, an export added, renamed and
// removed, a side-effect import of a sibling added and removed (it reorders the modules), a
// module created and imported (its export read by a live statement) and deleted with its
// import. For each kind it prints the median of the time from the write to the `[verde]`
// line, and the median of each parallel step's and each whole-bundle query's span (a
// query's span covers its own run, not the confirmation of its inputs that salsa does
// before it; `-`: it did not run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const corpusDir = path.resolve(process.argv[2] || '');
const VERDE = process.env.VERDE;
if (!process.argv[2] || !VERDE) {
  console.error('usage: VERDE=path/to/verde node steps.mjs CORPUS_DIR');
  process.exit(2);
}
const ROUNDS = Number(process.env.ROUNDS || 5);
const SPANS = /DEBUG (?:\S*:)?(?:step\{step="([^"]+)"\}|(liveness|binding_users|naming_requests|tentative_names|name_collisions|names_respecting_collisions|names_respecting_every_scope|chunk_graph|module_graph|module_links|render_chunk)): \S+: close time\.busy=([\d.]+)(ms|µs|ns|s)\b/;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const toMs = (value, unit) => ({ ms: 1, µs: 1e-3, ns: 1e-6, s: 1e3 })[unit] * Number(value);

async function run(verde) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'verde-steps-'));
  const root = path.join(work, 'three10');
  fs.cpSync(path.join(corpusDir, 'three10'), root, { recursive: true });
  const target = path.join(root, 'copy3/math/Vector2.js');
  const original = fs.readFileSync(target, 'utf8');
  const child = spawn(
    verde,
    ['build', path.join(root, 'entry.js'), '--outfile', path.join(work, 'out.js'), '--watch', '--no-cache'],
    { env: { ...process.env, VERDE_LOG: 'debug' } },
  );
  let pending = '';
  let spans = [];
  let waiter = null;
  const onData = (data) => {
    pending += data;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) {
      if (line.includes('[verde]')) {
        const done = waiter;
        waiter = null;
        done?.({ line, spans });
        spans = [];
        continue;
      }
      const match = SPANS.exec(line);
      if (match) spans.push([match[1] ?? match[2], toMs(match[3], match[4])]);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const rebuilt = () => new Promise((resolve) => { waiter = resolve; });
  await rebuilt();

  const stats = new Map(); // kind -> { total: [], spans: Map(name -> []) }
  const edit = async (kind, write) => {
    await sleep(250);
    const start = performance.now();
    write();
    const { line, spans: seen } = await rebuilt();
    if (/error/i.test(line)) throw new Error(`${kind}: ${line}`);
    const entry = stats.get(kind) ?? { total: [], spans: new Map() };
    entry.total.push(performance.now() - start);
    const sums = new Map();
    for (const [name, ms] of seen) sums.set(name, (sums.get(name) ?? 0) + ms);
    for (const [name, ms] of sums) entry.spans.set(name, [...(entry.spans.get(name) ?? []), ms]);
    stats.set(kind, entry);
  };
  const write = (text) => () => fs.writeFileSync(target, text);
  const body = (line) => original.replace('constructor( x = 0, y = 0 ) {', `constructor( x = 0, y = 0 ) {\n\t\t${line}`);
  for (let round = 0; round < ROUNDS; round++) {
    const created = path.join(root, `copy3/math/VerdeSteps${round}.js`);
    await edit('body', write(body(`this.verdeSteps = ${round};`)));
    await edit('new-local', write(body(`const verdeLocal${round} = ${round};`)));
    await edit('export+', write(`${original}\nexport const verdeExport${round} = ${round};\n`));
    await edit('export-ren', write(`${original}\nexport const verdeExport${round}r = ${round};\n`));
    await edit('export-', write(original));
    await edit('import+', write(`import './Vector4.js';\n${original}`));
    await edit('import-', write(original));
    fs.writeFileSync(created, `export const verdeMade${round} = ${round};\n`);
    await edit('file+', write(`import { verdeMade${round} } from './VerdeSteps${round}.js';\nglobalThis.verdeMade = verdeMade${round};\n${original}`));
    await edit('file-', () => { fs.writeFileSync(target, original); fs.unlinkSync(created); });
  }
  child.kill('SIGINT');
  fs.rmSync(work, { recursive: true, force: true });
  return stats;
}

function print(label, stats) {
  const names = [...new Set([...stats.values()].flatMap((entry) => [...entry.spans.keys()]))];
  console.log(`\n${label}\n`);
  console.log(`| kind | end to end | ${names.join(' | ')} |`);
  console.log(`|---|---:|${names.map(() => '---:').join('|')}|`);
  for (const [kind, entry] of stats) {
    const cells = names.map((name) => (entry.spans.has(name) ? median(entry.spans.get(name)).toFixed(1) : '-'));
    console.log(`| ${kind} | ${median(entry.total).toFixed(1)} | ${cells.join(' | ')} |`);
  }
}

const binaries = process.env.BASE ? [process.env.BASE, VERDE, process.env.BASE, VERDE] : [VERDE];
for (const binary of binaries) print(binary, await run(binary));
