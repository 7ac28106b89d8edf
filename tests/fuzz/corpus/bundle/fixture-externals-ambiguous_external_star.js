// unbundled: skip (rollup's guess among several external `export *` differs from node, which looks the name up at run time)
// format: cjs
// external: node:path, node:url
//- /main.js
import { sep, fileURLToPath } from './reexport.js';
// Only external modules could provide `sep`: the first is taken, with a warning.
console.log(sep, typeof fileURLToPath);
//- /reexport.js
export * from 'node:path';
export * from 'node:url';
