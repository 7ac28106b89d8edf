//- main.js
import { foo as bar } from './foo';
assert.equal( bar(), 42 );
//- foo.js
export function foo () {
	return 42;
}
