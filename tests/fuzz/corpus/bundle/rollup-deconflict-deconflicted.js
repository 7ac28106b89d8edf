//- main.js
import { x } from './dep.js';

assert.equal(x('name'), 'name1');
//- dep.js
var value = '1';

export function x(value$1) {
	return value$1 + value;
}
