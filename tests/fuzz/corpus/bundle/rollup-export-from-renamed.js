//- main.js
export { x as y } from './foo';
//- foo.js
export var x = 42;
