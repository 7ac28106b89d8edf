//- /main.js
import { shared } from './both.js';
console.log(shared);
//- /both.js
export * from './first.js';
export * from './second.js';
//- /first.js
export const shared = 'first';
//- /second.js
export const shared = 'second';
