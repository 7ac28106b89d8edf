// external: node:path
//- /main.js
import path, { basename as base } from 'node:path';
import * as everything from 'node:path';
console.log(base('/x/y.js'), path.sep === everything.sep);
