//- main.js
import { count, incr } from './foo';

assert.equal(count, 0);
incr();
assert.equal(count, 1);
//- foo.js
export var count = 0;

export function incr() {
	count++;
}
