//- /main.js
import './a.js';
import './b.js';
console.log('main');
//- /a.js
import { fromB } from './b.js';
console.log('a, then b is', typeof fromB);
export function fromA() {}
//- /b.js
import { fromA } from './a.js';
console.log('b, a function is hoisted:', typeof fromA);
export function fromB() {}
