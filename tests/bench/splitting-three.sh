#!/usr/bin/env bash
# Code splitting at the size of a real application: three.js (the shared corpus's sources)
# with ten entry files, each using a different part of it through its `Three.js` index, and
# three of them loading another by `import()`. Built by verde (--outdir), rollup (-d, the
# API with input as an array), esbuild (--splitting) and rolldown, each into its own
# directory of ES module chunks.
#
# Per bundler: one untimed run, then RUNS timed runs of a fresh process. Reported: median
# wall time (ms, whole process), peak RSS (MB, the median run's), the number of chunks,
# their total size, the bytes one entry loads before it runs (its file and every chunk it
# imports statically, transitively: the median entry and the largest), and whether the
# output works: node imports the ten entries from it and must print what it prints
# importing them unbundled.
#
# Usage:  bash tests/bench/splitting-three.sh      (installs peers and corpora first)
# Env:    BENCH_DIR=target/peers  RUNS=5  BUNDLERS="esbuild rollup rolldown verde"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source tests/bench/setup.sh
verde="$PWD/target/release/verde"
RUNS="${RUNS:-5}"
BUNDLERS="${BUNDLERS:-esbuild rollup rolldown verde}"
tools="$bench_dir/tools"
work="$bench_dir/splitting-three"
rm -rf "$work" && mkdir -p "$work"
cd "$work"
echo '{ "type": "module" }' > package.json
three="$bench_dir/corpora/three/src/Three.js"

entry() { # name, imports, body
  printf "import { %s } from '%s';\n%s\n" "$2" "$three" "$3" > "$1.js"
}
entry e01 'Vector3, Matrix4, Quaternion' \
  "console.log('e01', new Vector3(1, 2, 2).length(), new Matrix4().identity().determinant(), new Quaternion().length());
const lazy = await import('./e09.js');
console.log('e01 loads e09:', typeof lazy.run);"
entry e02 'BoxGeometry, SphereGeometry, BufferGeometry' \
  "console.log('e02', new BoxGeometry(1, 1, 1).attributes.position.count, new SphereGeometry(1, 8, 6).index.count, typeof BufferGeometry);"
entry e03 'MeshStandardMaterial, MeshBasicMaterial, Color' \
  "console.log('e03', new MeshStandardMaterial({ roughness: 0.5 }).roughness, new MeshBasicMaterial().type, new Color(0xff0000).getHexString());
const lazy = await import('./e06.js');
console.log('e03 loads e06:', typeof lazy.run);"
entry e04 'DirectionalLight, PointLight, AmbientLight' \
  "console.log('e04', new DirectionalLight(0xffffff, 2).intensity, new PointLight().type, new AmbientLight().isLight);"
entry e05 'PerspectiveCamera, OrthographicCamera' \
  "console.log('e05', new PerspectiveCamera(50, 2, 0.1, 10).fov, new OrthographicCamera().type);"
entry e06 'ObjectLoader, MaterialLoader, LoadingManager' \
  "export function run() { return typeof ObjectLoader + typeof MaterialLoader; }
console.log('e06', typeof new LoadingManager().itemStart);"
entry e07 'AnimationMixer, AnimationClip, NumberKeyframeTrack, Object3D' \
  "const clip = new AnimationClip('c', 1, [new NumberKeyframeTrack('.position[x]', [0, 1], [0, 1])]);
console.log('e07', clip.duration, typeof new AnimationMixer(new Object3D()).clipAction(clip).play);"
entry e08 'Scene, Mesh, Group, BoxGeometry, MeshBasicMaterial' \
  "const scene = new Scene(); scene.add(new Group().add(new Mesh(new BoxGeometry(), new MeshBasicMaterial())));
console.log('e08', scene.children.length, scene.children[0].children[0].type);
const lazy = await import('./e10.js');
console.log('e08 loads e10:', typeof lazy.run);"
entry e09 'WebGLRenderer, ShaderMaterial, UniformsUtils' \
  "export function run() { return typeof WebGLRenderer; }
console.log('e09', new ShaderMaterial({ uniforms: UniformsUtils.clone({ a: { value: 1 } }) }).uniforms.a.value);"
entry e10 'CatmullRomCurve3, Vector3, Box3Helper, Box3, ArrowHelper' \
  "export function run() { return new CatmullRomCurve3([new Vector3(), new Vector3(1, 0, 0)]).getLength(); }
console.log('e10', new Box3Helper(new Box3()).type, new ArrowHelper().type);"
entries=(e01.js e02.js e03.js e04.js e05.js e06.js e07.js e08.js e09.js e10.js)

cat > driver.mjs <<'JS'
for (let i = 1; i <= 10; i++) await import(`${process.argv[2]}/e${String(i).padStart(2, '0')}.js`);
JS
cat > rollup.mjs <<'JS'
import { createRequire } from 'node:module';
const require = createRequire(process.argv[2] + '/');
const { rollup } = require('rollup');
const bundle = await rollup({ input: process.argv.slice(4), onwarn() {} });
await bundle.write({ dir: process.argv[3], format: 'es' });
await bundle.close();
JS
# The bytes an entry loads before it runs: its file and the chunks it imports statically.
cat > loads.mjs <<'JS'
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname, normalize } from 'node:path';
const [dir, ...entries] = process.argv.slice(2);
const staticImports = /(?:^|[;}\n])\s*(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'](\.[^"']+)["']/g;
const loads = entries.map((entry) => {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier] of readFileSync(join(dir, file), 'utf8').matchAll(staticImports)) {
      visit(normalize(join(dirname(file), specifier)));
    }
  };
  visit(entry);
  return [...seen].reduce((sum, file) => sum + readFileSync(join(dir, file)).length, 0);
}).sort((a, b) => a - b);
const chunks = readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.js'));
const total = chunks.reduce((sum, file) => sum + readFileSync(join(dir, file)).length, 0);
console.log(chunks.length, Math.round(total / 1024), Math.round(loads[loads.length >> 1] / 1024),
  Math.round(loads[loads.length - 1] / 1024));
JS
expected="$(node driver.mjs .)"

command_for() {
  case "$1" in
    esbuild) echo "$tools/node_modules/.bin/esbuild ${entries[*]} --bundle --splitting --format=esm --outdir=out-esbuild --log-level=error" ;;
    rollup) echo "node rollup.mjs $tools out-rollup ${entries[*]}" ;;
    rolldown) echo "$tools/node_modules/.bin/rolldown ${entries[*]} --format esm --dir out-rolldown --log-level silent" ;;
    verde) echo "$verde build ${entries[*]} --outdir out-verde --log-level=error" ;;
  esac
}

printf '| bundler | wall ms (median) | min–max | peak RSS MB | chunks | total KB | entry loads KB (median / max) | works |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---|\n'
for bundler in $BUNDLERS; do
  command="$(command_for "$bundler")"
  rm -rf "out-$bundler"
  $command >/dev/null 2>&1 || { echo "| $bundler | failed | | | | | | no |"; continue; }
  read -r median fastest slowest rss <<<"$(time_runs "$RUNS" "out-$bundler" $command)"
  read -r chunks total load_median load_max <<<"$(node loads.mjs "out-$bundler" "${entries[@]}")"
  works=no
  [ "$(node driver.mjs "./out-$bundler" 2>&1)" = "$expected" ] && works=ok
  printf '| %s | %d | %d–%d | %d | %d | %d | %d / %d | %s |\n' "$bundler" "$median" "$fastest" "$slowest" \
    $(( rss / 1024 )) "$chunks" "$total" "$load_median" "$load_max" "$works"
done
