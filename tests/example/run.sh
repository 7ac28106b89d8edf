#!/usr/bin/env bash
# Builds verde, installs three.js, preact and two CommonJS packages from the npm registry,
# bundles three.js and a small TypeScript + JSX application with CommonJS dependencies
# (split into chunks, one loaded by `import()`, minified, with source maps back to its .tsx
# files), and runs both in node; bundles three.js a second time from the module cache, and
# through a remote cache (nginx with WebDAV on 127.0.0.1, installed with apt-get when
# missing) for a machine whose own cache is empty. This is the README's first command:
# verde on real examples, end to end.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$repo/target/example"
mkdir -p "$work"

echo "==> building verde (release)"
cargo build --release --manifest-path "$repo/Cargo.toml" --bin verde

echo "==> installing three@0.187.0, preact@11.2.0, preact-render-to-string@6.8.2, classnames@2.5.1, ms@2.1.3 into $work"
cd "$work"
[ -f package.json ] || echo '{ "name": "verde-example", "private": true, "type": "module" }' > package.json
npm install --no-audit --no-fund --save-exact three@0.187.0 preact@11.2.0 \
  preact-render-to-string@6.8.2 classnames@2.5.1 ms@2.1.3 >/dev/null

cat > entry.js <<'JS'
export * from 'three';
JS

echo "==> bundling three.js"
# Cold: empty the module cache (node_modules/.cache/verde, next to package.json) first.
"$repo/target/release/verde" cache clean
start=$(date +%s%N)
"$repo/target/release/verde" build entry.js --format esm --outfile dist/three.bundle.mjs
end=$(date +%s%N)
echo "    dist/three.bundle.mjs: $(wc -c < dist/three.bundle.mjs) bytes in $(( (end - start) / 1000000 )) ms"

echo "==> bundling three.js again, in a new process: every module comes from the module cache"
start=$(date +%s%N)
"$repo/target/release/verde" build entry.js --format esm --outfile dist/three.again.mjs --stats \
  --log-level warning 2> dist/three.again.stats
end=$(date +%s%N)
grep parse+scope dist/three.again.stats | sed 's/^/    /'
echo "    $(( (end - start) / 1000000 )) ms, $("$repo/target/release/verde" cache stats | grep modules: )"
grep -q "; 0 parsed, " dist/three.again.stats
cmp dist/three.bundle.mjs dist/three.again.mjs

echo "==> sharing the cache between machines: a remote cache server (nginx with WebDAV PUT)"
nginx="$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)"
if [ -z "$nginx" ]; then
  if [ "$(id -u)" = 0 ]; then apt_get=(apt-get); else apt_get=(sudo -n apt-get); fi
  "${apt_get[@]}" update -qq && DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq nginx >/dev/null
  nginx=/usr/sbin/nginx
fi
rm -rf "$work/remote"
port=$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
bash "$repo/tests/nginx/webdav.sh" "$work/remote" "$port" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
until node -e "require('net').connect($port, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"; do sleep 0.1; done
remote=(--remote-cache "http://127.0.0.1:$port")
# This machine uploads its build; "another machine" (an empty cache dir) reads it.
"$repo/target/release/verde" build entry.js --format esm --outfile dist/three.uploaded.mjs \
  --cache-dir "$work/remote/cache-one" "${remote[@]}" --log-level warning
echo "    uploaded: $(find "$work/remote/store" -type f | wc -l) files, $(du -sb "$work/remote/store" | cut -f1) bytes"
start=$(date +%s%N)
"$repo/target/release/verde" build entry.js --format esm --outfile dist/three.remote.mjs --stats \
  --cache-dir "$work/remote/cache-two" "${remote[@]}" --log-level warning 2> dist/three.remote.stats
end=$(date +%s%N)
grep parse+scope dist/three.remote.stats | sed 's/^/    /'
echo "    $(( (end - start) / 1000000 )) ms with an empty local cache"
grep -q "; 0 parsed, " dist/three.remote.stats
if grep "^warning" dist/three.remote.stats; then exit 1; fi
cmp dist/three.bundle.mjs dist/three.remote.mjs
kill $nginx_pid

echo "==> running the bundle in node"
node --input-type=module -e "
const THREE = await import('$work/dist/three.bundle.mjs');
const v = new THREE.Vector3(1, 2, 3);
console.log('    three.js', THREE.REVISION, '- new Vector3(1, 2, 3).length() =', v.length());
if (Math.abs(v.length() - Math.sqrt(14)) > 1e-12) process.exit(1);
"
echo "==> bundling a TypeScript + JSX app with CommonJS dependencies (classnames, ms) for node, split"
mkdir -p app
cat > app/tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "jsx": "react-jsx",
    "jsxImportSource": "preact",
    "strict": true
  }
}
JSON
cat > app/todo.tsx <<'TSX'
import type { ComponentChildren } from 'preact';
import classNames from 'classnames';

export enum Status { Open = 'open', Done = 'done' }

export interface Todo {
  title: string;
  status: Status;
  late?: boolean;
}

export function TodoList({ todos, footer }: { todos: readonly Todo[]; footer?: ComponentChildren }) {
  return (
    <ul>
      {todos.map((todo) => <li class={classNames(todo.status, { late: todo.late })}>{todo.title}</li>)}
      {footer}
    </ul>
  );
}
TSX
cat > app/main.tsx <<'TSX'
import { render } from 'preact-render-to-string';
import ms from 'ms';
import type { Todo } from './todo';

// Loaded on demand: its own chunk, sharing preact with this one.
const { Status, TodoList } = await import('./todo');

const todos: Todo[] = [
  { title: 'parse', status: Status.Done },
  { title: 'split', status: Status.Open, late: true },
];
const due = process.env.NODE_ENV === 'production' ? ms('2 days') : 0;
console.log(render(<TodoList todos={todos} footer={<li>{todos.length} items, due in {ms(due)}</li>} />));
TSX
rm -rf dist/app
"$repo/target/release/verde" build app/main.tsx --format esm --platform node \
  --define process.env.NODE_ENV='"production"' --outdir dist/app --sourcemap --minify \
  --metafile dist/app.meta.json
node -e "
const fs = require('fs');
const maps = fs.readdirSync('dist/app').filter((file) => file.endsWith('.map'));
const own = maps.flatMap((file) => JSON.parse(fs.readFileSync('dist/app/' + file, 'utf8')).sources)
  .filter((source) => source.startsWith('../../app/'));
console.log('    the maps lead back to', own.join(', '));
if (!own.includes('../../app/main.tsx') || !own.includes('../../app/todo.tsx')) process.exit(1);
const main = fs.readFileSync('dist/app/main.js', 'utf8');
if (!/import\(\"\.\/todo-[a-z2-7]{8}\.js\"\)/.test(main)) { console.log('main.js does not load the todo chunk'); process.exit(1); }
const meta = JSON.parse(fs.readFileSync('dist/app.meta.json', 'utf8'));
const biggest = Object.entries(meta.outputs['dist/app/main.js'].inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)[0];
console.log('    the metafile says main.js is mostly', biggest[0], '(' + biggest[1].bytesInOutput + ' bytes)');
"
html="$(node dist/app/main.js)"
echo "    $html"
[ "$html" = '<ul><li class="done">parse</li><li class="open late">split</li><li>2 items, due in 2d</li></ul>' ]
echo "==> ok"
