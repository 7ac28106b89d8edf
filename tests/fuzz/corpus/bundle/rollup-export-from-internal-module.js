//- main.js
export { foo } from './foo';
//- foo.js
export var foo = 42;
