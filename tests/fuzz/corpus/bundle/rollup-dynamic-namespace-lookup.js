//- main.js
import * as foo from './foo';

var bar = 'baz';

assert.equal( foo.bar, 'bar' );
assert.equal( foo.baz, 'baz' );

assert.equal( foo[ bar ], 'baz' );
//- foo.js
export var bar = 'bar';
export var baz = 'baz';
