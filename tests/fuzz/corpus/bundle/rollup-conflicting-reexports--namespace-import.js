//- main.js
import * as ns from './reexport.js';

assert.deepStrictEqual(ns, { __proto__: null, bar: 1, baz: 2 });
assert.strictEqual(ns.foo, undefined)
//- first.js
export const foo = 1;
export const bar = 1;
//- reexport.js
export * from './first.js';
export * from './second.js';
//- second.js
export const foo = 2;
export const baz = 2;
