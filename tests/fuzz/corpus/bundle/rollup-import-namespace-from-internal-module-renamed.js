//- main.js
import * as foo from './foo';

assert.equal( foo.y, 42 );
//- foo.js
var x = 42;

export { x as y };
