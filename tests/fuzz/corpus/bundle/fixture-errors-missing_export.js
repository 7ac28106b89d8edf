//- /main.js
import { present, absent } from './dep.js';
console.log(present, absent);
//- /dep.js
export const present = 1;
