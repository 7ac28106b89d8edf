//- main.js
import { foo } from './foo';
assert.equal( foo, 42 );
//- foo.js
export var foo = 42;
