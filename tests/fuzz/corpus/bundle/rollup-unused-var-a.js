//- main.js
import { foo, bar } from './foo';

assert.equal( foo, 'foo' );
assert.equal( bar, 'bar' );
//- foo.js
var unused = 'unused', foo = 'foo', bar = 'bar';
export { foo, bar };
