#!/usr/bin/env bash
# A CommonJS-heavy corpus, bundled for node by esbuild, rolldown and verde side by side:
# lodash (one 540 KB CommonJS file), moment (UMD), react + react-dom/server 18 (CommonJS that
# picks its development or production build on process.env.NODE_ENV), pinned, installed from
# the npm registry into BENCH_DIR. The entry imports all four and server-renders a list.
# Every bundler gets --platform node, ES module output and
# --define process.env.NODE_ENV="production".
#
# Per bundler: WARMUP untimed runs, then RUNS timed runs of a fresh process. Reported: median
# wall time (ms, whole process), min–max, median CPU (user+sys), median peak RSS
# (/usr/bin/time -v), output size, and whether the bundle works: node runs it and must print
# what node prints running the entry unbundled with NODE_ENV=production.
# (../shared/bench/run-peers.sh cannot take this corpus: it bundles for the browser with no
# define, and its check-bundle.mjs knows only its own corpora.)
#
# Usage:  bash tests/bench/cjs.sh
# Env:    BENCH_DIR=target/bench-cjs      corpus, bundles, logs, results.md
#         PEERS_DIR=/tmp/peers/tools      esbuild and rolldown (installed there with
#                                         ../shared/bench/peers.sh when missing)
#         VERDE=target/release/verde      the verde binary (row skipped when missing; build it
#                                         with `cargo build --release`)
#         BUNDLERS="esbuild rolldown verde" RUNS=5 WARMUP=1 TIMEOUT_S=300
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

bench_dir="${BENCH_DIR:-target/bench-cjs}"
mkdir -p "$bench_dir"
bench_dir="$(cd "$bench_dir" && pwd)"
PEERS_DIR="${PEERS_DIR:-/tmp/peers/tools}"
VERDE="${VERDE:-$PWD/target/release/verde}"
BUNDLERS="${BUNDLERS:-esbuild rolldown verde}"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-1}"
TIMEOUT_S="${TIMEOUT_S:-300}"

[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
if [ ! -x "$PEERS_DIR/node_modules/.bin/esbuild" ] || [ ! -d "$PEERS_DIR/node_modules/rolldown" ]; then
  bash ../shared/bench/peers.sh "$PEERS_DIR" >/dev/null
fi
PEERS_DIR="$(cd "$PEERS_DIR" && pwd)"
ESBUILD_BIN="$PEERS_DIR/node_modules/@esbuild/linux-x64/bin/esbuild"
[ -x "$ESBUILD_BIN" ] || ESBUILD_BIN="$PEERS_DIR/node_modules/.bin/esbuild"

# ---- corpus ----------------------------------------------------------------------------
corpus="$bench_dir/corpus"
mkdir -p "$corpus" "$bench_dir/out" "$bench_dir/logs"
cat > "$corpus/package.json.new" <<'JSON'
{
  "name": "verde-bench-cjs",
  "private": true,
  "type": "module",
  "dependencies": {
    "lodash": "4.17.21",
    "moment": "2.30.1",
    "react": "18.3.1",
    "react-dom": "18.3.1"
  }
}
JSON
if ! cmp -s "$corpus/package.json.new" "$corpus/package.json"; then
  mv "$corpus/package.json.new" "$corpus/package.json"
else
  rm "$corpus/package.json.new"
fi
(cd "$corpus" && npm install --no-audit --no-fund --loglevel=error >/dev/null)

cat > "$corpus/entry.mjs" <<'JS'
import _ from 'lodash';
import moment from 'moment';
import React from 'react';
import { renderToString } from 'react-dom/server';

const h = React.createElement;
function Day({ offset }) {
  const [label] = React.useState(() => moment.utc(offset * 86400000).format('ddd D MMM YYYY'));
  return h('li', { className: _.kebabCase('Day Item') }, label);
}
const days = _.range(5).map((offset) => h(Day, { key: offset, offset }));
console.log(renderToString(h('ul', null, days)));
console.log(_.chunk(_.shuffle(_.range(10)).sort((a, b) => a - b), 3).length, moment.duration(90, 'minutes').humanize());
JS

# rolldown through its API (its CLI spells a define as nested options).
cat > "$bench_dir/rolldown.mjs" <<'JS'
const [peersDir, entry, outfile] = process.argv.slice(2);
const { rolldown } = await import(`${peersDir}/node_modules/rolldown/dist/index.mjs`);
const bundle = await rolldown({
  input: entry,
  platform: 'node',
  logLevel: 'silent',
  transform: { define: { 'process.env.NODE_ENV': '"production"' } },
});
await bundle.write({ file: outfile, format: 'esm', codeSplitting: false });
await bundle.close();
JS

expected="$bench_dir/out/expected.txt"
(cd "$corpus" && NODE_ENV=production node entry.mjs) > "$expected"

# ---- runs ------------------------------------------------------------------------------
# command_for BUNDLER OUTFILE -> CMD=(...)
command_for() {
  local out="$2"
  case "$1" in
    esbuild) CMD=("$ESBUILD_BIN" "$corpus/entry.mjs" --bundle --platform=node --format=esm --log-level=error
                  '--define:process.env.NODE_ENV="production"'
                  '--banner:js=import{createRequire}from"node:module";const require=createRequire(import.meta.url);'
                  "--outfile=$out") ;;
    rolldown) CMD=(node "$bench_dir/rolldown.mjs" "$PEERS_DIR" "$corpus/entry.mjs" "$out") ;;
    verde) CMD=("$VERDE" build "$corpus/entry.mjs" --platform node --format esm
                --define 'process.env.NODE_ENV="production"' --outfile "$out") ;;
    *) echo "unknown bundler $1" >&2; return 1 ;;
  esac
}

