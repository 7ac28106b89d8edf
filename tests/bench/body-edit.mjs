#!/usr/bin/env node
// body-edit.mjs: the body edit of `../shared/bench/incremental.mjs` (the `REVISION` string of
// three.js x10's `copy1/constants.js`), timed from the write to the new output file without
// reading the output while verde rebuilds.
//
// Usage:  VERDE=path/to/verde node tests/bench/body-edit.mjs CORPUS_DIR
// Env:    EDITS=15, SETTLE_MS=300 (the pause before each edit, as in incremental.mjs)
//
// incremental.mjs checks each new output by reading it, and its first poll after an edit
// reads the previous bundle (13 MB, tens of milliseconds in node) on a core the rebuild
// needs; a rebuild that ends meanwhile is seen only after that read. Here only the output's
// `stat` is polled, and the bundle is read once the edit's rebuild was seen, to check it.
// Prints the median, min and max end to end, and the median of the rebuild time verde's
// `[verde]` line reports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const corpusDir = path.resolve(process.argv[2] || '');
const VERDE = process.env.VERDE;
if (!process.argv[2] || !VERDE) {
  console.error('usage: VERDE=path/to/verde node body-edit.mjs CORPUS_DIR');
  process.exit(2);
}
const EDITS = Number(process.env.EDITS || 15);
const SETTLE_MS = Number(process.env.SETTLE_MS || 300);
const WAIT_MS = 60_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'verde-body-edit-'));
const root = path.join(work, 'three10');
fs.cpSync(path.join(corpusDir, 'three10'), root, { recursive: true });
const leaf = path.join(root, 'copy1', 'constants.js');
const outfile = path.join(work, 'out.js');
const original = fs.readFileSync(leaf, 'utf8');
if (!original.includes("'187'")) throw new Error(`${leaf} has no '187'`);

const child = spawn(VERDE, ['build', path.join(root, 'entry.js'), '--format', 'esm', '--outfile', outfile, '--watch'], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
const reports = [];
let pending = '';
child.stderr.on('data', (data) => {
  pending += data;
  const lines = pending.split('\n');
  pending = lines.pop();
  for (const line of lines) if (line.startsWith('[verde]')) reports.push(line);
});
const fileId = () => {
  try {
    const stat = fs.statSync(outfile);
    return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  } catch {
    return '';
  }
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  let deadline = performance.now() + WAIT_MS;
  while (reports.length === 0) {
    if (child.exitCode !== null || performance.now() > deadline) throw new Error('no initial build');
    await sleep(5);
  }
  const endToEnd = [];
  const reported = [];
  for (let i = 0; i < EDITS; i++) {
    await sleep(SETTLE_MS);
    const before = fileId();
    const seen = reports.length;
    const marker = `187-${i}`;
    const start = performance.now();
    fs.writeFileSync(leaf, original.replace("'187'", `'${marker}'`));
    deadline = start + WAIT_MS;
    while (fileId() === before) {
      if (child.exitCode !== null || performance.now() > deadline) throw new Error(`no rebuild for edit ${i}`);
      await sleep(1);
    }
    endToEnd.push(performance.now() - start);
    while (reports.length === seen) await sleep(1);
    if (!fs.readFileSync(outfile, 'utf8').includes(marker)) throw new Error(`the output of edit ${i} lacks it`);
    const ms = /, ([\d.]+) ms;/.exec(reports[reports.length - 1]);
    if (ms) reported.push(Number(ms[1]));
  }
  console.log(
    `body edit, ${EDITS} edits: end to end median ${median(endToEnd).toFixed(1)} ms ` +
      `(${Math.min(...endToEnd).toFixed(1)}–${Math.max(...endToEnd).toFixed(1)}), ` +
      `verde's reported rebuild median ${median(reported).toFixed(1)} ms`,
  );
} finally {
  child.kill('SIGINT');
  fs.rmSync(work, { recursive: true, force: true });
}
