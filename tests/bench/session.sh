#!/usr/bin/env bash
# An editing session on three.js x10 (at least 200 seeded edits over at least 30 files),
# replayed through `verde build --watch` and through esbuild's `context.rebuild()`: builds the
# release binary, installs esbuild and the corpora with the shared scripts (npm registry),
# then runs tests/bench/session.mjs. See docs/benchmarks.md.
#
# Usage:  bash tests/bench/session.sh
# Env:    BENCH_DIR=target/peers   where peers and corpora go
#         EDITS=240 FILES=36 SEED=1 SKIP_ESBUILD=1 MIN_MAP=1   passed on to session.mjs
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# shellcheck source=tests/bench/setup.sh
source tests/bench/setup.sh

VERDE="$PWD/target/release/verde" PEERS_DIR="$bench_dir/tools" \
  node tests/bench/session.mjs "$bench_dir/corpora"
