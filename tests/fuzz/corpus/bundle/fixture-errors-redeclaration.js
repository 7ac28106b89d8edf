//- /main.js
import { x } from './dep.js';
var x = 2;
//- /dep.js
export const x = 1;
