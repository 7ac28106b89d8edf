# Sourced by the benchmark scripts that run next to the peers: builds verde's release binary
# and installs the pinned peers and the corpora with the shared scripts (npm registry) under
# BENCH_DIR. Sets `shared` (../shared/bench) and `bench_dir` (absolute). Run from the repo.
shared="$(cd ../shared/bench && pwd)"
bench_dir="${BENCH_DIR:-target/peers}"
mkdir -p "$bench_dir"
bench_dir="$(cd "$bench_dir" && pwd)"

cargo build --release --quiet
bash "$shared/peers.sh" "$bench_dir/tools" >/dev/null
bash "$shared/corpora.sh" "$bench_dir/corpora" >/dev/null

# time_runs N DIR COMMAND...: runs COMMAND N times, removing DIR (its output) before each
# run and discarding what it prints; prints the median, fastest and slowest wall ms and the
# median run's peak RSS in KB.
time_runs() {
  local n=$1 dir=$2 start line median rss
  shift 2
  local runs=() sorted=()
  for _ in $(seq "$n"); do
    rm -rf "$dir"
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$dir.rss" "$@" >/dev/null 2>&1
    runs+=("$(( ($(date +%s%N) - start) / 1000000 )) $(tail -1 "$dir.rss")")
  done
  rm -f "$dir.rss"
  while IFS= read -r line; do sorted+=("$line"); done < <(printf '%s\n' "${runs[@]}" | sort -n)
  read -r median rss <<<"${sorted[$(( n / 2 ))]}"
  echo "$median ${sorted[0]%% *} ${sorted[-1]%% *} $rss"
}
