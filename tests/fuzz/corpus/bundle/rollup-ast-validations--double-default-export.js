//- main.js
import foo from './foo.js';
console.log( foo );
//- foo.js
export default 1;
export default 2;
