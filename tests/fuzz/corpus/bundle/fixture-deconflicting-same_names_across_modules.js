//- /main.js
import { value as first } from './a.js';
import { value as second, read } from './b.js';
const value = 'main';
console.log(first, second, value, read());
//- /a.js
export const value = 'a';
//- /b.js
export const value = 'b';
export function read() { return value; }
