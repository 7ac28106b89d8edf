//- main.js
import foo from './foo.js';

assert.throws( function () {
	foo();
}, /is not a function/ );
//- foo.js
function foo() {}

export default { foo };
