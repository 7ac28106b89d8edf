#!/usr/bin/env node
// Differential test of a bundler over real npm packages (packages.mjs, pinned in package.json):
// each package is bundled for node as an ES module and the bundle's exports are compared with
// what node's own `import` of the package gives. Node is the oracle; nothing expected is
// written down.
//
// Usage:
//   node tests/npm/compare.mjs --bundler 'CMD ... {entry} ... {out}' --dir INSTALL_DIR
//        [--install] [--out OUT_DIR] [--json RESULTS.json] [--filter REGEX]
//        [--variants named,star] [--jobs N] [--timeout SECONDS] [--allow-fail] [--quiet]
//
//   --bundler   shell command template (run by /bin/sh with cwd = INSTALL_DIR); {entry} is the
//               entry module (an .mjs file inside INSTALL_DIR), {out} the single ES module
//               file to write; both are shell-quoted. Examples:
//                 verde build {entry} --platform node --format esm --outfile {out}
//                 esbuild {entry} --bundle --platform=node --format=esm --outfile={out}
//   --dir       where the packages are installed (INSTALL_DIR/node_modules); default: the
//               VERDE_NPM_DIR environment variable
//   --install   first copy package.json and package-lock.json there and run
//               `npm install --no-audit --no-fund`
//   --out       bundles, entries' probes and results (default: <tmpdir>/verde-npm-out); must
//               not be inside INSTALL_DIR, so that a bundle cannot quietly import a package it
//               failed to bundle
//   --json      results file (default OUT_DIR/results.json); OUT_DIR/results.txt gets the lines
//   --variants  which entries to bundle per package (default both):
//                 named  `export { <every name node's import exposes> } from 'pkg'` (the
//                        names a node program can import; `default` included when present)
//                 star   `export * from 'pkg'; export { default } from 'pkg'`
//   --allow-fail  exit 0 even when cases fail (the exit code is 2 on a harness error)
//
// Per package, node first imports it unbundled (`import * as ns from 'pkg'`, through a
// module in INSTALL_DIR), then per variant the entry is bundled and the bundle imported, each
// in a fresh node process running probe.mjs. Compared, in this order (the first difference is
// the reason): the import throwing, the sorted export names, per export its typeof, a
// function's length and a primitive's value, the sorted keys of `default` (object or
// function), and the JSON of the package's call. Output: one line per case, `PASS id` or
// `FAIL id: reason` (`id [export *]` for the star variant), then a summary line.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packages } from './packages.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROBE = path.join(HERE, 'probe.mjs');

function usage(message) {
  if (message) console.error(`compare.mjs: ${message}`);
  console.error("usage: node compare.mjs --bundler 'CMD {entry} {out}' --dir INSTALL_DIR [--install] [--out DIR] [--json FILE] [--filter REGEX] [--variants named,star] [--jobs N] [--timeout S] [--allow-fail] [--quiet]");
  process.exit(2);
}

function parseArgs(argv) {
  const options = {
    dir: process.env.VERDE_NPM_DIR,
    out: path.join(os.tmpdir(), 'verde-npm-out'),
    variants: ['named', 'star'],
    jobs: Math.max(1, Math.min(2, os.availableParallelism?.() ?? 2)),
    timeout: 120,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case '--bundler': options.bundler = value(); break;
      case '--dir': options.dir = value(); break;
      case '--out': options.out = value(); break;
      case '--json': options.json = value(); break;
      case '--filter': options.filter = new RegExp(value()); break;
      case '--variants': options.variants = value().split(',').filter(Boolean); break;
      case '--jobs': options.jobs = Number(value()); break;
      case '--timeout': options.timeout = Number(value()); break;
      case '--install': options.install = true; break;
      case '--allow-fail': options.allowFail = true; break;
      case '--quiet': options.quiet = true; break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${arg}`);
    }
  }
  if (!options.bundler) usage('--bundler is required');
  if (!options.dir) usage('--dir (or VERDE_NPM_DIR) is required');
  if (options.variants.some((variant) => !['named', 'star'].includes(variant))) usage('--variants takes named and/or star');
  if (!(options.jobs >= 1)) usage('--jobs takes a positive number');
  options.dir = path.resolve(options.dir);
  options.out = path.resolve(options.out);
  options.json = path.resolve(options.json ?? path.join(options.out, 'results.json'));
  if ((options.out + path.sep).startsWith(options.dir + path.sep)) usage('--out must not be inside --dir');
  return options;
}

const shellQuote = (value) => `'${String(value).replaceAll("'", `'\\''`)}'`;

function renderCommand(template, values) {
  return template.replace(/\{(entry|out)\}/g, (_, key) => shellQuote(values[key]));
}

function run(command, args, { cwd, timeoutMs, shell = false, env = process.env }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, shell, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => { if (stdout.length < 100_000) stdout += chunk; });
    child.stderr.on('data', (chunk) => { if (stderr.length < 100_000) stderr += chunk; });
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { try { child.kill('SIGKILL'); } catch {} }
    }, timeoutMs);
    child.on('error', (error) => { stderr += String(error); });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** One short line of a tool's output, without colors or absolute paths. */
