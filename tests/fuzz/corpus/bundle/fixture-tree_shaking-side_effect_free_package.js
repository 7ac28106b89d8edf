// unbundled: skip (`sideEffects` lets a bundler drop what node runs)
//- /main.js
import { used } from 'lib';
import 'lib/polyfill.js';
console.log(used);
//- /node_modules/lib/package.json
{ "name": "lib", "sideEffects": ["./polyfill.js"], "module": "./index.js" }
//- /node_modules/lib/index.js
export { used } from './used.js';
export { unused } from './unused.js';
//- /node_modules/lib/used.js
console.log('used.js runs: it is imported');
export const used = 'used';
//- /node_modules/lib/unused.js
console.log('unused.js is dropped: its package says it has no side effects');
export const unused = 'unused';
//- /node_modules/lib/polyfill.js
console.log('polyfill.js runs: its package lists it as having side effects');
