#!/usr/bin/env bash
# The on-disk module cache on a corpus of ../shared/bench/corpora.sh (three.js x10 by
# default), with esbuild for scale. Each round, in this order, each a fresh process:
#   cold        verde --no-cache (no cache read or written)
#   cold+write  verde with an empty cache directory (what writing the cache costs)
#   warm        verde again with that directory (a new process finding every module)
#   cold+upload verde with an empty cache directory and an empty remote cache (nginx with
#               WebDAV on 127.0.0.1, as tests/remote_cache.rs runs it): compiles, writes
#               the local cache and uploads the build's pack
#   warm-remote verde with another empty cache directory and that remote cache (a new
#               machine: every module from the remote cache, then kept locally)
#   esbuild     esbuild --bundle with the same options
# Reported: per kind, the median wall time (ms, whole process) and CPU (user+sys) over the
# rounds, each as a ratio of cold's, and the cache's size (entries and file) after a round.
# The warm builds' output is compared byte for byte with the cold one's. Without nginx
# (apt-get install nginx) the remote rows are left out.
#
# Usage:  bash tests/bench/cache.sh [CORPORA_DIR]       (default /tmp/peers/corpora)
# Env:    CORPUS=three10   CONFIG=plain|min+map   ROUNDS=7
#         VERDE=target/release/verde   PEERS_DIR=/tmp/peers/tools (esbuild; installed there
#         with ../shared/bench/peers.sh when missing)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

CORPORA="${1:-/tmp/peers/corpora}"
CORPUS="${CORPUS:-three10}"
CONFIG="${CONFIG:-plain}"
ROUNDS="${ROUNDS:-7}"
VERDE="${VERDE:-$PWD/target/release/verde}"
PEERS_DIR="${PEERS_DIR:-/tmp/peers/tools}"

[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
[ -x "$VERDE" ] || { echo "no verde binary at $VERDE: cargo build --release" >&2; exit 1; }
[ -f "$CORPORA/$CORPUS/entry.js" ] || bash ../shared/bench/corpora.sh "$CORPORA" >/dev/null
[ -x "$PEERS_DIR/node_modules/.bin/esbuild" ] || bash ../shared/bench/peers.sh "$PEERS_DIR" >/dev/null

entry="$CORPORA/$CORPUS/entry.js"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
case "$CONFIG" in
  plain) verde_flags=(); esbuild_flags=() ;;
  min+map) verde_flags=(--minify --sourcemap); esbuild_flags=(--minify --sourcemap) ;;
  *) echo "CONFIG is plain or min+map" >&2; exit 2 ;;
esac

nginx="$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)"
kinds=(cold cold+write warm)
if [ -n "$nginx" ]; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  bash tests/nginx/webdav.sh "$work/nginx" "$port" &
  nginx_pid=$!
  trap 'kill $nginx_pid 2>/dev/null; rm -rf "$work"' EXIT
  until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null; do sleep 0.1; done
  remote=(--remote-cache "http://127.0.0.1:$port")
  kinds+=(cold+upload warm-remote)
else
  echo "no nginx: the remote cache rows are left out" >&2
fi
kinds+=(esbuild)

# Runs a command; appends "wall_ms cpu_ms" to the file named by $1.
timed() {
  local into="$1"; shift
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>&1
  awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$work/time" >> "$into"
}

for round in $(seq "$ROUNDS"); do
  timed "$work/cold" "$VERDE" build "$entry" --format esm --outfile "$work/cold.mjs" --no-cache "${verde_flags[@]}"
  rm -rf "$work/cache"
  timed "$work/cold+write" "$VERDE" build "$entry" --format esm --outfile "$work/out.mjs" --cache-dir "$work/cache" "${verde_flags[@]}"
  timed "$work/warm" "$VERDE" build "$entry" --format esm --outfile "$work/out.mjs" --cache-dir "$work/cache" "${verde_flags[@]}"
  cmp -s <(sed 's/out\.mjs/cold.mjs/g' "$work/out.mjs") "$work/cold.mjs" || { echo "warm output differs from cold" >&2; exit 1; }
  if [ -n "$nginx" ]; then
    rm -rf "$work/nginx/store/"* "$work/upload-cache" "$work/remote-cache"
    timed "$work/cold+upload" "$VERDE" build "$entry" --format esm --outfile "$work/out.mjs" --cache-dir "$work/upload-cache" "${remote[@]}" "${verde_flags[@]}"
    timed "$work/warm-remote" "$VERDE" build "$entry" --format esm --outfile "$work/out.mjs" --cache-dir "$work/remote-cache" "${remote[@]}" "${verde_flags[@]}"
    cmp -s <(sed 's/out\.mjs/cold.mjs/g' "$work/out.mjs") "$work/cold.mjs" || { echo "warm-remote output differs from cold" >&2; exit 1; }
  fi
  timed "$work/esbuild" "$PEERS_DIR/node_modules/.bin/esbuild" "$entry" --bundle --format=esm --outfile="$work/esbuild.mjs" --log-level=error "${esbuild_flags[@]}"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
cold_wall=$(cut -d' ' -f1 "$work/cold" | median)
cold_cpu=$(cut -d' ' -f2 "$work/cold" | median)
echo "### $CORPUS, $CONFIG, $ROUNDS rounds (load $(cut -d' ' -f1 /proc/loadavg))"
echo
echo "| build | wall ms (median) | x cold | CPU ms (median) | x cold |"
echo "|---|---:|---:|---:|---:|"
for kind in "${kinds[@]}"; do
  wall=$(cut -d' ' -f1 "$work/$kind" | median)
  cpu=$(cut -d' ' -f2 "$work/$kind" | median)
  echo "| $kind | $wall | $(awk -v a="$wall" -v b="$cold_wall" 'BEGIN { printf "%.2f", a / b }') | $cpu | $(awk -v a="$cpu" -v b="$cold_cpu" 'BEGIN { printf "%.2f", a / b }') |"
done
echo
"$VERDE" cache stats --cache-dir "$work/cache" | sed 's/^/    /'
if [ -n "$nginx" ]; then
  echo "    remote: $(du -sb "$work/nginx/store" | cut -f1) bytes on the server"
fi
