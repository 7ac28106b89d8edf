//- main.js
import * as foo from './foo.js';

try {
	foo();
} catch {}

try {
	foo``;
} catch {}
//- foo.js
export const a = 1;
