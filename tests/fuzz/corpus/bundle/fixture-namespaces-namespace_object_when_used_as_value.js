//- /main.js
import * as shapes from './shapes.js';
const ns = shapes;
console.log(Object.keys(ns).join(','), Object.isExtensible(ns), Object.getPrototypeOf(ns));
console.log(Object.prototype.toString.call(ns), ns.area(2));
try {
  ns.extra = 1;
} catch (error) {
  console.log(error.constructor.name);
}
//- /shapes.js
export * from './circle.js';
export const kind = 'shapes';
//- /circle.js
export function area(r) { return 3 * r * r; }
export const kind2 = 'circle';
