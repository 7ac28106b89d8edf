//- main.js
import { foo, bar } from './foo';

assert.equal( foo, 'foo' );
assert.equal( bar, 'bar' );
//- foo.js
var foo = 'foo', bar = 'bar', unused = 'unused';
export { foo, bar };
