//- /main.js
import { used } from './lib.js';
console.log(used());
//- /lib.js
export function used() { return helper(); }
function helper() { return 'used'; }
export function unused() { return 'never'; }
export const unusedConstant = computeLater;
const pure = /*#__PURE__*/ makeThing();
console.log('side effect kept');
globalThis.touched = true;
function makeThing() { return {}; }
function computeLater() {}
