//- main.js
import { a as b, b as a, default as def } from './foo';

assert.equal(b, 'a');
assert.equal(a, 'b');
assert.equal(def, 'DEF');
//- foo.js
/* jshint esnext:true */

export var a = 'a';
export var b = 'b';
export default 'DEF';
