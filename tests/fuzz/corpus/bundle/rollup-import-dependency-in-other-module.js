//- main.js
import { foo } from './foo';
assert.equal( foo(), 42 );
//- bar.js
export default 40;
//- foo.js
import bar from './bar';

export function foo () {
	return bar + 2;
}
