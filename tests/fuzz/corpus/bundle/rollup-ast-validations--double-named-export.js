//- main.js
import { foo } from './foo.js';
console.log( foo );
//- foo.js
var foo = 1;
export { foo };
export { foo };
