//- main.js
import * as module from './module';
assert.deepEqual(module.foo.bar, 1);
//- module.js
export const foo = { bar: 1 };
