//- main.js
import { Foo as A } from './a.js';
import { Foo as B } from './b.js';

assert.notEqual( A, B );
//- a.js
var Foo = function Foo () {};
export { Foo };
//- b.js
class Foo {};
export { Foo };
