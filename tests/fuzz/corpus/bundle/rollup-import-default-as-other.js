//- main.js
import bar from './foo';
assert.equal( bar(), 42 );
//- foo.js
export default function foo () {
	return 42;
}
