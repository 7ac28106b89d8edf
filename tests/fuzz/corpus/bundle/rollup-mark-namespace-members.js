//- main.js
import * as foo from './foo';

var member = 'bar';
assert.equal( foo[ member ](), 42 );
//- bar.js
function bar () {
	return 42;
}

export default bar;
//- foo.js
export { default as bar } from './bar';
