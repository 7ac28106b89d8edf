#!/usr/bin/env bash
# Cold builds of the real corpora by the verde CLI, side by side with esbuild and rolldown:
# builds the release binary, installs the pinned peers and corpora with the shared scripts
# (npm registry), then runs ../shared/bench/run-peers.sh with a `verde` row.
#
# Usage:  bash tests/bench/peers.sh [CORPUS...]        (default: every JS corpus)
# Env:    BENCH_DIR=target/peers   where peers, corpora and results go
#         PEERS="esbuild rolldown" RUNS=5 CONFIGS=plain  passed on to run-peers.sh
#         VERDE_THREADS=N          verde's threads (default: every core)
# Results: $BENCH_DIR/out/results.md (also printed). See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# shellcheck source=tests/bench/setup.sh
source tests/bench/setup.sh

if [ "$#" -eq 0 ]; then
  set -- three three10 lodash-es rxjs date-fns
fi
VERDE="$PWD/target/release/verde" \
PEERS_DIR="$bench_dir/tools" \
OUT_DIR="$bench_dir/out" \
PEERS="${PEERS:-esbuild rolldown}" \
CONFIGS="${CONFIGS:-plain}" \
INCREMENTAL="${INCREMENTAL:-0}" \
  bash "$shared/run-peers.sh" "$bench_dir/corpora" "$@"
