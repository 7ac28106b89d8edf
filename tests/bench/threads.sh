#!/usr/bin/env bash
# Parallel speed-up of the verde CLI: median wall time of cold builds with --threads 1 and
# --threads 2 (alternating, so machine noise hits both alike), per corpus.
#
# Usage:  bash tests/bench/threads.sh [CORPUS...]   (default: every JS corpus)
# Env:    BENCH_DIR=target/peers (corpora go to $BENCH_DIR/corpora), RUNS=7, THREADS="1 2"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

bench_dir="${BENCH_DIR:-target/peers}"
runs="${RUNS:-7}"
threads="${THREADS:-1 2}"
mkdir -p "$bench_dir"
bench_dir="$(cd "$bench_dir" && pwd)"
verde="$PWD/target/release/verde"

cargo build --release --quiet
bash ../shared/bench/corpora.sh "$bench_dir/corpora" >/dev/null
if [ "$#" -eq 0 ]; then
  set -- three three10 lodash-es rxjs date-fns
fi

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
printf '| corpus |'; for t in $threads; do printf ' %s thread(s) ms |' "$t"; done
printf ' speed-up |\n|---|'; for _ in $threads; do printf -- '---:|'; done; printf -- '---:|\n'
for corpus in "$@"; do
  for _ in $(seq "$runs"); do
    for t in $threads; do
      start=$(date +%s%N)
      (cd "$bench_dir/corpora" && "$verde" build "$corpus/entry.js" --outfile "$out/bundle.js" --threads "$t")
      echo $(( ($(date +%s%N) - start) / 1000000 )) >> "$out/$corpus-$t"
    done
  done
  printf '| %s |' "$corpus"
  first=""; last=""
  for t in $threads; do
    m=$(median < "$out/$corpus-$t")
    printf ' %s |' "$m"
    first="${first:-$m}"; last="$m"
  done
  awk -v a="$first" -v b="$last" 'BEGIN { printf " %.2fx |\n", a / b }'
done
