//- main.js
import foo from './foo.js';

(function bar() {
	assert.ok( true );
})();

assert.equal( foo(), 42 );
//- foo.js
export default function () {
	return 42;
}
