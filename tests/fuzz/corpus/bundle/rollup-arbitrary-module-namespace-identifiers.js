//- main.js
import { ' 🙄 ' as foo } from './reexport.js';

assert.strictEqual(foo, 42);
//- foo.js
const foo = 42;
export { foo as ' 😆 ' };
//- reexport.js
export { ' 😆 ' as ' 🙄 ' } from './foo.js';
