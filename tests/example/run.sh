#!/usr/bin/env bash
# Builds verde, installs three.js from the npm registry, bundles it, and runs the bundle in
# node. This is the README's first command: verde on a real example, end to end.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$repo/target/example"
mkdir -p "$work"

echo "==> building verde (release)"
cargo build --release --manifest-path "$repo/Cargo.toml" --bin verde

echo "==> installing three@0.187.0 into $work"
cd "$work"
[ -f package.json ] || echo '{ "name": "verde-example", "private": true, "type": "module" }' > package.json
npm install --no-audit --no-fund --save-exact three@0.187.0 >/dev/null

cat > entry.js <<'JS'
export * from 'three';
JS

echo "==> bundling three.js"
start=$(date +%s%N)
"$repo/target/release/verde" build entry.js --format esm --outfile dist/three.bundle.mjs
end=$(date +%s%N)
echo "    dist/three.bundle.mjs: $(wc -c < dist/three.bundle.mjs) bytes in $(( (end - start) / 1000000 )) ms"

echo "==> running the bundle in node"
node --input-type=module -e "
const THREE = await import('$work/dist/three.bundle.mjs');
const v = new THREE.Vector3(1, 2, 3);
console.log('    three.js', THREE.REVISION, '- new Vector3(1, 2, 3).length() =', v.length());
if (Math.abs(v.length() - Math.sqrt(14)) > 1e-12) process.exit(1);
"
echo "==> ok"
