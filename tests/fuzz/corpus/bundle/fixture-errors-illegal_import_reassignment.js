//- /main.js
import { count } from './dep.js';
count += 1;
//- /dep.js
export let count = 0;
