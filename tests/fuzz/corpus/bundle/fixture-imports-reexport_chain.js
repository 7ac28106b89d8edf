//- /main.js
import { value, renamed, all } from './middle.js';
console.log(value, renamed, all.deep);
//- /middle.js
export { value } from './leaf.js';
export { value as renamed } from './leaf.js';
export * as all from './leaf.js';
//- /leaf.js
export const value = 42;
export const deep = 'deep';
