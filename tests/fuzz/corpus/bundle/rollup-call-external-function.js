//- main.js
import foo_ from './foo.js';

var foo = foo_;
assert.equal( foo(), 42 );
//- foo.js
import foo from 'foo';
export default foo;
