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
