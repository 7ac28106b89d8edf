//- main.js
import foo from './foo.js';

foo();
//- Foo.js
export default function () {
	assert.ok( false );
}
