//- main.js
import { Foo } from './foo';

assert.strictEqual(new Foo().constructor, Foo);
//- foo.js
class Foo {}
export { Foo };
