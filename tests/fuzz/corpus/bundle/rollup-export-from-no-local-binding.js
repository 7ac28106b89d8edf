//- main.js
import { a } from './second';
assert.equal(a, 1);
//- first.js
export var a = 1;
//- second.js
export { a } from './first';

// This `a` reference should not be re-written because this export is not
// creating a local binding.
assert.equal(typeof a, 'undefined');