function firstLine(text) {
  const line = text
    .split('\n')
    .map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim())
    .find((l) => l && !/^(at |file:\/\/|node:internal)/.test(l) && !/failed with \d+ error/i.test(l) && /error|cannot|not /i.test(l)) ??
    text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  return line.replace(/(file:\/\/)?[\w.@-]*\/[^\s'"`:]+/g, '<path>').slice(0, 160);
}

function install(dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ['package.json', 'package-lock.json']) {
    const from = path.join(HERE, name);
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join(dir, name));
  }
  return run('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, timeoutMs: 600_000 });
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const fileName = (id) => id.replace(/[^\w.-]+/g, '_');

async function probe(options, moduleFile, id, outJson, ns) {
  fs.rmSync(outJson, { force: true });
  const args = [PROBE, moduleFile, id, outJson];
  if (ns) args.push('--ns');
  const result = await run(process.execPath, args, { cwd: options.dir, timeoutMs: 60_000 });
  if (result.timedOut) return { threw: 'timed out (60s)' };
  if (!fs.existsSync(outJson)) return { threw: `crashed (exit ${result.code}): ${firstLine(result.stderr)}` };
  return JSON.parse(fs.readFileSync(outJson, 'utf8'));
}

const list = (names, limit = 4) =>
  names.slice(0, limit).join(', ') + (names.length > limit ? ` (+${names.length - limit} more)` : '');
const short = (value, limit = 100) => {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > limit ? `${text.slice(0, limit)}...` : text;
};

/** The first difference between node's view (oracle) and the bundle's, or null. */
function difference(oracle, bundle) {
  if (bundle.threw) return `import threw: ${bundle.threw}`;
  const missing = oracle.names.filter((name) => !bundle.names.includes(name));
  const extra = bundle.names.filter((name) => !oracle.names.includes(name));
  if (missing.length) return `missing exports: ${list(missing)}${extra.length ? `; extra: ${list(extra)}` : ''}`;
  if (extra.length) return `extra exports: ${list(extra)}`;
  for (const name of oracle.names) {
    const want = oracle.exports[name];
    const got = bundle.exports[name];
    if (want.type !== got.type) return `typeof ${name}: ${got.type}, node: ${want.type}`;
    if (want.length !== got.length) return `${name}.length: ${got.length}, node: ${want.length}`;
    if (want.value !== got.value) return `value of ${name}: ${short(got.value, 40)}, node: ${short(want.value, 40)}`;
  }
  const wantKeys = oracle.defaultKeys;
  const gotKeys = bundle.defaultKeys;
  if (wantKeys && !gotKeys) return 'default is not an object or function';
  if (!wantKeys && gotKeys) return 'default is an object or function, node: not';
  if (wantKeys) {
    const missingKeys = wantKeys.filter((key) => !gotKeys.includes(key));
    const extraKeys = gotKeys.filter((key) => !wantKeys.includes(key));
    if (missingKeys.length) return `default lacks keys: ${list(missingKeys)}`;
    if (extraKeys.length) return `default has extra keys: ${list(extraKeys)}`;
  }
  const wantCall = JSON.stringify(oracle.call);
  const gotCall = JSON.stringify(bundle.call);
  if (wantCall !== gotCall) {
    if (bundle.call?.threwInCall) return `call threw: ${bundle.call.threwInCall}`;
    return `call gave ${short(bundle.call)}, node: ${short(oracle.call)}`;
  }
  return null;
}

function entrySource(variant, specifier, names) {
  const from = JSON.stringify(specifier);
  if (variant === 'named') {
    const exported = names.filter((name) => name === 'default' || IDENTIFIER.test(name));
    return `export { ${exported.join(', ')} } from ${from};\n`;
  }
  let text = `export * from ${from};\n`;
  if (names.includes('default')) text += `export { default } from ${from};\n`;
  return text;
}

async function runPackage(options, spec) {
  const base = fileName(spec.id);
  const entries = path.join(options.dir, 'entries');
  const probes = path.join(options.out, 'probes');
  const bundles = path.join(options.out, 'bundles');
  const direct = path.join(entries, `${base}.direct.mjs`);
  fs.writeFileSync(direct, `import * as ns from ${JSON.stringify(spec.specifier)};\nexport { ns };\n`);
  const oracle = await probe(options, direct, spec.id, path.join(probes, `${base}.node.json`), true);
  const results = [];
  for (const variant of options.variants) {
    const name = variant === 'named' ? spec.id : `${spec.id} [export *]`;
    const record = (status, reason) => results.push({ name, id: spec.id, kind: spec.kind, variant, status, ...(reason ? { reason } : {}) });
    if (oracle.threw) {
      record('FAIL', `node itself cannot import it: ${oracle.threw}`);
      continue;
    }
    const entry = path.join(entries, `${base}.${variant}.mjs`);
    fs.writeFileSync(entry, entrySource(variant, spec.specifier, oracle.names));
    const out = path.join(bundles, `${base}.${variant}.mjs`);
    fs.rmSync(out, { force: true });
    const command = renderCommand(options.bundler, { entry, out });
    const build = await run(command, [], { cwd: options.dir, timeoutMs: options.timeout * 1000, shell: '/bin/sh' });
    if (build.timedOut) { record('FAIL', `build timed out (${options.timeout}s)`); continue; }
    if (build.code !== 0) { record('FAIL', `build failed (exit ${build.code}): ${firstLine(build.stderr || build.stdout)}`); continue; }
    if (!fs.existsSync(out)) { record('FAIL', 'build exited 0 but wrote no output'); continue; }
    const bundled = await probe(options, out, spec.id, path.join(probes, `${base}.${variant}.json`), false);
    const reason = difference(oracle, bundled);
    record(reason ? 'FAIL' : 'PASS', reason);
  }
  return results;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.install) {
    const result = await install(options.dir);
    if (result.code !== 0) {
      console.error(`npm install failed:\n${result.stderr}`);
      process.exit(2);
    }
  }
  if (!fs.existsSync(path.join(options.dir, 'node_modules'))) usage(`${options.dir}/node_modules is missing (use --install)`);
  for (const sub of ['probes', 'bundles']) fs.mkdirSync(path.join(options.out, sub), { recursive: true });
  fs.mkdirSync(path.join(options.dir, 'entries'), { recursive: true });

  const selected = packages.filter((spec) => !options.filter || options.filter.test(spec.id));
  const perPackage = new Array(selected.length);
  let next = 0;
  const worker = async () => {
    while (next < selected.length) {
      const index = next++;
      perPackage[index] = await runPackage(options, selected[index]);
      if (!options.quiet) {
        for (const result of perPackage[index]) {
          console.error(`[npm] ${result.status} ${result.name}`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.jobs, selected.length) }, worker));

  const results = perPackage.flat();
  const lines = results.map((r) => (r.status === 'PASS' ? `PASS ${r.name}` : `FAIL ${r.name}: ${r.reason}`));
  const summary = options.variants
    .map((variant) => {
      const of = results.filter((r) => r.variant === variant);
      const label = variant === 'named' ? 'named imports' : 'export *';
      return `${label}: ${of.filter((r) => r.status === 'PASS').length} of ${of.length} passed`;
    })
    .join('; ');
  for (const line of lines) console.log(line);
  console.log(summary);
  fs.mkdirSync(path.dirname(options.json), { recursive: true });
  fs.writeFileSync(
    options.json,
    JSON.stringify({ bundler: options.bundler, node: process.version, summary, results }, null, 2) + '\n',
  );
  fs.writeFileSync(path.join(path.dirname(options.json), 'results.txt'), [...lines, summary].join('\n') + '\n');
  const failed = results.some((r) => r.status !== 'PASS');
  process.exit(failed && !options.allowFail ? 1 : 0);
}

await main();
