//- main.js
import { foo } from './reexport.js';

assert.strictEqual(foo, 'first');
//- reexport.js
export * from 'first';
export * from 'second';
