#!/usr/bin/env bash
# Instructions a watch rebuild executes, counted by valgrind's callgrind: the same on every
# run, unlike wall time on a shared machine, so two builds compare within minutes of each
# other however noisy the machine. Runs `verde build --watch` on a copy of three.js x10
# under callgrind, makes one warm-up edit, zeroes the counters, makes PAIRS edit pairs of
# one KIND to copy3/math/Vector2.js, and prints the total and the whole-bundle queries'
# inclusive counts (rayon's threads wait by spinning for a moment, so a total moves by a
# few million between runs of one binary; a query's count does not).
#
#   file:   a module created and imported (its export read by a live statement), then
#           deleted with its import
#   export: an export added, then removed
#   body:   a line added in a function body, then removed
#
# Usage:  bash tests/bench/instructions.sh VERDE [KIND] [PAIRS]   (default: file 3)
# Env:    BENCH_DIR=target/peers (corpora go to $BENCH_DIR/corpora)
# Needs valgrind (callgrind_control, callgrind_annotate): `apt-get install valgrind`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

verde="$(realpath "${1:?usage: instructions.sh VERDE [KIND] [PAIRS]}")"
kind="${2:-file}"
pairs="${3:-3}"
bench_dir="${BENCH_DIR:-target/peers}"
mkdir -p "$bench_dir"
bench_dir="$(cd "$bench_dir" && pwd)"
bash ../shared/bench/corpora.sh "$bench_dir/corpora" >/dev/null

work="$(mktemp -d)"
cleanup() {
  pkill -f "build $work/three10" 2>/dev/null || true
  wait 2>/dev/null || true
  cp "$work"/callgrind.out.* /tmp/s4/ 2>/dev/null; rm -rf "$work"
}
trap cleanup EXIT
cp -r "$bench_dir/corpora/three10" "$work/"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
  "$verde" build "$work/three10/entry.js" --outfile "$work/out.js" --watch --no-cache \
  >"$work/log.txt" 2>&1 &
# Under callgrind a cold build takes about half a minute, a rebuild a few seconds.
wait_for_rebuilds() {
  for _ in $(seq 300); do
    [ "$(grep -c '^\[verde\]' "$work/log.txt" || true)" -ge "$1" ] && return 0
    sleep 0.5
  done
  echo "no rebuild after 150 s; log:" >&2
  cat "$work/log.txt" >&2
  exit 1
}
rebuilds=1
wait_for_rebuilds "$rebuilds"
dir="$work/three10/copy3/math"
target="$dir/Vector2.js"
original="$(cat "$target")"
rebuilt() {
  rebuilds=$((rebuilds + 1))
  wait_for_rebuilds "$rebuilds"
}
restore() { printf '%s\n' "$original" >"$target"; }
printf '%s\nexport const verdeWarm = 1;\n' "$original" >"$target"
rebuilt
restore
rebuilt
pid="$(pgrep -f "callgrind.*build $work/three10" | head -1)"
callgrind_control -z "$pid" >/dev/null 2>&1
for i in $(seq "$pairs"); do
  case "$kind" in
    file)
      echo "export const verdeFresh$i = $i;" >"$dir/verde_fresh_$i.js"
      printf "import { verdeFresh$i } from './verde_fresh_$i.js';\nglobalThis.verdeFresh = verdeFresh$i;\n%s\n" "$original" >"$target"
      rebuilt
      restore
      rm "$dir/verde_fresh_$i.js"
      rebuilt
      ;;
    export)
      printf '%s\nexport const verdeAdded%s = %s;\n' "$original" "$i" "$i" >"$target"
      rebuilt
      restore
      rebuilt
      ;;
    body)
      sed "s/constructor( x = 0, y = 0 ) {/& this.verdeBody = $i;/" <<<"$original" >"$target"
      rebuilt
      restore
      rebuilt
      ;;
    *)
      echo "unknown kind $kind (file, export, body)" >&2
      exit 2
      ;;
  esac
done
callgrind_control -d "$pid" >/dev/null 2>&1
sleep 1
report="$(ls "$work"/callgrind.out.* | head -1)"
edits=$((pairs * 2))
echo "$verde, $edits $kind edits after a warm-up pair, instructions per edit:"
callgrind_annotate "$report" 2>/dev/null | awk -v n="$edits" '/PROGRAM TOTALS/ { gsub(",", "", $1); printf "  total: %.1f M\n", $1 / n / 1e6 }'
# Each query's inclusive count, once per query (its execute function's first line).
callgrind_annotate --inclusive=yes "$report" 2>/dev/null |
  grep -E '_Configuration_ as salsa::function::Configuration>::execute' |
  sed -E 's/^ *([0-9,]+) .*<verde_queries::(.*)::_::([a-z_]+)_Configuration_.*/\1 \2::\3/' |
  awk -v n="$edits" '!seen[$2]++ { gsub(",", "", $1); if ($1 / n > 1e6) printf "  %-50s %6.1f M\n", $2, $1 / n / 1e6 }'
