//- /main.js
import { now } from './dep.js';
console.log(now);
import('./dep.js').then((ns) => console.log('same module:', ns.now === now));
//- /dep.js
export const now = 'dep';
