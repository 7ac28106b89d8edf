//- main.js
const bar = 1;
export { bar as foo };
export * as foo from './main.js';
