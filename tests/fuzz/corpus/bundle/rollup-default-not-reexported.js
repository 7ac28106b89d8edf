//- main.js
import def from './foo.js';

console.log( def );
//- bar.js
export const named = 42;
export default 'should not be re-exported';
//- foo.js
export * from './bar.js';
