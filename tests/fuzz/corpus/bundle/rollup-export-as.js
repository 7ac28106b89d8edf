//- main.js
import { y } from './foo';
assert.equal( y, 42 );
//- foo.js
var x = 42;
export { x as y };
