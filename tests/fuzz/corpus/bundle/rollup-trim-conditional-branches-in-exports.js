//- main.js
import foo from './foo.js';
assert.equal(true ? (false ? foo : 0) : 1, 0);
//- foo.js
var foo = 0;
export default Math.random() < 0.5 ? foo : foo;
