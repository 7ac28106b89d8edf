//- main.js
import foo from './foo';
assert.equal( foo, 42 );
//- foo.js
export default 40 + 2;
