#!/usr/bin/env bash
# Builds verde, installs three.js, preact and two CommonJS packages from the npm registry,
# bundles three.js and a small TypeScript + JSX application with CommonJS dependencies
# (minified, with a source map back to its .tsx files), and runs both bundles in node. This is the README's
# first command: verde on real examples, end to end.
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
echo "==> bundling a TypeScript + JSX app with CommonJS dependencies (classnames, ms) for node"
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
import { Status, TodoList, type Todo } from './todo';

const todos: Todo[] = [
  { title: 'parse', status: Status.Done },
  { title: 'split', status: Status.Open, late: true },
];
const due = process.env.NODE_ENV === 'production' ? ms('2 days') : 0;
console.log(render(<TodoList todos={todos} footer={<li>{todos.length} items, due in {ms(due)}</li>} />));
TSX
"$repo/target/release/verde" build app/main.tsx --format esm --platform node \
  --define process.env.NODE_ENV='"production"' --outfile dist/app.bundle.mjs --sourcemap --minify
echo "    dist/app.bundle.mjs: $(wc -c < dist/app.bundle.mjs) bytes, with dist/app.bundle.mjs.map"
node -e "
const map = JSON.parse(require('fs').readFileSync('dist/app.bundle.mjs.map', 'utf8'));
const own = map.sources.filter((source) => source.startsWith('../app/'));
console.log('    the map leads back to', own.join(', '));
if (!own.includes('../app/main.tsx') || !own.includes('../app/todo.tsx')) process.exit(1);
"
html="$(node dist/app.bundle.mjs)"
echo "    $html"
[ "$html" = '<ul><li class="done">parse</li><li class="open late">split</li><li>2 items, due in 2d</li></ul>' ]
echo "==> ok"
