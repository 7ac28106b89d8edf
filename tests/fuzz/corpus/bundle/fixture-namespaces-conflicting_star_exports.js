//- /main.js
import * as ns from './both.js';
// `shared` comes from both `export *`: the namespace leaves it out (a warning).
console.log(Object.keys(ns).join(','), ns.shared);
//- /both.js
export * from './first.js';
export * from './second.js';
//- /first.js
export const shared = 'first';
export const onlyFirst = 1;
//- /second.js
export const shared = 'second';
export const onlySecond = 2;
