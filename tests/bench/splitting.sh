#!/usr/bin/env bash
# Code splitting next to esbuild (--splitting) and rolldown: three entries and one module
# loaded by import(), over lodash-es and rxjs from the shared corpora (an app whose entries
# share a utility library and a reactive one, and a lazily loaded route). Every bundler
# writes ES module chunks into its own directory.
#
# Per bundler: one untimed run, then RUNS timed runs of a fresh process. Reported: median
# wall time (ms, whole process), min–max, the number of files, their total size, and
# whether the output works: node imports the three entries from it, one after the other,
# and must print what it prints importing them unbundled.
#
# Usage:  bash tests/bench/splitting.sh            (installs peers and corpora first)
# Env:    BENCH_DIR=target/peers  RUNS=7  BUNDLERS="esbuild rolldown verde"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source tests/bench/setup.sh
verde="$PWD/target/release/verde"
RUNS="${RUNS:-7}"
BUNDLERS="${BUNDLERS:-esbuild rolldown verde}"
tools="$bench_dir/tools/node_modules/.bin"
work="$bench_dir/splitting"
rm -rf "$work" && mkdir -p "$work"
ln -s "$bench_dir/corpora/node_modules" "$work/node_modules"
cd "$work"
echo '{ "type": "module" }' > package.json
cat > e1.js <<'JS'
import { debounce, throttle, map } from 'lodash-es';
console.log('e1', typeof debounce, typeof throttle, map([1, 2], (x) => x * 2));
export const e1 = 1;
JS
cat > e2.js <<'JS'
import { merge, cloneDeep, map } from 'lodash-es';
import { of, map as rxMap, firstValueFrom } from 'rxjs';
console.log('e2', merge({ a: 1 }, { b: 2 }), cloneDeep([1, [2]]), map([3], String));
console.log('e2 rx', await firstValueFrom(of(1, 2).pipe(rxMap((x) => x * 10))));
const route = await import('./route.js');
console.log('e2 route', route.run(), await route.viaRx);
JS
cat > e3.js <<'JS'
import { debounce, merge } from 'lodash-es';
import { of } from 'rxjs';
console.log('e3', typeof debounce, merge({}, { c: 3 }), typeof of);
JS
cat > route.js <<'JS'
import { chunk, sortBy } from 'lodash-es';
import { from, toArray, lastValueFrom } from 'rxjs';
export function run() { return JSON.stringify([chunk([1, 2, 3, 4], 2), sortBy([3, 1, 2])]); }
export const viaRx = lastValueFrom(from([1, 2]).pipe(toArray()));
JS
cat > driver.mjs <<'JS'
for (const entry of ['e1.js', 'e2.js', 'e3.js']) await import(`${process.argv[2]}/${entry}`);
JS
expected="$(node driver.mjs .)"

command_for() {
  case "$1" in
    esbuild) echo "$tools/esbuild e1.js e2.js e3.js --bundle --splitting --format=esm --outdir=out-esbuild --log-level=error" ;;
    rolldown) echo "$tools/rolldown e1.js e2.js e3.js --format esm --dir out-rolldown --log-level silent" ;;
    verde) echo "$verde build e1.js e2.js e3.js --outdir out-verde" ;;
  esac
}

printf '| bundler | wall ms (median) | min–max | files | total KB | works |\n|---|---:|---:|---:|---:|---|\n'
for bundler in $BUNDLERS; do
  command="$(command_for "$bundler")"
  rm -rf "out-$bundler"
  $command >/dev/null 2>&1 || { echo "| $bundler | failed | | | | no |"; continue; }
  read -r median fastest slowest _ <<<"$(time_runs "$RUNS" "out-$bundler" $command)"
  files=$(find "out-$bundler" -name '*.js' | wc -l)
  bytes=$(find "out-$bundler" -name '*.js' -exec cat {} + | wc -c)
  works=no
  [ "$(node driver.mjs "./out-$bundler" 2>&1)" = "$expected" ] && works=ok
  printf '| %s | %d | %d–%d | %d | %d | %s |\n' "$bundler" "$median" "$fastest" "$slowest" \
    "$files" $(( bytes / 1024 )) "$works"
done
