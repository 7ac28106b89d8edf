//- main.js
import { mod } from './second';

assert.strictEqual(mod.a, 1);
assert.strictEqual(mod.b, 2);
//- first.js
export var a = 1;
export var b = 2;
//- second.js
import * as mod from './first';
export { mod };
