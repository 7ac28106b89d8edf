//- main.js
import { a } from './foo';
import { a } from './foo';

assert.equal(a, 1);
//- foo.js
export var a = 1;
