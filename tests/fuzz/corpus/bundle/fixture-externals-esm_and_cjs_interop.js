// format: cjs
// external: node:path, node:util
//- /main.js
import path, { basename } from 'node:path';
import * as util from 'node:util';
export { sep } from 'node:path';
console.log(basename('/a/b.txt'), typeof path.join, typeof util.format);