# measure_once LOG -> LAST_MS LAST_CPU_MS LAST_KB LAST_RC
measure_once() {
  local tf t0 t1
  tf="$(mktemp)"
  t0=$(date +%s%N)
  set +e
  /usr/bin/time -v -o "$tf" timeout "$TIMEOUT_S" "${CMD[@]}" >>"$1" 2>&1
  LAST_RC=$?
  set -e
  t1=$(date +%s%N)
  LAST_MS=$(( (t1 - t0) / 1000000 ))
  LAST_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
  LAST_CPU_MS=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%d", s * 1000}' "$tf")
  rm -f "$tf"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

results="$bench_dir/results.md"
: > "$results"
say() { echo "$@" | tee -a "$results"; }

say "## CommonJS corpus (lodash, moment, react + react-dom/server), $(date -u +%Y-%m-%dT%H:%MZ)"
say
say "- machine: $(nproc) cores, node $(node -v), load1 $(cut -d' ' -f1 /proc/loadavg); $WARMUP warm-up + $RUNS timed runs"
say "- esbuild $("$ESBUILD_BIN" --version), rolldown $(node -p 'require(process.argv[1]).version' "$PEERS_DIR/node_modules/rolldown/package.json")"
[ -x "$VERDE" ] && say "- verde: $("$VERDE" --version 2>/dev/null || echo "$VERDE")"
say
say "| bundler | wall ms (median) | min–max ms | CPU ms (median) | peak RSS MB (median) | output KB | works | n |"
say "|---|---:|---:|---:|---:|---:|---|---:|"
for bundler in $BUNDLERS; do
  if [ "$bundler" = verde ] && [ ! -x "$VERDE" ]; then
    say "| verde | – | – | – | – | – | skipped (no binary at $VERDE) | 0 |"
    continue
  fi
  out="$bench_dir/out/$bundler.mjs"
  log="$bench_dir/logs/$bundler.log"
  : > "$log"
  rm -f "$out"
  command_for "$bundler" "$out"
  echo "[bench-cjs] $bundler" >&2
  failed=0
  for ((w = 0; w < WARMUP; w++)); do
    measure_once "$log"
    if [ "$LAST_RC" -ne 0 ]; then failed=$LAST_RC; break; fi
  done
  ms=() cpu=() kb=()
  if [ "$failed" -eq 0 ]; then
    for ((r = 0; r < RUNS; r++)); do
      measure_once "$log"
      if [ "$LAST_RC" -ne 0 ]; then failed=$LAST_RC; break; fi
      ms+=("$LAST_MS"); cpu+=("$LAST_CPU_MS"); kb+=("$LAST_KB")
    done
  fi
  if [ "$failed" -ne 0 ] || [ "${#ms[@]}" -eq 0 ]; then
    say "| $bundler | – | – | – | – | – | FAILED (exit $failed: $(grep -m1 -i error "$log" | cut -c1-80 | tr '|' '/')) | 0 |"
    continue
  fi
  works="ok"
  if ! node "$out" > "$bench_dir/out/$bundler.txt" 2> "$bench_dir/logs/$bundler.run.log"; then
    works="crashed: $(grep -m1 Error "$bench_dir/logs/$bundler.run.log" | cut -c1-80 | tr '|' '/')"
  elif ! cmp -s "$expected" "$bench_dir/out/$bundler.txt"; then
    works="output differs from node's"
  fi
  say "| $bundler | $(printf '%s\n' "${ms[@]}" | median) | $(printf '%s\n' "${ms[@]}" | sort -n | head -1)–$(printf '%s\n' "${ms[@]}" | sort -n | tail -1) | $(printf '%s\n' "${cpu[@]}" | median) | $(printf '%s\n' "${kb[@]}" | median | awk '{printf "%d", $1/1024}') | $(( $(stat -c %s "$out") / 1024 )) | $works | ${#ms[@]} |"
done
say
echo "results: $results" >&2
