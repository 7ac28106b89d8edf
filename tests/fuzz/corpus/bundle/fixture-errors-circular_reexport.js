//- /main.js
import { loop } from './a.js';
console.log(loop);
//- /a.js
export { loop } from './b.js';
//- /b.js
export { loop } from './a.js';
