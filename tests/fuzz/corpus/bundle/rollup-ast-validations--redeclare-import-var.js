//- main.js
import { foo } from './foo.js';

console.log(foo);
var foo = 2;
//- foo.js
export const foo = 1;
