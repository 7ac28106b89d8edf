//- main.js
import { value } from './second';
assert.equal(value, 42);
//- first.js
export var value = 42;
//- second.js
import { value } from './first';
export { value };
