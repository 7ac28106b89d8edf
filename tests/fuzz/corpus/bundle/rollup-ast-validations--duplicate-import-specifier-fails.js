//- main.js
import { a, a } from './foo';
assert.equal(a, 1);
//- foo.js
export var a = 1;
