//- /main.js
import * as math from './math.js';
console.log(math.add(1, 2), math['PI'], math.missing);
//- /math.js
export function add(a, b) { return a + b; }
export const PI = 3.14;
export function unused() {}
