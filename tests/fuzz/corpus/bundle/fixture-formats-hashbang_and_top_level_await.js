//- /main.js
#!/usr/bin/env node
import { value } from './dep.js';
console.log(await value);
//- /dep.js
export const value = Promise.resolve('awaited at the top level');
