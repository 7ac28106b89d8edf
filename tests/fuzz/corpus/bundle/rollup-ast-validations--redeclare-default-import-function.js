//- main.js
import foo from './foo.js';

console.log(foo);
function foo() {}
//- foo.js
export default 1;
