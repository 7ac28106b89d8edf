//- main.js
import { foo, bar } from './foo';

assert.equal( foo, 'foo' );
assert.equal( bar, 'bar' );
//- foo.js
var unused_a = 'a', unused_b = 'b';
var unused_c = 'c';
var foo = 'foo', bar = 'bar';

export { foo, bar };
