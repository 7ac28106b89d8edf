//- /main.js
export { helper as default } from './helper.js';
export * from './many.js';
export const own = 'own';
import * as self from './main.js';
console.log(Object.keys(self).join(','));
//- /helper.js
export function helper() {}
//- /many.js
export const one = 1, two = 2;
export function three() {}
