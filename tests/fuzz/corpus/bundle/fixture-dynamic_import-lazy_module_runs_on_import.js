// format: cjs
//- /main.js
console.log('main starts');
export const loaded = import('./lazy.js').then((ns) => {
  console.log('lazy namespace:', ns.value, Object.keys(ns).join(','));
  return ns.value;
});
console.log('main ends');
//- /lazy.js
import { helper } from './lazy-helper.js';
console.log('lazy.js runs');
export const value = helper();
//- /lazy-helper.js
console.log('lazy-helper.js runs first');
export function helper() { return 'from helper'; }
