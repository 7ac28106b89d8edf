//- main.js
export * as foo from './arguments.js';
//- arguments.js
export default 42;
